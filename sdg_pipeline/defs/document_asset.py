"""What every per-document asset shares: its decorator arguments and its ending.

Each asset is one partition of the `documents` partitions, Parquet through the IO manager, a
blocking expectation suite evaluated in the same step, owners, tags and the column schema from
`schemas.py`. Writing that once keeps the six asset modules to what differs: the core call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import dagster as dg
import pandas as pd

from sdg_pipeline.defs.checks import (
    admitted_partitions,
    blocked_evaluations,
    check_failure,
    expectations_result,
    expectations_results,
    expectations_spec,
    is_blocking_failure,
    partition_evaluation,
)
from sdg_pipeline.defs.dagster_private import add_partition_metadata
from sdg_pipeline.defs.partitions import documents_partitions
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.expectations.suites import CHECK_NAME
from sdg_pipeline.schemas import SCHEMAS

OWNERS = ["team:ml-data"]
LLM_POOL = "llm"


def column_schema(asset_name: str) -> dg.TableSchema:
    """The asset's Parquet contract as Dagster's column schema (shown on the asset's page)."""
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name=field.name, type=str(field.type), description=None)
            for field in SCHEMAS[asset_name]
        ]
    )


def document_asset_args(
    name: str,
    *,
    group: str,
    stage: str,
    description: str,
    code_version: str,
    kinds: set[str] | None = None,
    pool: str | None = None,
) -> dict[str, Any]:
    """Keyword arguments of `dg.asset` for one per-document asset.

    `kinds` name what always runs (docling, pandas); which generator or judge ran is a per-run
    fact and goes into materialization metadata instead of a badge.
    """
    return {
        "name": name,
        "partitions_def": documents_partitions,
        # One run may carry many documents: each step then handles all of them at once.
        "backfill_policy": dg.BackfillPolicy.single_run(),
        "group_name": group,
        "kinds": {"parquet", *(kinds or set())},
        "owners": OWNERS,
        "tags": {"stage": stage},
        "pool": pool,
        "check_specs": [expectations_spec(name)],
        "code_version": code_version,
        "description": description,
        "metadata": {"dagster/column_schema": column_schema(name)},
    }


def emit(
    context: dg.AssetExecutionContext,
    name: str,
    frame: pd.DataFrame,
    metadata: dict[str, Any],
    settings: PipelineSettings,
) -> Iterator[dg.Output | dg.AssetCheckResult | dg.AssetCheckEvaluation]:
    """The asset's output, then its blocking suite's result on the same frame.

    A failed blocking check fails the step itself, with the check's headline: the output stays
    stored (the UI shows what failed), the checks of the steps it blocks say why they did not run.
    """
    yield dg.Output(frame, metadata=metadata)
    result = expectations_result(context, name, frame, settings)
    yield result
    if is_blocking_failure(result):
        yield from blocked_evaluations(context, name, result)
        raise check_failure(context.partition_key, name, result)


# --- many documents per step -------------------------------------------------------------------
#
# Every per-document asset runs with a single-run backfill policy: one step materializes all the
# partitions of its run (the CLI sends a batch of documents per run), while the UI keeps one
# partition per document, with that document's metadata and check result. A document that fails
# inside a batch is reported against its own partition and goes no further; the others land.

Outcome = tuple[pd.DataFrame, dict[str, Any]] | BaseException
# An upstream input: one partition's frame, or {partition key: frame} in a batch. Typed Any so
# Dagster's input type check accepts both.
Frames = Any
NOT_MATERIALIZED = "sdg/not_materialized"


def partition_frames(context: dg.AssetExecutionContext, value: Any) -> dict[str, pd.DataFrame]:
    """An input as {partition key: frame}: Dagster hands one partition as the frame itself."""
    if isinstance(value, dict):
        return value
    return {context.partition_keys[0]: value}


def batch_keys(
    context: dg.AssetExecutionContext, upstream: list[str]
) -> tuple[list[str], dict[str, str]]:
    """The partitions this step computes, and those it leaves out with the reason.

    A run of one partition keeps Dagster's own gate (its blocking checks skip the step)."""
    keys = list(context.partition_keys)
    if len(keys) == 1:
        return keys, {}
    # A run of the whole job has no asset selection of its own: then the job's assets ran.
    selection = context.run.asset_selection or context.job_def.asset_layer.selected_asset_keys
    run_assets = {key.to_user_string() for key in selection}
    return admitted_partitions(context.instance, context.run_id, upstream, keys, run_assets)


def compute_each(
    keys: list[str], one: Callable[[str], tuple[pd.DataFrame, dict[str, Any]]]
) -> dict[str, Outcome]:
    """`one(key)` per partition; an exception is that document's outcome, not the batch's."""
    results: dict[str, Outcome] = {}
    for key in keys:
        try:
            results[key] = one(key)
        except Exception as exc:  # reported against this partition by emit_batch
            results[key] = exc
    return results


def _reason(exc: BaseException) -> str:
    return str(exc).strip() or type(exc).__name__


def emit_batch(
    context: dg.AssetExecutionContext,
    name: str,
    results: dict[str, Outcome],
    excluded: dict[str, str],
    settings: PipelineSettings,
) -> Iterator[Any]:
    """The step's output for every partition it computed, then one check result per partition.

    A single partition behaves exactly as before: its exception fails the step, its failed
    blocking check stops its run. In a batch, a document whose computation raised writes nothing
    (an earlier version's Parquet stays) and says why on its partition; Dagster records the step's
    materialization for every partition of the run, so that reason is what the UI shows there.
    """
    keys = list(context.partition_keys)
    if len(keys) == 1 and not excluded:
        outcome = results[keys[0]]
        if isinstance(outcome, BaseException):
            raise outcome
        yield from emit(context, name, outcome[0], outcome[1], settings)
        return
    landed: dict[str, pd.DataFrame] = {}
    asset_key = dg.AssetKey(name)
    for key in keys:
        outcome = results.get(key)
        if outcome is None:
            reason = f"not computed: upstream {excluded.get(key, 'did not finish')}"
        elif isinstance(outcome, BaseException):
            reason = f"{name}: {_reason(outcome)}"
            context.log.error(f"document {key}: {reason}")
        else:
            frame, metadata = outcome
            landed[key] = frame
            add_partition_metadata(
                context, asset_key, key, {**metadata, "dagster/row_count": len(frame)}
            )
            continue
        add_partition_metadata(context, asset_key, key, {NOT_MATERIALIZED: reason})
    yield dg.Output(landed, metadata={"batch_documents": len(keys), "batch_landed": len(landed)})
    check_key = dg.AssetCheckKey(dg.AssetKey(name), CHECK_NAME[name])
    # The check's own output: downstream steps wait on it as on any blocking check.
    check_output = context.assets_def.get_output_name_for_asset_check_key(check_key)
    yield dg.Output(None, output_name=check_output)
    targets = materialization_targets(context, name, list(landed))
    for key, result in expectations_results(context, name, landed, settings).items():
        yield partition_evaluation(result, name, key, targets.get(key))


def materialization_targets(
    context: dg.AssetExecutionContext, name: str, keys: list[str]
) -> dict[str, tuple[int, str, float]]:
    """The materialization this run just recorded per partition (what each check evaluated)."""
    if not keys:
        return {}
    records = context.instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(name), asset_partitions=keys),
        limit=len(keys),
    ).records
    return {
        record.partition_key: (record.storage_id, record.run_id, record.timestamp)
        for record in records
        if record.run_id == context.run_id and record.partition_key
    }
