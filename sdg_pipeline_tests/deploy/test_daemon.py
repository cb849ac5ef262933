"""The real `dagster-daemon` on the production instance: the landing sensor ticks against Postgres.

The daemon loads this code location from a workspace, as in docker compose, and evaluates the
landing sensor over an S3 landing zone; its tick, cursor and run request are read back from
Postgres through a separate instance built from deploy/dagster.yaml.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from sdg_pipeline_tests.conftest import REPO, SAMPLES

DOC = "onboarding_faq.md"
DAEMON_WAIT_SECONDS = 300


def _workspace(tmp_path: Path) -> Path:
    path = tmp_path / "workspace.yaml"
    path.write_text(
        "load_from:\n"
        "  - python_module:\n"
        "      module_name: sdg_pipeline.definitions\n"
        "      location_name: sdg_pipeline\n"
        f"      working_directory: {REPO}\n"
    )
    return path


def _landing_state(instance: dg.DagsterInstance):
    for state in instance.all_instigator_state():
        if state.instigator_name == "landing_sensor":
            return state
    return None


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def test_daemon_ticks_the_landing_sensor_into_postgres(
    deploy_instance, deploy_home, s3_data, tmp_path
):
    client, bucket = s3_data
    client.put_object(Bucket=bucket, Key=f"landing/{DOC}", Body=(SAMPLES / DOC).read_bytes())
    env = {
        **os.environ,
        "DAGSTER_HOME": str(deploy_home),
        "SDG_DATA_ROOT": f"s3://{bucket}/sdg",
        "SDG_LANDING_URI": f"s3://{bucket}/landing",
    }
    log = (tmp_path / "daemon.log").open("w")
    daemon = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster-daemon"),
            "run",
            "-w",
            str(_workspace(tmp_path)),
        ],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # the daemon's code server and run workers stop with it
    )
    runs: list = []
    state = None
    try:
        deadline = time.monotonic() + DAEMON_WAIT_SECONDS
        while time.monotonic() < deadline and daemon.poll() is None:
            runs = deploy_instance.get_runs(
                filters=dg.RunsFilter(tags={"dagster/sensor_name": "landing_sensor"})
            )
            state = _landing_state(deploy_instance)
            if runs and state is not None and state.instigator_data.cursor:
                break
            time.sleep(2)
    finally:
        _stop(daemon)
        log.close()
    output = (tmp_path / "daemon.log").read_text()[-3000:]
    assert runs, f"no run requested by the landing sensor; daemon said:\n{output}"
    assert state is not None and state.instigator_data.cursor, output

    ticks = deploy_instance.get_ticks(state.instigator_origin_id, state.selector_id)
    assert any(tick.run_ids for tick in ticks)
    [partition] = deploy_instance.get_dynamic_partitions("documents")
    assert partition.startswith("onboarding-faq-")
    assert runs[0].tags.get("dagster/partition") == partition
    assert runs[0].job_name == "process_documents"
