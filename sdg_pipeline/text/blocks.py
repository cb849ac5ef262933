"""Markdown blocks with exact character offsets, from markdown-it-py's token stream.

markdown-it reports each block's line range (`Token.map`); the offsets here are those lines in
the caller's own string, so `markdown[block.start:block.end]` is the block verbatim. A block runs
from the start of its first line (indentation included) to the end of its last non-blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Kinds of top-level block; `parts` of a list or quote use the same kinds plus "list_item".
KINDS = ("heading", "paragraph", "list", "table", "code", "html", "quote", "rule")

# markdown-it counts "\r\n", "\r" and "\n" as line ends, so the offsets must too.
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Block:
    kind: str
    start: int
    end: int
    level: int = 0  # heading level 1-6; nesting depth (1 = outermost) of a list item
    title: str = ""  # heading text, closing #s removed, inline Markdown kept
    # The leaves of a list or block quote in document order. The first leaf of each list item
    # is a "list_item" starting at the item's marker line; later leaves keep their own kind.
    parts: tuple[Block, ...] = ()


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


class _Lines:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.ends: list[int] = []
        for match in _LINE_END.finditer(text):
            self.ends.append(match.start())
            self.starts.append(match.end())
        self.ends.append(len(text))

    def span(self, first: int, stop: int) -> tuple[int, int]:
        """Offsets of lines [first, stop), trailing blank lines dropped."""
        last = min(stop, len(self.ends)) - 1
        while last > first and not self.text[self.starts[last] : self.ends[last]].strip():
            last -= 1
        return self.starts[first], self.ends[last]


_OPEN_KINDS = {
    "paragraph_open": "paragraph",
    "heading_open": "heading",
    "table_open": "table",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "quote",
}
_LEAF_KINDS = {"fence": "code", "code_block": "code", "html_block": "html", "hr": "rule"}


def _closing(tokens: list[Token], index: int) -> int:
    """Index of the token closing the one opened at `index`."""
    depth = 0
    for j in range(index, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _walk(
    tokens: list[Token], lines: _Lines, begin: int, stop: int, depth: int, top: bool
) -> list[Block]:
    """Blocks opened in tokens[begin:stop] at the outermost nesting there; `depth` counts the
    lists around them and `top` says they are not inside any container."""
    blocks: list[Block] = []
    item_start: int | None = None  # marker line of a list item whose first leaf is pending
    i = begin
    while i < stop:
        token = tokens[i]
        if token.type == "list_item_open" and token.map:
            item_start = lines.starts[token.map[0]]
            i += 1
            continue
        kind = _OPEN_KINDS.get(token.type) or _LEAF_KINDS.get(token.type)
        if kind is None or not token.map:
            i += 1
            continue
        start, end = lines.span(*token.map)
        close = _closing(tokens, i) if token.nesting == 1 else i
        if kind in ("list", "quote"):
            inner_depth = depth + 1 if kind == "list" else depth
            parts = tuple(_walk(tokens, lines, i + 1, close, inner_depth, top=False))
            if top:
                blocks.append(Block(kind, start, end, parts=parts))
            else:
                blocks.extend(parts)  # nested containers flatten into the outer one's leaves
        elif kind == "heading":
            title = tokens[i + 1].content.strip() if i + 1 < close else ""
            blocks.append(Block(kind, start, end, level=int(token.tag[1:]), title=title))
        elif item_start is not None and kind == "paragraph":
            blocks.append(Block("list_item", item_start, end, level=depth))
        else:
            blocks.append(Block(kind, start, end))
        item_start = None
        i = close + 1
    return blocks


def parse_blocks(markdown: str) -> list[Block]:
    """The top-level blocks of `markdown`, in order; lists and quotes carry their leaves."""
    tokens = _parser().parse(markdown)
    return _walk(tokens, _Lines(markdown), 0, len(tokens), 0, top=True)


def leaf_blocks(markdown: str) -> list[Block]:
    """Every block that holds no other block, in order: lists and quotes give their parts."""
    return [leaf for block in parse_blocks(markdown) for leaf in (block.parts or (block,))]


def heading_titles(markdown: str) -> list[str]:
    """The text of every heading (ATX or setext) of `markdown`, in order."""
    return [block.title for block in leaf_blocks(markdown) if block.kind == "heading"]
