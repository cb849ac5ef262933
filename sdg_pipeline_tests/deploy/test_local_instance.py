"""The top-level dagster.yaml: one instance per DAGSTER_HOME, whatever the working directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg

from sdg_pipeline_tests.conftest import REPO


def _instance_in(home: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(home))


def test_same_home_from_two_working_directories_is_one_instance(tmp_path, monkeypatch):
    home = tmp_path / "project"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))

    @dg.op
    def noop() -> None:
        return None

    @dg.job
    def tiny():
        noop()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with _instance_in(home) as first:
        run_id = tiny.execute_in_process(instance=first).run_id

    monkeypatch.chdir(home)
    with _instance_in(home) as second:
        run = second.get_run_by_id(run_id)
        assert run is not None and run.is_success
        assert [r.run_id for r in second.get_runs()] == [run_id]

    # Nothing of the instance was written relative to the folder the run was started from.
    assert list(elsewhere.iterdir()) == []
    assert (home / "history").is_dir()


def test_deterministic_step_failures_are_not_retried(tmp_path) -> None:
    for config in (REPO / "dagster.yaml", REPO / "deploy" / "dagster.yaml"):
        text = config.read_text()
        assert "retry_on_asset_or_op_failure: false" in text, config
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    with _instance_in(home) as instance:
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 1
        assert instance.run_retries_retry_on_asset_or_op_failure is False


def test_the_daemon_retries_a_crashed_run_but_not_a_failed_check_or_a_missing_source(
    tmp_path, landing
) -> None:
    # The daemon's own decision function (private: no public API answers "would it retry?").
    from dagster._daemon.auto_run_reexecution.auto_run_reexecution import (
        filter_runs_to_should_retry,
    )

    from sdg_pipeline.cli import register_folder
    from sdg_pipeline.definitions import build_definitions
    from sdg_pipeline_tests.convert.pdf_factory import image_only_pdf

    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    (landing / "scan.pdf").write_bytes(image_only_pdf())
    defs = build_definitions(data_root=str(tmp_path / "data"), landing_uri=str(landing))
    job = defs.resolve_job_def("process_documents")
    with _instance_in(home) as instance:
        (scan,), _ = register_folder(landing, defs.resources["storage"], instance)
        ghost = "ghost-000000000000"  # a partition with no registered source
        instance.add_dynamic_partitions("documents", [ghost])
        failed = [
            job.execute_in_process(instance=instance, partition_key=key, raise_on_error=False)
            for key in (scan, ghost)
        ]
        assert not any(result.success for result in failed)
        runs = [instance.get_run_by_id(result.run_id) for result in failed]
        assert list(filter_runs_to_should_retry(runs, instance)) == []
        # A run whose worker died is retried by the same instance.
        crashed = instance.create_run_for_job(job_def=job, tags={"dagster/partition": ghost})
        instance.report_run_failed(crashed, "the run worker died")
        crashed = instance.get_run_by_id(crashed.run_id)
        again = [r.run_id for r in filter_runs_to_should_retry([crashed], instance)]
        assert again == [crashed.run_id]
