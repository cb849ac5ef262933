"""Projects a deployment to 100,000 and 1,000,000 documents from the project's measured figures.

Prints the table docs/deploy.md quotes (the doc's figures are this script's output, not typed by
hand). Every input is a named constant saying where it comes from: a figure measured by another
benchmark (quoted in README.md, "What the figures say"), a default of the code, or an explicit
assumption about the workload or the price list, to be replaced by your own.

    .venv/bin/python benchmarks/deploy_projection.py [--pages-per-document 10] [--latency 2.0]
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass

# --- measured (README.md, "What the figures say") -------------------------------------------
# Offline conversion, one process on the 2-core CI machine, over the corpus (conversion_quality.py).
PAGES_PER_SECOND_PER_PROCESS = 38.5
# LLM steps as the assets run them: requests per accepted pair, and the share of the ideal
# throughput achieved at a given in-flight limit and latency (llm_throughput.py).
REQUESTS_PER_ACCEPTED_PAIR = 0.667
LLM_EFFICIENCY = 0.90
# Dataset build: 200,000 pairs in 41.5 s including read-back and its suite (export_scale.py).
DATASET_BUILD_SECONDS_PER_PAIR = 41.5 / 200_000
DATASET_PEAK_MIB_PER_PAIR = 778 / 200_000  # same run, peak resident memory
# One sensor tick over 5,000 new files on S3 (moto): 17.5 s at worst (sensor_scan.py).
SENSOR_SECONDS_PER_NEW_FILE = 17.5 / 5_000
# `make demo` over samples/documents: 80 accepted pairs from 3 documents whose PDFs total 5 pages
# (docs/conversion.md) plus one Markdown file counted as one page.
ACCEPTED_PAIRS_PER_PAGE = 80 / 6

# --- the code's defaults ---------------------------------------------------------------------
# deploy/dagster.yaml pool `llm` limit x SDG_LLM_MAX_CONCURRENCY: requests in flight per pool.
LLM_POOL_LIMIT = 2
LLM_MAX_CONCURRENCY = 8
# PipelineSettings.chunk_max_tokens: the largest chunk a request carries.
CHUNK_MAX_TOKENS = 512

# --- assumptions (state yours) ---------------------------------------------------------------
PAGES_PER_DOCUMENT = 10.0  # a typical policy / handbook PDF
ENDPOINT_LATENCY_SECONDS = 2.0  # a hosted model's reply time; the benchmark used 200 ms
# Prompt + chunk in, JSON pairs or a verdict out (offline estimate of tokens.py scale).
TOKENS_IN_PER_REQUEST = CHUNK_MAX_TOKENS + 400
TOKENS_OUT_PER_REQUEST = 250
PRICE_IN_PER_1K_USD = 0.00015  # e.g. a small hosted model's list price per 1k input tokens
PRICE_OUT_PER_1K_USD = 0.0006  # and per 1k output tokens
# Run workers: one run (one document's chain) per vCPU; conversion is single-threaded.
VCPUS_PER_NODE = 8
RUNS_PER_NODE = VCPUS_PER_NODE - 1  # one vCPU for the kubelet, the code server, log upload
NODE_PRICE_PER_HOUR_USD = 0.34  # an 8-vCPU general-purpose node, on-demand


@dataclass
class Projection:
    documents: int
    endpoints: int
    pages: float
    requests: float
    conversion_cpu_hours: float
    llm_hours: float
    run_pods: int
    nodes: int
    wall_hours: float
    llm_cost_usd: float
    compute_cost_usd: float


def project(documents: int, endpoints: int, pages_per_document: float, latency: float):
    pages = documents * pages_per_document
    requests = pages * ACCEPTED_PAIRS_PER_PAGE * REQUESTS_PER_ACCEPTED_PAIR
    conversion_cpu_hours = pages / PAGES_PER_SECOND_PER_PROCESS / 3600
    # Each endpoint gets its own pool limit (pool `llm` raised to LLM_POOL_LIMIT x endpoints).
    in_flight = endpoints * LLM_POOL_LIMIT * LLM_MAX_CONCURRENCY
    llm_hours = requests / (in_flight / latency * LLM_EFFICIENCY) / 3600
    # Enough run pods that conversion keeps pace with the LLM: the endpoints set the wall time.
    # An LLM step holds its run's pod while it waits, so pods also cover the pool's steps.
    run_pods = max(math.ceil(conversion_cpu_hours / llm_hours), 1) + endpoints * LLM_POOL_LIMIT
    nodes = math.ceil(run_pods / RUNS_PER_NODE)
    registration_hours = documents * SENSOR_SECONDS_PER_NEW_FILE / 3600
    build_hours = requests / REQUESTS_PER_ACCEPTED_PAIR * DATASET_BUILD_SECONDS_PER_PAIR / 3600
    wall_hours = max(llm_hours, conversion_cpu_hours / run_pods) + registration_hours + build_hours
    tokens_in = requests * TOKENS_IN_PER_REQUEST
    tokens_out = requests * TOKENS_OUT_PER_REQUEST
    llm_cost = tokens_in / 1000 * PRICE_IN_PER_1K_USD + tokens_out / 1000 * PRICE_OUT_PER_1K_USD
    compute_cost = nodes * wall_hours * NODE_PRICE_PER_HOUR_USD
    return Projection(
        documents, endpoints, pages, requests, conversion_cpu_hours, llm_hours, run_pods, nodes,
        wall_hours, llm_cost, compute_cost,
    )  # fmt: skip


def table(pages_per_document: float, latency: float) -> str:
    rows = [
        "| documents | LLM endpoints | pages | LLM requests | conversion CPU-h | run pods "
        "| nodes | wall-clock h | LLM cost $ | node cost $ |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for documents in (100_000, 1_000_000):
        for endpoints in (1, 4, 16):
            p = project(documents, endpoints, pages_per_document, latency)
            rows.append(
                f"| {p.documents:,} | {p.endpoints} | {p.pages:,.0f} | {p.requests:,.0f} "
                f"| {p.conversion_cpu_hours:,.1f} | {p.run_pods} | {p.nodes} "
                f"| {p.wall_hours:,.1f} | {p.llm_cost_usd:,.0f} | {p.compute_cost_usd:,.0f} |"
            )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages-per-document", type=float, default=PAGES_PER_DOCUMENT)
    parser.add_argument("--latency", type=float, default=ENDPOINT_LATENCY_SECONDS)
    args = parser.parse_args()
    print(
        f"inputs: {PAGES_PER_SECOND_PER_PROCESS} pages/s per process, "
        f"{ACCEPTED_PAIRS_PER_PAGE:.1f} accepted pairs/page, "
        f"{REQUESTS_PER_ACCEPTED_PAIR} requests/pair, efficiency {LLM_EFFICIENCY}, "
        f"{LLM_POOL_LIMIT}x{LLM_MAX_CONCURRENCY} in flight per endpoint at {args.latency} s, "
        f"{args.pages_per_document:g} pages/document, "
        f"{TOKENS_IN_PER_REQUEST}/{TOKENS_OUT_PER_REQUEST} tokens in/out per request at "
        f"${PRICE_IN_PER_1K_USD}/${PRICE_OUT_PER_1K_USD} per 1k, "
        f"{RUNS_PER_NODE} runs per {VCPUS_PER_NODE}-vCPU node at ${NODE_PRICE_PER_HOUR_USD}/h"
    )
    print()
    print(table(args.pages_per_document, args.latency))
    print()
    for documents in (100_000, 1_000_000):
        pairs = documents * args.pages_per_document * ACCEPTED_PAIRS_PER_PAGE
        print(
            f"dataset build at {documents:,} documents ({pairs:,.0f} pairs, linear): "
            f"{pairs * DATASET_BUILD_SECONDS_PER_PAIR / 60:,.0f} min, "
            f"~{pairs * DATASET_PEAK_MIB_PER_PAIR / 1024:,.1f} GiB peak"
        )


if __name__ == "__main__":
    main()
