"""raw_documents: the bytes of one document version, with what we know about the file."""

from datetime import UTC, datetime
from typing import Any

import dagster as dg
import pandas as pd

from sdg_pipeline.convert import count_pages, detect_media_type
from sdg_pipeline.convert.isolation import prestart as prestart_conversion_worker
from sdg_pipeline.defs.document_asset import compute_each, document_asset_args, emit_batch
from sdg_pipeline.defs.metadata import preview
from sdg_pipeline.defs.resources.landing import LandingZoneResource
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.defs.resources.storage import StorageResource
from sdg_pipeline.io.keys import content_hash, key_hash_prefix


@dg.asset(
    **document_asset_args(
        "raw_documents",
        group="documents",
        stage="ingest",
        code_version="1",
        description="The source file's bytes, content hash, size, media type and page count.",
    )
)
def raw_documents(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    landing: LandingZoneResource,
    settings: PipelineSettings,
):
    # The conversion worker starts while the bytes are read: the markdown step follows.
    prestart_conversion_worker()
    registry = storage.registry()
    results = compute_each(list(context.partition_keys), lambda key: ingest(key, registry, landing))
    yield from emit_batch(context, "raw_documents", results, {}, settings)


def ingest(key: str, registry: Any, landing: LandingZoneResource) -> tuple[pd.DataFrame, dict]:
    """One document version's bytes, verified against its key, and what we know about them."""
    record = registry.lookup(key)
    if record is None:
        raise dg.Failure(
            f"document {key}: no source registered for this partition; add the file to the "
            "landing zone (the sensor registers it) or run `sdg-pipeline run --docs DIR`."
        )
    try:
        data = landing.read(record.source_uri)
    except FileNotFoundError as exc:
        raise dg.Failure(
            f"document {key}: source {record.source_uri} is gone; it was withdrawn after "
            "registration, so this partition will leave the dataset at the next rebuild."
        ) from exc
    digest = content_hash(data)
    if not digest.startswith(key_hash_prefix(key)):
        raise dg.Failure(
            f"document {key}: {record.source_uri} changed since it was registered "
            f"(sha256 {digest[:12]}…); the new version is a new partition."
        )
    media_type = detect_media_type(record.file_name, data)
    page_count = count_pages(data, media_type)
    frame = pd.DataFrame(
        [
            {
                "document_key": key,
                "source_uri": record.source_uri,
                "file_name": record.file_name,
                "content_hash": digest,
                "content": data,
                "size_bytes": len(data),
                "page_count": page_count,
                "media_type": media_type,
                "ingested_at": datetime.now(UTC),
            }
        ]
    )
    metadata = {
        "source_uri": record.source_uri,
        "content_hash": digest,
        "size_bytes": len(data),
        "media_type": media_type,
        "page_count": page_count,
        "preview": preview(frame, ["file_name", "media_type", "size_bytes", "page_count"]),
    }
    return frame, metadata
