"""The export against S3 (a moto server on 127.0.0.1): read partitions, publish, fail safely."""

import json

import boto3
import pytest
import s3fs
from moto.server import ThreadedMotoServer

from sdg_pipeline.export import ExportConfig, build_dataset, validate_chat_line
from sdg_pipeline_tests.export.synthetic import random_rows, write_partition
from sdg_pipeline_tests.export.test_build import _fail_after

BUCKET = "sdg-export-test"


@pytest.fixture(scope="module")
def s3_options():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    options = {
        "key": "testing",
        "secret": "testing",
        "client_kwargs": {"endpoint_url": f"http://{host}:{port}", "region_name": "us-east-1"},
    }
    boto3.client(
        "s3",
        endpoint_url=f"http://{host}:{port}",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=BUCKET)
    yield options
    server.stop()


def _upload(tmp_path, fs, docs: int) -> list[str]:
    keys = [f"doc-{d}" for d in range(docs)]
    for key in keys:
        write_partition(tmp_path, key, random_rows(key, 6, seed=8))
        fs.put_file(str(tmp_path / f"{key}.parquet"), f"{BUCKET}/examples/{key}.parquet")
    return keys


def _snapshot(fs, prefix: str) -> dict[str, bytes]:
    fs.invalidate_cache()
    return {path: fs.cat_file(path) for path in fs.find(prefix)}


def test_build_from_and_to_s3_and_failed_rebuild_keeps_previous(tmp_path, s3_options, monkeypatch):
    fs = s3fs.S3FileSystem(**s3_options)
    keys = _upload(tmp_path, fs, docs=4)
    result = build_dataset(
        f"s3://{BUCKET}/examples",
        [*keys[:3], "missing-doc"],
        f"s3://{BUCKET}/out",
        ExportConfig(validation_ratio=0.3),
        storage_options=s3_options,
    )
    assert result.train_uri == f"s3://{BUCKET}/out/train.jsonl"
    assert result.stats["partitions"]["missing"] == ["missing-doc"]
    published = _snapshot(fs, f"{BUCKET}/out")
    assert sorted(p.rsplit("/", 1)[1] for p in published) == [
        "README.md",
        "stats.json",
        "train.jsonl",
        "valid.jsonl",
    ]  # staging prefix removed
    lines = [
        ln
        for name in ("train.jsonl", "valid.jsonl")
        for ln in published[f"{BUCKET}/out/{name}"].decode().splitlines()
    ]
    assert len(lines) == 18
    assert all(validate_chat_line(json.loads(ln)) == [] for ln in lines)

    _fail_after(monkeypatch, 10)
    with pytest.raises(RuntimeError, match="disk full"):
        build_dataset(
            f"s3://{BUCKET}/examples",
            keys,
            f"s3://{BUCKET}/out",
            ExportConfig(),
            storage_options=s3_options,
        )
    assert _snapshot(fs, f"{BUCKET}/out") == published
