"""Deterministic grounding and standalone checks shared by both judges."""

from __future__ import annotations

import pytest

from sdg_pipeline.judge.grounding import (
    check_grounding,
    extract_dates,
    extract_numbers,
    normalize_text,
    standalone_issues,
)

CHUNK = """## Leave policy

Employees receive **25 days** of paid leave per year. The travel budget was $1,200,000 in 2023
and grew by 12.5% after the review. Three reviewers sign each request.

| Plan | Price |
|---|---|
| Basic | 9.99 |

The policy took effect on 12 March 2024. Managers must confirm that "leave is approved in
advance" before the first day of absence.
"""


def test_numbers_in_chunk_pass_and_paraphrase_keeping_numbers_is_accepted():
    answer = "Staff get 25 days of paid leave each year, and the travel budget grew 12.5%."
    assert check_grounding(answer, CHUNK) == check_grounding(answer, CHUNK)
    assert check_grounding(answer, CHUNK).ok


def test_hallucinated_number_is_reported():
    result = check_grounding("Employees receive 30 days of paid leave per year.", CHUNK)
    assert not result.ok
    assert result.issues == ["number '30' not in chunk"]


@pytest.mark.parametrize(
    "answer",
    [
        "The budget was $1.2 million.",  # scale word
        "The budget was 1 200 000 dollars.",  # space as thousands separator
        "The budget was 1200000.",  # no separator
        "Growth was 12.50 percent.",  # trailing zero, word for %
        "Basic costs 9.99.",  # table cell
        "3 reviewers sign each request.",  # digit for a number word in the chunk
    ],
)
def test_number_formats_are_normalised(answer):
    assert check_grounding(answer, CHUNK).ok, check_grounding(answer, CHUNK).issues


def test_number_normalisation_of_extracted_values():
    assert extract_numbers("1,000 and 1 000 and 1000 and 3.50 and 12% and 007") == [
        "1000", "1000", "1000", "3.5", "12", "7",
    ]  # fmt: skip
    # Digits glued to letters are names, not quantities; a hyphen does not glue.
    assert extract_numbers("H2O flows at v1.2 in COVID-19") == ["19"]


@pytest.mark.parametrize(
    "answer",
    ["It took effect on March 12, 2024.", "Effective 2024-03-12.", "It began in March 2024."],
)
def test_dates_written_differently_are_accepted(answer):
    assert check_grounding(answer, CHUNK).ok


def test_hallucinated_date_is_reported_even_when_its_numbers_occur_elsewhere():
    # 25 and 2024 both occur in the chunk, but not as the 25th of March.
    result = check_grounding("The policy took effect on 25 March 2024.", CHUNK)
    assert not result.ok
    assert result.issues == ["date '25 March 2024' not in chunk"]
    assert not check_grounding("It began in April 2024.", CHUNK).ok


def test_extract_dates_keeps_both_readings_of_ambiguous_numeric_dates():
    (readings,) = extract_dates("Signed 03/04/2024.")
    assert readings == {(2024, 3, 4), (2024, 4, 3)}
    assert extract_dates("You may 12 times") == []  # the verb "may" is no month


def test_quoted_span_must_occur_in_chunk_tolerating_markup_case_and_line_breaks():
    good = 'Managers confirm that "Leave is approved in advance".'
    assert check_grounding(good, CHUNK).ok
    curly = "Managers confirm that \u201cleave is approved \u2026 advance\u201d."
    assert check_grounding(curly, CHUNK).ok
    bad = check_grounding('Managers confirm that "leave is approved by HR".', CHUNK)
    assert not bad.ok
    assert bad.issues == ['quoted span "leave is approved by HR" not in chunk']


def test_answer_without_numbers_dates_or_quotes_is_grounded_trivially():
    assert check_grounding("Employees receive paid leave.", CHUNK).ok


def test_normalize_text_strips_markdown_and_case():
    assert normalize_text("## **Leave**  | Policy |") == "leave policy"


@pytest.mark.parametrize(
    "question",
    [
        "According to the document, how many days of leave do employees get?",
        "What does the passage say about leave?",
        "What is described in this section?",
        "Which of the above options is cheapest?",
        "What is the process mentioned here?",
        "What does the author recommend?",
        "What is it used for?",
        "They introduced what feature?",
        "Which of these is true?",
        "How many days are listed in the table?",
    ],
)
def test_standalone_issues_flag_context_dependent_questions(question):
    assert standalone_issues(question), question


@pytest.mark.parametrize(
    "question",
    [
        "How many days of paid leave do employees receive under the leave policy?",
        "What is the price of the Basic plan?",
        "What is the role of the table of contents in a handbook?",
        "When was the Selectric typewriter introduced?",
    ],
)
def test_standalone_questions_have_no_issues(question):
    assert standalone_issues(question) == []


def test_standalone_issue_messages_name_the_offending_phrase():
    issues = standalone_issues("According to the text, what is X?")
    assert len(issues) == 1
    assert "According to the text" in issues[0]
