"""A text layer's control characters between words are the gap the page shows: one space,
never a tab or a carriage return in the Markdown; a hyphen drawn as three is one."""

from __future__ import annotations

from sdg_pipeline.convert.cells import _as_drawn
from sdg_pipeline_tests.convert.fixture_pdfs import native_markdown


def test_tabs_and_returns_between_words_read_as_spaces() -> None:
    text = native_markdown("pipeclamp-p1.pdf")
    assert "\t" not in text and "\r" not in text and "\u00ad" not in text
    assert "While Avro extends JSON by incorporating schemas" in text
    assert "## How it works" in text.splitlines()
    assert "field and record-level constraints" in text
    assert "Avro-related functionality" in text


def test_only_drawn_gaps_and_hyphens_change() -> None:
    assert _as_drawn("a\t\r \u00a0b") == "a b"
    assert _as_drawn("two  spaces stay") == "two  spaces stay"
    assert _as_drawn("record-\u00ad-level") == "record-level"
    assert _as_drawn("well-known -- and \u2014 dashes") == "well-known -- and \u2014 dashes"
