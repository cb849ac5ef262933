"""Pages without a usable text layer go through OCR; each page records its path."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from sdg_pipeline.convert import ConversionOptions, ConversionStatus, convert_document
from sdg_pipeline.convert.cells import Box, PageText, Span
from sdg_pipeline.convert.text_layer import assess
from sdg_pipeline_tests.convert.pdf_factory import (
    INTRO,
    REPORT,
    Writer,
    broken_font_pdf,
    image_only_pdf,
    scanned_pdf,
    text_pdf,
)

NATIVE = ConversionOptions(mode="native")


def _words(text: str) -> Counter:
    return Counter(w.lower() for w in re.findall(r"\w+", text))


def _content_f1(ours: str, reference: str) -> float:
    a, b = _words(ours), _words(reference)
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * p * r / (p + r)


def test_scanned_corpus_page_converts_through_ocr(corpus) -> None:
    original = (corpus / "pdf" / "amt_handbook_sample.pdf").read_bytes()
    native = convert_document(original, "amt.pdf", NATIVE)
    result = convert_document(scanned_pdf(original), "amt-scan.pdf", NATIVE)
    assert result.status is ConversionStatus.OK
    assert result.page_paths == ["ocr"] * native.page_count
    assert _content_f1(result.markdown, native.markdown) >= 0.8
    assert "ocr" in result.converter


def test_scanned_paragraphs_keep_their_words_spaced_and_joined() -> None:
    w = Writer()
    w.paragraph(INTRO)
    result = convert_document(scanned_pdf(w.pdf(), dpi=200), "scan.pdf", NATIVE)
    assert result.page_paths == ["ocr"]
    # One paragraph, words separated (the bundled recognizer itself drops Latin spaces).
    assert result.markdown.count("\n\n") == 0
    assert "keeps the words of a document" in result.markdown


def test_broken_font_layer_is_replaced_by_ocr() -> None:
    result = convert_document(broken_font_pdf(), "glyphs.pdf", NATIVE)
    assert result.status is ConversionStatus.OK
    assert result.page_paths == ["ocr"]
    assert "\ue000" not in result.markdown and "\ufffd" not in result.markdown
    assert _content_f1(result.markdown, REPORT) >= 0.9
    assert any("unmapped glyphs" in w for w in result.warnings)


def test_broken_font_layer_without_ocr_is_no_text_not_soup() -> None:
    result = convert_document(broken_font_pdf(), "glyphs.pdf", ConversionOptions(ocr=False))
    assert result.status is ConversionStatus.NO_TEXT
    assert result.markdown == ""
    assert "glyphs.pdf" in result.error and "unmapped glyphs" in result.error


def test_picture_without_text_still_gets_no_text_naming_the_document() -> None:
    result = convert_document(image_only_pdf(), "scan.pdf", NATIVE)
    assert result.status is ConversionStatus.NO_TEXT
    assert "scan.pdf" in result.error
    assert "no text layer" in result.error and "OCR found no text" in result.error


def test_each_page_records_its_path_and_quality() -> None:
    import pypdfium2 as pdfium

    # Page 1 keeps its layer, page 2 is a scan: a document of mixed paths.
    good = pdfium.PdfDocument(text_pdf(text="A page with a real text layer."))
    scan = pdfium.PdfDocument(scanned_pdf(text_pdf(text="A page that was scanned.")))
    good.import_pages(scan)
    buffer = __import__("io").BytesIO()
    good.save(buffer)
    result = convert_document(buffer.getvalue(), "mixed.pdf", NATIVE)
    assert result.page_paths == ["native", "ocr"]
    assert result.page_path_counts == {"native": 1, "ocr": 1}
    assert len(result.page_quality) == 2
    assert all(0.8 <= q <= 1.0 for q in result.page_quality)
    assert "A page that was scanned." in result.markdown[result.page_starts[1] :]


def _page(texts: list[str], cover: float = 0.0) -> PageText:
    spans = [Span(t, Box(72, 100 + 14 * i, 500, 110 + 14 * i), "Helvetica", False)
             for i, t in enumerate(texts)]
    images = [Box(0, 0, 612 * cover, 792)] if cover else []
    return PageText(1, 612, 792, spans, images)


@pytest.mark.parametrize(
    ("texts", "cover", "needs_ocr"),
    [
        (["An ordinary page of running text that reads well."], 0.0, False),
        (["\ufffd\ufffd\ufffd \ufffd\ufffd \ufffd\ufffd\ufffd\ufffd"], 0.0, True),
        (["GLYPH<c=3,font=/F1>GLYPH<c=4,font=/F1> GLYPH<c=5,font=/F1>"], 0.0, True),
        # Code has few dictionary words but is drawn as text: its layer is what it shows.
        (["x = f(a[i]) + g(*b) ;; {} => <T> ~~ ^^ %% @@ ## !! ?? $$ &&"] * 2, 0.0, False),
        # The same non-words over a page-size picture are a bad OCR layer of a scan.
        (["«POAH «3E*»CM tnntxm /^ . ^ s*r;tiiR» FRG&t OSZ ttsrtj"] * 2, 1.0, True),
        (["A scan whose own OCR layer reads properly, word for word."] * 2, 1.0, False),
    ],
)
def test_text_layer_verdict(texts: list[str], cover: float, needs_ocr: bool) -> None:
    assert assess(_page(texts, cover)).needs_ocr is needs_ocr


def test_without_the_ocr_extra_a_scan_says_ocr_is_not_installed(monkeypatch) -> None:
    import sys

    from sdg_pipeline.convert import ocr

    monkeypatch.setattr(ocr, "_ENGINE", None)
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails
    result = convert_document(scanned_pdf(text_pdf()), "scan.pdf", NATIVE)
    assert result.status is ConversionStatus.NO_TEXT
    assert "scan.pdf" in result.error and "OCR is not installed" in result.error


def test_an_ocr_line_is_cut_at_the_table_rules_it_read_as_bars() -> None:
    from sdg_pipeline.convert.ocr import _cells

    text = "Region | Revenue"
    xs = [float(i * 10) for i in range(len(text))]
    pieces = _cells(text, xs, Box(100, 50, 260, 60), crop_width=160)
    assert [p.text for p in pieces] == ["Region", "Revenue"]
    assert pieces[0].box.x1 < pieces[1].box.x0
    assert [w.text for w in pieces[1].words] == ["Revenue"]
