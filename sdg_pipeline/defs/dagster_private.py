"""Every use of Dagster's private API, in one place, each with a test that breaks on a change.

dagster is pinned to the minor version these were tested against (pyproject.toml); when it moves,
`sdg_pipeline_tests/test_private_api.py` says which of these no longer holds.
"""

from __future__ import annotations

from typing import Any


def partition_key_filter(partition_key: str) -> Any:
    """The filter `get_asset_check_execution_history` takes to read one partition's history."""
    from dagster._core.event_api import PartitionKeyFilter

    return PartitionKeyFilter(key=partition_key)


def check_target(storage_id: int, run_id: str, timestamp: float) -> Any:
    """The materialization an `AssetCheckEvaluation` evaluated, so the UI shows it as current.

    A check result yielded for one partition of a multi-partition step has to name it itself:
    `AssetCheckResult` only knows a step's single partition key.
    """
    from dagster._core.definitions.asset_checks.asset_check_evaluation import (
        AssetCheckEvaluationTargetMaterializationData,
    )

    return AssetCheckEvaluationTargetMaterializationData(
        storage_id=storage_id, run_id=run_id, timestamp=timestamp
    )


def partition_range_tags(start: str, end: str) -> dict[str, str]:
    """Run tags that target a range of partitions in one run (what a single-run backfill sets);
    `execute_in_process` takes one `partition_key` only."""
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    return {ASSET_PARTITION_RANGE_START_TAG: start, ASSET_PARTITION_RANGE_END_TAG: end}


def add_partition_metadata(
    context: Any, asset_key: Any, partition_key: str, metadata: dict[str, Any]
) -> None:
    """`context.add_asset_metadata(metadata, partition_key=...)` without its check that the key
    is in the run's range, which lists every dynamic partition from the instance on each call:
    O(partitions) per call, O(partitions x batch) per step. The batch's keys come from the run's
    own range, so the check has nothing to catch here."""
    step = context.op_execution_context._step_execution_context
    step._metadata_accumulator = step._metadata_accumulator.with_additional_asset_metadata(
        asset_key=asset_key, metadata=metadata, partition_key=partition_key
    )
