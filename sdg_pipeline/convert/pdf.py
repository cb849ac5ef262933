"""PDF front-end: checks first, then docling's native parse and our layout reconstruction, or
docling's full layout-model pipeline when its model artifacts are present locally.

Nothing here downloads: the model pipeline is only constructed with a local artifacts path.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from sdg_pipeline.convert import mac_roman
from sdg_pipeline.convert.cells import PageText, page_text
from sdg_pipeline.convert.columns import by_column, split_at_gutters
from sdg_pipeline.convert.docling_private import cells_only_pipeline, rejection_message
from sdg_pipeline.convert.fonts import name_fonts
from sdg_pipeline.convert.furniture import drop_furniture
from sdg_pipeline.convert.layout import build_blocks, typical_line_gap
from sdg_pipeline.convert.lines import Line, page_lines
from sdg_pipeline.convert.markdown import render
from sdg_pipeline.convert.order import reading_order
from sdg_pipeline.convert.page_paths import OCR, PagePath, choose_paths, unusable_message
from sdg_pipeline.convert.results import ConversionStatus
from sdg_pipeline.convert.ruled_tables import find_ruled_tables
from sdg_pipeline.convert.rules import add_rules
from sdg_pipeline.convert.stats import body_style
from sdg_pipeline.convert.tables import Table, find_tables

log = logging.getLogger(__name__)

PARSER_THREADS = max(1, min(2, os.cpu_count() or 1))


class PdfProblem(Exception):
    """A document-level problem with a status for the result."""

    def __init__(self, status: ConversionStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class PdfMarkdown:
    markdown: str
    page_starts: list[int]
    page_count: int
    warnings: list[str] = field(default_factory=list)
    pages: list[PagePath] = field(default_factory=list)  # path and quality per page


def check_pdf(data: bytes, max_pages: int) -> int:
    """Open with pdfium (cheap) to classify unreadable files before parsing; returns pages."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfProblem(
                ConversionStatus.ENCRYPTED, "PDF is encrypted and needs a password to open"
            ) from exc
        raise PdfProblem(ConversionStatus.CORRUPT, f"PDF cannot be read: {exc}") from exc
    try:
        pages = len(document)
    finally:
        document.close()
    if pages == 0:
        raise PdfProblem(ConversionStatus.CORRUPT, "PDF has no pages")
    if pages > max_pages:
        raise PdfProblem(
            ConversionStatus.TOO_LARGE, f"PDF has {pages} pages, more than the limit of {max_pages}"
        )
    return pages


# ---------------------------------------------------------------- native (offline) path


def _native_pages(data: bytes, file_name: str, max_pages: int) -> list[PageText]:
    from docling.backend.docling_parse_backend import ThreadedDoclingParseDocumentBackend
    from docling.datamodel.backend_options import ThreadedDoclingParseBackendOptions
    from docling.datamodel.base_models import InputFormat
    from docling.datamodel.document import InputDocument
    from docling.datamodel.settings import DocumentLimits

    document = InputDocument(
        path_or_stream=BytesIO(data),
        format=InputFormat.PDF,
        backend=ThreadedDoclingParseDocumentBackend,
        filename=file_name,
        # No page images: the reconstruction needs text and geometry only, and rendering
        # would cost most of the time.
        backend_options=ThreadedDoclingParseBackendOptions(
            render_pages=False, parser_threads=PARSER_THREADS
        ),
        limits=DocumentLimits(max_num_pages=max_pages),
    )
    if not document.valid:
        reason = rejection_message(document) or "docling could not open it"
        raise PdfProblem(ConversionStatus.CORRUPT, f"PDF cannot be parsed: {reason}")
    result = _native_pipeline().execute(document, raises_on_error=False)
    if not result.pages:
        reasons = "; ".join(e.error_message for e in result.errors) or "no page could be parsed"
        raise PdfProblem(ConversionStatus.CORRUPT, f"PDF cannot be parsed: {reasons}")
    pages = []
    for page in sorted(result.pages, key=lambda p: p.page_no):
        if page.parsed_page is None or page.size is None:
            continue
        pages.append(page_text(page.page_no, page.parsed_page, page.size.width, page.size.height))
    mac_roman.repair(pages)
    return pages


_PIPELINE = None


def _native_pipeline():
    global _PIPELINE
    if _PIPELINE is None:
        from docling.datamodel.pipeline_options import NativePdfPipelineOptions

        _PIPELINE = cells_only_pipeline(
            NativePdfPipelineOptions(generate_page_images=False, generate_picture_images=False)
        )
    return _PIPELINE


def reconstruct(pages: list[PageText], page_count: int) -> PdfMarkdown:
    """Markdown from native text cells: furniture, tables, reading order, blocks."""
    lines_by_page = [page_lines(page) for page in pages]
    body = body_style([ln for lines in lines_by_page for ln in lines])
    lines_by_page = drop_furniture(pages, lines_by_page, body)

    min_gutter = max(4.0, 0.6 * body.size)
    runs: list[tuple[int, list[Line | Table]]] = []
    for page, lines in zip(pages, lines_by_page, strict=False):
        lines, gutters = split_at_gutters(lines, min_gutter)
        ruled, lines = find_ruled_tables(page.page_no, lines, page.rules)
        tables: list[Table] = []
        rest: list[Line] = []
        for group in by_column(lines, gutters):
            found, others = find_tables(page.page_no, group)
            tables.extend(found)
            rest.extend(others)
        items: list[Line | Table] = [*rest, *ruled, *tables]
        for group in reading_order(items, _box, min_gutter=min_gutter):
            runs.append((page.page_no, group))
    blocks = build_blocks(runs, body, typical_line_gap(runs, body))
    markdown, page_starts = render(blocks, page_count)
    empty = [p.page_no for p, lines in zip(pages, lines_by_page, strict=False) if not lines]
    warnings = [f"no text on page(s) {', '.join(map(str, empty))}"] if empty else []
    return PdfMarkdown(markdown, page_starts, page_count, warnings)


def _box(item: Line | Table):
    return item.box


def native_markdown(
    data: bytes, file_name: str, max_pages: int, use_ocr: bool = True
) -> PdfMarkdown:
    page_count = check_pdf(data, max_pages)
    pages = _native_pages(data, file_name, max_pages)
    name_fonts(data, pages)
    records = choose_paths(data, pages, use_ocr)
    if not any(page.spans for page in pages):
        raise PdfProblem(ConversionStatus.NO_TEXT, unusable_message(records, page_count))
    add_rules(data, [page for page in pages if page.spans])
    converted = reconstruct(pages, page_count)
    converted.pages = records
    ocr_pages = [r for r in records if r.path == OCR]
    if ocr_pages:
        converted.warnings.append(
            "OCR on page(s) "
            + ", ".join(f"{r.page_no} ({r.reason}, confidence {r.quality:.2f})" for r in ocr_pages)
        )
    return converted


# ---------------------------------------------------------------- layout-model path

# Folder names docling gives its model repositories inside an artifacts path.
_LAYOUT_FOLDER_HINT = "layout"


def layout_models_problem(path: str | None) -> str | None:
    """Why docling's layout pipeline cannot run here, or None when it can."""
    if not path:
        return "no layout_models_path configured"
    root = Path(path)
    if not root.is_dir():
        return f"layout model path {path} does not exist"
    if not any(_LAYOUT_FOLDER_HINT in child.name.lower() for child in root.iterdir()):
        return f"no layout model artifacts under {path}"
    if importlib.util.find_spec("torch") is None:
        return "the layout models need torch, which is not installed"
    return None


def layout_markdown(data: bytes, file_name: str, max_pages: int, models_path: str) -> PdfMarkdown:
    """docling's full layout/table pipeline with local artifacts only (never the hub)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from docling.backend.docling_parse_backend import ThreadedDoclingParseDocumentBackend
    from docling.datamodel.base_models import InputFormat
    from docling.datamodel.document import InputDocument
    from docling.datamodel.pipeline_options import ThreadedPdfPipelineOptions
    from docling.datamodel.settings import DocumentLimits
    from docling.pipeline.standard_pdf_pipeline import StandardPdfPipeline

    page_count = check_pdf(data, max_pages)
    document = InputDocument(
        path_or_stream=BytesIO(data),
        format=InputFormat.PDF,
        backend=ThreadedDoclingParseDocumentBackend,
        filename=file_name,
        limits=DocumentLimits(max_num_pages=max_pages),
    )
    if not document.valid:
        raise PdfProblem(ConversionStatus.CORRUPT, "PDF cannot be parsed by docling")
    options = ThreadedPdfPipelineOptions(
        artifacts_path=models_path, do_ocr=False, enable_remote_services=False
    )
    result = StandardPdfPipeline(options).execute(document, raises_on_error=False)
    if result.document is None or not result.pages:
        reasons = "; ".join(e.error_message for e in result.errors) or "layout pipeline failed"
        raise PdfProblem(ConversionStatus.CORRUPT, reasons)
    parts: list[str] = []
    page_starts: list[int] = []
    offset = 0
    for page_no in range(1, page_count + 1):
        page_starts.append(offset)
        text = result.document.export_to_markdown(page_no=page_no).strip()
        if text:
            if parts:
                parts.append("\n\n")
                offset += 2
                page_starts[-1] = offset
            parts.append(text)
            offset += len(text)
    markdown = "".join(parts)
    if not markdown.strip():
        raise PdfProblem(ConversionStatus.NO_TEXT, "layout pipeline found no text")
    return PdfMarkdown(markdown, page_starts, page_count)
