"""Per-suite cost of the expectation checks, on frames of 10 and 1,000 rows.

Prints, per asset: the number of expectations, the median wall time of check_asset (derive +
GX validation + building the AssetCheckResult) over a few runs, and the one-off cost of
importing GX and creating the ephemeral context. Run: python benchmarks/checks_overhead.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

started = time.perf_counter()
from sdg_pipeline.defs.checks import check_asset  # noqa: E402
from sdg_pipeline.expectations.suites import jsonl_frame, suite_for  # noqa: E402
from sdg_pipeline.expectations.thresholds import CheckThresholds  # noqa: E402

import_seconds = time.perf_counter() - started

import pandas as pd  # noqa: E402

from sdg_pipeline_tests.expectations import frames  # noqa: E402

RUNS = 5
THRESHOLDS = CheckThresholds(all_pass_warning_min_rows=20)


def _repeat(frame: pd.DataFrame, n: int, key_columns: list[str]) -> pd.DataFrame:
    """`frame`'s rows cycled to n rows, with the id columns made unique again."""
    out = pd.concat([frame] * (n // len(frame) + 1), ignore_index=True).iloc[:n].copy()
    for column in key_columns:
        out[column] = [f"{v}-{i}" for i, v in enumerate(out[column])]
    return out


def frames_of(n: int) -> dict[str, tuple[pd.DataFrame, str | None]]:
    qa = _repeat(frames.qa_pairs(12), n, ["pair_id"])
    qa["question"] = [f"Question number {i} about the pumps?" for i in range(n)]
    judged = _repeat(frames.judged_pairs(12), n, ["pair_id"])
    judged["question"] = qa["question"]
    examples = _repeat(frames.training_examples(12), n, ["example_id"])
    examples["messages"] = [frames.messages(f"Question {i}?", f"Answer {i}.") for i in range(n)]
    chunks = _repeat(frames.chunks(12), n, ["chunk_id"])
    chunks["chunk_index"] = range(n)
    raw = pd.concat(
        [frames.raw_documents(f"%PDF-1.7 body of document {i}".encode()) for i in range(n)],
        ignore_index=True,
    )
    raw["document_key"] = [f"doc-{i}" for i in range(n)]
    markdown = _repeat(frames.markdown_documents(), n, ["document_key"])
    half = n // 2
    dataset = jsonl_frame(examples.iloc[:half], examples.iloc[half:])
    dataset["document_key"] = [f"doc-{i}" for i in range(n)]
    return {
        "raw_documents": (raw, None),
        "markdown_documents": (markdown, None),
        "chunks": (chunks, frames.DOC),
        "qa_pairs": (qa, frames.DOC),
        "judged_pairs": (judged, frames.DOC),
        "training_examples": (examples, frames.DOC),
        "training_jsonl": (dataset, None),
    }


def main() -> None:
    first = time.perf_counter()
    check_asset("chunks", frames.chunks(), THRESHOLDS)  # builds the context once
    print(
        f"import GX + suites: {import_seconds:.2f}s; first check (context): "
        f"{time.perf_counter() - first:.2f}s"
    )
    print(f"{'asset':20} {'exp':>4} {'10 rows ms':>11} {'1000 rows ms':>13}  passed@1000")
    for asset in frames_of(10):
        timings = {}
        passed = None
        for n in (10, 1000):
            frame, key = frames_of(n)[asset]
            seconds = []
            for _ in range(RUNS):
                t0 = time.perf_counter()
                result = check_asset(asset, frame, THRESHOLDS, partition_key=key)
                seconds.append(time.perf_counter() - t0)
            timings[n] = statistics.median(seconds) * 1000
            passed = result.passed
        count = len(suite_for(asset, THRESHOLDS).checks)
        print(f"{asset:20} {count:4d} {timings[10]:11.0f} {timings[1000]:13.0f}  {passed}")


if __name__ == "__main__":
    main()
