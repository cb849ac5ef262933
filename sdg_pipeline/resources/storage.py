"""Where the pipeline keeps its data: one root, local folder or s3:// prefix."""

from __future__ import annotations

import dagster as dg
from pydantic import Field
from upath import UPath

from sdg_pipeline.registry import DocumentRegistry
from sdg_pipeline.storage import to_upath


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

    def cache_uri(self) -> str:
        return str(self.path("_llm_cache"))

    def dataset_uri(self) -> str:
        return str(self.path("dataset"))

    def asset_uri(self, asset_name: str) -> str:
        return str(self.path(asset_name))
