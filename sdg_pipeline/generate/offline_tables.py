"""Questions drawn from a chunk's pipe tables: one cell per question, named by row and column.

A table needs a header row above its separator and a key column whose values name the rows
(two key columns when the first repeats); multi-level headers repeated as body rows are folded
into the header. At most a few rows are asked, spread over the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sdg_pipeline.generate.offline_phrasing import finish_question, np_for_question
from sdg_pipeline.generate.offline_reading import (
    Candidate,
    ChunkBlock,
    ChunkContext,
    clean_inline,
    section_name,
)

_MAX_TABLE_ROWS_ASKED = 3


_SEPARATOR_CELL = re.compile(r"^\s*:?-+:?\s*$")
_CAPTION = re.compile(r"^(?:table|tab\.)\s*[\dIVX]+[.:]?\s*", re.IGNORECASE)


def _split_row(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", body)]


def _cell_text(cell: str) -> str:
    return clean_inline(cell.replace("\\|", "/"))


def _table_topic(
    block: ChunkBlock, previous: ChunkBlock | None, context: ChunkContext
) -> str | None:
    if previous is not None and previous.kind == "paragraph":
        caption = clean_inline(previous.raw)
        if _CAPTION.match(caption):
            clause = re.split(r"[.;:,](?:\s|$)", _CAPTION.sub("", caption), maxsplit=1)[0]
            clause = re.sub(r"\s*\[\d+(?:,\s*\d+)*\]", "", clause).strip()
            if 1 <= len(clause.split()) <= 10:
                return clause
    return section_name(block.heading) or context.doc_topic


def table_candidates(context: ChunkContext) -> Iterator[Candidate]:
    previous: ChunkBlock | None = None
    for block in context.blocks:
        if block.kind == "table":
            yield from _one_table(block, previous, context)
        previous = block


def _one_table(
    block: ChunkBlock, previous: ChunkBlock | None, context: ChunkContext
) -> Iterator[Candidate]:
    raw_lines = [line for line in block.raw.splitlines() if line.strip()]
    rows = [_split_row(line) for line in raw_lines]
    sep_index = next(
        (i for i, row in enumerate(rows) if row and all(_SEPARATOR_CELL.match(c) for c in row)),
        None,
    )
    if sep_index is None or sep_index == 0:
        return
    header = [_cell_text(c) for c in rows[sep_index - 1]]
    body = [
        (raw_lines[i], [_cell_text(c) for c in rows[i]]) for i in range(sep_index + 1, len(rows))
    ]
    # Docling repeats multi-level headers as body rows starting with the same key header.
    while body and body[0][1] and header and body[0][1][0] == header[0]:
        extra = body.pop(0)[1]
        header = [
            h if i >= len(extra) or extra[i] == h or not extra[i] else f"{h} {extra[i]}".strip()
            for i, h in enumerate(header)
        ]
    body = [(line, cells) for line, cells in body if len(cells) == len(header) and cells[0]]
    if len(header) < 2 or not body:
        return
    headers = [re.sub(r"^#\s*", "", h).strip() for h in header]
    keys = [cells[0] for _, cells in body]
    key_columns = 1
    if len(set(keys)) != len(keys) and len(headers) > 2:
        pairs = [(cells[0], cells[1]) for _, cells in body]
        if len(set(pairs)) != len(pairs):
            return
        key_columns = 2
    elif len(set(keys)) != len(keys):
        return
    topic = _table_topic(block, previous, context)
    value_columns = [
        i for i in range(key_columns, len(headers)) if headers[i] and headers.count(headers[i]) == 1
    ]
    if not value_columns:
        return
    picks = sorted({0, len(body) // 2, len(body) - 1})[:_MAX_TABLE_ROWS_ASKED]
    for n, row_index in enumerate(picks):
        line, cells = body[row_index]
        column = value_columns[n % len(value_columns)]
        value = cells[column]
        if not value or _SEPARATOR_CELL.match(value) or value in ("-", "–", "—", "n/a", "N/A"):
            continue
        key_parts = []
        for k in range(key_columns):
            cell = cells[k]
            # A bare number or code is no name: say which column it belongs to.
            named = not re.search(r"[A-Za-z]{3,}", cell) or key_columns > 1
            key_parts.append(f"{headers[k]} {cell}" if named and headers[k] else cell)
        key = " and ".join(key_parts)
        column_name = headers[column]
        shown_column = np_for_question(column_name, context)
        article = "" if shown_column.lower().startswith("the ") else "the "
        question = f"What is {article}{shown_column} for {key}"
        if topic:
            question += f" in {topic}"
        answer = f"{article}{shown_column} for {key} is {value}."
        answer = answer[:1].upper() + answer[1:]
        yield Candidate("table", finish_question(question), answer, line)
