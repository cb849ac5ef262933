"""The persistent response cache: what its key depends on, atomic local writes, S3 storage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from upath import UPath

from sdg_pipeline.llm.cache import ResponseCache, cache_key

BASE = {
    "model": "m1",
    "messages": [{"role": "user", "content": "hello"}],
    "sampling": {"temperature": 0.0, "max_tokens": 100},
    "prompt_version": "v1",
    "schema": {"type": "object"},
}


def test_key_changes_with_every_part_of_the_request() -> None:
    key = cache_key(**BASE)
    assert cache_key(**BASE) == key
    variants = [
        BASE | {"model": "m2"},
        BASE | {"messages": [{"role": "user", "content": "hello!"}]},
        BASE | {"sampling": {"temperature": 0.7, "max_tokens": 100}},
        BASE | {"sampling": {"temperature": 0.0, "max_tokens": 200}},
        BASE | {"prompt_version": "v2"},
        BASE | {"schema": {"type": "array"}},
    ]
    assert len({cache_key(**v) for v in variants} | {key}) == len(variants) + 1


def test_key_ignores_dict_ordering() -> None:
    reordered = BASE | {"sampling": {"max_tokens": 100, "temperature": 0.0}}
    assert cache_key(**reordered) == cache_key(**BASE)


def test_local_round_trip_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    cache = ResponseCache(str(tmp_path / "cache"))
    key = cache_key(**BASE)
    assert cache.get_sync(key) is None
    cache.put_sync(key, {"text": "reply"})
    assert cache.get_sync(key) == {"text": "reply"}
    files = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert [p.name for p in files] == [f"{key}.json"]
    assert files[0].parent.name == key[:2]


def test_a_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ResponseCache(str(tmp_path))
    key = cache_key(**BASE)
    cache.put_sync(key, {"text": "reply"})
    (tmp_path / key[:2] / f"{key}.json").write_text('{"text": "rep')
    assert cache.get_sync(key) is None


def test_disabled_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    key = cache_key(**BASE)
    ResponseCache(str(tmp_path)).put_sync(key, {"text": "reply"})
    disabled = ResponseCache(str(tmp_path / "other"), enabled=False)
    disabled.put_sync(key, {"text": "x"})
    assert disabled.get_sync(key) is None
    assert not (tmp_path / "other").exists()
    assert ResponseCache(str(tmp_path), enabled=False).get_sync(key) is None


@pytest.fixture
def s3_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[UPath]:
    moto_server = pytest.importorskip("moto.server")
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="sdg-cache")
        yield UPath("s3://sdg-cache/llm", client_kwargs={"endpoint_url": endpoint})
    finally:
        server.stop()


def test_s3_round_trip(s3_root: UPath) -> None:
    cache = ResponseCache(s3_root)
    key = cache_key(**BASE)
    assert cache.get_sync(key) is None
    cache.put_sync(key, {"text": "reply"})
    assert cache.get_sync(key) == {"text": "reply"}
    assert (s3_root / key[:2] / f"{key}.json").exists()
