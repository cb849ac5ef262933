"""One pass of the landing sensor, as plain Python: listing + manifest in, decisions out.

Only files whose fingerprint (size and mtime, or S3 ETag) changed since the manifest are hashed, so
an unchanged zone costs one listing. Those reads (and the registry writes of new versions) run on a
small thread pool, a batch at a time: they are I/O, and S3 round trips dominate a cold scan. A scan
covers the names after `start_after` until the listing ends or the time budget runs out (checked
between batches); files the manifest knows in that covered range but the listing no longer shows
are deleted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sdg_pipeline.io.landing import Landing, LandingFile, unsupported_reason
from sdg_pipeline.io.manifest import KnownFile, LandingManifest

# (landed file, sha256 hex, size in bytes) -> partition key, after recording the source
Register = Callable[[LandingFile, str, int], str]

DEFAULT_READ_WORKERS = 16
BATCH_PER_WORKER = 8


@dataclass(frozen=True)
class _Examined:
    """What reading one file found: gone, unreadable, same bytes, or a registered version."""

    landed: LandingFile
    digest: str | None = None
    size: int = 0
    key: str | None = None  # set when the bytes are a version other than the known one
    gone: bool = False
    error: str | None = None


@dataclass(frozen=True)
class NewVersion:
    """A document version to process: a new file, or new content under a known name."""

    name: str
    key: str
    previous_key: str | None  # the version this one replaces, None for a new file


@dataclass
class ScanResult:
    manifest: LandingManifest
    versions: list[NewVersion] = field(default_factory=list)
    # key -> names it was known under, for versions no file maps to any more
    retired: dict[str, list[str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)  # names that disappeared
    waiting: list[str] = field(default_factory=list)  # not settled yet: next tick
    unsupported: dict[str, str] = field(default_factory=dict)  # newly seen: name -> reason
    errors: dict[str, str] = field(default_factory=dict)  # could not hash: retried next tick
    touched: int = 0  # fingerprint changed, bytes did not
    listed: int = 0
    hashed: int = 0
    next_start_after: str | None = None  # None: the listing was covered to its end
    changed: bool = False  # the manifest differs from the one scanned against


def _in_range(name: str, low: str | None, high: str | None) -> bool:
    return (low is None or name > low) and (high is None or name <= high)


def _examine(
    landing: Landing, register: Register, landed: LandingFile, known: KnownFile | None
) -> _Examined:
    try:
        digest, size = landing.sha256(landed.uri)
    except FileNotFoundError:
        return _Examined(landed, gone=True)
    except OSError as exc:
        return _Examined(landed, error=f"{type(exc).__name__}: {exc}")
    if known is not None and known.sha256 == digest:
        return _Examined(landed, digest, size)
    return _Examined(landed, digest, size, key=register(landed, digest, size))


def scan_landing(
    landing: Landing,
    previous: LandingManifest,
    register: Register,
    *,
    now: float,
    settle_seconds: float,
    start_after: str | None = None,
    time_budget_seconds: float | None = None,
    max_files: int | None = None,
    read_workers: int = DEFAULT_READ_WORKERS,
    clock: Callable[[], float] = time.monotonic,
) -> ScanResult:
    """Compare the zone (from `start_after`) with `previous`; register new versions as found."""
    started = clock()
    manifest = previous.copy()
    result = ScanResult(manifest=manifest)
    seen: set[str] = set()
    known_keys = set(previous.names_by_key())
    replaced: dict[str, list[str]] = {}  # key -> names whose content moved on from it
    last_name: str | None = None
    stopped_early = False
    listing: Iterator[LandingFile] = iter(landing.list_files(start_after))
    batch_size = max(1, read_workers) * BATCH_PER_WORKER

    def to_read(landed: LandingFile) -> bool:
        """Settle the cheap cases from the listing alone; True when the bytes must be read."""
        name, fingerprint = landed.name, landed.fingerprint
        reason = unsupported_reason(name)
        if reason is not None:
            # Stat only, never read; reported when first seen or when the file changes.
            if previous.unsupported.get(name) != fingerprint:
                manifest.unsupported[name] = fingerprint
                result.unsupported[name] = reason
            return False
        known = previous.files.get(name)
        if known is not None and known.fingerprint == fingerprint:
            return False  # the common case: nothing to read
        unsettled = now - landed.modified < settle_seconds
        moved_since_seen = name in previous.pending and previous.pending[name] != fingerprint
        if unsettled or moved_since_seen:
            manifest.pending[name] = fingerprint
            result.waiting.append(name)
            return False
        manifest.pending.pop(name, None)
        return True

    def apply(found: _Examined) -> None:
        name, fingerprint = found.landed.name, found.landed.fingerprint
        known = previous.files.get(name)
        if found.gone:
            seen.discard(name)  # gone between listing and reading: a deletion
            return
        if found.error is not None:
            manifest.pending[name] = fingerprint
            result.errors[name] = found.error
            return
        result.hashed += 1
        assert found.digest is not None
        if found.key is None and known is not None:
            manifest.files[name] = KnownFile(fingerprint, found.digest, known.key, found.size)
            result.touched += 1
            return
        assert found.key is not None
        manifest.files[name] = KnownFile(fingerprint, found.digest, found.key, found.size)
        previous_key = known.key if known is not None else None
        if previous_key is not None:
            replaced.setdefault(previous_key, []).append(name)
        if found.key not in known_keys:
            result.versions.append(NewVersion(name, found.key, previous_key))
        # else: the same bytes under the same base name elsewhere in the zone (a move or a copy):
        # that version is a partition already, and the registry now points at this file.

    def read(landed: LandingFile) -> _Examined:
        return _examine(landing, register, landed, previous.files.get(landed.name))

    exhausted = False
    with ThreadPoolExecutor(max_workers=max(1, read_workers)) as pool:
        while not (exhausted or stopped_early):
            batch: list[LandingFile] = []
            exhausted = True
            for landed in listing:
                over_count = max_files is not None and result.listed >= max_files
                # The budget is checked between batches of reads (listing alone is cheap).
                over_time = (
                    not batch
                    and time_budget_seconds is not None
                    and clock() - started > time_budget_seconds
                )
                if over_count or over_time:
                    stopped_early = True  # this file is listed again by the next tick
                    break
                result.listed += 1
                last_name = landed.name
                seen.add(landed.name)
                if to_read(landed):
                    batch.append(landed)
                    if len(batch) >= batch_size:
                        exhausted = False
                        break
            for found in pool.map(read, batch):  # results in listing order
                apply(found)

    # The names this scan covered: (start_after, last listed] if it stopped early, else to the end.
    high = last_name if stopped_early else None
    covered_any = not (stopped_early and last_name is None)  # a budget gone before the first file
    result.next_start_after = (last_name if covered_any else start_after) if stopped_early else None

    retired_names = replaced
    for book in (manifest.files, manifest.pending, manifest.unsupported):
        if not covered_any:
            break
        for name in [n for n in book if _in_range(n, start_after, high) and n not in seen]:
            if book is manifest.files:
                retired_names.setdefault(book[name].key, []).append(name)
            result.removed.append(name)
            del book[name]

    remaining = manifest.names_by_key()
    for key, names in retired_names.items():
        if key not in remaining:
            result.retired[key] = sorted(names)
        else:
            # Another path still holds these bytes (a move, or a copy): keep the version and point
            # its registry record at a file that exists.
            holder = min(remaining[key])
            held = manifest.files[holder]
            register(
                LandingFile(landing.uri_for(holder), holder, held.size, 0.0), held.sha256, held.size
            )
    result.removed = sorted(set(result.removed))
    result.changed = manifest.to_json() != previous.to_json()
    return result
