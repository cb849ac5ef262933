"""A dataset whose own suite fails is never published: the previous files stay in place."""

from __future__ import annotations

import dagster as dg

from sdg_pipeline.cli import register_folder
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline_tests.conftest import copy_samples


def _run(defs, instance, landing) -> dg.ExecuteInProcessResult:
    keys, _ = register_folder(landing, defs.resources["storage"], instance)
    job = defs.resolve_job_def("process_documents")
    for key in keys:
        assert job.execute_in_process(instance=instance, partition_key=key).success
    return defs.resolve_job_def("build_dataset").execute_in_process(
        instance=instance, raise_on_error=False
    )


def test_failing_dataset_suite_keeps_the_previous_dataset(tmp_path, instance, landing):
    copy_samples(landing, ["onboarding_faq.md"])
    data_root = tmp_path / "data"
    # Without dedup, a second copy of the same document puts identical lines in the dataset.
    defs = build_definitions(
        data_root=str(data_root), landing_uri=str(landing), settings=PipelineSettings(dedup=False)
    )
    assert _run(defs, instance, landing).success
    dataset = data_root / "dataset"
    published = {name: (dataset / name).read_bytes() for name in ("train.jsonl", "stats.json")}
    assert published["train.jsonl"]

    (landing / "onboarding_faq_copy.md").write_bytes((landing / "onboarding_faq.md").read_bytes())
    result = _run(defs, instance, landing)
    assert not result.success
    event = instance.get_latest_materialization_event(dg.AssetKey("training_jsonl"))
    assert event.asset_materialization.metadata["published"].value is False
    check_key = dg.AssetCheckKey(dg.AssetKey("training_jsonl"), "training_jsonl_expectations")
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key([check_key])
    assert latest[check_key].status.value == "FAILED"
    for name, content in published.items():
        assert (dataset / name).read_bytes() == content
    assert not [p.name for p in dataset.iterdir() if p.name.startswith(".")]  # no staging left
