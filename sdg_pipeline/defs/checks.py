"""Blocking expectation checks on every per-document asset, and what they gate.

Each asset runs its Great Expectations suite in the same step (the data is already in memory) and
reports it as a partitioned, blocking check: a failure stops that document's downstream steps and
leaves other documents alone. The dataset build asks the instance which partitions passed.
"""

from typing import Any

import dagster as dg
import pandas as pd

from sdg_pipeline.defs.dagster_private import check_target, partition_key_filter
from sdg_pipeline.defs.partitions import documents_partitions
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.expectations.batch import validate_batch
from sdg_pipeline.expectations.runner import SuiteOutcome, failures_markdown, summary, validate
from sdg_pipeline.expectations.suites import ASSETS, CHECK_NAME, Severity
from sdg_pipeline.expectations.thresholds import CheckThresholds

PER_DOCUMENT_ASSETS = tuple(name for name in ASSETS if name != "training_jsonl")


_SEVERITY = {Severity.ERROR: dg.AssetCheckSeverity.ERROR, Severity.WARN: dg.AssetCheckSeverity.WARN}


def to_check_result(
    outcome: SuiteOutcome,
    *,
    asset_key: dg.AssetKey | None = None,
    check_name: str | None = None,
) -> dg.AssetCheckResult:
    """The check result the Dagster UI shows: verdict, severity, GX statistics, failures."""
    failures = outcome.failures
    stats = outcome.statistics
    metadata: dict[str, Any] = {
        "suite": outcome.suite,
        "rows_checked": outcome.rows_checked,
        "evaluated_expectations": int(stats.get("evaluated_expectations") or 0),
        "successful_expectations": int(stats.get("successful_expectations") or 0),
        "unsuccessful_expectations": int(stats.get("unsuccessful_expectations") or 0),
        "success_percent": float(stats.get("success_percent") or 0.0),
        "failing_expectations": dg.MetadataValue.json([f.as_json() for f in failures]),
        "validation_seconds": round(outcome.seconds, 4),
    }
    if failures:
        metadata["failures"] = dg.MetadataValue.md(failures_markdown(failures))
    if outcome.batch_size > 1:
        metadata["validated_with_partitions"] = outcome.batch_size
    if outcome.checks_alone is not None:
        metadata["expectations_validated_alone"] = outcome.checks_alone
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=_SEVERITY[outcome.severity],
        asset_key=asset_key,
        check_name=check_name or CHECK_NAME.get(outcome.asset),
        description=summary(outcome),
        metadata=metadata,
    )


def check_asset(
    asset_name: str,
    df: pd.DataFrame,
    thresholds: CheckThresholds,
    *,
    partition_key: str | None = None,
) -> dg.AssetCheckResult:
    """Run the asset's suite on its frame and return the check result."""
    outcome = validate(asset_name, df, thresholds, partition_key=partition_key)
    return to_check_result(outcome, check_name=CHECK_NAME[asset_name])


def expectations_spec(asset_name: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        CHECK_NAME[asset_name],
        asset=asset_name,
        blocking=True,
        partitions_def=documents_partitions,
        description=f"Great Expectations suite for {asset_name}; blocks downstream on failure.",
    )


def expectations_result(
    context: dg.AssetExecutionContext,
    asset_name: str,
    frame: pd.DataFrame,
    settings: PipelineSettings,
) -> dg.AssetCheckResult:
    result = check_asset(
        asset_name, frame, settings.check_thresholds(), partition_key=context.partition_key
    )
    if not result.passed and not is_blocking_failure(result):
        # A warning never fails the step, so the log is the only place a reader sees it go by.
        context.log.warning(
            f"document {context.partition_key}: {asset_name}: {result.description or ''}"
        )
    return result


def is_blocking_failure(result: dg.AssetCheckResult) -> bool:
    return not result.passed and result.severity == dg.AssetCheckSeverity.ERROR


def check_failure(partition_key: str, asset_name: str, result: dg.AssetCheckResult) -> dg.Failure:
    """The step's own failure for a failed blocking check: its headline, naming the document.

    Dagster would otherwise fail the step with a generic `DagsterAssetCheckFailedError`, and the
    run's failure (what the UI's run page and run list show) would carry that instead of the
    reason. The failure is deterministic, so it bypasses step retry policies.
    """
    return dg.Failure(
        description=f"document {partition_key}: {asset_name}: {result.description}",
        metadata={"check": CHECK_NAME[asset_name], "document": partition_key},
        allow_retries=False,
    )


def blocked_evaluations(
    context: dg.AssetExecutionContext, asset_name: str, result: dg.AssetCheckResult
) -> list[dg.AssetCheckEvaluation]:
    """Failed evaluations, saying why, for this run's checks downstream of a failed check.

    Dagster leaves the checks of skipped steps planned, which the UI shows as "Execution failed"
    with no reason. Only a failed check resolves them: a step that crashed (an LLM outage) leaves
    them planned, so the document keeps its last finished verdicts (`_latest_completed`).
    The per-document assets form one chain, so every later one is downstream.
    """
    key = context.partition_key
    reason = f"skipped: upstream {asset_name} check failed for {key}: {result.description or ''}"
    evaluations = []
    for name in PER_DOCUMENT_ASSETS[PER_DOCUMENT_ASSETS.index(asset_name) + 1 :]:
        check_key = dg.AssetCheckKey(dg.AssetKey(name), CHECK_NAME[name])
        latest = context.instance.event_log_storage.get_asset_check_execution_history(
            check_key, limit=1, partition_filter=partition_key_filter(key)
        )
        planned_here = (
            bool(latest)
            and latest[0].run_id == context.run_id
            and latest[0].status.value == "PLANNED"
        )
        if planned_here:
            evaluations.append(
                dg.AssetCheckEvaluation(
                    asset_key=check_key.asset_key,
                    check_name=check_key.name,
                    passed=False,
                    severity=dg.AssetCheckSeverity.ERROR,
                    description=reason,
                    metadata={"blocked_by": f"{asset_name}: {CHECK_NAME[asset_name]}"},
                    blocking=True,
                    partition=key,
                )
            )
    return evaluations


def partition_evaluation(
    result: dg.AssetCheckResult,
    asset_name: str,
    partition_key: str,
    target: tuple[int, str, float] | None = None,
) -> dg.AssetCheckEvaluation:
    """One partition's check result inside a multi-partition step.

    A failed ERROR result is recorded as not blocking: Dagster gates a step, not a partition, so
    a blocking failure would stop every document of the batch. The batch gates per partition
    itself instead (`admitted_partitions`): the failed document goes no further, the rest do.
    """
    return dg.AssetCheckEvaluation(
        check_name=CHECK_NAME[asset_name],
        asset_key=dg.AssetKey(asset_name),
        passed=result.passed,
        metadata=result.metadata,
        severity=result.severity,
        description=result.description,
        blocking=result.passed or result.severity != dg.AssetCheckSeverity.ERROR,
        partition=partition_key,
        target_materialization_data=check_target(*target) if target else None,
    )


def _evaluation_of(
    instance: dg.DagsterInstance, check_key: dg.AssetCheckKey, partition_key: str
) -> tuple[bool, str]:
    """Whether the newest evaluation lets the partition through (WARN does), and its headline."""
    records = instance.event_log_storage.get_asset_check_execution_history(
        check_key, limit=1, partition_filter=partition_key_filter(partition_key)
    )
    event = records[0].event.dagster_event if records and records[0].event else None
    data = event.event_specific_data if event else None
    if getattr(data, "passed", None) is None:  # only planned so far
        return False, "no result"
    return bool(data.passed or data.severity == dg.AssetCheckSeverity.WARN), data.description or ""


def admitted_partitions(
    instance: dg.DagsterInstance,
    run_id: str,
    upstream: list[str],
    partition_keys: list[str],
    run_assets: set[str],
) -> tuple[list[str], dict[str, str]]:
    """The partitions of a batch step whose upstream checks let them through; the rest, why not.

    An upstream asset of this run counts only with its evaluation from this run (a document whose
    step failed in this run has none, so it goes no further); one outside the run (say, the
    rejudge job's qa_pairs) counts with its latest finished verdict, as the dataset gate does.
    """
    admitted: dict[str, None] = dict.fromkeys(partition_keys)
    excluded: dict[str, str] = {}
    for asset_name in upstream:
        key = dg.AssetCheckKey(dg.AssetKey(asset_name), CHECK_NAME[asset_name])
        if asset_name not in run_assets:
            status = check_status_by_partition(instance, list(admitted))
            for partition in list(admitted):
                if status[partition].get(key.name) != "SUCCEEDED":
                    excluded[partition] = f"{asset_name}: no passing check result"
                    del admitted[partition]
            continue
        infos = {
            info.partition_key: info
            for info in instance.event_log_storage.get_asset_check_partition_info(
                [key], partition_keys=list(admitted)
            )
        }
        for partition in list(admitted):
            info = infos.get(partition)
            state = info.latest_execution_status.value if info else None
            if info is None or info.latest_planned_run_id != run_id or state == "PLANNED":
                # planned but never evaluated: its step left this document out, or raised for it
                excluded[partition] = f"{asset_name}: did not finish in this run"
            elif state == "SUCCEEDED":
                continue
            else:
                passed, headline = _evaluation_of(instance, key, partition)
                if passed:
                    continue
                excluded[partition] = f"{asset_name}: {headline}"
            del admitted[partition]
    return list(admitted), excluded


def expectations_results(
    context: dg.AssetExecutionContext,
    asset_name: str,
    frames: dict[str, pd.DataFrame],
    settings: PipelineSettings,
) -> dict[str, dg.AssetCheckResult]:
    """The suite's result for each partition of a batch (one GX validation where it can, see
    `expectations/batch.py`), failures logged with their document."""
    outcomes = validate_batch(asset_name, frames, settings.check_thresholds())
    results = {}
    for key, outcome in outcomes.items():
        result = to_check_result(outcome, check_name=CHECK_NAME[asset_name])
        if not result.passed:
            context.log.warning(
                f"document {key}: {asset_name} expectations failed: {result.description or ''}"
            )
        results[key] = result
    return results


def _check_keys() -> list[dg.AssetCheckKey]:
    return [dg.AssetCheckKey(dg.AssetKey(name), CHECK_NAME[name]) for name in PER_DOCUMENT_ASSETS]


HISTORY_DEPTH = 20


def _latest_completed(
    instance: dg.DagsterInstance, check_key: dg.AssetCheckKey, partition_key: str
) -> str | None:
    """Gating status of the newest finished evaluation: SUCCEEDED, FAILED or None if none yet.

    A run in flight leaves its checks PLANNED; the document keeps the verdict of its last finished
    run meanwhile, so a rebuild during a re-run does not drop examples that are still valid.
    A failure of WARN severity counts as passed: it shows in the UI but does not block.
    """
    records = instance.event_log_storage.get_asset_check_execution_history(
        check_key, limit=HISTORY_DEPTH, partition_filter=partition_key_filter(partition_key)
    )
    for record in records:
        if record.status.value == "SUCCEEDED":
            return "SUCCEEDED"
        if record.status.value == "FAILED":
            event = record.event.dagster_event if record.event else None
            severity = getattr(event and event.event_specific_data, "severity", None)
            return "SUCCEEDED" if severity == dg.AssetCheckSeverity.WARN else "FAILED"
    return None


def check_status_by_partition(
    instance: dg.DagsterInstance, partition_keys: list[str]
) -> dict[str, dict[str, str]]:
    """Latest gating status of each per-document check by partition: {key: {check: status}}."""
    status: dict[str, dict[str, str]] = {key: {} for key in partition_keys}
    infos = instance.event_log_storage.get_asset_check_partition_info(
        _check_keys(), partition_keys=partition_keys
    )
    for info in infos:
        if info.partition_key not in status:
            continue
        state: str | None = info.latest_execution_status.value
        if state != "SUCCEEDED":  # FAILED may be WARN-only; PLANNED means a run is in flight
            state = _latest_completed(instance, info.check_key, info.partition_key)
        if state is not None:
            status[info.partition_key][info.check_key.name] = state
    return status


def gate_partitions(
    instance: dg.DagsterInstance, partition_keys: list[str]
) -> tuple[list[str], dict[str, str]]:
    """Split partitions into those whose every check passed and the rest, with a reason each."""
    status = check_status_by_partition(instance, partition_keys)
    passing: list[str] = []
    excluded: dict[str, str] = {}
    for key in partition_keys:
        failed = [name for name, state in status[key].items() if state != "SUCCEEDED"]
        missing = [
            CHECK_NAME[name] for name in PER_DOCUMENT_ASSETS if CHECK_NAME[name] not in status[key]
        ]
        if failed:
            excluded[key] = "check not passed: " + ", ".join(
                f"{name} ({status[key][name].lower()})" for name in sorted(failed)
            )
        elif missing:
            excluded[key] = "not processed yet: no result for " + ", ".join(missing)
        else:
            passing.append(key)
    return passing, excluded
