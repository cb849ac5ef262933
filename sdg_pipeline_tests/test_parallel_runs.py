"""The CLI's runs execute at once in forked workers: same outputs, one shared LLM budget, a dead
worker fails only its own batch."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

from sdg_pipeline.cli import contiguous_batches, main
from sdg_pipeline.parallel_runs import ForkedRuns, batch_size_for, can_fork
from sdg_pipeline.run_guard import CLI_TAG
from sdg_pipeline_tests.conftest import copy_samples
from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer

pytestmark = pytest.mark.skipif(
    multiprocessing.get_all_start_methods()[0] != "fork", reason="workers are forked (Linux)"
)


def _drain(runs: ForkedRuns, expected: int) -> dict[str, str | None]:
    outcomes: dict[str, str | None] = {}
    for _ in range(600):
        for _batch, (per_document, _refused) in runs.finished(0.1):
            outcomes |= per_document
        if len(outcomes) >= expected:
            break
    return outcomes


def test_batches_run_at_once_each_in_its_own_worker(tmp_path: Path) -> None:
    # Neither batch can finish before the other has started: the barrier needs both.
    barrier = multiprocessing.get_context("fork").Barrier(2)

    def run_batch(instance, batch, run_id):
        barrier.wait(timeout=30)
        return {key: f"pid {os.getpid()}" for key in batch}, set()

    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        assert can_fork(instance)
        with ForkedRuns(run_batch, instance, workers=2) as runs:
            runs.submit(["a", "b"], "run-1")
            runs.submit(["c"], "run-2")
            outcomes = _drain(runs, 3)
    assert outcomes["a"] == outcomes["b"]
    pids = {outcomes["a"], outcomes["c"]}
    assert len(pids) == 2 and f"pid {os.getpid()}" not in pids


def test_workers_share_the_language_model_loaded_before_the_fork(tmp_path, monkeypatch) -> None:
    # Each worker decompressing its own copy cost ~0.7 s of CPU apiece.
    from sdg_pipeline.text import language

    monkeypatch.setattr(language, "_loaded", [])

    def run_batch(instance, batch, run_id):
        return {key: "loaded" if language._loaded else "not loaded" for key in batch}, set()

    with (
        dg.instance_for_test(temp_dir=str(tmp_path)) as instance,
        ForkedRuns(run_batch, instance, workers=2) as runs,
    ):
        runs.submit(["a"], "run-1")
        runs.submit(["b"], "run-2")
        outcomes = _drain(runs, 2)
    assert outcomes == {"a": "loaded", "b": "loaded"}


def test_a_worker_that_dies_fails_its_batch_and_is_replaced(tmp_path: Path) -> None:
    def run_batch(instance, batch, run_id):
        if "doomed" in batch:
            os._exit(3)  # as the kernel's OOM killer would leave it
        if "raises" in batch:
            raise RuntimeError("disk on fire")
        return dict.fromkeys(batch), set()

    with (
        dg.instance_for_test(temp_dir=str(tmp_path)) as instance,
        ForkedRuns(run_batch, instance, workers=1) as runs,
    ):
        runs.submit(["doomed"], "run-1")
        first = _drain(runs, 1)
        runs.submit(["raises"], "run-2")
        second = _drain(runs, 1)
        runs.submit(["fine"], "run-3")
        third = _drain(runs, 1)
    assert first == {"doomed": "run worker died (exit code 3)"}
    assert second == {"raises": "RuntimeError: disk on fire"}
    assert third == {"fine": None}


def _run_sizes(documents: int, batch_size: int, workers: int) -> list[int]:
    keys = [f"doc-{i:03d}" for i in range(documents)]
    size = batch_size_for(documents, batch_size, workers)
    return [len(batch) for batch in contiguous_batches(keys, keys, size)]


def test_small_folders_stay_in_one_run_and_large_ones_are_shared_out() -> None:
    assert _run_sizes(3, 50, workers=2) == [3]  # no second worker for three documents
    assert _run_sizes(15, 50, workers=2) == [15]  # not 10 + 5: no run under 10 documents
    assert _run_sizes(25, 50, workers=2) == [13, 12]
    assert _run_sizes(100, 50, workers=2) == [50, 50]
    assert _run_sizes(60, 50, workers=2) == [30, 30]  # not 50 + 10: both workers busy
    assert _run_sizes(4, 2, workers=2) == [2, 2]  # runs of two, as asked
    assert _run_sizes(60, 50, workers=1) == [50, 10]


class Hung(Exception):  # not an OSError: the CLI reports those as one line and returns 2
    pass


def _hung(signum, frame):
    raise Hung("the runs did not finish in 180 s")


def _examples(out: Path) -> dict[str, list[str]]:
    by_document = {}
    for path in sorted((out / "training_examples").glob("*.parquet")):
        frame = pq.read_table(path).to_pandas()
        by_document[path.stem] = sorted(frame["question"])
    return by_document


def test_parallel_runs_land_what_one_run_lands_within_one_llm_budget(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs)
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.delenv("SDG_RECIPE", raising=False)
    # a hung worker fails the test instead of the CI's time limit
    signal.signal(signal.SIGALRM, _hung)
    signal.alarm(180)
    with FakeOpenAIServer(latency_s=0.05) as server:
        monkeypatch.setenv("SDG_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("SDG_LLM_API_KEY", "test")
        monkeypatch.setenv("SDG_LLM_MAX_CONCURRENCY", "2")
        outs = {}
        for parallel in ("1", "2"):
            outs[parallel] = tmp_path / f"out-{parallel}"
            code = main(["run", "--docs", str(docs), "--out", str(outs[parallel]),
                         "--jobs", "2", "--parallel", parallel, "--allow-failures"])  # fmt: skip
            assert code == 0
            printed = capsys.readouterr().out
            # the broken PDF, in one of the two batches, is named with its own reason
            assert "documents: 4 (3 ok, 1 failed)" in printed
            assert "broken.pdf: PDF cannot be read" in printed
        signal.alarm(0)
    in_flight = server.counters()["max_in_flight"]
    assert in_flight <= 2  # the two workers together, as one run would
    one, two = _examples(outs["1"]), _examples(outs["2"])
    assert len(two) == 3 and all(two.values()) and two == one
    with dg.DagsterInstance.get() as instance:
        runs = [
            record
            for record in instance.get_run_records()
            if record.dagster_run.job_name == "process_documents"
        ]
    assert len(runs) == 4  # two batches of two documents, in each invocation
    serial, parallel = (sorted(runs, key=lambda r: r.start_time)[i : i + 2] for i in (0, 2))
    # one after the other in this process, then at once in two workers
    assert {r.dagster_run.tags[CLI_TAG] for r in serial} == {str(os.getpid())}
    workers = {r.dagster_run.tags[CLI_TAG] for r in parallel}
    assert len(workers) == 2 and str(os.getpid()) not in workers
    assert min(r.end_time for r in serial) <= max(r.start_time for r in serial)
    # they overlapped: each started before the other ended
    assert max(r.start_time for r in parallel) < min(r.end_time for r in parallel)
