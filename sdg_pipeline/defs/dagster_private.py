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
