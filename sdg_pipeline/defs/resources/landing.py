"""The landing zone documents arrive in: a local folder or an S3 bucket/prefix."""

from __future__ import annotations

import dagster as dg
from pydantic import Field
from upath import UPath

from sdg_pipeline.io.landing import Landing, LocalLanding, S3Landing, read_bytes
from sdg_pipeline.io.paths import s3_storage_options, to_upath


class LandingZoneResource(dg.ConfigurableResource):
    """Where new documents land; the sensor watches it and `raw_documents` reads from it."""

    uri: str = Field(description="Local folder or s3://bucket/prefix.")
    s3_endpoint_url: str | None = Field(default=None, description="Custom S3 endpoint, if any.")
    s3_region: str | None = Field(default=None)
    settle_seconds: float = Field(
        default=5.0, description="A file must be unchanged this long before it is ingested."
    )

    def is_s3(self) -> bool:
        return self.uri.startswith("s3://")

    def _upath(self, uri: str) -> UPath:
        return to_upath(uri, self.s3_endpoint_url, self.s3_region)

    def open(self) -> Landing:
        if self.is_s3():
            options = s3_storage_options(self.s3_endpoint_url, self.s3_region)
            return S3Landing(self.uri, storage_options=options)
        return LocalLanding(self.uri)

    def read(self, source_uri: str) -> bytes:
        """Bytes of a registered source, which may sit outside this zone (CLI folders)."""
        return read_bytes(self._upath(source_uri))
