"""The one atomic-publication helper: single files and staged sets, local and S3 alike."""

from __future__ import annotations

import os

import pytest

from sdg_pipeline.io import publish
from sdg_pipeline.io.publish import StagedFiles, atomic_write_bytes, existing_partitions
from sdg_pipeline.llm.cache import ResponseCache
from sdg_pipeline_tests.io.conftest import names


def test_atomic_write_creates_parents_and_replaces(root):
    target = root / "a" / "b.json"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert names(root) == ["a/b.json"]


def test_failed_local_write_keeps_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "state.json"
    atomic_write_bytes(target, b"old")

    def crash(*_):
        raise OSError("disk full")

    monkeypatch.setattr(publish.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["state.json"]


def test_cache_writes_through_the_same_helper(tmp_path, monkeypatch):
    cache = ResponseCache(str(tmp_path))
    monkeypatch.setattr(publish.os, "replace", lambda *_: (_ for _ in ()).throw(OSError("full")))
    with pytest.raises(OSError):
        cache.put_sync("ab" * 32, {"text": "reply"})
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert cache.get_sync("ab" * 32) is None


def test_staged_files_publish_together_and_leave_no_staging(root):
    atomic_write_bytes(root / "keep.txt", b"x")
    staged = StagedFiles(root)
    with_handle = staged.open("train.jsonl")
    with_handle.write('{"a": 1}\n')
    staged.write_text("README.md", "card\n")
    assert not (root / "train.jsonl").exists()
    staged.commit(["train.jsonl", "README.md"])
    assert names(root) == ["README.md", "keep.txt", "train.jsonl"]
    assert (root / "train.jsonl").read_text() == '{"a": 1}\n'


def test_aborted_staging_keeps_the_previous_files(root):
    first = StagedFiles(root)
    first.write_text("train.jsonl", "old\n")
    first.commit(["train.jsonl"])
    second = StagedFiles(root)
    second.write_text("train.jsonl", "new\n")
    second.open("valid.jsonl").write("half")
    second.abort()
    assert names(root) == ["train.jsonl"]
    assert (root / "train.jsonl").read_text() == "old\n"


def test_staged_uri_reads_back_before_commit(root):
    staged = StagedFiles(root)
    staged.write_text("stats.json", "{}\n")
    uri = staged.staged_uri("stats.json")
    assert uri.startswith("s3://") == (root.protocol == "s3")
    assert root.fs.cat_file(uri) == b"{}\n"
    staged.abort()


def test_existing_partitions_from_one_listing(root):
    for key in ("doc-a", "doc-b"):
        atomic_write_bytes(root / f"{key}.parquet", b"PAR1")
    atomic_write_bytes(root / "doc-c.json", b"{}")
    assert existing_partitions(root, ["doc-a", "doc-b", "doc-c", "doc-d"]) == {"doc-a", "doc-b"}
    assert existing_partitions(root / "absent", ["doc-a"]) == set()


def test_temp_files_a_killed_build_left_are_removed_by_the_next_build(tmp_path) -> None:
    import os
    import time

    from sdg_pipeline.io.publish import STALE_TEMP_SECONDS, StagedFiles

    out = tmp_path / "dataset"
    out.mkdir()
    stale = out / ".train.jsonl.tmp-0123456789ab"
    stale.write_text("half a line")
    old = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(stale, (old, old))
    fresh = out / ".valid.jsonl.tmp-ba9876543210"  # another build still writing: kept
    fresh.write_text("{}")
    staged = StagedFiles(str(out))
    assert staged.removed_stale == [stale.name]
    assert not stale.exists() and fresh.exists()
