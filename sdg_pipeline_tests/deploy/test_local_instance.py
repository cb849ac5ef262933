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
