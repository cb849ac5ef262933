"""Markdown from blocks, with the offset where each page begins.

Page boundaries are not written into the text (a marker would leak into chunks and training
data); `page_starts[i]` is the offset of page i+1's first character instead.
"""

from __future__ import annotations

import re

from sdg_pipeline.convert.layout import Block
from sdg_pipeline.convert.table_header import shape_header

_NEEDS_ESCAPE = re.compile(r"^(#{1,6}\s|>|[-+*]\s|\d{1,9}[.)]\s|\||```|={3,}|-{3,})")


def _escape_start(text: str) -> str:
    # Running text that happens to begin like Markdown syntax must stay running text.
    return "\\" + text if _NEEDS_ESCAPE.match(text) else text


def table_markdown(grid: list[list[str]]) -> str:
    grid = shape_header(grid)
    width = max(len(row) for row in grid)
    rows = [
        [cell.replace("|", "\\|").strip() for cell in row] + [""] * (width - len(row))
        for row in grid
    ]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(["---"] * width) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _render(block: Block) -> tuple[str, int]:
    """Markdown of one block and the offset of the block's own text within it."""
    if block.kind == "heading":
        prefix = "#" * max(block.level, 1) + " "
        return prefix + block.text, len(prefix)
    if block.kind == "list_item":
        prefix = "    " * block.level + block.marker + " "
        return prefix + block.text, len(prefix)
    if block.kind == "code":
        return "```\n" + block.text + "\n```", 4
    if block.kind == "table" and block.table is not None:
        if block.table.grid:
            return table_markdown(block.table.grid), 0
        # Not a clean grid: keep the region's lines together as one block.
        return "\n".join(ln.text for ln in block.table.lines), 0
    text = _escape_start(block.text)
    return text, len(text) - len(block.text)


def render(blocks: list[Block], page_count: int) -> tuple[str, list[int]]:
    parts: list[str] = []
    offset = 0
    page_starts: list[int] = []
    previous: Block | None = None
    for block in blocks:
        text, inner = _render(block)
        if not text.strip():
            continue
        if previous is not None:
            tight = previous.kind == "list_item" and block.kind == "list_item"
            separator = "\n" if tight else "\n\n"
            parts.append(separator)
            offset += len(separator)
        while len(page_starts) < block.page_no:
            page_starts.append(offset)
        for index, page_no in block.page_breaks:
            while len(page_starts) < page_no:
                page_starts.append(offset + inner + index)
        parts.append(text)
        offset += len(text)
        previous = block
    markdown = "".join(parts)
    while len(page_starts) < page_count:
        page_starts.append(len(markdown))
    return markdown, page_starts[: max(page_count, 1)] or [0]
