"""Tables drawn with borders: the ruling lines give the grid, the words fill its cells.

Word processors and spreadsheets export every bordered table as horizontal and vertical
rules that meet. Rules that touch form one figure; a figure with at least two horizontal and
two vertical rules is a grid whose row and column boundaries are the rules' positions. Each
word goes to the cell under its centre. This finds the tables the text-alignment heuristic
(tables.py) cannot see: two-row tables, cells of running text, merged cells. A bordered box
around text (one cell) or a chart's frame with gridlines (one column) is not a table.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from sdg_pipeline.convert.cells import Box, Word
from sdg_pipeline.convert.lines import Line
from sdg_pipeline.convert.tables import Table

TOUCH = 2.0  # points: rules this close meet
MIN_FILLED = 0.3  # share of non-empty cells for a grid to be a table


@dataclass
class _Rule:
    horizontal: bool
    at: float  # y of a horizontal rule, x of a vertical one
    start: float
    end: float


def _rule(box: Box) -> _Rule:
    if box.width >= box.height:
        return _Rule(True, (box.y0 + box.y1) / 2, box.x0, box.x1)
    return _Rule(False, (box.x0 + box.x1) / 2, box.y0, box.y1)


def _touch(a: _Rule, b: _Rule) -> bool:
    if a.horizontal == b.horizontal:
        return abs(a.at - b.at) <= TOUCH and a.start <= b.end + TOUCH and b.start <= a.end + TOUCH
    return (
        a.start - TOUCH <= b.at <= a.end + TOUCH and b.start - TOUCH <= a.at <= b.end + TOUCH
    )


def _figures(rules: list[_Rule]) -> list[list[_Rule]]:
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(rules)), key=lambda i: rules[i].start)
    for n, i in enumerate(order):
        for j in order[n + 1 :]:
            if rules[j].start > rules[i].end + TOUCH and rules[i].horizontal == rules[j].horizontal:
                continue
            if _touch(rules[i], rules[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[_Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(find(i), []).append(rule)
    return list(groups.values())


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > TOUCH:
            out.append(value)
    return out


def _word_centre(word: Word) -> tuple[float, float]:
    return (word.box.x0 + word.box.x1) / 2, (word.box.y0 + word.box.y1) / 2


def find_ruled_tables(
    page_no: int, lines: list[Line], rules: list[Box]
) -> tuple[list[Table], list[Line]]:
    """Split a page's lines into bordered tables and the remaining lines."""
    if len(rules) < 4 or not lines:
        return [], lines
    if len(rules) > 1500:  # quadratic grouping; a page this dense is a drawing
        return [], lines
    tables: list[Table] = []
    taken: set[int] = set()
    for figure in _figures([_rule(box) for box in rules]):
        ys = _positions([r.at for r in figure if r.horizontal])
        xs = _positions([r.at for r in figure if not r.horizontal])
        if len(ys) < 3 or len(xs) < 3:  # fewer than two rows or two columns
            continue
        box = Box(xs[0], ys[0], xs[-1], ys[-1])
        inside = [
            (i, ln)
            for i, ln in enumerate(lines)
            if i not in taken
            and box.expand(1.0).contains_point(
                (ln.box.x0 + ln.box.x1) / 2, (ln.box.y0 + ln.box.y1) / 2
            )
        ]
        if not inside:
            continue
        grid = _fill(xs, ys, [ln for _, ln in inside])
        if grid is None:
            continue
        tables.append(Table(page_no, box, [ln for _, ln in inside], grid))
        taken |= {i for i, _ in inside}
    rest = [ln for i, ln in enumerate(lines) if i not in taken]
    return tables, rest


def _fill(xs: list[float], ys: list[float], lines: list[Line]) -> list[list[str]] | None:
    cells: dict[tuple[int, int], list[Word]] = {}
    for line in lines:
        for word in (w for span in line.spans for w in span.words):
            cx, cy = _word_centre(word)
            row = min(max(bisect.bisect(ys, cy) - 1, 0), len(ys) - 2)
            col = min(max(bisect.bisect(xs, cx) - 1, 0), len(xs) - 2)
            cells.setdefault((row, col), []).append(word)
    rows = sorted({r for r, _ in cells})
    cols = sorted({c for _, c in cells})
    if len(rows) < 2 or len(cols) < 2:
        return None
    if len(cells) < MIN_FILLED * len(rows) * len(cols):
        return None
    grid: list[list[str]] = []
    for r in rows:
        row: list[str] = []
        for c in cols:
            words = sorted(
                cells.get((r, c), []), key=lambda w: (round(w.box.y0 / 3), w.box.x0)
            )
            row.append(" ".join(w.text for w in words))
        grid.append(row)
    return grid
