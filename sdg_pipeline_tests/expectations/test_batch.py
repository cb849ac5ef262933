"""One suite evaluation over a batch gives every partition the verdict it would get alone."""

from __future__ import annotations

import pandas as pd
import pytest

from sdg_pipeline.expectations.batch import validate_batch
from sdg_pipeline.expectations.runner import run_suite
from sdg_pipeline.expectations.suites import suite_for
from sdg_pipeline.expectations.thresholds import CheckThresholds
from sdg_pipeline_tests.expectations import frames

THRESHOLDS = CheckThresholds(all_pass_warning_min_rows=20)


def _rekeyed(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The frame as document `key`'s: its key and the ids built from it."""
    out = frame.copy()
    for column in ("document_key", "chunk_id", "pair_id", "example_id"):
        if column in out.columns:
            out[column] = out[column].astype(str).str.replace(frames.DOC, key, regex=False)
    return out


def _alone(asset: str, batch: dict[str, pd.DataFrame]) -> dict[str, tuple[bool, list[str]]]:
    verdicts = {}
    for key, frame in batch.items():
        outcome = run_suite(suite_for(asset, THRESHOLDS, partition_key=key), frame)
        verdicts[key] = (outcome.success, sorted(f.description for f in outcome.failures))
    return verdicts


def _batched(asset: str, batch: dict[str, pd.DataFrame]) -> dict[str, tuple[bool, list[str]]]:
    outcomes = validate_batch(asset, batch, THRESHOLDS)
    return {
        key: (o.success, sorted(f.description for f in o.failures)) for key, o in outcomes.items()
    }


def _chunks_batch() -> dict[str, pd.DataFrame]:
    good = {f"doc-{i}": _rekeyed(frames.chunks(4), f"doc-{i}") for i in range(5)}
    repeated = good["doc-4"].copy()
    repeated.loc[1, "chunk_id"] = repeated.loc[0, "chunk_id"]  # not unique within its document
    bad_offsets = good["doc-1"].copy()
    bad_offsets.loc[0, "char_end"] = bad_offsets.loc[0, "char_start"]  # one bad row
    two_versions = good["doc-2"].copy()
    two_versions.loc[1, "content_hash"] = "another-version"  # a frame-level failure
    stray = good["doc-3"].copy()
    stray.loc[2, "document_key"] = "doc-0"  # a row of another document
    return {
        "doc-0": good["doc-0"],
        "doc-1": bad_offsets,
        "doc-2": two_versions,
        "doc-3": stray,
        "doc-4": repeated,
        "empty": good["doc-0"].iloc[0:0],
    }


def test_chunks_verdicts_match_one_partition_at_a_time() -> None:
    batch = _chunks_batch()
    batched = _batched("chunks", batch)
    assert batched == _alone("chunks", batch)
    assert [key for key, (passed, _) in batched.items() if passed] == ["doc-0"]


@pytest.mark.parametrize(
    "asset, make",
    [
        ("qa_pairs", lambda key: frames.qa_pairs(6)),
        ("judged_pairs", lambda key: frames.judged_pairs(10, passed=7)),
        ("training_examples", lambda key: frames.training_examples(5, document_key=key)),
        ("markdown_documents", lambda key: frames.markdown_documents()),
    ],
)
def test_every_suite_clears_good_partitions_in_one_validation(asset, make) -> None:
    batch = {f"doc-{i}": _rekeyed(make(f"doc-{i}"), f"doc-{i}") for i in range(3)}
    outcomes = validate_batch(asset, batch, THRESHOLDS)
    assert _batched(asset, batch) == _alone(asset, batch)
    # Cleared by the one validation, not validated one by one.
    assert all(o.batch_size == 3 for o in outcomes.values()), asset


def test_the_same_example_in_two_documents_is_judged_per_document() -> None:
    # Identical rows in two partitions are unique within each: both pass, as they would alone.
    batch = {f"doc-{i}": _rekeyed(frames.training_examples(5), f"doc-{i}") for i in range(2)}
    outcomes = validate_batch("training_examples", batch, THRESHOLDS)
    assert _batched("training_examples", batch) == _alone("training_examples", batch)
    assert all(o.success and o.batch_size == 2 for o in outcomes.values())


def test_a_low_pass_rate_flags_only_its_own_partition() -> None:
    batch = {
        "doc-0": _rekeyed(frames.judged_pairs(10, passed=7), "doc-0"),
        "doc-1": _rekeyed(frames.judged_pairs(10, passed=1), "doc-1"),  # mean below the bound
    }
    outcomes = validate_batch("judged_pairs", batch, THRESHOLDS)
    assert outcomes["doc-0"].success and outcomes["doc-0"].batch_size == 2
    assert outcomes["doc-0"].checks_alone is None
    assert not outcomes["doc-1"].success
    assert _batched("judged_pairs", batch) == _alone("judged_pairs", batch)


def test_a_flagged_partition_is_validated_alone_only_on_what_flagged_it() -> None:
    # GX costs per expectation: the low pass rate alone is asked again of doc-1, not its
    # whole suite, and what it reports is what the partition alone would report.
    batch = {
        "doc-0": _rekeyed(frames.judged_pairs(10, passed=7), "doc-0"),
        "doc-1": _rekeyed(frames.judged_pairs(10, passed=1), "doc-1"),
    }
    flagged = validate_batch("judged_pairs", batch, THRESHOLDS)["doc-1"]
    alone = run_suite(suite_for("judged_pairs", THRESHOLDS, partition_key="doc-1"), batch["doc-1"])
    assert flagged.checks_alone == 1
    assert [f.as_json() for f in flagged.failures] == [f.as_json() for f in alone.failures]
    assert flagged.failures[0].observed  # GX's own observed value, not a blank
    assert flagged.statistics == alone.statistics
    assert [e.description for e in flagged.expectations] == [
        e.description for e in alone.expectations
    ]


def test_rows_of_another_document_are_validated_alone_on_the_partition_check() -> None:
    batch = _chunks_batch()
    outcomes = validate_batch("chunks", batch, THRESHOLDS)
    stray = outcomes["doc-3"]  # one row of doc-0: only the partition's own check fails
    alone = run_suite(suite_for("chunks", THRESHOLDS, partition_key="doc-3"), batch["doc-3"])
    assert [f.as_json() for f in stray.failures] == [f.as_json() for f in alone.failures]
    assert "doc-3" in stray.failures[0].description
    assert stray.checks_alone is not None and stray.checks_alone < len(alone.expectations)


@pytest.mark.parametrize("asset", ["qa_pairs", "chunks"])
def test_empty_partitions_share_one_validation_and_keep_their_own_words(asset) -> None:
    make = frames.qa_pairs if asset == "qa_pairs" else frames.chunks
    empty = make(3).iloc[0:0]
    batch = {"doc-0": _rekeyed(make(3), "doc-0"), "none-1": empty, "none-2": empty.copy()}
    outcomes = validate_batch(asset, batch, THRESHOLDS)
    for key in ("none-1", "none-2"):
        alone = run_suite(suite_for(asset, THRESHOLDS, partition_key=key), batch[key])
        # the whole outcome, wording included, as it would be alone (timing aside)
        assert [e.as_json() for e in outcomes[key].expectations] == [
            e.as_json() for e in alone.expectations
        ]
        assert outcomes[key].suite == alone.suite and outcomes[key].statistics == alone.statistics
        assert any(key in e.description for e in outcomes[key].expectations)
    assert outcomes["none-1"].seconds > 0 and outcomes["none-2"].seconds == 0.0  # validated once
