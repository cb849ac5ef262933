"""The Dagster shell as a user of the UI sees it: kinds, owners, column schemas, checks."""

from __future__ import annotations

import dagster as dg
import pytest

from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.schemas import SCHEMAS

PER_DOCUMENT = sorted(name for name in SCHEMAS)


@pytest.fixture(scope="module")
def asset_graph() -> dg.AssetGraph:  # type: ignore[name-defined]
    return build_definitions(data_root="/tmp/unused-data-root").resolve_asset_graph()


@pytest.mark.parametrize("name", PER_DOCUMENT)
def test_each_per_document_asset_declares_its_parquet_columns(asset_graph, name: str) -> None:
    node = asset_graph.get(dg.AssetKey(name))
    schema = node.metadata["dagster/column_schema"]
    assert [c.name for c in schema.columns] == SCHEMAS[name].names


@pytest.mark.parametrize("name", PER_DOCUMENT)
def test_each_per_document_asset_has_owner_stage_and_a_blocking_suite(asset_graph, name) -> None:
    node = asset_graph.get(dg.AssetKey(name))
    assert node.owners == ["team:ml-data"]
    assert node.tags.get("stage")
    assert node.partitions_def is not None and node.partitions_def.name == "documents"
    checks = [asset_graph.get(key) for key in asset_graph.get_check_keys_for_assets({node.key})]
    assert len(checks) == 1 and checks[0].blocking


def test_no_kind_claims_an_llm_the_offline_path_may_not_use(asset_graph) -> None:
    kinds = {
        kind for key in asset_graph.get_all_asset_keys() for kind in asset_graph.get(key).kinds
    }
    assert "openai" not in kinds
    assert "docling" in asset_graph.get(dg.AssetKey("markdown_documents")).kinds


def test_jobs_sensors_and_schedule_load_from_the_defs_folder() -> None:
    defs = build_definitions(data_root="/tmp/unused-data-root")
    assert sorted(job.name for job in defs.jobs) == [
        "build_dataset",
        "process_documents",
        "rejudge",
    ]
    assert sorted(s.name for s in defs.sensors) == ["dataset_rebuild_sensor", "landing_sensor"]
    assert [s.name for s in defs.schedules] == ["dataset_rebuild_schedule"]
