"""Document conversion (PDF, DOCX, HTML, Markdown -> Markdown) and heading-aware chunking."""

from sdg_pipeline.conversion.chunking import CHUNKER_VERSION, Chunk, chunk_markdown
from sdg_pipeline.conversion.converter import CONVERTER_VERSION, convert_document
from sdg_pipeline.conversion.media import SUPPORTED_EXTENSIONS, count_pages, detect_media_type
from sdg_pipeline.conversion.results import ConversionOptions, ConversionResult, ConversionStatus

__all__ = [
    "CHUNKER_VERSION",
    "CONVERTER_VERSION",
    "SUPPORTED_EXTENSIONS",
    "Chunk",
    "ConversionOptions",
    "ConversionResult",
    "ConversionStatus",
    "chunk_markdown",
    "convert_document",
    "count_pages",
    "detect_media_type",
]
