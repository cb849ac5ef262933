"""training_examples: chat rows of the pairs that passed judging, with their lineage."""

import dagster as dg
import pandas as pd

from sdg_pipeline.defs.checks import expectations_result, expectations_spec
from sdg_pipeline.defs.metadata import counts, preview
from sdg_pipeline.defs.partitions import documents_partitions
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.export import chat_token_count
from sdg_pipeline.schemas import column_names

SCORE_COLUMNS = ["faithfulness", "relevancy", "standalone"]


def build_examples(judged: pd.DataFrame, chunks: pd.DataFrame) -> pd.DataFrame:
    """One chat example per passing pair; the chunk supplies pages and the raw context."""
    passing = judged[judged["passed"].astype(bool)]
    lineage = chunks.set_index("chunk_id")[["page_start", "page_end", "text"]]
    rows = passing.join(lineage, on="chunk_id")
    messages = [
        [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
        for q, a in zip(rows["question"], rows["answer"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "example_id": rows["pair_id"],
            "pair_id": rows["pair_id"],
            "chunk_id": rows["chunk_id"],
            "document_key": rows["document_key"],
            "content_hash": rows["content_hash"],
            "page_start": rows["page_start"],
            "page_end": rows["page_end"],
            "question_type": rows["question_type"],
            "question": rows["question"],
            "answer": rows["answer"],
            "context": rows["text"],
            "score": rows[SCORE_COLUMNS].mean(axis=1),
            "messages": messages,
            "token_count": [chat_token_count(m) for m in messages],
        },
        columns=column_names("training_examples"),
    )
    return frame.reset_index(drop=True)


@dg.asset(
    partitions_def=documents_partitions,
    group_name="dataset",
    kinds={"parquet"},
    check_specs=[expectations_spec("training_examples")],
    code_version="1",
    description="Chat-format examples (user question, assistant answer) of the accepted pairs.",
)
def training_examples(
    context: dg.AssetExecutionContext,
    judged_pairs: pd.DataFrame,
    chunks: pd.DataFrame,
    settings: PipelineSettings,
):
    frame = build_examples(judged_pairs, chunks)
    yield dg.Output(
        frame,
        metadata={
            "examples": len(frame),
            "rejected_pairs": len(judged_pairs) - len(frame),
            "tokens_total": int(frame["token_count"].sum()),
            "question_types": counts(frame["question_type"]),
            "preview": preview(frame, ["question", "answer", "page_start"]),
        },
    )
    yield expectations_result(context, "training_examples", frame, settings)
