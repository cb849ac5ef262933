"""Wrapped lines that begin with numbers, standard-font weights, and heading levels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sdg_pipeline.convert import ConversionOptions, ConversionStatus, convert_document
from sdg_pipeline.convert.fonts import name_fonts
from sdg_pipeline.convert.lines import page_lines
from sdg_pipeline.convert.pdf import _native_pages
from sdg_pipeline_tests.convert.pdf_factory import (
    NUMBERED_PARAGRAPH,
    SHORT_TAILS,
    WRAPPED_NUMBERS,
    bold_body_pdf,
    short_tails_pdf,
    titled_pdf,
    wrapped_numbers_pdf,
)


def _markdown(data: bytes) -> str:
    result = convert_document(data, "generated.pdf", ConversionOptions(mode="native"))
    assert result.status is ConversionStatus.OK, result.error
    return result.markdown


def _headings(markdown: str) -> list[tuple[int, str]]:
    return [(len(m[0]), m[1]) for m in re.findall(r"(?m)^(#{1,6}) (.+)$", markdown)]


@pytest.fixture(scope="module")
def wrapped() -> str:
    return _markdown(wrapped_numbers_pdf())


def test_lines_wrapping_onto_a_number_stay_in_their_paragraph(wrapped) -> None:
    assert " ".join(WRAPPED_NUMBERS) in wrapped.split("\n\n")


def test_numbered_paragraph_that_wraps_is_not_a_heading(wrapped) -> None:
    assert " ".join(NUMBERED_PARAGRAPH) in wrapped.split("\n\n")
    assert all("lessee" not in text for _, text in _headings(wrapped))


def test_standalone_numbered_lines_keep_their_roles(wrapped) -> None:
    assert (3, "4.2 Standalone numbered title") in _headings(wrapped)
    assert "1. Keep clear of the mark.\n2. Finish within the limit." in wrapped


def test_standard_font_resource_keys_are_named() -> None:
    data = bold_body_pdf()
    pages = _native_pages(data, "bold.pdf", 10)
    assert pages[0].unnamed_fonts  # docling-parse gave resource keys such as /F1
    name_fonts(data, pages)
    assert not pages[0].unnamed_fonts
    lines = {ln.text: ln for ln in page_lines(pages[0])}
    assert lines["Key terms"].font == "Helvetica-Bold" and lines["Key terms"].bold
    assert not any(ln.bold for text, ln in lines.items() if text != "Key terms")


def test_bold_label_at_body_size_becomes_a_heading() -> None:
    markdown = _markdown(bold_body_pdf())
    assert "Key terms" in [text for _, text in _headings(markdown)]


@pytest.mark.parametrize("numbered", [False, True])
def test_single_top_title_is_level_one(numbered: bool) -> None:
    prefix = ("1. ", "2. ", "2.1 ") if numbered else ("", "", "")
    assert _headings(_markdown(titled_pdf(numbered))) == [
        (1, "Harbour Operations Manual"),
        (2, prefix[0] + "Purpose"),
        (2, prefix[1] + "Berths"),
        (3, prefix[2] + "Visitor berths"),
    ]


def test_largest_style_used_twice_is_not_a_title() -> None:
    levels = dict((text, level) for level, text in _headings(_markdown(titled_pdf(True, True))))
    assert levels["Harbour Operations Manual"] == levels["Harbour Appendix"] == 2


def test_converter_version_names_the_reconstruction_that_produced_a_result() -> None:
    from sdg_pipeline.chunk import CHUNKER_VERSION
    from sdg_pipeline.convert import CONVERTER_VERSION

    result = convert_document(titled_pdf(False), "t.pdf", ConversionOptions(mode="native"))
    reconstruction = result.converter.rsplit("+", 1)[-1]  # "reconstruct-N"
    assert CONVERTER_VERSION.startswith(reconstruction + "+docling-")
    assert CONVERTER_VERSION.endswith(result.converter_version)
    assert CHUNKER_VERSION.strip()


def test_short_last_line_of_x_height_letters_stays_in_its_paragraph() -> None:
    # Word boxes hug the glyphs: "a run." is a third lower than "The crew checks", which read
    # as a smaller font and opened a paragraph of its own.
    paragraphs = _markdown(short_tails_pdf()).split("\n\n")
    for lines in SHORT_TAILS:
        assert " ".join(lines) in paragraphs


def test_short_last_line_of_glyph_tight_boxes_stays_in_its_paragraph() -> None:
    # A LibreOffice export: word boxes hug the glyphs, so "as I can." and "me." are a quarter
    # lower than the paragraph's other lines.
    data = (Path(__file__).parent / "fixtures" / "category-level.pdf").read_bytes()
    paragraphs = _markdown(data).split("\n\n")
    ends = [
        p for p in paragraphs if p.endswith(("as soon as I can.", "towards the ocean with me."))
    ]
    assert len(ends) == 2
    assert all(len(p.split()) > 40 for p in ends)
