"""Listing and reading the landing zone: a local folder or an S3 bucket/prefix."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class LandingFile:
    uri: str  # absolute path or s3://bucket/key
    name: str  # path relative to the landing root, "/"-separated
    size: int
    modified: float  # epoch seconds


class Landing(Protocol):
    root: str

    def list_files(self) -> Iterator[LandingFile]: ...

    def read(self, uri: str) -> bytes: ...


class LocalLanding:
    def __init__(self, root: str):
        self.root = str(Path(root).expanduser().resolve())

    def list_files(self) -> Iterator[LandingFile]:
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

    def read(self, uri: str) -> bytes:
        return Path(uri).read_bytes()


class S3Landing:
    """A bucket/prefix read through a boto3 client (from dagster-aws's S3Resource)."""

    def __init__(self, root: str, client: Any, page_size: int = 1000):
        bucket, _, prefix = root.removeprefix("s3://").partition("/")
        self.root = root
        self.bucket = bucket
        self.prefix = prefix.rstrip("/") + "/" if prefix else ""
        self._client = client
        self._page_size = page_size

    def list_files(self) -> Iterator[LandingFile]:
        paginator = self._client.get_paginator("list_objects_v2")
        pages = paginator.paginate(
            Bucket=self.bucket,
            Prefix=self.prefix,
            PaginationConfig={"PageSize": self._page_size},
        )
        for page in pages:
            for obj in page.get("Contents", []):
                key = obj["Key"]
                name = key[len(self.prefix) :]
                if not name or name.endswith("/") or name.rsplit("/", 1)[-1].startswith("."):
                    continue
                yield LandingFile(
                    f"s3://{self.bucket}/{key}", name, obj["Size"], obj["LastModified"].timestamp()
                )

    def read(self, uri: str) -> bytes:
        bucket, _, key = uri.removeprefix("s3://").partition("/")
        return self._client.get_object(Bucket=bucket, Key=key)["Body"].read()
