"""Configuration of document conversion (docling)."""

from __future__ import annotations

from typing import Literal

import dagster as dg
from pydantic import Field

from sdg_pipeline.convert import ConversionOptions


class ConverterResource(dg.ConfigurableResource):
    """docling conversion: `auto` uses the layout models when present, else the offline path."""

    mode: Literal["auto", "layout", "native"] = Field(default="auto")
    layout_models_path: str | None = Field(
        default=None, description="Local folder with docling's layout/table model artifacts."
    )
    max_pages: int = Field(default=1000, description="Larger documents are refused.")
    max_megabytes: int = Field(default=200, description="Larger files are refused.")

    def options(self) -> ConversionOptions:
        return ConversionOptions(
            mode=self.mode,
            layout_models_path=self.layout_models_path,
            max_pages=self.max_pages,
            max_bytes=self.max_megabytes * 1024 * 1024,
        )
