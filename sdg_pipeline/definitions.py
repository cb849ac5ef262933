"""The code location: assets, checks, jobs, sensors, schedules and resources."""

from __future__ import annotations

import os

import dagster as dg

from sdg_pipeline.assets import ALL_ASSETS
from sdg_pipeline.automation import build_schedules, build_sensors
from sdg_pipeline.jobs import build_dataset_job, process_documents_job, rejudge_job
from sdg_pipeline.resources.converter import ConverterResource
from sdg_pipeline.resources.io_manager import ParquetIOManager
from sdg_pipeline.resources.landing import LandingZoneResource
from sdg_pipeline.resources.llm import LLMResource
from sdg_pipeline.resources.settings import PipelineSettings
from sdg_pipeline.resources.storage import StorageResource
from sdg_pipeline.storage import default_data_root

DEFAULT_LANDING = "landing"


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
        ),
        "llm": llm or LLMResource.from_env(),
        "settings": settings or PipelineSettings(),
    }


def build_definitions(**resource_overrides) -> dg.Definitions:
    return dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[process_documents_job, build_dataset_job, rejudge_job],
        sensors=build_sensors(),
        schedules=build_schedules(),
        resources=build_resources(**resource_overrides),
    )


defs = build_definitions()
