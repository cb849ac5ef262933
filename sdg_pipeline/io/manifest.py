"""What the landing sensor remembers between ticks: a manifest under the data root, a small cursor.

Per-file state for thousands of files is too big for a Dagster cursor (every tick row stores its
cursor), so it lives in a JSON manifest under `<data root>/_landing_state/<zone id>/`. Manifests
are immutable snapshots: a tick that changes anything writes a new one and its cursor points at it.
If the daemon never commits that tick (crash, timeout), the next tick still holds the old pointer,
reads the old snapshot, re-detects the same changes and emits the same run keys, so nothing is lost
and nothing runs twice.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field

from upath import UPath

from sdg_pipeline.io.publish import atomic_write_bytes

STATE_DIR = "_landing_state"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class KnownFile:
    """A settled, supported file and the document version its bytes are."""

    fingerprint: str
    sha256: str
    key: str
    size: int


@dataclass
class LandingManifest:
    files: dict[str, KnownFile] = field(default_factory=dict)
    # name -> fingerprint when first seen unsettled; the file must look the same next time
    pending: dict[str, str] = field(default_factory=dict)
    # name -> fingerprint when reported; reported again only if the file changes
    unsupported: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "version": MANIFEST_VERSION,
                "files": {
                    name: [f.fingerprint, f.sha256, f.key, f.size]
                    for name, f in sorted(self.files.items())
                },
                "pending": dict(sorted(self.pending.items())),
                "unsupported": dict(sorted(self.unsupported.items())),
            },
            separators=(",", ":"),
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> LandingManifest:
        raw = json.loads(data)
        if raw.get("version") != MANIFEST_VERSION:
            raise ValueError(f"unknown landing manifest version {raw.get('version')!r}")
        return cls(
            files={name: KnownFile(*row) for name, row in raw["files"].items()},
            pending=dict(raw["pending"]),
            unsupported=dict(raw["unsupported"]),
        )

    def copy(self) -> LandingManifest:
        return LandingManifest(dict(self.files), dict(self.pending), dict(self.unsupported))

    def names_by_key(self) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for name, known in self.files.items():
            index.setdefault(known.key, set()).add(name)
        return index


def zone_id(landing_root: str) -> str:
    """A short stable id per landing zone, so pointing the sensor elsewhere starts a fresh state."""
    return hashlib.sha256(landing_root.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class LandingCursor:
    """The Dagster cursor: which zone, which manifest snapshot, where the listing resumes."""

    zone: str | None = None
    manifest: str | None = None
    start_after: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {"v": 1, "zone": self.zone, "manifest": self.manifest, "start_after": self.start_after}
        )

    @classmethod
    def parse(cls, cursor: str | None) -> LandingCursor:
        if not cursor:
            return cls()
        raw = json.loads(cursor)
        return cls(raw.get("zone"), raw.get("manifest"), raw.get("start_after"))


class ManifestStore:
    """Manifest snapshots of one landing zone under the data root."""

    def __init__(self, state_root: UPath, zone: str):
        self._dir = state_root / zone

    def _path(self, manifest_id: str) -> UPath:
        return self._dir / f"{manifest_id}.json"

    def load(self, manifest_id: str | None) -> LandingManifest:
        if manifest_id is None:
            return LandingManifest()
        path = self._path(manifest_id)
        if not path.exists():
            # Deleted data root or a cursor from another deployment: start over. Every file looks
            # new, but versions that are already partitions are not run again.
            return LandingManifest()
        return LandingManifest.from_json(path.read_bytes())

    def save(self, manifest: LandingManifest) -> str:
        # Time-ordered ids make the folder readable; the random tail keeps retries distinct.
        manifest_id = f"{int(time.time() * 1000):013d}-{uuid.uuid4().hex[:8]}"
        atomic_write_bytes(self._path(manifest_id), manifest.to_json())
        return manifest_id

    def prune(self, keep: set[str]) -> int:
        """Delete snapshots other than `keep` (the committed one and the one just written)."""
        if not self._dir.exists():
            return 0
        removed = 0
        for path in self._dir.iterdir():
            if path.name.endswith(".json") and path.name[: -len(".json")] not in keep:
                path.unlink()
                removed += 1
        return removed
