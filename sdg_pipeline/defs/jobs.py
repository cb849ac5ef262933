"""Jobs: the per-document chain (one run per document partition) and the dataset rebuild."""

from __future__ import annotations

import dagster as dg

from sdg_pipeline.defs.partitions import documents_partitions

process_documents_job = dg.define_asset_job(
    "process_documents",
    selection=dg.AssetSelection.groups("documents", "generation")
    | dg.AssetSelection.assets("training_examples"),
    partitions_def=documents_partitions,
    description="Ingest, convert, chunk, generate, judge and format one document version.",
)

build_dataset_job = dg.define_asset_job(
    "build_dataset",
    selection=dg.AssetSelection.assets("training_jsonl"),
    description="Rebuild train/valid JSONL from every document whose checks passed.",
)

rejudge_job = dg.define_asset_job(
    "rejudge",
    selection=dg.AssetSelection.assets("judged_pairs", "training_examples"),
    partitions_def=documents_partitions,
    description=(
        "Judge every document's existing pairs again (say, with a new SDG_JUDGE_MODEL) and rebuild "
        "its training examples; qa_pairs is read from storage, never regenerated. Launch it as a "
        "backfill over all partitions."
    ),
)
