"""Skip what is up to date: a document version whose code and settings are unchanged since its
last successful run is not run again.

The fingerprint covers everything a document's outputs depend on besides its bytes (already in
the partition key): every per-document asset's code version, the pipeline settings, the
converter options and the generator/judge in use. A record is written only after a run
succeeded, so a failed or interrupted document always runs again; a torn record reads as
"stale", never as "fresh".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from upath import UPath

FRESHNESS_DIR = "_fresh"


def fingerprint(parts: Mapping[str, Any]) -> str:
    """A stable digest of JSON-able parts (keys sorted; non-JSON values by their repr)."""
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


class FreshnessStore:
    """One small file per document key under the data root: the fingerprint of its last success."""

    def __init__(self, data_root: UPath) -> None:
        self._root = data_root / FRESHNESS_DIR

    def _path(self, key: str) -> UPath:
        return self._root / f"{key}.sha256"

    def is_fresh(self, key: str, digest: str) -> bool:
        path = self._path(key)
        try:
            return path.read_text().strip() == digest
        except (FileNotFoundError, OSError, UnicodeDecodeError):
            return False

    def record(self, key: str, digest: str) -> None:
        self._root.mkdir(parents=True, exist_ok=True)
        self._path(key).write_text(digest)

    def forget(self, key: str) -> None:
        path = self._path(key)
        if path.exists():
            path.unlink()
