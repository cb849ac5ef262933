"""Shared fixtures: isolated environment, a temp Dagster instance, the real Definitions."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import boto3
import dagster as dg
import pytest
from moto.server import ThreadedMotoServer

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples" / "documents"
CORPUS = REPO.parent / "shared" / "corpus"

REGION = "us-east-1"
_ENV_PREFIXES = ("SDG_", "OPENAI_", "DAGSTER_HOME", "AWS_")


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path):
    """No test sees the developer's LLM keys, S3 endpoints or Dagster home."""
    for name in list(os.environ):
        if name.startswith(_ENV_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SDG_DATA_ROOT", str(tmp_path / "data"))
    monkeypatch.setenv("SDG_LANDING_URI", str(tmp_path / "landing"))


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    return CORPUS


@pytest.fixture
def instance(tmp_path):
    """A SQLite-backed instance in a temp folder (what `dagster dev` uses, minus the daemon)."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.instance_for_test(temp_dir=str(home)) as inst:
        yield inst


@pytest.fixture
def landing(tmp_path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def moto_endpoint():
    """A moto S3 server on 127.0.0.1 and a free port, for the whole session, stopped after."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(moto_endpoint, monkeypatch):
    """A fresh bucket on the moto server, with dummy credentials in the environment."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name=REGION)
    bucket = f"landing-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    return client, bucket


def copy_samples(target: Path, names: list[str] | None = None) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sorted(SAMPLES.iterdir()):
        if names is None or source.name in names:
            copied.append(Path(shutil.copy(source, target / source.name)))
    return copied


def run_cli_at_once(docs: Path, out: Path, home: Path, copies: int = 2) -> list[tuple[int, str]]:
    """`sdg-pipeline run` started `copies` times at once on one home: (exit code, stdout) each."""
    import subprocess
    import sys

    env = {**os.environ, "DAGSTER_HOME": str(home)}
    command = [sys.executable, "-m", "sdg_pipeline.cli", "run", "--docs", str(docs)]
    procs = [
        subprocess.Popen(
            [*command, "--out", str(out)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(copies)
    ]
    results = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=600)
        results.append((proc.returncode, stdout + stderr))
    return results
