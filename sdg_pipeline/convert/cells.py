"""Text lines with geometry and font style, read from docling's native page parse.

docling-parse reports text-line cells (good text, with the parser's own spacing) and word
cells (each with its own font). A text line's font is that of its first glyph, so style is
taken from the words inside it: a line is bold when nearly all its letters are. Font size is
not reported, so it is estimated from word heights (see `lines._size`).
All boxes are in points with a top-left origin.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

_BOLD = re.compile(r"bold|black|heavy|semibold|demi|cmbx|sfbx|-bd\b|\+bx", re.IGNORECASE)
_ITALIC = re.compile(r"italic|oblique|cmti|sfti|cmsl|-it\b", re.IGNORECASE)
# "ArialUnicodeMS" is no code font, "Monotype Corsiva" no fixed-pitch one (BeebOPL's guide set
# its prose in Arial Unicode, read 57, and every line became a code block)
_MONO = re.compile(
    r"mono(?!type)|courier|cmtt|sftt|consol|menlo|monaco|typewriter|inconsolata|(?<!uni)code",
    re.IGNORECASE,
)
# Pieces of one parser cell this many word heights apart are in different columns.
GUTTER_EM = 1.0
# A cell this many times taller than its words may hold pieces of several lines.
MERGED_HEIGHT = 1.5
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


def _contains(span: Span, word: Word) -> bool:
    cx = (word.box.x0 + word.box.x1) / 2
    cy = (word.box.y0 + word.box.y1) / 2
    box = span.box
    return box.x0 - 0.5 <= cx <= box.x1 + 0.5 and box.y0 - 0.5 <= cy <= box.y1 + 0.5


def _attach_words(spans: list[Span], words: list[Word]) -> None:
    # Bucket spans by 4pt bands of y so each word checks only its neighbours.
    bands: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        for band in range(int(span.box.y0 // 4), int(span.box.y1 // 4) + 1):
            bands[band].append(span)
    candidates: dict[int, list[Word]] = defaultdict(list)
    homes: list[list[Span]] = []
    for word in words:
        cy = (word.box.y0 + word.box.y1) / 2
        home = [span for span in bands.get(int(cy // 4), ()) if _contains(span, word)]
        for span in home:
            candidates[id(span)].append(word)
        homes.append(home)
    merged = {id(span) for span in spans if _merged_rows(span, candidates[id(span)])}
    for word, home in zip(words, homes, strict=True):
        span = next((span for span in home if id(span) not in merged), None)
        if span is not None:
            span.words.append(word)
    for span in spans:
        if id(span) in merged:
            span.words = candidates[id(span)]


def baseline_rows(items: list[T], box: Callable[[T], Box]) -> list[list[T]]:
    """Items on one baseline grouped, top to bottom.

    An item joins a row it overlaps vertically by half the smaller height, unless it overlaps
    one of the row's items horizontally: text on one baseline never does, and without that
    test a tall heading in one column glued the two lines beside it in the next into a row.
    """
    rows: list[list[T]] = []
    for item in sorted(items, key=lambda it: (box(it).y0 + box(it).y1) / 2):
        b = box(item)
        home = None
        for row in reversed(rows[-4:]):
            boxes = [box(it) for it in row]
            beside = any(
                min(o.y1, b.y1) - max(o.y0, b.y0) >= 0.5 * min(o.height, b.height) for o in boxes
            )
            apart = all(
                min(o.x1, b.x1) - max(o.x0, b.x0) <= 0.3 * min(o.height, b.height) for o in boxes
            )
            if beside and apart:
                home = row
                break
        if home is None:
            rows.append([item])
        else:
            home.append(item)
    return sorted(rows, key=lambda row: min(box(it).y0 for it in row))


def _word_rows(words: list[Word]) -> list[list[Word]]:
    return baseline_rows(words, lambda w: w.box)


def _median_height(words: list[Word]) -> float:
    return sorted(w.box.height for w in words)[len(words) // 2]


def _merged_rows(span: Span, words: list[Word]) -> list[list[Word]] | None:
    """The baselines of a cell taller than its words, over words on several of them (see
    _split_merged); None for any other cell."""
    if span.rtl or len(words) < 2 or span.box.height <= MERGED_HEIGHT * _median_height(words):
        return None
    rows = _word_rows(words)
    return rows if len(rows) > 1 else None


def _text_of(words: list[Word]) -> str:
    height = _median_height(words)
    parts = [words[0].text]
    for prev, word in itertools.pairwise(words):
        parts.append((" " if word.box.x0 - prev.box.x1 > 0.1 * height else "") + word.text)
    return "".join(parts)


def _split_merged(span: Span) -> list[Span]:
    """A cell made of pieces of neighbouring columns, as one span per piece.

    docling-parse joins text runs of neighbouring columns into one cell when their baselines
    are close (columns set a point or two apart): the cell reads "... be able Service. You
    can ..." across the gutter, and its tall box covers the words of the next line. Its words
    (every word under the box) are cut into pieces at baseline changes and gutter-wide gaps;
    the pieces whose text is in the cell's text are the cell's. Only pieces side by side, a
    gutter apart, are split off: the stacked lines of a table header cell stay one cell.
    """
    words = span.words
    rows = _merged_rows(span, words)
    if rows is None:
        return [span]
    height = _median_height(words)
    squeezed = span.text.replace(" ", "")
    pieces: list[list[Word]] = []
    for row in rows:
        row.sort(key=lambda w: w.box.x0)
        piece = [row[0]]
        for prev, word in itertools.pairwise(row):
            if word.box.x0 - prev.box.x1 > GUTTER_EM * height:
                pieces.append(piece)
                piece = []
            piece.append(word)
        pieces.append(piece)
    own = [p for p in pieces if _text_of(p).replace(" ", "") in squeezed]
    covered = sum(len(_text_of(p).replace(" ", "")) for p in own)
    extents = [(min(w.box.x0 for w in p), max(w.box.x1 for w in p)) for p in own]
    side_by_side = all(
        a1 + GUTTER_EM * height <= b0 or b1 + GUTTER_EM * height <= a0
        for (a0, a1), (b0, b1) in itertools.combinations(extents, 2)
    )
    if len(own) < 2 or covered < 0.9 * len(squeezed) or not side_by_side:
        # Not pieces of columns: the cell as the parser gave it, with the words it names.
        span.words = [w for p in own for w in p] or words
        return [span]
    return [span_of_words(piece, span) for piece in own]


# docling-parse writes a glyph it cannot map to Unicode as the hex code of its name
# ("uni2014" -> "2014"): "the programming environment 2014 how they can be used", "the UNIX2020
# environment" (Pike and Kernighan's paper, read 19). Such codes of punctuation and symbols
# collide with years, so a code is read as its character only where four digits could not be:
# a word that is the code alone, in a box too narrow for four of its font's digits, or a code
# glued to a word ("system2014", "2014make", no year is written so) in a box as wide as the
# character, not as the digits.
_GLYPH_CODE = re.compile(
    r"(?<![0-9A-F])(?:00[A-F][0-9A-F]|01[0-7][0-9A-F]|20[1-5][0-9A-F]|21[9A-F][0-9A-F]|"
    r"22[0-9A-F]{2}|25[A-F][0-9A-F])(?![0-9A-F])"
)
_GLUED_CODE = re.compile(r"^[A-Za-z]{3,}(?:20[1-5][0-9A-F])$|^(?:20[1-5][0-9A-F])[a-z]{3,}$")
_EM_WIDTH = {"\u2014": 1.0, "\u2013": 0.5, "\u2026": 1.0}
# Four digits take at least this many glyph-box heights each in a proportional Latin font; an
# em dash set as "2014" in a 10-point line was 0.29.
_MIN_DIGIT_RATIO = 0.35
_ROTATED_RATIO = 0.15


def _estimated_width(text: str, height: float) -> float:
    """A rough advance of `text` in units of the glyph box height (proportional Latin fonts)."""
    total = 0.0
    for char in text:
        if char in _EM_WIDTH:
            total += _EM_WIDTH[char]
        elif char.isupper():
            total += 0.68
        elif char.isalnum():
            total += 0.5
        elif char == " ":
            total += 0.25
        else:
            total += 0.45
    return total * height


def _digit_ratio(word: Word) -> float:
    return word.box.width / (len(word.text) * word.box.height)


def _decoded(word: Word, font_digit_ratio: float | None = None) -> str | None:
    """The word with its glyph code read as the character, or None where it reads as digits.
    `font_digit_ratio`: the median `_digit_ratio` of the page's numbers in the word's font."""
    text = word.text
    if word.box.height <= 0 or not _GLYPH_CODE.search(text):
        return None
    if _GLYPH_CODE.fullmatch(text):
        ratio = _digit_ratio(word)
        # under the lower bound the box is a rotated word's (an arXiv margin's "2021": one
        # glyph wide, four tall), whatever it holds
        if not _ROTATED_RATIO <= ratio < _MIN_DIGIT_RATIO:
            return None
        if font_digit_ratio is not None and ratio >= 0.6 * font_digit_ratio:
            return None
        return chr(int(text, 16))
    if not _GLUED_CODE.match(text):
        return None
    decoded = _GLYPH_CODE.sub(lambda m: chr(int(m.group(0), 16)), text)
    raw_width = _estimated_width(text, word.box.height)
    new_width = _estimated_width(decoded, word.box.height)
    actual = word.box.width
    if abs(actual - new_width) < abs(actual - raw_width) and actual < 0.9 * raw_width:
        return decoded
    # lower case around the code: narrower than the digits is enough
    if re.search(r"[a-z]{3}", text) and actual < raw_width:
        return decoded
    return None


def _decode_glyph_codes(spans: list[Span], words: list[Word]) -> None:
    if not any(_GLYPH_CODE.search(w.text) for w in words):
        return
    # How wide the page's plain numbers ("1984", "37") are in each font
    ratios: dict[str, list[float]] = defaultdict(list)
    for w in words:
        plain = w.text.isdigit() and len(w.text) >= 2 and not _GLYPH_CODE.fullmatch(w.text)
        if plain and w.box.height > 0:
            ratios[w.font].append(_digit_ratio(w))
    typical = {f: sorted(r)[len(r) // 2] for f, r in ratios.items() if len(r) >= 3}
    for span in spans:
        if not _GLYPH_CODE.search(span.text):
            continue
        text, cursor = span.text, 0
        ordered = span.words if span.rtl else sorted(span.words, key=lambda w: w.box.x0)
        for word in ordered:
            at = text.find(word.text, cursor)
            decoded = _decoded(word, typical.get(word.font))
            if decoded is not None:
                if at >= 0:
                    text = text[:at] + decoded + text[at + len(word.text) :]
                word.text = decoded
            if at >= 0:
                cursor = at + len(word.text)
        span.text = text


# Glyphs named by their character code: pdfTeX embeds a METAFONT (bitmap) font as Type 3 with
# glyphs "a97", "a116", ... for the codes 97, 116. docling-parse reads such a name as the
# ZapfDingbats glyph of that name where there is one ("a97" -> "❛") and writes it out where
# there is not, so a manual set in one came out as "❚❤❡ ◆❊❙■❩❊❘ ✐a115" for "The NESIZER is"
# (NESizer2's manual, read 57). The codes are TeX's OT1 text encoding.
_CODE_NAMED = re.compile(r"a(\d{1,3})")
_OT1 = {11: "ff", 12: "fi", 13: "fl", 14: "ffi", 15: "ffl", 34: "\u201d", 92: "\u201c",
        123: "\u2013", 124: "\u2014"}  # fmt: skip
# A font whose words are mostly such glyphs is read so; a dingbat among Latin words is kept.
_CODE_NAMED_SHARE = 0.5


@lru_cache(maxsize=1)
def _dingbat_codes() -> dict[str, int]:
    """ZapfDingbats character -> the code its glyph name "a<code>" stands for, from the glyph
    list docling-parse itself maps with (empty when the package does not ship it)."""
    from importlib import resources

    try:
        table = resources.files("docling_parse") / "pdf_resources/glyphs/standard/zapfdingbats.dat"
        lines = table.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return {}
    codes: dict[str, int] = {}
    for line in lines:
        name, _, value = line.partition(";")
        found = _CODE_NAMED.fullmatch(name.strip())
        if found and value.strip() and int(found.group(1)) < 256:
            codes[chr(int(value.strip().split()[0], 16))] = int(found.group(1))
    return codes


# A glyph standing alone outside the printable codes is no ligature but a symbol font's (TeX's
# OMS: a list's bullet is code 15; NESizer2's Type 3 copy of it is code 136)
_OMS = {0: "\u2212", 1: "\u00b7", 2: "\u00d7", 3: "\u2217", 6: "\u00b1", 14: "\u2218",
        15: "\u2022", 20: "\u2264", 21: "\u2265", 24: "\u223c", 25: "\u2248"}  # fmt: skip


def _code_char(code: int, alone: bool = False) -> str:
    if alone and not 32 <= code < 127:
        return _OMS.get(code, "\u2022")
    return _OT1.get(code, chr(code) if 32 <= code < 127 else "")


def _code_named_share(text: str, dingbats: dict[str, int]) -> float:
    chars = [c for c in _CODE_NAMED.sub("a", text) if not c.isspace()]
    named = len(_CODE_NAMED.findall(text)) + sum(1 for c in text if c in dingbats)
    return named / len(chars) if chars else 0.0


def _read_code_named(text: str, dingbats: dict[str, int]) -> str:
    return re.sub(r"\S+", lambda m: _read_token(m.group(0), dingbats), text)


def _read_token(token: str, dingbats: dict[str, int]) -> str:
    codes = [
        ("a", int(m.group(1))) if m.group(1) else ("c", m.group(2))
        for m in re.finditer(r"a(\d{1,3})|(.)", token, re.DOTALL)
    ]
    glyphs = [dingbats.get(v, v) if kind == "c" else v for kind, v in codes]
    alone = len(glyphs) == 1
    return "".join(
        g if isinstance(g, str) else _code_char(g, alone) if g < 256 else f"a{g}" for g in glyphs
    )


def _reads_as_words(text: str) -> bool:
    """A real dingbat font ("✓", "✔", "➙" in tables and menus) is read as single glyphs that
    decode to no words; a code-named text font decodes to words of letters."""
    # (a contents page's dot leaders are single glyphs too: only words of two or more count)
    words = [t for t in text.split() if len(t) >= 2]
    chars = [c for t in words for c in t]
    if len(words) < 3:
        return False
    return sum(1 for c in chars if c.isalpha()) / len(chars) >= 0.6


def _decode_code_named_glyphs(spans: list[Span], words: list[Word]) -> None:
    dingbats = _dingbat_codes()
    # (a set of the page's characters: this runs on every page)
    if not dingbats or not dingbats.keys() & set("".join(w.text for w in words)):
        return
    by_font: dict[str, list[str]] = defaultdict(list)
    for word in words:
        by_font[word.font].append(word.text)
    # per font: its share of code-named glyphs, its text read so, whether it writes a name out
    # ("a116" is no ZapfDingbats glyph: such a font names glyphs by code)
    seen = {
        font: (
            _code_named_share(" ".join(texts), dingbats),
            _read_code_named(" ".join(texts), dingbats),
            any(_CODE_NAMED.search(t) for t in texts),
        )
        for font, texts in by_font.items()
    }
    fonts = {
        font
        for font, (share, read, written_out) in seen.items()
        if share >= _CODE_NAMED_SHARE and (written_out or _reads_as_words(read))
    }
    if not fonts:
        return
    # The page's other fonts of the same making: a title's two words ("❚❤❡ ◆❊❙■❩❊❘" for "The
    # NESIZER") are too few to tell by themselves
    fonts |= {
        font
        for font, (share, read, _) in seen.items()
        if share >= 0.9 and any(c.isalpha() for c in read)
    }
    for word in words:
        if word.font in fonts:
            word.text = _read_code_named(word.text, dingbats)
    for span in spans:
        if span.font in fonts or any(w.font in fonts for w in span.words):
            span.text = _read_code_named(span.text, dingbats)


def span_of_words(words: list[Word], like: Span) -> Span:
    """A span holding `words` (left to right), its text rebuilt from them."""
    words = sorted(words, key=lambda w: w.box.x0)
    box = words[0].box
    for word in words[1:]:
        box = box.union(word.box)
    return Span(
        text=_text_of(words), box=box, font=words[0].font or like.font, rtl=like.rtl, words=words
    )


# Word (via macOS Quartz) can draw the gap between two words as a tab, a carriage return and a
# no-break space ("While\t\r \xa0Avro"), and a hyphen as hyphen, soft hyphen, hyphen
# ("record-\xad-level"): one space and one hyphen is what the page shows.
_DRAWN_SPACE = re.compile(r"[ \u00a0]*[\t\r\n\x0b\x0c][\s\u00a0]*|\u00a0")
_DRAWN_HYPHEN = re.compile(r"[-\u2010]\u00ad[-\u2010]")


def _as_drawn(text: str) -> str:
    return _DRAWN_HYPHEN.sub("-", _DRAWN_SPACE.sub(" ", text))


def page_text(page_no: int, parsed_page, width: float, height: float) -> PageText:
    """Convert one docling `SegmentedPdfPage` into our light-weight structures."""
    spans: list[Span] = []
    for cell in parsed_page.textline_cells:
        text = _as_drawn(cell.text).strip()
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
        words.append(
            Word(text=_as_drawn(cell.text), box=_top_left_box(cell.rect, height), font=font)
        )
    _attach_words(spans, words)
    _decode_glyph_codes(spans, words)
    _decode_code_named_glyphs(spans, words)
    spans = [piece for span in spans for piece in _split_merged(span)]
    images = [_top_left_box(bitmap.rect, height) for bitmap in parsed_page.bitmap_resources]
    return PageText(
        page_no=page_no,
        width=width,
        height=height,
        spans=spans,
        images=images,
        unnamed_fonts=unnamed,
    )
