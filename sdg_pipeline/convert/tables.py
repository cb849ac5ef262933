"""Tables rebuilt from column-aligned text, without a table model.

A row of a table shows up as several short pieces of text on one baseline, or as one parser
line with wide internal gaps between its words. Three or more such rows in a run make a table
region, unless most of its lines are running text (multi-column prose). Its words are then
split into columns at vertical strips of white space and into rows
by baseline. When that grid is not convincing the region is still kept together as one block,
so a table is never smeared across paragraphs.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from dataclasses import dataclass

from sdg_pipeline.convert.cells import Box, Word
from sdg_pipeline.convert.lines import Line

CELL_GAP_EM = 1.2  # a word gap this wide inside one parser line separates table cells
MAX_CELL_CHARS = 40
MIN_ROWS = 3
PROSE_WORDS = 4  # a line of this many words, mostly letters, is running text
PROSE_SHARE = 0.5  # a region with this share of such lines is columns of prose


@dataclass
class Table:
    page_no: int
    box: Box
    lines: list[Line]
    grid: list[list[str]] | None  # None: not a clean grid, render the lines as one block


def _wide_gaps(line: Line) -> int:
    words = sorted((w for s in line.spans for w in s.words), key=lambda w: w.box.x0)
    return sum(
        1 for a, b in itertools.pairwise(words) if b.box.x0 - a.box.x1 > CELL_GAP_EM * line.size
    )


def _tabular_row(row: list[Line], content_width: float) -> bool:
    if any(_wide_gaps(line) >= 2 for line in row):
        return True
    if len(row) < 2:
        return False
    short = [ln for ln in row if ln.chars <= MAX_CELL_CHARS and ln.box.width < 0.3 * content_width]
    # Two or three columns of running text are long lines; table cells are short.
    return len(short) >= 2 and (len(short) == len(row) or (len(row) >= 3 and len(short) >= 3))


def find_tables(page_no: int, lines: list[Line]) -> tuple[list[Table], list[Line]]:
    """Split a page's lines into table regions and the remaining lines."""
    if len(lines) < MIN_ROWS * 2:
        return [], lines
    content_width = max(ln.box.x1 for ln in lines) - min(ln.box.x0 for ln in lines)
    by_row: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        by_row[line.row].append(line)
    rows = sorted(by_row.values(), key=lambda r: min(ln.box.y0 for ln in r))
    flags = [_tabular_row(r, content_width) for r in rows]

    regions: list[list[list[Line]]] = []
    current: list[list[Line]] = []
    for row, flag in zip(rows, flags, strict=False):
        if flag:
            if current and _row_gap(current[-1], row) > 2.5 * _row_size(row):
                regions.append(current)
                current = []
            current.append(row)
        else:
            if current:
                regions.append(current)
            current = []
    if current:
        regions.append(current)

    tables: list[Table] = []
    used: set[int] = set()
    for region in regions:
        if len(region) < MIN_ROWS:
            continue
        box = region[0][0].box
        for row in region:
            for line in row:
                box = box.union(line.box)
        members = [
            ln
            for ln in lines
            if box.contains_point((ln.box.x0 + ln.box.x1) / 2, (ln.box.y0 + ln.box.y1) / 2)
        ]
        if _prose(members):
            continue
        used.update(id(ln) for ln in members)
        tables.append(Table(page_no=page_no, box=box, lines=members, grid=_grid(members)))
    return tables, [ln for ln in lines if id(ln) not in used]


def _prose(lines: list[Line]) -> bool:
    """Columns of running text: most lines are several words of letters (a newspaper-style
    page of three narrow columns has the short, gap-separated lines of a table)."""
    wordy = 0
    for line in lines:
        tokens = line.text.split()
        letters = sum(1 for t in tokens if sum(c.isalpha() for c in t) >= max(1, len(t) // 2))
        if len(tokens) >= PROSE_WORDS and letters >= 0.75 * len(tokens):
            wordy += 1
    return wordy >= PROSE_SHARE * len(lines)


def _row_gap(upper: list[Line], lower: list[Line]) -> float:
    return min(ln.box.y0 for ln in lower) - max(ln.box.y1 for ln in upper)


def _row_size(row: list[Line]) -> float:
    return statistics.median(ln.size for ln in row)


def _grid(lines: list[Line]) -> list[list[str]] | None:
    words: list[Word] = [w for ln in lines for s in ln.spans for w in s.words]
    if len(words) < 4:
        return None
    size = statistics.median(ln.size for ln in lines)
    columns = _columns(words, gap=0.5 * size)
    if len(columns) < 2:
        return None
    rows = _baselines(words, tolerance=0.45 * size)
    if len(rows) < 2:
        return None
    grid: list[list[str]] = []
    filled_columns: list[set[int]] = []
    for row in rows:
        cells: list[list[Word]] = [[] for _ in columns]
        for word in row:
            cx = (word.box.x0 + word.box.x1) / 2
            index = min(
                range(len(columns)),
                key=lambda i: (
                    0
                    if columns[i][0] <= cx <= columns[i][1]
                    else min(abs(cx - columns[i][0]), abs(cx - columns[i][1]))
                ),
            )
            cells[index].append(word)
        texts = [" ".join(w.text for w in sorted(c, key=lambda w: w.box.x0)) for c in cells]
        columns_used = {i for i, text in enumerate(texts) if text}
        # A cell set between two baselines (vertically centred over a two-line cell) forms a
        # baseline of its own; it belongs to the row whose columns it completes.
        if grid and not (columns_used & filled_columns[-1]):
            grid[-1] = [a or b for a, b in zip(grid[-1], texts, strict=False)]
            filled_columns[-1] |= columns_used
            continue
        grid.append(texts)
        filled_columns.append(columns_used)
    filled = sum(1 for row in grid for cell in row if cell) / (len(grid) * len(columns))
    return grid if filled >= 0.4 else None


def _columns(words: list[Word], gap: float) -> list[tuple[float, float]]:
    spans = sorted((w.box.x0, w.box.x1) for w in words)
    merged: list[list[float]] = [list(spans[0])]
    for x0, x1 in spans[1:]:
        if x0 - merged[-1][1] <= gap:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _baselines(words: list[Word], tolerance: float) -> list[list[Word]]:
    rows: list[list[Word]] = []
    centre = None
    for word in sorted(words, key=lambda w: (w.box.y0 + w.box.y1) / 2):
        cy = (word.box.y0 + word.box.y1) / 2
        if centre is None or cy - centre > tolerance:
            rows.append([])
            centre = cy
        rows[-1].append(word)
    return rows
