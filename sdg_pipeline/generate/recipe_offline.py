"""What a recipe can honestly do without an LLM, and a clear refusal for the rest.

Offline, pairs come from the extractive generator: every answer is a sentence of the chunk.
That serves direct QA (grounded-qa, rag-eval) and conversations made of a chunk's consecutive
extracted pairs (each follow-up a real question about the same section). Summaries, restyled
answers, evolved questions and LLM rubrics need a model: such a recipe fails before any
document is touched, saying so, rather than writing placeholder text.

The extractive generator phrases questions in English: chunks in another language are counted
per language in the metadata (`chunks_language_unsupported`) with a note saying that an
endpoint is needed for them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from sdg_pipeline.generate.filters import count_reason, first_failure
from sdg_pipeline.generate.ids import pair_id
from sdg_pipeline.generate.llm import frame, records
from sdg_pipeline.generate.offline import generate_pairs_offline
from sdg_pipeline.recipes.models import Conversation, Recipe
from sdg_pipeline.schemas import QA_PAIRS
from sdg_pipeline.text.language import detect_language, language_name

OFFLINE_STEPS = ("direct_qa", "conversation")
OFFLINE_LANGUAGES = ("en",)


class RecipeNeedsEndpoint(ValueError):
    """The recipe's steps cannot be done without an LLM."""


def offline_problem(recipe: Recipe) -> str | None:
    """Why `recipe` cannot run offline, or None when it can."""
    needs = [s.kind for s in recipe.steps if s.kind not in OFFLINE_STEPS]
    if recipe.filters.llm_rubric:
        needs.append("filters.llm_rubric")
    if not needs and not recipe.needs_llm:
        return None
    what = ", ".join(dict.fromkeys(needs)) or "its prompts"
    return (
        f"recipe {recipe.name!r} needs an LLM endpoint: {what} cannot be done honestly by the "
        "offline extractive generator. Set SDG_LLM_BASE_URL (or SDG_LLM_API_KEY), or choose a "
        "recipe that runs offline (grounded-qa, conversation, rag-eval)."
    )


def offline_ignored(recipe: Recipe) -> list[str]:
    """The recipe's settings that only an LLM prompt can honour."""
    params = recipe.parameters
    ignored = [
        f"parameters.{name}"
        for name in ("question_types", "difficulty", "answer_length", "personas", "examples")
        if getattr(params, name)
    ]
    if params.language not in ("source", "en"):
        ignored.append("parameters.language")
    if any(getattr(step, "instructions", "") for step in recipe.steps):
        ignored.append("steps[].instructions")
    return ignored


def _failed(row: dict[str, Any]) -> bool:
    return bool(row.get("error"))


def _conversations(pairs: pd.DataFrame, step: Conversation, drops: Counter[str]) -> list[dict]:
    """A chunk's consecutive extracted pairs as one conversation of up to max_turns turns."""
    rows: list[dict[str, Any]] = []
    for chunk_id, group in pairs.groupby("chunk_id", sort=False):
        good = [r for r in records(group) if not _failed(r)]
        for start in range(0, len(good), step.max_turns):
            part = good[start : start + step.max_turns]
            if len(part) < step.min_turns:
                drops["conversation_too_short"] += len(part)
                continue
            turns = []
            for pair in part:
                turns += [
                    {"role": "user", "content": pair["question"]},
                    {"role": "assistant", "content": pair["answer"]},
                ]
            first = part[0]
            rows.append(
                first
                | {
                    "pair_id": pair_id(str(chunk_id), first["question"]),
                    "answer": "\n\n".join(p["answer"] for p in part),
                    "question_type": "reasoning",
                    "turns": turns,
                    "step": "conversation",
                }
            )
    return rows


def generate_recipe_offline(
    chunks: pd.DataFrame, recipe: Recipe, *, pairs_per_chunk: int
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """QA_PAIRS rows of `recipe` written offline → (frame, metadata).

    Raises RecipeNeedsEndpoint when the recipe's steps need a model.
    """
    problem = offline_problem(recipe)
    if problem:
        raise RecipeNeedsEndpoint(problem)
    step = recipe.steps[0]
    languages = {
        str(cid): detect_language(str(text))
        for cid, text in zip(chunks["chunk_id"], chunks["text"], strict=True)
    }
    drops: Counter[str] = Counter()
    n = pairs_per_chunk
    if isinstance(step, Conversation):
        n = max(n, step.min_turns)
    pairs = generate_pairs_offline(chunks, max_pairs_per_chunk=n)
    if isinstance(step, Conversation):
        rows = _conversations(pairs, step, drops)
    else:
        rows = [r | {"step": "direct_qa"} for r in records(pairs)]
    filtered: Counter[str] = Counter()
    kept = []
    for row in rows:
        turns = row.get("turns") or []
        replies = [t["content"] for t in turns if t["role"] == "assistant"]
        reason = None if _failed(row) else first_failure(replies or [row["answer"]], recipe.filters)
        if reason is None:
            kept.append(row)
        else:
            count_reason(filtered, reason)
    for row in kept:
        row.update(
            recipe=recipe.name,
            recipe_version=recipe.version,
            origin="generated",
            language=languages.get(str(row["chunk_id"])),
            refine_iterations=0,
        )
    with_pairs = {str(r["chunk_id"]) for r in kept if not _failed(r)}
    unsupported = Counter(
        language_name(code)
        for cid, code in languages.items()
        if code and code not in OFFLINE_LANGUAGES and cid not in with_pairs
    )
    metadata: dict[str, Any] = {
        "recipe": recipe.name,
        "recipe_version": recipe.version,
        "languages": dict(Counter(c or "unknown" for c in languages.values()).most_common()),
        "pairs_filtered": dict(filtered.most_common()),
        "pairs_dropped": dict(drops.most_common()),
    }
    if unsupported:
        metadata["chunks_language_unsupported"] = dict(unsupported.most_common())
        metadata["language_note"] = (
            "the offline generator writes English questions only; chunks in "
            f"{', '.join(unsupported)} produced no pairs: point at an LLM endpoint for them"
        )
    ignored = offline_ignored(recipe)
    if ignored:
        metadata["ignored_offline"] = (
            f"{', '.join(ignored)} shape the LLM prompts only; the extractive generator "
            "writes the same pairs without them"
        )
    if recipe.refine.max_iterations:
        metadata["refine_note"] = (
            "refine loop skipped offline: the extractive generator would write the same pairs"
        )
    return frame(kept, QA_PAIRS), metadata
