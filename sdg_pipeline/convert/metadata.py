"""A document's own title from its metadata: PDF Info `Title`, DOCX core properties, HTML
`<title>`, Markdown front matter `title`.

The Markdown a converter writes drops these, yet they are often the surest name of what the
document is about (`chunk.subject` decides whether one reads like a title). Reading them must
never fail a conversion: any problem gives None.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

from sdg_pipeline.convert import media
from sdg_pipeline.convert.front_matter import split_front_matter

MAX_TITLE_CHARS = 300
_HTML_HEAD_BYTES = 65536
_CORE_XML_BYTES = 65536
_HTML_TITLE = re.compile(rb"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_DC_TITLE = re.compile(r"<dc:title\b[^>]*>(.*?)</dc:title\s*>", re.DOTALL)


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"\s+", " ", html.unescape(text)).strip()
    return text[:MAX_TITLE_CHARS] or None


def _pdf_title(data: bytes) -> str | None:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return document.get_metadata_dict().get("Title")
    finally:
        document.close()


def _docx_title(data: bytes) -> str | None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("docProps/core.xml")
        if info.file_size > _CORE_XML_BYTES:
            return None
        core = archive.read(info).decode("utf-8", errors="replace")
    match = _DC_TITLE.search(core)
    return match.group(1) if match else None


def _html_title(data: bytes) -> str | None:
    match = _HTML_TITLE.search(data[:_HTML_HEAD_BYTES])
    return match.group(1).decode("utf-8", errors="replace") if match else None


def _markdown_title(data: bytes) -> str | None:
    meta, _ = split_front_matter(data.decode("utf-8", errors="replace"))
    title = meta.get("title")
    return title if isinstance(title, str) else None


def metadata_title(data: bytes, media_type: str) -> str | None:
    """The title the file's metadata gives, or None (none given, or unreadable)."""
    readers = {
        media.PDF: _pdf_title,
        media.DOCX: _docx_title,
        media.HTML: _html_title,
        media.MARKDOWN: _markdown_title,
    }
    reader = readers.get(media_type)
    if reader is None:
        return None
    try:
        return _clean(reader(data))
    except Exception:  # metadata is a hint: a file that hides it still converts
        return None
