"""Every kind of problem document gets its own recorded outcome, and good ones still convert."""

from __future__ import annotations

import os

import pytest

from sdg_pipeline.convert import (
    ConversionOptions,
    ConversionStatus,
    convert_document,
)
from sdg_pipeline_tests.convert.pdf_factory import (
    encrypted_pdf,
    image_only_pdf,
    text_pdf,
)

NATIVE = ConversionOptions(mode="native")


def _bad_documents() -> dict[str, tuple[bytes, str, ConversionOptions, ConversionStatus]]:
    return {
        "empty": (b"", "empty.pdf", NATIVE, ConversionStatus.EMPTY),
        "random": (os.urandom(4096), "random.pdf", NATIVE, ConversionStatus.CORRUPT),
        "truncated": (text_pdf()[:300], "truncated.pdf", NATIVE, ConversionStatus.CORRUPT),
        "encrypted": (encrypted_pdf(), "secret.pdf", NATIVE, ConversionStatus.ENCRYPTED),
        "scanned": (image_only_pdf(), "scan.pdf", NATIVE, ConversionStatus.NO_TEXT),
        "too_many_pages": (
            text_pdf(pages=3),
            "long.pdf",
            ConversionOptions(mode="native", max_pages=2),
            ConversionStatus.TOO_LARGE,
        ),
        "too_many_bytes": (
            text_pdf(),
            "big.pdf",
            ConversionOptions(mode="native", max_bytes=100),
            ConversionStatus.TOO_LARGE,
        ),
        "unsupported": (
            b"PK\x03\x04 not really",
            "sheet.xlsx",
            NATIVE,
            ConversionStatus.UNSUPPORTED,
        ),
        "corrupt_docx": (b"this is no zip", "broken.docx", NATIVE, ConversionStatus.CORRUPT),
    }


@pytest.mark.parametrize("kind", sorted(_bad_documents()))
def test_problem_document_gets_its_status(kind: str) -> None:
    data, name, options, expected = _bad_documents()[kind]
    result = convert_document(data, name, options)
    assert result.status is expected
    assert result.error and name in result.error
    assert result.markdown == ""


def test_scanned_pdf_error_names_the_missing_text_layer() -> None:
    result = convert_document(image_only_pdf(), "scan.pdf", NATIVE)
    assert "no text layer" in result.error


def test_layout_mode_without_models_is_reported_not_downloaded(tmp_path) -> None:
    options = ConversionOptions(mode="layout", layout_models_path=str(tmp_path / "absent"))
    result = convert_document(text_pdf(), "doc.pdf", options)
    assert result.status is ConversionStatus.MODELS_MISSING
    assert result.mode == "layout"
    assert "does not exist" in result.error


def test_auto_mode_falls_back_to_native_and_records_it(tmp_path) -> None:
    result = convert_document(
        text_pdf(), "doc.pdf", ConversionOptions(mode="auto", layout_models_path=str(tmp_path))
    )
    assert result.status is ConversionStatus.OK
    assert result.mode == "native"
    assert "Hello from a generated page." in result.markdown


def test_batch_of_good_and_bad_documents_converts_the_good_ones() -> None:
    batch = [(data, name, opts) for data, name, opts, _ in _bad_documents().values()]
    batch.insert(3, (text_pdf(text="First good document."), "good1.pdf", NATIVE))
    batch.append((b"# Title\n\nSecond good document.\n", "good2.md", NATIVE))
    results = {name: convert_document(data, name, opts) for data, name, opts in batch}
    assert results["good1.pdf"].status is ConversionStatus.OK
    assert "First good document." in results["good1.pdf"].markdown
    assert results["good2.md"].status is ConversionStatus.OK
    assert "Second good document." in results["good2.md"].markdown
    bad = [r for name, r in results.items() if not name.startswith("good")]
    assert all(r.status is not ConversionStatus.OK for r in bad)


def test_pdf_with_an_empty_first_page_still_converts(corpus) -> None:
    path = corpus / "pdf" / "skipped_1page.pdf"
    result = convert_document(path.read_bytes(), path.name, NATIVE)
    assert result.status is ConversionStatus.OK
    assert result.page_count == 3
    assert len(result.page_starts) == 3
