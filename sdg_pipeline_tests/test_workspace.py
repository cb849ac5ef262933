"""The code location loads the way `dagster dev` loads it: through workspace.yaml."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAGSTER = Path(sys.executable).with_name("dagster")
WEBSERVER = Path(sys.executable).with_name("dagster-webserver")


def _env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SDG_", "OPENAI_"))}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env |= {"DAGSTER_HOME": str(home), "SDG_DATA_ROOT": str(tmp_path / "data")}
    return env


def test_definitions_validate_through_workspace_yaml(tmp_path):
    result = subprocess.run(
        [str(DAGSTER), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sdg_pipeline" in result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_webserver_serves_the_asset_graph(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [str(WEBSERVER), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO,
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        nodes = None
        while time.monotonic() < deadline:
            try:
                reply = _graphql(port, "{ assetNodes { assetKey { path } groupName } }")
                nodes = reply["data"]["assetNodes"]
                break
            except (OSError, KeyError, TypeError):
                time.sleep(1)
        assert nodes is not None, "webserver did not answer"
        keys = {node["assetKey"]["path"][-1] for node in nodes}
        assert keys == {
            "raw_documents",
            "markdown_documents",
            "chunks",
            "qa_pairs",
            "judged_pairs",
            "training_examples",
            "training_jsonl",
        }
        errors = _graphql(
            port,
            "{ workspaceOrError { ... on Workspace { locationEntries { name "
            "locationOrLoadError { __typename } } } } }",
        )["data"]["workspaceOrError"]["locationEntries"]
        assert [(e["name"], e["locationOrLoadError"]["__typename"]) for e in errors] == [
            ("sdg_pipeline", "RepositoryLocation")
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
