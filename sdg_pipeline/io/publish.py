"""Local or object-store paths, and all-or-nothing publication of the dataset files.

Everything goes through fsspec, so `out_root` and `examples_root` may be folders or s3:// URIs
(any fsspec protocol works the same way). Publication is staged: files are written under
temporary names first and only moved into place once all of them are complete.
- Local: temp files sit next to the targets and are renamed with os.replace (atomic per file).
- Object stores have no rename: files go to `<out_root>/.staging-<token>/`, then each is copied
  server-side onto its final key (a PUT/COPY becomes visible whole or not at all), then the
  staging prefix is removed.
A failure before the commit leaves the previous files untouched; the commit itself only moves
finished files, data files first and the card last, so readers never see a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from typing import IO

import fsspec
from fsspec.implementations.local import LocalFileSystem


def filesystem(
    uri: str, storage_options: dict | None = None
) -> tuple[fsspec.AbstractFileSystem, str]:
    fs, path = fsspec.core.url_to_fs(uri, **(storage_options or {}))
    return fs, path.rstrip("/") or path


def join_uri(root: str, name: str) -> str:
    return f"{root.rstrip('/')}/{name}"


def existing_partitions(fs: fsspec.AbstractFileSystem, root_path: str, keys: list[str]) -> set[str]:
    """Keys whose `<root>/<key>.parquet` exists, from one recursive listing (not a HEAD each)."""
    fs.invalidate_cache(root_path)  # listings cached by an earlier build would miss new files
    try:
        found = fs.find(root_path)
    except FileNotFoundError:
        return set()
    prefix = root_path.rstrip("/") + "/"
    present = {
        p[len(prefix) : -len(".parquet")]
        for p in found
        if p.startswith(prefix) and p.endswith(".parquet")
    }
    return {k for k in keys if k in present}


class StagedFiles:
    """Write several files under temporary names, then publish them together."""

    def __init__(self, out_root: str, storage_options: dict | None = None) -> None:
        self.fs, self.root = filesystem(out_root, storage_options)
        self.local = isinstance(self.fs, LocalFileSystem)
        self.token = uuid.uuid4().hex[:12]
        self._staged: dict[str, str] = {}
        self._open: dict[str, IO[str]] = {}
        if self.local:
            os.makedirs(self.root, exist_ok=True)

    def _temp_path(self, name: str) -> str:
        if self.local:
            return os.path.join(self.root, f".{name}.tmp-{self.token}")
        return f"{self.root}/.staging-{self.token}/{name}"

    def open(self, name: str) -> IO[str]:
        path = self._temp_path(name)
        if self.local:
            handle = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        else:
            handle = self.fs.open(path, "w", encoding="utf-8", newline="\n")
        self._staged[name] = path
        self._open[name] = handle
        return handle

    def write_text(self, name: str, text: str) -> None:
        handle = self.open(name)
        handle.write(text)
        self.close(name)

    def close(self, name: str) -> None:
        handle = self._open.pop(name)
        if self.local:
            handle.flush()
            os.fsync(handle.fileno())
        handle.close()

    def close_all(self) -> None:
        for name in list(self._open):
            self.close(name)

    def staged_uri(self, name: str) -> str:
        """Where a staged file can be read (before commit), with its protocol."""
        path = self._staged[name]
        return path if self.local else self.fs.unstrip_protocol(path)

    def commit(self, order: list[str]) -> None:
        self.close_all()
        for name in order:
            temp, final = self._staged[name], f"{self.root}/{name}"
            if self.local:
                os.replace(temp, final)
            else:
                self.fs.copy(temp, final)
        if self.local:
            dir_fd = os.open(self.root, os.O_RDONLY)
            try:
                os.fsync(dir_fd)  # make the renames themselves durable
            finally:
                os.close(dir_fd)
        else:
            self.fs.rm(f"{self.root}/.staging-{self.token}", recursive=True)
        self._staged.clear()

    def abort(self) -> None:
        for handle in self._open.values():
            with contextlib.suppress(Exception):
                handle.close()
        self._open.clear()
        try:
            if self.local:
                for temp in self._staged.values():
                    if os.path.exists(temp):
                        os.remove(temp)
            elif self._staged:
                self.fs.rm(f"{self.root}/.staging-{self.token}", recursive=True)
        finally:
            self._staged.clear()
