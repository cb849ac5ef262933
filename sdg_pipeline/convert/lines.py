"""Visual lines: native text cells that sit side by side on one baseline, joined.

A parser cell ends at every font change or direction change, so one printed line can be
several cells; cells far apart on the same baseline (two columns, table cells) stay separate
lines. Style is measured over the words of the line.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache

from sdg_pipeline.convert.cells import (
    Box,
    PageText,
    Span,
    Word,
    baseline_rows,
    font_is_bold,
    font_is_italic,
    font_is_mono,
    font_is_symbol,
    span_of_words,
)

# Cells of one line are a space apart; a wider gap means a gutter or a table column.
LINE_JOIN_GAP_EM = 0.7


@dataclass
class Line:
    page_no: int
    row: int  # lines with the same row index share a baseline band on their page
    text: str
    box: Box
    size: float  # estimated font size in points
    font: str  # the font holding most of the line's letters
    first_font: str  # font of the first word (bullet glyphs often come from symbol fonts)
    # The first word is one glyph in a font of its own: a dingbat bullet, whatever letter the
    # font maps it to.
    glyph_marker: bool
    bold: bool
    italic: bool
    mono: bool
    rtl: bool
    spans: list[Span] = field(default_factory=list)
    x_scale: float = 1.0  # the page's ascender / x-height ratio of word boxes (see _size)

    @property
    def chars(self) -> int:
        return len(self.text)


def _vertical_overlap(a: Box, b: Box) -> float:
    return min(a.y1, b.y1) - max(a.y0, b.y0)


def _vertical(span: Span) -> bool:
    return len(span.text) > 2 and span.box.height > 2 * span.box.width


def _rows(spans: list[Span]) -> list[list[Span]]:
    # Rotated text (an "arXiv:..." strip beside a paper, a vertical table header) is a row of
    # its own: its tall box would otherwise overlap, and glue together, every row beside it.
    vertical = [[s] for s in spans if _vertical(s)]
    rows = _horizontal_rows([s for s in spans if not _vertical(s)])
    if not vertical:
        return rows
    return sorted(rows + vertical, key=lambda row: min(s.box.y0 for s in row))


def _horizontal_rows(spans: list[Span]) -> list[list[Span]]:
    rows: list[list[Span]] = []
    current: list[Span] = []
    band: Box | None = None
    for span in sorted(spans, key=lambda s: (s.box.y0 + s.box.y1) / 2):
        if band is not None:
            overlap = _vertical_overlap(band, span.box)
            if overlap >= 0.5 * min(band.height, span.box.height):
                current.append(span)
                band = band.union(span.box)
                continue
            rows.append(current)
        current = [span]
        band = span.box
    if current:
        rows.append(current)
    # Spans of one baseline never overlap side to side: a row where some do was chained by a
    # tall span (a heading in the next column) and is regrouped.
    out: list[list[Span]] = []
    for row in rows:
        out.extend(baseline_rows(row, lambda s: s.box) if _stacked(row) else [row])
    return out


def _stacked(row: list[Span]) -> bool:
    ordered = sorted(row, key=lambda s: s.box.x0)
    reach = ordered[0].box
    for span in ordered[1:]:
        if reach.x1 - span.box.x0 > 0.3 * min(reach.height, span.box.height):
            return True
        if span.box.x1 > reach.x1:
            reach = span.box
    return False


_ASCENDING = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789bdfhijklt")
_DESCENDING = frozenset("gjpqy")
_LOWER_ONLY = frozenset("acemnorsuvwxz")
# Word boxes may hug the glyphs (their height then depends on the letters: "as" and "me" are
# x-height only, "damp," reaches above and below) or follow the font's box. A line's size is
# read from its words that reach the ascender line but not below the baseline ("Call",
# "circulation"); a line of x-height words only is scaled by the page's own ratio of the two
# kinds of words. Otherwise a paragraph's short last line ("as I can.", "me.") read as a
# smaller size and split off.
MIN_RATIO_WORDS = 5


def _glyph_class(word: Word) -> str:
    if not word.font:  # OCR words carry the line's height, not their glyphs'
        return "line"
    return _text_class(word.text)


@lru_cache(maxsize=65536)
def _text_class(text: str) -> str:
    letters = [c for c in text if c.isalnum()]
    if not letters or not all(c.isascii() for c in letters):
        return "other"
    ascending = any(c in _ASCENDING for c in letters)
    descending = any(c in _DESCENDING for c in letters)
    if ascending and not descending:
        return "ascending"
    if all(c in _LOWER_ONLY for c in letters):
        return "x"
    return "other"


def _size(words: list[Word], x_scale: float) -> float:
    classes = [_glyph_class(w) for w in words]
    ascending = sorted(
        w.box.height for w, c in zip(words, classes, strict=True) if c == "ascending"
    )
    if ascending:
        return ascending[len(ascending) // 2]
    heights = sorted(w.box.height for w in words)
    middle = heights[len(heights) // 2]
    return middle * x_scale if all(c == "x" for c in classes) else middle


def _x_scale(spans: list[Span]) -> float:
    """Ascender height over x-height of the page's word boxes (1.0 for font-sized boxes)."""
    heights: dict[str, list[float]] = {"ascending": [], "x": []}
    for span in spans:
        for word in span.words:
            kind = _glyph_class(word)
            if kind in heights:
                heights[kind].append(word.box.height)
    if min(len(h) for h in heights.values()) < MIN_RATIO_WORDS:
        return 1.0
    ratio = statistics.median(heights["ascending"]) / max(statistics.median(heights["x"]), 0.1)
    return min(max(ratio, 1.0), 2.0)


def _style(spans: list[Span], x_scale: float) -> tuple[float, str, str, bool, bool, bool, bool]:
    words = [w for s in spans for w in s.words]
    if not words:
        heights = [s.box.height for s in spans]
        fonts = [(s.font, len(s.text)) for s in spans]
        first_font = spans[0].font
        first_text = spans[0].text
    else:
        heights = [_size(words, x_scale)]
        fonts = [(w.font, len(w.text)) for w in words]
        first_word = min(words, key=lambda w: w.box.x0)
        first_font, first_text = first_word.font, first_word.text
    weight: dict[str, int] = {}
    for font, n in fonts:
        weight[font] = weight.get(font, 0) + n
    letters = sum(n for font, n in fonts if not font_is_symbol(font)) or 1

    def share(test) -> float:
        return sum(n for font, n in fonts if test(font) and not font_is_symbol(font)) / letters

    main_font = max(weight, key=weight.get)
    glyph_marker = font_is_symbol(first_font) or (
        len(first_text.strip()) == 1 and first_font != main_font
    )
    heights.sort()
    return (
        heights[len(heights) // 2],
        main_font,
        first_font,
        glyph_marker,
        share(font_is_bold) >= 0.8,
        share(font_is_italic) >= 0.8,
        share(font_is_mono) >= 0.8,
    )


def _make_line(page_no: int, row: int, spans: list[Span], x_scale: float = 1.0) -> Line:
    rtl_chars = sum(len(s.text) for s in spans if s.rtl)
    rtl = rtl_chars * 2 > sum(len(s.text) for s in spans)
    ordered = sorted(spans, key=lambda s: -s.box.x1 if rtl else s.box.x0)
    size, font, first_font, glyph_marker, bold, italic, mono = _style(spans, x_scale)
    parts = [ordered[0].text]
    for prev, span in itertools.pairwise(ordered):
        gap = (prev.box.x0 - span.box.x1) if rtl else (span.box.x0 - prev.box.x1)
        # Runs of the other direction touch their neighbours in the box geometry although
        # a space separates them in the text.
        spaced = gap > 0.1 * size or (prev.rtl != span.rtl and prev.text[-1:].isalnum())
        parts.append((" " if spaced else "") + span.text)
    box = ordered[0].box
    for span in ordered[1:]:
        box = box.union(span.box)
    return Line(
        page_no=page_no,
        row=row,
        text="".join(parts),
        box=box,
        size=size,
        font=font,
        first_font=first_font,
        glyph_marker=glyph_marker,
        bold=bold,
        italic=italic,
        mono=mono,
        rtl=rtl,
        spans=ordered,
        x_scale=x_scale,
    )


_MARKER = re.compile(r"^([^\w\s]|\d{1,3}[.)]|[a-zA-Z][.)]|\(\w{1,3}\))$")


def _is_marker(group: list[Span]) -> bool:
    """A lone bullet glyph or enumerator, set apart from its item's text by a tab stop."""
    if len(group) != 1:
        return False
    text = group[0].text
    return bool(_MARKER.match(text)) or (len(text) == 1 and font_is_symbol(group[0].font))


def page_lines(page: PageText) -> list[Line]:
    """The visual lines of one page, top to bottom, left to right within a row."""
    lines: list[Line] = []
    x_scale = _x_scale(page.spans)
    for row_index, row in enumerate(_rows(page.spans)):
        row.sort(key=lambda s: s.box.x0)
        size = sorted(s.box.height for s in row)[len(row) // 2]
        group: list[Span] = [row[0]]
        reach = row[0].box.x1
        for span in row[1:]:
            gap = span.box.x0 - reach
            marker_gap = _is_marker(group) and gap < 4 * size
            if gap > LINE_JOIN_GAP_EM * size and not marker_gap:
                lines.append(_make_line(page.page_no, row_index, group, x_scale))
                group = []
            group.append(span)
            reach = max(reach, span.box.x1)
        lines.append(_make_line(page.page_no, row_index, group, x_scale))
    return lines


def split_line(line: Line, cuts: list[float]) -> list[Line]:
    """`line` cut at the x positions `cuts` (each inside a gap between its words)."""
    if line.rtl or not cuts:
        return [line]
    sides: list[list[Span]] = [[] for _ in range(len(cuts) + 1)]
    for span in line.spans:
        if not span.words:
            middle = (span.box.x0 + span.box.x1) / 2
            sides[sum(1 for x in cuts if x < middle)].append(span)
            continue
        parts: dict[int, list] = {}
        for word in span.words:
            middle = (word.box.x0 + word.box.x1) / 2
            parts.setdefault(sum(1 for x in cuts if x < middle), []).append(word)
        if len(parts) == 1:
            sides[next(iter(parts))].append(span)
        else:
            for index, words in parts.items():
                sides[index].append(span_of_words(words, span))
    return [_make_line(line.page_no, line.row, side, line.x_scale) for side in sides if side]
