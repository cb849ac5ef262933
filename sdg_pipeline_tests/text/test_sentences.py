"""Sentence splitting: exact offsets; abbreviations, initials and decimals end no sentence."""

from __future__ import annotations

import pytest

from sdg_pipeline.text import sentence_spans


def _sentences(text: str) -> list[str]:
    spans = sentence_spans(text)
    for start, end in spans:
        assert text[start:end] == text[start:end].strip()
    return [text[start:end] for start, end in spans]


def test_plain_sentences_split_at_their_ends() -> None:
    text = "The pump runs daily. It stops at night! Does it leak? No leaks were found."
    assert _sentences(text) == [
        "The pump runs daily.",
        "It stops at night!",
        "Does it leak?",
        "No leaks were found.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Use a sealant, e.g. Loctite, on every joint.",
        "Use a sealant, i.e. Loctite, on every joint.",
        "The flow is 3.5 litres per second at 2.25 bar.",
        "Dr. Smith and Prof. Jones wrote it.",
        "See Fig. 3 for the layout.",
        "J. R. Smith signed the form.",
        "It ships to the U.S. Army and others.",
        "Pumps, valves, etc. Also filters were listed.",
        # read 25: Novo Holdings' "Chr. Hansen"; an Indian board's "Smt."
        "Novozymes' merger with Chr. Hansen (to form Novonesis) was completed in 2024.",
        "Smt. Rashmi Govil was appointed Director (HR) in 2023.",
    ],
)
def test_abbreviations_initials_and_decimals_do_not_split(text: str) -> None:
    assert _sentences(text) == [text]


def test_a_sentence_may_open_with_a_digit_quote_or_bracket_but_not_lowercase() -> None:
    text = 'It was fixed. 12 pumps remain. "Good," she said. (See below.) then more.'
    assert _sentences(text) == [
        "It was fixed.",
        "12 pumps remain.",
        '"Good," she said.',
        "(See below.) then more.",
    ]


def test_closing_quotes_stay_with_their_sentence_and_other_scripts_split() -> None:
    assert _sentences('He said "stop." Then it stopped.') == ['He said "stop."', "Then it stopped."]
    assert _sentences("Das ist gut. Über alles.") == ["Das ist gut.", "Über alles."]
    assert _sentences("It is done. значит готово.") == ["It is done. значит готово."]


def test_offsets_are_absolute_within_the_given_range() -> None:
    text = "# Heading\n\nFirst one here. Second one here.\n"
    start = text.index("First")
    end = text.rindex(".") + 1
    spans = sentence_spans(text, start, end)
    assert [text[a:b] for a, b in spans] == ["First one here.", "Second one here."]
    assert spans[0][0] == start and spans[-1][1] == end
    assert sentence_spans("   ") == [] and sentence_spans("") == []
