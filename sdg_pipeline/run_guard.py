"""What keeps a terminal run safe beside other runs and signals.

- One `sdg-pipeline run` at a time per DAGSTER_HOME: a second one waits for the lock, then finds
  the documents the first one finished up to date. Two processes initialising a new home at once
  corrupt its SQLite schema (two alembic heads); under the lock only one ever does.
- Ctrl-C or SIGTERM lets the current document finish, then stops: nothing is half-written and
  the rest is not started. A second Ctrl-C interrupts at once. Dagster's in-process execution
  would take the signal itself and fail the step it interrupts, so runs go through `shielded`.
- A CLI run killed with -9 stays STARTED in the instance forever; the next CLI run on that home
  (which holds the lock, so no CLI run can be live) marks such runs failed.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import dagster as dg

LOCK_FILE = ".sdg-pipeline.lock"
CLI_TAG = "sdg/cli_pid"


@contextmanager
def exclusive_home(home: Path) -> Iterator[None]:
    """Hold the home's lock for the whole run (instance initialisation included)."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"waiting: another sdg-pipeline run is using DAGSTER_HOME {home}",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class StopRequest:
    """Set by the first SIGINT/SIGTERM; the run loop checks it between documents."""

    def __init__(self) -> None:
        self.signal: str | None = None

    def __bool__(self) -> bool:
        return self.signal is not None


@contextmanager
def deferred_stop() -> Iterator[StopRequest]:
    stop = StopRequest()

    def handle(signum: int, _frame: object) -> None:
        if stop:  # the second signal: stop now
            raise KeyboardInterrupt
        stop.signal = signal.Signals(signum).name
        print(
            f"\n{stop.signal}: finishing the current document, then stopping "
            "(again to interrupt now)",
            file=sys.stderr,
            flush=True,
        )

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


T = TypeVar("T")


def shielded(call: Callable[[], T]) -> T:
    """`call()` where a signal cannot interrupt it: in a thread, the main thread waiting on it.

    While it executes, Dagster replaces the main thread's SIGINT and SIGTERM handlers with its
    own (`dagster._utils.interrupts`), which interrupt the running step: the document in progress
    would fail and `deferred_stop` would never hear of the signal, so the CLI went on with the
    next document. Off the main thread Dagster leaves the handlers alone: the first signal only
    asks to stop, and the document finishes. The thread is a daemon, so the second signal's
    KeyboardInterrupt ends the process at once (the next CLI run marks that run failed).
    """
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="sdg-run", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.2)  # a bounded wait: signal handlers run between the waits
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def cli_tags() -> dict[str, str]:
    return {CLI_TAG: str(os.getpid())}


def fail_orphaned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark runs a killed CLI left STARTED/STARTING as failed; returns their ids.

    Call only while holding `exclusive_home`: then no CLI run on this home is alive.
    """
    records = instance.get_run_records(
        dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING])
    )
    orphans = []
    for record in records:
        run = record.dagster_run
        pid = run.tags.get(CLI_TAG)
        if pid is None or pid == str(os.getpid()):
            continue
        instance.report_run_failed(
            run, message=f"the sdg-pipeline process {pid} that ran it was killed"
        )
        orphans.append(run.run_id)
    return orphans
