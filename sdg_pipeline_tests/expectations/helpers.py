"""Reading a check result the way a reviewer reads it in the Dagster UI."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from sdg_pipeline.defs.checks import check_asset
from sdg_pipeline.expectations.thresholds import CheckThresholds
from sdg_pipeline_tests.expectations.frames import DOC


def run(
    asset: str,
    frame: pd.DataFrame,
    thresholds: CheckThresholds | None = None,
    partition_key: str | None = DOC,
) -> dg.AssetCheckResult:
    return check_asset(asset, frame, thresholds or CheckThresholds(), partition_key=partition_key)


def failures(result: dg.AssetCheckResult) -> list[dict]:
    return result.metadata["failing_expectations"].data


def failed_columns(result: dg.AssetCheckResult) -> set[str]:
    """The columns of the failing expectations: which rule tripped, not merely that one did."""
    return {column for f in failures(result) for column in f["columns"]} | {
        "<table>" for f in failures(result) if not f["columns"]
    }


def assert_passes(result: dg.AssetCheckResult) -> None:
    assert result.passed, result.description
    assert failures(result) == []
