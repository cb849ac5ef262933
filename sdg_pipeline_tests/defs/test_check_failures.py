"""What the UI shows for a document a blocking check stopped: the check's reason, everywhere.

The real Definitions materialize a scanned PDF in a temp instance; the run's failure, the step's
failure and the checks of the steps it blocked are read back from the instance's event log, the
records the UI renders.
"""

from __future__ import annotations

import dagster as dg

from sdg_pipeline.cli import register_folder
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.checks import PER_DOCUMENT_ASSETS, gate_partitions
from sdg_pipeline.defs.dagster_private import partition_key_filter
from sdg_pipeline.expectations.suites import CHECK_NAME
from sdg_pipeline_tests.convert.pdf_factory import image_only_pdf


def _latest(instance: dg.DagsterInstance, asset: str, key: str):
    check_key = dg.AssetCheckKey(dg.AssetKey(asset), CHECK_NAME[asset])
    (record,) = instance.event_log_storage.get_asset_check_execution_history(
        check_key, limit=1, partition_filter=partition_key_filter(key)
    )
    return record


def _events(instance: dg.DagsterInstance, run_id: str, event_type: dg.DagsterEventType):
    return [
        entry.dagster_event
        for entry in instance.all_logs(run_id, of_type=event_type)
        if entry.dagster_event is not None
    ]


def test_a_blocked_document_fails_with_its_checks_reason_and_says_why_downstream(
    tmp_path, instance, landing
) -> None:
    (landing / "scan.pdf").write_bytes(image_only_pdf())
    defs = build_definitions(data_root=str(tmp_path / "data"), landing_uri=str(landing))
    (key,), _ = register_folder(landing, defs.resources["storage"], instance)
    result = defs.resolve_job_def("process_documents").execute_in_process(
        instance=instance, partition_key=key, raise_on_error=False
    )
    assert not result.success

    check = _latest(instance, "markdown_documents", key)
    assert check.status.value == "FAILED"
    headline = check.event.dagster_event.event_specific_data.description
    assert headline.startswith("conversion failed (no_text): scan.pdf: ")
    reason = f"document {key}: markdown_documents: {headline}"

    # The step and the run fail with the check's own words, not Dagster's generic
    # "1 blocking asset check failed", and said once: no WARNING repeats it before.
    (step_failure,) = _events(instance, result.run_id, dg.DagsterEventType.STEP_FAILURE)
    assert step_failure.step_key == "markdown_documents"
    assert step_failure.step_failure_data.user_failure_data.description == reason
    assert step_failure.step_failure_data.error.cls_name == "Failure"
    (run_failure,) = _events(instance, result.run_id, dg.DagsterEventType.RUN_FAILURE)
    assert run_failure.event_specific_data.error.message.strip().endswith(reason)
    assert "DagsterAssetCheckFailedError" not in run_failure.event_specific_data.error.message
    logged = [e.user_message for e in instance.all_logs(result.run_id) if e.level >= 30]
    assert sum(headline in message for message in logged) <= 1  # the converter's own warning

    # The checks of the steps it blocked were evaluated in this run, and say why.
    blocked = PER_DOCUMENT_ASSETS[PER_DOCUMENT_ASSETS.index("markdown_documents") + 1 :]
    for asset in blocked:
        record = _latest(instance, asset, key)
        assert (record.run_id, record.status.value) == (result.run_id, "FAILED"), asset
        evaluation = record.event.dagster_event.event_specific_data
        assert evaluation.description == (
            f"skipped: upstream markdown_documents check failed for {key}: {headline}"
        )
        assert evaluation.partition == key
    # Its own earlier check passed and stays passed; the document is out of the dataset.
    assert _latest(instance, "raw_documents", key).status.value == "SUCCEEDED"
    passing, excluded = gate_partitions(instance, [key])
    assert passing == [] and "markdown_documents_expectations (failed)" in excluded[key]


def test_a_document_without_a_source_fails_with_that_reason(tmp_path, instance) -> None:
    defs = build_definitions(data_root=str(tmp_path / "data"), landing_uri=str(tmp_path))
    key = "ghost-000000000000"
    instance.add_dynamic_partitions("documents", [key])
    result = defs.resolve_job_def("process_documents").execute_in_process(
        instance=instance, partition_key=key, raise_on_error=False
    )
    (run_failure,) = _events(instance, result.run_id, dg.DagsterEventType.RUN_FAILURE)
    assert f"document {key}: no source registered" in run_failure.event_specific_data.error.message
