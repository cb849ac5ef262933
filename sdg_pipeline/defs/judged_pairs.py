"""judged_pairs: every pair scored against its raw chunk, with deterministic grounding checks."""

import dagster as dg
import pandas as pd

from sdg_pipeline.defs.checks import expectations_result, expectations_spec
from sdg_pipeline.defs.metadata import counts, preview
from sdg_pipeline.defs.partitions import documents_partitions
from sdg_pipeline.defs.qa_pairs import LLM_POOL
from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.defs.resources.storage import StorageResource
from sdg_pipeline.judge.lexical import LEXICAL_JUDGE_VERSION, judge_pairs_offline
from sdg_pipeline.judge.llm import judge_pairs_llm
from sdg_pipeline.llm.prompts import JUDGE_PROMPT_VERSION


@dg.asset(
    partitions_def=documents_partitions,
    group_name="generation",
    kinds={"openai", "parquet"},
    pool=LLM_POOL,
    check_specs=[expectations_spec("judged_pairs")],
    code_version=f"{JUDGE_PROMPT_VERSION}+{LEXICAL_JUDGE_VERSION}",
    description=(
        "Each pair judged against the raw chunk (not a summary): faithfulness, relevancy and "
        "standalone-ness, plus number/date/quote grounding checks that need no LLM."
    ),
)
def judged_pairs(
    context: dg.AssetExecutionContext,
    qa_pairs: pd.DataFrame,
    chunks: pd.DataFrame,
    llm: LLMResource,
    storage: StorageResource,
    settings: PipelineSettings,
):
    thresholds = settings.judge_thresholds()
    if llm.is_configured:
        frame, stats = judge_pairs_llm(
            qa_pairs,
            chunks,
            llm=llm,
            cache_root=storage.cache_root(),
            document_key=context.partition_key,
            thresholds=thresholds,
            run_id=context.run_id,
        )
        metadata: dict = {"judge": "llm", **llm.describe(), **stats}
    else:
        frame = judge_pairs_offline(qa_pairs, chunks, thresholds)
        metadata = {"judge": "offline-lexical (no LLM endpoint configured)"}
    passed = int(frame["passed"].sum())
    metadata |= {
        "pairs": len(frame),
        "passed": passed,
        "pass_rate": round(passed / len(frame), 4) if len(frame) else 0.0,
        "grounding_failures": int((~frame["grounding_ok"].astype(bool)).sum()),
        "faithfulness_labels": counts(frame["faithfulness_label"]),
        "faithfulness_mean": float(frame["faithfulness"].mean()) if len(frame) else 0.0,
        "rejected_preview": preview(frame[~frame["passed"]], ["question", "reasons"]),
    }
    yield dg.Output(frame, metadata=metadata)
    yield expectations_result(context, "judged_pairs", frame, settings)
