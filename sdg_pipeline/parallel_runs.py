"""The CLI's Dagster runs, several at once: one per core, each in a worker process forked
before the run starts.

One run executes its steps one after another in one process (`execute_in_process`), and a
step's time is mostly CPU in Dagster, pandas, Parquet and Great Expectations, so on a machine
with two cores one of them idled. Forked workers start with everything the parent imported
(Dagster, GX, pandas: seconds of imports a spawned process would pay again) and open their own
instance from the parent's ref; they are forked before any progress thread exists, so no lock
is held across the fork.

Workers ignore SIGINT: the terminal sends it to the whole process group, and the parent
decides (`run_guard.deferred_stop`: the first signal lets the running batches finish, the
second ends everything). A run executes off the worker's main thread (`shielded`), where
Dagster leaves the signal handlers alone. A worker that dies (killed, out of memory) fails its
batch with a reason; the other workers go on.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from multiprocessing.connection import Connection, wait
from typing import Any

import dagster as dg

from sdg_pipeline.convert import isolation
from sdg_pipeline.run_guard import shielded
from sdg_pipeline.text import language

# The outcome of one batch: per document None (reached training_examples) or why not, and the
# documents whose reason is a failed blocking check.
Outcome = tuple[dict[str, str | None], set[str]]
RunBatch = Callable[[dg.DagsterInstance, list[str], str], Outcome]

MAX_DEFAULT_WORKERS = 4
# Below this many documents a batch's fixed cost (a run's start, one GX validation per step) is
# not worth a second worker: a small folder stays in one run.
MIN_DOCUMENTS_PER_WORKER = 10
_CONTEXT = multiprocessing.get_context("fork") if sys.platform == "linux" else None


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


def can_fork(instance: dg.DagsterInstance) -> bool:
    """Workers need fork (Linux) and an instance another process can open."""
    return _CONTEXT is not None and not instance.is_ephemeral


def batch_size_for(documents: int, batch_size: int, workers: int) -> int:
    """Documents per run: at most `batch_size`, fewer when that keeps `workers` busy."""
    if workers <= 1:
        return batch_size
    # as many workers as get MIN_DOCUMENTS_PER_WORKER each, then an even share for each
    busy = max(1, min(workers, documents // MIN_DOCUMENTS_PER_WORKER))
    return max(1, min(batch_size, -(-documents // busy)))


def _serve(conn: Connection, run_batch: RunBatch, ref: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _serve_runs(conn, run_batch, ref)
    finally:
        # atexit does not run in a forked process, and its exit waits for its children
        isolation.shutdown()


def _serve_runs(conn: Connection, run_batch: RunBatch, ref: Any) -> None:
    with dg.DagsterInstance.from_ref(ref) as instance:
        while True:
            try:
                message = conn.recv()
            except EOFError:  # the parent is gone
                return
            if message is None:
                return
            batch, run_id = message
            try:
                reply: tuple[str, Any] = (
                    "ok",
                    shielded(lambda batch=batch, run_id=run_id: run_batch(instance, batch, run_id)),
                )
            except BaseException as exc:  # reported for this batch; the worker goes on
                reply = ("error", f"{type(exc).__name__}: {exc}")
            conn.send(reply)


class _Worker:
    def __init__(self, run_batch: RunBatch, ref: Any) -> None:
        assert _CONTEXT is not None
        self.conn, child = _CONTEXT.Pipe()
        # not a daemon: a daemon may not start children, and conversion runs in one
        self.process = _CONTEXT.Process(
            target=_serve, args=(child, run_batch, ref), name="sdg-run-worker"
        )
        self.process.start()
        child.close()
        self.batch: list[str] | None = None


class InProcessRuns:
    """One run at a time in this process, off the main thread so signals reach the CLI."""

    def __init__(self, run_batch: RunBatch, instance: dg.DagsterInstance) -> None:
        self._run_batch = run_batch
        self._instance = instance
        self._thread: threading.Thread | None = None
        self._batch: list[str] | None = None
        self._outcome: Outcome | BaseException | None = None

    def idle(self) -> int:
        return 0 if self._thread is not None else 1

    def submit(self, batch: list[str], run_id: str) -> None:
        def target() -> None:
            try:
                self._outcome = self._run_batch(self._instance, batch, run_id)
            except BaseException as exc:
                self._outcome = exc

        self._batch = batch
        self._thread = threading.Thread(target=target, name="sdg-run", daemon=True)
        self._thread.start()

    def finished(self, timeout: float) -> list[tuple[list[str], Outcome]]:
        if self._thread is None:
            return []
        self._thread.join(timeout)  # bounded: signal handlers run between the waits
        if self._thread.is_alive():
            return []
        outcome, batch = self._outcome, self._batch
        self._thread = self._batch = self._outcome = None
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome is not None and batch is not None
        return [(batch, outcome)]

    def __enter__(self) -> InProcessRuns:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class ForkedRuns:
    """Up to `workers` runs at once, each in its own forked worker process."""

    def __init__(self, run_batch: RunBatch, instance: dg.DagsterInstance, workers: int) -> None:
        self._run_batch = run_batch
        self._ref = instance.get_ref()
        self.workers = workers
        self._pool: list[_Worker] = []

    def __enter__(self) -> ForkedRuns:
        language.load()  # once here, not once in every worker
        self._pool = [_Worker(self._run_batch, self._ref) for _ in range(self.workers)]
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self._pool:
            if worker.batch is None:
                with suppress(OSError):
                    worker.conn.send(None)
            else:  # interrupted: the next CLI run marks its run failed and runs it again
                worker.process.terminate()
        for worker in self._pool:
            worker.process.join(timeout=10)
            if worker.process.is_alive():
                worker.process.kill()
            worker.conn.close()

    def idle(self) -> int:
        return sum(1 for worker in self._pool if worker.batch is None)

    def submit(self, batch: list[str], run_id: str) -> None:
        worker = next(worker for worker in self._pool if worker.batch is None)
        worker.batch = batch
        worker.conn.send((batch, run_id))

    def finished(self, timeout: float) -> list[tuple[list[str], Outcome]]:
        busy = {worker.conn: worker for worker in self._pool if worker.batch is not None}
        sentinels = {worker.process.sentinel: worker for worker in busy.values()}
        done: list[tuple[list[str], Outcome]] = []
        for ready in wait([*busy, *sentinels], timeout):
            worker = busy.get(ready) or sentinels[ready]  # type: ignore[call-overload]
            if worker.batch is None:
                continue  # both its pipe and its sentinel were ready
            batch, worker.batch = worker.batch, None
            try:
                status, value = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join(timeout=5)
                reason = f"run worker died (exit code {worker.process.exitcode})"
                done.append((batch, (dict.fromkeys(batch, reason), set())))
                self._replace(worker)
                continue
            if status == "ok":
                done.append((batch, value))
            else:
                done.append((batch, (dict.fromkeys(batch, value), set())))
        return done

    def _replace(self, dead: _Worker) -> None:
        # Forked now, progress threads exist; the worker only runs Dagster, which opens its
        # own instance, so a lock one of them held is not one it takes.
        dead.conn.close()
        self._pool[self._pool.index(dead)] = _Worker(self._run_batch, self._ref)


def batch_runner(
    run_batch: RunBatch, instance: dg.DagsterInstance, workers: int
) -> InProcessRuns | ForkedRuns:
    if workers > 1 and can_fork(instance):
        return ForkedRuns(run_batch, instance, workers)
    return InProcessRuns(run_batch, instance)
