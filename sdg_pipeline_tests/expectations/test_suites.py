"""Each suite passes its asset's good data and catches each failure it is meant to catch."""

from __future__ import annotations

import dagster as dg
import pandas as pd
import pytest

from sdg_pipeline.expectations.suites import jsonl_frame
from sdg_pipeline.expectations.thresholds import CheckThresholds
from sdg_pipeline_tests.expectations import frames
from sdg_pipeline_tests.expectations.frames import DOC
from sdg_pipeline_tests.expectations.helpers import assert_passes, failed_columns, failures, run

# --- raw_documents ---------------------------------------------------------------------------


def test_raw_documents_pass():
    assert_passes(run("raw_documents", frames.raw_documents()))


def test_raw_documents_pass_after_parquet_round_trip():
    # binary content and timestamps as the IO manager returns them
    frame = frames.parquet_round_trip("raw_documents", frames.raw_documents())
    assert_passes(run("raw_documents", frame))


def test_raw_documents_empty_bytes_fail():
    result = run("raw_documents", frames.raw_documents(content=b""))
    assert failed_columns(result) == {"content_bytes"}


def test_raw_documents_unsupported_media_type_fails():
    frame = frames.raw_documents().assign(media_type="image/png")
    result = run("raw_documents", frame)
    assert failed_columns(result) == {"media_type"}
    assert "image/png" in result.description


def test_raw_documents_media_types_come_from_thresholds():
    frame = frames.raw_documents().assign(media_type="image/png")
    thresholds = CheckThresholds(supported_media_types=("image/png",))
    assert_passes(run("raw_documents", frame, thresholds))


def test_raw_documents_missing_hash_fails():
    result = run("raw_documents", frames.raw_documents().assign(content_hash=None))
    assert "content_hash" in failed_columns(result)
    assert any(f["expectation"] == "content hash present" for f in failures(result))


def test_raw_documents_duplicate_hash_fails():
    frame = pd.concat([frames.raw_documents(), frames.raw_documents()], ignore_index=True)
    result = run("raw_documents", frame)
    assert [f["expectation"] for f in failures(result)] == ["content hash unique"]


def test_raw_documents_hash_of_other_bytes_fails():
    frame = frames.raw_documents().assign(content_hash="0" * 64)
    result = run("raw_documents", frame)
    assert failed_columns(result) == {"content_hash_matches"}


def test_raw_documents_size_mismatch_fails():
    result = run("raw_documents", frames.raw_documents().assign(size_bytes=1))
    assert failed_columns(result) == {"size_bytes", "content_bytes"}


def test_raw_documents_other_partition_fails():
    result = run("raw_documents", frames.raw_documents(), partition_key="another-doc")
    assert failed_columns(result) == {"document_key"}


# --- markdown_documents ----------------------------------------------------------------------


def test_markdown_pass():
    assert_passes(run("markdown_documents", frames.markdown_documents()))


def test_markdown_pageless_format_passes_with_one_page():
    frame = frames.markdown_documents(page_starts=[0], page_count=1)
    assert_passes(run("markdown_documents", frame))


def test_markdown_failed_conversion_reports_the_error_text():
    frame = frames.markdown_documents(
        "", status="no_text", error="no text layer: a scanned PDF needs OCR", page_count=4
    )
    result = run("markdown_documents", frame)
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.ERROR
    assert "status" in failed_columns(result)
    assert "no text layer: a scanned PDF needs OCR" in result.description


@pytest.mark.parametrize("status", ["encrypted", "corrupt", "empty", "too_large", "unsupported"])
def test_markdown_any_non_ok_status_fails(status):
    frame = frames.markdown_documents(status=status, error=f"{status} document")
    result = run("markdown_documents", frame)
    assert failed_columns(result) == {"status"}
    assert f"{status} document" in result.description


def test_markdown_empty_text_fails():
    result = run("markdown_documents", frames.markdown_documents("  \n\n "))
    assert failed_columns(result) == {"markdown_chars", "letter_ratio"}


@pytest.mark.parametrize(
    "garbage",
    [
        # a scan whose only "text" is image placeholders
        "<!-- image -->\n\n<!-- image -->\n\n<!-- image -->\n",
        # glyphs without a unicode map, as pdf text extraction emits them
        "(cid:72)(cid:101)(cid:108)(cid:108)(cid:111) (cid:87)(cid:111)(cid:114)(cid:108)",
        # undecodable bytes
        "\ufffd\ufffd\ufffd \ufffd\ufffd 3\ufffd \ufffd\ufffd\ufffd\ufffd 12 \ufffd",
    ],
)
def test_markdown_low_letter_ratio_fails(garbage):
    result = run("markdown_documents", frames.markdown_documents(garbage))
    assert failed_columns(result) == {"letter_ratio"}


def test_markdown_letter_ratio_floor_comes_from_thresholds():
    text = "Invoice 2024-001: 12 x 40.00 = 480.00 EUR"  # numbers-heavy but real
    assert not run("markdown_documents", frames.markdown_documents(text)).passed
    lenient = CheckThresholds(min_letter_ratio=0.2)
    assert_passes(run("markdown_documents", frames.markdown_documents(text), lenient))


def test_markdown_zero_pages_fails():
    result = run("markdown_documents", frames.markdown_documents(page_count=0))
    assert failed_columns(result) == {"page_count"}


# --- chunks ----------------------------------------------------------------------------------


def test_chunks_pass():
    assert_passes(run("chunks", frames.chunks()))


def test_chunks_pass_after_parquet_round_trip():
    # heading_path is a list column: it must not reach GX
    assert_passes(run("chunks", frames.parquet_round_trip("chunks", frames.chunks())))


def test_chunks_duplicate_ids_fail():
    frame = frames.chunks()
    frame.loc[1, "chunk_id"] = frame.loc[0, "chunk_id"]
    assert failed_columns(run("chunks", frame)) == {"chunk_id"}


@pytest.mark.parametrize("tokens", [3, 5000])
def test_chunks_token_count_out_of_bounds_fails(tokens):
    frame = frames.chunks()
    frame.loc[2, "token_count"] = tokens
    result = run("chunks", frame)
    assert failed_columns(result) == {"token_count"}
    assert failures(result)[0]["sample_rows"][0]["chunk_id"] == frame.loc[2, "chunk_id"]


def test_chunks_token_bounds_come_from_thresholds():
    frame = frames.chunks()
    frame.loc[2, "token_count"] = 5000
    assert_passes(run("chunks", frame, CheckThresholds(chunk_max_tokens=8000)))


def test_chunks_empty_text_fails():
    frame = frames.chunks()
    frame.loc[1, "text"] = "   "
    assert failed_columns(run("chunks", frame)) == {"text_chars"}


def test_chunks_of_another_document_fail():
    frame = frames.chunks()
    frame.loc[3, "document_key"] = "some-other-doc"
    assert failed_columns(run("chunks", frame)) == {"document_key"}


def test_chunks_of_two_document_versions_fail():
    frame = frames.chunks()
    frame.loc[3, "content_hash"] = "b" * 64
    assert failed_columns(run("chunks", frame)) == {"content_hash"}


# --- qa_pairs --------------------------------------------------------------------------------


def test_qa_pairs_pass():
    assert_passes(run("qa_pairs", frames.qa_pairs()))


def test_qa_pairs_empty_question_fails():
    frame = frames.qa_pairs()
    frame.loc[0, "question"] = ""
    result = run("qa_pairs", frame)
    assert "question is not empty" in [f["expectation"] for f in failures(result)]


def test_qa_pairs_empty_answer_fails():
    frame = frames.qa_pairs()
    frame.loc[0, "answer"] = None
    result = run("qa_pairs", frame)
    assert "answer is not empty" in [f["expectation"] for f in failures(result)]


def test_qa_pairs_generation_failures_below_the_rate_pass():
    # one failed chunk in ten: recorded on purpose, empty question and answer are fine there
    frame = frames.qa_pairs(10)
    frame.loc[4, ["question", "answer", "error"]] = [None, None, "LLM returned invalid JSON"]
    assert_passes(run("qa_pairs", frame))


def test_qa_pairs_generation_failure_rate_above_threshold_fails():
    frame = frames.qa_pairs(10)
    frame.loc[:2, ["question", "answer", "error"]] = [None, None, "timeout after 3 retries"]
    result = run("qa_pairs", frame)
    assert failed_columns(result) == {"error"}
    assert failures(result)[0]["observed"]["unexpected_count"] == 3
    assert_passes(run("qa_pairs", frame, CheckThresholds(max_generation_failure_rate=0.3)))


def test_qa_pairs_question_without_question_mark_fails():
    frame = frames.qa_pairs()
    frame.loc[2, "question"] = "Describe the inspection interval of the pumps."
    assert failed_columns(run("qa_pairs", frame)) == {"question"}


def test_qa_pairs_duplicate_questions_fail_ignoring_case_and_spacing():
    frame = frames.qa_pairs()
    frame.loc[3, "question"] = "  " + frame.loc[1, "question"].upper().replace(" ", "  ")
    result = run("qa_pairs", frame)
    assert [f["expectation"] for f in failures(result)] == [
        "no duplicate questions within the document"
    ]


def test_qa_pairs_answer_copying_the_question_fails():
    frame = frames.qa_pairs()
    frame.loc[1, "answer"] = frame.loc[1, "question"]
    assert failed_columns(run("qa_pairs", frame)) == {"answer_is_question"}


@pytest.mark.parametrize(
    ("column", "value", "derived"),
    [
        ("question", "Why?", "question_chars"),
        ("question", "W" * 600 + "?", "question_chars"),
        ("answer", "x" * 5000, "answer_chars"),
        ("answer", "A", "answer_chars"),
    ],
)
def test_qa_pairs_lengths_out_of_bounds_fail(column, value, derived):
    frame = frames.qa_pairs()
    frame.loc[0, column] = value
    assert failed_columns(run("qa_pairs", frame)) == {derived}


def test_qa_pairs_zero_pairs_fail_with_a_clear_message():
    result = run("qa_pairs", frames.qa_pairs(0))
    assert not result.passed
    assert failed_columns(result) == {"<table>"}
    assert "zero QA pairs" in result.description


# --- judged_pairs ----------------------------------------------------------------------------


def test_judged_pairs_pass():
    assert_passes(run("judged_pairs", frames.judged_pairs()))


def test_judged_pairs_pass_after_parquet_round_trip():
    frame = frames.parquet_round_trip("judged_pairs", frames.judged_pairs())
    assert_passes(run("judged_pairs", frame))


@pytest.mark.parametrize("score", ["faithfulness", "relevancy", "standalone"])
def test_judged_pairs_score_out_of_range_fails(score):
    frame = frames.judged_pairs()
    frame.loc[2, score] = 1.5
    result = run("judged_pairs", frame)
    assert failed_columns(result) == {score}


def test_judged_pairs_missing_score_fails_on_a_passed_pair():
    frame = frames.judged_pairs()
    frame.loc[2, "faithfulness"] = None  # row 2 passed: it cannot have passed unscored
    assert failed_columns(run("judged_pairs", frame)) == {"faithfulness"}
    # a pair the deterministic checks rejected is never sent to the judge: no scores, a reason
    frame.loc[2, ["passed", "grounding_ok"]] = False
    frame.loc[2, "reasons"] = "grounding: 45 not in the chunk"
    assert_passes(run("judged_pairs", frame))


def test_judged_pairs_failure_without_reasons_fails():
    frame = frames.judged_pairs()
    frame.loc[8, "reasons"] = ""  # row 8 did not pass
    result = run("judged_pairs", frame)
    assert failed_columns(result) == {"reasons_chars"}
    assert failures(result)[0]["sample_rows"][0]["pair_id"] == frame.loc[8, "pair_id"]


def test_judged_pairs_pass_rate_below_floor_is_an_error():
    result = run("judged_pairs", frames.judged_pairs(10, passed=1))
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.ERROR
    assert failed_columns(result) == {"passed_num"}
    assert failures(result)[0]["observed"]["observed_value"] == pytest.approx(0.1)


def test_judged_pairs_pass_rate_ignores_generation_failures():
    frame = frames.judged_pairs(10, passed=2)
    # 8 of the 10 rows are generation failures the judge marked failed: 2 of 2 real pairs pass
    frame.loc[2:, "error"] = "generation failed"
    result = run("judged_pairs", frame)
    assert "passed_num" not in failed_columns(result)


def test_judged_pairs_pass_rate_floor_comes_from_thresholds():
    frame = frames.judged_pairs(10, passed=3)
    assert_passes(run("judged_pairs", frame))
    assert failed_columns(run("judged_pairs", frame, CheckThresholds(min_pass_rate=0.5))) == {
        "passed_num"
    }


def test_judged_pairs_llm_judge_passing_everything_warns():
    result = run("judged_pairs", frames.judged_pairs(20, passed=20, judge="llm"))
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert failed_columns(result) == {"all_passed_by_llm_judge"}
    assert failures(result)[0]["severity"] == "WARN"


@pytest.mark.parametrize(
    ("n", "judge"), [(19, "llm"), (20, "offline-lexical"), (40, "offline-lexical")]
)
def test_judged_pairs_full_pass_is_fine_for_few_rows_or_offline_judge(n, judge):
    assert_passes(run("judged_pairs", frames.judged_pairs(n, passed=n, judge=judge)))


def test_judged_pairs_empty_fails():
    result = run("judged_pairs", frames.judged_pairs(0, passed=0))
    assert not result.passed
    assert "no pairs to judge" in result.description


# --- training_examples -----------------------------------------------------------------------


def test_training_examples_pass():
    assert_passes(run("training_examples", frames.training_examples()))


def test_training_examples_pass_after_parquet_round_trip():
    # messages come back as an ndarray of dicts
    frame = frames.parquet_round_trip("training_examples", frames.training_examples())
    assert_passes(run("training_examples", frame))


@pytest.mark.parametrize(
    ("msgs", "problem"),
    [
        ([{"role": "user", "content": "Why is the sky blue?"}], "assistant"),
        (
            [{"role": "user", "content": "Why?"}, {"role": "assistant", "content": "  "}],
            "content",
        ),
        (
            [{"role": "robot", "content": "Hi?"}, {"role": "assistant", "content": "Hello."}],
            "role",
        ),
        (
            [
                {"role": "user", "content": "Why?"},
                {"role": "assistant", "content": "Because."},
                {"role": "user", "content": "Thanks?"},
            ],
            "assistant_not_last",
        ),
        ([{"role": "system", "content": "S"}, {"role": "assistant", "content": "A"}], "user"),
        ("not a list", "not a list"),
    ],
)
def test_training_examples_invalid_chat_format_fails(msgs, problem):
    frame = frames.training_examples()
    frame["messages"] = [msgs, *frame["messages"][1:]]
    result = run("training_examples", frame)
    assert failed_columns(result) == {"chat_format_error"}
    sample = failures(result)[0]["sample_rows"][0]
    assert sample["example_id"] == frame.loc[0, "example_id"]
    assert problem in sample["chat_format_error"]


def test_training_examples_too_long_fails():
    frame = frames.training_examples()
    frame.loc[1, "token_count"] = 5000
    assert failed_columns(run("training_examples", frame)) == {"token_count"}
    assert_passes(run("training_examples", frame, CheckThresholds(max_example_tokens=8192)))


def test_training_examples_exact_duplicates_fail():
    frame = frames.training_examples()
    frame["messages"] = [
        frame.loc[0, "messages"],
        *frame["messages"][1:-1],
        frame.loc[0, "messages"],
    ]
    assert failed_columns(run("training_examples", frame)) == {"example_fingerprint"}


def test_training_examples_none_left_fail():
    result = run("training_examples", frames.training_examples(0))
    assert not result.passed
    assert failed_columns(result) == {"<table>"}


# --- training_jsonl (train + validation) -----------------------------------------------------


def _dataset() -> pd.DataFrame:
    train = pd.concat(
        [frames.training_examples(3, "doc-a"), frames.training_examples(3, "doc-b")],
        ignore_index=True,
    )
    # different questions, so nothing is an exact duplicate of the train split
    valid = frames.training_examples(3, "doc-c")
    valid["messages"] = [
        frames.messages(f"What does chapter {i} of doc-c cover?", "Pumps.") for i in range(3)
    ]
    return jsonl_frame(train, valid)


def test_jsonl_pass():
    assert_passes(run("training_jsonl", _dataset(), partition_key=None))


def test_jsonl_document_in_both_splits_is_leakage():
    frame = _dataset()
    frame.loc[frame["document_key"] == "doc-c", "document_key"] = "doc-a"
    result = run("training_jsonl", frame, partition_key=None)
    assert failed_columns(result) == {"document_splits"}
    assert {row["document_key"] for row in failures(result)[0]["sample_rows"]} == {"doc-a"}


def test_jsonl_duplicate_across_splits_fails():
    frame = _dataset()
    frame.at[frame.index[-1], "messages"] = frame.loc[0, "messages"]
    assert failed_columns(run("training_jsonl", frame, partition_key=None)) == {
        "example_fingerprint"
    }


def test_jsonl_invalid_line_fails():
    frame = _dataset()
    frame.at[4, "messages"] = [{"role": "assistant", "content": "An answer to nothing."}]
    assert failed_columns(run("training_jsonl", frame, partition_key=None)) == {"chat_format_error"}


def test_jsonl_token_count_is_estimated_when_absent():
    frame = _dataset().drop(columns=["token_count"])
    assert_passes(run("training_jsonl", frame, partition_key=None))
    long_answer = " ".join(["word"] * 200)
    frame.at[0, "messages"] = frames.messages("Why is it long?", long_answer)
    tight = CheckThresholds(max_example_tokens=100)
    assert failed_columns(run("training_jsonl", frame, tight, partition_key=None)) == {
        "token_count"
    }


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        (
            "openai",
            '{"messages": [{"role": "user", "content": "Q?"}, '
            '{"role": "assistant", "content": "A."}]}',
            '{"messages": [{"role": "assistant", "content": "A."}, '
            '{"role": "user", "content": "Q?"}]}',
        ),
        (
            "alpaca",
            '{"instruction": "Q?", "input": "", "output": "A."}',
            '{"instruction": "Q?", "input": "", "output": ""}',
        ),
        (
            "sharegpt",
            '{"conversations": [{"from": "human", "value": "Q?"}, {"from": "gpt", "value": "A."}]}',
            '{"conversations": [{"from": "gpt", "value": "A."}]}',
        ),
    ],
)
def test_jsonl_exported_lines_in_each_format(fmt, good, bad):
    frame = pd.DataFrame(
        {
            "split": ["train", "train", "validation"],
            "document_key": ["doc-a", "doc-a", "doc-b"],
            "format": fmt,
            "line": [good, good.replace("Q?", "Other Q?"), good.replace("Q?", "Third Q?")],
        }
    )
    assert_passes(run("training_jsonl", frame, partition_key=None))
    frame.loc[2, "line"] = bad
    result = run("training_jsonl", frame, partition_key=None)
    assert failed_columns(result) == {"chat_format_error"}


def test_jsonl_lines_duplicate_regardless_of_key_order():
    line = '{"instruction": "Q?", "input": "", "output": "A."}'
    reordered = '{"output": "A.", "instruction": "Q?",  "input": ""}'
    frame = pd.DataFrame(
        {
            "split": "train",
            "document_key": ["a", "b"],
            "format": "alpaca",
            "line": [line, reordered],
        }
    )
    assert failed_columns(run("training_jsonl", frame, partition_key=None)) == {
        "example_fingerprint"
    }


def test_jsonl_without_messages_or_lines_fails():
    frame = pd.DataFrame({"split": ["train"], "document_key": [DOC]})
    result = run("training_jsonl", frame, partition_key=None)
    assert "chat_format_error" in failed_columns(result)


# --- real documents --------------------------------------------------------------------------


def test_markdown_of_real_documents_passes_the_letter_ratio_floor(corpus):
    # docling's reference output for papers with tables, code, formulas and right-to-left text:
    # the 0.5 floor must leave all of them alone (they measure 0.81..0.98).
    paths = [*sorted((corpus / "reference_md").glob("*.md")), corpus / "other" / "wiki.md"]
    assert paths
    for path in paths:
        frame = frames.markdown_documents(path.read_text(encoding="utf-8"))
        assert_passes(run("markdown_documents", frame))
