"""Skip what is up to date: a document version whose code and settings are unchanged since its
last run is not run again, whether that run succeeded or a check refused the document.

The fingerprint covers everything a document's outputs depend on besides its bytes (already in
the partition key): every per-document asset's code version, the pipeline settings, the
converter options and the generator/judge in use. A record is written after a run succeeded,
or after one of the document's blocking checks failed: a verdict on the content, which the
same bytes, code and settings would get again (a corrupt PDF, a document yielding no pairs).
A document whose step raised (an endpoint outage, a vanished file) or whose run was
interrupted gets no record and runs again; a torn record reads as "stale", never as "fresh".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from upath import UPath

FRESHNESS_DIR = "_fresh"


def fingerprint(parts: Mapping[str, Any]) -> str:
    """A stable digest of JSON-able parts (keys sorted; non-JSON values by their repr)."""
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """A document's last outcome under the current fingerprint: passed, or refused and why."""

    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


class FreshnessStore:
    """One small file per document key under the data root: the fingerprint of its last run,
    then the reason a check refused it, if one did."""

    def __init__(self, data_root: UPath) -> None:
        self._root = data_root / FRESHNESS_DIR

    def _path(self, key: str) -> UPath:
        return self._root / f"{key}.sha256"

    def verdict(self, key: str, digest: str) -> Verdict | None:
        """The last outcome if it was reached under `digest`, else None (run it)."""
        try:
            recorded, _, failure = self._path(key).read_text().partition("\n")
        except (FileNotFoundError, OSError, UnicodeDecodeError):
            return None
        if recorded.strip() != digest:
            return None
        return Verdict(failure=failure.strip() or None)

    def record(self, key: str, digest: str, failure: str | None = None) -> None:
        self._root.mkdir(parents=True, exist_ok=True)
        reason = " ".join(failure.split()) if failure else ""
        self._path(key).write_text(f"{digest}\n{reason}" if reason else digest)

    def forget(self, key: str) -> None:
        path = self._path(key)
        if path.exists():
            path.unlink()
