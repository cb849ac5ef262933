"""Page furniture: running headers and footers, page numbers, and text inside pictures.

Headers and footers are recognised by repetition: a line in the top or bottom band of the
page whose text (digits ignored) recurs on other pages. Page numbers are recognised by shape
at the very top or bottom of a page, so they go even in a one-page document, together with a
running title printed on the same baseline. Labels inside a figure (small text over a picture)
are not running text either.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sdg_pipeline.convert.cells import Box, PageText
from sdg_pipeline.convert.lines import Line
from sdg_pipeline.convert.stats import BodyStyle

MARGIN_BAND = 0.12  # share of the page height at top and bottom where furniture lives
_PAGE_NUMBER = re.compile(
    r"^(page\s*)?[-–—]?\s*(\d{1,4}|[ivxlcdm]{1,6})\s*[-–—]?(\s*(/|of)\s*\d{1,4})?$"
    r"|^\d{1,3}\s*[-–.]\s*\d{1,4}$",
    re.IGNORECASE,
)


def _key(line: Line) -> tuple[str, int]:
    # The size is part of the key: a title set large on page 1 under a running header with the
    # same words is content, not furniture.
    text = re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.text.strip().lower()))
    return text, round(line.size)


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def _edge_rows(lines: list[Line], height: float) -> set[int]:
    """Row indexes of the top-most and bottom-most rows, when they lie in the margin bands."""
    if not lines:
        return set()
    top = min(lines, key=lambda ln: ln.box.y0)
    bottom = max(lines, key=lambda ln: ln.box.y1)
    rows = set()
    if top.box.y1 <= height * MARGIN_BAND * 1.5:
        rows.add(top.row)
    if bottom.box.y0 >= height * (1 - MARGIN_BAND * 1.5):
        rows.add(bottom.row)
    return rows


def drop_furniture(
    pages: list[PageText], page_lines: list[list[Line]], body: BodyStyle
) -> list[list[Line]]:
    in_band: dict[tuple[str, int], set[int]] = defaultdict(set)
    for page, lines in zip(pages, page_lines, strict=False):
        for line in lines:
            if _in_band(line, page.height):
                in_band[_key(line)].add(page.page_no)
    min_pages = max(2, round(0.3 * len(pages)))
    repeated = {key for key, seen in in_band.items() if len(seen) >= min_pages}

    kept: list[list[Line]] = []
    for page, lines in zip(pages, page_lines, strict=False):
        drop: set[int] = set()
        for index, line in enumerate(lines):
            if _in_band(line, page.height) and _key(line) in repeated:
                drop.add(index)
        edges = _edge_rows(lines, page.height)
        for row in edges:
            row_lines = [i for i, ln in enumerate(lines) if ln.row == row]
            numbers = [i for i in row_lines if is_page_number(lines[i].text)]
            if not numbers:
                continue
            drop.update(numbers)
            # A running title printed on the page number's baseline, set no larger than body.
            for i in row_lines:
                if lines[i].size <= body.size * 1.05:
                    drop.add(i)
        drop.update(_figure_text(page, lines, body))
        kept.append([ln for i, ln in enumerate(lines) if i not in drop])
    return kept


def _in_band(line: Line, height: float) -> bool:
    return line.box.y1 <= height * MARGIN_BAND or line.box.y0 >= height * (1 - MARGIN_BAND)


def _image_clusters(images: list[Box], gap: float) -> list[Box]:
    clusters: list[Box] = []
    for image in sorted(images, key=lambda b: (b.y0, b.x0)):
        grown = image.expand(gap)
        for i, cluster in enumerate(clusters):
            if _overlaps(cluster.expand(gap), grown):
                clusters[i] = cluster.union(image)
                break
        else:
            clusters.append(image)
    # Merging can make clusters overlap each other; one more pass settles it.
    settled: list[Box] = []
    for cluster in clusters:
        for i, other in enumerate(settled):
            if _overlaps(other, cluster):
                settled[i] = other.union(cluster)
                break
        else:
            settled.append(cluster)
    return settled


def _overlaps(a: Box, b: Box) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _figure_text(page: PageText, lines: list[Line], body: BodyStyle) -> set[int]:
    if not page.images:
        return set()
    page_area = page.width * page.height
    # A picture behind most of the page is a background or a scan, not a figure.
    clusters = [
        c.expand(4.0)
        for c in _image_clusters(page.images, gap=10.0)
        if c.area < 0.6 * page_area and c.area > 0.005 * page_area
    ]
    drop = set()
    for index, line in enumerate(lines):
        cx = (line.box.x0 + line.box.x1) / 2
        cy = (line.box.y0 + line.box.y1) / 2
        label_like = line.size < body.size * 0.92 or (
            line.font != body.font and line.size <= body.size
        )
        if label_like and any(c.contains_point(cx, cy) for c in clusters):
            drop.add(index)
    return drop
