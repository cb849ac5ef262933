"""chunks: heading-aware, token-bounded pieces of the markdown, with their lineage."""

from typing import Any

import dagster as dg
import pandas as pd

from sdg_pipeline.chunk import CHUNKER_VERSION, chunk_markdown
from sdg_pipeline.chunk.subject import SUBJECT_VERSION, document_subject
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
from sdg_pipeline.schemas import column_names
from sdg_pipeline.screen.triage import TRIAGE_VERSION, triage_document


def chunk_id(document_key: str, index: int) -> str:
    return f"{document_key}-c{index:04d}"


@dg.asset(
    **document_asset_args(
        "chunks",
        group="documents",
        stage="chunk",
        kinds={"pandas"},
        code_version=f"{CHUNKER_VERSION}+{TRIAGE_VERSION}+{SUBJECT_VERSION}",
        description=(
            "Heading-aware, token-bounded chunks: heading path, page span and character offsets "
            "into the markdown."
        ),
    )
)
def chunks(
    context: dg.AssetExecutionContext,
    markdown_documents: Frames,
    settings: PipelineSettings,
):
    markdown = partition_frames(context, markdown_documents)
    keys, excluded = batch_keys(context, ["markdown_documents"])
    results = compute_each(keys, lambda key: chunk_document(markdown[key], settings))
    yield from emit_batch(context, "chunks", results, excluded, settings)


def chunk_document(
    markdown: pd.DataFrame, settings: PipelineSettings
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One document's chunks, each with triage's verdict, and the step's metadata."""
    doc = markdown.iloc[0]
    pieces = chunk_markdown(
        doc["markdown"],
        [int(offset) for offset in doc["page_starts"]],
        min_tokens=settings.chunk_min_tokens,
        max_tokens=settings.chunk_max_tokens,
    )
    limits = settings.triage_thresholds()
    # `title` is absent (NaN) from documents converted before it was kept; title_like skips it
    # the key's readable part is the file's name: "tyson-foods-2q23-investor-presentation"
    file_name = str(doc["document_key"]).rsplit("-", 1)[0]
    subject = document_subject(doc["markdown"], doc.get("title"), file_name)
    reasons = (
        triage_document([p.text for p in pieces], [p.heading_path for p in pieces], limits)
        if settings.triage_enabled
        else [None] * len(pieces)
    )
    frame = pd.DataFrame(
        [
            {
                "chunk_id": chunk_id(doc["document_key"], piece.chunk_index),
                "document_key": doc["document_key"],
                "content_hash": doc["content_hash"],
                "chunk_index": piece.chunk_index,
                "heading_path": list(piece.heading_path),
                "page_start": piece.page_start,
                "page_end": piece.page_end,
                "char_start": piece.char_start,
                "char_end": piece.char_end,
                "text": piece.text,
                "token_count": piece.token_count,
                "has_table": piece.has_table,
                "skip_reason": reason,
                "document_subject": subject,
            }
            for piece, reason in zip(pieces, reasons, strict=True)
        ],
        columns=column_names("chunks"),
    )
    tokens = frame["token_count"]
    skipped = frame["skip_reason"].notna()
    metadata = {
        "chunks": len(frame),
        "document_subject": subject or "(none found)",
        "tokens_total": int(tokens.sum()),
        "tokens_min": int(tokens.min()) if len(frame) else 0,
        "tokens_max": int(tokens.max()) if len(frame) else 0,
        "tables": int(frame["has_table"].sum()),
        "skipped_by_triage": int(skipped.sum()),
        "skip_reasons": counts(frame.loc[skipped, "skip_reason"].str.split(":").str[0], "reason"),
        "skipped_preview": preview(frame, ["chunk_id", "skip_reason", "text"], where=skipped),
        "preview": preview(frame, ["chunk_id", "heading_path", "page_start", "token_count"]),
    }
    return frame, metadata
