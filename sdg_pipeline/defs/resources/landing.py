"""The landing zone documents arrive in: a local folder or an S3 bucket/prefix."""

from __future__ import annotations

import dagster as dg
from dagster_aws.s3 import S3Resource
from pydantic import Field

from sdg_pipeline.io.landing import Landing, LocalLanding, S3Landing


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

    def open(self) -> Landing:
        if self.is_s3():
            s3 = S3Resource(endpoint_url=self.s3_endpoint_url, region_name=self.s3_region)
            return S3Landing(self.uri, s3.get_client())
        return LocalLanding(self.uri)

    def read(self, source_uri: str) -> bytes:
        """Bytes of a registered source, which may sit outside this zone (CLI folders)."""
        if source_uri.startswith("s3://"):
            s3 = S3Resource(endpoint_url=self.s3_endpoint_url, region_name=self.s3_region)
            return S3Landing(source_uri, s3.get_client()).read(source_uri)
        return LocalLanding(self.uri).read(source_uri)
