"""QA generation through an OpenAI-compatible LLM. (Over 400 lines, one idea: LLM generation.)

All chunks of a partition are requested concurrently (up to the client's limit): there is no
barrier between chunks, and with knowledge augmentation a chunk's QA request follows its own
key-facts request without waiting for the other chunks. Output rows follow the QA_PAIRS
contract; a chunk that fails for good becomes one row carrying its error, never a silent gap.

Pairs that break a row rule of the qa_pairs expectation suite (question ending in '?', length
bounds, answer not a copy of the question, no repeated question within the document) are dropped
here and counted by reason, so one sloppy pair costs that pair and not the whole document.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa

from sdg_pipeline.expectations.thresholds import CheckThresholds
from sdg_pipeline.generate.ids import pair_id
from sdg_pipeline.llm.cache import CacheRoot, ResponseCache
from sdg_pipeline.llm.client import (
    LLMClient,
    LLMFailureRateExceeded,
    LLMSettings,
    RowFailure,
    first_llm_error,
    open_sdk,
    run_sync,
)
from sdg_pipeline.llm.json_output import MalformedOutput, parse_json_object
from sdg_pipeline.llm.prompts import (
    FACTS_PROMPT_VERSION,
    GENERATION_PACK_PROMPT_VERSION,
    GENERATION_PROMPT_VERSION,
    facts_messages,
    generation_messages,
    generation_messages_packed,
    question_types_for,
)
from sdg_pipeline.llm.replies import (
    FACTS_SCHEMA,
    GENERATION_SCHEMA,
    PACKED_GENERATION_SCHEMA,
    FactsReply,
    GeneratedPair,
    PackedPair,
    parse_reply,
    validate_reply,
)
from sdg_pipeline.schemas import QA_PAIRS

GENERATOR_NAME = "llm"
T = TypeVar("T")

# Reasons a pair is dropped (keys of the `pairs_dropped` metadata) and how the re-ask names them.
DROP_REASONS = {
    "not_an_object": "was not a JSON object",
    "empty": "had an empty question or answer",
    "no_question_mark": "had a question not ending with '?'",
    "question_length": "had a question outside {question_min_chars}..{question_max_chars} chars",
    "answer_length": "had an answer outside {answer_min_chars}..{answer_max_chars} chars",
    "answer_is_question": "had an answer repeating the question",
    "duplicate_question": "repeated an earlier question",
    "over_limit": "exceeded the number of pairs asked for",
    "no_passage": "named no passage of the request",
}


@dataclass(frozen=True)
class ChunkInput:
    chunk_id: str
    document_key: str
    content_hash: str
    chunk_index: int
    heading_path: tuple[str, ...]
    text: str
    has_table: bool
    document_subject: str | None = None


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of Python values with missing values as None (pandas would give NaN, which
    is truthy). Column by column: `astype(object).where(...)` over the whole frame was most of
    the LLM steps' own CPU at 100 small documents."""
    columns = {}
    for name in df.columns:
        column = df[name]
        values = column.tolist()
        if column.hasnans:
            values = [
                None if missing else v for v, missing in zip(values, column.isna(), strict=True)
            ]
        columns[name] = values
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def chunk_inputs(chunks: pd.DataFrame) -> list[ChunkInput]:
    out = []
    for row in records(chunks):
        heading = row.get("heading_path")
        out.append(
            ChunkInput(
                chunk_id=str(row["chunk_id"]),
                document_key=str(row["document_key"]),
                content_hash=str(row.get("content_hash") or ""),
                chunk_index=int(row.get("chunk_index") or 0),
                heading_path=tuple(str(h) for h in heading) if heading is not None else (),
                text=str(row.get("text") or ""),
                has_table=bool(row.get("has_table") or False),
                document_subject=row.get("document_subject") or None,
            )
        )
    return out


def frame(rows: list[dict[str, Any]], schema: pa.Schema) -> pd.DataFrame:
    """Rows → DataFrame with exactly the contract's columns and types."""
    return pa.Table.from_pylist(rows, schema=schema).to_pandas()


async def gather_all(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """Run concurrently; the first LLMError (endpoint down, budget) cancels the rest and is
    raised as itself, not wrapped in an ExceptionGroup."""
    tasks: list[asyncio.Task[T]] = []
    error: BaseException | None = None
    try:
        async with asyncio.TaskGroup() as group:
            for awaitable in awaitables:
                tasks.append(group.create_task(_as_coroutine(awaitable)))
    except BaseExceptionGroup as eg:
        error = first_llm_error(eg)
    if error is not None:
        raise error
    return [task.result() for task in tasks]


async def _as_coroutine(awaitable: Awaitable[T]) -> T:
    return await awaitable


def locate_evidence(evidence: str | None, chunk_text: str) -> str | None:
    """The chunk's own span for the model's evidence (whitespace may differ), or None when the
    model did not copy it from the chunk: evidence must always cite the raw chunk."""
    if not evidence or not evidence.strip():
        return None
    evidence = evidence.strip().strip('"')
    if evidence in chunk_text:
        return evidence
    words = [re.escape(w) for w in evidence.split()]
    if not words:
        return None
    match = re.search(r"\s+".join(words), chunk_text, re.IGNORECASE)
    return match.group(0) if match else None


def question_key(text: str) -> str:
    """Case- and spacing-insensitive identity of a question or answer; the same rule as the
    qa_pairs suite's duplicate and answer-is-question checks (checks/suites.py `_normalized`)."""
    return " ".join(text.casefold().split()).rstrip(" ?.!")


def drop_reason(question: str, answer: str, limits: CheckThresholds) -> str | None:
    """Which qa_pairs row rule the pair breaks, or None when it keeps every one."""
    if not question or not answer:
        return "empty"
    if not question.endswith("?"):
        return "no_question_mark"
    if not limits.question_min_chars <= len(question) <= limits.question_max_chars:
        return "question_length"
    if not limits.answer_min_chars <= len(answer) <= limits.answer_max_chars:
        return "answer_length"
    if question_key(question) == question_key(answer):
        return "answer_is_question"
    return None


def describe_drops(drops: Counter[str], limits: CheckThresholds) -> str:
    bounds = vars(limits)
    return "; ".join(
        f"{count} {DROP_REASONS[reason].format(**bounds)}" for reason, count in drops.most_common()
    )


def _usable_pairs(
    items: Sequence[GeneratedPair],
    chunk_text: str,
    limit: int,
    limits: CheckThresholds,
    dropped: Counter[str],
) -> list[dict[str, Any]]:
    """The pairs of one chunk that keep the qa_pairs row rules, at most `limit`; the others
    are counted in `dropped` by reason."""
    pairs: list[dict[str, Any]] = []
    seen: set[str] = set()
    for pair in items:
        question, answer = pair.question, pair.answer
        reason = drop_reason(question, answer, limits)
        if reason is None and question_key(question) in seen:
            reason = "duplicate_question"
        if reason is None and len(pairs) >= limit:
            reason = "over_limit"
        if reason is not None:
            dropped[reason] += 1
            continue
        seen.add(question_key(question))
        pairs.append(
            {
                "question": question,
                "answer": answer,
                "question_type": pair.question_type,
                "evidence": locate_evidence(pair.evidence, chunk_text),
            }
        )
    return pairs


def _reply_items(text: str, model: type[GeneratedPair], dropped: Counter[str]) -> list[Any]:
    items = []
    for item in parse_json_object(text, "pairs")["pairs"]:
        if not isinstance(item, dict):
            dropped["not_an_object"] += 1
            continue
        try:
            items.append(validate_reply(model, item))
        except MalformedOutput:  # a field no coercion can read: the item is not a pair
            dropped["not_an_object"] += 1
    return items


def _report_drops(
    dropped: Counter[str], drops: Counter[str] | None, any_kept: bool, limits: CheckThresholds
) -> None:
    if drops is not None:
        drops.clear()
        drops.update(dropped)
    if not any_kept:
        if not dropped:
            raise MalformedOutput("the pairs list was empty")
        raise MalformedOutput(f"no usable pair: {describe_drops(dropped, limits)}")


def parse_pairs(
    text: str,
    chunk_text: str,
    limit: int,
    *,
    thresholds: CheckThresholds | None = None,
    drops: Counter[str] | None = None,
) -> list[dict[str, Any]]:
    """Pairs of a generation reply that keep the qa_pairs row rules; MalformedOutput (so the
    model is re-asked with the reasons) when none does. `drops` is filled with the count of
    dropped pairs per reason of this reply."""
    limits = thresholds or CheckThresholds()
    dropped: Counter[str] = Counter()
    pairs = _usable_pairs(
        _reply_items(text, GeneratedPair, dropped), chunk_text, limit, limits, dropped
    )
    _report_drops(dropped, drops, bool(pairs), limits)
    return pairs


def parse_packed_pairs(
    text: str,
    chunk_texts: Sequence[str],
    limits_per_chunk: Sequence[int],
    *,
    thresholds: CheckThresholds | None = None,
    drops: Counter[str] | None = None,
) -> list[list[dict[str, Any]]]:
    """Per passage of a request that carried several chunks, its usable pairs (evidence
    located in that passage's own chunk). A pair naming no passage of the request is dropped,
    never given to a guessed one. MalformedOutput only when no passage got a pair: a passage
    left empty is asked for alone (PackedGeneration), not by re-asking for the whole pack."""
    limits = thresholds or CheckThresholds()
    dropped: Counter[str] = Counter()
    by_passage: list[list[GeneratedPair]] = [[] for _ in chunk_texts]
    for item in _reply_items(text, PackedPair, dropped):
        if not 1 <= item.passage <= len(chunk_texts):
            dropped["no_passage"] += 1
            continue
        by_passage[item.passage - 1].append(item)
    out = [
        _usable_pairs(items, chunk_texts[i], limits_per_chunk[i], limits, dropped)
        for i, items in enumerate(by_passage)
    ]
    _report_drops(dropped, drops, any(out), limits)
    return out


def parse_facts(text: str) -> list[str]:
    facts = parse_reply(FactsReply, text, "facts").facts
    if not facts:
        raise MalformedOutput("the facts list was empty")
    return facts


def error_row(chunk: ChunkInput, *, model: str, prompt_version: str, error: str) -> dict[str, Any]:
    return {
        "pair_id": pair_id(chunk.chunk_id, ""),
        "chunk_id": chunk.chunk_id,
        "document_key": chunk.document_key,
        "content_hash": chunk.content_hash,
        "question": None,
        "answer": None,
        "question_type": None,
        "evidence": None,
        "generator": GENERATOR_NAME,
        "model": model,
        "prompt_version": prompt_version,
        "error": error,
    }


def prompt_version_for(settings: LLMSettings) -> str:
    if settings.knowledge_augmentation:
        return f"{GENERATION_PROMPT_VERSION}+{FACTS_PROMPT_VERSION}"
    return GENERATION_PROMPT_VERSION


async def generate_for_chunk(
    client: LLMClient,
    chunk: ChunkInput,
    *,
    model: str,
    outline: Sequence[str],
    thresholds: CheckThresholds | None = None,
    drops: Counter[str] | None = None,
    source_text: str | None = None,
    extra_instructions: str = "",
    question_types: Sequence[str] | None = None,
    n_pairs: int | None = None,
    kind: str = "generate",
) -> list[dict[str, Any]]:
    """QA_PAIRS rows for one chunk: its pairs, or a single row with the error. `drops` gets the
    pairs dropped from the reply that was used (or from the last one rejected), by reason.

    Recipes (sdg_pipeline/recipes/) may write from another view of the chunk (`source_text`, a
    summary; evidence is still located in the raw chunk), add `extra_instructions` after the
    passage, and set the question types and count; without them the prompt is today's."""
    settings = client.settings
    version = prompt_version_for(settings)
    n = max(1, n_pairs or settings.pairs_per_chunk)
    # parse_pairs may run several times (cache replay, re-asks); the reply finally taken (or
    # the last rejected one) is what the counts describe.
    reply_drops: Counter[str] = Counter()
    try:
        facts: list[str] | None = None
        if settings.knowledge_augmentation:
            facts = await client.complete_json(
                kind="facts",
                model=model,
                messages=facts_messages(chunk_text=chunk.text, domain=settings.domain),
                schema_name="key_facts",
                schema=FACTS_SCHEMA,
                prompt_version=FACTS_PROMPT_VERSION,
                temperature=settings.judge_temperature,
                parse=parse_facts,
            )
        messages = generation_messages(
            chunk_text=chunk.text if source_text is None else source_text,
            document_key=chunk.document_key,
            heading_path=chunk.heading_path,
            outline=outline,
            n_pairs=n,
            question_types=asked_types(chunk, n, question_types),
            domain=settings.domain,
            example_questions=settings.example_questions,
            facts=facts,
            subject=chunk.document_subject,
        )
        if extra_instructions:
            messages[-1] = {
                "role": "user",
                "content": f"{messages[-1]['content']}\n\n{extra_instructions}",
            }
        pairs = await client.complete_json(
            kind=kind,
            model=model,
            messages=messages,
            schema_name="qa_pairs",
            schema=GENERATION_SCHEMA,
            prompt_version=version,
            temperature=settings.temperature,
            parse=lambda text: parse_pairs(
                text, chunk.text, n, thresholds=thresholds, drops=reply_drops
            ),
        )
    except RowFailure as failure:
        return [error_row(chunk, model=model, prompt_version=version, error=str(failure))]
    finally:
        if drops is not None:
            drops.update(reply_drops)
    return pair_rows(chunk, pairs, model=model, prompt_version=version)


def asked_types(chunk: ChunkInput, n: int, question_types: Sequence[str] | None) -> list[str]:
    """The question types a chunk's request asks for: the recipe's, else today's rotation."""
    if question_types:
        return list(question_types)[:n]
    return question_types_for(
        chunk.chunk_index,
        n,
        has_table=chunk.has_table,
        has_digits=any(ch.isdigit() for ch in chunk.text),
    )


def pair_rows(
    chunk: ChunkInput, pairs: Sequence[dict[str, Any]], *, model: str, prompt_version: str
) -> list[dict[str, Any]]:
    return [
        {
            "pair_id": pair_id(chunk.chunk_id, p["question"]),
            "chunk_id": chunk.chunk_id,
            "document_key": chunk.document_key,
            "content_hash": chunk.content_hash,
            "question": p["question"],
            "answer": p["answer"],
            "question_type": p["question_type"],
            "evidence": p["evidence"],
            "generator": GENERATOR_NAME,
            "model": model,
            "prompt_version": prompt_version,
            "error": None,
        }
        for p in pairs
    ]


P = TypeVar("P")


def consecutive_packs(
    items: Sequence[P],
    *,
    words: Callable[[P], int],
    max_items: int,
    max_words: int,
    same: Callable[[P], Any] = lambda item: None,
) -> list[list[P]]:
    """Consecutive items that share one request: at most `max_items` of them and `max_words`
    words (an item longer than that goes alone), and only items equal under `same`. Short
    chunks each cost a request of their own otherwise, most of it fixed instructions and
    context and the round trip."""
    packs: list[list[P]] = []
    current: list[P] = []
    total = 0
    for item in items:
        size = words(item)
        if current and (
            len(current) >= max_items or total + size > max_words or same(item) != same(current[0])
        ):
            packs.append(current)
            current, total = [], 0
        current.append(item)
        total += size
    if current:
        packs.append(current)
    return packs


@dataclass(frozen=True)
class GenerationAsk:
    """What one chunk's first generation request asks for."""

    chunk: ChunkInput
    n_pairs: int
    question_types: tuple[str, ...]
    extra_instructions: str = ""


class PackedGeneration:
    """Each chunk's first generation request, with a few consecutive chunks of a document
    sharing one request (`generation_chunks_per_request`, `generation_max_source_words`).

    The packs are fixed before any request from the chunks' order, so an unchanged document
    asks the same requests again and replays them from the cache. A chunk the pack's reply
    gave no usable pair (or whose pack failed for good) is asked alone with the one-chunk
    prompt, so packing never costs a chunk its pairs. With knowledge augmentation (a facts
    request per chunk first) every chunk is asked alone, as before.
    """

    def __init__(
        self,
        client: LLMClient,
        asks: Sequence[GenerationAsk],
        *,
        model: str,
        outline: Sequence[str],
        thresholds: CheckThresholds | None = None,
        drops: Counter[str] | None = None,
    ) -> None:
        settings = client.settings
        alone = settings.knowledge_augmentation or settings.generation_chunks_per_request <= 1
        self._client = client
        self._model = model
        self._outline = outline
        self._thresholds = thresholds
        self._drops = drops if drops is not None else Counter()
        self._packs = consecutive_packs(
            sorted(asks, key=lambda a: a.chunk.chunk_index),
            words=lambda a: len(a.chunk.text.split()),
            max_items=1 if alone else settings.generation_chunks_per_request,
            max_words=settings.generation_max_source_words,
            same=lambda a: (a.extra_instructions, a.chunk.document_subject),
        )
        self._where = {
            ask.chunk.chunk_id: (i, j)
            for i, pack in enumerate(self._packs)
            for j, ask in enumerate(pack)
        }
        self._tasks: dict[int, asyncio.Future[list[list[dict[str, Any]]]]] = {}

    @classmethod
    def for_chunks(
        cls,
        client: LLMClient,
        chunks: Sequence[ChunkInput],
        *,
        model: str,
        outline: Sequence[str],
        thresholds: CheckThresholds | None = None,
        drops: Counter[str] | None = None,
    ) -> PackedGeneration:
        """Today's ask for every chunk: the settings' pair count and the rotating types."""
        n = max(1, client.settings.pairs_per_chunk)
        return cls(
            client,
            [GenerationAsk(c, n, tuple(asked_types(c, n, None))) for c in chunks],
            model=model,
            outline=outline,
            thresholds=thresholds,
            drops=drops,
        )

    @property
    def packs(self) -> list[list[ChunkInput]]:
        """The chunks of each generation request, in reading order."""
        return [[ask.chunk for ask in pack] for pack in self._packs]

    async def rows(self, chunk: ChunkInput) -> list[dict[str, Any]]:
        """The chunk's QA_PAIRS rows (or its one error row); the first of a pack's chunks to
        ask starts the pack's request, the others wait on it."""
        i, j = self._where[chunk.chunk_id]
        if i not in self._tasks:
            self._tasks[i] = asyncio.ensure_future(self._generate(self._packs[i]))
        return list((await self._tasks[i])[j])

    async def _alone(self, ask: GenerationAsk) -> list[dict[str, Any]]:
        return await generate_for_chunk(
            self._client,
            ask.chunk,
            model=self._model,
            outline=self._outline,
            thresholds=self._thresholds,
            drops=self._drops,
            extra_instructions=ask.extra_instructions,
            question_types=ask.question_types,
            n_pairs=ask.n_pairs,
        )

    async def _generate(self, pack: Sequence[GenerationAsk]) -> list[list[dict[str, Any]]]:
        if len(pack) == 1:
            return [await self._alone(pack[0])]
        settings = self._client.settings
        first = pack[0]
        reply_drops: Counter[str] = Counter()
        texts = [a.chunk.text for a in pack]
        try:
            per_chunk = await self._client.complete_json(
                kind="generate",
                model=self._model,
                messages=generation_messages_packed(
                    passages=[
                        (a.chunk.text, a.chunk.heading_path, a.n_pairs, a.question_types)
                        for a in pack
                    ],
                    document_key=first.chunk.document_key,
                    outline=self._outline,
                    domain=settings.domain,
                    example_questions=settings.example_questions,
                    subject=first.chunk.document_subject,
                    extra_instructions=first.extra_instructions,
                ),
                schema_name="qa_pairs_packed",
                schema=PACKED_GENERATION_SCHEMA,
                prompt_version=GENERATION_PACK_PROMPT_VERSION,
                temperature=settings.temperature,
                parse=lambda text: parse_packed_pairs(
                    text,
                    texts,
                    [a.n_pairs for a in pack],
                    thresholds=self._thresholds,
                    drops=reply_drops,
                ),
                max_tokens=settings.max_tokens * len(pack),
            )
        except RowFailure:
            per_chunk = [[] for _ in pack]
        finally:
            self._drops.update(reply_drops)
        out: list[list[dict[str, Any]]] = [
            pair_rows(
                ask.chunk, pairs, model=self._model, prompt_version=GENERATION_PACK_PROMPT_VERSION
            )
            for ask, pairs in zip(pack, per_chunk, strict=True)
        ]
        missing = [k for k, rows in enumerate(out) if not rows]
        alone = await gather_all(self._alone(pack[k]) for k in missing)
        for k, rows in zip(missing, alone, strict=True):
            out[k] = rows
        return out


def check_failure_rate(
    *, stage: str, document_key: str, failed: int, total: int, errors: Counter[str], limit: float
) -> None:
    if total and failed / total > limit:
        counts = ", ".join(f"{kind}={count}" for kind, count in errors.most_common()) or "none"
        raise LLMFailureRateExceeded(
            f"LLM {stage} failed for {failed} of {total} items ({failed / total:.0%}, allowed "
            f"{limit:.0%}) of document {document_key!r}; errors: {counts}. Successful replies "
            "are cached, so a re-run only repeats the failed requests."
        )


def error_kinds(rows: Iterable[dict[str, Any]], column: str) -> Counter[str]:
    return Counter(str(r[column]).split(":", 1)[0] for r in rows if r.get(column))


def drop_repeated_questions(
    per_chunk: Sequence[list[dict[str, Any]]], drops: Counter[str]
) -> list[list[dict[str, Any]]]:
    """Per chunk (in reading order), its rows without questions an earlier chunk already asked,
    keeping the first; each dropped pair is counted under `duplicate_question`.

    A chunk whose every pair repeats earlier ones is left with no rows, not with an error row:
    its reply was usable, the document already holds those questions, and asking again would
    not reliably give new ones, so it must neither count against the failure rate nor promise
    that a re-run repairs it.
    """
    seen: set[str] = set()
    out: list[list[dict[str, Any]]] = []
    for rows in per_chunk:
        if not rows or rows[0]["error"]:
            out.append(list(rows))
            continue
        kept = []
        for row in rows:
            key = question_key(row["question"])
            if key in seen:
                drops["duplicate_question"] += 1
                continue
            seen.add(key)
            kept.append(row)
        out.append(kept)
    return out


async def agenerate_pairs(
    chunks: pd.DataFrame,
    *,
    settings: LLMSettings,
    cache_root: CacheRoot,
    document_key: str,
    outline: Sequence[str],
    budget_scope: str | None = None,
    thresholds: CheckThresholds | None = None,
    limiter: asyncio.Semaphore | None = None,
    sdk: Any = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    inputs = chunk_inputs(chunks)
    cache = ResponseCache(cache_root, enabled=settings.cache_enabled)
    drops: Counter[str] = Counter()
    async with LLMClient(
        settings,
        cache=cache,
        document_key=document_key,
        budget_scope=budget_scope,
        limiter=limiter,
        sdk=sdk,
    ) as client:
        model = await client.generator_model() if inputs else (settings.model or "")
        packed = PackedGeneration.for_chunks(
            client, inputs, model=model, outline=outline, thresholds=thresholds, drops=drops
        )
        per_chunk = await gather_all(packed.rows(chunk) for chunk in inputs)
    return finish_generation(
        inputs,
        per_chunk,
        drops,
        settings=settings,
        document_key=document_key,
        stats=client.stats.as_metadata()
        | {
            "generator": GENERATOR_NAME,
            "model": model,
            "prompt_version": prompt_version_for(settings),
            "endpoint_host": settings.endpoint_host,
        },
    )


def finish_generation(
    inputs: Sequence[ChunkInput],
    per_chunk: Sequence[list[dict[str, Any]]],
    drops: Counter[str],
    *,
    settings: LLMSettings,
    document_key: str,
    stats: dict[str, Any],
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One document's generated rows → (QA_PAIRS frame, metadata): repeats dropped in reading
    order, failures counted, the failure-rate limit applied. Shared by every LLM generator."""
    # Reading order decides which copy of a repeated question is kept.
    order = sorted(range(len(inputs)), key=lambda i: inputs[i].chunk_index)
    generated = [per_chunk[i] for i in order]
    kept = drop_repeated_questions(generated, drops)
    rows = [row for chunk_rows in kept for row in chunk_rows]
    failed = sum(1 for chunk_rows in kept if chunk_rows and chunk_rows[0]["error"])
    repeats_only = sum(
        1 for before, after in zip(generated, kept, strict=True) if before and not after
    )
    metadata = stats | {
        "chunks": len(inputs),
        "pairs": len(rows) - failed,
        "failed_chunks": failed,
        "failure_rate": round(failed / len(inputs), 4) if inputs else 0.0,
        "pairs_dropped": dict(drops.most_common()),
        "duplicates_dropped": drops["duplicate_question"],
        "chunks_only_duplicates": repeats_only,
    }
    check_failure_rate(
        stage="generation",
        document_key=document_key,
        failed=failed,
        total=len(inputs),
        errors=error_kinds(rows, "error"),
        limit=settings.max_failure_rate,
    )
    return frame(rows, QA_PAIRS), metadata


def generate_pairs_llm(
    chunks: pd.DataFrame,
    *,
    settings: LLMSettings,
    cache_root: CacheRoot,
    document_key: str,
    outline: Sequence[str] = (),
    run_id: str | None = None,
    thresholds: CheckThresholds | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """QA pairs for one document's chunks (CHUNKS columns) → (QA_PAIRS frame, metadata dict).

    `run_id` scopes the spend budget to a run.
    `thresholds` are the qa_pairs suite's bounds a pair must keep (default: CheckThresholds());
    pairs breaking them are dropped and counted in the metadata's `pairs_dropped`.
    Raises LLMFailureRateExceeded / LLMUnavailable / LLMBudgetExceeded.
    """
    return run_sync(
        lambda: agenerate_pairs(
            chunks,
            settings=settings,
            cache_root=cache_root,
            document_key=document_key,
            outline=outline,
            budget_scope=run_id,
            thresholds=thresholds,
        )
    )


@dataclass(frozen=True)
class DocumentChunks:
    """One document of a batch: its key, its chunks and its outline."""

    document_key: str
    chunks: pd.DataFrame
    outline: Sequence[str] = ()


async def resolve_model(settings: LLMSettings, *, judge: bool = False) -> LLMSettings:
    """Settings with the model named, asking the endpoint once: a batch's documents then
    share one answer instead of one model listing each."""
    if (settings.judge_model if judge else settings.model) or not settings.is_configured:
        return settings
    async with LLMClient(settings) as client:
        model = await (client.judge_model() if judge else client.generator_model())
    return replace(settings, **{"judge_model" if judge else "model": model})


@dataclass(frozen=True)
class SharedEndpoint:
    """What a batch's documents share: one concurrency limit and one connection pool."""

    limiter: asyncio.Semaphore
    sdk: Any


async def run_documents(
    settings: LLMSettings,
    keys: Sequence[str],
    one: Callable[[str, SharedEndpoint], Awaitable[T]],
) -> dict[str, T | BaseException]:
    """`one(key, shared)` for every document at once, under one shared concurrency limit;
    a document's exception is its own result, so one bad document never sinks the others."""
    shared = SharedEndpoint(asyncio.Semaphore(max(1, settings.max_concurrency)), open_sdk(settings))
    try:
        results = await asyncio.gather(*(one(key, shared) for key in keys), return_exceptions=True)
    finally:
        await shared.sdk.close()
    for result in results:
        if isinstance(result, (KeyboardInterrupt, SystemExit, asyncio.CancelledError)):
            raise result
    return dict(zip(keys, results, strict=True))


def generate_pairs_llm_many(
    documents: Sequence[DocumentChunks],
    *,
    settings: LLMSettings,
    cache_root: CacheRoot,
    run_id: str | None = None,
    thresholds: CheckThresholds | None = None,
) -> dict[str, tuple[pd.DataFrame, dict[str, Any]] | BaseException]:
    """`generate_pairs_llm` for a batch of documents whose requests share one concurrency
    budget (`settings.max_concurrency` in flight across the batch, not per document).
    Returns per document key its (frame, metadata) or the exception that ended it."""

    def one(doc: DocumentChunks, named: LLMSettings, shared: SharedEndpoint) -> Awaitable[Any]:
        return agenerate_pairs(
            doc.chunks,
            settings=named,
            cache_root=cache_root,
            document_key=doc.document_key,
            outline=doc.outline,
            budget_scope=run_id,
            thresholds=thresholds,
            limiter=shared.limiter,
            sdk=shared.sdk,
        )

    return generate_batch(documents, settings, one)


def generate_batch(
    documents: Sequence[DocumentChunks],
    settings: LLMSettings,
    one: Callable[[DocumentChunks, LLMSettings, SharedEndpoint], Awaitable[T]],
    *,
    with_judge: bool = False,
) -> dict[str, T | BaseException]:
    """`one(document, settings, shared)` for a batch under one shared endpoint, the model (and
    the judge's, `with_judge`) named once for the batch instead of once per document."""
    by_key = {doc.document_key: doc for doc in documents}

    async def main() -> dict[str, T | BaseException]:
        named = settings
        if any(len(d.chunks) for d in documents):
            named = await resolve_model(settings)
            if with_judge:
                named = await resolve_model(named, judge=True)
        return await run_documents(
            named, list(by_key), lambda key, shared: one(by_key[key], named, shared)
        )

    return run_sync(main)
