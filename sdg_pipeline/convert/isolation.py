"""Conversion under a time and memory budget, in one warm worker process reused per document.

A hostile document (say, a 20 MB HTML of nested <div>s) must cost its own budget, not the
whole run: the worker converts one document at a time; the caller waits at most
`timeout_seconds`, then kills it (the next document gets a fresh worker), and the worker's
address space is capped at `max_memory_mb` with RLIMIT_AS while it converts. Either way the
document gets a result (`too_slow`, `too_large`) with a one-line reason, never an exception.

The worker is started with the 'spawn' context: docling and docling-parse run threads, and a
forked copy of a threaded parent can deadlock. It imports docling once and stays alive for the
next document, so only the first document (and the first after a kill) pays the start-up.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import logging
import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.connection import Connection

from sdg_pipeline.convert import media
from sdg_pipeline.convert.results import ConversionOptions, ConversionResult, ConversionStatus

log = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("spawn")
# Importing docling takes seconds on a busy machine; that is not the document's time.
STARTUP_TIMEOUT_SECONDS = 300.0
# A worker stuck this close to its address-space cap failed to allocate (C++ code often
# retries or waits instead of raising), so it is reported as over the memory budget.
_NEAR_LIMIT = 0.9
_MB = 1024 * 1024


class WorkerStartFailed(RuntimeError):
    pass


# --- the worker process ---------------------------------------------------------------


def _warm_up() -> None:
    """Import and build what every conversion needs, before the first document's clock runs."""
    from sdg_pipeline.convert import converter, office, pdf

    converter.convert_document(b"# warm\n\nup\n", "warm-up.md")
    pdf._native_pipeline()
    office._backend(media.HTML)
    office._backend(media.DOCX)


def _set_memory_limit(limit_mb: int | None) -> None:
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    # Only the soft limit moves, so the worker can lift it again after the document.
    soft = limit_mb * _MB if limit_mb else hard
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _serve(conn: Connection) -> None:
    from sdg_pipeline.convert.converter import convert_document

    # Ctrl-C reaches the whole process group; the parent decides, and its exit ends this loop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm_up()
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return  # the parent went away
        data, file_name, options = request
        _set_memory_limit(options.max_memory_mb)
        try:
            result: ConversionResult | None = convert_document(data, file_name, options)
        except MemoryError:
            result = None  # outside convert_document's own handling; reported by the parent
        except BaseException as exc:  # never a traceback for one document
            result = ConversionResult(
                markdown="",
                page_starts=[0],
                page_count=0,
                status=ConversionStatus.CORRUPT,
                error=f"{file_name}: converter failed: {type(exc).__name__}: {exc}".splitlines()[0],
                mode=_planned_mode(data, file_name, options),
                converter="docling",
                converter_version="unknown",
                seconds=0.0,
            )
        finally:
            _set_memory_limit(None)
        if result is not None and _failed_to_allocate(result, options):
            result = dataclasses.replace(
                result,
                status=ConversionStatus.TOO_LARGE,
                error=_memory_error(file_name, options),
                markdown="",
            )
        conn.send(result)
        if result is None or (
            result.status is ConversionStatus.TOO_LARGE and options.max_memory_mb
        ):
            # Allocations failed somewhere inside docling; its state is not to be trusted.
            return


# How allocation failures surface from C/C++ code (threads, std::bad_alloc) instead of a
# MemoryError.
_ALLOCATION_FAILURES = (
    "bad_alloc",
    "Cannot allocate memory",
    "Resource temporarily unavailable",
    "can't start new thread",
    "MemoryError",
)


def _failed_to_allocate(result: ConversionResult, options: ConversionOptions) -> bool:
    if not options.max_memory_mb or result.status is not ConversionStatus.CORRUPT:
        return False
    if any(sign in (result.error or "") for sign in _ALLOCATION_FAILURES):
        return True
    size = _address_space_mb(os.getpid())
    return size is not None and size >= _NEAR_LIMIT * options.max_memory_mb


# --- the calling side -----------------------------------------------------------------


def _planned_mode(data: bytes, file_name: str, options: ConversionOptions) -> str:
    if media.detect_media_type(file_name, data) != media.PDF:
        return "simple"
    return "native" if options.mode == "native" else "layout"


def _address_space_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class _Worker:
    def __init__(self) -> None:
        self.conn, child_conn = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(
            target=_serve, args=(child_conn,), name="sdg-convert-worker", daemon=False
        )
        self.process.start()
        child_conn.close()
        try:
            ready = self.conn.poll(STARTUP_TIMEOUT_SECONDS) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            code = self.process.exitcode
            self.stop()
            raise WorkerStartFailed(f"the conversion worker did not start (exit code {code})")

    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)
        self.conn.close()


_LOCK = threading.Lock()
_WORKER: _Worker | None = None


def _worker() -> _Worker:
    global _WORKER
    if _WORKER is None or not _WORKER.alive():
        if _WORKER is not None:
            _WORKER.stop()
        _WORKER = _Worker()
    return _WORKER


def _discard_worker() -> None:
    global _WORKER
    if _WORKER is not None:
        _WORKER.stop()
        _WORKER = None


def prestart() -> threading.Thread:
    """Start the worker in the background, so its start-up (a new interpreter importing
    docling, ~1.5 s, on the other core) overlaps the steps before conversion instead of
    opening the conversion step. A start that fails is left to the first conversion to
    report."""

    def start() -> None:
        with _LOCK, contextlib.suppress(WorkerStartFailed):
            _worker()

    thread = threading.Thread(target=start, name="convert-worker-prestart", daemon=True)
    thread.start()
    return thread


def shutdown() -> None:
    """Stop the worker (it is restarted on the next document)."""
    with _LOCK:
        _discard_worker()


atexit.register(shutdown)


def _forget_inherited_worker() -> None:
    # A forked process (the CLI's run workers) inherits the parent's handle on its worker, a
    # process that is not its own child: it starts its own, and must not stop the parent's.
    global _WORKER, _LOCK
    _WORKER = None
    _LOCK = threading.Lock()


os.register_at_fork(after_in_child=_forget_inherited_worker)


def convert_isolated(data: bytes, file_name: str, options: ConversionOptions) -> ConversionResult:
    """`convert_document` in the worker process, under `options`' time and memory budget."""
    options = dataclasses.replace(options, isolate=False)
    with _LOCK:
        # A worker that cannot start is this machine's problem, not the document's: raised.
        worker = _worker()
        if options.max_memory_mb:
            # The cap only stops growth: a worker already at it (a budget below docling's own
            # size, or memory kept from earlier documents) gets one restart, then the document
            # is refused rather than converted over budget.
            size = _address_space_mb(worker.process.pid) or 0.0
            if _near_limit(options, size):
                _discard_worker()
                worker = _worker()
                size = _address_space_mb(worker.process.pid) or 0.0
                if _near_limit(options, size):
                    error = (
                        f"{file_name}: not converted: the conversion worker alone takes "
                        f"{size:.0f} MB of the memory limit of {options.max_memory_mb} MB "
                        "(limit SDG_CONVERT_MAX_MEMORY_MB / max_memory_mb)"
                    )
                    return _failed(data, file_name, options, ConversionStatus.TOO_LARGE, error, 0.0)
        started = time.perf_counter()
        try:
            worker.conn.send((data, file_name, options))
        except OSError:  # it died between documents
            return _died(worker, data, file_name, options, 0.0, 0.0)
        # Sampled while waiting: a worker that dies near its cap died of the cap.
        peak = _address_space_mb(worker.process.pid) or 0.0
        deadline = started + options.timeout_seconds if options.timeout_seconds else None
        while True:
            wait = 0.5 if deadline is None else max(0.0, min(0.5, deadline - time.perf_counter()))
            try:
                if worker.conn.poll(wait):
                    result = worker.conn.recv()
                    break
            except (EOFError, OSError):
                return _died(worker, data, file_name, options, time.perf_counter() - started, peak)
            peak = max(peak, _address_space_mb(worker.process.pid) or 0.0)
            if not worker.alive() and not worker.conn.poll(0):
                return _died(worker, data, file_name, options, time.perf_counter() - started, peak)
            if deadline is not None and time.perf_counter() >= deadline:
                return _over_time(
                    worker, data, file_name, options, time.perf_counter() - started, peak
                )
        if result is None:  # a MemoryError the worker could not put into a result
            _discard_worker()
            return _failed(
                data,
                file_name,
                options,
                ConversionStatus.TOO_LARGE,
                _memory_error(file_name, options),
                time.perf_counter() - started,
            )
        if not worker.alive():
            _discard_worker()
        return result


def _memory_error(file_name: str, options: ConversionOptions) -> str:
    from sdg_pipeline.convert.converter import _memory_message

    return _memory_message(file_name, options)


def _near_limit(options: ConversionOptions, size_mb: float) -> bool:
    return bool(options.max_memory_mb) and size_mb >= _NEAR_LIMIT * options.max_memory_mb


def _over_time(
    worker: _Worker,
    data: bytes,
    file_name: str,
    options: ConversionOptions,
    seconds: float,
    peak_mb: float,
) -> ConversionResult:
    peak_mb = max(peak_mb, _address_space_mb(worker.process.pid) or 0.0)
    _discard_worker()
    if _near_limit(options, peak_mb):
        status, error = ConversionStatus.TOO_LARGE, _memory_error(file_name, options)
    else:
        status = ConversionStatus.TOO_SLOW
        error = (
            f"{file_name}: conversion stopped after {options.timeout_seconds:g} s "
            "(limit SDG_CONVERT_TIMEOUT_SECONDS / timeout_seconds)"
        )
    log.warning("%s", error)
    return _failed(data, file_name, options, status, error, seconds)


def _died(
    worker: _Worker,
    data: bytes,
    file_name: str,
    options: ConversionOptions,
    seconds: float,
    peak_mb: float,
) -> ConversionResult:
    worker.process.join(5)
    code = worker.process.exitcode
    _discard_worker()
    if code is not None and code < 0:
        how = f"signal {signal.Signals(-code).name}"
    else:
        how = f"exit code {code}"
    if _near_limit(options, peak_mb):
        # glibc and C++ code abort rather than raise when an allocation fails at the cap.
        status, error = ConversionStatus.TOO_LARGE, _memory_error(file_name, options)
    elif code == -signal.SIGKILL:
        # Not our kill (that is the timeout path): the kernel's OOM killer, most likely.
        status = ConversionStatus.TOO_LARGE
        error = f"{file_name}: the conversion worker was killed ({how}), probably out of memory"
    else:
        status = ConversionStatus.CORRUPT
        error = f"{file_name}: the conversion worker crashed on this document ({how})"
    log.warning("%s", error)
    return _failed(data, file_name, options, status, error, seconds)


def _failed(
    data: bytes,
    file_name: str,
    options: ConversionOptions,
    status: ConversionStatus,
    error: str,
    seconds: float,
) -> ConversionResult:
    from sdg_pipeline.convert.converter import _docling_version

    return ConversionResult(
        markdown="",
        page_starts=[0],
        page_count=0,
        status=status,
        error=error,
        mode=_planned_mode(data, file_name, options),
        converter="docling",
        converter_version=_docling_version(),
        seconds=seconds,
    )


def worker_pid() -> int | None:
    """The worker's process id, or None when none is running (for tests and diagnostics)."""
    with _LOCK:
        return _WORKER.process.pid if _WORKER is not None and _WORKER.alive() else None


__all__ = [
    "STARTUP_TIMEOUT_SECONDS",
    "WorkerStartFailed",
    "convert_isolated",
    "prestart",
    "shutdown",
    "worker_pid",
]
