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
    timeout_seconds: float = Field(
        default=120,
        description="Per document: a conversion still running after this is stopped (too_slow).",
    )
    max_memory_mb: int = Field(
        default=6144,
        description=(
            "Per document: address space of the conversion worker (about 0.7 GB of it is "
            "docling itself); a conversion needing more is stopped (too_large)."
        ),
    )

    def options(self) -> ConversionOptions:
        return ConversionOptions(
            mode=self.mode,
            layout_models_path=self.layout_models_path,
            max_pages=self.max_pages,
            max_bytes=self.max_megabytes * 1024 * 1024,
            timeout_seconds=self.timeout_seconds,
            max_memory_mb=self.max_memory_mb,
            # One hostile document must not stall or crash the run: always the budgeted worker.
            isolate=True,
        )
