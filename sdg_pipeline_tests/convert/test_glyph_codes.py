"""Glyphs docling-parse cannot map are written as their names' hex codes ("uni2014" ->
"2014"); they are read back as characters where the word's box fits the character, and years
stay years."""

from __future__ import annotations

import re
from pathlib import Path

from sdg_pipeline.convert import ConversionOptions, ConversionStatus, convert_document
from sdg_pipeline.convert.cells import Box, Word, _decoded

FIXTURES = Path(__file__).parent / "fixtures"


def test_dashes_and_daggers_written_as_codes_read_as_characters() -> None:
    data = (FIXTURES / "unix-program-design.pdf").read_bytes()
    result = convert_document(data, "unix-program-design.pdf", ConversionOptions(mode="native"))
    assert result.status is ConversionStatus.OK, result.error
    text = result.markdown
    assert "UNIX† environment" in text.splitlines()[0], text.splitlines()[0]
    assert "the programming environment — how they can be used" in text
    assert "2014" not in text, re.findall(r".{20}2014.{10}", text)
    assert "system— some" in text and "—with what it happens" in text
    # the paper's real years are years
    assert "1984" in text and "1971" in text


def test_a_year_as_wide_as_four_digits_is_kept() -> None:
    # Times-Roman at 10 pt: "2014" is about 20 pt wide, an em dash 10 pt
    assert _decoded(Word("2014", Box(0, 0, 20.0, 8.7), "Times-Roman")) is None
    assert _decoded(Word("2014", Box(0, 0, 10.0, 8.7), "LucidaSansUnicode")) == "\u2014"
    assert _decoded(Word("FY2014", Box(0, 0, 31.0, 8.7), "Times-Roman")) is None
    # a year set vertically in an arXiv margin: one glyph wide, four tall
    assert _decoded(Word("2021", Box(0, 0, 9.0, 20.0), "Times-Roman")) is None
    assert _decoded(Word("system2014", Box(0, 0, 40.5, 9.3), "Times-Roman")) == "system\u2014"
