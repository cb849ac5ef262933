"""Training examples: one chat example per pair that passed judging, with its lineage."""

from __future__ import annotations

import pandas as pd

from sdg_pipeline.export.chat_validation import chat_token_count
from sdg_pipeline.schemas import column_names

SCORE_COLUMNS = ["faithfulness", "relevancy", "standalone"]


def build_examples(judged: pd.DataFrame, chunks: pd.DataFrame) -> pd.DataFrame:
    """One chat example per passing pair; the chunk supplies pages and the raw context."""
    passing = judged[judged["passed"].astype(bool)]
    lineage = chunks.set_index("chunk_id")[["page_start", "page_end", "text"]]
    rows = passing.join(lineage, on="chunk_id")
    messages = [
        [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
        for q, a in zip(rows["question"], rows["answer"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "example_id": rows["pair_id"],
            "pair_id": rows["pair_id"],
            "chunk_id": rows["chunk_id"],
            "document_key": rows["document_key"],
            "content_hash": rows["content_hash"],
            "page_start": rows["page_start"],
            "page_end": rows["page_end"],
            "question_type": rows["question_type"],
            "question": rows["question"],
            "answer": rows["answer"],
            "context": rows["text"],
            "score": rows[SCORE_COLUMNS].mean(axis=1),
            "messages": messages,
            "token_count": [chat_token_count(m) for m in messages],
        },
        columns=column_names("training_examples"),
    )
    return frame.reset_index(drop=True)
