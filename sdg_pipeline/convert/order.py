"""Reading order for pages with columns.

A gutter is a vertical strip of white space between narrow items (single-column lines). Items
that cross it (a title, a wide figure caption, a table) cut the page into bands; in each band
the left column is read before the right one. Columns are searched again inside each column,
so three-column pages work too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TypeVar

from sdg_pipeline.convert.cells import Box

T = TypeVar("T")

NARROW_SHARE = 0.55  # an item narrower than this share of the region may sit in a column
MIN_COLUMN_ITEMS = 3
CROSSING_SHARE = 0.15  # a gutter may be crossed by this share of the narrow items
OWN_SIDE_SHARE = 0.85  # an item with this share of its width on one side is in that column


def reading_order(
    items: Sequence[T], box: Callable[[T], Box], min_gutter: float, depth: int = 0
) -> list[list[T]]:
    """Items grouped into column runs, in reading order; each group sorted top to bottom."""
    ordered = sorted(items, key=lambda it: (box(it).y0, box(it).x0))
    if len(ordered) < 2 * MIN_COLUMN_ITEMS or depth > 3:
        return [ordered] if ordered else []
    left_edge = min(box(it).x0 for it in ordered)
    width = max(box(it).x1 for it in ordered) - left_edge
    narrow = [it for it in ordered if box(it).width < NARROW_SHARE * width]
    # The widest gap with columns on both sides: a margin note or a rotated sidebar ("arXiv:
    # ..." beside a paper) leaves a wider strip than the gutter, with one item beside it.
    narrow_boxes = [box(it) for it in narrow]
    allowances = (0, max(2, int(CROSSING_SHARE * len(narrow_boxes))))
    candidates = [gap for allowed in allowances for gap in gaps(narrow_boxes, min_gutter, allowed)]
    for g0, g1 in candidates:
        left = [it for it in ordered if box(it).x1 <= g0 + 0.5]
        right = [it for it in ordered if box(it).x0 >= g1 - 0.5]
        if len(left) >= MIN_COLUMN_ITEMS and len(right) >= MIN_COLUMN_ITEMS:
            break
    else:
        return [ordered]

    groups: list[list[T]] = []
    band_left: list[T] = []
    band_right: list[T] = []
    spanning: list[T] = []

    def flush_band() -> None:
        for column in (band_left, band_right):
            if column:
                groups.extend(reading_order(column, box, min_gutter, depth + 1))
        band_left.clear()
        band_right.clear()

    middle = (g0 + g1) / 2

    def side(b: Box) -> str:
        if b.x1 <= g0 + 0.5:
            return "left"
        if b.x0 >= g1 - 0.5:
            return "right"
        # A line that only pokes into the gutter (a long list item of the left column)
        # belongs to its column; a centred title spans both.
        left_share = (middle - b.x0) / b.width if b.width > 0 else 0.5
        if left_share >= OWN_SIDE_SHARE:
            return "left"
        if left_share <= 1 - OWN_SIDE_SHARE:
            return "right"
        return "spanning"

    for it in ordered:
        b = box(it)
        where = side(b)
        if where == "left":
            if spanning:
                groups.append(list(spanning))
                spanning.clear()
            band_left.append(it)
        elif where == "right":
            if spanning:
                groups.append(list(spanning))
                spanning.clear()
            band_right.append(it)
        else:
            flush_band()
            spanning.append(it)
    if spanning:
        groups.append(list(spanning))
    flush_band()
    return groups


def gaps(boxes: list[Box], min_gap: float, allowed: int) -> list[tuple[float, float]]:
    """Vertical strips of white space at least `min_gap` wide, cleanest and widest first.

    A strip may be crossed by `allowed` items (a centred author line, a short heading over
    both columns): those become spanning items that cut the page into bands, and a single one
    must not hide the gutter of a whole page. Clean strips (allowed=0) are tried first.
    """
    if len(boxes) < 2 * MIN_COLUMN_ITEMS:
        return []
    edges = sorted({b.x0 for b in boxes} | {b.x1 for b in boxes})
    left_end = min(b.x1 for b in boxes)
    right_start = max(b.x0 for b in boxes)
    strips: list[tuple[float, float]] = []
    current: list[float] | None = None
    for a, b in itertools.pairwise(edges):
        middle = (a + b) / 2
        crossing = sum(1 for box in boxes if box.x0 < middle < box.x1)
        if crossing <= allowed and left_end <= middle <= right_start:
            if current is not None and current[1] == a:
                current[1] = b
            else:
                if current is not None:
                    strips.append((current[0], current[1]))
                current = [a, b]
    if current is not None:
        strips.append((current[0], current[1]))
    # The strip may reach into a column's ragged edge (the few lines crossing it there); the
    # gutter itself runs from the last line end left of its middle to the first line start
    # right of it, so a column line is never taken for a spanning one.
    out = []
    for a, b in strips:
        middle = (a + b) / 2
        g0 = max((box.x1 for box in boxes if box.x1 <= middle), default=a)
        g1 = min((box.x0 for box in boxes if box.x0 >= middle), default=b)
        if g1 - g0 >= min_gap:
            crossing = sum(1 for box in boxes if box.x0 < g1 and box.x1 > g0)
            out.append((crossing, g0 - g1, (g0, g1)))
    # Fewest crossings first (a clean gutter beats a wider strip that lines run through).
    return [gap for _, _, gap in sorted(out)]
