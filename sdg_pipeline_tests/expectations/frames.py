"""Valid frames of every asset, shaped like the real ones; tests break one thing at a time."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import pandas as pd
import pyarrow.parquet as pq

from sdg_pipeline.defs.resources.io_manager import frame_to_table
from sdg_pipeline.schemas import column_names
from sdg_pipeline.tokens import count_tokens

DOC = "handbook-2024"
PDF = "application/pdf"

_TOPICS = [
    "pumps",
    "valves",
    "gaskets",
    "filters",
    "sensors",
    "bearings",
    "seals",
    "motors",
    "gears",
    "belts",
    "hoses",
    "fans",
]


def raw_documents(content: bytes = b"%PDF-1.7 a small but real document body") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "document_key": DOC,
                "source_uri": f"file:///landing/{DOC}.pdf",
                "file_name": f"{DOC}.pdf",
                "content_hash": hashlib.sha256(content).hexdigest(),
                "content": content,
                "size_bytes": len(content),
                "page_count": 3,
                "media_type": PDF,
                "ingested_at": datetime(2026, 1, 2, tzinfo=UTC),
            }
        ],
        columns=column_names("raw_documents"),
    )


MARKDOWN = (
    "# Maintenance handbook\n\n"
    "Pumps must be inspected every three months. The inspection covers seals, bearings and "
    "the impeller.\n\n| Part | Interval |\n|---|---|\n| Seal | 3 months |\n"
)


def markdown_documents(markdown: str = MARKDOWN, **overrides) -> pd.DataFrame:
    row = {
        "document_key": DOC,
        "content_hash": "a" * 64,
        "markdown": markdown,
        "page_starts": [0, 40, 90],
        "page_count": 3,
        "status": "ok",
        "error": None,
        "mode": "native",
        "converter": "docling",
        "converter_version": "2.0",
        "seconds": 0.4,
    }
    row.update(overrides)
    return pd.DataFrame([row], columns=column_names("markdown_documents"))


def chunks(n: int = 4) -> pd.DataFrame:
    rows = []
    start = 0
    for i in range(n):
        text = (
            f"Section {i} covers {_TOPICS[i % len(_TOPICS)]}. They are inspected every quarter "
            "by a certified technician, who records the wear, replaces worn parts and signs "
            "the maintenance log before the unit returns to service."
        )
        rows.append(
            {
                "chunk_id": f"{DOC}-c{i:04d}",
                "document_key": DOC,
                "content_hash": "a" * 64,
                "chunk_index": i,
                "heading_path": ["Maintenance handbook", f"Section {i}"],
                "page_start": 1,
                "page_end": 1,
                "char_start": start,
                "char_end": start + len(text),
                "text": text,
                "token_count": count_tokens(text),
                "has_table": False,
            }
        )
        start += len(text) + 2
    return pd.DataFrame(rows, columns=column_names("chunks"))


def qa_pairs(n: int = 6) -> pd.DataFrame:
    rows = [
        {
            "pair_id": f"{DOC}-p{i:03d}",
            "chunk_id": f"{DOC}-c{i % 3:04d}",
            "document_key": DOC,
            "content_hash": "a" * 64,
            "question": f"How often are the {_TOPICS[i % len(_TOPICS)]} of unit {i} inspected?",
            "answer": f"Every quarter, by a certified technician (unit {i}).",
            "question_type": "factual",
            "evidence": "inspected every quarter",
            "generator": "offline-extractive",
            "model": None,
            "prompt_version": "v1",
            "error": None,
        }
        for i in range(n)
    ]
    return pd.DataFrame(rows, columns=column_names("qa_pairs"))


def judged_pairs(n: int = 10, passed: int = 7, judge: str = "offline-lexical") -> pd.DataFrame:
    frame = qa_pairs(n)
    verdicts = [i < passed for i in range(n)]
    return frame.assign(
        faithfulness=[0.95 if v else 0.3 for v in verdicts],
        faithfulness_label=["supported" if v else "unsupported" for v in verdicts],
        relevancy=0.8,
        standalone=0.9,
        grounding_ok=verdicts,
        grounding_issues=None,
        reasons=[None if v else "answer not supported by the chunk" for v in verdicts],
        passed=verdicts,
        judge=judge,
        judge_model=None if judge == "offline-lexical" else "gpt-judge",
        judge_prompt_version="j1",
        judge_error=None,
    )[column_names("judged_pairs")]


def messages(question: str, answer: str, system: str | None = "You answer from the handbook."):
    out = [{"role": "system", "content": system}] if system else []
    return [*out, {"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def training_examples(n: int = 5, document_key: str = DOC) -> pd.DataFrame:
    rows = []
    for i in range(n):
        question = f"How often are the {_TOPICS[i % len(_TOPICS)]} of {document_key} inspected?"
        answer = f"Every quarter ({document_key}, item {i})."
        msgs = messages(question, answer)
        rows.append(
            {
                "example_id": f"{document_key}-e{i:03d}",
                "pair_id": f"{document_key}-p{i:03d}",
                "chunk_id": f"{document_key}-c0000",
                "document_key": document_key,
                "content_hash": "a" * 64,
                "page_start": 1,
                "page_end": 1,
                "question_type": "factual",
                "question": question,
                "answer": answer,
                "context": "chunk text",
                "score": 0.9,
                "messages": msgs,
                "token_count": sum(count_tokens(m["content"]) for m in msgs) + 12,
            }
        )
    return pd.DataFrame(rows, columns=column_names("training_examples"))


def parquet_round_trip(asset_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as the IO manager hands it over: through Parquet with the asset's schema."""
    buffer = io.BytesIO()
    pq.write_table(frame_to_table(asset_name, frame), buffer)
    buffer.seek(0)
    return pq.read_table(buffer).to_pandas()
