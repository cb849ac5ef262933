"""Listing and reading the landing zone: a local folder or an S3 bucket/prefix.

Listings come back sorted by name (S3's own order: code points of the UTF-8 key) and can resume
after a name, so a sensor can page through a large zone across ticks and still tell which files
disappeared from the range it covered. Both kinds of zone are read by the same code, through their
root's UPath (s3fs for S3, with the endpoint and region that UPath carries). Registering a landed
file as a document version lives here too, so the CLI and the sensor share one implementation.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from upath import UPath

from sdg_pipeline.convert.media import SUPPORTED_EXTENSIONS
from sdg_pipeline.io.keys import document_key
from sdg_pipeline.io.paths import as_upath, fs_path, is_local, to_upath
from sdg_pipeline.io.registry import DocumentRegistry

HASH_BLOCK_BYTES = 1 << 20


@dataclass(frozen=True)
class LandingFile:
    uri: str  # absolute path or s3://bucket/key
    name: str  # path relative to the landing root, "/"-separated
    size: int
    modified: float  # epoch seconds
    etag: str | None = None  # S3 only; changes whenever the object's bytes are replaced

    @property
    def fingerprint(self) -> str:
        """Changes when the file may have changed; equal fingerprints mean no need to re-hash."""
        return f"{self.size}:{self.etag or repr(self.modified)}"


class Landing(Protocol):
    root: str

    def list_files(self, start_after: str | None = None) -> Iterator[LandingFile]: ...

    def read(self, uri: str) -> bytes: ...

    def sha256(self, uri: str) -> tuple[str, int]: ...

    def uri_for(self, name: str) -> str: ...


def unsupported_reason(name: str) -> str | None:
    """Why a landed file is not a document the pipeline can convert, or None when it is."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in SUPPORTED_EXTENSIONS:
        return None
    return f"unsupported extension {suffix or '(none)'}"


def register_version(
    registry: DocumentRegistry, landed: LandingFile, sha256_hex: str, size_bytes: int
) -> str:
    """Record where one document version's bytes live; returns its partition key.

    Must happen before the version's run: `raw_documents` finds the source through the registry.
    """
    key = document_key(landed.name, sha256_hex)
    registry.register(key, landed.uri, landed.name, sha256_hex, size_bytes)
    return key


def _hash_stream(chunks: Iterator[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for block in chunks:
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def read_bytes(source: UPath) -> bytes:
    """All bytes of one file; FileNotFoundError when it is gone (a withdrawn document)."""
    # cat_file is one GET on S3, where open() + read() would HEAD first.
    return source.fs.cat_file(fs_path(source))


def sha256_of(source: UPath) -> tuple[str, int]:
    """sha256 hex digest and size of one file, streamed in blocks (landed files may be large)."""
    if not is_local(source):
        # One ranged GET hashes a small object whole; open() would HEAD it first and double the
        # requests of a cold scan. Larger objects are streamed from the start below.
        try:
            head = source.fs.cat_file(fs_path(source), start=0, end=HASH_BLOCK_BYTES)
        except FileNotFoundError:
            raise
        except OSError:
            head = None  # an empty object has no byte range to get (416); open() copes
        if head is not None and len(head) < HASH_BLOCK_BYTES:
            return hashlib.sha256(head).hexdigest(), len(head)
    with source.fs.open(fs_path(source), "rb", block_size=HASH_BLOCK_BYTES) as handle:
        return _hash_stream(iter(lambda: handle.read(HASH_BLOCK_BYTES), b""))


class _UPathLanding:
    """Reading and hashing are the same code for a folder and a bucket: the root's filesystem."""

    root: str

    def __init__(self, root: UPath):
        self._path = root

    def _source(self, uri: str) -> UPath:
        # Sources may sit outside the root (CLI folders); they share its filesystem options.
        return UPath(uri, **self._path.storage_options) if "://" in uri else UPath(uri)

    def read(self, uri: str) -> bytes:
        return read_bytes(self._source(uri))

    def sha256(self, uri: str) -> tuple[str, int]:
        return sha256_of(self._source(uri))


class LocalLanding(_UPathLanding):
    def __init__(self, root: str):
        super().__init__(to_upath(root))
        self.root = str(Path(root).expanduser().resolve())
        self.refused: dict[str, str] = {}  # names the last listing passed over, and why

    def _walk(self) -> Iterator[LandingFile]:
        root = Path(self.root)
        if not root.is_dir():
            return
        real_root = root.resolve()
        stack = [root]
        while stack:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    rel = Path(entry.path).relative_to(root).as_posix()
                    if entry.name.startswith("."):
                        # editors' lock and temp files; said once, never silently dropped
                        self.refused[rel] = "hidden file (the name starts with '.')"
                        continue
                    if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(
                        real_root
                    ):
                        self.refused[rel] = "symbolic link to a file outside the folder"
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    elif entry.is_file():
                        stat = entry.stat()
                        rel = Path(entry.path).relative_to(root).as_posix()
                        yield LandingFile(entry.path, rel, stat.st_size, stat.st_mtime)

    def list_files(self, start_after: str | None = None) -> Iterator[LandingFile]:
        """Files of the folder, sorted; names passed over land in `refused` with the reason."""
        self.refused: dict[str, str] = {}
        # A local walk is cheap next to hashing, so sort the whole walk to match S3's order.
        for landed in sorted(self._walk(), key=lambda f: f.name):
            if start_after is None or landed.name > start_after:
                yield landed

    def uri_for(self, name: str) -> str:
        return str(Path(self.root, *name.split("/")))


class S3Landing(_UPathLanding):
    """A bucket/prefix read through s3fs, with the options (endpoint, region) its UPath carries."""

    def __init__(
        self, root: str | UPath, page_size: int = 1000, storage_options: dict | None = None
    ):
        super().__init__(as_upath(root, storage_options))
        # The zone id hashes `root`: keep the URI as configured so existing cursors stay valid.
        self.root = root if isinstance(root, str) else str(root)
        bucket, _, prefix = self.root.removeprefix("s3://").partition("/")
        self.bucket = bucket
        self.prefix = prefix.rstrip("/") + "/" if prefix else ""
        self._page_size = page_size

    def _pages(self, start_after: str | None) -> Iterator[dict[str, Any]]:
        # One list_objects_v2 page per request, fetched as the caller consumes the listing: a tick
        # whose budget ends early has not listed the rest of a large zone.
        options: dict[str, Any] = {
            "Bucket": self.bucket,
            "Prefix": self.prefix,
            "MaxKeys": self._page_size,
        }
        if start_after is not None:
            options["StartAfter"] = self.prefix + start_after
        fs = self._path.fs
        while True:
            page = fs.call_s3("list_objects_v2", **options)
            yield page
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return
            options["ContinuationToken"] = token

    def list_files(self, start_after: str | None = None) -> Iterator[LandingFile]:
        for page in self._pages(start_after):
            for obj in page.get("Contents", []):
                key = obj["Key"]
                name = key[len(self.prefix) :]
                if not name or name.endswith("/") or name.rsplit("/", 1)[-1].startswith("."):
                    continue
                yield LandingFile(
                    f"s3://{self.bucket}/{key}",
                    name,
                    obj["Size"],
                    obj["LastModified"].timestamp(),
                    obj.get("ETag", "").strip('"') or None,
                )

    def uri_for(self, name: str) -> str:
        return f"s3://{self.bucket}/{self.prefix}{name}"
