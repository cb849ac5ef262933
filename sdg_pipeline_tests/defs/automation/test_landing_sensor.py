"""The landing sensor over a local folder: each scenario through build_sensor_context."""

from __future__ import annotations

import hashlib
import json
import os
import time

import dagster as dg
import pytest

from sdg_pipeline.defs.resources.landing import LandingZoneResource
from sdg_pipeline.defs.sensors import build_landing_sensor
from sdg_pipeline.io.keys import document_key
from sdg_pipeline.io.manifest import STATE_DIR, LandingCursor
from sdg_pipeline_tests.defs.automation.conftest import SETTLE, SensorDriver, land


def key_of(name: str, content: str) -> str:
    return document_key(name, hashlib.sha256(content.encode()).hexdigest())


@pytest.fixture
def driver(ephemeral, landing, storage) -> SensorDriver:
    zone = LandingZoneResource(uri=str(landing), settle_seconds=SETTLE)
    return SensorDriver(build_landing_sensor(), ephemeral, {"landing": zone, "storage": storage})


def test_new_files_become_partitions_with_one_run_each(driver, landing, storage):
    land(landing / "policy.md", "# Policy\n\nTravel is booked in economy.")
    land(landing / "team" / "faq.md", "# FAQ\n\nAsk the helpdesk.")
    tick = driver.tick()

    expected = {
        key_of("policy.md", "# Policy\n\nTravel is booked in economy."),
        key_of("team/faq.md", "# FAQ\n\nAsk the helpdesk."),
    }
    assert set(tick.partition_keys) == expected == set(tick.added)
    assert driver.partitions() == expected
    assert not tick.deleted
    for request in tick.result.run_requests:
        assert request.tags["sdg/change"] == "new"
    # The source is registered before the run: raw_documents looks it up there.
    record = storage.registry().lookup(key_of("team/faq.md", "# FAQ\n\nAsk the helpdesk."))
    assert record is not None and record.source_uri == str(landing / "team" / "faq.md")
    assert record.file_name == "team/faq.md"


def test_unchanged_corpus_produces_no_runs_and_reads_nothing(driver, landing):
    land(landing / "a.md", "# A\n\nalpha")
    land(landing / "b.md", "# B\n\nbeta")
    assert len(driver.tick().partition_keys) == 2

    tick = driver.tick()
    assert tick.partition_keys == [] and tick.added == [] and tick.deleted == []
    assert "listed 2, hashed 0" in tick.summary


def test_touched_file_with_same_bytes_is_hashed_once_and_not_rerun(driver, landing):
    path = land(landing / "a.md", "# A\n\nalpha")
    driver.tick()
    stamp = time.time() - 30
    os.utime(path, (stamp, stamp))

    tick = driver.tick()
    assert tick.partition_keys == [] and tick.deleted == []
    assert "hashed 1" in tick.summary
    assert "hashed 0" in driver.tick().summary  # the new mtime is remembered


def test_edited_document_reprocesses_only_that_document(driver, landing, storage):
    land(landing / "a.md", "# A\n\nalpha")
    land(landing / "b.md", "# B\n\nbeta")
    driver.tick()
    old_key = key_of("a.md", "# A\n\nalpha")

    land(landing / "a.md", "# A\n\nalpha, revised", age=30)
    tick = driver.tick()

    new_key = key_of("a.md", "# A\n\nalpha, revised")
    assert tick.partition_keys == [new_key] and tick.added == [new_key]
    assert tick.result.run_requests[0].tags["sdg/change"] == "changed"
    # The superseded version leaves: partition deleted, source record forgotten.
    assert tick.deleted == [old_key]
    assert driver.partitions() == {new_key, key_of("b.md", "# B\n\nbeta")}
    assert storage.registry().lookup(old_key) is None
    assert (
        storage.registry().lookup(new_key).content_hash
        == hashlib.sha256(b"# A\n\nalpha, revised").hexdigest()
    )


def test_deleted_file_removes_its_partition(driver, landing, storage):
    land(landing / "a.md", "# A\n\nalpha")
    land(landing / "b.md", "# B\n\nbeta")
    driver.tick()
    (landing / "a.md").unlink()

    tick = driver.tick()
    gone = key_of("a.md", "# A\n\nalpha")
    assert tick.partition_keys == [] and tick.deleted == [gone]
    assert driver.partitions() == {key_of("b.md", "# B\n\nbeta")}
    assert storage.registry().lookup(gone) is None
    assert driver.tick().deleted == []  # deleted once


def test_half_written_file_waits_until_settled_and_stable(driver, landing):
    path = land(landing / "big.md", "# Big\n\npart one", age=0)
    tick = driver.tick()
    assert tick.partition_keys == [] and tick.added == []
    assert "1 still being written: big.md" in tick.summary

    # Appended to since the last tick: its fingerprint moved, so it waits even if the mtime
    # already looks old (clock skew, copies that preserve mtimes).
    land(path, "# Big\n\npart one, part two", age=60)
    assert driver.tick().partition_keys == []

    tick = driver.tick()  # unchanged since the last look and older than the settle time
    assert tick.partition_keys == [key_of("big.md", "# Big\n\npart one, part two")]


def test_unsupported_files_are_never_read_nor_registered(driver, landing, storage):
    land(landing / "notes.xyz", "not a document")
    land(landing / "a.md", "# A\n\nalpha")
    tick = driver.tick()
    assert tick.partition_keys == [key_of("a.md", "# A\n\nalpha")]
    second = driver.tick()
    assert second.partition_keys == [] and "listed 2, hashed 0" in second.summary
    records = [json.loads(p.read_text()) for p in (storage.root() / "_registry").glob("*.json")]
    assert [r["file_name"] for r in records] == ["a.md"]


def test_unsupported_file_alone_is_reported_in_the_tick_then_quiet(driver, landing):
    land(landing / "notes.xyz", "not a document")
    first = driver.tick()
    assert first.partition_keys == [] and "notes.xyz (unsupported extension .xyz)" in first.summary
    second = driver.tick()
    assert "unsupported" not in second.summary
    land(landing / "notes.xyz", "changed, still not a document", age=30)
    assert "notes.xyz" in driver.tick().summary  # a changed file is worth one more report


def test_retick_from_the_same_cursor_is_idempotent(driver, landing, storage):
    land(landing / "a.md", "# A\n\nalpha")
    first = driver.evaluate(None)
    again = driver.evaluate(None)  # the daemon never committed the first tick
    assert [r.run_key for r in first.run_requests] == [r.run_key for r in again.run_requests]
    assert [r.partition_key for r in first.run_requests] == [key_of("a.md", "# A\n\nalpha")]
    # Snapshots of uncommitted ticks are pruned; only the committed one and the newest remain.
    driver.evaluate(None)
    snapshots = list((storage.root() / STATE_DIR).rglob("*.json"))
    assert len(snapshots) <= 2
    assert json.loads(first.cursor)["manifest"] != json.loads(again.cursor)["manifest"]


def test_cursor_is_small_and_state_lives_in_the_manifest(driver, landing):
    for i in range(200):
        land(landing / f"doc-{i:03d}.md", f"# Doc {i}\n\nbody {i}")
    tick = driver.tick()
    assert len(tick.partition_keys) == 200
    assert len(tick.cursor) < 200
    assert set(json.loads(tick.cursor)) == {"v", "zone", "manifest", "start_after"}


def test_large_zone_is_paged_across_ticks_and_deletions_found_per_range(
    ephemeral, landing, storage
):
    zone = LandingZoneResource(uri=str(landing), settle_seconds=SETTLE)
    sensor = build_landing_sensor(max_files_per_tick=2)
    driver = SensorDriver(sensor, ephemeral, {"landing": zone, "storage": storage})
    names = [f"doc-{i}.md" for i in range(5)]
    for name in names:
        land(landing / name, f"# {name}\n\nbody")

    pages = [driver.tick() for _ in range(3)]
    assert [len(p.partition_keys) for p in pages] == [2, 2, 1]
    assert [LandingCursor.parse(p.cursor).start_after for p in pages] == [
        "doc-1.md",
        "doc-3.md",
        None,
    ]
    assert len(driver.partitions()) == 5

    (landing / "doc-0.md").unlink()
    (landing / "doc-4.md").unlink()
    first_page = driver.tick()  # covers (start, "doc-2.md"]: doc-0 is missing from it
    assert first_page.deleted == [key_of("doc-0.md", "# doc-0.md\n\nbody")]
    last_page = driver.tick()  # covers ("doc-2.md", end): doc-4 is missing
    assert LandingCursor.parse(last_page.cursor).start_after is None
    assert last_page.deleted == [key_of("doc-4.md", "# doc-4.md\n\nbody")]
    assert len(driver.partitions()) == 3


def test_moved_file_keeps_its_version_and_points_the_registry_at_the_new_path(
    driver, landing, storage
):
    land(landing / "inbox" / "a.md", "# A\n\nalpha")
    driver.tick()
    key = key_of("a.md", "# A\n\nalpha")
    (landing / "archive").mkdir()
    (landing / "inbox" / "a.md").rename(landing / "archive" / "a.md")

    tick = driver.tick()
    assert tick.partition_keys == [] and tick.deleted == [] and tick.added == []
    assert driver.partitions() == {key}
    assert storage.registry().lookup(key).source_uri == str(landing / "archive" / "a.md")


def test_withdrawn_then_restored_document_reruns_only_if_it_never_finished(
    driver, landing, ephemeral, storage
):
    done, failed = key_of("done.md", "# Done\n\nok"), key_of("failed.md", "# Failed\n\nbad")
    land(landing / "done.md", "# Done\n\nok")
    land(landing / "failed.md", "# Failed\n\nbad")
    first = driver.tick()
    ephemeral.report_runless_asset_event(
        dg.AssetMaterialization("training_examples", partition=done)
    )  # done.md's run got through its chain; failed.md's did not
    examples = storage.path("training_examples", f"{done}.parquet")
    examples.parent.mkdir(parents=True, exist_ok=True)
    examples.write_bytes(b"stands in for the examples")
    for name in ("done.md", "failed.md"):
        (landing / name).unlink()
    assert set(driver.tick().deleted) == {done, failed}

    land(landing / "done.md", "# Done\n\nok")
    land(landing / "failed.md", "# Failed\n\nbad")
    restored = driver.tick()
    assert set(restored.added) == {done, failed}
    assert restored.partition_keys == [failed]
    first_run_key = {r.partition_key: r.run_key for r in first.result.run_requests}[failed]
    assert restored.result.run_requests[0].run_key != first_run_key  # not dropped as a duplicate


def test_version_already_processed_elsewhere_is_not_run_again(driver, landing, ephemeral, storage):
    content = "# A\n\nalpha"
    key = key_of("a.md", content)
    fresh = key_of("b.md", "# B\n\nbeta")
    elsewhere = key_of("c.md", "# C\n\ngamma")
    # Registered and processed by `sdg-pipeline run` before the sensor started: `key` into this
    # data root, `elsewhere` into another one (`--out`), so only `key`'s Parquet is here.
    ephemeral.add_dynamic_partitions("documents", [key, fresh, elsewhere])
    for done in (key, elsewhere):
        ephemeral.report_runless_asset_event(
            dg.AssetMaterialization("training_examples", partition=done)
        )
    examples = storage.path("training_examples", f"{key}.parquet")
    examples.parent.mkdir(parents=True, exist_ok=True)
    examples.write_bytes(b"stands in for the examples")
    land(landing / "a.md", content)
    land(landing / "b.md", "# B\n\nbeta")
    land(landing / "c.md", "# C\n\ngamma")

    tick = driver.tick()
    assert tick.added == []
    # never processed, or processed into another data root: run them
    assert sorted(tick.partition_keys) == sorted([fresh, elsewhere])


def test_pointing_the_sensor_at_another_zone_starts_fresh(ephemeral, tmp_path, storage):
    first_zone, second_zone = tmp_path / "one", tmp_path / "two"
    land(first_zone / "a.md", "# A\n\nalpha")
    land(second_zone / "b.md", "# B\n\nbeta")
    sensor = build_landing_sensor()
    driver = SensorDriver(
        sensor, ephemeral, {"landing": LandingZoneResource(uri=str(first_zone)), "storage": storage}
    )
    driver.tick()
    tick = driver.tick(landing=LandingZoneResource(uri=str(second_zone)))
    assert tick.partition_keys == [key_of("b.md", "# B\n\nbeta")]
    assert tick.deleted == []  # the first zone's documents are not withdrawn by a config change


def test_copies_share_one_version_until_the_last_copy_goes(driver, landing, storage):
    land(landing / "one" / "a.md", "# A\n\nalpha")
    land(landing / "two" / "a.md", "# A\n\nalpha")
    key = key_of("a.md", "# A\n\nalpha")
    assert driver.tick().partition_keys == [key]  # one run for one version, whatever the copies

    (landing / "one" / "a.md").unlink()
    tick = driver.tick()
    assert tick.deleted == [] and driver.partitions() == {key}
    assert storage.registry().lookup(key).source_uri == str(landing / "two" / "a.md")

    (landing / "two" / "a.md").unlink()
    assert driver.tick().deleted == [key]


def test_a_tick_whose_budget_ends_before_the_first_file_deletes_nothing(landing):
    from sdg_pipeline.io.landing import LocalLanding
    from sdg_pipeline.io.manifest import KnownFile, LandingManifest
    from sdg_pipeline.io.scan import scan_landing

    land(landing / "a.md", "# A\n\nalpha")
    previous = LandingManifest(files={"a.md": KnownFile("x", "0" * 64, "a-000000000000", 1)})
    ticks = iter([0.0, 100.0])
    result = scan_landing(
        LocalLanding(str(landing)),
        previous,
        register=lambda *_: pytest.fail("nothing may be registered"),
        now=time.time(),
        settle_seconds=SETTLE,
        time_budget_seconds=10,
        clock=lambda: next(ticks),
    )
    assert result.listed == 0 and result.retired == {} and result.removed == []
    assert result.next_start_after is None and not result.changed
