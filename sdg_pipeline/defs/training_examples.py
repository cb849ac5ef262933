"""training_examples: chat rows of the pairs that passed judging, with their lineage."""

from typing import Any

import dagster as dg
import pandas as pd

from sdg_pipeline.defs.document_asset import (
    Frames,
    batch_keys,
    compute_each,
    document_asset_args,
    emit_batch,
    partition_frames,
)
from sdg_pipeline.defs.metadata import counts, preview
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.export.examples import build_examples, screen_examples
from sdg_pipeline.recipes.models import Recipe


@dg.asset(
    **document_asset_args(
        "training_examples",
        group="dataset",
        stage="export",
        kinds={"pandas"},
        code_version="2",
        description="Chat-format examples (user question, assistant answer) of the accepted pairs.",
    )
)
def training_examples(
    context: dg.AssetExecutionContext,
    judged_pairs: Frames,
    chunks: Frames,
    settings: PipelineSettings,
):
    judged = partition_frames(context, judged_pairs)
    chunk_frames = partition_frames(context, chunks)
    keys, excluded = batch_keys(context, ["judged_pairs"])
    recipe = settings.loaded_recipe().recipe
    results = compute_each(
        keys, lambda key: examples_of(judged[key], chunk_frames[key], settings, recipe)
    )
    yield from emit_batch(context, "training_examples", results, excluded, settings)


def examples_of(
    judged_pairs: pd.DataFrame, chunks: pd.DataFrame, settings: PipelineSettings, recipe: Recipe
) -> tuple[pd.DataFrame, dict[str, Any]]:
    frame, screened = screen_examples(
        build_examples(judged_pairs, chunks, output_shape=recipe.output.shape),
        settings.pii_policy(),
    )
    metadata = {
        "examples": len(frame),
        "rejected_pairs": len(judged_pairs) - len(frame),
        "screened": dg.MetadataValue.md(
            "\n".join(f"- {what}: {n}" for what, n in sorted(screened.items())) or "nothing"
        ),
        "tokens_total": int(frame["token_count"].sum()),
        "question_types": counts(frame["question_type"]),
        "preview": preview(frame, ["question", "answer", "page_start"]),
        "recipe": recipe.name,
        "recipe_version": recipe.version,
        "output_shape": recipe.output.shape,
    }
    return frame, metadata
