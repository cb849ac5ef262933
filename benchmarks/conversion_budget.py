"""Per-document cost of converting in the budgeted worker process instead of in-process.

Prints, per document in samples/documents: the median wall time in-process and through the
warm worker (isolate=True) over a few runs, and the difference (pickling the bytes and the
result through a pipe, plus the budget bookkeeping). Also the one-off cost of starting the
worker (spawn + importing docling), paid by the first document and after every kill.
Run: python benchmarks/conversion_budget.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sdg_pipeline.convert import ConversionOptions, convert_document, isolation

RUNS = 5
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "documents"
IN_PROCESS = ConversionOptions()
ISOLATED = ConversionOptions(isolate=True, timeout_seconds=120, max_memory_mb=2048)


def _median_seconds(data: bytes, name: str, options: ConversionOptions) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = convert_document(data, name, options)
        times.append(time.perf_counter() - started)
        assert result.ok, result.error
    return statistics.median(times)


def main() -> None:
    documents = {p.name: p.read_bytes() for p in sorted(SAMPLES.iterdir()) if p.is_file()}
    first_name, first_data = next(iter(documents.items()))

    started = time.perf_counter()
    convert_document(first_data, first_name, ISOLATED)
    cold_isolated = time.perf_counter() - started
    started = time.perf_counter()
    convert_document(first_data, first_name, IN_PROCESS)
    cold_in_process = time.perf_counter() - started
    print(
        f"first document ({first_name}): isolated {cold_isolated:.2f} s (worker start-up "
        f"included), in-process {cold_in_process:.2f} s (docling imports included)"
    )

    print(f"{'document':32} {'in-process':>11} {'isolated':>10} {'overhead':>10}")
    overheads = []
    for name, data in documents.items():
        local = _median_seconds(data, name, IN_PROCESS)
        isolated = _median_seconds(data, name, ISOLATED)
        overheads.append(isolated - local)
        print(
            f"{name:32} {local * 1000:9.1f}ms {isolated * 1000:8.1f}ms "
            f"{(isolated - local) * 1000:8.1f}ms"
        )
    median_ms = statistics.median(overheads) * 1000
    print(f"median per-document overhead of the warm worker: {median_ms:.1f} ms")

    isolation.shutdown()
    started = time.perf_counter()
    convert_document(b"# restart\n", "restart.md", ISOLATED)
    print(f"worker respawn (after a kill) + a tiny document: {time.perf_counter() - started:.2f} s")
    isolation.shutdown()


# The worker is started with 'spawn', which re-imports this module: the guard keeps the
# benchmark from running again inside it.
if __name__ == "__main__":
    main()
