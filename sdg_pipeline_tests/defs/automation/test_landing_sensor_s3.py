"""The landing sensor over an S3 prefix served by a moto server on 127.0.0.1."""

from __future__ import annotations

import hashlib

import pytest

from sdg_pipeline.defs.sensors import build_landing_sensor
from sdg_pipeline.io.keys import document_key
from sdg_pipeline.io.landing import S3Landing
from sdg_pipeline.io.paths import to_upath
from sdg_pipeline_tests.defs.automation.conftest import SensorDriver, s3_landing_resource

PREFIX = "incoming/"


def key_of(name: str, content: str) -> str:
    return document_key(name, hashlib.sha256(content.encode()).hexdigest())


@pytest.fixture
def s3(s3_bucket, moto_endpoint, ephemeral, storage):
    client, bucket = s3_bucket

    def put(name: str, content: str) -> None:
        client.put_object(Bucket=bucket, Key=PREFIX + name, Body=content.encode())

    def delete(name: str) -> None:
        client.delete_object(Bucket=bucket, Key=PREFIX + name)

    driver = SensorDriver(
        build_landing_sensor(),
        ephemeral,
        {"landing": s3_landing_resource(moto_endpoint, bucket), "storage": storage},
    )
    return put, delete, driver, bucket


def test_s3_new_unchanged_changed_deleted(s3, storage):
    put, delete, driver, bucket = s3
    put("a.md", "# A\n\nalpha")
    put("sub/b.md", "# B\n\nbeta")
    put("ignored/.hidden.md", "# editor swap file")
    tick = driver.tick()
    a, b = key_of("a.md", "# A\n\nalpha"), key_of("sub/b.md", "# B\n\nbeta")
    assert set(tick.partition_keys) == {a, b} == driver.partitions()
    assert storage.registry().lookup(b).source_uri == f"s3://{bucket}/incoming/sub/b.md"

    unchanged = driver.tick()
    assert unchanged.partition_keys == [] and "listed 2, hashed 0" in unchanged.summary

    put("a.md", "# A\n\nalpha, revised")
    changed = driver.tick()
    a2 = key_of("a.md", "# A\n\nalpha, revised")
    assert changed.partition_keys == [a2] and changed.deleted == [a]
    assert storage.registry().lookup(a) is None

    delete("sub/b.md")
    deleted = driver.tick()
    assert deleted.partition_keys == [] and deleted.deleted == [b]
    assert driver.partitions() == {a2}


def test_s3_object_newer_than_the_settle_time_waits(s3, moto_endpoint):
    put, _, driver, bucket = s3
    put("fresh.md", "# Fresh\n\njust uploaded")
    waiting = driver.tick(landing=s3_landing_resource(moto_endpoint, bucket, settle=3600))
    assert waiting.partition_keys == [] and "1 still being written: fresh.md" in waiting.summary
    settled = driver.tick()  # same object, settle time over
    assert settled.partition_keys == [key_of("fresh.md", "# Fresh\n\njust uploaded")]


def test_s3_unsupported_object_is_reported_once(s3):
    put, _, driver, _ = s3
    put("scan.tiff", "II*\x00")
    first = driver.tick()
    assert first.partition_keys == [] and "scan.tiff (unsupported extension .tiff)" in first.summary
    assert "unsupported" not in driver.tick().summary


def test_s3_paged_scan_resumes_with_start_after(s3, s3_bucket, moto_endpoint, storage, ephemeral):
    _, bucket = s3_bucket
    put, delete, _, _ = s3
    for i in range(7):
        put(f"doc-{i}.md", f"# Doc {i}\n\nbody")
    landing = S3Landing(to_upath(f"s3://{bucket}/incoming", moto_endpoint), page_size=2)
    names = [f.name for f in landing.list_files()]
    assert names == [f"doc-{i}.md" for i in range(7)]
    assert [f.name for f in landing.list_files("doc-4.md")] == ["doc-5.md", "doc-6.md"]

    driver = SensorDriver(
        build_landing_sensor(max_files_per_tick=3),
        ephemeral,
        {"landing": s3_landing_resource(moto_endpoint, bucket), "storage": storage},
    )
    assert [len(driver.tick().partition_keys) for _ in range(3)] == [3, 3, 1]
    assert len(driver.partitions()) == 7
    delete("doc-5.md")
    ticks = [driver.tick() for _ in range(3)]
    assert [t.deleted for t in ticks] == [[], [key_of("doc-5.md", "# Doc 5\n\nbody")], []]


def test_s3_object_withdrawn_after_registration_reads_as_file_not_found(s3_bucket, moto_endpoint):
    # raw_documents turns FileNotFoundError into "withdrawn after registration".
    _, bucket = s3_bucket
    landing = S3Landing(to_upath(f"s3://{bucket}/incoming", moto_endpoint))
    with pytest.raises(FileNotFoundError):
        landing.read(landing.uri_for("gone.pdf"))
    with pytest.raises(FileNotFoundError):
        landing.sha256(landing.uri_for("gone.pdf"))
