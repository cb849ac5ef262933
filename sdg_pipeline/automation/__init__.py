"""Automation: the landing-zone sensor, the debounced rebuild sensor and the rebuild schedule."""

import dagster as dg

from sdg_pipeline.automation.schedules import build_rebuild_schedule
from sdg_pipeline.automation.sensors import (
    build_landing_sensor,
    build_rebuild_sensor,
    evaluate_landing,
    evaluate_rebuild,
)


def build_sensors() -> list[dg.SensorDefinition]:
    """The landing sensor and the rebuild sensor, both running by default."""
    return [build_landing_sensor(), build_rebuild_sensor()]


def build_schedules() -> list[dg.ScheduleDefinition]:
    """The rebuild schedule, configured from the environment (off unless SDG_REBUILD_SCHEDULE)."""
    return [build_rebuild_schedule()]


__all__ = [
    "build_landing_sensor",
    "build_rebuild_schedule",
    "build_rebuild_sensor",
    "build_schedules",
    "build_sensors",
    "evaluate_landing",
    "evaluate_rebuild",
]
