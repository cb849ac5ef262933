"""LLM judging of QA pairs against the RAW chunk, plus the deterministic grounding checks.

One request per chunk grades that chunk's pairs (the source text is sent once); the
deterministic checks run first and a pair they reject is not sent. The LLM's verdict never
overrides the deterministic checks: an answer with a number, date or quote
that is not in the chunk fails even when the judge calls it supported, so does an answer
sentence no span of the chunk supports (or one it reverses), a question that leans on the
document ("according to the text") fails even when the judge calls it standalone, and every
`pair_checks` failure (junk slots, data values as headers, fragments, pointers, layout
artefacts, repeated questions) fails the pair whatever the verdict.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sdg_pipeline.generate.llm import (
    ChunkInput,
    PackedGeneration,
    SharedEndpoint,
    check_failure_rate,
    chunk_inputs,
    consecutive_packs,
    error_kinds,
    frame,
    gather_all,
    prompt_version_for,
    records,
    resolve_model,
    run_documents,
)
from sdg_pipeline.judge.grounding import check_grounding, standalone_issues

# One thresholds type for both judges, so one config object drives either.
from sdg_pipeline.judge.lexical import JudgeThresholds
from sdg_pipeline.judge.pair_checks import mark_repeated, pair_issues
from sdg_pipeline.llm.cache import CacheRoot, ResponseCache
from sdg_pipeline.llm.client import LLMClient, LLMSettings, RowFailure, run_sync
from sdg_pipeline.llm.json_output import MalformedOutput, parse_json_object
from sdg_pipeline.llm.prompts import JUDGE_PROMPT_VERSION, judge_messages
from sdg_pipeline.llm.replies import JUDGE_SCHEMA, JudgeVerdict, validate_reply
from sdg_pipeline.schemas import JUDGED_PAIRS, QA_PAIRS

JUDGE_NAME = "llm"
_CHECKS: ThreadPoolExecutor | None = None


def _checks_pool() -> ThreadPoolExecutor:
    global _CHECKS
    if _CHECKS is None:
        _CHECKS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="judge-checks")
    return _CHECKS


def _forget_checks_pool() -> None:
    # Threads do not survive a fork: an inherited pool would queue work no thread ever runs
    # (the CLI's forked run workers hung on their first judge step).
    global _CHECKS
    _CHECKS = None


os.register_at_fork(after_in_child=_forget_checks_pool)
FAITHFULNESS_SCORES = {"supported": 1.0, "partial": 0.5, "unsupported": 0.0}


def resolve_thresholds(thresholds: Any) -> JudgeThresholds:
    """Accept JudgeThresholds, any object with the same attributes, a dict, or None."""
    if thresholds is None:
        return JudgeThresholds()
    if isinstance(thresholds, JudgeThresholds):
        return thresholds
    defaults = JudgeThresholds()
    get = (
        thresholds.get
        if isinstance(thresholds, dict)
        else (lambda name, default: getattr(thresholds, name, default))
    )
    return JudgeThresholds(
        **{
            name: float(get(name, getattr(defaults, name)))
            for name in ("min_faithfulness", "min_relevancy", "min_standalone")
        }
    )


def parse_verdicts(text: str, count: int) -> dict[int, JudgeVerdict]:
    """Verdicts by pair id; MalformedOutput (so the judge is re-asked) when one is unusable or
    an id of 1..count has none. A verdict without a usable id takes its position."""
    data = parse_json_object(text, "verdicts")
    verdicts: dict[int, JudgeVerdict] = {}
    for position, item in enumerate(data["verdicts"], start=1):
        if not isinstance(item, dict):
            continue
        try:
            pid = int(item.get("id", position))
        except (TypeError, ValueError):
            pid = position
        verdicts[pid] = validate_reply(JudgeVerdict, item | {"id": pid})
    missing = [i for i in range(1, count + 1) if i not in verdicts]
    if missing:
        raise MalformedOutput(f"verdicts missing for pair ids {missing}")
    return verdicts


@dataclass(frozen=True)
class Deterministic:
    """The judge-free half of a pair's verdict: computed before any request, so a pair these
    checks already reject costs no judge tokens (and a chunk of only such pairs no request)."""

    grounding: Any
    leaning: list[str]
    checks: list[str]

    @property
    def ok(self) -> bool:
        return self.grounding.ok and not self.leaning and not self.checks


def deterministic_checks(pair: dict[str, Any], chunk_text: str) -> Deterministic:
    question = str(pair.get("question") or "")
    answer = str(pair.get("answer") or "")
    return Deterministic(
        grounding=check_grounding(answer, chunk_text),
        leaning=standalone_issues(question),
        checks=pair_issues(question, answer, chunk_text, pair.get("question_type")),
    )


def judged_row(
    pair: dict[str, Any],
    chunk_text: str | None,
    verdict: JudgeVerdict | None,
    *,
    judge_model: str,
    judge_error: str | None,
    thresholds: JudgeThresholds,
    checked: Deterministic | None = None,
) -> dict[str, Any]:
    row = {name: pair.get(name) for name in QA_PAIRS.names}
    row.update(judge=JUDGE_NAME, judge_model=judge_model, judge_prompt_version=JUDGE_PROMPT_VERSION)
    if pair.get("error") or chunk_text is None:
        reason = "generation failed" if pair.get("error") else "chunk not found"
        return row | {
            "faithfulness": None,
            "faithfulness_label": None,
            "relevancy": None,
            "standalone": None,
            "grounding_ok": False,
            "grounding_issues": None,
            "reasons": reason,
            "passed": False,
            "judge_error": reason,
        }
    checked = checked or deterministic_checks(pair, chunk_text)
    grounding, leaning, checks = checked.grounding, checked.leaning, checked.checks
    reasons: list[str] = []
    if verdict is None:
        if judge_error is not None:
            reasons.append(f"judge: {judge_error}")
        faith = label = relevancy = standalone = None
    else:
        label = verdict.faithfulness
        faith = FAITHFULNESS_SCORES[label]
        relevancy = verdict.relevancy
        # The deterministic check outranks a lenient judge on standalone-ness too.
        standalone = 0.0 if leaning else verdict.standalone
        if verdict.reason:
            reasons.append(f"judge: {verdict.reason}")
    if not grounding.ok:
        reasons.append("grounding: " + "; ".join(grounding.issues))
    if leaning:
        reasons.append("standalone: " + "; ".join(leaning))
    reasons.extend(checks)
    passed = (
        verdict is not None
        and checked.ok
        and faith is not None
        and faith >= thresholds.min_faithfulness
        and relevancy is not None
        and relevancy >= thresholds.min_relevancy
        and standalone is not None
        and standalone >= thresholds.min_standalone
    )
    if verdict is not None and not passed and not reasons:
        reasons.append("below thresholds")
    return row | {
        "faithfulness": faith,
        "faithfulness_label": label,
        "relevancy": relevancy,
        "standalone": standalone,
        "grounding_ok": grounding.ok,
        "grounding_issues": "; ".join(grounding.issues) or None,
        "reasons": " | ".join(reasons) or None,
        "passed": bool(passed),
        "judge_error": judge_error,
    }


def check_chunk(
    chunk_text: str | None, pairs: Sequence[dict[str, Any]]
) -> dict[int, Deterministic]:
    """The deterministic checks of one chunk's pairs (error rows have none), by `id(pair)`."""
    candidates = [p for p in pairs if not p.get("error")] if chunk_text is not None else []
    return {id(p): deterministic_checks(p, chunk_text or "") for p in candidates}


@dataclass(frozen=True)
class ChunkPairs:
    """One chunk's raw text (None: the chunk is missing) and the pairs written from it."""

    chunk_text: str | None
    pairs: Sequence[dict[str, Any]]

    @property
    def words(self) -> int:
        return len((self.chunk_text or "").split())


def pack_chunks(
    chunks: Sequence[ChunkPairs], *, max_chunks: int, max_words: int
) -> list[list[ChunkPairs]]:
    """Consecutive chunks that share one judge request: at most `max_chunks` of them and
    `max_words` words of source (a chunk longer than that goes alone)."""
    return consecutive_packs(
        chunks, words=lambda c: c.words, max_items=max_chunks, max_words=max_words
    )


def _check_pack(pack: Sequence[ChunkPairs]) -> list[dict[int, Deterministic]]:
    return [check_chunk(chunk.chunk_text, chunk.pairs) for chunk in pack]


async def judge_pack(
    client: LLMClient,
    pack: Sequence[ChunkPairs],
    *,
    judge_model: str,
    thresholds: JudgeThresholds,
) -> list[list[dict[str, Any]]]:
    """JUDGED_PAIRS rows per chunk of `pack`, from at most one request. Only pairs the
    deterministic checks let through are sent (each with its own chunk as its source): the
    judge's verdict could not save the others, so asking would spend tokens on a known answer,
    and a pack none of whose pairs pass sends nothing."""
    # Off the event loop, one pack after another: run in the loop, every chunk's checks (CPU,
    # ~10 ms for ten pairs) ran before the first request went out and the endpoint sat idle
    # meanwhile; in one worker thread each request follows its own pack's checks.
    loop = asyncio.get_running_loop()
    checked = await loop.run_in_executor(_checks_pool(), _check_pack, pack)
    sources = []
    for chunk, results in zip(pack, checked, strict=True):
        judgeable = [p for p in chunk.pairs if id(p) in results and results[id(p)].ok]
        if judgeable:
            sources.append((chunk.chunk_text or "", judgeable))
    flat = [pair for _, judgeable in sources for pair in judgeable]
    verdicts: dict[int, JudgeVerdict] = {}
    judge_error: str | None = None
    if flat:
        settings = client.settings
        try:
            verdicts = await client.complete_json(
                kind="judge",
                model=judge_model,
                messages=judge_messages(
                    sources=[
                        (text, [(str(p["question"]), str(p["answer"])) for p in judgeable])
                        for text, judgeable in sources
                    ],
                    domain=settings.domain,
                ),
                schema_name="qa_verdicts",
                schema=JUDGE_SCHEMA,
                prompt_version=JUDGE_PROMPT_VERSION,
                temperature=settings.judge_temperature,
                parse=lambda text: parse_verdicts(text, len(flat)),
            )
        except RowFailure as failure:
            judge_error = str(failure)
    position = {id(p): i for i, p in enumerate(flat, start=1)}
    return [
        [
            judged_row(
                pair,
                chunk.chunk_text,
                verdicts.get(position[id(pair)]) if id(pair) in position else None,
                judge_model=judge_model,
                judge_error=judge_error if id(pair) in position else None,
                thresholds=thresholds,
                checked=results.get(id(pair)),
            )
            for pair in chunk.pairs
        ]
        for chunk, results in zip(pack, checked, strict=True)
    ]


async def judge_chunk(
    client: LLMClient,
    chunk_text: str | None,
    pairs: Sequence[dict[str, Any]],
    *,
    judge_model: str,
    thresholds: JudgeThresholds,
) -> list[dict[str, Any]]:
    """JUDGED_PAIRS rows for the pairs of one chunk (error rows pass through unjudged)."""
    (rows,) = await judge_pack(
        client, [ChunkPairs(chunk_text, pairs)], judge_model=judge_model, thresholds=thresholds
    )
    return rows


def _judging_stats(rows: list[dict[str, Any]]) -> dict[str, Any]:
    generated = [r for r in rows if not r["error"] and r["judge_error"] != "chunk not found"]
    sent = [r for r in rows if r["faithfulness_label"] is not None]
    return {
        "judged_pairs": len(generated),
        "sent_to_judge": len(sent),
        "passed_pairs": sum(1 for r in rows if r["passed"]),
        "failed_judgements": sum(1 for r in rows if r["judge_error"] and not r["error"]),
        "grounding_rejections": sum(1 for r in generated if not r["grounding_ok"]),
        "pass_rate": round(sum(1 for r in generated if r["passed"]) / len(generated), 4)
        if generated
        else 0.0,
    }


def _check_judging(rows: list[dict[str, Any]], settings: LLMSettings, document_key: str) -> None:
    attempted = [r for r in rows if not r["error"] and r["judge_error"] != "chunk not found"]
    failed = [r for r in attempted if r["judge_error"]]
    check_failure_rate(
        stage="judging",
        document_key=document_key,
        failed=len(failed),
        total=len(attempted),
        errors=error_kinds(failed, "judge_error"),
        limit=settings.max_failure_rate,
    )


async def ajudge_pairs(
    pairs: pd.DataFrame,
    chunks: pd.DataFrame,
    *,
    settings: LLMSettings,
    cache_root: CacheRoot,
    document_key: str,
    thresholds: Any = None,
    budget_scope: str | None = None,
    limiter: asyncio.Semaphore | None = None,
    sdk: Any = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    limits = resolve_thresholds(thresholds)
    texts = {c.chunk_id: c.text for c in chunk_inputs(chunks)}
    groups: dict[str, list[dict[str, Any]]] = {}
    for pair in records(pairs):
        groups.setdefault(str(pair["chunk_id"]), []).append(pair)
    cache = ResponseCache(cache_root, enabled=settings.cache_enabled)
    async with LLMClient(
        settings,
        cache=cache,
        document_key=document_key,
        budget_scope=budget_scope,
        limiter=limiter,
        sdk=sdk,
    ) as client:
        judge_model = await client.judge_model() if groups else (settings.judge_model or "")
        packs = pack_chunks(
            [ChunkPairs(texts.get(cid), group) for cid, group in groups.items()],
            max_chunks=settings.judge_chunks_per_request,
            max_words=settings.judge_max_source_words,
        )
        per_pack = await gather_all(
            judge_pack(client, pack, judge_model=judge_model, thresholds=limits) for pack in packs
        )
    rows = [row for pack_rows in per_pack for chunk_rows in pack_rows for row in chunk_rows]
    mark_repeated(rows)
    stats = (
        client.stats.as_metadata()
        | {
            "judge": JUDGE_NAME,
            "judge_model": judge_model,
            "judge_prompt_version": JUDGE_PROMPT_VERSION,
            "endpoint_host": settings.endpoint_host,
            "thresholds": limits.__dict__,
        }
        | _judging_stats(rows)
    )
    _check_judging(rows, settings, document_key)
    return frame(rows, JUDGED_PAIRS), stats


def judge_pairs_llm(
    pairs: pd.DataFrame,
    chunks: pd.DataFrame,
    *,
    settings: LLMSettings,
    cache_root: CacheRoot,
    document_key: str,
    thresholds: Any = None,
    run_id: str | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Judge one document's QA_PAIRS against its CHUNKS → (JUDGED_PAIRS frame, metadata dict).

    Raises LLMFailureRateExceeded / LLMUnavailable / LLMBudgetExceeded.
    """
    return run_sync(
        lambda: ajudge_pairs(
            pairs,
            chunks,
            settings=settings,
            cache_root=cache_root,
            document_key=document_key,
            thresholds=thresholds,
            budget_scope=run_id,
        )
    )


async def agenerate_and_judge(
    chunks: pd.DataFrame,
    *,
    settings: LLMSettings,
    cache_root: CacheRoot,
    document_key: str,
    outline: Sequence[str] = (),
    thresholds: Any = None,
    budget_scope: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    limits = resolve_thresholds(thresholds)
    inputs = chunk_inputs(chunks)
    cache = ResponseCache(cache_root, enabled=settings.cache_enabled)

    async def one(
        client: LLMClient, packed: PackedGeneration, pack: list[ChunkInput], judge_model: str
    ) -> list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
        # A pack's judging starts as soon as its own pairs exist: no stage barrier. Its chunks
        # are judged in the packs the separate judge step would make of them, so both share
        # cache entries when their pack limits agree.
        generated = await gather_all(packed.rows(chunk) for chunk in pack)
        chunk_pairs = [ChunkPairs(c.text, rows) for c, rows in zip(pack, generated, strict=True)]
        judge_packs = pack_chunks(
            [c for c in chunk_pairs if c.pairs],
            max_chunks=client.settings.judge_chunks_per_request,
            max_words=client.settings.judge_max_source_words,
        )
        judged = await gather_all(
            judge_pack(client, p, judge_model=judge_model, thresholds=limits) for p in judge_packs
        )
        by_chunk = {
            id(c): rows
            for p, rows in zip(judge_packs, judged, strict=True)
            for c, rows in zip(p, rows, strict=True)
        }
        return [(c.pairs, by_chunk.get(id(c), [])) for c in chunk_pairs]

    async with LLMClient(
        settings, cache=cache, document_key=document_key, budget_scope=budget_scope
    ) as client:
        model = await client.generator_model() if inputs else (settings.model or "")
        judge_model = await client.judge_model() if inputs else (settings.judge_model or "")
        packed = PackedGeneration.for_chunks(client, inputs, model=model, outline=outline)
        per_pack = await gather_all(one(client, packed, p, judge_model) for p in packed.packs)
    results = [chunk for pack in per_pack for chunk in pack]
    pair_rows = [r for generated, _ in results for r in generated]
    judged_rows = [r for _, judged in results for r in judged]
    mark_repeated(judged_rows)
    failed = sum(1 for generated, _ in results if generated and generated[0]["error"])
    stats = (
        client.stats.as_metadata()
        | {
            "generator": "llm",
            "model": model,
            "prompt_version": prompt_version_for(settings),
            "judge_model": judge_model,
            "judge_prompt_version": JUDGE_PROMPT_VERSION,
            "chunks": len(inputs),
            "pairs": len(pair_rows) - failed,
            "failed_chunks": failed,
        }
        | _judging_stats(judged_rows)
    )
    check_failure_rate(
        stage="generation",
        document_key=document_key,
        failed=failed,
        total=len(inputs),
        errors=error_kinds(pair_rows, "error"),
        limit=settings.max_failure_rate,
    )
    _check_judging(judged_rows, settings, document_key)
    return frame(pair_rows, QA_PAIRS), frame(judged_rows, JUDGED_PAIRS), stats


def generate_and_judge(
    chunks: pd.DataFrame,
    *,
    settings: LLMSettings,
    cache_root: CacheRoot,
    document_key: str,
    outline: Sequence[str] = (),
    thresholds: Any = None,
    run_id: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Generation and judging pipelined per chunk → (QA_PAIRS, JUDGED_PAIRS, metadata). Uses
    the same cache entries as the two separate steps."""
    return run_sync(
        lambda: agenerate_and_judge(
            chunks,
            settings=settings,
            cache_root=cache_root,
            document_key=document_key,
            outline=outline,
            thresholds=thresholds,
            budget_scope=run_id,
        )
    )


@dataclass(frozen=True)
class DocumentPairs:
    """One document of a batch to judge: its key, its pairs and the chunks they came from."""

    document_key: str
    pairs: pd.DataFrame
    chunks: pd.DataFrame


def judge_pairs_llm_many(
    documents: Sequence[DocumentPairs],
    *,
    settings: LLMSettings,
    cache_root: CacheRoot,
    thresholds: Any = None,
    run_id: str | None = None,
) -> dict[str, tuple[pd.DataFrame, dict[str, Any]] | BaseException]:
    """`judge_pairs_llm` for a batch under one shared concurrency budget; per document key its
    (frame, metadata) or the exception that ended it."""
    by_key = {doc.document_key: doc for doc in documents}

    async def main() -> dict[str, Any]:
        wanted = any(len(d.pairs) for d in documents)
        named = await resolve_model(settings, judge=True) if wanted else settings

        def one(key: str, shared: SharedEndpoint) -> Awaitable[Any]:
            doc = by_key[key]
            return ajudge_pairs(
                doc.pairs,
                doc.chunks,
                settings=named,
                cache_root=cache_root,
                document_key=key,
                thresholds=thresholds,
                budget_scope=run_id,
                limiter=shared.limiter,
                sdk=shared.sdk,
            )

        return await run_documents(named, list(by_key), one)

    return run_sync(main)
