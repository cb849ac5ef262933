"""Ruling lines of a PDF page (table borders), read from its vector paths with pdfium.

docling's native parse keeps no vector graphics, so pdfium lists the page's path objects: a
path whose bounds are thin in one direction is a rule (word processors draw each cell border
as a short line or a hairline rectangle); a stroked, unfilled rectangle contributes its four
edges. Filled shapes (chart bars, shaded backgrounds) are not rules. Boxes are in points with
a top-left origin, like the text cells.
"""

from __future__ import annotations

import ctypes
import logging

from sdg_pipeline.convert.cells import Box, PageText

log = logging.getLogger(__name__)

THIN = 2.5  # points: at most this thick is a line, not an area
MIN_LENGTH = 4.0
# A page with more path objects than this is a drawing (a chart, a map), not a ruled table.
MAX_PATHS = 4000


def add_rules(data: bytes, pages: list[PageText]) -> None:
    """Fill `page.rules` for every page, in place (pages without paths cost one page load)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        log.warning("ruling lines not read: %s", exc)
        return
    try:
        for page in pages:
            if page.page_no - 1 < len(document) and page.spans:
                page.rules = _page_rules(document[page.page_no - 1], page.height)
    finally:
        document.close()


def _page_rules(pdf_page, height: float) -> list[Box]:
    import pypdfium2.raw as raw

    rules: list[Box] = []
    try:
        objects = list(pdf_page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,), max_depth=3))
        if len(objects) > MAX_PATHS:
            return []
        fill = ctypes.c_int()
        stroke = ctypes.c_int()
        for obj in objects:
            left, bottom, right, top = obj.get_bounds()
            box = Box(left, height - top, right, height - bottom)
            thin_h = box.height <= THIN and box.width >= MIN_LENGTH
            thin_v = box.width <= THIN and box.height >= MIN_LENGTH
            if thin_h or thin_v:
                rules.append(box)
                continue
            known = raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
            if known and stroke.value and not fill.value:
                rules += [
                    Box(box.x0, box.y0, box.x1, box.y0),
                    Box(box.x0, box.y1, box.x1, box.y1),
                    Box(box.x0, box.y0, box.x0, box.y1),
                    Box(box.x1, box.y0, box.x1, box.y1),
                ]
    finally:
        pdf_page.close()
    return rules

