"""Cheap, model-free facts about input bytes: media type and page count."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import PurePath

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
MARKDOWN = "text/markdown"
UNKNOWN = "application/octet-stream"

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(
    {".pdf", ".docx", ".html", ".htm", ".md", ".markdown"}
)
_BY_EXTENSION = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".html": HTML,
    ".htm": HTML,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
}


def _sniff(data: bytes) -> str | None:
    head = data[:1024].lstrip().lower()
    # PDF readers accept a header anywhere in the first KiB, so do we.
    if b"%PDF-" in data[:1024]:
        return PDF
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            return None
        return None
    if head.startswith((b"<!doctype html", b"<html")):
        return HTML
    return None


def detect_media_type(file_name: str, data: bytes) -> str:
    """The media type from the content's magic bytes, else from the file extension.

    Content wins so that a PDF named `.md` is still parsed as a PDF; a file whose
    extension promises a binary format it does not have keeps the extension's type and
    is reported as corrupt by the converter.
    """
    sniffed = _sniff(data) if data else None
    if sniffed:
        return sniffed
    return _BY_EXTENSION.get(PurePath(file_name).suffix.lower(), UNKNOWN)


def count_pages(data: bytes, media_type: str) -> int | None:
    """Page count of a PDF via pdfium (no text extraction); None when pageless or unreadable."""
    if media_type != PDF or not data:
        return None
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        return len(document)
    finally:
        document.close()
