"""markdown_documents: docling conversion with the offline layout reconstruction."""

from typing import Any

import dagster as dg
import pandas as pd

from sdg_pipeline.convert import CONVERTER_VERSION, convert_document
from sdg_pipeline.defs.document_asset import (
    Frames,
    batch_keys,
    compute_each,
    document_asset_args,
    emit_batch,
    partition_frames,
)
from sdg_pipeline.defs.resources.converter import ConverterResource
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.text.language import preload as preload_language_model

PREVIEW_CHARS = 2000


@dg.asset(
    **document_asset_args(
        "markdown_documents",
        group="documents",
        stage="convert",
        kinds={"docling"},
        code_version=CONVERTER_VERSION,
        description=(
            "The document as Markdown (headings, paragraphs, lists, tables), with page offsets, "
            "the converter mode actually used, and a per-document outcome for problem files."
        ),
    )
)
def markdown_documents(
    context: dg.AssetExecutionContext,
    raw_documents: Frames,
    converter: ConverterResource,
    settings: PipelineSettings,
):
    # The generation step detects each chunk's language; its model loads while this process
    # waits on the conversion worker, not in the middle of the generation step.
    preload_language_model()
    raw = partition_frames(context, raw_documents)
    keys, excluded = batch_keys(context, ["raw_documents"])
    options = converter.options()
    results = compute_each(keys, lambda key: convert(context, raw[key], options))
    yield from emit_batch(context, "markdown_documents", results, excluded, settings)


def convert(
    context: dg.AssetExecutionContext, raw: pd.DataFrame, options: Any
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One document's markdown; a problem file gets its status and error, not an exception."""
    doc = raw.iloc[0]
    result = convert_document(bytes(doc["content"]), doc["file_name"], options)
    if result.error:
        context.log.warning(
            f"document {doc['document_key']}: {result.status.value}: {result.error}"
        )
    frame = pd.DataFrame(
        [
            {
                "document_key": doc["document_key"],
                "content_hash": doc["content_hash"],
                "markdown": result.markdown,
                "page_starts": list(result.page_starts),
                "page_count": result.page_count,
                "status": result.status.value,
                "error": result.error,
                "mode": result.mode,
                "converter": result.converter,
                "converter_version": result.converter_version,
                "seconds": result.seconds,
                "title": result.title,
            }
        ]
    )
    metadata = {
        "status": result.status.value,
        "error": result.error or "",
        "mode": result.mode,
        "converter": f"{result.converter} {result.converter_version}",
        "pages": result.page_count,
        # Which path converted each PDF page (native text layer / OCR / no usable text).
        **({f"pages_{path}": n for path, n in result.page_path_counts.items()}),
        **({"lowest_page_quality": min(result.page_quality)} if result.page_quality else {}),
        "characters": len(result.markdown),
        "seconds": round(result.seconds, 3),
        "preview": dg.MetadataValue.md(result.markdown[:PREVIEW_CHARS]),
    }
    return frame, metadata
