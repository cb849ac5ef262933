"""A daemon started over an instance the CLI already filled does not rebuild again."""

from __future__ import annotations

import dagster as dg

from sdg_pipeline.defs.sensors import evaluate_rebuild


@dg.op
def _noop() -> None:
    return None


@dg.job(name="process_documents")
def document_run() -> None:
    _noop()


@dg.job(name="build_dataset")
def dataset_build() -> None:
    _noop()


def _tick(instance: dg.DagsterInstance, cursor: str | None) -> dg.SensorResult:
    return evaluate_rebuild(dg.build_sensor_context(instance=instance, cursor=cursor))


def test_first_tick_after_a_cli_run_and_its_build_requests_nothing() -> None:
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("documents", ["a-000000000000"])
    assert document_run.execute_in_process(instance=instance).success
    assert dataset_build.execute_in_process(instance=instance).success
    first = _tick(instance, None)
    assert not first.run_requests
    assert "already rebuilt" in first.skip_reason.skip_message
    # ...and it keeps reacting to what happens next.
    assert not _tick(instance, first.cursor).run_requests
    assert document_run.execute_in_process(instance=instance).success
    assert len(_tick(instance, first.cursor).run_requests) == 1


def test_first_tick_with_document_runs_newer_than_any_build_still_rebuilds() -> None:
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("documents", ["a-000000000000"])
    assert dataset_build.execute_in_process(instance=instance).success
    assert document_run.execute_in_process(instance=instance).success
    assert len(_tick(instance, None).run_requests) == 1


def test_a_missing_landing_folder_is_named_and_withdraws_nothing(tmp_path) -> None:
    from sdg_pipeline.defs.resources import LandingZoneResource, StorageResource
    from sdg_pipeline.defs.sensors import evaluate_landing

    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("documents", ["a-000000000000"])
    missing = tmp_path / "not-mounted"
    result = evaluate_landing(
        dg.build_sensor_context(instance=instance),
        LandingZoneResource(uri=str(missing), settle_seconds=0),
        StorageResource(data_root=str(tmp_path / "data")),
    )
    assert not result.run_requests and not result.dynamic_partitions_requests
    assert f"landing zone {missing} does not exist" in result.skip_reason.skip_message
