"""Paths under the data root, local or S3, and atomic writes.

Everything the pipeline keeps (asset Parquet, the document registry, the LLM response cache, the
dataset) lives under one root so that pointing `SDG_DATA_ROOT` at `s3://bucket/prefix` moves it all.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from upath import UPath

DEFAULT_DATA_ROOT = "data"


def default_data_root() -> str:
    return os.environ.get("SDG_DATA_ROOT") or str(Path(DEFAULT_DATA_ROOT).resolve())


def s3_storage_options(endpoint_url: str | None) -> dict:
    endpoint = (
        endpoint_url or os.environ.get("SDG_S3_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT_URL")
    )
    return {"client_kwargs": {"endpoint_url": endpoint}} if endpoint else {}


def to_upath(uri: str, endpoint_url: str | None = None) -> UPath:
    if uri.startswith("s3://"):
        return UPath(uri, **s3_storage_options(endpoint_url))
    return UPath(Path(uri).expanduser().resolve())


def is_local(path: UPath) -> bool:
    return path.protocol in ("", "file", "local")


def atomic_write_bytes(path: UPath, data: bytes) -> None:
    """Write so that readers see the old file or the new one, never half of one.

    Local files go through a temp file and an atomic rename; an S3 PUT is atomic by itself.
    """
    if not is_local(path):
        path.write_bytes(data)
        return
    local = Path(path.path)
    local.parent.mkdir(parents=True, exist_ok=True)
    tmp = local.with_name(f".{local.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, local)
    finally:
        tmp.unlink(missing_ok=True)
