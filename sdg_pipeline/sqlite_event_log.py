"""Dagster's SQLite event log with its connections kept open (the embedded instance's storage).

Dagster's `SqliteEventLogStorage` builds a new SQLAlchemy engine for every event it writes and
disposes of it afterwards. In WAL mode closing the last connection to a database checkpoints
the log into it and deletes the `-wal` file, so each event paid an engine, a connection, a
commit with fsync and a checkpoint with another fsync: over half the CPU of a 100-document
offline run (`benchmarks/corpus_scale.py --offline`; `docs/throughput.md`). Keeping one
connection per database open makes a write one INSERT and a commit; `synchronous=NORMAL` is
SQLite's recommended setting for WAL (a commit is durable against a crash of the process; power
loss may lose the last commits, never corrupt the file). Everything else, schema, queries,
sharding, what the UI reads, is Dagster's own.

Configured in `dagster.yaml`:

    event_log_storage:
      module: sdg_pipeline.sqlite_event_log
      class: PooledSqliteEventLogStorage

Without `base_dir` the log goes where Dagster's default puts it, `history/runs/` under the
instance's root directory (its DAGSTER_HOME, or `dagster dev`'s temporary home): known only
when the instance registers itself, so opening the files waits until then.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any

import sqlalchemy as sa
from dagster import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
)
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy.pool import StaticPool

# Run shards open at once besides the index: a run writes to its own shard, a long-lived
# process (the webserver, the daemon) reads many; older ones are closed.
MAX_OPEN_SHARDS = 8


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` that keeps one open connection per database file."""

    def __init__(
        self, base_dir: str | None = None, inst_data: ConfigurableClassData | None = None
    ) -> None:
        self._engines: OrderedDict[str, sa.engine.Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        self._tables: set[str] = set()
        self._inst_data = inst_data
        self._instance_weakref = None
        self._opened = base_dir is not None
        if base_dir is not None:
            super().__init__(base_dir, inst_data=inst_data)

    def register_instance(self, instance: Any) -> None:
        if not self._opened:
            root = instance.root_directory
            super().__init__(os.path.join(root, "history", "runs", ""), inst_data=self._inst_data)
            self._opened = True
        super().register_instance(instance)

    @classmethod
    def config_type(cls) -> Mapping[str, Any]:
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> sa.engine.Engine:
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is not None:
                self._engines.move_to_end(shard)
                return engine
            engine = create_engine(
                self.conn_string_for_shard(shard),
                # one connection, shared by the threads of this process one at a time
                # (`_db_lock` below serialises them, as Dagster's own storage does)
                poolclass=StaticPool,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            sa.event.listen(engine, "connect", _on_connect)
            self._engines[shard] = engine
            runs = [name for name in self._engines if name != INDEX_SHARD_NAME]
            for stale in runs[: max(0, len(runs) - MAX_OPEN_SHARDS)]:
                self._engines.pop(stale).dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sa.engine.Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                changes = raw.total_changes
                with conn.begin():
                    yield conn
                if shard != INDEX_SHARD_NAME and raw.total_changes != changes:
                    self._touch(shard)

    def has_table(self, table_name: str) -> bool:
        # Dagster asks before writing the tags of every asset event, each time through a new
        # engine and connection to the index (~5 ms an event). A table once there stays there
        # until a wipe, so a yes is remembered; a no is asked again (a migration may add it).
        if table_name in self._tables:
            return True
        present = super().has_table(table_name)
        if present:
            self._tables.add(table_name)
        return present

    def _touch(self, shard: str) -> None:
        # With the connection open, a write lands in `<run>.db-wal` and `<run>.db` itself stays
        # untouched until a checkpoint; the UI's live run view (Dagster's watchdog on
        # `<run>.db`, `SqliteEventLogStorageWatchdog`) would then show nothing new while the run
        # is going. Touching the file is the modification it waits for, without the fsync.
        with suppress(FileNotFoundError):
            os.utime(self.path_for_shard(shard))

    def _close_all(self) -> None:
        with self._engines_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        # the shard files are deleted: an open connection would keep writing to a ghost
        self._close_all()
        self._tables.clear()
        super().wipe()

    def dispose(self) -> None:
        super().dispose()
        self._close_all()
