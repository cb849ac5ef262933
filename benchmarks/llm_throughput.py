"""LLM generation + judging throughput against the loopback OpenAI-compatible server.

N chunks, a fixed per-request latency L and a concurrency limit C. Reports wall time, requests,
requests per accepted pair, and efficiency = ideal / wall, where
ideal = sum over the dependent stages (generation, then judging) of ceil(stage requests / C) * L.
Runs the pipelined path (each chunk judged as soon as its pairs exist) and the two separate
steps the assets use (qa_pairs, then judged_pairs), then re-runs to show the cache makes zero
requests. Optional fault injection shows the cost of retries.

    python benchmarks/llm_throughput.py --chunks 200 --latency 0.2 --concurrency 16
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pydantic import SecretStr

from sdg_pipeline.generate.llm import generate_pairs_llm
from sdg_pipeline.judge.llm import generate_and_judge, judge_pairs_llm
from sdg_pipeline.llm.client import LLMSettings
from sdg_pipeline_tests.fake_openai_server import (
    FakeOpenAIServer,
    FaultPlan,
    make_chunks,
    unused_loopback_url,
)

REPO = Path(__file__).resolve().parents[1]


class ServerProcess:
    """The loopback server in its own process, like a real endpoint: its request handling
    does not compete with the client for this interpreter's GIL."""

    def __init__(self, latency: float, faults: FaultPlan | None) -> None:
        self.base_url = unused_loopback_url()
        port = self.base_url.split(":")[2].split("/")[0]
        command = [
            sys.executable,
            "-m",
            "sdg_pipeline_tests.fake_openai_server",
            "--port",
            port,
            "--latency",
            str(latency),
        ]
        if faults is not None:
            command += [
                "--rate-429",
                str(faults.rate_429),
                "--rate-500",
                str(faults.rate_500),
                "--retry-after",
                str(faults.retry_after_s),
                "--seed",
                str(faults.seed),
            ]
        env = os.environ | {"PYTHONPATH": str(REPO)}
        self._process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        root = self.base_url.removesuffix("/v1")
        self._stats_url = f"{root}/_stats"
        deadline = time.monotonic() + 30
        while True:
            try:
                self.counters()
                break
            except OSError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    raise RuntimeError("the loopback server did not start") from None
                time.sleep(0.1)

    def counters(self) -> dict[str, Any]:
        with urllib.request.urlopen(self._stats_url, timeout=5) as response:
            return json.load(response)

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=10)


class ServerThread:
    def __init__(self, latency: float, faults: FaultPlan | None) -> None:
        self._server = FakeOpenAIServer(latency_s=latency, faults=faults).start()
        self.base_url = self._server.base_url

    def counters(self) -> dict[str, Any]:
        return self._server.counters()

    def stop(self) -> None:
        self._server.stop()


@contextlib.contextmanager
def serving(where: str, latency: float, faults: FaultPlan | None) -> Iterator[Any]:
    server = (ServerProcess if where == "process" else ServerThread)(latency, faults)
    try:
        yield server
    finally:
        server.stop()


def ideal_seconds(stage_requests: list[int], concurrency: int, latency: float) -> float:
    return sum(math.ceil(n / concurrency) * latency for n in stage_requests if n)


def run(mode: str, args: argparse.Namespace, faults: FaultPlan | None) -> dict[str, float]:
    chunks = make_chunks(args.chunks, document_key="bench.pdf")
    with (
        serving(args.server, args.latency, faults) as server,
        tempfile.TemporaryDirectory() as cache,
    ):
        settings = LLMSettings(
            base_url=server.base_url,
            api_key=SecretStr("bench-key"),
            model="fake-model",
            max_concurrency=args.concurrency,
            max_retries=8,
            retry_base_delay_s=0.05,
            pairs_per_chunk=args.pairs,
        )

        def once() -> Any:
            if mode == "pipelined":
                return generate_and_judge(
                    chunks, settings=settings, cache_root=cache, document_key="bench.pdf"
                )[1]
            pairs, _ = generate_pairs_llm(
                chunks, settings=settings, cache_root=cache, document_key="bench.pdf"
            )
            return judge_pairs_llm(
                pairs, chunks, settings=settings, cache_root=cache, document_key="bench.pdf"
            )[0]

        started = time.perf_counter()
        judged = once()
        wall = time.perf_counter() - started
        counters = server.counters()
        gen, judge = counters["kind_counts"]["generate"], counters["kind_counts"]["judge"]
        first_requests = counters["request_count"]

        # the same mode again: the separate judge step packs chunks into requests, the
        # pipelined one judges a chunk a request, so their cache entries differ
        rerun_started = time.perf_counter()
        once()
        rerun_wall = time.perf_counter() - rerun_started
        counters = server.counters()
        rerun_requests = counters["request_count"] - first_requests
        max_in_flight = counters["max_in_flight"]
    accepted = int(judged["passed"].sum())
    ideal = ideal_seconds([gen, judge], args.concurrency, args.latency)
    return {
        "wall_s": wall,
        "generation_requests": gen,
        "judge_requests": judge,
        "requests": first_requests,
        "accepted_pairs": accepted,
        "requests_per_accepted_pair": first_requests / accepted if accepted else math.inf,
        "ideal_s": ideal,
        "efficiency": ideal / wall,
        "max_in_flight": max_in_flight,
        "rerun_requests": rerun_requests,
        "rerun_wall_s": rerun_wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--pairs", type=int, default=3, help="pairs per chunk")
    parser.add_argument("--modes", default="pipelined,separate")
    parser.add_argument("--faults", action="store_true", help="also run with 20%% 429 + 10%% 500")
    parser.add_argument(
        "--server",
        choices=("process", "thread"),
        default="process",
        help="run the loopback server in its own process (default) or a thread of this one",
    )
    args = parser.parse_args()

    scenarios: list[tuple[str, FaultPlan | None]] = [(m, None) for m in args.modes.split(",")]
    if args.faults:
        plan = FaultPlan(rate_429=0.2, rate_500=0.1, retry_after_s=args.latency, seed=1)
        scenarios += [(f"{m}+faults", plan) for m in args.modes.split(",")]

    print(
        f"chunks={args.chunks} latency={args.latency}s concurrency={args.concurrency} "
        f"pairs/chunk={args.pairs} server={args.server}"
    )
    header = (
        f"{'mode':<18}{'wall s':>8}{'ideal s':>9}{'effic.':>8}{'gen req':>9}{'judge req':>10}"
        f"{'accepted':>10}{'req/pair':>10}{'in flight':>10}{'rerun req':>10}{'rerun s':>9}"
    )
    print(header)
    print("-" * len(header))
    for name, plan in scenarios:
        r = run(name.split("+")[0], args, plan)
        print(
            f"{name:<18}{r['wall_s']:>8.2f}{r['ideal_s']:>9.2f}{r['efficiency']:>8.2f}"
            f"{r['generation_requests']:>9}{r['judge_requests']:>10}{r['accepted_pairs']:>10}"
            f"{r['requests_per_accepted_pair']:>10.3f}{r['max_in_flight']:>10}"
            f"{r['rerun_requests']:>10}{r['rerun_wall_s']:>9.2f}"
        )


if __name__ == "__main__":
    main()
