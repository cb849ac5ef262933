"""The code location: everything under `defs/` (loaded by dg's convention) plus the resources."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from sdg_pipeline.defs.resources import build_resources

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def build_definitions(**resource_overrides) -> dg.Definitions:
    """The project's definitions; tests and the CLI pass a data root, landing zone or LLM."""
    return dg.Definitions.merge(
        dg.load_from_defs_folder(project_root=PROJECT_ROOT),
        dg.Definitions(resources=build_resources(**resource_overrides)),
    )


defs = build_definitions()
