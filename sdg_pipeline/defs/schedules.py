"""The scheduled dataset rebuild: a fixed-cadence safety net beside the rebuild sensor."""

from __future__ import annotations

import os

import dagster as dg

from sdg_pipeline.defs import jobs

REBUILD_SCHEDULE = "dataset_rebuild_schedule"
DEFAULT_REBUILD_CRON = "0 3 * * *"  # nightly, after the day's documents have settled
_ON = {"1", "on", "true", "yes", "running"}


def build_rebuild_schedule(
    cron: str | None = None,
    enabled: bool | None = None,
    timezone: str | None = None,
) -> dg.ScheduleDefinition:
    """Rebuild training_jsonl from all passing partitions on a cron.

    Off by default (SDG_REBUILD_SCHEDULE=on, or the UI's toggle, turns it on): the rebuild sensor
    already rebuilds after every burst of document runs and every deletion. Turn it on where the
    sensors are off, or to get a dataset version at a fixed time regardless.
    """
    cron = cron or os.environ.get("SDG_REBUILD_CRON") or DEFAULT_REBUILD_CRON
    if enabled is None:
        enabled = os.environ.get("SDG_REBUILD_SCHEDULE", "").strip().lower() in _ON
    return dg.ScheduleDefinition(
        name=REBUILD_SCHEDULE,
        job=jobs.build_dataset_job,
        cron_schedule=cron,
        execution_timezone=timezone or os.environ.get("SDG_REBUILD_TIMEZONE") or "UTC",
        default_status=(
            dg.DefaultScheduleStatus.RUNNING if enabled else dg.DefaultScheduleStatus.STOPPED
        ),
        tags={"sdg/trigger": REBUILD_SCHEDULE},
        description="Rebuilds train/valid JSONL from every document whose checks passed.",
    )


rebuild_schedule = build_rebuild_schedule()
