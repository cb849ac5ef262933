"""Fixtures for the automation tests: landing zones (folder and S3) and a tick driver.

The moto server and bucket fixtures live in sdg_pipeline_tests/conftest.py (shared with the
S3 end-to-end test).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from sdg_pipeline.defs.resources.landing import LandingZoneResource
from sdg_pipeline.defs.resources.storage import StorageResource
from sdg_pipeline_tests.conftest import REGION

SETTLE = 5.0


def land(path: Path, content: bytes | str, age: float = 60.0) -> Path:
    """Write a file as if it arrived `age` seconds ago (age 0: still being written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


@dataclass
class Tick:
    result: dg.SensorResult
    cursor: str | None

    @property
    def partition_keys(self) -> list[str]:
        return [r.partition_key for r in self.result.run_requests or []]

    def _requested(self, kind: type) -> list[str]:
        keys: list[str] = []
        for request in self.result.dynamic_partitions_requests or []:
            if isinstance(request, kind):
                keys += list(request.partition_keys)
        return keys

    @property
    def added(self) -> list[str]:
        return self._requested(dg.AddDynamicPartitionsRequest)

    @property
    def deleted(self) -> list[str]:
        return self._requested(dg.DeleteDynamicPartitionsRequest)

    @property
    def summary(self) -> str:
        skip = self.result.skip_reason
        return skip.skip_message if skip else ""


class SensorDriver:
    """Evaluates a sensor like the daemon: apply its partition requests, carry its cursor."""

    def __init__(self, sensor: dg.SensorDefinition, instance: dg.DagsterInstance, resources: dict):
        self.sensor = sensor
        self.instance = instance
        self.resources = resources
        self.cursor: str | None = None

    def evaluate(self, cursor: str | None = None, **resources) -> dg.SensorResult:
        context = dg.build_sensor_context(
            instance=self.instance,
            cursor=cursor,
            resources={**self.resources, **resources},
        )
        return self.sensor(context)

    def tick(self, **resources) -> Tick:
        result = self.evaluate(self.cursor, **resources)
        for request in result.dynamic_partitions_requests or []:
            if isinstance(request, dg.AddDynamicPartitionsRequest):
                self.instance.add_dynamic_partitions(
                    request.partitions_def_name, list(request.partition_keys)
                )
            else:
                for key in request.partition_keys:
                    self.instance.delete_dynamic_partition(request.partitions_def_name, key)
        self.cursor = result.cursor
        return Tick(result, result.cursor)

    def partitions(self) -> set[str]:
        return set(self.instance.get_dynamic_partitions("documents"))


@pytest.fixture
def ephemeral():
    """An in-memory instance: what the sensor tests need, without SQLite files."""
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


@pytest.fixture
def storage(tmp_path) -> StorageResource:
    return StorageResource(data_root=str(tmp_path / "data"))


def s3_landing_resource(endpoint: str, bucket: str, settle: float = 0.0) -> LandingZoneResource:
    return LandingZoneResource(
        uri=f"s3://{bucket}/incoming",
        s3_endpoint_url=endpoint,
        s3_region=REGION,
        settle_seconds=settle,
    )
