"""The suite -> AssetCheckResult helper: verdict, severity, metadata, edge cases, Dagster wiring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from sdg_pipeline.defs.checks import check_asset, to_check_result
from sdg_pipeline.expectations.runner import run_suite
from sdg_pipeline.expectations.suites import ASSETS, CHECK_NAME, suite_for
from sdg_pipeline.expectations.thresholds import CheckThresholds
from sdg_pipeline_tests.expectations import frames
from sdg_pipeline_tests.expectations.frames import DOC
from sdg_pipeline_tests.expectations.helpers import failed_columns, failures, run

REPO = Path(__file__).resolve().parents[2]


# --- severity --------------------------------------------------------------------------------


def test_passing_suite_passes():
    result = run("judged_pairs", frames.judged_pairs())
    assert result.passed
    assert result.metadata["unsuccessful_expectations"].value == 0
    assert "failures" not in result.metadata


def test_only_warn_failures_give_warn_severity():
    result = run("judged_pairs", frames.judged_pairs(25, passed=25, judge="llm"))
    assert (result.passed, result.severity) == (False, dg.AssetCheckSeverity.WARN)


def test_any_error_failure_gives_error_severity_and_is_listed_first():
    frame = frames.judged_pairs(25, passed=25, judge="llm")
    frame.loc[0, "relevancy"] = -0.5
    result = run("judged_pairs", frame)
    assert (result.passed, result.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert [f["severity"] for f in failures(result)] == ["ERROR", "WARN"]
    assert failed_columns(result) == {"relevancy", "all_passed_by_llm_judge"}
    # The headline is the blocking failure; the warning is counted, not spelled out.
    assert result.description == (
        "relevancy score within [0, 1]: not so for 1 of 25 rows (e.g. relevancy=-0.5)"
        " (+1 more failed expectation)"
    )


# --- metadata --------------------------------------------------------------------------------


def test_metadata_carries_gx_statistics_and_rows_checked():
    frame = frames.qa_pairs(12)
    frame.loc[:, "question"] = frame["question"].str.rstrip("?")  # every question fails one rule
    suite = suite_for("qa_pairs", CheckThresholds(), partition_key=DOC)
    result = check_asset("qa_pairs", frame, CheckThresholds(), partition_key=DOC)
    meta = result.metadata
    assert meta["rows_checked"].value == 12
    assert meta["evaluated_expectations"].value == len(suite.checks)
    assert meta["unsuccessful_expectations"].value == 1
    assert meta["successful_expectations"].value == len(suite.checks) - 1
    assert meta["success_percent"].value == pytest.approx(
        100.0 * (len(suite.checks) - 1) / len(suite.checks)
    )
    assert meta["suite"].value == "qa_pairs_suite"
    assert meta["validation_seconds"].value > 0


def test_failing_expectation_lists_observed_values_and_at_most_five_sample_rows():
    frame = frames.qa_pairs(12)
    frame.loc[:, "question"] = frame["question"].str.rstrip("?")
    (failure,) = failures(run("qa_pairs", frame))
    assert failure["expectation"] == "question ends with '?'"
    assert failure["type"] == "expect_column_values_to_match_regex"
    assert failure["columns"] == ["question"]
    assert failure["observed"]["unexpected_count"] == 12
    assert failure["observed"]["element_count"] == 12
    rows = failure["sample_rows"]
    assert len(rows) == 5
    assert rows[0]["pair_id"] == frame.loc[rows[0]["row"], "pair_id"]
    assert rows[0]["question"] == frame.loc[rows[0]["row"], "question"]
    # plain JSON values, so the UI and the event log can store them
    assert json.loads(json.dumps(failure)) == failure


def test_failures_markdown_shows_a_table_and_sample_rows():
    frame = frames.chunks()
    frame.loc[1, "text"] = ""
    md = run("chunks", frame).metadata["failures"].value
    assert "| severity | expectation | columns | observed |" in md
    assert "chunk text is not empty" in md
    assert frame.loc[1, "chunk_id"] in md


def test_long_values_are_shortened_in_samples():
    frame = frames.qa_pairs()
    frame.loc[0, "answer"] = "x" * 5000
    (failure,) = failures(run("qa_pairs", frame))
    sample = failure["sample_rows"][0]["answer"]
    assert len(sample) < 200 and sample.endswith("…")


def test_frame_level_failures_carry_no_sample_rows():
    (failure,) = failures(run("judged_pairs", frames.judged_pairs(10, passed=0)))
    assert failure["columns"] == ["passed_num"]
    assert failure["sample_rows"] == []
    assert failure["observed"]["observed_value"] == 0.0


def test_outcomes_follow_suite_order():
    # GX returns results in its own order; the outcome maps them back to the suite's.
    suite = suite_for("qa_pairs", CheckThresholds(), partition_key=DOC)
    outcome = run_suite(suite, frames.qa_pairs())
    assert [e.description for e in outcome.expectations] == [c.description for c in suite.checks]
    assert all(e.success for e in outcome.expectations)


def test_check_name_and_asset_key():
    outcome = run_suite(suite_for("chunks", CheckThresholds()), frames.chunks())
    default = to_check_result(outcome)
    assert default.check_name == CHECK_NAME["chunks"] == "chunks_expectations"
    named = to_check_result(outcome, asset_key=dg.AssetKey("chunks"), check_name="custom")
    assert (named.asset_key, named.check_name) == (dg.AssetKey("chunks"), "custom")


# --- edge cases ------------------------------------------------------------------------------


@pytest.mark.parametrize("asset", ["raw_documents", "markdown_documents", "chunks"])
def test_empty_frame_without_columns_fails_with_no_rows(asset):
    result = run(asset, pd.DataFrame())
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.ERROR
    assert failed_columns(result) == {"<table>"}
    assert "no rows" in result.description
    assert result.metadata["rows_checked"].value == 0


def test_frame_missing_contract_columns_fails_naming_them():
    frame = frames.chunks().drop(columns=["token_count", "text"])
    result = run("chunks", frame)
    assert not result.passed
    assert set(failures(result)[0]["observed"]["missing_columns"]) == {"token_count", "text"}
    assert "token_count" in result.description


def test_unknown_asset_is_rejected():
    with pytest.raises(ValueError, match="no expectation suite"):
        suite_for("nonsense", CheckThresholds())


def test_every_asset_has_a_named_check_and_described_expectations():
    for asset in ASSETS:
        suite = suite_for(asset, CheckThresholds(), partition_key=DOC)
        assert suite.asset == asset
        assert CHECK_NAME[asset] == f"{asset}_expectations"
        for check in suite.checks:
            # the description is the sentence the UI shows; a bare GX type name is not enough
            assert check.expectation.description, (asset, check.expectation.expectation_type)


@pytest.mark.parametrize(
    "bad",
    [
        {"chunk_min_tokens": 100, "chunk_max_tokens": 50},
        {"min_pass_rate": 1.5},
        {"max_generation_failure_rate": -0.1},
        {"question_min_chars": 600},
        {"max_example_tokens": 0},
        {"supported_media_types": ()},
    ],
)
def test_thresholds_reject_unpassable_values(bad):
    with pytest.raises(ValueError):
        CheckThresholds(**bad)


# --- Dagster wiring --------------------------------------------------------------------------


def _pipeline(frame: pd.DataFrame, asset: str):
    @dg.asset(
        name=asset,
        check_specs=[dg.AssetCheckSpec(CHECK_NAME[asset], asset=asset, blocking=True)],
    )
    def upstream():
        yield dg.Output(len(frame))
        yield check_asset(asset, frame, CheckThresholds())

    @dg.asset(deps=[asset])
    def downstream():
        return 1

    return [upstream, downstream]


def test_error_result_blocks_downstream_in_dagster(instance):
    frame = frames.judged_pairs(10, passed=0)
    result = dg.materialize(
        _pipeline(frame, "judged_pairs"), instance=instance, raise_on_error=False
    )
    (evaluation,) = result.get_asset_check_evaluations()
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.metadata["unsuccessful_expectations"].value == 1
    assert evaluation.metadata["failing_expectations"].data[0]["columns"] == ["passed_num"]
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey("downstream") not in materialized


def test_warn_result_does_not_block_downstream_in_dagster(instance):
    frame = frames.judged_pairs(20, passed=20, judge="llm")
    result = dg.materialize(_pipeline(frame, "judged_pairs"), instance=instance)
    (evaluation,) = result.get_asset_check_evaluations()
    assert (evaluation.passed, evaluation.severity) == (False, dg.AssetCheckSeverity.WARN)
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey("downstream") in materialized


# --- process hygiene -------------------------------------------------------------------------

_HYGIENE_SCRIPT = textwrap.dedent(
    """
    import socket, sys
    _connect = socket.socket.connect

    def guarded(self, address):
        if self.family == socket.AF_UNIX or address[0] in ("127.0.0.1", "::1", "localhost"):
            return _connect(self, address)
        raise RuntimeError(f"network access attempted: {address}")

    socket.socket.connect = guarded
    socket.create_connection = lambda address, *a, **k: guarded(
        socket.socket(), address
    )
    sys.path.insert(0, sys.argv[1])
    from sdg_pipeline.defs.checks import check_asset
    from sdg_pipeline.expectations.thresholds import CheckThresholds
    from sdg_pipeline_tests.expectations import frames

    for _ in range(2):
        ok = check_asset("chunks", frames.chunks(), CheckThresholds())
        bad = check_asset("markdown_documents", frames.markdown_documents(""), CheckThresholds())
    print(ok.passed, bad.passed)
    """
)


def test_gx_writes_nothing_prints_nothing_and_stays_offline(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GX_")}
    proc = subprocess.run(
        [sys.executable, "-c", _HYGIENE_SCRIPT, str(REPO)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "True False"
    assert "Calculating Metrics" not in proc.stderr  # no progress bars
    assert "network access attempted" not in proc.stderr
    assert list(tmp_path.iterdir()) == []  # no gx/ folder or other files in the CWD


def test_expectation_that_gx_cannot_evaluate_fails_with_the_reason():
    frame = frames.chunks()
    frame["token_count"] = frame["token_count"].astype(object)
    frame.loc[1, "token_count"] = "many"
    result = run("chunks", frame)
    assert not result.passed
    (failure,) = failures(result)
    assert failure["columns"] == ["token_count"]
    assert failure["exception"]
    assert failure["exception"] in result.description


def test_description_stays_a_headline_when_everything_fails():
    frame = frames.qa_pairs(40)
    frame["question"] = "x" * 3000
    frame["answer"] = frame["question"]
    frame["document_key"] = "elsewhere"
    result = run("qa_pairs", frame)
    assert len(failures(result)) >= 4
    assert len(result.description) <= 2000
