"""Shared fixtures: isolated environment, a temp Dagster instance, the real Definitions."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples" / "documents"
CORPUS = REPO.parent / "shared" / "corpus"

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


def copy_samples(target: Path, names: list[str] | None = None) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sorted(SAMPLES.iterdir()):
        if names is None or source.name in names:
            copied.append(Path(shutil.copy(source, target / source.name)))
    return copied
