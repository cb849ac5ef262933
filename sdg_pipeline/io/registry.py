"""Which source file each partition key came from.

Dynamic partitions hold only keys, so registration (by the CLI or the sensor) writes a small JSON
record per key beside the data; `raw_documents` reads it to find the bytes. Records live under the
data root, so they follow it to S3.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from upath import UPath

from sdg_pipeline.io.publish import atomic_write_bytes

REGISTRY_DIR = "_registry"


@dataclass(frozen=True)
class RegisteredDocument:
    document_key: str
    source_uri: str
    file_name: str
    content_hash: str
    size_bytes: int
    registered_at: str


class DocumentRegistry:
    def __init__(self, data_root: UPath):
        self._root = data_root / REGISTRY_DIR

    def _path(self, key: str) -> UPath:
        return self._root / f"{key}.json"

    def register(
        self, key: str, source_uri: str, file_name: str, content_hash: str, size_bytes: int
    ) -> RegisteredDocument:
        record = RegisteredDocument(
            document_key=key,
            source_uri=source_uri,
            file_name=file_name,
            content_hash=content_hash,
            size_bytes=size_bytes,
            registered_at=datetime.now(UTC).isoformat(),
        )
        atomic_write_bytes(self._path(key), json.dumps(asdict(record)).encode())
        return record

    def lookup(self, key: str) -> RegisteredDocument | None:
        path = self._path(key)
        if not path.exists():
            return None
        return RegisteredDocument(**json.loads(path.read_text()))

    def forget(self, key: str) -> None:
        path = self._path(key)
        if path.exists():
            path.unlink()
