"""Blocks from lines: paragraphs, headings, list items, code, captions and tables.

Lines of one column run are read top to bottom. A paragraph ends at extra vertical space, a
first-line indent, a change of font size, or a line that stops short after a sentence end
although the next word would have fitted. Headings stand out from body text by size, weight
or slant (or carry multi-level numbering) and are short. List items start with a bullet glyph
(whatever symbol the font uses) or an enumerator and continue on hanging-indented lines.
A paragraph cut by a column or page break is joined again when the next part starts in
lower case.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

from sdg_pipeline.convert.cells import font_is_bold
from sdg_pipeline.convert.lines import Line
from sdg_pipeline.convert.stats import BodyStyle
from sdg_pipeline.convert.tables import Table

_SENTENCE_END = re.compile(r"[.!?:;…。؟!?\"”’)\]]$")
_TERMINAL = re.compile(r"[.!?:…。؟]$")
_BULLET = re.compile(r"^([^\w\s(\[{\"'“‘«$€£#@&%/\\<>=+^~`|.,;:!?])\s+(?=\S)")
_ENUMERATOR = re.compile(
    # "(a)Text": a bracketed label whose tab the text layer lost still opens an item.
    r"^(\(?(\d{1,3}|[a-z]|[ivx]{1,4})[.)])(?:\s+(?=\S)|(?<=\))(?=[A-Z]))",
    re.IGNORECASE,
)
_NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)+)\.?\s+\S")
_SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
_CAPTION = re.compile(
    r"^(fig\.?|figure|table|tab\.|listing|algorithm|chart|exhibit|scheme|plate|photo|image)"
    r"\s*[\dIVXivx]+[\d\-–.:]*",
    re.IGNORECASE,
)
MAX_HEADING_CHARS = 150
MAX_HEADING_WORDS = 20
MAX_LEAD_IN_LINES = 3  # a bold lead-in runs over at most this many lines


@dataclass
class Block:
    kind: str  # heading | paragraph | caption | list_item | code | table
    text: str
    page_no: int
    group: int  # column run; a break between runs is a column or page break
    level: int = 0  # heading level, or list nesting depth
    marker: str = ""  # list marker as printed: "-" or "3."
    table: Table | None = None
    lines: list[Line] = field(default_factory=list)
    page_breaks: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page)

    @property
    def first(self) -> Line:
        return self.lines[0]


def join_text(left: str, right: str) -> tuple[str, int]:
    """Join two line texts, undoing end-of-line hyphenation; returns text and right's offset."""
    if len(left) >= 2 and left.endswith("-") and left[-2].isalpha() and right[:1].islower():
        return left[:-1] + right, len(left) - 1
    return left + " " + right, len(left) + 1


def list_marker(text: str, glyph_marker: bool = False) -> tuple[str, str] | None:
    """(marker, rest) when the line opens a list item."""
    match = _BULLET.match(text)
    if match:
        return "-", text[match.end() :]
    if glyph_marker and len(text) > 2 and text[1] == " ":
        return "-", text[2:]
    match = _ENUMERATOR.match(text)
    if match:
        label = match.group(1)
        number = label.strip("().")
        rest = text[match.end() :]
        if number.isdigit():
            return f"{number}.", rest
        if rest.isupper():  # "A. PURPOSE": a lettered section label, kept as printed
            return label, rest
        # Markdown numbers lists with digits only: a lettered or roman item is a bullet that
        # keeps its label ("- b) ...").
        return "-", f"{label} {rest}"
    return None


def is_caption(text: str) -> bool:
    return bool(_CAPTION.match(text))


class _Builder:
    def __init__(self, body: BodyStyle, line_gap: float) -> None:
        self.body = body
        self.line_gap = line_gap
        self.blocks: list[Block] = []

    def styled(self, line: Line) -> bool:
        body = self.body
        if line.size >= body.size * 1.15:
            return True
        if line.bold and not body.bold:
            return True
        return line.italic and not body.italic and line.font != body.font

    def classify(self, line: Line) -> str:
        if line.mono:
            return "code"
        numbered_heading = self.styled(line) and _SECTION_NUMBER.match(line.text)
        if list_marker(line.text, line.glyph_marker) and not numbered_heading:
            return "bullet"
        short = len(line.text) <= MAX_HEADING_CHARS and any(c.isalpha() for c in line.text)
        if short and not is_caption(line.text):
            if self.styled(line):
                return "heading"
            if (
                _NUMBERED_HEADING.match(line.text)
                and not _TERMINAL.search(line.text)
                and len(line.text.split()) <= MAX_HEADING_WORDS
            ):
                return "heading"
        return "text"

    def run(self, items: list[Line | Table], page_no: int, group: int) -> None:
        lines = [it for it in items if isinstance(it, Line)]
        if lines:
            left = statistics.median_low(sorted(ln.box.x0 for ln in lines))
            right = max(ln.box.x1 for ln in lines)
            left = min(left, min(ln.box.x0 for ln in lines))
        current: Block | None = None
        prev: Line | None = None
        for index, item in enumerate(items):
            if isinstance(item, Table):
                self._close(current)
                current, prev = None, None
                self.blocks.append(
                    Block(kind="table", text="", page_no=page_no, group=group, table=item)
                )
                continue
            kind = self.classify(item)
            if (
                kind in ("heading", "bullet")
                and current is not None
                and current.kind == "paragraph"
                and prev is not None
                and self._wraps_into(prev, item, left, right, allow_slanted=True)
            ):
                # A number that merely begins a wrapped line ("... hulls from / 8.0 to 9.5
                # metres") is running text, not a section heading or an enumerator.
                kind = "text"
            following = items[index + 1] if index + 1 < len(items) else None
            if kind == "heading" and self._run_in(item, items[index + 1 :]):
                # A bold lead-in that the paragraph's text follows on its line ("... amount
                # decreased. The AMT ...") is the paragraph's start, not a heading.
                kind = "text"
            if (
                kind == "heading"
                and not self.styled(item)
                and isinstance(following, Line)
                and self._wraps_into(item, following, left, right)
            ):
                # Numbering alone makes a heading only of a line that stands alone; one that
                # runs to the margin and wraps on opens a numbered paragraph.
                kind = "text"
            if (
                current is not None
                and prev is not None
                and self._continues(current, prev, item, kind, left, right)
            ):
                current.text, _ = (
                    (current.text + "\n" + self._code_line(item, current), 0)
                    if current.kind == "code"
                    else join_text(current.text, item.text)
                )
                current.lines.append(item)
            else:
                self._close(current)
                current = self._open(item, kind, page_no, group)
            prev = item
        self._close(current)

    def _run_in(self, line: Line, following: list[Line | Table]) -> bool:
        """`line` is a bold lead-in: at body size, and it ends in regular text, or its bold
        text wraps over up to two more lines into one that does."""
        if line.size >= self.body.size * 1.15 or not line.bold or self.body.bold:
            return False
        prev = line
        for item in [line, *following[: MAX_LEAD_IN_LINES - 1]]:
            if not isinstance(item, Line) or not _starts_bold(item):
                return False
            if item is not line and (
                item.box.y0 - prev.box.y1 > self.line_gap + 0.35 * item.size
                or _TERMINAL.search(prev.text)
            ):
                return False
            if _ends_regular(item):
                return True
            prev = item
        return False

    def _open(self, line: Line, kind: str, page_no: int, group: int) -> Block:
        if kind == "bullet":
            marker, rest = list_marker(line.text, line.glyph_marker) or ("-", "")
            return Block("list_item", rest, page_no, group, marker=marker, lines=[line])
        if kind == "code":
            block = Block("code", "", page_no, group, lines=[line])
            block.text = self._code_line(line, block)
            return block
        return Block(
            "heading" if kind == "heading" else "paragraph", line.text, page_no, group, lines=[line]
        )

    @staticmethod
    def _code_line(line: Line, block: Block) -> str:
        left = min(ln.box.x0 for ln in [*block.lines, line])
        char_width = max(line.box.width / max(len(line.text), 1), 1.0)
        return " " * round((line.box.x0 - left) / char_width) + line.text

    def _close(self, block: Block | None) -> None:
        if block is None:
            return
        if block.kind == "heading":
            text = block.text
            if (re.search(r"[.,;:]$", text) and not _NUMBERED_HEADING.match(text)) or len(
                text.split()
            ) > MAX_HEADING_WORDS:
                block.kind = "paragraph"
        if block.kind == "paragraph" and is_caption(block.text):
            block.kind = "caption"
        self.blocks.append(block)

    def _continues(
        self, block: Block, prev: Line, line: Line, kind: str, left: float, right: float
    ) -> bool:
        size = max(prev.size, line.size)
        gap = line.box.y0 - prev.box.y1
        if block.kind == "code":
            return kind == "code" and gap <= 2.0 * size
        if kind == "code" or kind == "bullet":
            return False
        if gap > max(self.line_gap * 1.8, self.line_gap + 0.35 * size):
            return False
        if block.kind == "heading":
            same = line.size == prev.size and line.bold == prev.bold
            return kind == "heading" and same and len(block.lines) < 3
        if kind == "heading":
            return False
        if abs(line.size - prev.size) > 0.15 * prev.size:
            return False
        if self._forced_break(prev, line, left, right):
            return False
        if block.kind == "list_item":
            bullet_x = block.first.box.x0
            if line.box.x0 > bullet_x - 0.3 * size:
                return True
            # An item set as an indented paragraph ("1. The specific compensation or the /
            # specific fringe benefit ...") wraps back to the margin mid-sentence.
            return (
                not _SENTENCE_END.search(prev.text)
                and not self._room_for(prev, line, left, right)
                and line.box.x0 >= left - 0.3 * size
            )
        # A first-line indent opens a new paragraph.
        if not line.rtl and line.box.x0 - prev.box.x0 > 0.8 * size:
            return False
        return not (line.rtl and prev.box.x1 - line.box.x1 > 0.8 * size)

    def _only_slanted(self, line: Line) -> bool:
        """Styled by slant alone: an italic phrase (a title cited in the text) may fill a
        wrapped line of a paragraph."""
        return (
            self.styled(line)
            and not line.bold
            and line.size < self.body.size * 1.15
            and not _SECTION_NUMBER.match(line.text)
        )

    def _wraps_into(
        self, prev: Line, line: Line, left: float, right: float, allow_slanted: bool = False
    ) -> bool:
        """`line` carries on the sentence of `prev`: same style (or, with `allow_slanted`, only
        slanted) and left edge, and `prev` ran to the margin without ending a sentence, so
        its last word had to wrap."""
        if line.glyph_marker or _BULLET.match(line.text):
            return False
        if self.styled(line) and not (allow_slanted and self._only_slanted(line)):
            return False
        if _SENTENCE_END.search(prev.text) or abs(line.size - prev.size) > 0.15 * prev.size:
            return False
        size = max(prev.size, line.size)
        if line.rtl:
            return abs(line.box.x1 - prev.box.x1) <= 0.3 * size and not self._room_for(
                prev, line, left, right
            )
        return abs(line.box.x0 - prev.box.x0) <= 0.3 * size and not self._room_for(
            prev, line, left, right
        )

    @staticmethod
    def _room_for(prev: Line, line: Line, left: float, right: float) -> bool:
        """The first word of `line` would have fitted at the end of `prev`."""
        first_word = line.text.split(" ", 1)[0]
        char_width = line.box.width / max(len(line.text), 1)
        needed = (len(first_word) + 1) * char_width + prev.size
        room = (prev.box.x0 - left) if prev.rtl else (right - prev.box.x1)
        return room > needed

    @staticmethod
    def _forced_break(prev: Line, line: Line, left: float, right: float) -> bool:
        """The previous line ended a sentence and stopped short although the next word fit."""
        if not _SENTENCE_END.search(prev.text):
            return False
        return _Builder._room_for(prev, line, left, right)


def _words(line: Line) -> list:
    return sorted((w for s in line.spans for w in s.words), key=lambda w: w.box.x0)


def _ends_regular(line: Line) -> bool:
    words = [w for w in _words(line) if any(c.isalnum() for c in w.text)]
    return len(words) >= 2 and font_is_bold(words[0].font) and not font_is_bold(words[-1].font)


def _starts_bold(line: Line) -> bool:
    words = [w for w in _words(line) if any(c.isalnum() for c in w.text)]
    return bool(words) and font_is_bold(words[0].font)


def build_blocks(
    runs: list[tuple[int, list[Line | Table]]], body: BodyStyle, line_gap: float
) -> list[Block]:
    """Blocks of the whole document from its column runs (page number, items top to bottom)."""
    builder = _Builder(body, line_gap)
    for group, (page_no, items) in enumerate(runs):
        builder.run(items, page_no, group)
    blocks = _join_continuations(builder.blocks)
    _assign_heading_levels(blocks)
    _assign_list_nesting(blocks)
    return blocks


def typical_line_gap(runs: list[tuple[int, list[Line | Table]]], body: BodyStyle) -> float:
    gaps = []
    for _, items in runs:
        lines = [it for it in items if isinstance(it, Line) and abs(it.size - body.size) < 0.6]
        for a, b in itertools.pairwise(lines):
            gap = b.box.y0 - a.box.y1
            if -0.5 * body.size < gap < 1.5 * body.size:
                gaps.append(gap)
    return max(statistics.median(gaps), 0.5) if gaps else 0.4 * body.size


def _join_continuations(blocks: list[Block]) -> list[Block]:
    """Re-join a paragraph or list item split by a column or page break."""
    out: list[Block] = []
    for block in blocks:
        # "Setting of ambient, mesh and iteration pa-" / "rameters" (RANSFOIL's guide, read
        # 23): a heading hyphenated over two lines came apart, and its tail named a section
        if (
            block.kind == "heading"
            and block.text[:1].islower()
            and out
            and out[-1].kind == "heading"
            and out[-1].page_no == block.page_no
            and re.search(r"[^\W\d_]-$", out[-1].text)
        ):
            out[-1].text, _ = join_text(out[-1].text, block.text)
            out[-1].lines.extend(block.lines)
            continue
        if block.kind == "paragraph" and block.text[:1].islower():
            target = _open_predecessor(out, block.group)
            if target is not None:
                target.text, offset = join_text(target.text, block.text)
                if block.page_no != target.page_no:
                    target.page_breaks.append((offset, block.page_no))
                target.page_breaks.extend((offset + o, p) for o, p in block.page_breaks)
                target.lines.extend(block.lines)
                continue
        out.append(block)
    return out


def _open_predecessor(blocks: list[Block], group: int) -> Block | None:
    # Only a block from an earlier column run, looking past captions floated between.
    for block in reversed(blocks):
        if block.kind == "caption":
            continue
        if block.group == group:
            return None
        if block.kind in ("paragraph", "list_item") and not _TERMINAL.search(block.text):
            return block
        return None
    return None


def _heading_style(block: Block) -> tuple[float, bool]:
    return round(block.first.size * 2) / 2, block.first.bold


def _assign_heading_levels(blocks: list[Block]) -> None:
    """Levels from numbering depth ("1." -> 2, "2.1" -> 3), else from style rank.

    The document title is level 1: the first heading, unnumbered, on the first page, and the
    only one set in the largest heading style. Other unnumbered styles rank from level 2 down,
    so a title never shares its level with the sections below it.
    """
    headings = [b for b in blocks if b.kind == "heading"]
    if not headings:
        return
    styles = sorted({_heading_style(b) for b in headings}, reverse=True)
    first = headings[0]
    title = (
        first.page_no == min(b.page_no for b in blocks)
        and not _SECTION_NUMBER.match(first.text)
        and _heading_style(first) == styles[0]
        and sum(1 for b in headings if _heading_style(b) == styles[0]) == 1
        and len(headings) > 1
    )
    if title:
        styles = styles[1:]
    rank = {style: i for i, style in enumerate(styles)}
    for block in headings:
        number = _SECTION_NUMBER.match(block.text)
        if title and block is first:
            block.level = 1
        elif number and len(number.group(1)) <= 8:
            block.level = min(1 + number.group(1).count(".") + 1, 6)
        else:
            block.level = min(2 + rank[_heading_style(block)], 4)


def _assign_list_nesting(blocks: list[Block]) -> None:
    stack: list[float] = []
    previous_was_item = False
    for block in blocks:
        if block.kind != "list_item":
            previous_was_item = False
            stack = []
            continue
        x0 = block.first.box.x0
        if not previous_was_item:
            stack = [x0]
        else:
            while stack and x0 < stack[-1] - 2.0:
                stack.pop()
            if not stack or x0 > stack[-1] + 2.0:
                stack.append(x0)
        block.level = max(len(stack) - 1, 0)
        previous_was_item = True
