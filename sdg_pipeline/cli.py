"""`sdg-pipeline`: the same code paths as the assets, for people who live in a terminal.

sdg-pipeline run --docs DIR [--out DIR|s3://...]   register documents, materialize the graph
sdg-pipeline convert FILE... --out DIR             write the markdown the pipeline would produce
sdg-pipeline recipes                               list the built-in recipes
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
from upath import UPath

from sdg_pipeline.convert import convert_document
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.dagster_private import partition_range_tags
from sdg_pipeline.defs.document_asset import NOT_MATERIALIZED
from sdg_pipeline.defs.partitions import documents_partitions
from sdg_pipeline.defs.resources import build_resources
from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.defs.resources.storage import StorageResource
from sdg_pipeline.freshness import FreshnessStore, fingerprint
from sdg_pipeline.generate.recipe_offline import offline_problem
from sdg_pipeline.io.landing import LocalLanding, register_version, unsupported_reason
from sdg_pipeline.parallel_runs import (
    MAX_DEFAULT_WORKERS,
    Outcome,
    batch_runner,
    batch_size_for,
    can_fork,
    default_workers,
)
from sdg_pipeline.recipes import RecipeError, builtin_names, list_recipes, load_recipe
from sdg_pipeline.run_guard import (
    StopRequest,
    cli_tags,
    deferred_stop,
    exclusive_home,
    fail_orphaned_runs,
    shielded,
)
from sdg_pipeline.terminal import RunSummary, print_summary, shown, stage_progress
from sdg_pipeline.text import language


def withdrawn_versions(
    docs_dir: Path, current: set[str], storage: StorageResource, instance: dg.DagsterInstance
) -> list[str]:
    """Partitions registered from this folder whose file is gone or now holds other bytes.

    The CLI reconciles exactly like the landing sensor: such a version leaves the partitions, so
    the dataset rebuild drops its examples. Partitions registered from elsewhere are left alone.
    """
    registry = storage.registry()
    prefix = str(docs_dir).rstrip("/") + "/"
    gone = []
    for key in instance.get_dynamic_partitions(documents_partitions.name):
        if key in current:
            continue
        record = registry.lookup(key)
        if record is not None and record.source_uri.startswith(prefix):
            gone.append(key)
    return gone


def register_folder(
    docs_dir: Path, storage: StorageResource, instance: dg.DagsterInstance
) -> tuple[list[str], dict[str, str]]:
    """Register every supported file of a folder as a document partition; return keys, skips."""
    registry = storage.registry()
    folder = LocalLanding(str(docs_dir))
    keys: list[str] = []
    skipped: dict[str, str] = {}
    for landed in folder.list_files():
        reason = unsupported_reason(landed.name)
        if reason is not None:
            skipped[landed.name] = reason
            continue
        digest, size = folder.sha256(landed.uri)
        key = register_version(registry, landed, digest, size)
        if key not in keys:
            keys.append(key)
    skipped.update(folder.refused)
    existing = set(instance.get_dynamic_partitions(documents_partitions.name))
    new = [key for key in keys if key not in existing]
    if new:
        instance.add_dynamic_partitions(documents_partitions.name, new)
    return keys, skipped


def reconcile_folder(
    docs_dir: Path, storage: StorageResource, instance: dg.DagsterInstance
) -> tuple[list[str], dict[str, str], list[str]]:
    """Register the folder and withdraw the versions no longer in it: keys, skips, withdrawn."""
    keys, skipped = register_folder(docs_dir, storage, instance)
    withdrawn = withdrawn_versions(docs_dir, set(keys), storage, instance)
    for key in withdrawn:
        instance.delete_dynamic_partition(documents_partitions.name, key)
    return keys, skipped, withdrawn


def _rows(storage: StorageResource, asset: str, keys: list[str]) -> int:
    total = 0
    for key in keys:
        path = storage.path(asset, f"{key}.parquet")
        if path.exists():
            with path.open("rb") as handle:
                total += pq.ParquetFile(handle).metadata.num_rows
    return total


def _first_error(result: dg.ExecuteInProcessResult) -> str:
    """Why a document's run failed, on one line: the failed step and its own reason.

    A failed check fails its step with the check's headline (`defs.checks.check_failure`); any
    other failure is the innermost exception's first line (Dagster wraps the asset's own).
    """
    key = result.dagster_run.tags.get("dagster/partition", "")
    for event in result.all_events:
        if not (event.is_step_failure and event.step_failure_data):
            continue
        failure = event.step_failure_data.user_failure_data
        if failure is not None and failure.description:
            text = failure.description.removeprefix(f"document {key}: ")  # the line names it
        else:
            error = event.step_failure_data.error
            while error.cause is not None:
                error = error.cause
            text = error.message.strip()
            # "pkg.module.LLMUnavailable: ..." reads as "LLMUnavailable: ..."
            head, colon, rest = text.partition(": ")
            if colon and "." in head and " " not in head:
                text = f"{head.rsplit('.', 1)[-1]}: {rest}"
        text = (text.splitlines() or ["failed"])[0].strip()
        return text if text.startswith(f"{event.step_key}: ") else f"{event.step_key}: {text}"
    return "run failed"


def describe_llm(llm: LLMResource) -> str:
    if not llm.is_configured:
        return "offline generator and judge (no LLM endpoint configured)"
    info = llm.describe()
    return f"LLM at {info['endpoint_host']}: generator {info['model']}, judge {info['judge_model']}"


def _count_lines(path: UPath) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


PER_DOCUMENT_ASSETS = (
    "raw_documents",
    "markdown_documents",
    "chunks",
    "qa_pairs",
    "judged_pairs",
    "training_examples",
)


def run_fingerprint(defs: dg.Definitions, resources: dict) -> str:
    """What a document's outputs depend on besides its bytes (see freshness.py)."""
    graph = defs.resolve_asset_graph()
    return fingerprint(
        {
            "code_versions": {
                name: graph.get(dg.AssetKey(name)).code_version for name in PER_DOCUMENT_ASSETS
            },
            "settings": resources["settings"].model_dump(),
            # a recipe file edited in place (same name and version) still changes the outputs
            "recipe": resources["settings"].loaded_recipe().digest,
            "converter": resources["converter"].options(),
            "llm": resources["llm"].describe(),
        }
    )


DEFAULT_BATCH = 50


class StageWatcher:
    """Counts, while a run executes, the partitions each stage has finished (a materialization,
    or a document left out), across the CLI's runs: the per-stage bars' source."""

    POLL_SECONDS = 0.5

    def __init__(self, instance: dg.DagsterInstance, update: Callable[[str, int], None]) -> None:
        self._instance = instance
        self._update = update
        self._done: dict[str, int] = dict.fromkeys(PER_DOCUMENT_ASSETS, 0)
        self._lock = threading.Lock()  # runs executing at once are polled by their own threads

    def _poll(self, run_id: str, cursor: str | None) -> str | None:
        records = self._instance.get_records_for_run(
            run_id, cursor=cursor, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
        )
        for record in records.records:
            event = record.event_log_entry.dagster_event
            asset = event.asset_key.path[-1] if event and event.asset_key else None
            if asset in self._done:
                with self._lock:
                    self._done[asset] += 1
                    self._update(asset, self._done[asset])
        return records.cursor

    @contextmanager
    def watching(self) -> Iterator[str]:
        run_id = str(uuid.uuid4())  # the id Dagster would give it, known before it starts
        finished = threading.Event()

        def loop() -> None:
            cursor = None
            while not finished.wait(self.POLL_SECONDS):
                with suppress(Exception):  # a bar must never break the run
                    cursor = self._poll(run_id, cursor)
            with suppress(Exception):
                self._poll(run_id, cursor)

        thread = threading.Thread(target=loop, name="sdg-progress", daemon=True)
        thread.start()
        try:
            yield run_id
        finally:
            finished.set()
            thread.join(timeout=5)


def contiguous_batches(stale: list[str], order: list[str], size: int) -> list[list[str]]:
    """The stale keys as runs of at most `size` partitions adjacent in the partitions' order.

    A run covers a range of the dynamic partitions, so a batch never spans a key in between that
    is fresh (or registered from another folder): that one would be recomputed for nothing.
    """
    position = {key: index for index, key in enumerate(order)}
    batches: list[list[str]] = []
    for key in sorted(stale, key=lambda k: position.get(k, len(order))):
        last = batches[-1] if batches else None
        if (
            last is not None
            and len(last) < max(1, size)
            and position.get(key) == position.get(last[-1], -2) + 1
        ):
            last.append(key)
        else:
            batches.append([key])
    return batches


def batch_target(batch: list[str]) -> dict:
    """execute_in_process arguments for one batch: a partition, or a range of them."""
    if len(batch) == 1:
        return {"partition_key": batch[0], "tags": cli_tags()}
    return {"tags": {**cli_tags(), **partition_range_tags(batch[0], batch[-1])}}


def document_outcomes(result: dg.ExecuteInProcessResult, batch: list[str]) -> dict[str, str | None]:
    """Per document of a batch run: None if it reached training_examples, else why not.

    The reason is the document's own: its failed blocking check, or the error its step recorded
    on its partition; a run that failed as a whole gives every unfinished document its error.
    """
    return _outcomes(result, batch)[0]


def _outcomes(
    result: dg.ExecuteInProcessResult, batch: list[str]
) -> tuple[dict[str, str | None], set[str]]:
    """`document_outcomes`, and the documents whose reason is a failed blocking check."""
    reasons: dict[str, str] = {}
    refused: set[str] = set()
    finished: set[str] = set()
    for event in result.all_events:
        data = event.event_specific_data
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            if not data.passed and data.severity == dg.AssetCheckSeverity.ERROR:
                key = data.partition or (batch[0] if len(batch) == 1 else None)
                if key is not None and key not in reasons:
                    asset = data.asset_key.to_user_string()
                    reasons[key] = f"{asset}: {data.description}"
                    refused.add(key)
        elif event.event_type_value == "ASSET_MATERIALIZATION":
            materialization = data.materialization
            key = materialization.partition
            note = materialization.metadata.get(NOT_MATERIALIZED)
            if note is not None:
                if not str(note.value).startswith("not computed"):
                    reasons.setdefault(key, str(note.value))
            elif materialization.asset_key == dg.AssetKey("training_examples"):
                finished.add(key)
    run_error = None if result.success and len(batch) > 1 else _first_error(result)
    outcomes: dict[str, str | None] = {}
    for key in batch:
        if key in reasons:
            outcomes[key] = reasons[key]
        elif key in finished and (result.success or len(batch) > 1):
            outcomes[key] = None
        else:
            outcomes[key] = run_error or "run failed"
    return outcomes, refused


def _report_unpublished(build: dg.ExecuteInProcessResult) -> None:
    """Say so when the dataset's own suite kept a new build from replacing the files."""
    for event in build.get_asset_materialization_events():
        published = event.event_specific_data.materialization.metadata.get("published")
        if published is not None and published.value is False:
            failed = [
                e.event_specific_data.description
                for e in build.all_events
                if e.event_type_value == "ASSET_CHECK_EVALUATION"
                and not e.event_specific_data.passed
            ]
            reason = f": {failed[0]}" if failed and failed[0] else ""
            print(f"error: dataset not published, the previous files stay{reason}", file=sys.stderr)


def _quiet(verbose: bool, level: str = "CRITICAL") -> dict:
    """Run config that keeps Dagster's event stream off the terminal unless asked for.

    A failed document's reason is its line of the summary; Dagster's step and run failure
    events (with stack traces) would only say it again, so document runs stay silent.
    """
    level = "DEBUG" if verbose else level
    return {"loggers": {"console": {"config": {"log_level": level}}}}


def run_pipeline(
    docs_dir: Path,
    out: str,
    instance: dg.DagsterInstance,
    *,
    verbose: bool = False,
    stop: StopRequest | None = None,
    batch_size: int = DEFAULT_BATCH,
    recipe: str | None = None,
    workers: int | None = None,
) -> RunSummary:
    """Register the folder's documents and materialize every asset, `batch_size` documents
    per Dagster run (each step handles its run's documents together; see document_asset.py).

    `out` is the data root: a folder or an s3:// prefix. Documents whose fingerprint matches
    their last successful run are not run again. Up to `workers` runs execute at once, each in
    its own process (default: one per core, at most 4; see parallel_runs.py).
    """
    # The judge's language model loads while the folder is reconciled (see ForkedRuns).
    language.preload()
    # Dagster resources are rebuilt, never copied: a copied resource keeps its old config.
    chosen = PipelineSettings(recipe=recipe) if recipe is not None else None
    resources = build_resources(data_root=out, landing_uri=str(docs_dir), settings=chosen)
    defs = build_definitions(
        data_root=out,
        landing_uri=str(docs_dir),
        llm=resources["llm"],
        settings=resources["settings"],
    )
    storage = resources["storage"]
    # Say up front who writes and judges the pairs: an OPENAI_API_KEY in the shell means a
    # paid endpoint, not the offline demo.
    print(f"generation: {describe_llm(resources['llm'])}", flush=True)
    keys, skipped, withdrawn = reconcile_folder(docs_dir, storage, instance)
    summary = RunSummary(documents=len(keys), skipped_files=skipped, withdrawn=withdrawn)
    documents_job = defs.resolve_job_def("process_documents")
    fresh = FreshnessStore(storage.root())
    digest = run_fingerprint(defs, resources)
    verdicts = {key: fresh.verdict(key, digest) for key in keys}
    stale = [key for key, verdict in verdicts.items() if verdict is None]
    summary.up_to_date = [key for key, v in verdicts.items() if v is not None and v.ok]
    for key, verdict in verdicts.items():
        if verdict is not None and verdict.failure is not None:
            summary.failed[key] = verdict.failure
            summary.failed_before.append(key)
    order = instance.get_dynamic_partitions(documents_partitions.name)
    workers = max(1, workers if workers is not None else default_workers())
    batches = contiguous_batches(stale, order, batch_size_for(len(stale), batch_size, workers))
    workers = min(workers, len(batches))
    if workers > 1 and can_fork(instance):
        # each worker's requests get their share of the endpoint's budget: together they send
        # no more at once than one run would
        llm = resources["llm"]
        share = LLMResource.from_env(max_concurrency=max(1, llm.max_concurrency // workers))
        runs_defs = build_definitions(
            data_root=out, landing_uri=str(docs_dir), llm=share, settings=resources["settings"]
        )
        documents_job = runs_defs.resolve_job_def("process_documents")

    def run_batch(on: dg.DagsterInstance, batch: list[str], run_id: str) -> Outcome:
        result = documents_job.execute_in_process(
            instance=on,
            raise_on_error=False,
            run_config=_quiet(verbose),
            run_id=run_id,
            **batch_target(batch),
        )
        return _outcomes(result, batch)

    # forked before the progress threads start
    with (
        batch_runner(run_batch, instance, workers) as runs,
        stage_progress(list(PER_DOCUMENT_ASSETS), len(stale)) as update,
    ):
        watcher = StageWatcher(instance, update)
        waiting = list(batches)
        watches: dict[str, ExitStack] = {}
        while waiting or watches:
            while waiting and runs.idle() and not stop:
                batch = waiting.pop(0)
                for key in batch:
                    fresh.forget(key)  # an interrupted run must not look finished
                watch = ExitStack()
                run_id = watch.enter_context(watcher.watching())
                watches[batch[0]] = watch
                runs.submit(batch, run_id)
            if stop and not watches:
                break
            for batch, (outcomes, refused) in runs.finished(0.2):
                watches.pop(batch[0]).close()
                for key, error in outcomes.items():
                    if error is None:
                        summary.succeeded.append(key)
                        fresh.record(key, digest)
                    else:
                        summary.failed[key] = error
                        if key in refused:  # the same content would be refused again
                            fresh.record(key, digest, failure=error)
        if stop:
            summary.not_started = [key for rest in waiting for key in rest]
    summary.succeeded = [*summary.up_to_date, *summary.succeeded]
    dataset = storage.path("dataset", "train.jsonl")
    if (stale or withdrawn or not dataset.exists()) and not stop:
        build = shielded(
            lambda: defs.resolve_job_def("build_dataset").execute_in_process(
                instance=instance, run_config=_quiet(verbose), tags=cli_tags()
            )
        )
        _report_unpublished(build)
    # Failed documents may have written early stages; count what reached the dataset.
    summary.chunks = _rows(storage, "chunks", summary.succeeded)
    summary.pairs_generated = _rows(storage, "qa_pairs", summary.succeeded)
    summary.pairs_accepted = _rows(storage, "training_examples", summary.succeeded)
    train, valid = storage.path("dataset", "train.jsonl"), storage.path("dataset", "valid.jsonl")
    summary.train_path, summary.valid_path = str(train), str(valid)
    summary.train_examples = _count_lines(train)
    summary.valid_examples = _count_lines(valid)
    evaluation = storage.path("dataset", "eval.jsonl")
    summary.eval_examples = _count_lines(evaluation)
    summary.eval_path = str(evaluation) if summary.eval_examples else ""
    return summary


# A home made beside the data gets the event log of the project's dagster.yaml: Dagster's
# stock SQLite event log costs more CPU per document than the pipeline's own work.
EMBEDDED_INSTANCE_YAML = """\
event_log_storage:
  module: sdg_pipeline.sqlite_event_log
  class: PooledSqliteEventLogStorage
"""


def _ensure_dagster_home(out: str) -> str | None:
    """Use DAGSTER_HOME if set; else this folder's dagster.yaml; else a home beside the data.

    Returns why there is no home when the data root is an s3:// prefix and nothing is set: the
    instance (run history, partitions, check results) is local, so it cannot sit beside the data.
    """
    if os.environ.get("DAGSTER_HOME"):
        return None
    if Path("dagster.yaml").is_file():
        os.environ["DAGSTER_HOME"] = str(Path.cwd())
        return None
    if out.startswith("s3://"):
        return (
            f"--out {out} is on S3, but the Dagster instance needs a local home: "
            "set DAGSTER_HOME (or run where a dagster.yaml is)"
        )
    home = Path(out) / ".dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(EMBEDDED_INSTANCE_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return None


def check_recipe(name_or_path: str | None, llm: LLMResource) -> str | None:
    """Why the run cannot start with this recipe (malformed, or needs an endpoint), or None.
    Checked before any document is registered or any request sent."""
    try:
        settings = PipelineSettings(**({"recipe": name_or_path} if name_or_path else {}))
        recipe = settings.loaded_recipe().recipe
        settings.golden_examples()
    except RecipeError as exc:
        return str(exc)
    if not llm.is_configured:
        return offline_problem(recipe)
    return None


def cmd_recipes(args: argparse.Namespace) -> int:
    rows = list_recipes()
    width = max(len(name) for name, _, _ in rows)
    for name, version, description in rows:
        where = "LLM only" if offline_problem(load_recipe(name).recipe) else "offline ok"
        print(f"{name:<{width}}  v{version}  {where:<10}  {description}")
    print("\nrun one: sdg-pipeline run --docs DIR --recipe NAME_OR_PATH (docs/recipes.md)")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    docs_dir = Path(args.docs).resolve()
    if not docs_dir.is_dir():
        print(f"error: --docs {docs_dir} is not a folder", file=sys.stderr)
        return 2
    recipe = args.recipe or os.environ.get("SDG_RECIPE") or None
    problem = check_recipe(recipe, LLMResource.from_env())
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if recipe is not None and recipe.strip() not in builtin_names():
        recipe = str(Path(recipe).resolve())  # the runs may start elsewhere: pin the file
    out = args.out if args.out.startswith("s3://") else str(Path(args.out).resolve())
    problem = _ensure_dagster_home(out)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        with (
            exclusive_home(Path(os.environ["DAGSTER_HOME"])),
            deferred_stop() as stop,
            dg.DagsterInstance.get() as instance,
        ):
            orphans = fail_orphaned_runs(instance)
            if orphans:
                print(f"marked {len(orphans)} run(s) of a killed earlier run as failed")
            summary = run_pipeline(
                docs_dir,
                out,
                instance,
                verbose=args.verbose,
                stop=stop,
                batch_size=args.jobs,
                recipe=recipe,
                workers=args.parallel,
            )
    except OSError as exc:
        # a full disk or a read-only mount: one line naming the path, not a traceback
        where = exc.filename or out
        print(f"error: cannot write {shown(str(where))}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print_summary(summary)
    if stop:
        print(
            f"stopped by {stop.signal}: {len(summary.not_started)} document(s) not started; "
            "run again to continue (finished documents are kept)",
            file=sys.stderr,
        )
        return 130
    if not summary.succeeded or summary.train_examples + summary.eval_examples == 0:
        print("error: no document produced training data", file=sys.stderr)
        return 1
    if summary.failed and not args.allow_failures:
        print(
            f"error: {len(summary.failed)} of {summary.documents} documents failed "
            "(--allow-failures exits 0 anyway)",
            file=sys.stderr,
        )
        return 1
    return 0


def convert_targets(files: list[Path], out_dir: Path) -> dict[Path, Path]:
    """Output path per input: `<stem>.md`, or `<name>.md` when stems clash (a.pdf, a.docx)."""
    stems = [f.stem for f in files]
    return {
        f: out_dir / (f"{f.stem}.md" if stems.count(f.stem) == 1 else f"{f.name}.md") for f in files
    }


def cmd_convert(args: argparse.Namespace) -> int:
    options = build_resources()["converter"].options()
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [Path(name) for name in args.files]
    inputs = {f.resolve() for f in files}
    status = 0
    for path, target in convert_targets(files, out_dir).items():
        if target.resolve() in inputs:
            print(f"{path}: not converted: {target} is one of the inputs", file=sys.stderr)
            status = 1
            continue
        try:
            result = convert_document(path.read_bytes(), path.name, options)
            target.write_text(result.markdown, encoding="utf-8")
        except OSError as exc:
            print(f"{path}: not converted: {exc}", file=sys.stderr)
            status = 1
            continue
        line = (
            f"{path}: {result.status.value} ({result.mode}, {result.page_count} pages) -> {target}"
        )
        if result.error:
            line += f": {result.error}"
            status = 1
        print(line)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sdg-pipeline", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="register documents and materialize the whole graph")
    run.add_argument("--docs", required=True, help="folder of PDF/DOCX/HTML/Markdown documents")
    run.add_argument(
        "--out",
        default=os.environ.get("SDG_DATA_ROOT", "data"),
        help="data root: folder or s3://bucket/prefix",
    )
    run.add_argument(
        "--allow-failures",
        action="store_true",
        help="exit 0 when some documents failed but others produced training data",
    )
    run.add_argument("--verbose", action="store_true", help="show Dagster's event stream (DEBUG)")
    run.add_argument(
        "--jobs",
        type=int,
        default=DEFAULT_BATCH,
        metavar="N",
        help=(
            f"documents per Dagster run, processed together (default {DEFAULT_BATCH}); their LLM "
            "requests share one concurrency budget. 1 runs one document per run"
        ),
    )
    run.add_argument(
        "--parallel",
        type=int,
        default=None,
        metavar="N",
        help=(
            f"Dagster runs at once, each in its own process (default: one per core, at most "
            f"{MAX_DEFAULT_WORKERS}); the LLM concurrency limit is shared among them. 1 runs "
            "in this process"
        ),
    )
    run.add_argument(
        "--recipe",
        default=None,
        help="built-in recipe name or recipe YAML path (default: $SDG_RECIPE or grounded-qa; "
        "`sdg-pipeline recipes` lists them)",
    )
    run.set_defaults(func=cmd_run)
    recipes = commands.add_parser("recipes", help="list the built-in recipes")
    recipes.set_defaults(func=cmd_recipes)
    convert = commands.add_parser("convert", help="write the markdown the pipeline would produce")
    convert.add_argument("files", nargs="+")
    convert.add_argument("--out", required=True, help="folder for the .md files")
    convert.set_defaults(func=cmd_convert)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
