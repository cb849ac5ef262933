"""Scale benchmark of the training-dataset export.

Writes N synthetic TRAINING_EXAMPLES pairs spread over P partition files (1% planted as
near-duplicates of a pair in another document), then builds the OpenAI JSONL in a child process
and prints its wall time and peak resident memory (ru_maxrss of the child, so generating the
input does not count).

    python benchmarks/export_scale.py                      # 200,000 pairs, 2,000 partitions
    python benchmarks/export_scale.py --pairs 20000 --partitions 200
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sdg_pipeline.schemas import TRAINING_EXAMPLES  # noqa: E402
from sdg_pipeline.tokens import count_tokens  # noqa: E402

QUESTION_TYPES = np.array(["factual", "numeric", "definition", "conceptual", "reasoning"])


def _texts(rng: np.random.Generator, vocab: np.ndarray, rows: int, words: int) -> list[str]:
    picks = vocab[rng.integers(0, len(vocab), size=(rows, words))]
    return [" ".join(r) for r in picks.tolist()]


def generate(root: Path, pairs: int, partitions: int, seed: int = 7) -> list[str]:
    rng = np.random.default_rng(seed)
    syllables = np.array(["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su", "dr", "ge"])
    vocab = np.array(
        ["".join(rng.choice(syllables, size=rng.integers(2, 5))) for _ in range(50_000)]
    )
    per = pairs // partitions
    keys = [f"doc-{p:05d}" for p in range(partitions)]
    root.mkdir(parents=True, exist_ok=True)
    duplicate_source: list[tuple[str, str]] = []
    for p, key in enumerate(keys):
        questions = [q + "?" for q in _texts(rng, vocab, per, 14)]
        answers = [a + "." for a in _texts(rng, vocab, per, 30)]
        contexts = _texts(rng, vocab, (per + 2) // 3, 120)
        if duplicate_source and p % 2 == 0:  # plant a reworded copy of an earlier document's pair
            q, a = duplicate_source[p % len(duplicate_source)]
            questions[0], answers[0] = "Tell me: " + q, a
        duplicate_source.append((questions[1], answers[1]))
        tokens = [
            count_tokens(q) + count_tokens(a) + 9 for q, a in zip(questions, answers, strict=True)
        ]
        table = pa.table(
            {
                "example_id": [f"{key}#{i}" for i in range(per)],
                "pair_id": [f"{key}#p{i}" for i in range(per)],
                "chunk_id": [f"{key}#c{i // 3}" for i in range(per)],
                "document_key": [key] * per,
                "content_hash": [f"{p:064x}"] * per,
                "page_start": [1 + i // 10 for i in range(per)],
                "page_end": [1 + i // 10 for i in range(per)],
                "question_type": QUESTION_TYPES[np.arange(per) % len(QUESTION_TYPES)].tolist(),
                "question": questions,
                "answer": answers,
                "context": [contexts[i // 3] for i in range(per)],
                "score": np.round(rng.uniform(0.5, 1.0, per), 3),
                "messages": [
                    [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
                    for q, a in zip(questions, answers, strict=True)
                ],
                "token_count": tokens,
                # what the default recipe writes on every row
                "recipe": ["grounded-qa"] * per,
                "recipe_version": [1] * per,
                "origin": ["generated"] * per,
                "language": ["en"] * per,
                "output_shape": ["chat"] * per,
            },
            schema=TRAINING_EXAMPLES,
        )
        pq.write_table(table, root / f"{key}.parquet")
    return keys


def build_child(examples: str, out: str, keys_file: str, fmt: str, context: bool) -> None:
    from sdg_pipeline.export import ExportConfig, build_dataset

    keys = json.loads(Path(keys_file).read_text())
    start = time.perf_counter()
    result = build_dataset(examples, keys, out, ExportConfig(format=fmt, context_in_prompt=context))
    seconds = time.perf_counter() - start
    # What the training_jsonl asset does next: read the written lines back and run its suite.
    from sdg_pipeline.defs.checks import check_asset
    from sdg_pipeline.expectations.thresholds import CheckThresholds
    from sdg_pipeline.export.readback import dataset_lines

    check_start = time.perf_counter()
    check = check_asset("training_jsonl", dataset_lines(result), CheckThresholds())
    check_seconds = time.perf_counter() - check_start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_kib = usage.ru_maxrss
    summary = {
        "seconds": round(seconds, 2),
        "check_seconds": round(check_seconds, 2),
        "check_passed": check.passed,
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "rows_read": result.stats["rows_read"],
        "examples": result.stats["examples"],
        "train": result.stats["splits"]["train"]["examples"],
        "validation": result.stats["splits"]["validation"]["examples"],
        "removed": result.stats["removed"],
        "dedup_candidates": result.stats["dedup"].get("candidate_pairs"),
        "train_mib": round(Path(out, "train.jsonl").stat().st_size / 2**20, 1),
    }
    print(json.dumps(summary))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, default=2_000)
    parser.add_argument("--format", default="openai")
    parser.add_argument("--context-in-prompt", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("EXAMPLES", "OUT", "KEYS"))
    args = parser.parse_args()
    if args.child:
        build_child(*args.child, args.format, args.context_in_prompt)
        return
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        keys = generate(Path(tmp, "examples"), args.pairs, args.partitions)
        print(
            f"generated {args.pairs} pairs in {args.partitions} partitions "
            f"in {time.perf_counter() - start:.1f} s"
        )
        keys_file = Path(tmp, "keys.json")
        keys_file.write_text(json.dumps(keys))
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--format",
                args.format,
                "--child",
                str(Path(tmp, "examples")),
                str(Path(tmp, "out")),
                str(keys_file),
            ]
            + (["--context-in-prompt"] if args.context_in_prompt else []),
            check=True,
            capture_output=True,
            text=True,
        )
        print(child.stdout.strip())


if __name__ == "__main__":
    main()
