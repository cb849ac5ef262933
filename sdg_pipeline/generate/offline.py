"""Offline question/answer generation: extractive, deterministic, faithful by construction.

Used when no LLM endpoint is configured, so a fresh machine without keys still produces real
training data. Every answer is text of the chunk (a cell, a sentence, the opening of a section),
at most wrapped in a short sentence built from the chunk's own words, and every question is built
by rules from the chunk's structure:

- ``table``: a pipe table with a header row and a key column -> "What is the <column> for <row
  key> in <topic>?", answered by the cell;
- ``definition``: "X is a/an/the ...", "X means/refers to ...", glossary lines "X: ..." and bold
  terms -> "What is X?" / "What does X mean?", answered by the defining sentence;
- ``numeric``: sentences holding numbers, dates or amounts -> a wh-question where a rule fits
  ("How many days of leave do employees receive?", "When was X introduced?", "What is the
  budget?"), otherwise "What does <topic> state about <subject>?";
- ``factual``: a section heading -> "What does <document topic> say about <heading>?", answered
  by the first sentences of the section.

A document's subject (`chunks.document_subject`: issuer, product or title, see
`sdg_pipeline.chunk.subject`) is named by every question: "What does <subject> say about
<heading>?", else "According to <subject>, ...".

A question's topic is the section its answer comes from: the nearest heading above it in the
chunk, else the chunk's `heading_path[-1]` (the section holding the whole chunk). A heading that
is itself a question (FAQs) is not put inside another question; the document topic stands in.

Candidates that fail `check_grounding` or `standalone_issues` are dropped, so the output passes
the same deterministic checks the judges apply. The templates are English; chunks written
mostly in other scripts yield no pairs.

This module assembles and selects; `offline_reading` parses the chunk, `offline_phrasing`
phrases, and `offline_prose` and `offline_tables` propose the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from sdg_pipeline.generate.ids import pair_id
from sdg_pipeline.generate.offline_phrasing import display_subject, with_subject
from sdg_pipeline.generate.offline_prose import (
    definition_candidates,
    factual_candidates,
    numeric_candidates,
)
from sdg_pipeline.generate.offline_reading import (
    MAX_ANSWER_WORDS,
    Candidate,
    ChunkContext,
    Sentence,
    chunk_sentences,
    parse_chunk_blocks,
    question_topic,
    recurring_headings,
    words_of,
)
from sdg_pipeline.generate.offline_tables import table_candidates
from sdg_pipeline.judge.grounding import (
    check_grounding,
    standalone_issues,
)
from sdg_pipeline.judge.pair_checks import pair_issues
from sdg_pipeline.schemas import QA_PAIRS
from sdg_pipeline.text import leaf_blocks

GENERATOR_NAME = "offline-extractive"
OFFLINE_PROMPT_VERSION = "offline-v22"

# Order of preference when a chunk offers more candidates than `max_pairs_per_chunk`.
QUESTION_TYPES = ("table", "definition", "numeric", "factual")

_MIN_CHUNK_WORDS = 12
# an answer holding another adds less than a sentence's worth of words: the same fact twice
_NEW_WORDS = 12


_ENGLISH_MARKERS = {
    "the", "of", "and", "to", "is", "are", "was", "were", "for", "with", "that", "this", "by",
    "as", "on", "be", "or", "from", "it", "an", "which", "can", "has", "have", "not", "their",
}  # fmt: skip


def _looks_english(sentences: list[Sentence]) -> bool:
    # The templates are English; prose in other languages (or lorem ipsum) gets no questions.
    words = [w.lower() for s in sentences for w in words_of(s.text)]
    if len(words) < 20:
        return True
    return sum(1 for w in words if w in _ENGLISH_MARKERS) / len(words) >= 0.12


def _mostly_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f")
    return latin / len(letters) >= 0.8


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, float) and pd.isna(value):
        return []
    return [str(v) for v in list(value) if v is not None and str(v).strip()]


def _context(
    text: str,
    heading_path: list[str],
    subject: str | None = None,
    recurring: frozenset[str] = frozenset(),
    chunk_index: int = 0,
) -> ChunkContext:
    # heading_path is the deepest section holding the whole chunk (see sdg_pipeline.chunk), so
    # text before the chunk's first heading lies in its last entry; each block then takes the
    # nearest heading above it, and a chunk spanning sections asks about each by its own name.
    inherited = heading_path[-1] if heading_path else None
    blocks = parse_chunk_blocks(text, inherited)
    # The document's subject (its issuer, product or title, found once per document) is the
    # only source a question may cite: a section heading or a file name standing in for it
    # wrote "What does the economy and the labour market state about ...?" and "... in
    # unstructured example 10k?", which name nothing a reader can place.
    return ChunkContext(
        text=text,
        blocks=blocks,
        sentences=chunk_sentences(blocks),
        subject=question_topic(subject) if subject else None,
        lower_words={w for w in re.findall(r"\b[a-z][a-z-]+\b", text)},
        recurring_headings=recurring,
        # a chunk after the first whose text opens on no heading carries on a section begun in
        # an earlier chunk
        continues_section=chunk_index > 0 and not (blocks and blocks[0].kind == "heading"),
    )


def _chunk_candidates(context: ChunkContext) -> dict[str, list[Candidate]]:
    return {
        "table": list(table_candidates(context)),
        "definition": list(definition_candidates(context)),
        "numeric": list(numeric_candidates(context)),
        "factual": list(factual_candidates(context)),
    }


def _acceptable(candidate: Candidate, chunk_text: str) -> bool:
    question, answer = candidate.question, candidate.answer
    if not answer.strip() or not question.endswith("?") or len(question.split()) < 3:
        return False
    if len(words_of(answer)) > MAX_ANSWER_WORDS:
        return False
    if re.search(r"[|#]|\*\*", answer):
        return False
    if question.rstrip("?").strip().lower() == answer.rstrip(".").strip().lower():
        return False
    if standalone_issues(question):
        return False
    # The judges' deterministic checks: a candidate that would fail them is not written.
    if pair_issues(question, answer, chunk_text, candidate.question_type):
        return False
    return check_grounding(answer, chunk_text).ok


def _mostly_inside(one: str, other: str) -> bool:
    short, long = sorted((one, other), key=len)
    return short in long and len(long.split()) - len(short.split()) < _NEW_WORDS


def _select(
    candidates: dict[str, list[Candidate]],
    chunk_text: str,
    limit: int,
    seen_questions: set[str],
) -> list[Candidate]:
    """Round-robin over the types in priority order so one big table cannot crowd out the rest."""
    queues = {kind: iter(candidates.get(kind, [])) for kind in QUESTION_TYPES}
    chosen: list[Candidate] = []
    used_evidence: set[str] = set()
    used_answers: list[str] = []
    while len(chosen) < limit and queues:
        for kind in list(queues):
            if len(chosen) >= limit:
                break
            for candidate in queues[kind]:
                key = candidate.question.lower()
                if key in seen_questions or candidate.evidence in used_evidence:
                    continue
                # "Column Mirroring (MX) is implemented by ..." asked twice, once with the
                # short sentence after it (read 35): an answer inside another that adds a few
                # words teaches nothing new (a section's summary may well hold one of its facts)
                said = " ".join(candidate.answer.lower().split())
                if any(_mostly_inside(said, a) for a in used_answers):
                    continue
                if not _acceptable(candidate, chunk_text):
                    continue
                used_answers.append(said)
                seen_questions.add(key)
                used_evidence.add(candidate.evidence)
                chosen.append(candidate)
                break
            else:
                del queues[kind]
    return chosen


def _rows(chunks: pd.DataFrame, max_pairs_per_chunk: int) -> Iterable[dict[str, Any]]:
    ordered = chunks
    sort_keys = [c for c in ("document_key", "chunk_index", "chunk_id") if c in chunks.columns]
    if sort_keys:
        ordered = chunks.sort_values(sort_keys, kind="mergesort")
    seen_by_document: dict[str, set[str]] = {}
    texts = ordered["text"].where(ordered["text"].map(lambda t: isinstance(t, str)), "")
    recurring = {
        str(key): recurring_headings(group)
        for key, group in texts.groupby(ordered["document_key"].astype(str), sort=False)
    }
    for chunk in ordered.itertuples(index=False):
        text = chunk.text if isinstance(chunk.text, str) else ""
        body_words = sum(
            len(words_of(text[b.start : b.end])) for b in leaf_blocks(text) if b.kind != "heading"
        )
        if body_words < _MIN_CHUNK_WORDS or not _mostly_latin(text):
            continue
        heading_path = _as_list(getattr(chunk, "heading_path", None))
        subject = getattr(chunk, "document_subject", None)
        subject = display_subject(subject) if isinstance(subject, str) and subject.strip() else None
        index = getattr(chunk, "chunk_index", 0)
        context = _context(
            text,
            heading_path,
            subject,
            recurring[str(chunk.document_key)],
            int(index) if isinstance(index, (int, float)) and index == index else 0,
        )
        if not context.sentences and not any(b.kind == "table" for b in context.blocks):
            continue
        if not _looks_english(context.sentences):
            continue
        seen = seen_by_document.setdefault(str(chunk.document_key), set())
        for candidate in _select(_chunk_candidates(context), text, max_pairs_per_chunk, seen):
            question = with_subject(candidate.question, subject)
            yield {
                "pair_id": pair_id(chunk.chunk_id, question),
                "chunk_id": chunk.chunk_id,
                "document_key": chunk.document_key,
                "content_hash": chunk.content_hash,
                "question": question,
                "answer": candidate.answer,
                "question_type": candidate.question_type,
                "evidence": candidate.evidence,
                "generator": GENERATOR_NAME,
                "model": None,
                "prompt_version": OFFLINE_PROMPT_VERSION,
                "error": None,
            }


def generate_pairs_offline(chunks: pd.DataFrame, max_pairs_per_chunk: int = 4) -> pd.DataFrame:
    """QA pairs (QA_PAIRS columns, in order) drawn from each chunk's tables, definitions,
    numeric facts and headings; same input, same output."""
    columns = QA_PAIRS.names
    if max_pairs_per_chunk <= 0 or chunks.empty:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    rows = list(_rows(chunks, max_pairs_per_chunk))
    if not rows:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    return pd.DataFrame(rows, columns=columns)
