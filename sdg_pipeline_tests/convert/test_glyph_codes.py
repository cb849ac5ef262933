"""Glyphs docling-parse cannot map are written as their names' hex codes ("uni2014" ->
"2014"); they are read back as characters where the word's box fits the character, and years
stay years."""

from __future__ import annotations

import re

from sdg_pipeline.convert.cells import Box, Word, _decoded
from sdg_pipeline_tests.convert.fixture_pdfs import native_markdown


def test_dashes_and_daggers_written_as_codes_read_as_characters() -> None:
    text = native_markdown("unix-program-design.pdf")
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


def test_glyphs_named_by_their_code_read_as_text() -> None:
    # NESizer2's manual (pdfTeX, METAFONT fonts embedded as Type 3, glyphs named "a97" for
    # the code 97): docling-parse writes the ZapfDingbats glyph of that name ("❚❤❡" for "The")
    # or the name itself ("a115"), so every chunk was skipped as garbled (read 57).
    text = native_markdown("nesizer2-p4-5.pdf")
    assert "At the heart of the NESIZER is the NES APU chip, usually called 2A03" in text
    # the fi ligature (OT1 code 12) and a list's bullet (the symbol font's lone glyph)
    assert "The APU has five separate sound channels:" in text
    assert "- NOISE: This channel produces various forms of noise." in text
    assert not re.search(r"[\u2700-\u27bf\u2460-\u24ff]|\ba1\d\d\b", text), text[:300]


def test_a_dingbat_among_latin_words_is_kept() -> None:
    from sdg_pipeline.convert.cells import Span, _decode_code_named_glyphs

    words = [Word(text=t, box=Box(10.0 * i, 0, 10.0 * i + 8, 10), font="/F1")
             for i, t in enumerate(["Tick", "each", "box", "\u2714", "when", "done"])]  # fmt: skip
    span = Span(text="Tick each box \u2714 when done", box=Box(0, 0, 60, 10), font="/F1",
                rtl=False, words=words)  # fmt: skip
    _decode_code_named_glyphs([span], words)
    assert span.text == "Tick each box \u2714 when done"
