"""Sensors: the landing zone -> document runs, and finished document runs -> a dataset rebuild.

The landing sensor requests `process_documents` runs (the whole per-document chain) for new
document versions and deletes the partitions of withdrawn or superseded ones; the rebuild sensor
requests `build_dataset` once document runs have settled down, so the JSONL follows the corpus
without a rebuild per document. Why run requests rather than declarative automation: see
docs/automation.md.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import dagster as dg

from sdg_pipeline.defs import jobs
from sdg_pipeline.defs.partitions import documents_partitions
from sdg_pipeline.defs.resources.landing import LandingZoneResource
from sdg_pipeline.defs.resources.storage import StorageResource
from sdg_pipeline.io.landing import Landing, register_version
from sdg_pipeline.io.manifest import STATE_DIR, LandingCursor, ManifestStore, zone_id
from sdg_pipeline.io.scan import DEFAULT_READ_WORKERS, ScanResult, scan_landing

LANDING_SENSOR = "landing_sensor"
REBUILD_SENSOR = "dataset_rebuild_sensor"
# Dagster gives a sensor evaluation 60 s by default; stop scanning well before that so the daemon
# still has time to add partitions and submit runs. The rest of the zone waits for the next tick.
DEFAULT_TICK_BUDGET_SECONDS = 20.0
DEFAULT_LANDING_INTERVAL_SECONDS = 30
DEFAULT_REBUILD_INTERVAL_SECONDS = 60
# A rebuild waits while document runs are still queued or running, but not longer than this.
DEFAULT_REBUILD_MAX_WAIT_SECONDS = 30 * 60
# The last per-document asset: a version that has it was processed (whatever its checks said).
LAST_DOCUMENT_ASSET = dg.AssetKey("training_examples")
DOCUMENT_JOBS = (jobs.process_documents_job.name, jobs.rejudge_job.name)
IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def _owned_by_zone(storage: StorageResource, landing: Landing, key: str, names: list[str]) -> bool:
    """Whether a retired version was registered from this zone (not, say, by the CLI elsewhere)."""
    record = storage.registry().lookup(key)
    return record is None or record.source_uri in {landing.uri_for(n) for n in names}


def _describe(scan: ScanResult, runs: int, added: int, deleted: int) -> str:
    parts = [f"listed {scan.listed}, hashed {scan.hashed}"]
    if runs or added or deleted:
        parts.append(f"{runs} runs, {added} partitions added, {deleted} deleted")
    if scan.waiting:
        parts.append(f"{len(scan.waiting)} still being written: " + ", ".join(scan.waiting[:5]))
    if scan.unsupported:
        parts.append(
            f"{len(scan.unsupported)} unsupported, ignored: "
            + ", ".join(f"{n} ({r})" for n, r in list(scan.unsupported.items())[:5])
        )
    if scan.errors:
        parts.append(f"{len(scan.errors)} unreadable, retried next tick")
    if scan.next_start_after is not None:
        parts.append(f"resumes after {scan.next_start_after!r}")
    return "; ".join(parts)


def evaluate_landing(
    context: dg.SensorEvaluationContext,
    landing_zone: LandingZoneResource,
    storage: StorageResource,
    *,
    time_budget_seconds: float | None = DEFAULT_TICK_BUDGET_SECONDS,
    max_files_per_tick: int | None = None,
    read_workers: int = DEFAULT_READ_WORKERS,
) -> dg.SensorResult:
    """One landing-sensor tick: scan, register new versions, then the requests for the daemon."""
    landing = landing_zone.open()
    if not landing_zone.is_s3() and not Path(landing.root).is_dir():
        # A missing folder (an unmounted share, a typo) must not read as "every file deleted".
        return dg.SensorResult(
            skip_reason=f"landing zone {landing.root} does not exist: create it or set "
            "SDG_LANDING_URI; nothing was registered or withdrawn",
            cursor=context.cursor,
        )
    zone = zone_id(landing.root)
    cursor = LandingCursor.parse(context.cursor)
    if cursor.zone not in (None, zone):
        context.log.warning(
            f"landing zone changed to {landing.root}: starting a fresh state; partitions of the "
            "previous zone are left as they are"
        )
        cursor = LandingCursor()
    store = ManifestStore(storage.path(STATE_DIR), zone)
    previous = store.load(cursor.manifest)
    scan = scan_landing(
        landing,
        previous,
        partial(register_version, storage.registry()),
        now=time.time(),
        settle_seconds=landing_zone.settle_seconds,
        start_after=cursor.start_after,
        time_budget_seconds=time_budget_seconds,
        max_files=max_files_per_tick,
        read_workers=read_workers,
    )

    instance = context.instance
    existing = set(instance.get_dynamic_partitions(documents_partitions.name))
    versions = {v.key: v for v in scan.versions}  # one run per version, even if two paths share it
    to_add = [key for key in versions if key not in existing]
    # A version that got through its chain before (registered by the CLI, or a file withdrawn and
    # dropped again) is not run again: its Parquet and check results are still there. The instance
    # may be shared with runs that wrote elsewhere (`sdg-pipeline run --out`), so the Parquet must
    # be under this data root too.
    processed = instance.get_materialized_partitions(LAST_DOCUMENT_ASSET) if versions else set()
    to_run = [
        key
        for key in versions
        if key not in processed
        or not storage.path(LAST_DOCUMENT_ASSET.path[-1], f"{key}.parquet").exists()
    ]

    to_delete = []
    for key, names in scan.retired.items():
        if not _owned_by_zone(storage, landing, key, names):
            context.log.info(f"version {key} left alone: registered from outside {landing.root}")
            continue
        storage.registry().forget(key)
        if key in existing:
            to_delete.append(key)

    for name, reason in scan.unsupported.items():
        context.log.warning(f"landing file {name} ignored: {reason}")
    for name, error in scan.errors.items():
        context.log.warning(f"landing file {name} could not be read, retrying next tick: {error}")

    manifest_id = cursor.manifest
    if scan.changed:
        manifest_id = store.save(scan.manifest)
    store.prune({m for m in (cursor.manifest, manifest_id) if m})
    next_cursor = LandingCursor(zone, manifest_id, scan.next_start_after).to_json()

    run_requests = [
        dg.RunRequest(
            # Derived from the committed state, so a retried tick repeats it and the daemon
            # drops the duplicate; a later tick that finds the version new again (withdrawn and
            # re-dropped after a failed run) gets a fresh key.
            run_key=f"{key}@{zone}:{cursor.manifest or 'start'}",
            partition_key=key,
            tags={
                "sdg/trigger": LANDING_SENSOR,
                "sdg/change": "changed" if versions[key].previous_key else "new",
            },
        )
        for key in to_run
    ]
    partition_requests: list = []
    if to_add:
        partition_requests.append(documents_partitions.build_add_request(to_add))
    if to_delete:
        partition_requests.append(documents_partitions.build_delete_request(to_delete))
    summary = _describe(scan, len(run_requests), len(to_add), len(to_delete))
    context.log.info(summary)
    return dg.SensorResult(
        run_requests=run_requests,
        dynamic_partitions_requests=partition_requests,
        cursor=next_cursor,
        skip_reason=None if run_requests else summary,
    )


LANDING_DESCRIPTION = (
    "Watches the landing zone: new or edited documents become partitions with a "
    "process_documents run each; deleted ones lose their partition, so they leave the "
    "dataset at the next rebuild. Unchanged files are never re-read."
)
REBUILD_DESCRIPTION = (
    "Requests build_dataset after process_documents / rejudge runs finish or document "
    "partitions are deleted, waiting while document runs are still in flight."
)


def build_landing_sensor(
    *,
    name: str = LANDING_SENSOR,
    minimum_interval_seconds: int = DEFAULT_LANDING_INTERVAL_SECONDS,
    time_budget_seconds: float | None = DEFAULT_TICK_BUDGET_SECONDS,
    max_files_per_tick: int | None = None,
    read_workers: int = DEFAULT_READ_WORKERS,
    default_status: dg.DefaultSensorStatus = dg.DefaultSensorStatus.RUNNING,
) -> dg.SensorDefinition:
    """The sensor over the `landing` resource's zone (folder or s3://bucket/prefix)."""

    @dg.sensor(
        name=name,
        job=jobs.process_documents_job,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=default_status,
        description=LANDING_DESCRIPTION,
    )
    def _landing_sensor(
        context: dg.SensorEvaluationContext,
        landing: LandingZoneResource,
        storage: StorageResource,
    ) -> dg.SensorResult:
        return evaluate_landing(
            context,
            landing,
            storage,
            time_budget_seconds=time_budget_seconds,
            max_files_per_tick=max_files_per_tick,
            read_workers=read_workers,
        )

    return _landing_sensor


@dataclass(frozen=True)
class RebuildCursor:
    """Watermark of document runs already reflected, the partition set built, a pending change."""

    after: float = 0.0  # update time of the newest document run a rebuild was requested for
    partitions: str | None = None  # digest of the partition keys at that request
    pending_since: float | None = None  # first tick that saw a change it had to hold back
    requests: int = 0  # rebuilds requested so far: keeps run keys unique when a state recurs

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def parse(cls, cursor: str | None) -> RebuildCursor:
        return cls(**json.loads(cursor)) if cursor else cls()


def partitions_digest(keys: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:16]


def _latest_finished(instance: dg.DagsterInstance, after: float) -> float | None:
    """Newest document run that ended after `after`. Failures count too: a re-run whose check
    now fails must take its document out of the dataset, not leave the old examples in."""
    latest = None
    for job_name in DOCUMENT_JOBS:
        records = instance.get_run_records(
            dg.RunsFilter(
                job_name=job_name,
                statuses=[dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE],
                updated_after=datetime.fromtimestamp(after, UTC),
            ),
            limit=1,
            order_by="update_timestamp",
        )
        for record in records:
            stamp = record.update_timestamp.timestamp()
            if stamp > after and (latest is None or stamp > latest):
                latest = stamp
    return latest


def _built_after(instance: dg.DagsterInstance, latest: float | None) -> bool:
    """Whether a successful dataset build started after the newest finished document run."""
    records = instance.get_run_records(
        dg.RunsFilter(job_name=jobs.build_dataset_job.name, statuses=[dg.DagsterRunStatus.SUCCESS]),
        limit=1,
        order_by="update_timestamp",
    )
    if not records:
        return False
    started = records[0].start_time or records[0].create_timestamp.timestamp()
    return latest is None or started >= latest


def _in_flight(instance: dg.DagsterInstance) -> int:
    return sum(
        instance.get_runs_count(dg.RunsFilter(job_name=job, statuses=IN_FLIGHT))
        for job in (*DOCUMENT_JOBS, jobs.build_dataset_job.name)
    )


def evaluate_rebuild(
    context: dg.SensorEvaluationContext,
    *,
    max_wait_seconds: float = DEFAULT_REBUILD_MAX_WAIT_SECONDS,
    now: float | None = None,
) -> dg.SensorResult:
    """Request one `build_dataset` run after a burst of document runs or partition deletions."""
    now = time.time() if now is None else now
    state = RebuildCursor.parse(context.cursor)
    instance = context.instance
    keys = list(instance.get_dynamic_partitions(documents_partitions.name))
    digest = partitions_digest(keys)
    latest = _latest_finished(instance, state.after)
    # A changed partition set without finished runs is a deletion (additions come with runs):
    # the dataset must drop that document even though nothing ran.
    partitions_changed = digest != state.partitions and (state.partitions is not None or keys)
    if latest is None and not partitions_changed:
        return dg.SensorResult(skip_reason="dataset up to date", cursor=state.to_json())
    if state.partitions is None and _built_after(instance, latest):
        # First tick of a fresh daemon over an instance the CLI already filled (`make demo`):
        # a dataset build started after the last document run already reflects all of it.
        seen = RebuildCursor(max(latest or 0.0, state.after), digest, None, state.requests)
        return dg.SensorResult(
            skip_reason="dataset already rebuilt after the last document run", cursor=seen.to_json()
        )
    busy = _in_flight(instance)
    pending_since = state.pending_since if state.pending_since is not None else now
    if busy and now - pending_since < max_wait_seconds:
        held = replace(state, pending_since=pending_since)
        return dg.SensorResult(
            skip_reason=f"waiting for {busy} document/dataset runs to finish before rebuilding",
            cursor=held.to_json(),
        )
    after = max(latest or 0.0, state.after)
    # The same partitions can come back (a document withdrawn, then restored), so the request
    # count makes the key unique; the daemon would silently drop a reused one.
    request = dg.RunRequest(
        run_key=f"rebuild-{state.requests + 1}-{digest}",
        tags={"sdg/trigger": REBUILD_SENSOR},
    )
    built = RebuildCursor(after, digest, None, state.requests + 1)
    return dg.SensorResult(run_requests=[request], cursor=built.to_json())


def build_rebuild_sensor(
    *,
    name: str = REBUILD_SENSOR,
    minimum_interval_seconds: int = DEFAULT_REBUILD_INTERVAL_SECONDS,
    max_wait_seconds: float = DEFAULT_REBUILD_MAX_WAIT_SECONDS,
    default_status: dg.DefaultSensorStatus = dg.DefaultSensorStatus.RUNNING,
) -> dg.SensorDefinition:
    """Rebuilds training_jsonl once document runs finish (debounced) or partitions go away."""

    @dg.sensor(
        name=name,
        job=jobs.build_dataset_job,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=default_status,
        description=REBUILD_DESCRIPTION,
    )
    def _rebuild_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        return evaluate_rebuild(context, max_wait_seconds=max_wait_seconds)

    return _rebuild_sensor


landing_sensor = build_landing_sensor()
rebuild_sensor = build_rebuild_sensor()
