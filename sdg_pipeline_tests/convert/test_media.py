from __future__ import annotations

from sdg_pipeline.convert import SUPPORTED_EXTENSIONS, count_pages, detect_media_type
from sdg_pipeline.convert.media import DOCX, HTML, MARKDOWN, PDF, UNKNOWN
from sdg_pipeline_tests.convert.pdf_factory import text_pdf


def test_content_wins_over_extension() -> None:
    assert detect_media_type("report.md", text_pdf()) == PDF
    assert detect_media_type("page.txt", b"<!DOCTYPE html><html></html>") == HTML


def test_extension_decides_for_text_formats_and_unknowns() -> None:
    assert detect_media_type("notes.markdown", b"# hi") == MARKDOWN
    assert detect_media_type("a.docx", b"not a zip") == DOCX
    assert detect_media_type("data.bin", b"\x00\x01") == UNKNOWN
    assert {".pdf", ".docx", ".html", ".htm", ".md", ".markdown"} == SUPPORTED_EXTENSIONS


def test_count_pages() -> None:
    assert count_pages(text_pdf(pages=3), PDF) == 3
    assert count_pages(b"garbage", PDF) is None
    assert count_pages(b"# md", MARKDOWN) is None
