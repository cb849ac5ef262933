"""The sensors of the real Definitions driving the real jobs: drop, edit, delete a PDF.

What the daemon does under `dagster dev` is done here by hand: evaluate a sensor, apply its
partition requests, execute each requested run in process with the Definitions' own job.
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq

from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.resources import build_resources
from sdg_pipeline_tests.conftest import SAMPLES
from sdg_pipeline_tests.defs.automation.conftest import SensorDriver, land

BASELINE = "harbor_league_rulebook.pdf"
DROPPED = "acme_travel_policy.pdf"


class Deployment:
    """One code location (the real Definitions) over a landing folder, a data root, an instance."""

    def __init__(self, tmp_path: Path, instance: dg.DagsterInstance, landing: Path):
        self.data_root = tmp_path / "data"
        self.landing = landing
        self.instance = instance
        args = {"data_root": str(self.data_root), "landing_uri": str(landing)}
        self.defs = build_definitions(**args)
        resources = build_resources(**args)
        self.landing_sensor = SensorDriver(
            self.defs.resolve_sensor_def("landing_sensor"),
            instance,
            {"landing": resources["landing"], "storage": resources["storage"]},
        )
        self.rebuild_sensor = SensorDriver(
            self.defs.resolve_sensor_def("dataset_rebuild_sensor"), instance, {}
        )

    def execute(self, job_name: str, request: dg.RunRequest) -> None:
        result = self.defs.resolve_job_def(job_name).execute_in_process(
            instance=self.instance,
            partition_key=request.partition_key,
            tags=dict(request.tags),
        )
        assert result.success

    def landing_tick(self) -> list[str]:
        """One landing-sensor tick and its runs; returns the partition keys that ran."""
        tick = self.landing_sensor.tick()
        for request in tick.result.run_requests:
            self.execute("process_documents", request)
        return tick.partition_keys

    def rebuild_tick(self) -> int:
        tick = self.rebuild_sensor.tick()
        for request in tick.result.run_requests:
            self.execute("build_dataset", request)
        return len(tick.result.run_requests)

    def dataset_pairs(self) -> set[tuple[str, str]]:
        pairs = set()
        for name in ("train.jsonl", "valid.jsonl"):
            for line in (self.data_root / "dataset" / name).read_text().splitlines():
                messages = json.loads(line)["messages"]
                pairs.add((messages[-2]["content"], messages[-1]["content"]))
        return pairs

    def dataset_documents(self) -> set[str]:
        stats = json.loads((self.data_root / "dataset" / "stats.json").read_text())
        return set(stats["documents"])

    def examples(self, key: str) -> set[tuple[str, str]]:
        frame: pd.DataFrame = pq.read_table(
            self.data_root / "training_examples" / f"{key}.parquet"
        ).to_pandas()
        return set(zip(frame["question"], frame["answer"], strict=True))


def drop(landing: Path, name: str, target: str | None = None) -> Path:
    """Copy a sample in as a finished upload (older than the settle time)."""
    path = landing / (target or name)
    return land(path, (SAMPLES / name).read_bytes(), age=60)


def test_dropped_pdf_reaches_the_jsonl_edits_rerun_only_it_deletes_leave(
    tmp_path, instance, landing
):
    deployment = Deployment(tmp_path, instance, landing)
    drop(landing, BASELINE)
    [baseline] = deployment.landing_tick()
    assert deployment.rebuild_tick() == 1
    assert deployment.dataset_documents() == {baseline}

    # A new PDF while the deployment runs: exactly one run, for that document only.
    drop(landing, DROPPED)
    [dropped] = deployment.landing_tick()
    assert dropped.startswith("acme-travel-policy-")
    assert deployment.rebuild_tick() == 1
    assert deployment.dataset_documents() == {baseline, dropped}
    dropped_pairs = deployment.examples(dropped)
    assert dropped_pairs and dropped_pairs <= deployment.dataset_pairs()

    # Nothing changed: no runs, no rebuild.
    assert deployment.landing_tick() == []
    assert deployment.rebuild_tick() == 0

    # An edited document (new bytes: an incremental-update trailer) reprocesses only itself.
    with (landing / DROPPED).open("ab") as handle:
        handle.write(b"\n% revised by the landing-zone test\n")
    land(landing / DROPPED, (landing / DROPPED).read_bytes(), age=60)
    [revised] = deployment.landing_tick()
    assert revised != dropped and revised.startswith("acme-travel-policy-")
    assert dropped not in set(instance.get_dynamic_partitions("documents"))
    assert deployment.rebuild_tick() == 1
    assert deployment.dataset_documents() == {baseline, revised}

    # A deleted document leaves the next JSONL; the other stays.
    (landing / DROPPED).unlink()
    assert deployment.landing_tick() == []
    assert deployment.rebuild_tick() == 1
    assert deployment.dataset_documents() == {baseline}
    remaining = deployment.dataset_pairs()
    assert deployment.examples(baseline) <= remaining
    assert not (deployment.examples(revised) - deployment.examples(baseline)) & remaining
