"""Paths under the data root, local or S3, as UPath.

Everything the pipeline keeps (asset Parquet, the document registry, the LLM response cache, the
dataset) lives under one root so that pointing `SDG_DATA_ROOT` at `s3://bucket/prefix` moves it all.
A UPath carries its filesystem's options (e.g. a custom S3 endpoint), and its `.fs` serves fsspec
and pyarrow, so no caller builds a filesystem of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

from upath import UPath

DEFAULT_DATA_ROOT = "data"


def default_data_root() -> str:
    return os.environ.get("SDG_DATA_ROOT") or str(Path(DEFAULT_DATA_ROOT).resolve())


def s3_storage_options(endpoint_url: str | None, region: str | None = None) -> dict:
    endpoint = (
        endpoint_url or os.environ.get("SDG_S3_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT_URL")
    )
    client_kwargs = {
        name: value
        for name, value in (("endpoint_url", endpoint), ("region_name", region))
        if value
    }
    return {"client_kwargs": client_kwargs} if client_kwargs else {}


def to_upath(uri: str, endpoint_url: str | None = None, region: str | None = None) -> UPath:
    if uri.startswith("s3://"):
        return UPath(uri, **s3_storage_options(endpoint_url, region))
    return UPath(Path(uri).expanduser().resolve())


def as_upath(
    location: str | os.PathLike[str] | UPath, storage_options: dict | None = None
) -> UPath:
    """A UPath for what callers of the plain-Python core pass: a UPath, a folder, or a URI.

    A UPath is taken as is (it already carries its options); URIs get `storage_options`; local
    folders stay as written (relative stays relative) so URIs derived from them do not change.
    """
    if isinstance(location, UPath):
        return location
    if "://" in str(location):
        return UPath(location, **(storage_options or {}))
    return UPath(location)


def is_local(path: UPath) -> bool:
    return path.protocol in ("", "file", "local")


def fs_path(path: UPath) -> str:
    """The path `path.fs` calls take; local ones absolute, as fsspec's own listings return them."""
    return os.path.abspath(path.path) if is_local(path) else path.path.rstrip("/")
