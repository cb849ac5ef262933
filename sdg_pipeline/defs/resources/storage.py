"""Where the pipeline keeps its data: one root, local folder or s3:// prefix."""

from __future__ import annotations

import dagster as dg
from pydantic import Field
from upath import UPath

from sdg_pipeline.io.paths import s3_storage_options, to_upath
from sdg_pipeline.io.registry import DocumentRegistry


class StorageResource(dg.ConfigurableResource):
    """The data root: asset Parquet, document registry, LLM response cache and the dataset."""

    data_root: str = Field(description="Local folder or s3://bucket/prefix.")
    s3_endpoint_url: str | None = Field(
        default=None, description="Custom S3 endpoint (MinIO, moto); None for AWS."
    )

    def root(self) -> UPath:
        return to_upath(self.data_root, self.s3_endpoint_url)

    def path(self, *parts: str) -> UPath:
        return self.root().joinpath(*parts)

    def registry(self) -> DocumentRegistry:
        return DocumentRegistry(self.root())

    def storage_options(self) -> dict:
        """fsspec options for URIs under the root (the S3 endpoint); the ones `root()` carries.

        The core takes UPaths, which carry them; this is for URIs it hands back as strings (an
        ExportResult's files).
        """
        return (
            s3_storage_options(self.s3_endpoint_url) if self.data_root.startswith("s3://") else {}
        )

    def cache_root(self) -> UPath:
        # A UPath, not a URI string: it carries the storage options to the response cache.
        return self.path("_llm_cache")
