"""Resources: configuration objects the assets receive, chosen by environment, not by code edits.

`build_resources` is the one place the environment (SDG_* variables) is read into resources; the
defs loader skips this package's functions and classes, and `definitions.py` binds them.
"""

from __future__ import annotations

import os

from sdg_pipeline.defs.resources.converter import ConverterResource
from sdg_pipeline.defs.resources.io_manager import ParquetIOManager
from sdg_pipeline.defs.resources.landing import LandingZoneResource
from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.defs.resources.storage import StorageResource
from sdg_pipeline.io.paths import default_data_root

DEFAULT_LANDING = "landing"


def _recipe_from_env() -> dict:
    recipe = os.environ.get("SDG_RECIPE", "").strip()
    return {"recipe": recipe} if recipe else {}


def build_resources(
    data_root: str | None = None,
    landing_uri: str | None = None,
    llm: LLMResource | None = None,
    settings: PipelineSettings | None = None,
) -> dict:
    """Resources from arguments, else the environment, else embedded local defaults."""
    endpoint = os.environ.get("SDG_S3_ENDPOINT_URL")
    storage = StorageResource(data_root=data_root or default_data_root(), s3_endpoint_url=endpoint)
    return {
        "io_manager": ParquetIOManager(storage=storage),
        "storage": storage,
        "landing": LandingZoneResource(
            uri=landing_uri
            or os.environ.get("SDG_LANDING_URI")
            or os.path.abspath(DEFAULT_LANDING),
            s3_endpoint_url=endpoint,
            settle_seconds=float(os.environ.get("SDG_LANDING_SETTLE_SECONDS", "5")),
        ),
        "converter": ConverterResource(
            mode=os.environ.get("SDG_CONVERTER_MODE", "auto"),
            layout_models_path=os.environ.get("SDG_LAYOUT_MODELS_PATH"),
            timeout_seconds=float(os.environ.get("SDG_CONVERT_TIMEOUT_SECONDS", "120")),
            max_memory_mb=int(os.environ.get("SDG_CONVERT_MAX_MEMORY_MB", "6144")),
        ),
        "llm": llm or LLMResource.from_env(),
        "settings": settings or PipelineSettings(**_recipe_from_env()),
    }


__all__ = [
    "ConverterResource",
    "LLMResource",
    "LandingZoneResource",
    "ParquetIOManager",
    "PipelineSettings",
    "StorageResource",
    "build_resources",
]
