"""Text lines with geometry and font style, read from docling's native page parse.

docling-parse reports text-line cells (good text, with the parser's own spacing) and word
cells (each with its own font). A text line's font is that of its first glyph, so style is
taken from the words inside it: a line is bold when nearly all its letters are. Font size is
not reported, so it is estimated as the median word height, which one tall glyph cannot skew.
All boxes are in points with a top-left origin.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

_BOLD = re.compile(r"bold|black|heavy|semibold|demi|cmbx|sfbx|-bd\b|\+bx", re.IGNORECASE)
_ITALIC = re.compile(r"italic|oblique|cmti|sfti|cmsl|-it\b", re.IGNORECASE)
_MONO = re.compile(
    r"mono|courier|cmtt|sftt|consol|menlo|typewriter|inconsolata|sourcecode|code", re.IGNORECASE
)
_SYMBOL = re.compile(r"symbol|dingbat|wingding|webding|zapf|marlett", re.IGNORECASE)


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return max(self.width, 0.0) * max(self.height, 0.0)

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def expand(self, margin: float) -> Box:
        return Box(self.x0 - margin, self.y0 - margin, self.x1 + margin, self.y1 + margin)

    def contains_point(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


@dataclass
class Word:
    text: str
    box: Box
    font: str


@dataclass
class Span:
    """One native text-line cell: text in logical order and its words."""

    text: str
    box: Box
    font: str
    rtl: bool
    words: list[Word] = field(default_factory=list)


@dataclass
class PageText:
    page_no: int  # 1-based
    width: float
    height: float
    spans: list[Span]
    images: list[Box]
    # Fonts the parser named only by their resource key ("/F1"): see fonts.py.
    unnamed_fonts: set[str] = field(default_factory=set)
    # Thin vector lines (table borders), filled by rules.py.
    rules: list[Box] = field(default_factory=list)


@lru_cache(maxsize=4096)
def font_is_bold(font: str) -> bool:
    return bool(_BOLD.search(font))


@lru_cache(maxsize=4096)
def font_is_italic(font: str) -> bool:
    return bool(_ITALIC.search(font))


@lru_cache(maxsize=4096)
def font_is_mono(font: str) -> bool:
    return bool(_MONO.search(font))


@lru_cache(maxsize=4096)
def font_is_symbol(font: str) -> bool:
    return bool(_SYMBOL.search(font))


def _top_left_box(rect, page_height: float) -> Box:
    # Read the corners directly: docling's box conversions copy pydantic models, which costs
    # more than the whole reconstruction on a text-heavy page.
    xs = (rect.r_x0, rect.r_x1, rect.r_x2, rect.r_x3)
    ys = (rect.r_y0, rect.r_y1, rect.r_y2, rect.r_y3)
    y0, y1 = min(ys), max(ys)
    if rect.coord_origin.name == "BOTTOMLEFT":
        y0, y1 = page_height - y1, page_height - y0
    return Box(min(xs), y0, max(xs), y1)


def _attach_words(spans: list[Span], words: list[Word]) -> None:
    # Bucket spans by 4pt bands of y so each word checks only its neighbours.
    bands: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        for band in range(int(span.box.y0 // 4), int(span.box.y1 // 4) + 1):
            bands[band].append(span)
    for word in words:
        cx = (word.box.x0 + word.box.x1) / 2
        cy = (word.box.y0 + word.box.y1) / 2
        for span in bands.get(int(cy // 4), ()):
            if span.box.expand(0.5).contains_point(cx, cy):
                span.words.append(word)
                break


def page_text(page_no: int, parsed_page, width: float, height: float) -> PageText:
    """Convert one docling `SegmentedPdfPage` into our light-weight structures."""
    spans: list[Span] = []
    for cell in parsed_page.textline_cells:
        text = cell.text.replace("\u00a0", " ").strip()
        if not text:
            continue
        spans.append(
            Span(
                text=text,
                box=_top_left_box(cell.rect, height),
                font=cell.font_name or "",
                rtl=cell.text_direction.value == "right_to_left",
            )
        )
    words: list[Word] = []
    unnamed: set[str] = set()
    for cell in parsed_page.word_cells:
        if not cell.text.strip():
            continue
        font = cell.font_name or ""
        if font and font == cell.font_key:
            unnamed.add(font)
        words.append(Word(text=cell.text, box=_top_left_box(cell.rect, height), font=font))
    _attach_words(spans, words)
    images = [_top_left_box(bitmap.rect, height) for bitmap in parsed_page.bitmap_resources]
    return PageText(
        page_no=page_no,
        width=width,
        height=height,
        spans=spans,
        images=images,
        unnamed_fonts=unnamed,
    )
