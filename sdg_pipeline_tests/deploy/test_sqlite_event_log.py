"""The embedded instance's event log (`sdg_pipeline/sqlite_event_log.py`): Dagster's SQLite
files, schema and queries, with the connections kept open."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import dagster as dg
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from sdg_pipeline.sqlite_event_log import MAX_OPEN_SHARDS, PooledSqliteEventLogStorage
from sdg_pipeline_tests.conftest import REPO


@dg.asset
def counted() -> int:
    return 1


@dg.op
def noop() -> None:
    return None


@dg.job
def tiny() -> None:
    noop()


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "project"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    return home


def test_the_repo_instance_writes_dagsters_own_event_log_where_dagster_would(
    tmp_path, monkeypatch
) -> None:
    home = _home(tmp_path)
    # another DAGSTER_HOME in the environment: the files follow the instance, not the variable
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "elsewhere"))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, PooledSqliteEventLogStorage)
        result = dg.materialize([counted], instance=instance)
        assert result.success
        # written while open: the index's WAL is still there (the stock class deletes it on
        # every close, after checkpointing it)
        assert (home / "history" / "runs" / "index.db-wal").exists()
    assert not (tmp_path / "elsewhere").exists()
    # Dagster's stock storage (what `dagster dev` without this setting would use) reads it all
    stock = SqliteEventLogStorage(str(home / "history" / "runs"))
    events = stock.get_logs_for_run(result.run_id)
    assert any(e.dagster_event and e.dagster_event.is_step_success for e in events)
    materialized = stock.get_latest_materialization_events([dg.AssetKey("counted")])
    assert materialized[dg.AssetKey("counted")].run_id == result.run_id
    stock.dispose()


def test_connections_stay_open_but_bounded(tmp_path) -> None:
    home = _home(tmp_path)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        runs = [
            tiny.execute_in_process(instance=instance).run_id for _ in range(MAX_OPEN_SHARDS + 3)
        ]
        engines = storage._engines  # the bound is the behaviour under test
        assert "index" in engines and len(engines) == MAX_OPEN_SHARDS + 1
        assert runs[-1] in engines and runs[0] not in engines  # the oldest shards were closed
        # a closed shard reopens on demand
        assert instance.get_records_for_run(runs[0]).records


def test_a_watcher_in_another_process_sees_a_running_runs_events(tmp_path) -> None:
    # The UI follows a live run through a file watch on `<run>.db`; with the connection kept
    # open the rows land in `<run>.db-wal`, so without the touch the watch stays silent.
    home = _home(tmp_path)
    with (
        dg.DagsterInstance.from_config(str(home)) as writer,
        dg.DagsterInstance.from_config(str(home)) as ui,
    ):
        run = writer.create_run_for_job(job_def=tiny)
        writer.report_engine_event("first", run)
        seen: list[str] = []
        arrived = threading.Event()

        def callback(entry, _cursor) -> None:
            seen.append(entry.message)
            if entry.message == "second":
                arrived.set()

        ui.watch_event_logs(run.run_id, None, callback)
        time.sleep(0.5)  # the watch is scheduled on its observer thread
        writer.report_engine_event("second", run)
        deadline = time.monotonic() + 10
        while not arrived.is_set() and time.monotonic() < deadline:
            time.sleep(0.1)
        ui.end_watch_event_logs(run.run_id, callback)
        assert arrived.is_set(), seen


def test_wipe_closes_the_files_it_deletes(tmp_path) -> None:
    home = _home(tmp_path)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        tiny.execute_in_process(instance=instance)
        instance.wipe()
        again = dg.materialize([counted], instance=instance).run_id
    with dg.DagsterInstance.from_config(str(home)) as reopened:
        latest = reopened.get_latest_materialization_event(dg.AssetKey("counted"))
        assert latest is not None and latest.run_id == again
        assert reopened.get_records_for_run(again).records


def test_a_home_the_cli_makes_beside_the_data_uses_it(tmp_path, monkeypatch) -> None:
    from sdg_pipeline.cli import _ensure_dagster_home

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.chdir(tmp_path)  # no dagster.yaml here
    assert _ensure_dagster_home(str(tmp_path / "data")) is None
    home = tmp_path / "data" / ".dagster_home"
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)


def test_a_table_found_once_is_not_looked_up_again_and_asset_tags_still_land(
    tmp_path, monkeypatch
) -> None:
    """Dagster asked `has_table` (a new engine and connection each time) before writing every
    asset event's tags: a table once found is remembered, and the tags are still written."""
    home = _home(tmp_path)
    lookups: list[str] = []
    real = SqliteEventLogStorage.has_table

    def counting(self, table_name: str) -> bool:
        lookups.append(table_name)
        return real(self, table_name)

    monkeypatch.setattr(SqliteEventLogStorage, "has_table", counting)
    partitions = dg.StaticPartitionsDefinition(["a", "b", "c"])

    @dg.asset(partitions_def=partitions, backfill_policy=dg.BackfillPolicy.single_run())
    def parted(context) -> dict[str, int]:
        return {key: 1 for key in context.partition_keys}

    class Memory(dg.IOManager):
        def handle_output(self, context, obj) -> None:
            return None

        def load_input(self, context):
            return None

    with dg.DagsterInstance.from_config(str(home)) as instance:
        result = dg.materialize(
            [parted],
            instance=instance,
            resources={"io_manager": Memory()},
            tags={
                "dagster/asset_partition_range_start": "a",
                "dagster/asset_partition_range_end": "c",
            },
        )
        assert result.success
        tagged = [name for name in lookups if name == "asset_event_tags"]
        assert len(tagged) == 1, lookups
        # the partition tags went into Dagster's tag table: partitioned queries still find them
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey("parted"), asset_partitions=["b"]),
            limit=5,
        ).records
        assert [r.partition_key for r in records] == ["b"]
