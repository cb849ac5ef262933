"""A real PostgreSQL server on 127.0.0.1 for the deploy tests, started from Debian's binaries.

`initdb` refuses to run as root, so as root the cluster is owned by the `postgres` system user
(created by Debian's package) and every server command runs through `runuser`.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    password: str
    db_name: str

    def env(self) -> dict[str, str]:
        """The variables deploy/dagster.yaml reads, pointing at this server."""
        return {
            "DAGSTER_PG_HOST": self.host,
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_USER": self.user,
            "DAGSTER_PG_PASSWORD": self.password,
            "DAGSTER_PG_DB": self.db_name,
        }


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _runner() -> list[str] | None:
    """The command prefix that runs the server as a non-root user, or None if none exists."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None:
        return None
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        return None
    return ["runuser", "-u", "postgres", "--"]


def _create_database(port: int, password: str, name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(
        host="127.0.0.1", port=port, user="sdg", password=password, dbname="postgres"
    )
    conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


@pytest.fixture(scope="session")
def postgres_server():
    bindir = _bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (apt-get install -y postgresql)")
    runner = _runner()
    if runner is None:
        pytest.skip("running as root without a `postgres` user for initdb")
    root = Path(tempfile.mkdtemp(prefix="sdg-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    password = os.urandom(12).hex()
    pwfile = root / "pwfile"
    pwfile.write_text(password + "\n")
    if runner:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
        shutil.chown(pwfile, "postgres")
    port = _free_port()

    def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*runner, *args], capture_output=True, text=True, timeout=120, **kwargs
        )

    init = run(
        str(bindir / "initdb"),
        "-D", str(data),
        "-U", "sdg",
        "--auth=scram-sha-256",
        f"--pwfile={pwfile}",
        "-E", "UTF8",
        "--no-sync",
    )  # fmt: skip
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"initdb failed: {init.stderr.strip()[-500:]}")
    options = f"-h 127.0.0.1 -p {port} -k {sockets} -c fsync=off -c max_connections=100"
    start = run(
        str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
        "-o", options, "-w", "-t", "60", "start",
    )  # fmt: skip
    if start.returncode != 0:
        log = (root / "server.log").read_text() if (root / "server.log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"PostgreSQL did not start: {start.stderr.strip()} {log[-500:]}")
    try:
        _create_database(port, password, "dagster")
        yield PostgresServer("127.0.0.1", port, "sdg", password, "dagster")
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_env(postgres_server, monkeypatch) -> PostgresServer:
    """A fresh database on the session's server, named in the DAGSTER_PG_* variables."""
    name = f"dagster_{uuid.uuid4().hex[:10]}"
    _create_database(postgres_server.port, postgres_server.password, name)
    server = PostgresServer(
        postgres_server.host, postgres_server.port, postgres_server.user,
        postgres_server.password, name,
    )  # fmt: skip
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    return server


@pytest.fixture
def compute_log_bucket(s3_bucket, moto_endpoint, monkeypatch) -> str:
    """The S3 compute-log variables of deploy/dagster.yaml, on a bucket of the moto server."""
    client, _ = s3_bucket
    bucket = f"logs-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    monkeypatch.setenv("DAGSTER_COMPUTE_LOG_BUCKET", bucket)
    monkeypatch.setenv("DAGSTER_COMPUTE_LOG_PREFIX", "compute-logs")
    monkeypatch.setenv("DAGSTER_S3_ENDPOINT_URL", moto_endpoint)
    return bucket


@pytest.fixture
def deploy_home(tmp_path) -> Path:
    """A DAGSTER_HOME holding deploy/dagster.yaml, as the image lays it out."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    return home


@pytest.fixture
def deploy_instance(postgres_env, compute_log_bucket, deploy_home):
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(deploy_home))
    try:
        yield instance
    finally:
        instance.dispose()


@pytest.fixture
def s3_data(s3_bucket, moto_endpoint, monkeypatch):
    """The pipeline's S3 variables (data root and landing on the moto server), no settle wait."""
    monkeypatch.setenv("SDG_S3_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("SDG_LANDING_SETTLE_SECONDS", "0")
    return s3_bucket
