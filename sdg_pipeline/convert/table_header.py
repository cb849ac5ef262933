"""Which top rows of a table are its header, and one header row made of them.

Markdown has one header row, so a table whose header takes two or three rows ("Accidental
deaths" over "Incidence | Rate") would otherwise keep its first row as header and the rest as
data, and a table that starts with data would get a data row as its header. Header rows are
the leading rows whose cells are words, not figures; a unit row ("£'000", "%", "In millions
of CHF") belongs to the header too. Rows are only merged when figures below tell the header
from the body; a table of words keeps its first row as the header. Header rows merge per
column, top to bottom; in a header of up to three rows a label of the upper row is carried over the
empty cells to its right that have a label below (a spanning group header). A table without
header rows gets an empty one, so its first data row stays data.
"""

from __future__ import annotations

import re

MAX_HEADER_ROWS = 8

_NUMBER = re.compile(
    r"^[(\[]?[-+–−]?\s*[£$€¥]?\s*\d[\d,.\s]*(?:%|bn|m|k)?[)\]]?[*†‡]?$|^[-–—]$|^n/?a$",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    r"^(?:(?:fy|q[1-4]|h[12])\s*)?(?:19|20)\d{2}(?:\s*[/-]\s*\d{2,4})?$|^(?:fy|q[1-4]|h[12])\s*\d{2}$",
    re.IGNORECASE,
)
_UNIT = re.compile(
    r"^[(\[]?\s*(?:in\s+)?(?:[£$€¥]\s*'?\s*0{3}s?|[£$€¥]\s*(?:m|bn|k)|%|"
    r"(?:[a-z]{3}\s*)?(?:thousands?|millions?|billions?)(?:\s+of\s+[a-z£$€]+)?|"
    r"units?|pp|bps)\s*[)\]]?$",
    re.IGNORECASE,
)


def _kind(cell: str) -> str:
    text = cell.strip()
    if not text:
        return "empty"
    if _UNIT.match(text):
        return "unit"
    if _NUMBER.match(text):
        return "number"
    return "text"


def header_row_count(grid: list[list[str]]) -> int:
    count = 0
    for row in grid[: MAX_HEADER_ROWS + 1]:
        kinds = [_kind(cell) for cell in row]
        filled = [k for k in kinds if k != "empty"]
        if not filled or count >= MAX_HEADER_ROWS or count >= len(grid) - 1:
            break
        # A row with a label and figures is data; a header holds (almost) no figures, but may
        # name periods ("2022 | 2023" under "Revenue", its first cell empty).
        if _figures(row) and not _period_row(row):
            break
        count += 1
    if count > 1 and not any(_figures(row) for row in grid[count:]):
        # All words: nothing tells header from body, so only the first row is the header.
        return 1
    return count


def _period_row(row: list[str]) -> bool:
    filled = [cell.strip() for cell in row if cell.strip()]
    return bool(filled) and not row[0].strip() and all(_PERIOD.match(c) for c in filled)


def _figures(row: list[str]) -> bool:
    filled = [k for k in map(_kind, row) if k != "empty"]
    return bool(filled) and sum(1 for k in filled if k == "number") * 3 > len(filled)


def shape_header(grid: list[list[str]]) -> list[list[str]]:
    """The grid with its header rows merged into the first row (or an empty one added)."""
    if len(grid) < 2:
        return grid
    width = max(len(row) for row in grid)
    rows = [list(row) + [""] * (width - len(row)) for row in grid]
    count = header_row_count(rows)
    if count == 0:
        return [[""] * width, *rows]
    if count == 1:
        return rows
    header = [list(row) for row in rows[:count]]
    # Group labels span to the right only in headers of up to three rows (group, period, unit);
    # deeper stacks are mostly fragments of wrapped or rotated header text, where carrying a
    # label over would repeat it.
    for r in range(count - 1 if count <= 3 else 0):
        label = ""
        for c in range(width):
            if header[r][c].strip():
                label = header[r][c]
            elif label and any(header[below][c].strip() for below in range(r + 1, count)):
                header[r][c] = label
            else:
                label = ""
    merged = []
    for c in range(width):
        parts: list[str] = []
        for r in range(count):
            part = header[r][c].strip()
            if part and part not in parts:
                parts.append(part)
        merged.append(" ".join(parts))
    return [merged, *rows[count:]]
