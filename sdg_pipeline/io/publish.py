"""Atomic publication, local or object store: one file at a time, or several together.

Everything is a UPath, so `out_root` and `examples_root` may be folders or s3:// URIs (any fsspec
protocol works the same way), and readers never see a half-written file:
- `atomic_write_bytes`: one file. Local files go through a temp file beside the target and an
  atomic rename; an object-store PUT becomes visible whole or not at all by itself.
- `StagedFiles`: several files written under temporary names first and only moved into place once
  all of them are complete. Local temp files sit next to the targets and are renamed with
  os.replace (atomic per file). Object stores have no rename: files go to
  `<out_root>/.staging-<token>/`, then each is copied server-side onto its final key, then the
  staging prefix is removed.
A failure before the commit leaves the previous files untouched; the commit itself only moves
finished files, data files first and the card last.
Temp names start with a dot: the landing zone and dataset readers skip them.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from pathlib import Path
from typing import IO

from upath import UPath

from sdg_pipeline.io.paths import as_upath, fs_path, is_local

Location = str | os.PathLike[str] | UPath


def _local_temp(final: Path, token: str) -> Path:
    # Same directory as the target: os.replace is only atomic within one file system.
    return final.with_name(f".{final.name}.tmp-{token}")


# A build that is still writing touches its temp files continuously; one untouched this long
# was left by a process that was killed mid-build.
STALE_TEMP_SECONDS = 600


def remove_stale_temps(folder: Path, older_than: float = STALE_TEMP_SECONDS) -> list[str]:
    """Delete `.<name>.tmp-<token>` files a killed build left behind; returns their names."""
    cutoff = time.time() - older_than
    removed = []
    for temp in folder.glob(".*.tmp-*"):
        try:
            if temp.is_file() and temp.stat().st_mtime < cutoff:
                temp.unlink()
                removed.append(temp.name)
        except FileNotFoundError:
            continue  # another build finished or cleaned it meanwhile
    return removed


def join_uri(root: str, name: str) -> str:
    return f"{root.rstrip('/')}/{name}"


def atomic_write_bytes(path: Location, data: bytes) -> None:
    """Write so that readers see the old file or the new one, never half of one."""
    target = as_upath(path)
    if not is_local(target):
        target.write_bytes(data)
        return
    local = Path(target.path)
    local.parent.mkdir(parents=True, exist_ok=True)
    tmp = _local_temp(local, uuid.uuid4().hex)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, local)
    finally:
        tmp.unlink(missing_ok=True)


def existing_partitions(root: UPath, keys: list[str]) -> set[str]:
    """Keys whose `<root>/<key>.parquet` exists, from one recursive listing (not a HEAD each)."""
    fs, root_path = root.fs, fs_path(root)
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

    def __init__(self, out_root: Location, storage_options: dict | None = None) -> None:
        self.root = as_upath(out_root, storage_options)
        self.fs = self.root.fs
        self.local = is_local(self.root)
        self.token = uuid.uuid4().hex[:12]
        self._staged: dict[str, UPath] = {}
        self._open: dict[str, IO[str]] = {}
        if self.local:
            Path(self.root.path).mkdir(parents=True, exist_ok=True)
            self.removed_stale = remove_stale_temps(Path(self.root.path))

    @property
    def _staging_dir(self) -> UPath:
        return self.root / f".staging-{self.token}"

    def _temp_path(self, name: str) -> UPath:
        if self.local:
            return UPath(_local_temp(Path(self.root.path, name), self.token))
        return self._staging_dir / name

    def open(self, name: str) -> IO[str]:
        path = self._temp_path(name)
        if self.local:
            # A real file object, so close() can fsync it before the rename.
            handle = open(path.path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        else:
            handle = self.fs.open(fs_path(path), "w", encoding="utf-8", newline="\n")
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
        return str(self._staged[name])

    def commit(self, order: list[str]) -> None:
        self.close_all()
        for name in order:
            temp, final = self._staged[name], self.root / name
            if self.local:
                os.replace(temp.path, final.path)
            else:
                self.fs.copy(fs_path(temp), fs_path(final))
        if self.local:
            dir_fd = os.open(self.root.path, os.O_RDONLY)
            try:
                os.fsync(dir_fd)  # make the renames themselves durable
            finally:
                os.close(dir_fd)
        else:
            self.fs.rm(fs_path(self._staging_dir), recursive=True)
        self._staged.clear()

    def abort(self) -> None:
        for handle in self._open.values():
            with contextlib.suppress(Exception):
                handle.close()
        self._open.clear()
        try:
            if self.local:
                for temp in self._staged.values():
                    Path(temp.path).unlink(missing_ok=True)
            elif self._staged:
                self.fs.rm(fs_path(self._staging_dir), recursive=True)
        finally:
            self._staged.clear()
