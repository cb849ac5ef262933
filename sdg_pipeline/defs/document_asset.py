"""What every per-document asset shares: its decorator arguments and its ending.

Each asset is one partition of the `documents` partitions, Parquet through the IO manager, a
blocking expectation suite evaluated in the same step, owners, tags and the column schema from
`schemas.py`. Writing that once keeps the six asset modules to what differs: the core call.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dagster as dg
import pandas as pd

from sdg_pipeline.defs.checks import (
    blocked_evaluations,
    check_failure,
    expectations_result,
    expectations_spec,
    is_blocking_failure,
)
from sdg_pipeline.defs.partitions import documents_partitions
from sdg_pipeline.defs.resources.settings import PipelineSettings
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
