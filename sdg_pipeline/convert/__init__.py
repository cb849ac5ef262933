"""Conversion: PDF, DOCX, HTML and Markdown to Markdown via docling, with layout reconstruction."""

from sdg_pipeline.convert.converter import CONVERTER_VERSION, convert_document
from sdg_pipeline.convert.media import SUPPORTED_EXTENSIONS, count_pages, detect_media_type
from sdg_pipeline.convert.results import ConversionOptions, ConversionResult, ConversionStatus

__all__ = [
    "CONVERTER_VERSION",
    "SUPPORTED_EXTENSIONS",
    "ConversionOptions",
    "ConversionResult",
    "ConversionStatus",
    "convert_document",
    "count_pages",
    "detect_media_type",
]
