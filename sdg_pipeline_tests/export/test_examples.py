"""Training examples from judged pairs, and the screen they pass before publication."""

from __future__ import annotations

import pandas as pd

from sdg_pipeline.export.examples import build_examples, screen_examples
from sdg_pipeline.screen.pii import PiiPolicy


def _judged(rows: list[tuple[str, str, bool]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    chunks = pd.DataFrame(
        {
            "chunk_id": ["d-c0000"],
            "page_start": [1],
            "page_end": [2],
            "text": ["Contact support at help@acme.example for warranty claims within two years."],
        }
    )
    judged = pd.DataFrame(
        {
            "pair_id": [f"p{i}" for i in range(len(rows))],
            "chunk_id": ["d-c0000"] * len(rows),
            "document_key": ["d"] * len(rows),
            "content_hash": ["h"] * len(rows),
            "question_type": ["factual"] * len(rows),
            "question": [q for q, _, _ in rows],
            "answer": [a for _, a, _ in rows],
            "passed": [ok for _, _, ok in rows],
            "faithfulness": [1.0] * len(rows),
            "relevancy": [1.0] * len(rows),
            "standalone": [1.0] * len(rows),
        }
    )
    return judged, chunks


def test_only_passing_pairs_become_chat_examples_with_their_lineage() -> None:
    judged, chunks = _judged(
        [("How long is the Acme warranty?", "Two years.", True), ("Bad?", "No.", False)]
    )
    frame = build_examples(judged, chunks)
    assert list(frame["pair_id"]) == ["p0"]
    assert frame.loc[0, "messages"][1] == {"role": "assistant", "content": "Two years."}
    assert (frame.loc[0, "page_start"], frame.loc[0, "page_end"]) == (1, 2)


def test_screen_drops_secrets_and_redacts_personal_data_everywhere() -> None:
    judged, chunks = _judged(
        [
            ("Where do Acme warranty claims go?", "To help@acme.example.", True),
            ("What is the staging token?", "api_token: tok-INTERNAL-4242", True),
        ]
    )
    frame, done = screen_examples(build_examples(judged, chunks))
    assert list(frame["pair_id"]) == ["p0"]
    assert "help@acme" not in frame.loc[0, "answer"] + frame.loc[0, "context"]
    assert "[EMAIL]" in frame.loc[0, "messages"][1]["content"]
    assert done["dropped: secret (credential assignment)"] == 1 and done["redacted: email"] == 2


def test_screen_keeps_what_the_policy_does_not_name() -> None:
    judged, chunks = _judged([("Where do claims go?", "To help@acme.example.", True)])
    frame, done = screen_examples(build_examples(judged, chunks), PiiPolicy(kinds=("phone",)))
    assert frame.loc[0, "answer"] == "To help@acme.example." and not done
