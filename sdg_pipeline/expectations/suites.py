"""The expectation suites, as data: one per asset, each expectation tagged with a severity.

A suite is a list of Great Expectations expectations plus a `derive` step that adds scalar
columns computed from the asset's frame (byte length, letter ratio, chat-format verdict, ...).
GX validates scalars only: list and binary columns are never handed to it, and a derived column
also makes the failure readable (the sample rows show the ratio, not a megabyte of markdown).
Every expectation carries a description: what must hold, listed in the check's metadata. When it
fails, the check's headline says what went wrong instead (`Check.failure`, or the description
with what was observed), so a headline never reads like a success.
Longer than 400 lines because it holds one idea: the six suites, as data.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

import pandas as pd

from sdg_pipeline.expectations.chat_format import (
    chat_format_error,
    line_fingerprint,
    line_format_error,
    line_tokens,
    messages_fingerprint,
    messages_tokens,
)
from sdg_pipeline.expectations.gx_env import Column, gxe
from sdg_pipeline.expectations.thresholds import CheckThresholds


class Severity(StrEnum):
    """How much a failed expectation matters; the shell maps it to Dagster's check severity."""

    ERROR = "ERROR"  # blocks the document's downstream steps
    WARN = "WARN"  # shown, never blocks


ERROR = Severity.ERROR
WARN = Severity.WARN

OFFLINE_JUDGE = "offline-lexical"

ASSETS: tuple[str, ...] = (
    "raw_documents",
    "markdown_documents",
    "chunks",
    "qa_pairs",
    "judged_pairs",
    "training_examples",
    "training_jsonl",
)
CHECK_NAME: dict[str, str] = {asset: f"{asset}_expectations" for asset in ASSETS}

Derive = Callable[[pd.DataFrame], pd.DataFrame]


@dataclass(frozen=True)
class Check:
    expectation: gxe.Expectation
    severity: Severity = ERROR
    # An aggregate over the frame (row count, mean, frame-wide flag): no row is "the" offender,
    # so no sample rows are attached.
    frame_level: bool = False
    # The headline when it fails, if the description does not make one. `{column}` fields are
    # filled from the first offending row, so a row that says why (the converter's `error`)
    # gives the cause in its own words; a missing or empty field falls back to the description.
    failure: str | None = None

    @property
    def description(self) -> str:
        return self.expectation.description or self.expectation.expectation_type


def _between(
    column: str,
    description: str,
    *,
    min_value: Any = None,
    max_value: Any = None,
    severity: Severity = ERROR,
    failure: str | None = None,
) -> Check:
    """The commonest check: every value of a column within bounds."""
    expectation = gxe.ExpectColumnValuesToBeBetween(
        column=column, min_value=min_value, max_value=max_value, description=description
    )
    return Check(expectation, severity=severity, failure=failure)


@dataclass(frozen=True)
class Suite:
    name: str
    asset: str
    checks: tuple[Check, ...]
    # Columns the derive step and the expectations read; a frame without them fails outright.
    required_columns: tuple[str, ...]
    derive: Derive
    # Columns that identify a row in the sample of offending rows.
    sample_columns: tuple[str, ...] = ()


def suite_for(
    asset_name: str, thresholds: CheckThresholds, *, partition_key: str | None = None
) -> Suite:
    """The suite of `asset_name`; with a partition key, rows must belong to that document."""
    try:
        build = _BUILDERS[asset_name]
    except KeyError:
        raise ValueError(f"no expectation suite for {asset_name!r}; known: {ASSETS}") from None
    return build(thresholds, partition_key)


# --- derived columns -------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, (str, bytes, list)) and pd.isna(value))


def _stripped_len(series: pd.Series) -> pd.Series:
    return series.map(lambda v: len(v.strip()) if isinstance(v, str) else 0).astype("int64")


def _letter_ratio(text: Any) -> float:
    """Letters / non-space characters; 0.0 for no text (nothing readable is the worst case)."""
    if not isinstance(text, str):
        return 0.0
    non_space = len(text) - sum(map(str.isspace, text))
    if non_space == 0:
        return 0.0
    return sum(map(str.isalpha, text)) / non_space


def _normalized(text: Any) -> str | None:
    """Case- and spacing-insensitive form, so 'What is X?' and 'what is  x ?' count as equal."""
    if not isinstance(text, str):
        return None
    return " ".join(text.casefold().split()).rstrip(" ?.!")


def _derive_raw(df: pd.DataFrame) -> pd.DataFrame:
    content = df["content"]
    return df.assign(
        content_bytes=content.map(
            lambda b: len(b) if isinstance(b, (bytes, bytearray, memoryview)) else 0
        ).astype("int64"),
        content_hash_matches=[
            isinstance(b, (bytes, bytearray, memoryview)) and hashlib.sha256(b).hexdigest() == h
            for b, h in zip(content, df["content_hash"], strict=True)
        ],
    )


def _derive_markdown(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(
        markdown_chars=_stripped_len(df["markdown"]),
        letter_ratio=df["markdown"].map(_letter_ratio).astype("float64"),
    )


def _derive_chunks(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(text_chars=_stripped_len(df["text"]))


def _derive_qa(df: pd.DataFrame) -> pd.DataFrame:
    question_key = df["question"].map(_normalized)
    answer_key = df["answer"].map(_normalized)
    return df.assign(
        question_chars=_stripped_len(df["question"]),
        answer_chars=_stripped_len(df["answer"]),
        question_key=question_key,
        answer_is_question=[
            q is not None and q == a for q, a in zip(question_key, answer_key, strict=True)
        ],
    )


def _derive_judged(df: pd.DataFrame, *, all_pass_min_rows: int) -> pd.DataFrame:
    # astype(bool): on an empty frame, map keeps the source dtype (str) and `&` would fail
    generated = df["error"].map(_missing).astype(bool)
    passed = df["passed"].map(lambda v: math.nan if _missing(v) else float(bool(v)))
    # Generation failures carry no judgement worth counting: the pass rate is over real pairs.
    passed_num = passed.where(generated, math.nan).astype("float64")
    by_llm = generated & df["judge"].map(
        lambda j: isinstance(j, str) and j != OFFLINE_JUDGE
    ).astype(bool)
    llm_passed = passed[by_llm]
    all_passed = len(llm_passed) >= all_pass_min_rows and bool((llm_passed == 1.0).all())
    return df.assign(
        reasons_chars=_stripped_len(df["reasons"]),
        passed_num=passed_num,
        all_passed_by_llm_judge=all_passed,
    )


def _derive_examples(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(
        chat_format_error=df["messages"].map(chat_format_error).astype(object),
        example_fingerprint=df["messages"].map(messages_fingerprint).astype(object),
    )


def _derive_jsonl(df: pd.DataFrame) -> pd.DataFrame:
    if "messages" in df.columns:
        out = _derive_examples(df)
        tokens = df["messages"].map(messages_tokens)
    elif "line" in df.columns:
        # Exported lines in any output format; `format` says which (default openai).
        formats = df["format"] if "format" in df.columns else pd.Series("openai", index=df.index)
        out = df.assign(
            chat_format_error=pd.Series(
                [line_format_error(x, f) for x, f in zip(df["line"], formats, strict=True)],
                index=df.index,
                dtype=object,
            ),
            example_fingerprint=df["line"].map(line_fingerprint).astype(object),
        )
        tokens = df["line"].map(line_tokens)
    else:
        out = df.assign(
            chat_format_error="neither a `messages` nor a `line` column", example_fingerprint=None
        )
        tokens = pd.Series(0, index=df.index)
    if "token_count" not in out.columns:
        out = out.assign(token_count=tokens.astype("int64"))
    splits = out.groupby("document_key", dropna=False)["split"].transform("nunique")
    return out.assign(document_splits=splits.astype("int64"))


def jsonl_frame(train: pd.DataFrame, valid: pd.DataFrame) -> pd.DataFrame:
    """One frame with a `split` column from the train and validation rows, for that suite."""
    return pd.concat(
        [train.assign(split="train"), valid.assign(split="validation")], ignore_index=True
    )


# --- suites ----------------------------------------------------------------------------------


def _not_empty(what: str) -> Check:
    return Check(
        gxe.ExpectTableRowCountToBeBetween(min_value=1, description="at least one row"),
        frame_level=True,
        failure=f"no rows: {what}",
    )


def _in_partition(partition_key: str | None) -> list[Check]:
    if partition_key is None:
        return []
    return [
        Check(
            gxe.ExpectColumnValuesToBeInSet(
                column="document_key",
                value_set=[partition_key],
                description=f"every row belongs to the partition's document {partition_key!r}",
            )
        )
    ]


def _unique(column: str, what: str) -> list[Check]:
    return [
        Check(gxe.ExpectColumnValuesToNotBeNull(column=column, description=f"{what} present")),
        Check(gxe.ExpectColumnValuesToBeUnique(column=column, description=f"{what} unique")),
    ]


def _raw_documents(t: CheckThresholds, partition_key: str | None) -> Suite:
    checks = [
        _not_empty("the document was not ingested"),
        _between(
            "content_bytes",
            "content is non-empty bytes",
            min_value=1,
            failure="{file_name} is empty (0 bytes)",
        ),
        Check(
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="size_bytes",
                column_B="content_bytes",
                description="size_bytes equals the length of the content",
            )
        ),
        Check(
            gxe.ExpectColumnValuesToBeInSet(
                column="media_type",
                value_set=list(t.supported_media_types),
                description="media type is one the converter supports",
            )
        ),
        *_unique("content_hash", "content hash"),
        Check(
            gxe.ExpectColumnValuesToMatchRegex(
                column="content_hash",
                regex=r"^[0-9a-f]{64}$",
                description="content hash is a sha256 hex digest",
            )
        ),
        Check(
            gxe.ExpectColumnValuesToBeInSet(
                column="content_hash_matches",
                value_set=[True],
                description="content hash is the sha256 of the stored bytes",
            )
        ),
        *_in_partition(partition_key),
    ]
    return Suite(
        name="raw_documents_suite",
        asset="raw_documents",
        checks=tuple(checks),
        required_columns=("document_key", "content", "content_hash", "size_bytes", "media_type"),
        derive=_derive_raw,
        sample_columns=("document_key", "file_name", "media_type", "size_bytes"),
    )


def _markdown_documents(t: CheckThresholds, partition_key: str | None) -> Suite:
    checks = [
        _not_empty("the document was not converted"),
        Check(
            gxe.ExpectColumnValuesToBeInSet(
                column="status",
                value_set=["ok"],
                description="conversion status is 'ok'",
            ),
            failure="conversion failed ({status}): {error}",
        ),
        _between("markdown_chars", "markdown is non-empty", min_value=1),
        _between(
            "letter_ratio",
            f"letters are at least {t.min_letter_ratio:.0%} of non-space characters "
            "(a scan without text layer or mojibake has far fewer)",
            min_value=t.min_letter_ratio,
        ),
        _between("page_count", "page count > 0 (pageless formats record 1)", min_value=1),
        *_in_partition(partition_key),
    ]
    return Suite(
        name="markdown_documents_suite",
        asset="markdown_documents",
        checks=tuple(checks),
        required_columns=("document_key", "markdown", "page_count", "status", "error"),
        derive=_derive_markdown,
        sample_columns=("document_key", "status", "error", "converter", "mode"),
    )


def _chunks(t: CheckThresholds, partition_key: str | None) -> Suite:
    checks = [
        _not_empty("the markdown produced no chunks"),
        *_unique("chunk_id", "chunk id"),
        Check(
            gxe.ExpectColumnValuesToBeUnique(
                column="chunk_index", description="chunk index unique within the document"
            )
        ),
        _between(
            "token_count",
            f"token count within {t.chunk_min_tokens}..{t.chunk_max_tokens}",
            min_value=t.chunk_min_tokens,
            max_value=t.chunk_max_tokens,
        ),
        _between("text_chars", "chunk text is not empty", min_value=1),
        Check(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="char_end",
                column_B="char_start",
                description="char_end > char_start (the offsets span the text)",
            )
        ),
        Check(
            gxe.ExpectColumnUniqueValueCountToBeBetween(
                column="content_hash",
                max_value=1,  # no minimum: an empty frame is the row count's failure
                description="all chunks come from one version of the document",
            ),
            frame_level=True,
        ),
        *_in_partition(partition_key),
    ]
    return Suite(
        name="chunks_suite",
        asset="chunks",
        checks=tuple(checks),
        required_columns=(
            "chunk_id",
            "document_key",
            "content_hash",
            "chunk_index",
            "char_start",
            "char_end",
            "text",
            "token_count",
        ),
        derive=_derive_chunks,
        sample_columns=("chunk_id", "chunk_index", "token_count", "text"),
    )


def _qa_pairs(t: CheckThresholds, partition_key: str | None) -> Suite:
    generated = Column("error").is_null()
    checks = [
        _not_empty("the document yielded zero QA pairs; check its chunks and the generator"),
        *_unique("pair_id", "pair id"),
        Check(
            gxe.ExpectColumnValuesToBeNull(
                column="error",
                mostly=1.0 - t.max_generation_failure_rate,
                description=(
                    f"generation failed for at most {t.max_generation_failure_rate:.0%} of rows"
                ),
            )
        ),
        Check(
            gxe.ExpectColumnValuesToBeBetween(
                column="question_chars",
                min_value=1,
                row_condition=generated,
                description="question is not empty",
            )
        ),
        Check(
            gxe.ExpectColumnValuesToBeBetween(
                column="answer_chars",
                min_value=1,
                row_condition=generated,
                description="answer is not empty",
            )
        ),
        Check(
            gxe.ExpectColumnValuesToMatchRegex(
                column="question",
                regex=r"\?\s*$",
                row_condition=generated,
                description="question ends with '?'",
            )
        ),
        Check(
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["document_key", "question_key"],
                row_condition=generated,
                description="no duplicate questions within the document",
            )
        ),
        Check(
            gxe.ExpectColumnValuesToBeInSet(
                column="answer_is_question",
                value_set=[False],
                row_condition=generated,
                description="answer is not a copy of the question",
            )
        ),
        Check(
            gxe.ExpectColumnValuesToBeBetween(
                column="question_chars",
                min_value=t.question_min_chars,
                max_value=t.question_max_chars,
                row_condition=generated,
                description=(
                    f"question length within {t.question_min_chars}..{t.question_max_chars} chars"
                ),
            )
        ),
        Check(
            gxe.ExpectColumnValuesToBeBetween(
                column="answer_chars",
                min_value=t.answer_min_chars,
                max_value=t.answer_max_chars,
                row_condition=generated,
                description=(
                    f"answer length within {t.answer_min_chars}..{t.answer_max_chars} chars"
                ),
            )
        ),
        *_in_partition(partition_key),
    ]
    return Suite(
        name="qa_pairs_suite",
        asset="qa_pairs",
        checks=tuple(checks),
        required_columns=("pair_id", "document_key", "question", "answer", "error"),
        derive=_derive_qa,
        sample_columns=("pair_id", "chunk_id", "question", "answer", "error"),
    )


def _judged_pairs(t: CheckThresholds, partition_key: str | None) -> Suite:
    # A pair the deterministic checks reject is not sent to an LLM judge, so it has no scores;
    # one that passed must have them. A verdict lost without an error leaves a failed pair with
    # no reason, which "every failed pair says why" catches.
    judged = Column("passed_num") == 1.0
    scores = [
        _between(score, f"{score} score within [0, 1]", min_value=0.0, max_value=1.0)
        for score in ("faithfulness", "relevancy", "standalone")
    ] + [
        Check(
            gxe.ExpectColumnValuesToNotBeNull(
                column=score,
                row_condition=judged,
                description=f"{score} scored for every passed pair",
            )
        )
        for score in ("faithfulness", "relevancy", "standalone")
    ]
    checks = [
        _not_empty("the document has no pairs to judge"),
        *_unique("pair_id", "pair id"),
        Check(gxe.ExpectColumnValuesToNotBeNull(column="passed", description="verdict present")),
        *scores,
        Check(
            gxe.ExpectColumnValuesToBeBetween(
                column="reasons_chars",
                min_value=1,
                row_condition=Column("passed_num") == 0.0,
                description="every failed pair says why (reasons present)",
            )
        ),
        Check(
            gxe.ExpectColumnMeanToBeBetween(
                column="passed_num",
                min_value=t.min_pass_rate,
                description=(
                    f"pass rate at least {t.min_pass_rate:.0%} "
                    "(lower means a broken generator or judge)"
                ),
            ),
            frame_level=True,
        ),
        Check(
            gxe.ExpectColumnValuesToBeInSet(
                column="all_passed_by_llm_judge",
                value_set=[False],
                description=(
                    f"an LLM judge passing 100% of {t.all_pass_warning_min_rows}+ pairs "
                    "is suspicious (rubber-stamping?)"
                ),
            ),
            severity=WARN,
            frame_level=True,
            failure=(
                f"an LLM judge passed every one of {t.all_pass_warning_min_rows}+ pairs "
                "(rubber-stamping?)"
            ),
        ),
        *_in_partition(partition_key),
    ]
    return Suite(
        name="judged_pairs_suite",
        asset="judged_pairs",
        checks=tuple(checks),
        required_columns=(
            "pair_id",
            "document_key",
            "error",
            "faithfulness",
            "relevancy",
            "standalone",
            "reasons",
            "passed",
            "judge",
            "judge_error",
        ),
        derive=partial(_derive_judged, all_pass_min_rows=t.all_pass_warning_min_rows),
        sample_columns=("pair_id", "passed", "faithfulness", "relevancy", "standalone", "reasons"),
    )


def _example_checks(t: CheckThresholds) -> list[Check]:
    return [
        Check(
            gxe.ExpectColumnValuesToBeNull(
                column="chat_format_error",
                description=(
                    "valid chat format: known roles, non-empty contents, user/assistant turns, "
                    "assistant last"
                ),
            )
        ),
        _between(
            "token_count",
            f"example length within 1..{t.max_example_tokens} tokens",
            min_value=1,
            max_value=t.max_example_tokens,
        ),
        Check(
            gxe.ExpectColumnValuesToBeUnique(
                column="example_fingerprint", description="no exact duplicate examples"
            )
        ),
    ]


def _training_examples(t: CheckThresholds, partition_key: str | None) -> Suite:
    checks = [
        _not_empty("every pair of the document was rejected or filtered out"),
        *_unique("example_id", "example id"),
        *_example_checks(t),
        *_in_partition(partition_key),
    ]
    return Suite(
        name="training_examples_suite",
        asset="training_examples",
        checks=tuple(checks),
        required_columns=("example_id", "document_key", "messages", "token_count"),
        derive=_derive_examples,
        sample_columns=("example_id", "pair_id", "question", "chat_format_error", "token_count"),
    )


def _training_jsonl(t: CheckThresholds, partition_key: str | None) -> Suite:
    # The dataset spans documents: the partition key, if any, does not restrict rows.
    checks = [
        _not_empty("the dataset has no examples"),
        Check(gxe.ExpectColumnValuesToNotBeNull(column="split", description="split present")),
        *_example_checks(t),
        Check(
            gxe.ExpectColumnValuesToBeInSet(
                column="document_splits",
                value_set=[1],
                description="no train/validation leakage: each document sits in one split",
            )
        ),
    ]
    return Suite(
        name="training_jsonl_suite",
        asset="training_jsonl",
        checks=tuple(checks),
        required_columns=("split", "document_key"),  # plus `messages` or `line`
        derive=_derive_jsonl,
        sample_columns=("split", "document_key", "example_id", "chat_format_error"),
    )


_BUILDERS: dict[str, Callable[[CheckThresholds, str | None], Suite]] = {
    "raw_documents": _raw_documents,
    "markdown_documents": _markdown_documents,
    "chunks": _chunks,
    "qa_pairs": _qa_pairs,
    "judged_pairs": _judged_pairs,
    "training_examples": _training_examples,
    "training_jsonl": _training_jsonl,
}
