"""A failed check's headline says what went wrong, once, in a line a person reads to the end."""

from __future__ import annotations

import pytest

from sdg_pipeline.expectations.suites import suite_for
from sdg_pipeline.expectations.thresholds import CheckThresholds
from sdg_pipeline_tests.expectations import frames
from sdg_pipeline_tests.expectations.frames import DOC
from sdg_pipeline_tests.expectations.helpers import failures, run

ERROR = "scan.pdf: PDF has no text layer on any of its 4 page(s) (scanned?)"


def test_a_failed_conversion_is_named_by_the_converters_words_once() -> None:
    frame = frames.markdown_documents("", status="no_text", error=ERROR, page_count=0)
    result = run("markdown_documents", frame)
    # The empty markdown, the letter ratio and the page count fail because the conversion did;
    # they are counted, and the cause is said once, never as the success condition.
    assert len(failures(result)) == 4
    assert (
        result.description == f"conversion failed (no_text): {ERROR} (+3 more failed expectations)"
    )
    assert "status 'ok'" not in result.description


def test_the_failures_metadata_still_lists_every_expectation_with_its_headline() -> None:
    frame = frames.markdown_documents("", status="corrupt", error="a.pdf: PDF cannot be read")
    (status, *rest) = failures(run("markdown_documents", frame))
    assert status["expectation"] == "conversion status is 'ok'"
    assert status["headline"] == "conversion failed (corrupt): a.pdf: PDF cannot be read"
    assert [f["expectation"] for f in rest] == [
        "markdown is non-empty",
        "letters are at least 50% of non-space characters "
        "(a scan without text layer or mojibake has far fewer)",
    ]


def test_a_row_without_its_own_reason_falls_back_to_what_was_observed() -> None:
    frame = frames.markdown_documents(status="corrupt", error="   ")
    result = run("markdown_documents", frame)
    assert result.description == (
        "conversion status is 'ok': not so for 1 of 1 rows (e.g. status='corrupt')"
    )


def test_a_multi_line_reason_stays_on_one_line() -> None:
    frame = frames.markdown_documents(status="corrupt", error="a.pdf: bad\n  xref\ttable")
    assert run("markdown_documents", frame).description == (
        "conversion failed (corrupt): a.pdf: bad xref table"
    )


def test_an_empty_file_is_named() -> None:
    result = run("raw_documents", frames.raw_documents(content=b""))
    assert result.description == f"{DOC}.pdf is empty (0 bytes)"


def test_no_rows_says_what_it_means() -> None:
    result = run("chunks", frames.chunks().iloc[0:0])
    assert result.description == "no rows: the markdown produced no chunks"


def test_a_warning_headline_says_it_is_one() -> None:
    result = run("judged_pairs", frames.judged_pairs(25, passed=25, judge="llm"))
    assert result.description == (
        "warning: an LLM judge passed every one of 20+ pairs (rubber-stamping?)"
    )


@pytest.mark.parametrize(
    "asset", ["raw_documents", "markdown_documents", "chunks", "qa_pairs", "judged_pairs"]
)
def test_a_headline_template_names_only_columns_its_suite_has(asset: str) -> None:
    suite = suite_for(asset, CheckThresholds(), partition_key=DOC)
    frame = getattr(frames, asset)()
    derived = suite.derive(frame)
    for check in suite.checks:
        if check.failure:
            fields = [part.split("}")[0] for part in check.failure.split("{")[1:]]
            assert set(fields) <= set(derived.columns), (asset, check.failure)
