"""Which path converts each PDF page: its own text layer, OCR of its picture, or none.

A page whose layer is usable stays native (text_layer.py); one that is not is rendered and
OCR'd (ocr.py), and its OCR lines replace the layer. A page whose layer is garbage and whose
OCR found nothing keeps no text at all: `�` soup never reaches the Markdown. Every page
records its path and a quality signal (native: share of the layer that reads as text; OCR:
mean recognition score), which the result and the markdown asset's metadata carry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sdg_pipeline.convert.cells import PageText
from sdg_pipeline.convert.text_layer import assess

log = logging.getLogger(__name__)

NATIVE = "native"
OCR = "ocr"
NONE = "none"
# OCR output below this mean recognition score is not trusted more than nothing.
MIN_OCR_CONFIDENCE = 0.6


@dataclass
class PagePath:
    page_no: int
    path: str  # native | ocr | none
    quality: float
    reason: str = ""  # why the native layer was not used


def choose_paths(data: bytes, pages: list[PageText], use_ocr: bool) -> list[PagePath]:
    """Assess every page, OCR the ones that need it (in place), and record the outcome."""
    records: list[PagePath] = []
    needing: list[tuple[PageText, str, float]] = []
    for page in pages:
        verdict = assess(page)
        if verdict.needs_ocr:
            needing.append((page, verdict.reason, verdict.quality))
        else:
            records.append(PagePath(page.page_no, NATIVE, verdict.quality))
    if not needing:
        return records
    ocr_results = _ocr(data, [page.page_no for page, _, _ in needing]) if use_ocr else {}
    for page, reason, quality in needing:
        result = ocr_results.get(page.page_no)
        if isinstance(result, str):  # OCR could not run: say why
            reason = f"{reason}; {result}"
            result = None
        if result is not None and result.spans and result.confidence >= MIN_OCR_CONFIDENCE:
            page.spans = result.spans
            # The page's picture is the text now: furniture.py must not treat the OCR lines
            # as labels inside a picture.
            page.images = []
            page.unnamed_fonts = set()
            records.append(PagePath(page.page_no, OCR, round(result.confidence, 3), reason))
        else:
            if not use_ocr:
                reason = f"{reason}; OCR is off"
            elif result is not None:
                reason = f"{reason}; OCR found no text"
            page.spans = []
            records.append(PagePath(page.page_no, NONE, quality, reason))
    return sorted(records, key=lambda r: r.page_no)


def _ocr(data: bytes, page_numbers: list[int]) -> dict:
    import pypdfium2 as pdfium

    from sdg_pipeline.convert.ocr import OcrUnavailable, ocr_page

    out: dict = {}
    document = pdfium.PdfDocument(data)
    try:
        for page_no in page_numbers:
            page = document[page_no - 1]
            try:
                out[page_no] = ocr_page(page)
            except OcrUnavailable as exc:
                out[page_no] = str(exc)
            except (MemoryError, RecursionError):
                raise
            except Exception as exc:  # one page's OCR failure is that page's problem
                log.warning("OCR of page %d failed", page_no, exc_info=True)
                out[page_no] = f"OCR failed: {type(exc).__name__}: {exc}"
            finally:
                page.close()
    finally:
        document.close()
    return out


def path_counts(records: list[PagePath]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        counts[record.path] = counts.get(record.path, 0) + 1
    return counts


def unusable_message(records: list[PagePath], page_count: int) -> str:
    reasons: dict[str, list[int]] = {}
    for record in records:
        reasons.setdefault(record.reason or "no text", []).append(record.page_no)
    detail = "; ".join(
        f"page(s) {', '.join(map(str, pages))}: {reason}" for reason, pages in reasons.items()
    )
    return f"no usable text on any of its {page_count} page(s) ({detail})"
