"""Synthetic TRAINING_EXAMPLES partitions for the export tests and the scale benchmark.

Each row gets its own random vocabulary words, so unrelated rows share almost no 3-word
shingles and only planted duplicates are near-duplicates.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sdg_pipeline.schemas import TRAINING_EXAMPLES
from sdg_pipeline.tokens import count_tokens

QUESTION_TYPES = ("factual", "numeric", "definition", "conceptual")
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su", "dra", "gen", "tor")


def random_sentence(rng: random.Random, words: int) -> str:
    return " ".join(
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(words)
    )


def example_row(
    document_key: str,
    index: int,
    question: str,
    answer: str,
    score: float | None = 0.8,
    question_type: str = "factual",
    context: str | None = None,
    system: str | None = None,
) -> dict:
    messages = [] if system is None else [{"role": "system", "content": system}]
    messages += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    digest = hashlib.sha256(document_key.encode()).hexdigest()
    tokens = sum(count_tokens(m["content"]) + 3 for m in messages) + 3
    return {
        "example_id": f"{document_key}#{index}",
        "pair_id": f"{document_key}#p{index}",
        "chunk_id": f"{document_key}#c{index // 3}",
        "document_key": document_key,
        "content_hash": digest,
        "page_start": 1,
        "page_end": 1,
        "question_type": question_type,
        "question": question,
        "answer": answer,
        "context": context if context is not None else f"{question} {answer}",
        "score": score,
        "messages": messages,
        "token_count": tokens,
    }


def random_rows(document_key: str, count: int, seed: int, words: int = 12) -> list[dict]:
    rng = random.Random(f"{seed}:{document_key}")
    return [
        example_row(
            document_key,
            i,
            random_sentence(rng, words) + "?",
            random_sentence(rng, words * 2) + ".",
            score=round(rng.uniform(0.5, 1.0), 3),
            question_type=QUESTION_TYPES[i % len(QUESTION_TYPES)],
            context=random_sentence(rng, words * 4),
        )
        for i in range(count)
    ]


def write_partition(root: Path, partition_key: str, rows: list[dict]) -> Path:
    path = root / f"{partition_key}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=TRAINING_EXAMPLES), path)
    return path
