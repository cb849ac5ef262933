"""qa_pairs: questions and answers grounded in each chunk, by an LLM or the offline generator."""

from typing import Any

import dagster as dg
import pandas as pd

from sdg_pipeline.backends import Batch, select_backend
from sdg_pipeline.defs.document_asset import (
    LLM_POOL,
    Frames,
    batch_keys,
    document_asset_args,
    emit_batch,
    partition_frames,
)
from sdg_pipeline.defs.metadata import counts, preview
from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.defs.resources.storage import StorageResource
from sdg_pipeline.generate.offline import OFFLINE_PROMPT_VERSION
from sdg_pipeline.llm.prompts import GENERATION_PACK_PROMPT_VERSION, GENERATION_PROMPT_VERSION
from sdg_pipeline.recipes.code_version import recipe_code_version

GOLDEN_IN_CONTEXT = 4  # golden questions shown to the generator as the wanted style


@dg.asset(
    **document_asset_args(
        "qa_pairs",
        group="generation",
        stage="generate",
        kinds={"pandas"},
        pool=LLM_POOL,
        code_version=(
            f"{GENERATION_PROMPT_VERSION}+{GENERATION_PACK_PROMPT_VERSION}+"
            f"{OFFLINE_PROMPT_VERSION}+{recipe_code_version()}"
        ),
        description=(
            "Question/answer pairs written from each chunk triage let through: by the configured "
            "OpenAI-compatible LLM, or by the deterministic extractive generator when no endpoint "
            "is configured (metadata `generator` says which ran), as the settings' recipe says "
            "(`recipe` in metadata and every row; docs/recipes.md)."
        ),
    )
)
def qa_pairs(
    context: dg.AssetExecutionContext,
    chunks: Frames,
    llm: LLMResource,
    storage: StorageResource,
    settings: PipelineSettings,
):
    frames = partition_frames(context, chunks)
    keys, excluded = batch_keys(context, ["chunks"])
    # No request is spent on a chunk triage skipped (secrets, injections, boilerplate, ...).
    usable = {key: frames[key][frames[key]["skip_reason"].isna()] for key in keys}
    backend = select_backend(llm.settings(), llm.describe())
    loaded = settings.loaded_recipe()
    golden = loaded.recipe.golden
    examples = (
        tuple(g.question for g in settings.golden_examples()[:GOLDEN_IN_CONTEXT])
        if golden is not None and golden.in_context
        else ()
    )
    # All documents of the run at once: their requests share one concurrency budget.
    results = backend.generate_many(
        usable,
        Batch(
            storage.cache_root(),
            context.run_id,
            recipe=loaded.recipe,
            example_questions=examples,
        ),
        thresholds=settings.check_thresholds(),
        pairs_per_chunk=settings.offline_pairs_per_chunk,
        judge_thresholds=settings.judge_thresholds(),
    )
    for key, outcome in results.items():
        if not isinstance(outcome, BaseException):
            results[key] = (
                outcome[0],
                pairs_metadata(*outcome, frames[key], usable[key])
                | {
                    "recipe": loaded.recipe.name,
                    "recipe_version": loaded.recipe.version,
                    "recipe_source": loaded.source,
                },
            )
    yield from emit_batch(context, "qa_pairs", results, excluded, settings)


def pairs_metadata(
    frame: pd.DataFrame, metadata: dict[str, Any], chunks: pd.DataFrame, usable: pd.DataFrame
) -> dict[str, Any]:
    failed = int(frame["error"].notna().sum())
    return metadata | {
        "pairs": len(frame) - failed,
        "failed_chunks": failed,
        "chunks_skipped_by_triage": len(chunks) - len(usable),
        "chunks_without_pairs": int((~usable["chunk_id"].isin(frame["chunk_id"])).sum()),
        "question_types": counts(frame["question_type"], "question_type"),
        "preview": preview(frame, ["question_type", "question", "answer"]),
    }
