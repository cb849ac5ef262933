"""Many documents per run: one step handles the run's partitions, the UI keeps one partition per
document with its own check result, and a bad document never stops the others."""

from __future__ import annotations

import dagster as dg
import pytest

from sdg_pipeline.cli import (
    StageWatcher,
    contiguous_batches,
    document_outcomes,
    register_folder,
)
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.dagster_private import partition_range_tags
from sdg_pipeline.defs.document_asset import NOT_MATERIALIZED
from sdg_pipeline.defs.resources import build_resources
from sdg_pipeline_tests.conftest import copy_samples

ASSETS = (
    "raw_documents",
    "markdown_documents",
    "chunks",
    "qa_pairs",
    "judged_pairs",
    "training_examples",
)


def _events(result: dg.ExecuteInProcessResult, kind: str) -> list:
    return [e.event_specific_data for e in result.all_events if e.event_type_value == kind]


@pytest.fixture
def batch_run(tmp_path, instance):
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    (docs / "policy.md").write_text(
        "# Expense policy\n\n## Meals\n\nTravelling employees may claim up to 40 euros per day "
        "for meals on the road. Receipts must be submitted within 30 days of the trip.\n"
    )
    out = tmp_path / "out"
    resources = build_resources(data_root=str(out), landing_uri=str(docs))
    defs = build_definitions(data_root=str(out), landing_uri=str(docs), llm=resources["llm"])
    keys, _ = register_folder(docs, resources["storage"], instance)
    order = instance.get_dynamic_partitions("documents")
    (batch,) = contiguous_batches(keys, order, 10)
    result = defs.resolve_job_def("process_documents").execute_in_process(
        instance=instance, tags=partition_range_tags(batch[0], batch[-1]), raise_on_error=False
    )
    broken = next(key for key in batch if key.startswith("broken"))
    return result, batch, broken, out


def test_one_run_materializes_every_document_with_its_own_checks(batch_run) -> None:
    result, batch, broken, out = batch_run
    assert len(batch) == 3
    assert result.success  # the broken document did not fail the batch
    steps = {e.step_key for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
    assert steps == set(ASSETS)  # one step per asset for all three documents
    evaluations = _events(result, "ASSET_CHECK_EVALUATION")
    by_partition = {(e.asset_key.path[-1], e.partition): e for e in evaluations}
    good = [key for key in batch if key != broken]
    for key in good:  # one check result per asset and document, on its partition
        assert all(by_partition[(asset, key)].passed for asset in ASSETS)
        assert (out / "training_examples" / f"{key}.parquet").exists()
    failed = by_partition[("markdown_documents", broken)]
    assert not failed.passed and "broken.pdf" in (failed.description or "")
    # The broken document goes no further than its failed check: no chunks, no check after it.
    assert ("chunks", broken) not in by_partition
    assert not (out / "chunks" / f"{broken}.parquet").exists()
    chunks_of_broken = [
        m.materialization
        for m in _events(result, "ASSET_MATERIALIZATION")
        if m.materialization.partition == broken
        and m.materialization.asset_key == dg.AssetKey("chunks")
    ]
    note = chunks_of_broken[0].metadata[NOT_MATERIALIZED].value
    assert note.startswith("not computed: upstream markdown_documents:")


def test_each_document_of_a_batch_gets_its_own_outcome(batch_run) -> None:
    result, batch, broken, _ = batch_run
    outcomes = document_outcomes(result, batch)
    assert outcomes[broken].startswith("markdown_documents:") and "broken.pdf" in outcomes[broken]
    assert [key for key, error in outcomes.items() if error is None] == [
        key for key in batch if key != broken
    ]


def test_a_document_whose_step_raises_stops_alone(tmp_path, instance) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    (docs / "gone.md").write_text("# Gone\n\n## Soon\n\nThis file is removed after registration.\n")
    out = tmp_path / "out"
    resources = build_resources(data_root=str(out), landing_uri=str(docs))
    defs = build_definitions(data_root=str(out), landing_uri=str(docs), llm=resources["llm"])
    keys, _ = register_folder(docs, resources["storage"], instance)
    (docs / "gone.md").unlink()  # raw_documents raises for this one only
    order = instance.get_dynamic_partitions("documents")
    (batch,) = contiguous_batches(keys, order, 10)
    result = defs.resolve_job_def("process_documents").execute_in_process(
        instance=instance, tags=partition_range_tags(batch[0], batch[-1]), raise_on_error=False
    )
    outcomes = document_outcomes(result, batch)
    gone = next(key for key in batch if key.startswith("gone"))
    assert "is gone" in outcomes[gone] and outcomes[gone].startswith("raw_documents:")
    assert [error for key, error in outcomes.items() if key != gone] == [None]
    assert not (out / "raw_documents" / f"{gone}.parquet").exists()


def test_batches_never_span_a_key_that_is_not_stale() -> None:
    order = ["a", "b", "c", "d", "e", "f"]
    assert contiguous_batches(["a", "b", "d", "e", "f"], order, 2) == [
        ["a", "b"],
        ["d", "e"],
        ["f"],
    ]
    assert contiguous_batches(["f", "a"], order, 10) == [["a"], ["f"]]
    assert contiguous_batches(["a", "b", "c"], order, 1) == [["a"], ["b"], ["c"]]


def test_the_stage_watcher_counts_every_stage_of_a_batch(tmp_path, instance) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    (docs / "policy.md").write_text("# Policy\n\n## Travel\n\nTrains are booked in second class.\n")
    out = tmp_path / "out"
    resources = build_resources(data_root=str(out), landing_uri=str(docs))
    defs = build_definitions(data_root=str(out), landing_uri=str(docs), llm=resources["llm"])
    keys, _ = register_folder(docs, resources["storage"], instance)
    seen: dict[str, int] = {}
    watcher = StageWatcher(instance, seen.__setitem__)
    with watcher.watching() as run_id:
        result = defs.resolve_job_def("process_documents").execute_in_process(
            instance=instance, run_id=run_id, tags=partition_range_tags(keys[0], keys[-1])
        )
    assert result.run_id == run_id
    assert seen == dict.fromkeys(ASSETS, 2)  # both documents, every stage, counted as they land
