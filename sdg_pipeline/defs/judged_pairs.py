"""judged_pairs: every pair scored against its raw chunk, with deterministic grounding checks."""

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
from sdg_pipeline.judge.lexical import LEXICAL_JUDGE_VERSION
from sdg_pipeline.llm.prompts import JUDGE_PROMPT_VERSION


@dg.asset(
    **document_asset_args(
        "judged_pairs",
        group="generation",
        stage="judge",
        kinds={"pandas"},
        pool=LLM_POOL,
        code_version=f"{JUDGE_PROMPT_VERSION}+{LEXICAL_JUDGE_VERSION}",
        description=(
            "Each pair judged against the raw chunk (not a summary): faithfulness, relevancy and "
            "standalone-ness, plus number/date/quote grounding checks that need no LLM "
            "(metadata `judge` says which judge ran)."
        ),
    )
)
def judged_pairs(
    context: dg.AssetExecutionContext,
    qa_pairs: Frames,
    chunks: Frames,
    llm: LLMResource,
    storage: StorageResource,
    settings: PipelineSettings,
):
    pairs = partition_frames(context, qa_pairs)
    chunk_frames = partition_frames(context, chunks)
    keys, excluded = batch_keys(context, ["qa_pairs"])
    backend = select_backend(llm.settings(), llm.describe())
    results = backend.judge_many(
        {key: pairs[key] for key in keys},
        chunk_frames,
        Batch(storage.cache_root(), context.run_id, recipe=settings.loaded_recipe().recipe),
        thresholds=settings.judge_thresholds(),
    )
    for key, outcome in results.items():
        if not isinstance(outcome, BaseException):
            results[key] = (outcome[0], judged_metadata(*outcome))
    yield from emit_batch(context, "judged_pairs", results, excluded, settings)


def judged_metadata(frame: pd.DataFrame, metadata: dict[str, Any]) -> dict[str, Any]:
    passed = int(frame["passed"].sum())
    return metadata | {
        "pairs": len(frame),
        "passed": passed,
        "pass_rate": round(passed / len(frame), 4) if len(frame) else 0.0,
        "grounding_failures": int((~frame["grounding_ok"].astype(bool)).sum()),
        "faithfulness_labels": counts(frame["faithfulness_label"], "label"),
        "faithfulness_mean": float(frame["faithfulness"].mean()) if len(frame) else 0.0,
        "rejected_preview": preview(
            frame, ["question", "reasons"], where=~frame["passed"].astype(bool)
        ),
    }
