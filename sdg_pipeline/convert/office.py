"""DOCX, HTML and Markdown through docling's own declarative backends (no models)."""

from __future__ import annotations

from io import BytesIO

from sdg_pipeline.convert import media
from sdg_pipeline.convert.docling_private import rejection_message
from sdg_pipeline.convert.front_matter import strip_front_matter
from sdg_pipeline.convert.web_links import web_page_markdown


def _backend(media_type: str):
    from docling.datamodel.base_models import InputFormat

    if media_type == media.DOCX:
        from docling.backend.msword_backend import MsWordDocumentBackend

        return InputFormat.DOCX, MsWordDocumentBackend
    if media_type == media.HTML:
        from docling.backend.html_backend import HTMLDocumentBackend

        return InputFormat.HTML, HTMLDocumentBackend
    if media_type == media.MARKDOWN:
        from docling.backend.md_backend import MarkdownDocumentBackend

        return InputFormat.MD, MarkdownDocumentBackend
    raise ValueError(f"no declarative backend for {media_type}")


_PIPELINE = None


def _pipeline():
    global _PIPELINE
    if _PIPELINE is None:
        from docling.datamodel.pipeline_options import ConvertPipelineOptions
        from docling.pipeline.simple_pipeline import SimplePipeline

        _PIPELINE = SimplePipeline(ConvertPipelineOptions())
    return _PIPELINE


class OfficeProblem(Exception):
    pass


def office_markdown(data: bytes, file_name: str, media_type: str) -> str:
    """Markdown of a DOCX, HTML or Markdown document; raises OfficeProblem when unreadable."""
    from docling.datamodel.base_models import ConversionStatus as DoclingStatus
    from docling.datamodel.document import InputDocument

    input_format, backend = _backend(media_type)
    if media_type == media.MARKDOWN:
        _, data = strip_front_matter(data)  # metadata, not content (see front_matter.py)
    document = InputDocument(
        path_or_stream=BytesIO(data), format=input_format, backend=backend, filename=file_name
    )
    if not document.valid:
        raise OfficeProblem(rejection_message(document) or "cannot be opened")
    result = _pipeline().execute(document, raises_on_error=False)
    if result.status not in (DoclingStatus.SUCCESS, DoclingStatus.PARTIAL_SUCCESS):
        reasons = "; ".join(e.error_message for e in result.errors) or str(result.status)
        raise OfficeProblem(reasons)
    if media_type == media.HTML:
        return web_page_markdown(result.document)
    return result.document.export_to_markdown()
