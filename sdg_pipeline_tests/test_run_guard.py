"""Terminal runs beside other runs, signals and kills."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

import dagster as dg
import pytest
from dagster._core.test_utils import create_run_for_test

from sdg_pipeline.cli import run_pipeline
from sdg_pipeline.run_guard import CLI_TAG, StopRequest, deferred_stop, fail_orphaned_runs
from sdg_pipeline_tests.conftest import copy_samples, run_cli_at_once


def test_runs_a_killed_cli_left_started_are_marked_failed() -> None:
    instance = dg.DagsterInstance.ephemeral()
    orphan = create_run_for_test(
        instance,
        job_name="process_documents",
        status=dg.DagsterRunStatus.STARTED,
        tags={CLI_TAG: "999999"},
    )
    daemon_run = create_run_for_test(
        instance, job_name="process_documents", status=dg.DagsterRunStatus.STARTED
    )
    assert fail_orphaned_runs(instance) == [orphan.run_id]
    assert instance.get_run_by_id(orphan.run_id).status == dg.DagsterRunStatus.FAILURE
    assert instance.get_run_by_id(daemon_run.run_id).status == dg.DagsterRunStatus.STARTED


def test_first_signal_asks_to_stop_the_second_interrupts() -> None:
    with deferred_stop() as stop:
        assert not stop
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop and stop.signal == "SIGTERM"
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)


def test_a_stopped_run_starts_no_further_document_and_writes_no_dataset(tmp_path, instance):
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md", "acme_travel_policy.pdf"])
    stop = StopRequest()
    stop.signal = "SIGTERM"
    summary = run_pipeline(docs, str(tmp_path / "out"), instance, stop=stop)
    assert len(summary.not_started) == 2 and not summary.succeeded
    assert not instance.get_runs()
    assert not (tmp_path / "out" / "dataset").exists()


def signal_once_a_run_starts(instance: dg.DagsterInstance, forked_workers: int = 0) -> None:
    """SIGTERM to this process, from a thread, as soon as a document run has started. With
    `forked_workers`, the watch reads the instance only once that many run workers are
    forked: a child forked while this thread is inside SQLite inherits SQLite's lock held and
    hangs in its first connect (seen once in a full run of the suite)."""

    def watch() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and forked_workers > sum(
            child.name == "sdg-run-worker" for child in multiprocessing.active_children()
        ):
            time.sleep(0.01)
        while time.monotonic() < deadline:
            if instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])):
                os.kill(os.getpid(), signal.SIGTERM)
                return
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True).start()


def test_a_signal_during_a_document_lets_it_finish_and_starts_no_other(tmp_path, instance):
    docs = tmp_path / "docs"
    copy_samples(docs, ["acme_travel_policy.pdf", "harbor_league_rulebook.pdf"])

    with deferred_stop() as stop:
        signal_once_a_run_starts(instance)
        # One document per run, one run at a time: the signal lets the run in progress finish
        # (here: one document).
        summary = run_pipeline(
            docs, str(tmp_path / "out"), instance, stop=stop, batch_size=1, workers=1
        )
    # Dagster's own handler used to take the signal: the document failed, the next one started.
    assert stop.signal == "SIGTERM"
    runs = instance.get_runs(dg.RunsFilter(job_name="process_documents"))
    assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS]
    assert len(summary.succeeded) == 1 and len(summary.not_started) == 1
    assert not (tmp_path / "out" / "dataset").exists()


def test_a_signal_during_parallel_runs_lets_both_finish_and_starts_no_other(tmp_path, instance):
    docs = tmp_path / "docs"
    copy_samples(docs)  # three documents, one a run, two workers

    with deferred_stop() as stop:
        signal_once_a_run_starts(instance, forked_workers=2)
        summary = run_pipeline(
            docs, str(tmp_path / "out"), instance, stop=stop, batch_size=1, workers=2
        )
    assert stop.signal == "SIGTERM"
    runs = instance.get_runs(dg.RunsFilter(job_name="process_documents"))
    # the first signal lets both runs in progress finish, the third document waits
    assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * 2
    assert len(summary.succeeded) == 2 and len(summary.not_started) == 1


def test_two_first_runs_on_a_new_home_do_the_work_once(tmp_path) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    home = tmp_path / "home"
    home.mkdir()
    results = run_cli_at_once(docs, tmp_path / "out", home)
    assert [code for code, _ in results] == [0, 0], results
    assert any("1 up to date" in out for _, out in results)  # the second found it done
    with dg.DagsterInstance.from_config(str(home)) as instance:  # the home still opens
        runs = instance.get_runs(dg.RunsFilter(job_name="process_documents"))
        assert len(runs) == 1
