"""Reading order for pages with columns.

A gutter is a vertical strip of white space between narrow items (single-column lines). Items
that cross it (a title, a wide figure caption, a table) cut the page into bands; in each band
the left column is read before the right one. Columns are searched again inside each column,
so three-column pages work too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from sdg_pipeline.convert.cells import Box

T = TypeVar("T")

NARROW_SHARE = 0.55  # an item narrower than this share of the region may sit in a column
MIN_COLUMN_ITEMS = 3


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
    gutter = _widest_gap([box(it) for it in narrow], min_gutter)
    if gutter is None:
        return [ordered]
    g0, g1 = gutter
    left = [it for it in ordered if box(it).x1 <= g0 + 0.5]
    right = [it for it in ordered if box(it).x0 >= g1 - 0.5]
    if len(left) < MIN_COLUMN_ITEMS or len(right) < MIN_COLUMN_ITEMS:
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

    for it in ordered:
        b = box(it)
        if b.x1 <= g0 + 0.5:
            if spanning:
                groups.append(list(spanning))
                spanning.clear()
            band_left.append(it)
        elif b.x0 >= g1 - 0.5:
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


def _widest_gap(boxes: list[Box], min_gap: float) -> tuple[float, float] | None:
    if len(boxes) < 2 * MIN_COLUMN_ITEMS:
        return None
    spans = sorted((b.x0, b.x1) for b in boxes)
    reach = spans[0][1]
    best: tuple[float, float] | None = None
    for x0, x1 in spans[1:]:
        if x0 - reach >= min_gap and (best is None or x0 - reach > best[1] - best[0]):
            best = (reach, x0)
        reach = max(reach, x1)
    return best
