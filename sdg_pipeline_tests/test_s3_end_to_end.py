"""The real Definitions with the data root and the landing zone on S3 (a moto server on 127.0.0.1).

What the README promises for `SDG_DATA_ROOT=s3://...`, `SDG_LANDING_URI=s3://...` and
`SDG_S3_ENDPOINT_URL`: the sensor watches the bucket, and everything the pipeline keeps (asset
Parquet, registry, landing manifests, LLM response cache, dataset) lands in the bucket, none of
it on the local disk. The bucket is read back here with a plain boto3 client, independent of the
code under test.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq
import pytest

from sdg_pipeline.cli import main
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline.export import validate_chat_line
from sdg_pipeline_tests.conftest import SAMPLES, copy_samples
from sdg_pipeline_tests.defs.automation.conftest import SensorDriver
from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer

PDFS = ["acme_travel_policy.pdf", "harbor_league_rulebook.pdf"]
ROOT = "sdg"


class S3Deployment:
    """The real Definitions over s3://<bucket>/sdg and s3://<bucket>/landing, driven by hand."""

    def __init__(self, client, bucket: str, instance: dg.DagsterInstance, llm=None):
        self.client = client
        self.bucket = bucket
        self.instance = instance
        overrides = {"llm": llm} if llm is not None else {}
        self.defs = build_definitions(
            data_root=f"s3://{bucket}/{ROOT}", landing_uri=f"s3://{bucket}/landing", **overrides
        )
        self.landing_sensor = SensorDriver(
            self.defs.resolve_sensor_def("landing_sensor"),
            instance,
            {"landing": self.defs.resources["landing"], "storage": self.defs.resources["storage"]},
        )

    def upload(self, names: list[str]) -> None:
        for name in names:
            self.client.put_object(
                Bucket=self.bucket, Key=f"landing/{name}", Body=(SAMPLES / name).read_bytes()
            )

    def landing_tick(self) -> list[dg.RunRequest]:
        return list(self.landing_sensor.tick().result.run_requests or [])

    def execute(self, job_name: str, request: dg.RunRequest | None = None):
        result = self.defs.resolve_job_def(job_name).execute_in_process(
            instance=self.instance,
            partition_key=request.partition_key if request else None,
            tags=dict(request.tags) if request else None,
        )
        assert result.success
        return result

    def keys(self, prefix: str) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        return {obj["Key"] for page in pages for obj in page.get("Contents", [])}

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def parquet(self, asset: str, partition: str) -> pd.DataFrame:
        return pq.read_table(
            io.BytesIO(self.read(f"{ROOT}/{asset}/{partition}.parquet"))
        ).to_pandas()

    def document_assets(self) -> list[str]:
        return [
            spec.key.path[-1]
            for spec in self.defs.resolve_all_asset_specs()
            if spec.partitions_def is not None
        ]


@pytest.fixture
def on_s3(s3_bucket, moto_endpoint, monkeypatch):
    """What a deployment sets: the endpoint for every S3 client, no settle wait for the test."""
    monkeypatch.setenv("SDG_S3_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("SDG_LANDING_SETTLE_SECONDS", "0")
    return s3_bucket


def assert_nothing_local(tmp_path: Path) -> None:
    # isolated_env points SDG_DATA_ROOT/SDG_LANDING_URI here; only the instance may exist.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dagster_home"]


def test_sensor_runs_and_dataset_live_in_the_bucket(on_s3, instance, tmp_path):
    client, bucket = on_s3
    deployment = S3Deployment(client, bucket, instance)
    deployment.upload(PDFS)

    requests = deployment.landing_tick()
    keys = sorted(r.partition_key for r in requests)
    assert len(keys) == 2 and set(keys) == set(instance.get_dynamic_partitions("documents"))
    assert deployment.keys(f"{ROOT}/_registry/") == {f"{ROOT}/_registry/{k}.json" for k in keys}
    assert deployment.keys(f"{ROOT}/_landing_state/")  # the sensor's manifest
    for request in requests:
        deployment.execute("process_documents", request)
    deployment.execute("build_dataset")

    assets = deployment.document_assets()
    assert {"raw_documents", "chunks", "qa_pairs", "training_examples"} <= set(assets)
    stored = deployment.keys(f"{ROOT}/")
    for asset in assets:
        for key in keys:
            assert f"{ROOT}/{asset}/{key}.parquet" in stored

    examples = pd.concat(deployment.parquet("training_examples", key) for key in keys)
    assert len(examples) > 0
    lines = [
        json.loads(line)
        for name in ("train.jsonl", "valid.jsonl")
        for line in deployment.read(f"{ROOT}/dataset/{name}").decode().splitlines()
    ]
    assert all(validate_chat_line(record) == [] for record in lines)
    seen = {(r["messages"][-2]["content"], r["messages"][-1]["content"]) for r in lines}
    assert seen == set(zip(examples["question"], examples["answer"], strict=True))
    assert len(lines) == len(examples)
    stats = json.loads(deployment.read(f"{ROOT}/dataset/stats.json"))
    assert set(stats["documents"]) == set(keys)
    assert f"{ROOT}/dataset/README.md" in stored
    assert not [k for k in stored if "/.staging-" in k]
    assert_nothing_local(tmp_path)


def test_llm_response_cache_lives_in_the_bucket(on_s3, instance, tmp_path):
    client, bucket = on_s3
    with FakeOpenAIServer() as server:
        llm = LLMResource(base_url=server.base_url, api_key="test-key", model="fake-model")
        deployment = S3Deployment(client, bucket, instance, llm=llm)
        deployment.upload(["harbor_league_rulebook.pdf"])
        [request] = deployment.landing_tick()
        deployment.execute("process_documents", request)
        first = server.counters()
        assert first["kind_counts"].get("generate", 0) > 0
        assert first["kind_counts"].get("judge", 0) > 0
        cached = deployment.keys(f"{ROOT}/_llm_cache/")
        assert cached and all(k.endswith(".json") for k in cached)
        pairs = deployment.parquet("qa_pairs", request.partition_key)
        assert set(pairs["generator"]) == {"llm"}

        server.reset_counts()
        again = deployment.execute("process_documents", request)
        assert server.counters()["request_count"] == 0
        for asset in ("qa_pairs", "judged_pairs"):
            metadata = again.asset_materializations_for_node(asset)[0].metadata
            assert metadata["cache_hits"].value > 0 and metadata["cache_misses"].value == 0
            assert metadata["cache_errors"].value == 0
    assert_nothing_local(tmp_path)


def test_cli_run_with_an_s3_out_summarises_the_bucket(on_s3, tmp_path, monkeypatch, capsys):
    client, bucket = on_s3
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    out = f"s3://{bucket}/cli"
    monkeypatch.chdir(tmp_path)  # away from the repo's dagster.yaml, which the CLI would use
    # The instance is local; with the data on S3 there is no folder to put it beside.
    assert main(["run", "--docs", str(docs), "--out", out]) == 2
    assert "set DAGSTER_HOME" in capsys.readouterr().err

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert main(["run", "--docs", str(docs), "--out", out]) == 0
    printed = capsys.readouterr().out
    body = client.get_object(Bucket=bucket, Key="cli/dataset/train.jsonl")["Body"].read()
    train_lines = body.decode().splitlines()
    assert train_lines
    assert f"train: {out}/dataset/train.jsonl ({len(train_lines)} examples)" in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "home"]


def test_cli_runs_at_once_in_forked_workers_write_to_the_bucket(
    on_s3, tmp_path, monkeypatch, capsys
):
    # A forked worker inherits the CLI's S3 filesystem objects and fsspec's I/O thread, which
    # does not survive the fork: the workers must open their own (fsspec resets them).
    client, bucket = on_s3
    docs = tmp_path / "docs"
    copy_samples(docs)
    out = f"s3://{bucket}/parallel"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert main(["run", "--docs", str(docs), "--out", out, "--jobs", "1", "--parallel", "2"]) == 0
    assert "documents: 3 (3 ok, 0 failed)" in capsys.readouterr().out
    listed = client.list_objects_v2(Bucket=bucket, Prefix="parallel/training_examples/")
    assert len([o for o in listed.get("Contents", []) if o["Key"].endswith(".parquet")]) == 3
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs(dg.RunsFilter(job_name="process_documents"))
    assert len({run.tags["sdg/cli_pid"] for run in runs}) == 2  # two workers ran them
