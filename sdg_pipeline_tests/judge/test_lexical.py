"""Lexical judge: passes the generator's faithful pairs, fails planted bad ones with reasons."""

from __future__ import annotations

import pandas as pd
import pytest

from sdg_pipeline.generate.offline import generate_pairs_offline
from sdg_pipeline.judge.lexical import (
    JUDGE_NAME,
    LEXICAL_JUDGE_VERSION,
    JudgeThresholds,
    content_tokens,
    judge_pairs_offline,
)
from sdg_pipeline.schemas import JUDGED_PAIRS
from sdg_pipeline_tests.generate.test_offline import LEAVE_CHUNK, make_chunks


@pytest.fixture(scope="module")
def chunks() -> pd.DataFrame:
    return make_chunks([LEAVE_CHUNK])


@pytest.fixture(scope="module")
def generated(chunks) -> pd.DataFrame:
    return generate_pairs_offline(chunks, max_pairs_per_chunk=8)


def planted(generated: pd.DataFrame, **changes) -> pd.DataFrame:
    row = generated.iloc[0].copy()
    for key, value in changes.items():
        row[key] = value
    row["pair_id"] = "planted-" + "-".join(sorted(changes))
    return pd.DataFrame([row])


def verdict(pairs: pd.DataFrame, chunks: pd.DataFrame) -> pd.Series:
    return judge_pairs_offline(pairs, chunks).iloc[0]


def test_generated_pairs_all_pass(generated, chunks):
    judged = judge_pairs_offline(generated, chunks)
    assert list(judged.columns) == JUDGED_PAIRS.names
    assert judged["passed"].all(), judged.loc[~judged["passed"], ["question", "reasons"]]
    assert (judged["faithfulness_label"] == "supported").all()
    assert judged["grounding_ok"].all()
    assert set(judged["judge"]) == {JUDGE_NAME}
    assert set(judged["judge_prompt_version"]) == {LEXICAL_JUDGE_VERSION}
    assert judged["judge_model"].isna().all() and judged["judge_error"].isna().all()
    assert judged["reasons"].str.startswith("passed").all()
    # The judge keeps the pair's own columns untouched.
    pd.testing.assert_frame_equal(
        judged[generated.columns.tolist()], generated.reset_index(drop=True)
    )


def test_wrong_number_fails_grounding(generated, chunks):
    pairs = planted(
        generated,
        question="How many days of paid leave do full-time employees receive?",
        answer="Full-time employees receive 28 days of paid leave per year.",
    )
    result = verdict(pairs, chunks)
    assert not result["passed"]
    assert not result["grounding_ok"]
    assert result["grounding_issues"] == "number '28' not in chunk"
    assert "grounding: number '28' not in chunk" in result["reasons"]
    # Only the number is wrong: word overlap alone would clear the faithfulness threshold.
    assert result["faithfulness"] >= JudgeThresholds().min_faithfulness


def test_unrelated_answer_fails_relevancy(generated, chunks):
    pairs = planted(
        generated,
        question="How many days of paid leave do full-time employees receive?",
        answer="Part-time staff accrue leave pro rata.",
    )
    result = verdict(pairs, chunks)
    assert not result["passed"]
    assert result["relevancy"] < 0.5
    assert "relevancy" in result["reasons"] and "no number" in result["reasons"]
    assert result["faithfulness_label"] == "supported"


def test_answer_about_another_term_of_the_same_section_fails(generated, chunks):
    # Every word of the answer is in the chunk and it shares the section's heading words, but it
    # does not take up the term the question asks about.
    pairs = planted(
        generated,
        question="What is Carry-over in the context of Annual Leave?",
        answer="Annual leave is the paid time off that employees may take each year.",
    )
    result = verdict(pairs, chunks)
    assert not result["passed"]
    assert result["faithfulness_label"] == "supported"
    assert "relevancy" in result["reasons"]


def test_answer_from_outside_the_chunk_is_unsupported(generated, chunks):
    pairs = planted(
        generated,
        question="What is the days of leave for Junior in Leave entitlement by grade?",
        answer="Juniors negotiate holidays individually with their supervisor.",
    )
    result = verdict(pairs, chunks)
    assert not result["passed"]
    assert result["faithfulness_label"] == "unsupported"
    assert "faithfulness" in result["reasons"]


def test_context_dependent_question_fails_standalone(generated, chunks):
    pairs = planted(
        generated,
        question="According to the document, how many days of leave do employees get?",
        answer="Full-time employees receive 25 days of paid leave per year.",
    )
    result = verdict(pairs, chunks)
    assert not result["passed"]
    assert result["standalone"] < 0.7
    assert "refers to the source document" in result["reasons"]
    assert result["grounding_ok"] and result["relevancy"] >= 0.5


def test_when_question_needs_a_date(generated, chunks):
    pairs = planted(
        generated,
        question="When was the leave policy introduced?",
        answer="Annual leave is the paid time off that employees may take each year.",
    )
    result = verdict(pairs, chunks)
    assert not result["passed"]
    assert "no date or time" in result["reasons"]


def test_generation_error_passes_through_as_failed(generated, chunks):
    pairs = planted(generated, question=None, answer=None, error="timeout after 3 retries")
    result = verdict(pairs, chunks)
    assert not result["passed"]
    assert result["reasons"] == "generation failed: timeout after 3 retries"
    assert result["error"] == "timeout after 3 retries"


def test_missing_chunk_fails(generated):
    other_chunks = make_chunks(["Unrelated text that is long enough to be a chunk of its own."])
    other_chunks["chunk_id"] = ["other"]
    result = verdict(generated.head(1), other_chunks)
    assert not result["passed"]
    assert "chunk not found" in result["reasons"]


def test_thresholds_are_applied(generated, chunks):
    # a question the answer only half meets, beside the generated ones: the best relevancy of
    # them all as the bar leaves it under
    loose = planted(generated, question="What does the handbook say about leave and parking?")
    pairs = pd.concat([generated, loose], ignore_index=True)
    cut = float(judge_pairs_offline(pairs, chunks)["relevancy"].max())
    strict = JudgeThresholds(min_relevancy=cut)
    judged = judge_pairs_offline(pairs, chunks, strict)
    below = judged["relevancy"] < cut
    assert below.any()
    assert not judged.loc[below, "passed"].any()
    assert judged.loc[~below, "passed"].all()


def test_content_tokens_drop_stopwords_and_stem():
    tokens = content_tokens("The employees are receiving 1,000 days")
    assert tokens == ["employe", "receiv", "1000", "day"]
    assert content_tokens("employee") == content_tokens("employees")


def test_empty_input_gives_empty_frame_with_contract_columns(chunks):
    judged = judge_pairs_offline(generate_pairs_offline(chunks.head(0)), chunks)
    assert judged.empty
    assert list(judged.columns) == JUDGED_PAIRS.names


def test_a_hash_line_in_a_code_fence_does_not_place_a_question(generated):
    text = (
        "## Setup\n\nThe installer copies the driver files into the system folder.\n\n"
        "```sh\n# Widgets\nmake install\n```\n"
    )
    chunks = make_chunks([text], [["Manual", "Setup"]])
    pairs = planted(
        generated,
        chunk_id="doc-0",
        question="What are the key points about Widgets?",
        answer="The installer copies the driver files into the system folder.",
    )
    result = verdict(pairs, chunks)
    # "Widgets" is code, not a section, so the question asks about it and the answer must say it.
    assert not result["passed"]
    assert "relevancy" in result["reasons"]
