"""qa_pairs: questions and answers grounded in each chunk, by an LLM or the offline generator."""

import dagster as dg
import pandas as pd

from sdg_pipeline.defs.checks import expectations_result, expectations_spec
from sdg_pipeline.defs.metadata import counts, preview
from sdg_pipeline.defs.partitions import documents_partitions
from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.defs.resources.storage import StorageResource
from sdg_pipeline.generate.llm import generate_pairs_llm
from sdg_pipeline.generate.offline import OFFLINE_PROMPT_VERSION, generate_pairs_offline
from sdg_pipeline.llm.prompts import GENERATION_PROMPT_VERSION

LLM_POOL = "llm"


def document_outline(chunks: pd.DataFrame) -> list[str]:
    """Distinct heading paths in reading order: the generator's view of the whole document."""
    seen: dict[str, None] = {}
    for path in chunks["heading_path"]:
        if len(path):
            seen.setdefault(" > ".join(path), None)
    return list(seen)


@dg.asset(
    partitions_def=documents_partitions,
    group_name="generation",
    kinds={"openai", "parquet"},
    pool=LLM_POOL,
    check_specs=[expectations_spec("qa_pairs")],
    code_version=f"{GENERATION_PROMPT_VERSION}+{OFFLINE_PROMPT_VERSION}",
    description=(
        "Question/answer pairs written from each chunk: by the configured OpenAI-compatible LLM, "
        "or by the deterministic extractive generator when no endpoint is configured."
    ),
)
def qa_pairs(
    context: dg.AssetExecutionContext,
    chunks: pd.DataFrame,
    llm: LLMResource,
    storage: StorageResource,
    settings: PipelineSettings,
):
    key = context.partition_key
    if llm.is_configured:
        frame, stats = generate_pairs_llm(
            chunks,
            llm=llm,
            cache_root=storage.cache_root(),
            document_key=key,
            outline=document_outline(chunks),
            run_id=context.run_id,
            # the generator drops pairs the qa_pairs suite would reject, by the same bounds
            thresholds=settings.check_thresholds(),
        )
        metadata: dict = {"generator": "llm", **llm.describe(), **stats}
    else:
        frame = generate_pairs_offline(chunks, max_pairs_per_chunk=settings.offline_pairs_per_chunk)
        metadata = {"generator": "offline-extractive (no LLM endpoint configured)"}
    failed = int(frame["error"].notna().sum())
    metadata |= {
        "pairs": len(frame) - failed,
        "failed_chunks": failed,
        "chunks_without_pairs": int((~chunks["chunk_id"].isin(frame["chunk_id"])).sum()),
        "question_types": counts(frame["question_type"]),
        "preview": preview(frame, ["question_type", "question", "answer"]),
    }
    yield dg.Output(frame, metadata=metadata)
    yield expectations_result(context, "qa_pairs", frame, settings)
