"""A recipe's generation steps through an OpenAI-compatible LLM, one chunk at a time.

Per chunk: the source step writes pairs (from the raw chunk, from each summary of it, or as a
conversation), the refine loop regenerates what the judge rejects, with the judge's reason, at
most `refine.max_iterations` times, transform steps rewrite the pairs (a style, harder
questions), and the recipe's filters drop replies that break its rules. Every row keeps its
chunk_id: the judged_pairs step judges it against the raw chunk, whatever view it came from.

The default recipe (grounded-qa) sends exactly today's prompts through generate_for_chunk.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from sdg_pipeline.expectations.thresholds import CheckThresholds
from sdg_pipeline.generate.filters import count_reason, first_failure
from sdg_pipeline.generate.ids import pair_id
from sdg_pipeline.generate.llm import (
    DROP_REASONS,
    ChunkInput,
    DocumentChunks,
    GenerationAsk,
    PackedGeneration,
    SharedEndpoint,
    asked_types,
    chunk_inputs,
    drop_reason,
    error_row,
    finish_generation,
    gather_all,
    generate_batch,
    generate_for_chunk,
    locate_evidence,
    prompt_version_for,
)
from sdg_pipeline.judge.lexical import JudgeThresholds
from sdg_pipeline.judge.llm import judge_chunk
from sdg_pipeline.llm.cache import CacheRoot, ResponseCache
from sdg_pipeline.llm.client import LLMClient, LLMSettings, RowFailure, run_sync
from sdg_pipeline.llm.json_output import MalformedOutput, parse_json_reply
from sdg_pipeline.llm.recipe_prompts import (
    RECIPE_PROMPT_VERSION,
    conversation_messages,
    evolve_messages,
    feedback_instructions,
    recipe_instructions,
    restyle_messages,
    rubric_messages,
    summary_messages,
)
from sdg_pipeline.llm.recipe_replies import (
    CONVERSATION_SCHEMA,
    EVOLVE_SCHEMA,
    RESTYLE_SCHEMA,
    RUBRIC_SCHEMA,
    SUMMARY_SCHEMA,
    ConversationReply,
    EvolveReply,
    RestyleReply,
    RubricReply,
    SummaryReply,
)
from sdg_pipeline.llm.replies import parse_reply, validate_reply
from sdg_pipeline.recipes.models import (
    Conversation,
    DirectQA,
    EvolveQuestion,
    Recipe,
    StyleAnswer,
    SummaryQA,
)
from sdg_pipeline.text.language import detect_language, language_name

SUMMARY_NOTE = (
    "The passage below is a {kind} summary of a document section. Every answer must also hold "
    "in the original section, and evidence must be copied from the summary verbatim."
)


@dataclass
class RecipeStats:
    """What the recipe steps did in one partition, for the asset's metadata."""

    languages: Counter[str] = field(default_factory=Counter)
    filtered: Counter[str] = field(default_factory=Counter)
    by_step: Counter[str] = field(default_factory=Counter)
    refine_judge_calls: int = 0
    refine_generate_calls: int = 0
    refined_pairs: int = 0
    refine_iterations_used: int = 0

    def as_metadata(self, recipe: Recipe) -> dict[str, Any]:
        return {
            "recipe": recipe.name,
            "recipe_version": recipe.version,
            "recipe_prompt_version": RECIPE_PROMPT_VERSION,
            "languages": dict(self.languages.most_common()),
            "pairs_by_step": dict(self.by_step.most_common()),
            "pairs_filtered": dict(self.filtered.most_common()),
            "refine_max_iterations": recipe.refine.max_iterations,
            "refine_iterations_used": self.refine_iterations_used,
            "refine_calls": self.refine_judge_calls + self.refine_generate_calls,
            "refine_judge_calls": self.refine_judge_calls,
            "refine_generate_calls": self.refine_generate_calls,
            "refined_pairs": self.refined_pairs,
        }


def output_language(recipe: Recipe, detected: str | None) -> str:
    """The language name the prompts must ask for; "" for English (today's prompts)."""
    code = detected if recipe.parameters.language == "source" else recipe.parameters.language
    return "" if code in (None, "en") else language_name(code)


def _cycle(values: Sequence[str], n: int, offset: int) -> list[str]:
    return [values[(offset + i) % len(values)] for i in range(n)] if values else []


@dataclass(frozen=True)
class _Run:
    client: LLMClient
    recipe: Recipe
    model: str
    judge_model: str
    outline: Sequence[str]
    thresholds: CheckThresholds | None
    judge_thresholds: JudgeThresholds
    drops: Counter[str]
    stats: RecipeStats
    example_questions: tuple[str, ...] = ()
    # The first direct-QA step's requests, several chunks a request (None: one chunk each).
    first_step: PackedGeneration | None = None

    @property
    def version(self) -> str:
        return f"{prompt_version_for(self.client.settings)}+{RECIPE_PROMPT_VERSION}"

    def persona(self, chunk: ChunkInput) -> str:
        personas = self.recipe.parameters.personas
        return personas[chunk.chunk_index % len(personas)] if personas else ""

    async def pairs(
        self,
        chunk: ChunkInput,
        language: str,
        *,
        instructions: str = "",
        source_text: str | None = None,
        source_note: str = "",
        n_pairs: int | None = None,
        kind: str = "generate",
    ) -> list[dict[str, Any]]:
        ask = self.ask_for(
            chunk, language, instructions=instructions, source_note=source_note, n_pairs=n_pairs
        )
        return await generate_for_chunk(
            self.client,
            chunk,
            model=self.model,
            outline=self.outline,
            thresholds=self.thresholds,
            drops=self.drops,
            source_text=source_text,
            extra_instructions=ask.extra_instructions,
            question_types=ask.question_types,
            n_pairs=ask.n_pairs,
            kind=kind,
        )

    def ask_for(
        self,
        chunk: ChunkInput,
        language: str,
        *,
        instructions: str = "",
        source_note: str = "",
        n_pairs: int | None = None,
    ) -> GenerationAsk:
        params = self.recipe.parameters
        n = n_pairs or params.pairs_per_chunk or self.client.settings.pairs_per_chunk
        extra = recipe_instructions(
            instructions=instructions,
            difficulty=params.difficulty,
            answer_length=params.answer_length,
            persona=self.persona(chunk),
            language=language,
            source_note=source_note,
        )
        types = _cycle(params.question_types, n, chunk.chunk_index) or None
        return GenerationAsk(chunk, n, tuple(asked_types(chunk, n, types)), extra)

    async def ask(self, kind: str, messages: list[dict[str, str]], schema: dict, parse) -> Any:
        settings = self.client.settings
        return await self.client.complete_json(
            kind=kind,
            model=self.model,
            messages=messages,
            schema_name=kind,
            schema=schema,
            prompt_version=RECIPE_PROMPT_VERSION,
            temperature=settings.temperature,
            parse=parse,
        )

    def failed(self, chunk: ChunkInput, failure: RowFailure) -> list[dict[str, Any]]:
        return [error_row(chunk, model=self.model, prompt_version=self.version, error=str(failure))]


def _tag(rows: list[dict[str, Any]], step: str) -> list[dict[str, Any]]:
    for row in rows:
        row.setdefault("step", step)
    return rows


def _parse_summary(text: str) -> str:
    data = parse_json_reply(text)
    if not isinstance(data, dict):
        raise MalformedOutput('expected a JSON object {"summary": "..."}')
    summary = validate_reply(SummaryReply, data).summary
    if len(summary.split()) < 3:
        raise MalformedOutput("the summary was empty")
    return summary


async def _summary_pairs(run: _Run, step: SummaryQA, chunk: ChunkInput, language: str) -> list:
    async def one(kind: str) -> list[dict[str, Any]]:
        try:
            summary = await run.ask(
                "summary",
                summary_messages(chunk_text=chunk.text, kind=kind, language=language),
                SUMMARY_SCHEMA,
                _parse_summary,
            )
        except RowFailure as failure:
            return run.failed(chunk, failure)
        rows = await run.pairs(
            chunk,
            language,
            instructions=step.instructions,
            source_text=summary,
            source_note=SUMMARY_NOTE.format(kind=kind.replace("_", " ")),
        )
        for row in rows:
            # evidence must cite the raw chunk: a span only the summary holds is no evidence
            row["evidence"] = locate_evidence(row.get("evidence"), chunk.text)
        return _tag(rows, f"summary_qa:{kind}")

    views = [one(kind) for kind in step.summaries]
    if step.include_raw:

        async def raw() -> list[dict[str, Any]]:
            rows = await run.pairs(chunk, language, instructions=step.instructions)
            return _tag(rows, "summary_qa:raw")

        views.append(raw())
    per_view = await gather_all(views)
    good = [r for rows in per_view for r in rows if not r["error"]]
    if good:
        return good
    return per_view[0][:1]  # every view failed: one error row says why


def joined_answer(turns: Sequence[dict[str, str]]) -> str:
    """What the judge reads as the answer of a conversation: every assistant turn."""
    return "\n\n".join(t["content"] for t in turns if t["role"] == "assistant")


def parse_conversation(
    text: str, step: Conversation, limits: CheckThresholds
) -> list[dict[str, str]]:
    turns = parse_reply(ConversationReply, text, "turns").turns
    roles = [t.role for t in turns]
    users = roles.count("user")
    if not turns or roles != ["user", "assistant"] * (len(turns) // 2) or len(turns) % 2:
        raise MalformedOutput(
            "turns must alternate user, assistant, ... starting with the user and ending with "
            f"the assistant; got {' '.join(roles) or 'no turns'}"
        )
    if not step.min_turns <= users <= step.max_turns:
        raise MalformedOutput(
            f"the conversation needs {step.min_turns} to {step.max_turns} user turns, got {users}"
        )
    if any(not t.content for t in turns):
        raise MalformedOutput("a turn was empty")
    out = [{"role": t.role, "content": t.content} for t in turns]
    # the qa_pairs suite's row rules hold for the opening question and the joined answer
    reason = drop_reason(out[0]["content"], joined_answer(out), limits)
    if reason is not None:
        raise MalformedOutput(
            f"the conversation {DROP_REASONS[reason].format(**vars(limits))} (first question, "
            "all assistant turns)"
        )
    return out


async def _conversation(run: _Run, step: Conversation, chunk: ChunkInput, language: str) -> list:
    section = " > ".join(h for h in chunk.heading_path if h) or "(top of document)"
    try:
        turns = await run.ask(
            "conversation",
            conversation_messages(
                chunk_text=chunk.text,
                section=section,
                min_turns=step.min_turns,
                max_turns=step.max_turns,
                instructions=step.instructions,
                language=language,
                persona=run.persona(chunk),
            ),
            CONVERSATION_SCHEMA,
            lambda text: parse_conversation(text, step, run.thresholds or CheckThresholds()),
        )
    except RowFailure as failure:
        return run.failed(chunk, failure)
    question = turns[0]["content"]
    # The judge sees the opening question and every assistant turn: all of it must rest on
    # the raw chunk.
    answer = joined_answer(turns)
    row = {
        "pair_id": pair_id(chunk.chunk_id, question),
        "chunk_id": chunk.chunk_id,
        "document_key": chunk.document_key,
        "content_hash": chunk.content_hash,
        "question": question,
        "answer": answer,
        "question_type": "reasoning",
        "evidence": None,
        "generator": "llm",
        "model": run.model,
        "prompt_version": run.version,
        "error": None,
        "turns": turns,
        "step": "conversation",
    }
    return [row]


def _by_id(items: Sequence[Any], count: int) -> dict[int, Any]:
    found = {item.id: item for item in items if 1 <= item.id <= count}
    missing = [i for i in range(1, count + 1) if i not in found]
    if missing:
        raise MalformedOutput(f"entries missing for pair ids {missing}")
    return found


async def _restyle(run: _Run, step: StyleAnswer, chunk: ChunkInput, rows: list, language: str):
    good = [r for r in rows if not r["error"]]
    if not good:
        return rows
    try:
        answers = await run.ask(
            "restyle",
            restyle_messages(
                chunk_text=chunk.text,
                pairs=[(r["question"], r["answer"]) for r in good],
                style=step.style,
                examples=[(e.question, e.answer) for e in step.examples],
                language=language,
            ),
            RESTYLE_SCHEMA,
            lambda text: _by_id(parse_reply(RestyleReply, text, "answers").answers, len(good)),
        )
    except RowFailure as failure:
        return run.failed(chunk, failure)
    for i, row in enumerate(good, start=1):
        # `answer` keeps the grounded fact the judge checks; the styled reply is what is
        # trained on, and what the recipe's filters see.
        row["turns"] = [
            {"role": "user", "content": row["question"]},
            {"role": "assistant", "content": answers[i].answer},
        ]
        row["step"] = f"{row.get('step') or 'direct_qa'}+style_answer"
    return good


async def _evolve(run: _Run, step: EvolveQuestion, chunk: ChunkInput, rows: list, language: str):
    good = [r for r in rows if not r["error"]]
    if not good:
        return rows
    limits = run.thresholds or CheckThresholds()

    def parse(text: str) -> dict[int, Any]:
        return _by_id(parse_reply(EvolveReply, text, "pairs").pairs, len(good))

    try:
        evolved = await run.ask(
            "evolve",
            evolve_messages(
                chunk_text=chunk.text,
                pairs=[(r["question"], r["answer"]) for r in good],
                operations=step.operations,
                language=language,
            ),
            EVOLVE_SCHEMA,
            parse,
        )
    except RowFailure as failure:
        return run.failed(chunk, failure)
    out = []
    for i, row in enumerate(good, start=1):
        pair = evolved[i]
        reason = drop_reason(pair.question, pair.answer, limits)
        if reason is not None:
            run.drops[reason] += 1
            out.append(row)  # the original pair stays rather than a broken harder one
            continue
        out.append(
            row
            | {
                "pair_id": pair_id(chunk.chunk_id, pair.question),
                "question": pair.question,
                "answer": pair.answer,
                "question_type": pair.question_type,
                "evidence": locate_evidence(pair.evidence, chunk.text),
                "step": f"{row.get('step') or 'direct_qa'}+evolve_question",
            }
        )
    return out


def trained_replies(row: dict[str, Any]) -> list[str]:
    turns = row.get("turns")
    if turns:
        return [t["content"] for t in turns if t["role"] == "assistant"]
    return [str(row.get("answer") or "")]


async def _apply_filters(run: _Run, chunk: ChunkInput, rows: list) -> list:
    filters = run.recipe.filters
    kept = []
    for row in rows:
        reason = None if row["error"] else first_failure(trained_replies(row), filters)
        if reason is None:
            kept.append(row)
        else:
            count_reason(run.stats.filtered, reason)
    good = [r for r in kept if not r["error"]]
    if not filters.llm_rubric or not good:
        return kept
    replies = [(r["question"], "\n\n".join(trained_replies(r))) for r in good]
    try:
        verdicts = await run.ask(
            "rubric",
            rubric_messages(chunk_text=chunk.text, replies=replies, rubric=filters.llm_rubric),
            RUBRIC_SCHEMA,
            lambda text: _by_id(parse_reply(RubricReply, text, "verdicts").verdicts, len(good)),
        )
    except RowFailure as failure:
        return run.failed(chunk, failure)
    out = [r for r in kept if r["error"]]
    for i, row in enumerate(good, start=1):
        if verdicts[i].passed:
            out.append(row)
        else:
            run.stats.filtered["rubric"] += 1
    return out


async def _refine(run: _Run, chunk: ChunkInput, rows: list, language: str) -> list:
    """Regenerate the pairs the judge rejects, telling the generator why, up to N times."""
    for iteration in range(1, run.recipe.refine.max_iterations + 1):
        good = [r for r in rows if not r["error"]]
        if not good:
            return rows
        run.stats.refine_judge_calls += 1
        judged = await judge_chunk(
            run.client,
            chunk.text,
            good,
            judge_model=run.judge_model,
            thresholds=run.judge_thresholds,
        )
        rejected = [
            (row, verdict)
            for row, verdict in zip(good, judged, strict=True)
            if not verdict["passed"] and not verdict["judge_error"]
        ]
        if not rejected:
            return rows
        run.stats.refine_iterations_used = max(run.stats.refine_iterations_used, iteration)
        run.stats.refine_generate_calls += 1
        feedback = feedback_instructions(
            [(r["question"], r["answer"], v["reasons"] or "below thresholds") for r, v in rejected]
        )
        fresh = await run.pairs(
            chunk,
            language,
            instructions=feedback,
            n_pairs=len(rejected),
            kind="refine",
        )
        fresh = [r for r in fresh if not r["error"]]
        if not fresh:
            return rows  # the rewrite failed: the judged step rejects the originals with reasons
        dropped = {id(r) for r, _ in rejected}
        keep = [r for r in rows if id(r) not in dropped]
        for row in fresh:
            row["refine_iterations"] = iteration
            row["step"] = rejected[0][0].get("step")
        run.stats.refined_pairs += len(fresh)
        rows = keep + fresh
    return rows


async def recipe_chunk(run: _Run, chunk: ChunkInput, detected: str | None) -> list[dict[str, Any]]:
    run.stats.languages[detected or "unknown"] += 1
    language = output_language(run.recipe, detected)
    first, *transforms = run.recipe.steps
    if isinstance(first, DirectQA) and run.first_step is not None:
        rows = _tag(await run.first_step.rows(chunk), "direct_qa")
    elif isinstance(first, DirectQA):
        rows = _tag(await run.pairs(chunk, language, instructions=first.instructions), "direct_qa")
    elif isinstance(first, SummaryQA):
        rows = await _summary_pairs(run, first, chunk, language)
    else:
        assert isinstance(first, Conversation)
        rows = await _conversation(run, first, chunk, language)
    # Refining comes before the transforms: the judge checks the facts a pair states, and a
    # restyled or evolved pair is built on facts that already passed.
    if run.recipe.refine.max_iterations and not run.recipe.multi_turn:
        rows = await _refine(run, chunk, rows, language)
    for step in transforms:
        if isinstance(step, StyleAnswer):
            rows = await _restyle(run, step, chunk, rows, language)
        elif isinstance(step, EvolveQuestion):
            rows = await _evolve(run, step, chunk, rows, language)
    rows = await _apply_filters(run, chunk, rows)
    for row in rows:
        row.update(
            recipe=run.recipe.name,
            recipe_version=run.recipe.version,
            origin="generated",
            language=detected,
        )
        row.setdefault("refine_iterations", 0)
        if not row["error"]:
            run.stats.by_step[row.get("step") or "direct_qa"] += 1
    return rows


async def agenerate_recipe(
    chunks: pd.DataFrame,
    *,
    recipe: Recipe,
    settings: LLMSettings,
    cache_root: CacheRoot,
    document_key: str,
    outline: Sequence[str],
    budget_scope: str | None = None,
    thresholds: CheckThresholds | None = None,
    judge_thresholds: JudgeThresholds | None = None,
    example_questions: Sequence[str] = (),
    limiter: asyncio.Semaphore | None = None,
    sdk: Any = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    inputs = chunk_inputs(chunks)
    # In-context examples: the recipe's own, then golden questions; an explicit setting wins.
    shown = [e.question for e in recipe.parameters.examples] + list(example_questions)
    if shown and not settings.example_questions:
        settings = replace(settings, example_questions=tuple(shown))
    cache = ResponseCache(cache_root, enabled=settings.cache_enabled)
    drops: Counter[str] = Counter()
    stats = RecipeStats()
    async with LLMClient(
        settings,
        cache=cache,
        document_key=document_key,
        budget_scope=budget_scope,
        limiter=limiter,
        sdk=sdk,
    ) as client:
        model = await client.generator_model() if inputs else (settings.model or "")
        needs_judge = bool(inputs) and recipe.refine.max_iterations > 0
        judge_model = await client.judge_model() if needs_judge else (settings.judge_model or "")
        run = _Run(
            client=client,
            recipe=recipe,
            model=model,
            judge_model=judge_model,
            outline=outline,
            thresholds=thresholds,
            judge_thresholds=judge_thresholds or JudgeThresholds(),
            drops=drops,
            stats=stats,
        )
        detected = [detect_language(chunk.text) for chunk in inputs]
        first = recipe.steps[0]
        if isinstance(first, DirectQA):
            asks = [
                run.ask_for(
                    chunk, output_language(recipe, language), instructions=first.instructions
                )
                for chunk, language in zip(inputs, detected, strict=True)
            ]
            packed = PackedGeneration(
                client, asks, model=model, outline=outline, thresholds=thresholds, drops=drops
            )
            run = replace(run, first_step=packed)
        per_chunk = await gather_all(
            recipe_chunk(run, chunk, language)
            for chunk, language in zip(inputs, detected, strict=True)
        )
    pairs, metadata = finish_generation(
        inputs,
        per_chunk,
        drops,
        settings=settings,
        document_key=document_key,
        stats=client.stats.as_metadata()
        | {
            "generator": "llm",
            "model": model,
            "prompt_version": run.version,
            "endpoint_host": settings.endpoint_host,
        },
    )
    return pairs, metadata | stats.as_metadata(recipe)


def generate_recipe_llm(
    chunks: pd.DataFrame,
    *,
    recipe: Recipe,
    settings: LLMSettings,
    cache_root: CacheRoot,
    document_key: str,
    outline: Sequence[str] = (),
    run_id: str | None = None,
    thresholds: CheckThresholds | None = None,
    judge_thresholds: JudgeThresholds | None = None,
    example_questions: Sequence[str] = (),
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """QA pairs of one document's chunks written by `recipe` → (QA_PAIRS frame, metadata).

    Raises LLMFailureRateExceeded / LLMUnavailable / LLMBudgetExceeded like generate_pairs_llm.
    """
    return run_sync(
        lambda: agenerate_recipe(
            chunks,
            recipe=recipe,
            settings=settings,
            cache_root=cache_root,
            document_key=document_key,
            outline=outline,
            budget_scope=run_id,
            thresholds=thresholds,
            judge_thresholds=judge_thresholds,
            example_questions=example_questions,
        )
    )


def generate_recipe_llm_many(
    documents: Sequence[DocumentChunks],
    *,
    recipe: Recipe,
    settings: LLMSettings,
    cache_root: CacheRoot,
    run_id: str | None = None,
    thresholds: CheckThresholds | None = None,
    judge_thresholds: JudgeThresholds | None = None,
    example_questions: Sequence[str] = (),
) -> dict[str, tuple[pd.DataFrame, dict[str, Any]] | BaseException]:
    """`generate_recipe_llm` for a batch of documents under one shared concurrency budget;
    per document key its (frame, metadata) or the exception that ended it."""

    def one(doc: DocumentChunks, named: LLMSettings, shared: SharedEndpoint) -> Awaitable[Any]:
        return agenerate_recipe(
            doc.chunks,
            recipe=recipe,
            settings=named,
            cache_root=cache_root,
            document_key=doc.document_key,
            outline=doc.outline,
            budget_scope=run_id,
            thresholds=thresholds,
            judge_thresholds=judge_thresholds,
            example_questions=example_questions,
            limiter=shared.limiter,
            sdk=shared.sdk,
        )

    return generate_batch(documents, settings, one, with_judge=recipe.refine.max_iterations > 0)
