"""deploy/: the compose file, the Helm values and the Dockerfile hold no secret and fit together.

`docker compose config` (or Debian's docker-compose) validates the file when a client is
installed; the structural checks below run everywhere, since CI has no Docker engine.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from sdg_pipeline_tests.deploy.conftest import DEPLOY

COMPOSE = DEPLOY / "docker-compose.yaml"
SECRET_NAME = re.compile(r"PASSWORD|SECRET|API_KEY|TOKEN|ACCESS_KEY", re.IGNORECASE)
# Helm keys that would carry a secret's value (names of Kubernetes secrets are fine).
HELM_SECRET_KEY = re.compile(r"password|apikey|api_key|accesskey|secretkey|token", re.IGNORECASE)
FROM_ENV = re.compile(r"^\$\{[A-Z_]+(:?[?-][^}]*)?\}$")
SECRETS = {"POSTGRES_PASSWORD": "pg-test", "MINIO_ROOT_USER": "u", "MINIO_ROOT_PASSWORD": "m-test"}


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _compose_client() -> list[str] | None:
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_compose_has_every_service_and_the_code_server_speaks_grpc():
    services = _compose()["services"]
    assert {"postgres", "minio", "code-server", "webserver", "daemon"} <= set(services)
    code_server = services["code-server"]
    assert code_server["command"][:3] == ["dagster", "code-server", "start"]
    assert code_server["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (DEPLOY / "Dockerfile").is_file()
    workspace = yaml.safe_load((DEPLOY / "workspace.yaml").read_text())
    [location] = workspace["load_from"]
    assert location["grpc_server"]["host"] == "code-server"
    assert str(location["grpc_server"]["port"]) in code_server["command"]
    for name in ("webserver", "daemon"):
        assert services[name]["image"] == code_server["image"]
        assert services[name]["environment"]["DAGSTER_HOME"] == "/opt/dagster/dagster_home"
    # Every variable deploy/dagster.yaml reads is set for the services that load the instance.
    wanted = set(re.findall(r"env: (\w+)", (DEPLOY / "dagster.yaml").read_text()))
    for name in ("code-server", "webserver", "daemon"):
        assert wanted <= set(services[name]["environment"]), name


def test_no_literal_secret_in_compose_env_example_or_helm():
    for service in _compose()["services"].values():
        environment = service.get("environment") or {}
        for key, value in environment.items():
            if SECRET_NAME.search(key):
                assert FROM_ENV.match(str(value)), f"{key} is not taken from the environment"
    for line in (DEPLOY / ".env.example").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            assert not (SECRET_NAME.search(key) and value), f"{key} has a value"
    instance = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())
    assert instance["storage"]["postgres"]["postgres_db"]["password"] == {
        "env": "DAGSTER_PG_PASSWORD"
    }

    def walk(node, path=""):
        if isinstance(node, dict):
            if "value" in node and SECRET_NAME.search(str(node.get("name", ""))):
                raise AssertionError(f"helm env {node['name']} is set inline")
            for key, value in node.items():
                if HELM_SECRET_KEY.search(str(key)) and isinstance(value, str | int) and value:
                    raise AssertionError(f"helm value {path}{key} holds a secret")
                walk(value, f"{path}{key}.")
        elif isinstance(node, list):
            for item in node:
                walk(item, path)

    values = yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text())
    walk(values)
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    [deployment] = values["dagster-user-deployments"]["deployments"]
    assert "sdg_pipeline.definitions" in deployment["codeServerArgs"]


def test_compose_client_validates_the_file(monkeypatch):
    client = _compose_client()
    if client is None:
        pytest.skip("no docker compose client here; the structural tests above still ran")
    for key in SECRETS:
        monkeypatch.delenv(key, raising=False)
    missing = subprocess.run(
        [*client, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True
    )
    assert missing.returncode != 0 and "POSTGRES_PASSWORD" in missing.stderr + missing.stdout
    for key, value in SECRETS.items():
        monkeypatch.setenv(key, value)
    checked = subprocess.run(
        [*client, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
