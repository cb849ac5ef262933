"""The debounced rebuild sensor and the rebuild schedule."""

from __future__ import annotations

import time

import dagster as dg
import pytest
from dagster._core.test_utils import create_run_for_test

from sdg_pipeline.defs.schedules import build_rebuild_schedule
from sdg_pipeline.defs.sensors import build_rebuild_sensor, evaluate_rebuild


@dg.op
def _noop() -> None:
    return None


@dg.job(name="process_documents")
def document_run_stand_in():
    """Stands in for a finished document run: the sensor reads run records, not their content."""
    _noop()


def rebuild(instance: dg.DagsterInstance, cursor: str | None, **kwargs) -> dg.SensorResult:
    return evaluate_rebuild(dg.build_sensor_context(instance=instance, cursor=cursor), **kwargs)


def succeed_document_run(instance: dg.DagsterInstance) -> None:
    assert document_run_stand_in.execute_in_process(instance=instance).success


@dg.op
def _fails() -> None:
    raise RuntimeError("a check failed on re-run")


@dg.job(name="rejudge")
def failing_rejudge_stand_in():
    _fails()


def test_a_failed_document_run_triggers_a_rebuild_too(ephemeral):
    # A re-judge whose check now fails must take the document out of the published dataset.
    ephemeral.add_dynamic_partitions("documents", ["a-000000000000"])
    quiet = rebuild(ephemeral, rebuild(ephemeral, None).cursor)
    assert not quiet.run_requests
    result = failing_rejudge_stand_in.execute_in_process(instance=ephemeral, raise_on_error=False)
    assert not result.success
    assert len(rebuild(ephemeral, quiet.cursor).run_requests) == 1


def test_nothing_happened_nothing_rebuilt(ephemeral):
    result = rebuild(ephemeral, None)
    assert not result.run_requests and "up to date" in result.skip_reason.skip_message


def test_one_rebuild_after_document_runs_succeed(ephemeral):
    ephemeral.add_dynamic_partitions("documents", ["a-000000000000", "b-000000000000"])
    succeed_document_run(ephemeral)
    succeed_document_run(ephemeral)
    first = rebuild(ephemeral, None)
    assert len(first.run_requests) == 1
    assert first.run_requests[0].tags["sdg/trigger"] == "dataset_rebuild_sensor"

    quiet = rebuild(ephemeral, first.cursor)
    assert not quiet.run_requests  # both runs are in the build already requested

    succeed_document_run(ephemeral)
    again = rebuild(ephemeral, quiet.cursor)
    assert len(again.run_requests) == 1
    assert again.run_requests[0].run_key != first.run_requests[0].run_key


def test_rebuild_waits_for_runs_in_flight_but_not_forever(ephemeral):
    ephemeral.add_dynamic_partitions("documents", ["a-000000000000"])
    succeed_document_run(ephemeral)
    create_run_for_test(ephemeral, job_name="process_documents", status=dg.DagsterRunStatus.STARTED)
    now = time.time()
    held = rebuild(ephemeral, None, now=now, max_wait_seconds=600)
    assert not held.run_requests and "waiting for 1" in held.skip_reason.skip_message
    still = rebuild(ephemeral, held.cursor, now=now + 300, max_wait_seconds=600)
    assert not still.run_requests
    overdue = rebuild(ephemeral, still.cursor, now=now + 601, max_wait_seconds=600)
    assert len(overdue.run_requests) == 1


def test_a_deleted_partition_triggers_a_rebuild_without_any_run(ephemeral):
    ephemeral.add_dynamic_partitions("documents", ["a-000000000000", "b-000000000000"])
    succeed_document_run(ephemeral)
    built = rebuild(ephemeral, None)
    assert len(built.run_requests) == 1
    ephemeral.delete_dynamic_partition("documents", "a-000000000000")
    after_delete = rebuild(ephemeral, built.cursor)
    assert len(after_delete.run_requests) == 1


def test_rebuild_sensor_targets_build_dataset_and_runs_by_default():
    sensor = build_rebuild_sensor()
    assert sensor.job_name == "build_dataset"
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_schedule_is_off_by_default_and_configurable(monkeypatch):
    schedule = build_rebuild_schedule()
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    assert schedule.cron_schedule == "0 3 * * *" and schedule.job_name == "build_dataset"

    monkeypatch.setenv("SDG_REBUILD_SCHEDULE", "on")
    monkeypatch.setenv("SDG_REBUILD_CRON", "*/15 * * * *")
    configured = build_rebuild_schedule()
    assert configured.default_status == dg.DefaultScheduleStatus.RUNNING
    assert configured.cron_schedule == "*/15 * * * *"


@pytest.mark.parametrize("cron", ["0 3 * * *", "30 */6 * * *"])
def test_schedule_requests_a_dataset_build(cron, ephemeral):
    schedule = build_rebuild_schedule(cron=cron, enabled=True)
    requests = list(schedule.evaluate_tick(dg.build_schedule_context(ephemeral)).run_requests)
    assert len(requests) == 1 and requests[0].tags["sdg/trigger"] == "dataset_rebuild_schedule"


def test_partitions_that_come_back_get_a_fresh_rebuild_key(ephemeral):
    ephemeral.add_dynamic_partitions("documents", ["a-000000000000", "b-000000000000"])
    succeed_document_run(ephemeral)
    first = rebuild(ephemeral, None)
    ephemeral.delete_dynamic_partition("documents", "a-000000000000")
    withdrawn = rebuild(ephemeral, first.cursor)
    ephemeral.add_dynamic_partitions("documents", ["a-000000000000"])  # restored, no new run
    restored = rebuild(ephemeral, withdrawn.cursor)
    keys = [r.run_requests[0].run_key for r in (first, withdrawn, restored)]
    assert len(set(keys)) == 3  # a reused key would be dropped by the daemon
