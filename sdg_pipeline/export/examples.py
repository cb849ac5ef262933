"""Training examples: one chat example per pair that passed judging, with its lineage."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from sdg_pipeline.export.chat_validation import chat_token_count
from sdg_pipeline.schemas import column_names
from sdg_pipeline.screen.pii import PiiPolicy, redact_pii
from sdg_pipeline.screen.secrets import find_secrets, scan_lines

SCORE_COLUMNS = ["faithfulness", "relevancy", "standalone"]
DEFAULT_PII = PiiPolicy()


def _messages(question: str, answer: str, turns: object) -> list[dict[str, str]]:
    """The conversation a row trains on: its recipe's turns (multi-turn, or a restyled reply)
    when it has them, else the question and the answer."""
    if isinstance(turns, list | tuple | np.ndarray) and len(turns):
        return [{"role": str(t["role"]), "content": str(t["content"])} for t in turns]
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    # Pairs written before recipes existed have no recipe columns: they read as nulls.
    return frame[name] if name in frame.columns else pd.Series([None] * len(frame), frame.index)


def build_examples(
    judged: pd.DataFrame, chunks: pd.DataFrame, *, output_shape: str = "chat"
) -> pd.DataFrame:
    """One chat example per passing pair; the chunk supplies pages and the raw context.

    `output_shape` is the recipe's: "eval" rows go to eval.jsonl, the others to train/valid.
    """
    passing = judged[judged["passed"].astype(bool)]
    lineage = chunks.set_index("chunk_id")[["page_start", "page_end", "text"]]
    rows = passing.join(lineage, on="chunk_id")
    messages = [
        _messages(q, a, t)
        for q, a, t in zip(rows["question"], rows["answer"], _column(rows, "turns"), strict=True)
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
            "recipe": _column(rows, "recipe"),
            "recipe_version": _column(rows, "recipe_version"),
            "origin": _column(rows, "origin"),
            "language": _column(rows, "language"),
            "output_shape": output_shape,
        },
        columns=column_names("training_examples"),
    )
    return frame.reset_index(drop=True)


def screen_examples(
    frame: pd.DataFrame, pii: PiiPolicy | None = DEFAULT_PII
) -> tuple[pd.DataFrame, Counter[str]]:
    """The last gate before publication: examples holding a secret are dropped, personal data
    in question, answer and context is redacted. Returns the frame and what was done, by kind.
    """
    done: Counter[str] = Counter()
    keep: list[bool] = []
    rows = frame.to_dict("records")
    texts = [
        f"{row['question']}\n{row['answer']}\n{row['context']}\n"
        + "\n".join(str(m["content"]) for m in row["messages"])
        for row in rows
    ]
    scan_lines(texts)  # one detect-secrets configuration for the whole frame
    for row, text in zip(rows, texts, strict=True):
        secrets = find_secrets(text)
        keep.append(not secrets)
        if secrets:
            done.update(f"dropped: secret ({kind})" for kind in secrets)
            continue
        if pii is None:
            continue
        for column in ("question", "answer", "context"):
            row[column], kinds = redact_pii(row[column], pii)
            done.update(f"redacted: {kind}" for kind in kinds)
        messages = []
        for message in row["messages"]:
            # every turn of a conversation, not only the first exchange, is screened
            content, _ = redact_pii(str(message["content"]), pii)
            messages.append({"role": message["role"], "content": content})
        row["messages"] = messages
        row["token_count"] = chat_token_count(row["messages"])
    kept = [row for row, ok in zip(rows, keep, strict=True) if ok]
    screened = pd.DataFrame(kept, columns=frame.columns)
    return screened.reset_index(drop=True), done
