"""How long one landing-sensor tick takes over a zone of N small files (local folder and S3).

Creates N small Markdown files (a local folder, and/or objects in a moto S3 server on 127.0.0.1),
then evaluates the real landing sensor the way the daemon does (build_sensor_context over a SQLite
instance, partition requests applied between ticks) and prints, per backend:

- cold tick: every file new (list, hash, register, N run requests),
- warm tick: nothing changed (one listing, no reads),
- change tick: 10 files edited, 10 deleted, 10 added,

with wall time, files hashed, runs requested, cursor and manifest sizes. Dagster's default sensor
timeout is 60 s; the sensor stops scanning after its 20 s budget and resumes on the next tick, so
a tick that hits the budget reports how far it got.

    python benchmarks/sensor_scan.py                      # 5,000 files, local and S3
    python benchmarks/sensor_scan.py --files 20000 --backend local
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import boto3  # noqa: E402
import dagster as dg  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

from sdg_pipeline.defs.resources.landing import LandingZoneResource  # noqa: E402
from sdg_pipeline.defs.resources.storage import StorageResource  # noqa: E402
from sdg_pipeline.defs.sensors import build_landing_sensor  # noqa: E402
from sdg_pipeline.io.manifest import STATE_DIR, LandingCursor  # noqa: E402

SENSOR_TIMEOUT_S = 60
REGION = "us-east-1"


def document(i: int, revision: int = 0) -> bytes:
    return (
        f"# Document {i}\n\nSection about topic {i % 97}, revision {revision}. "
        + "Lorem ipsum dolor sit amet. " * 20
    ).encode()


class Zone:
    """Writes, edits and deletes files in one backend."""

    def put(self, name: str, data: bytes) -> None: ...

    def delete(self, name: str) -> None: ...


class LocalZone(Zone):
    def __init__(self, root: Path):
        self.root = root

    def put(self, name: str, data: bytes) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        old = time.time() - 600  # older than the settle time
        os.utime(path, (old, old))

    def delete(self, name: str) -> None:
        (self.root / name).unlink()


class S3Zone(Zone):
    def __init__(self, client, bucket: str, prefix: str):
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def put(self, name: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + name, Body=data)

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + name)


def name_of(i: int) -> str:
    return f"batch-{i % 50:02d}/doc-{i:06d}.md"


def tick(sensor, instance, cursor, resources) -> tuple[dg.SensorResult, float]:
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
    started = time.perf_counter()
    result = sensor(context)
    elapsed = time.perf_counter() - started
    for request in result.dynamic_partitions_requests or []:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
    return result, elapsed


def report(label: str, result: dg.SensorResult, elapsed: float, storage: StorageResource) -> None:
    cursor = LandingCursor.parse(result.cursor)
    summary = result.skip_reason.skip_message if result.skip_reason else ""
    manifests = list(storage.path(STATE_DIR).rglob("*.json"))
    manifest_kb = max((m.stat().st_size for m in manifests), default=0) / 1024
    deleted = sum(
        len(r.partition_keys)
        for r in result.dynamic_partitions_requests or []
        if isinstance(r, dg.DeleteDynamicPartitionsRequest)
    )
    print(
        f"  {label:<12} {elapsed:7.2f} s  runs={len(result.run_requests):5d}  "
        f"deleted={deleted:3d}  cursor={len(result.cursor)} B  manifest={manifest_kb:.0f} KiB  "
        f"complete={cursor.start_after is None}  {summary[:60]}"
    )


def run_backend(label: str, zone: Zone, landing: LandingZoneResource, files: int, tmp: Path):
    logging.getLogger("dagster").setLevel(logging.WARNING)
    print(f"{label}: {files} files")
    started = time.perf_counter()
    for i in range(files):
        zone.put(name_of(i), document(i))
    print(f"  (created in {time.perf_counter() - started:.1f} s)")
    storage = StorageResource(data_root=str(tmp / f"data-{label}"))
    resources = {"landing": landing, "storage": storage}
    sensor = build_landing_sensor()
    home = tmp / f"home-{label}"
    home.mkdir()
    with dg.instance_for_test(temp_dir=str(home)) as instance:
        cursor = None
        cold_total, ticks = 0.0, 0
        while True:
            result, elapsed = tick(sensor, instance, cursor, resources)
            cursor, ticks = result.cursor, ticks + 1
            cold_total += elapsed
            report(f"cold #{ticks}", result, elapsed, storage)
            if LandingCursor.parse(cursor).start_after is None:
                break
        partitions = len(instance.get_dynamic_partitions("documents"))
        print(f"  cold scan: {ticks} tick(s), {cold_total:.2f} s, {partitions} partitions")

        result, elapsed = tick(sensor, instance, cursor, resources)
        cursor = result.cursor
        report("warm", result, elapsed, storage)

        for i in range(10):
            zone.put(name_of(i), document(i, revision=1))
            zone.delete(name_of(files - 1 - i))
            zone.put(f"new/doc-{i}.md", document(files + i))
        if isinstance(zone, S3Zone):
            time.sleep(1.1)  # S3 LastModified has 1 s resolution; settle is 0 here
        result, elapsed = tick(sensor, instance, cursor, resources)
        report("10/10/10", result, elapsed, storage)
    worst = max(cold_total / ticks, elapsed)
    print(f"  worst tick {worst:.2f} s vs the {SENSOR_TIMEOUT_S} s sensor timeout")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_moto(port: int) -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:  # dagster's inherited SIGTERM handler raises this on terminate()
        server.stop()


def wait_for(endpoint: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(endpoint, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # the server answered
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"moto did not start on {endpoint}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--backend", choices=["local", "s3", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if args.backend in ("local", "both"):
            root = tmp / "landing"
            run_backend(
                "local",
                LocalZone(root),
                LandingZoneResource(uri=str(root), settle_seconds=5.0),
                args.files,
                tmp,
            )
        if args.backend in ("s3", "both"):
            os.environ.setdefault("AWS_ACCESS_KEY_ID", "benchmark")
            os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "benchmark")
            # moto in a child process: in this one it would share the GIL with the sensor's
            # reader threads and measure moto's request handling more than the sensor.
            port = free_port()
            server = multiprocessing.Process(target=serve_moto, args=(port,), daemon=True)
            server.start()
            try:
                endpoint = f"http://127.0.0.1:{port}"
                wait_for(endpoint)
                client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
                client.create_bucket(Bucket="landing")
                landing = LandingZoneResource(
                    uri="s3://landing/incoming",
                    s3_endpoint_url=endpoint,
                    s3_region=REGION,
                    settle_seconds=0.0,
                )
                zone = S3Zone(client, "landing", "incoming/")
                run_backend("s3-moto", zone, landing, args.files, tmp)
            finally:
                server.terminate()
                server.join()


if __name__ == "__main__":
    main()
