"""Listing and reading the landing zone: a local folder or an S3 bucket/prefix.

Listings come back sorted by name (S3's own order: code points of the UTF-8 key) and can resume
after a name, so a sensor can page through a large zone across ticks and still tell which files
disappeared from the range it covered. Registering a landed file as a document version lives here
too, so the CLI and the sensor share one implementation.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from sdg_pipeline.convert.media import SUPPORTED_EXTENSIONS
from sdg_pipeline.io.keys import document_key
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


class LocalLanding:
    def __init__(self, root: str):
        self.root = str(Path(root).expanduser().resolve())

    def _walk(self) -> Iterator[LandingFile]:
        root = Path(self.root)
        if not root.is_dir():
            return
        stack = [root]
        while stack:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue  # editors' and our own temp files
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    elif entry.is_file():
                        stat = entry.stat()
                        rel = Path(entry.path).relative_to(root).as_posix()
                        yield LandingFile(entry.path, rel, stat.st_size, stat.st_mtime)

    def list_files(self, start_after: str | None = None) -> Iterator[LandingFile]:
        # A local walk is cheap next to hashing, so sort the whole walk to match S3's order.
        for landed in sorted(self._walk(), key=lambda f: f.name):
            if start_after is None or landed.name > start_after:
                yield landed

    def read(self, uri: str) -> bytes:
        return Path(uri).read_bytes()

    def sha256(self, uri: str) -> tuple[str, int]:
        with open(uri, "rb") as handle:
            return _hash_stream(iter(lambda: handle.read(HASH_BLOCK_BYTES), b""))

    def uri_for(self, name: str) -> str:
        return str(Path(self.root, *name.split("/")))


class S3Landing:
    """A bucket/prefix read through a boto3 client (from dagster-aws's S3Resource)."""

    def __init__(self, root: str, client: Any, page_size: int = 1000):
        bucket, _, prefix = root.removeprefix("s3://").partition("/")
        self.root = root
        self.bucket = bucket
        self.prefix = prefix.rstrip("/") + "/" if prefix else ""
        self._client = client
        self._page_size = page_size

    def list_files(self, start_after: str | None = None) -> Iterator[LandingFile]:
        paginator = self._client.get_paginator("list_objects_v2")
        options: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self.prefix}
        if start_after is not None:
            options["StartAfter"] = self.prefix + start_after
        pages = paginator.paginate(**options, PaginationConfig={"PageSize": self._page_size})
        for page in pages:
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

    def _get(self, uri: str) -> dict:
        bucket, _, key = uri.removeprefix("s3://").partition("/")
        try:
            return self._client.get_object(Bucket=bucket, Key=key)
        except self._client.exceptions.NoSuchKey as exc:
            raise FileNotFoundError(uri) from exc

    def read(self, uri: str) -> bytes:
        return self._get(uri)["Body"].read()

    def sha256(self, uri: str) -> tuple[str, int]:
        return _hash_stream(self._get(uri)["Body"].iter_chunks(HASH_BLOCK_BYTES))

    def uri_for(self, name: str) -> str:
        return f"s3://{self.bucket}/{self.prefix}{name}"
