"""Offline layout reconstruction on a generated PDF whose structure is known."""

from __future__ import annotations

import re

import pytest

from sdg_pipeline.convert import ConversionOptions, ConversionStatus, convert_document
from sdg_pipeline.convert.layout import join_text, list_marker
from sdg_pipeline_tests.convert.pdf_factory import (
    INTRO,
    LEFT_COLUMN,
    RIGHT_COLUMN,
    structured_pdf,
)


@pytest.fixture(scope="module")
def result():
    converted = convert_document(
        structured_pdf(), "structured.pdf", ConversionOptions(mode="native")
    )
    assert converted.status is ConversionStatus.OK, converted.error
    return converted


def test_mode_and_converter_are_recorded(result) -> None:
    assert result.mode == "native"
    assert result.converter.startswith("docling/native")
    assert result.page_count == 2


def test_headings_are_recovered_from_font_size(result) -> None:
    headings = re.findall(r"(?m)^#{1,6} (.+)$", result.markdown)
    assert headings == ["1 Introduction", "2 Methods", "3 Results", "4 Discussion"]


def test_wrapped_lines_become_one_paragraph(result) -> None:
    paragraphs = result.markdown.split("\n\n")
    assert INTRO in paragraphs


def test_bullets_including_dingbat_glyphs_become_list_items(result) -> None:
    items = re.findall(r"(?m)^- (.+)$", result.markdown)
    assert items[0].startswith("First bullet item") and items[0].endswith("of the item.")
    assert items[1] == "Second bullet item drawn with a dingbat glyph."
    assert "1. Alpha step comes first." in result.markdown


def test_column_aligned_cells_become_a_table(result) -> None:
    table = [ln for ln in result.markdown.splitlines() if ln.startswith("|")]
    assert table[0] == "| Model | Accuracy | Recall | Latency |"
    assert "| beta | 0.87 | 0.93 | 9 ms |" in table


def test_running_header_and_page_numbers_are_dropped(result) -> None:
    assert "ACME Quarterly Review" not in result.markdown
    assert not re.search(r"(?m)^\d+$", result.markdown)


def test_two_columns_read_left_then_right_and_rejoin_the_split_sentence(result) -> None:
    assert join_text(LEFT_COLUMN, RIGHT_COLUMN)[0] in result.markdown


def test_page_starts_point_at_each_page(result) -> None:
    assert result.page_starts[0] == 0
    assert result.markdown[result.page_starts[1] :].startswith("## 4 Discussion")


def test_dehyphenation_joins_only_word_breaks() -> None:
    assert join_text("a hyphen-", "ated word")[0] == "a hyphenated word"
    assert join_text("the year 1999-", "2000 range")[0] == "the year 1999- 2000 range"


def test_list_markers_cover_odd_glyphs_and_enumerators() -> None:
    assert list_marker("∞ Symbol-font bullet") == ("-", "Symbol-font bullet")
    assert list_marker("➢ arrow bullet") == ("-", "arrow bullet")
    assert list_marker("3) third") == ("3.", "third")
    assert list_marker("n dingbat", glyph_marker=True) == ("-", "dingbat")
    assert list_marker("Plain sentence.") is None


def test_corpus_pdfs_recover_structure(corpus) -> None:
    path = corpus / "pdf" / "multi_page.pdf"
    result = convert_document(path.read_bytes(), path.name, ConversionOptions(mode="native"))
    assert result.status is ConversionStatus.OK
    assert len(re.findall(r"(?m)^#{1,6} ", result.markdown)) >= 10
    assert len(re.findall(r"(?m)^(- |\d\. )", result.markdown)) >= 15
    assert len(result.page_starts) == 5
    assert result.page_starts == sorted(result.page_starts)


def test_lettered_and_roman_items_are_bullets_keeping_their_label() -> None:
    # Markdown numbers lists with digits only; "b) ..." must still be a list item.
    assert list_marker("b) The quick brown fox.") == ("-", "b) The quick brown fox.")
    assert list_marker("ii) Trying various lists.") == ("-", "ii) Trying various lists.")
    # A bracketed label whose tab the text layer lost.
    assert list_marker("(a)This is dummy text.") == ("-", "(a) This is dummy text.")
    # A lettered section label stays as printed, not a list item.
    assert list_marker("A. PURPOSE") == ("A.", "PURPOSE")
