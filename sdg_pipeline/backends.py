"""Who writes and who judges the pairs: an OpenAI-compatible endpoint, or the offline pair.

`select_backend` is the one place that decides; the qa_pairs and judged_pairs assets (and any
other caller) ask it and then call the same two methods whichever backend they got.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import pandas as pd

from sdg_pipeline.expectations.thresholds import CheckThresholds
from sdg_pipeline.generate.llm import DocumentChunks, generate_pairs_llm, generate_pairs_llm_many
from sdg_pipeline.generate.offline import generate_pairs_offline
from sdg_pipeline.generate.recipe_llm import generate_recipe_llm, generate_recipe_llm_many
from sdg_pipeline.generate.recipe_offline import generate_recipe_offline
from sdg_pipeline.judge.lexical import JudgeThresholds, judge_pairs_offline
from sdg_pipeline.judge.llm import DocumentPairs, judge_pairs_llm, judge_pairs_llm_many
from sdg_pipeline.llm.cache import CacheRoot
from sdg_pipeline.llm.client import LLMSettings
from sdg_pipeline.recipes.models import Recipe

OFFLINE_GENERATOR = "offline-extractive (no LLM endpoint configured)"
OFFLINE_JUDGE = "offline-lexical (no LLM endpoint configured)"


def document_outline(chunks: pd.DataFrame) -> list[str]:
    """Distinct heading paths in reading order: the generator's view of the whole document."""
    seen: dict[str, None] = {}
    for path in chunks["heading_path"]:
        if len(path):
            seen.setdefault(" > ".join(path), None)
    return list(seen)


@dataclass(frozen=True)
class Job:
    """What one document's generation or judging step needs besides the frames."""

    document_key: str
    cache_root: CacheRoot
    run_id: str | None = None
    # The recipe of the run (sdg_pipeline/recipes/); None: the generator without recipe columns.
    recipe: Recipe | None = None
    example_questions: tuple[str, ...] = ()  # golden questions shown as in-context examples


Outcome = tuple[pd.DataFrame, dict[str, Any]] | BaseException


@dataclass(frozen=True)
class Batch:
    """What a batch of documents' generation or judging step needs besides the frames."""

    cache_root: CacheRoot
    run_id: str | None = None
    recipe: Recipe | None = None  # as on Job
    example_questions: tuple[str, ...] = ()

    def job(self, document_key: str) -> Job:
        return Job(
            document_key, self.cache_root, self.run_id, self.recipe, self.example_questions
        )


def _each(keys: Sequence[str], one: Callable[[str], tuple[pd.DataFrame, dict[str, Any]]]):
    """Per key its result or its exception: one document's error stays its own."""
    results: dict[str, Outcome] = {}
    for key in keys:
        try:
            results[key] = one(key)
        except Exception as exc:  # the caller reports it against this document only
            results[key] = exc
    return results


class Backend(Protocol):
    name: str

    def generate_many(
        self,
        chunks: Mapping[str, pd.DataFrame],
        batch: Batch,
        *,
        thresholds: CheckThresholds,
        pairs_per_chunk: int,
        judge_thresholds: JudgeThresholds | None = None,
    ) -> dict[str, Outcome]: ...

    def judge_many(
        self,
        pairs: Mapping[str, pd.DataFrame],
        chunks: Mapping[str, pd.DataFrame],
        batch: Batch,
        *,
        thresholds: JudgeThresholds,
    ) -> dict[str, Outcome]: ...

    def generate(
        self,
        chunks: pd.DataFrame,
        job: Job,
        *,
        thresholds: CheckThresholds,
        pairs_per_chunk: int,
        judge_thresholds: JudgeThresholds | None = None,
    ) -> tuple[pd.DataFrame, dict[str, Any]]: ...

    def judge(
        self, pairs: pd.DataFrame, chunks: pd.DataFrame, job: Job, *, thresholds: JudgeThresholds
    ) -> tuple[pd.DataFrame, dict[str, Any]]: ...


@dataclass(frozen=True)
class OfflineBackend:
    """Deterministic extractive generator and lexical judge: no endpoint, no cost."""

    name: str = "offline"

    def generate(
        self,
        chunks: pd.DataFrame,
        job: Job,
        *,
        thresholds: CheckThresholds,
        pairs_per_chunk: int,
        judge_thresholds: JudgeThresholds | None = None,
    ) -> tuple[pd.DataFrame, dict[str, Any]]:
        if job.recipe is not None:
            frame, stats = generate_recipe_offline(
                chunks, job.recipe, pairs_per_chunk=pairs_per_chunk
            )
            return frame, {"generator": OFFLINE_GENERATOR, **stats}
        frame = generate_pairs_offline(chunks, max_pairs_per_chunk=pairs_per_chunk)
        return frame, {"generator": OFFLINE_GENERATOR}

    def judge(
        self, pairs: pd.DataFrame, chunks: pd.DataFrame, job: Job, *, thresholds: JudgeThresholds
    ) -> tuple[pd.DataFrame, dict[str, Any]]:
        return judge_pairs_offline(pairs, chunks, thresholds), {"judge": OFFLINE_JUDGE}

    def generate_many(
        self,
        chunks: Mapping[str, pd.DataFrame],
        batch: Batch,
        *,
        thresholds: CheckThresholds,
        pairs_per_chunk: int,
        judge_thresholds: JudgeThresholds | None = None,
    ) -> dict[str, Outcome]:
        return _each(
            list(chunks),
            lambda key: self.generate(
                chunks[key],
                batch.job(key),
                thresholds=thresholds,
                pairs_per_chunk=pairs_per_chunk,
                judge_thresholds=judge_thresholds,
            ),
        )

    def judge_many(
        self,
        pairs: Mapping[str, pd.DataFrame],
        chunks: Mapping[str, pd.DataFrame],
        batch: Batch,
        *,
        thresholds: JudgeThresholds,
    ) -> dict[str, Outcome]:
        return _each(
            list(pairs),
            lambda key: self.judge(pairs[key], chunks[key], batch.job(key), thresholds=thresholds),
        )


@dataclass(frozen=True)
class LLMBackend:
    """The configured endpoint writes and judges; replies are cached under the data root."""

    settings: LLMSettings
    description: Sequence[tuple[str, Any]] = ()
    name: str = "llm"

    def generate(
        self,
        chunks: pd.DataFrame,
        job: Job,
        *,
        thresholds: CheckThresholds,
        pairs_per_chunk: int,
        judge_thresholds: JudgeThresholds | None = None,
    ) -> tuple[pd.DataFrame, dict[str, Any]]:
        # pairs_per_chunk of the LLM path lives in its own settings (the prompt asks for it)
        if job.recipe is not None:
            frame, stats = generate_recipe_llm(
                chunks,
                recipe=job.recipe,
                settings=replace(self.settings, recipe=job.recipe.tag),
                cache_root=job.cache_root,
                document_key=job.document_key,
                outline=document_outline(chunks),
                run_id=job.run_id,
                thresholds=thresholds,
                judge_thresholds=judge_thresholds,
                example_questions=job.example_questions,
            )
            return frame, {"generator": "llm", **dict(self.description), **stats}
        frame, stats = generate_pairs_llm(
            chunks,
            settings=self.settings,
            cache_root=job.cache_root,
            document_key=job.document_key,
            outline=document_outline(chunks),
            run_id=job.run_id,
            # the generator drops pairs the qa_pairs suite would reject, by the same bounds
            thresholds=thresholds,
        )
        return frame, {"generator": "llm", **dict(self.description), **stats}

    def judge(
        self, pairs: pd.DataFrame, chunks: pd.DataFrame, job: Job, *, thresholds: JudgeThresholds
    ) -> tuple[pd.DataFrame, dict[str, Any]]:
        settings = self.settings
        if job.recipe is not None:
            settings = replace(settings, recipe=job.recipe.tag)
        frame, stats = judge_pairs_llm(
            pairs,
            chunks,
            settings=settings,
            cache_root=job.cache_root,
            document_key=job.document_key,
            thresholds=thresholds,
            run_id=job.run_id,
        )
        return frame, {"judge": "llm", **dict(self.description), **stats}

    def generate_many(
        self,
        chunks: Mapping[str, pd.DataFrame],
        batch: Batch,
        *,
        thresholds: CheckThresholds,
        pairs_per_chunk: int,
        judge_thresholds: JudgeThresholds | None = None,
    ) -> dict[str, Outcome]:
        """All documents' requests at once under one concurrency budget: a batch keeps the
        endpoint busy where one document alone would leave most of the slots idle."""
        documents = [
            DocumentChunks(key, frame, document_outline(frame)) for key, frame in chunks.items()
        ]
        if batch.recipe is not None:
            results = generate_recipe_llm_many(
                documents,
                recipe=batch.recipe,
                settings=replace(self.settings, recipe=batch.recipe.tag),
                cache_root=batch.cache_root,
                run_id=batch.run_id,
                thresholds=thresholds,
                judge_thresholds=judge_thresholds,
                example_questions=batch.example_questions,
            )
        else:
            results = generate_pairs_llm_many(
                documents,
                settings=self.settings,
                cache_root=batch.cache_root,
                run_id=batch.run_id,
                thresholds=thresholds,
            )
        return {key: self._tagged(result, "generator") for key, result in results.items()}

    def judge_many(
        self,
        pairs: Mapping[str, pd.DataFrame],
        chunks: Mapping[str, pd.DataFrame],
        batch: Batch,
        *,
        thresholds: JudgeThresholds,
    ) -> dict[str, Outcome]:
        settings = self.settings
        if batch.recipe is not None:
            settings = replace(settings, recipe=batch.recipe.tag)
        results = judge_pairs_llm_many(
            [DocumentPairs(key, frame, chunks[key]) for key, frame in pairs.items()],
            settings=settings,
            cache_root=batch.cache_root,
            thresholds=thresholds,
            run_id=batch.run_id,
        )
        return {key: self._tagged(result, "judge") for key, result in results.items()}

    def _tagged(self, result: Outcome, role: str) -> Outcome:
        if isinstance(result, BaseException):
            return result
        frame, stats = result
        return frame, {role: "llm", **dict(self.description), **stats}


def select_backend(
    settings: LLMSettings, description: dict[str, Any] | None = None
) -> OfflineBackend | LLMBackend:
    """The LLM pair when an endpoint or key is configured, else the offline pair."""
    if settings.is_configured:
        return LLMBackend(settings, tuple((description or {}).items()))
    return OfflineBackend()
