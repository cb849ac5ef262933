"""Persistent cache of LLM replies, stored beside the data (local folder or s3:// prefix).

A reply is reused only for the same request: model, full message list, sampling parameters,
response schema, prompt version and recipe (name@version) all go into the key, so
re-materializing an unchanged partition makes no LLM call, and a changed judge model or judge
prompt misses only the judge entries. The endpoint URL is deliberately not part of the key: the
same model served from another host (or a test server on another port) gives the same answers.

Only replies that parsed and validated are stored, so a failed or malformed answer is asked
again on the next run instead of being replayed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from typing import Any

from upath import UPath

from sdg_pipeline.io.publish import atomic_write_bytes

CACHE_FORMAT = 1

# A folder, or a UPath that carries its filesystem's options (e.g. a custom S3 endpoint): a bare
# "s3://..." string would reach S3 with default options only.
CacheRoot = str | os.PathLike[str] | UPath


def cache_key(
    *,
    model: str,
    messages: list[dict[str, str]],
    sampling: dict[str, Any],
    prompt_version: str,
    schema: dict[str, Any] | None = None,
    recipe: str = "",
) -> str:
    payload = {
        # a reply written under one recipe (its instructions, examples, filters) is not
        # another recipe's, even where the messages happen to match
        "recipe": recipe,
        "format": CACHE_FORMAT,
        "model": model,
        "messages": messages,
        "sampling": sampling,
        "prompt_version": prompt_version,
        "schema": schema,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseCache:
    """Key → JSON record, one small file per entry under `<root>/<kk>/<key>.json`.

    One file per entry (rather than one file per partition) lets concurrent partitions and
    concurrent requests write without coordination; the two-character fan-out keeps
    directories small.
    """

    def __init__(self, root: CacheRoot, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._root = root if isinstance(root, UPath) else UPath(root)

    @property
    def root(self) -> str:
        return str(self._root)

    def _path(self, key: str) -> UPath:
        return self._root / key[:2] / f"{key}.json"

    def get_sync(self, key: str) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        path = self._path(key)
        try:
            raw = path.read_text(encoding="utf-8")
        except (FileNotFoundError, IsADirectoryError):
            return None
        try:
            record = json.loads(raw)
        except json.JSONDecodeError:
            return None  # a torn write from a crashed non-atomic store: treat as a miss
        return record if isinstance(record, dict) else None

    def put_sync(self, key: str, record: dict[str, Any]) -> None:
        if not self.enabled:
            return
        # Readers never see a partial entry; on object stores concurrent writers of one key store
        # the same content, so last-write-wins is harmless.
        data = json.dumps(record, ensure_ascii=False).encode("utf-8")
        atomic_write_bytes(self._path(key), data)

    # File and object-store calls block; in a worker thread they release the GIL and leave
    # the event loop free to send and receive other requests meanwhile.

    async def get(self, key: str) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        return await asyncio.to_thread(self.get_sync, key)

    async def put(self, key: str, record: dict[str, Any]) -> None:
        if not self.enabled:
            return
        await asyncio.to_thread(self.put_sync, key, record)
