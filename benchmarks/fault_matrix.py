"""Fault matrix: every numbered case of the hardening issue (#15) and the LLM faults, end to end.

Each case runs in a temp folder of its own (documents, data root, DAGSTER_HOME with the project's
dagster.yaml) through the real CLI (`sdg_pipeline.cli.main` in this process, or `sdg-pipeline`
in a child process where signals or concurrency need one) or the real Definitions, and prints
one row: case, expected, observed, good documents lost (must be 0), pass.

    python benchmarks/fault_matrix.py              # every case, a few minutes on 2 cores
    python benchmarks/fault_matrix.py --only 3,7   # the cases whose id starts with 3 or 7

The hostile-HTML case (3) lowers the conversion budget to SDG_CONVERT_TIMEOUT_SECONDS=15 (the
README's variable) to stay short; with the default 120 s the same document stops at 120 s.
LLM cases talk to sdg_pipeline_tests/fake_openai_server.py on 127.0.0.1 with its fault plans.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SAMPLES = REPO / "samples" / "documents"
GOOD = {  # file -> the slug its partition keys start with
    "onboarding_faq.md": "onboarding-faq",
    "acme_travel_policy.pdf": "acme-travel-policy",
    "harbor_league_rulebook.pdf": "harbor-league-rulebook",
}
HOSTILE_TIMEOUT_S = 15.0
MB = 1024 * 1024


@dataclass
class Row:
    case: str
    expected: str
    observed: str
    lost: int
    passed: bool
    seconds: float = 0.0


@dataclass
class Outcome:
    observed: str
    lost: int
    passed: bool


# --- helpers ----------------------------------------------------------------------------------


def _home(root: Path, name: str = "home", config: bool = True) -> Path:
    home = root / name
    home.mkdir(parents=True, exist_ok=True)
    if config:
        shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    return home


def _docs(root: Path, names: list[str], folder: str = "docs") -> Path:
    docs = root / folder
    docs.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SAMPLES / name, docs / name)
    return docs


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _cli(
    docs: Path, out: Path, home: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """`sdg-pipeline run` in this process: exit code, stdout, stderr."""
    from sdg_pipeline.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        _environ({"DAGSTER_HOME": str(home), **(env or {})}),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        code = main(["run", "--docs", str(docs), "--out", str(out), *args])
    return code, stdout.getvalue(), stderr.getvalue()


def _cli_process(docs: Path, out: Path, home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DAGSTER_HOME": str(home), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "sdg_pipeline.cli", "run", "--docs", str(docs)]
    return subprocess.Popen(
        [*command, "--out", str(out), *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _dataset(out: Path) -> dict[str, int]:
    """Examples per document key in the published dataset (stats.json)."""
    stats = out / "dataset" / "stats.json"
    if not stats.exists():
        return {}
    documents = json.loads(stats.read_text())["documents"]
    return {key: int(entry.get("exported", 0)) for key, entry in documents.items()}


def _lost(out: Path, good_files: list[str]) -> int:
    """Good documents without a single example in the dataset."""
    dataset = _dataset(out)
    return sum(
        not any(key.startswith(GOOD[name] + "-") and n > 0 for key, n in dataset.items())
        for name in good_files
    )


def _instance(home: Path):
    import dagster as dg

    return dg.DagsterInstance.from_config(str(home))


def _failed_lines(printed: str) -> list[str]:
    return [line.strip() for line in printed.splitlines() if line.startswith("  FAILED ")]


def _run_durations(home: Path) -> dict[str, float]:
    """Seconds of each document's latest process_documents run, by partition key."""
    import dagster as dg

    with _instance(home) as instance:
        records = instance.get_run_records(dg.RunsFilter(job_name="process_documents"))
    durations: dict[str, float] = {}
    for record in reversed(records):  # oldest first: the latest wins
        key = record.dagster_run.tags.get("dagster/partition")
        if key and record.start_time and record.end_time:
            durations[key] = record.end_time - record.start_time
    return durations


def _wait_for_started_run(home: Path, proc: subprocess.Popen, timeout: float = 120) -> bool:
    """Wait until the child CLI has a document run in progress.

    The instance is opened only after the child printed its first line: it initialises a new
    home under its lock, and a second process opening the home meanwhile would race it.
    """
    import dagster as dg

    assert proc.stdout is not None
    if not proc.stdout.readline().startswith("generation:"):
        return False
    deadline = time.monotonic() + timeout
    with _instance(home) as instance:
        while time.monotonic() < deadline and proc.poll() is None:
            started = instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
            if started:
                return True
            time.sleep(0.2)
    return False


# --- the cases ------------------------------------------------------------------------


def case_edit_delete(root: Path) -> Outcome:
    docs = _docs(root, list(GOOD))
    out, home = root / "out", _home(root)
    _cli(docs, out, home)
    before = set(_dataset(out))
    faq = docs / "onboarding_faq.md"
    faq.write_text(
        faq.read_text() + "\n\n## Parking\n\nStaff park free in the north garage after 7 am.\n"
    )
    (docs / "acme_travel_policy.pdf").unlink()
    code, printed, _ = _cli(docs, out, home)
    after = set(_dataset(out))
    stale = sorted(after & {k for k in before if k.startswith(("onboarding", "acme"))})
    withdrawn = "withdrawn (edited or deleted since the last run): 2" in printed
    observed = f"exit {code}; {len(after)} documents in stats.json; stale versions: {len(stale)}"
    good = ["onboarding_faq.md", "harbor_league_rulebook.pdf"]
    lost = _lost(out, good)
    return Outcome(observed, lost, code == 0 and withdrawn and not stale and len(after) == 2)


def case_concurrent_first_runs(root: Path) -> Outcome:
    import dagster as dg

    docs = _docs(root, ["onboarding_faq.md"])
    out, home = root / "out", _home(root, config=False)  # a brand-new, empty home
    procs = [_cli_process(docs, out, home) for _ in range(2)]
    codes = [proc.wait(timeout=600) for proc in procs]
    for proc in procs:
        proc.communicate()
    with _instance(home) as instance:  # the home still opens (no second alembic head)
        runs = len(instance.get_runs(dg.RunsFilter(job_name="process_documents")))
    observed = f"exit codes {codes}; {runs} document run(s) for 1 document"
    lost = _lost(out, ["onboarding_faq.md"])
    return Outcome(observed, lost, codes == [0, 0] and runs == 1)


def _hostile_html(root: Path) -> dict[str, Path]:
    docs = root / "hostile"
    docs.mkdir()
    deep = docs / "nested_20mb.html"  # one tower of <div>s, 20 MB
    levels = 20 * MB // 11
    deep.write_bytes(b"<html><body>" + b"<div>" * levels + b"x" + b"</div>" * levels + b"</body>")
    wide = docs / "wide_20mb.html"  # 20 MB of 200-deep towers: passes the depth check
    tower = b"<div>" * 200 + b"deep text" + b"</div>" * 200
    wide.write_bytes(b"<html><body>" + tower * (20 * MB // len(tower)) + b"</body></html>")
    small = docs / "nested_50kb.html"
    small.write_bytes(b"<html><body>" + b"<div>" * 4_500 + b"x" + b"</div>" * 4_500 + b"</body>")
    return {"nested_20mb.html": deep, "wide_20mb.html": wide, "nested_50kb.html": small}


def case_hostile_html(root: Path) -> Outcome:
    import pandas as pd

    good = ["onboarding_faq.md", "acme_travel_policy.pdf"]
    env = {"SDG_CONVERT_TIMEOUT_SECONDS": f"{HOSTILE_TIMEOUT_S:g}"}
    base_docs, base_home = _docs(root, good, "baseline"), _home(root, "baseline-home")
    _cli(base_docs, root / "baseline-out", base_home, env=env)
    baseline = _run_durations(base_home)

    docs = _docs(root, good)
    for name, path in _hostile_html(root).items():
        shutil.copy(path, docs / name)
    out, home = root / "out", _home(root)
    started = time.perf_counter()
    code, printed, _ = _cli(docs, out, home, env=env)
    total = time.perf_counter() - started
    durations = _run_durations(home)

    bad_notes, bad_ok = [], True
    for name in ("nested_20mb.html", "wide_20mb.html", "nested_50kb.html"):
        stem = name.rsplit(".", 1)[0].replace("_", "-")
        key = next(k for k in durations if k.startswith(stem + "-"))
        frame = pd.read_parquet(out / "markdown_documents" / f"{key}.parquet")
        status, seconds = frame.loc[0, "status"], float(frame.loc[0, "seconds"])
        line = next((f for f in _failed_lines(printed) if f.startswith(f"FAILED {key}:")), "")
        bad_notes.append(f"{name}: {status} in {seconds:.1f} s")
        one_line = name in line and len(line) < 300
        within = seconds <= HOSTILE_TIMEOUT_S + 15 and durations[key] <= HOSTILE_TIMEOUT_S + 60
        bad_ok = bad_ok and status != "ok" and one_line and within
    good_notes, good_ok = [], True
    for name in good:
        key = next(k for k in durations if k.startswith(GOOD[name] + "-"))
        normal = baseline.get(key, 0.0)
        good_notes.append(f"{GOOD[name]} {durations[key]:.1f} s (alone {normal:.1f} s)")
        good_ok = good_ok and durations[key] <= 2 * normal + 10  # 2 shared cores: noisy
    observed = (
        f"exit {code}; "
        + "; ".join(bad_notes)
        + "; good runs: "
        + ", ".join(good_notes)
        + f"; whole run {total:.0f} s"
    )
    lost = _lost(out, good)
    return Outcome(observed, lost, code == 1 and bad_ok and good_ok)


def _signal_case(root: Path, signum: int) -> Outcome:
    import dagster as dg

    docs = _docs(root, list(GOOD))
    out, home = root / "out", _home(root)
    proc = _cli_process(docs, out, home)
    seen = _wait_for_started_run(home, proc)
    proc.send_signal(signum)
    code = proc.wait(timeout=300)
    _, err = proc.communicate()
    with _instance(home) as instance:
        runs = instance.get_runs(dg.RunsFilter(job_name="process_documents"))
        statuses = sorted(r.status.value for r in runs)
    if signum == signal.SIGKILL:
        # The next run marks the run the kill left STARTED as failed, and finishes the work.
        again, printed, _ = _cli(docs, out, home)
        marked = "of a killed earlier run as failed" in printed
        with _instance(home) as instance:
            stuck = instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        observed = f"killed mid-document (runs {statuses}); next run: exit {again}, " + (
            "orphan marked failed" if marked else "orphan NOT marked"
        )
        ok = seen and marked and not stuck and again == 0
    else:
        stopped = "stopped by" in err and code == 130
        finished = "FAILURE" not in statuses  # the document in progress finished
        again, _, _ = _cli(docs, out, home)
        observed = (
            f"exit {code} after {len(runs)} of 3 documents (runs {statuses}); re-run exit {again}"
        )
        ok = seen and stopped and finished and again == 0
    return Outcome(observed, _lost(out, list(GOOD)), ok)


def case_sigint(root: Path) -> Outcome:
    return _signal_case(root, signal.SIGINT)


def case_sigterm(root: Path) -> Outcome:
    return _signal_case(root, signal.SIGTERM)


def case_kill9(root: Path) -> Outcome:
    return _signal_case(root, signal.SIGKILL)


def case_build_temp_files(root: Path) -> Outcome:
    docs = _docs(root, ["onboarding_faq.md"])
    out, home = root / "out", _home(root)
    _cli(docs, out, home)
    # What a build killed between staging and publication leaves (io/publish.py names).
    leftover = out / "dataset" / ".train.jsonl.tmp-killedbuild"
    leftover.write_text("half a dataset\n")
    old = time.time() - 11 * 60
    os.utime(leftover, (old, old))
    shutil.copy(SAMPLES / "harbor_league_rulebook.pdf", docs)  # a change: the dataset rebuilds
    code, _, _ = _cli(docs, out, home)
    state = "still there" if leftover.exists() else "removed"
    observed = f"exit {code}; leftover temp file {state}"
    lost = _lost(out, ["onboarding_faq.md", "harbor_league_rulebook.pdf"])
    return Outcome(observed, lost, code == 0 and not leftover.exists())


def case_file_names(root: Path) -> Outcome:
    docs = _docs(root, ["onboarding_faq.md"])
    outside = root / "outside" / "secret.md"
    outside.parent.mkdir()
    outside.write_text("# Outside\n\nThis file lives outside the documents folder entirely.\n")
    (docs / "link.md").symlink_to(outside)
    (docs / "..dotdot..pdf").write_bytes(b"%PDF-1.4 not really")
    (docs / "line\n  FAILED injected-line: fake error.md").write_text("# x\n\ny\n")
    with open(os.fsencode(str(docs)) + b"/caf\xe9.md", "w") as handle:
        handle.write("# Cafe\n\nThe cafe opens at eight and closes at six on weekdays.\n")
    out, home = root / "out", _home(root)
    try:
        code, printed, _ = _cli(docs, out, home, "--allow-failures")
    except Exception as exc:  # the case's failure mode: a crash instead of a summary
        return Outcome(f"crashed: {type(exc).__name__}: {exc}"[:200], 1, False)
    forged = any(line.startswith("  FAILED injected-line") for line in printed.splitlines())
    link_skipped = "skipped link.md: symbolic link to a file outside the folder" in printed
    dotdot_reported = "skipped ..dotdot..pdf" in printed
    followed = any(k.startswith(("secret-", "link-")) for k in _dataset(out))
    observed = (
        f"exit {code}; outside link {'followed' if followed else 'skipped'}; "
        f"..dotdot..pdf {'reported' if dotdot_reported else 'silent'}; "
        f"newline name {'forged a line' if forged else 'escaped'}; Latin-1 name: no crash"
    )
    ok = code == 0 and link_skipped and dotdot_reported and not forged and not followed
    return Outcome(observed, _lost(out, ["onboarding_faq.md"]), ok)


def case_out_not_a_folder(root: Path) -> Outcome:
    docs = _docs(root, ["onboarding_faq.md"])
    blocker = root / "not-a-folder"
    blocker.write_text("a file where --out should be a folder")
    code, _, err = _cli(docs, blocker / "out", _home(root))
    lines = [line for line in err.strip().splitlines() if line.strip()]
    observed = f"exit {code}; stderr: {lines[-1] if lines else ''}"[:160]
    ok = code == 2 and len(lines) == 1 and "not-a-folder" in lines[0] and "Traceback" not in err
    return Outcome(observed, 0, ok)


def case_full_disk(root: Path) -> Outcome:
    """--out on a 1 MB tmpfs (needs root for mount; reported as skipped otherwise)."""
    docs = _docs(root, ["onboarding_faq.md", "harbor_league_rulebook.pdf"])
    mount = root / "full"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        return Outcome("skipped: cannot mount a small tmpfs here (not root)", 0, True)
    try:
        (mount / "filler").write_bytes(b"\0" * (1024 * 1024 - 64 * 1024))
        code, printed, err = _cli(docs, mount / "out", _home(root))
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
    terminal = printed + err
    lines = [line for line in err.strip().splitlines() if line.strip()]
    said = "No space left on device" in terminal
    observed = f"exit {code}; " + (lines[-1] if lines else "no message")[:140]
    ok = code != 0 and said and "Traceback" not in terminal
    return Outcome(observed, 0, ok)


def _bad_pdfs(docs: Path) -> None:
    from sdg_pipeline_tests.convert.pdf_factory import image_only_pdf

    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    (docs / "empty.pdf").write_bytes(b"")
    (docs / "scan.pdf").write_bytes(image_only_pdf())


_MESSAGES: dict[str, str] = {}  # the messages case's home, for the UI case after it


def case_messages_cli(root: Path) -> Outcome:
    good = ["onboarding_faq.md", "acme_travel_policy.pdf"]
    docs = _docs(root, good)
    _bad_pdfs(docs)
    out, home = root / "out", _home(root)
    code, printed, err = _cli(docs, out, home)
    allowed, _, _ = _cli(docs, out, home, "--allow-failures")
    failed = _failed_lines(printed)
    longest = max((len(line) for line in failed), default=0)
    named = all(
        any(name in line for name in ("broken.pdf", "empty.pdf", "scan.pdf")) for line in failed
    )
    terminal = printed + err
    once = terminal.count("PDF cannot be read") == 1
    noise = any(n in terminal for n in ("Stack Trace", "Traceback", "status 'ok'"))
    _MESSAGES["home"], _MESSAGES["out"] = str(home), str(out)
    observed = (
        f"exit {code} (--allow-failures {allowed}); {len(failed)} FAILED lines, longest "
        f"{longest} chars, cause said once: {once}, stack traces: {noise}"
    )
    ok = code == 1 and allowed == 0 and len(failed) == 3 and longest < 300 and named and once
    return Outcome(observed, _lost(out, good), ok and not noise)


def case_messages_ui(root: Path) -> Outcome:
    """What the UI reads for those runs: run failure, blocked checks, retry decision."""
    import dagster as dg
    from dagster._daemon.auto_run_reexecution.auto_run_reexecution import (
        filter_runs_to_should_retry,
    )

    if "home" not in _MESSAGES:
        case_messages_cli(root / "cli")
    home = Path(_MESSAGES["home"])
    with _instance(home) as instance:
        failed = instance.get_runs(
            dg.RunsFilter(job_name="process_documents", statuses=[dg.DagsterRunStatus.FAILURE])
        )
        reasons, skipped, generic = [], 0, 0
        for run in failed:
            for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE):
                message = entry.dagster_event.event_specific_data.error.message
                generic += "DagsterAssetCheckFailedError" in message
                reasons.append(message.split("Failure: ", 1)[-1].strip())
            for entry in instance.all_logs(
                run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
            ):
                description = entry.dagster_event.event_specific_data.description or ""
                skipped += description.startswith("skipped: upstream ")
        retried = list(filter_runs_to_should_retry(failed, instance))
    named = all(reason.startswith("document ") for reason in reasons)
    observed = (
        f"{len(failed)} failed runs: run failure = the check's headline ({named}), generic "
        f"errors {generic}; {skipped} blocked checks say why; retried {len(retried)}"
    )
    # Each of the CLI case's two runs failed the same 3 documents; each blocked 4 or 5 checks.
    ok = len(failed) == 6 and named and not generic and skipped >= 4 * len(failed) and not retried
    return Outcome(observed, 0, ok)


def case_single_document(root: Path) -> Outcome:
    docs = _docs(root, ["harbor_league_rulebook.pdf"])
    out = root / "out"
    code, printed, _ = _cli(docs, out, _home(root))
    train = next((line for line in printed.splitlines() if line.startswith("train:")), "")
    observed = f"exit {code}; {train.rsplit('(', 1)[-1].rstrip(')')} in train"
    lost = _lost(out, ["harbor_league_rulebook.pdf"])
    return Outcome(observed, lost, code == 0 and "(0 examples)" not in train)


def case_duplicate_questions(root: Path) -> Outcome:
    """An LLM that repeats one question for a whole document; the document must land."""
    import dagster as dg

    from sdg_pipeline.defs.resources.llm import LLMResource
    from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer, default_reply, prompt_kind

    def repeat_for_rulebook(body: dict):
        if prompt_kind(body) == "generate" and "Harbor" in json.dumps(body):
            pair = {
                "question": "What are the rules of the Harbor Sailing League?",
                "answer": "The rules apply to every race of the 2026 season.",
                "question_type": "factual",
                "evidence": "",
            }
            return {"pairs": [pair]}
        return default_reply(body)

    with FakeOpenAIServer(handler=repeat_for_rulebook) as server:
        llm = LLMResource(base_url=server.base_url, api_key="k", model="fake-model")
        outcome, out = _llm_run(root, ["harbor_league_rulebook.pdf"], llm)
    with _instance(root / "home") as instance:
        (record,) = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey("qa_pairs")), limit=1
        ).records
        meta = record.asset_materialization.metadata
    dropped, failed = meta["duplicates_dropped"].value, meta["failed_chunks"].value
    observed = f"{outcome}; duplicates dropped {dropped}, failed chunks {failed}"
    lost = _lost(out, ["harbor_league_rulebook.pdf"])
    return Outcome(observed, lost, dropped >= 1 and failed == 0 and lost == 0)


def case_truncated_reply(root: Path) -> Outcome:
    """Replies cut at max_tokens; the re-ask must have room to finish."""
    from sdg_pipeline.defs.resources.llm import LLMResource
    from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer

    with FakeOpenAIServer(enforce_max_tokens=True) as server:
        llm = LLMResource(base_url=server.base_url, api_key="k", model="fake-model", max_tokens=96)
        outcome, out = _llm_run(root, ["onboarding_faq.md"], llm)
        limits = sorted({r.get("max_tokens") for r in server.requests if r.get("max_tokens")})
    observed = f"{outcome}; max_tokens asked: {limits[:4]}{'…' if len(limits) > 4 else ''}"
    lost = _lost(out, ["onboarding_faq.md"])
    return Outcome(observed, lost, lost == 0 and len(limits) > 1)


def case_storage_paths(root: Path) -> Outcome:
    import dagster as dg

    docs = _docs(root, ["onboarding_faq.md"])
    out, home = root / "out", _home(root)
    here, there = root / "cwd-a", root / "cwd-b"
    here.mkdir()
    there.mkdir()
    cwd = Path.cwd()
    try:
        os.chdir(here)
        first, _, _ = _cli(docs, out, home)
        shutil.copy(SAMPLES / "harbor_league_rulebook.pdf", docs)
        os.chdir(there)
        second, _, _ = _cli(docs, out, home)
    finally:
        os.chdir(cwd)
    with _instance(home) as instance:
        runs = len(instance.get_runs(dg.RunsFilter(job_name="process_documents")))
    strays = [p.name for p in (*here.iterdir(), *there.iterdir())]
    observed = f"exits {first}, {second}; {runs} document runs in one instance; strays {strays}"
    lost = _lost(out, ["onboarding_faq.md", "harbor_league_rulebook.pdf"])
    return Outcome(observed, lost, first == second == 0 and runs == 2 and not strays)


def case_first_sensor_tick(root: Path) -> Outcome:
    import dagster as dg

    from sdg_pipeline.defs.resources import LandingZoneResource, StorageResource
    from sdg_pipeline.defs.sensors import evaluate_landing, evaluate_rebuild

    docs = _docs(root, ["onboarding_faq.md"])
    out, home = root / "out", _home(root)
    _cli(docs, out, home)  # what `make demo` does
    with _instance(home) as instance:
        rebuild = evaluate_rebuild(dg.build_sensor_context(instance=instance))
        missing = root / "not-mounted"
        landing = evaluate_landing(
            dg.build_sensor_context(instance=instance),
            LandingZoneResource(uri=str(missing), settle_seconds=0),
            StorageResource(data_root=str(out)),
        )
        kept = len(instance.get_dynamic_partitions("documents"))
    named = f"landing zone {missing} does not exist" in (landing.skip_reason.skip_message or "")
    observed = (
        f"first rebuild tick: {len(rebuild.run_requests)} runs; missing landing folder "
        f"{'named' if named else 'not named'}, {kept} partition(s) kept"
    )
    ok = not rebuild.run_requests and named and not landing.run_requests and kept == 1
    return Outcome(observed, _lost(out, ["onboarding_faq.md"]), ok)


# --- LLM faults -------------------------------------------------------------------------------


def _llm_run(root: Path, names: list[str], llm, *, first_offline: bool = False):
    """Register, run each document's job with `llm`, rebuild: 'n of m documents ok', data root."""
    from sdg_pipeline.cli import _first_error, register_folder
    from sdg_pipeline.definitions import build_definitions

    docs, out, home = _docs(root, names), root / "out", _home(root)
    with _instance(home) as instance:
        runs = [llm]
        if first_offline:
            from sdg_pipeline.defs.resources.llm import LLMResource

            runs = [LLMResource(), llm]
        for resource in runs:
            defs = build_definitions(data_root=str(out), landing_uri=str(docs), llm=resource)
            keys, _ = register_folder(docs, defs.resources["storage"], instance)
            job = defs.resolve_job_def("process_documents")
            results = [
                job.execute_in_process(
                    instance=instance, partition_key=key, raise_on_error=False, run_config=QUIET
                )
                for key in keys
            ]
            defs.resolve_job_def("build_dataset").execute_in_process(
                instance=instance, run_config=QUIET
            )
    ok = sum(r.success for r in results)
    errors = [_first_error(r) for r in results if not r.success]
    return f"{ok} of {len(results)} documents ok" + (f" ({errors[0][:110]})" if errors else ""), out


QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def _fault_case(plan_values: dict, describe: str) -> Callable[[Path], Outcome]:
    def run(root: Path) -> Outcome:
        from sdg_pipeline.defs.resources.llm import LLMResource
        from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer, FaultPlan

        plan = FaultPlan(**plan_values, seed=7)
        with FakeOpenAIServer(faults=plan) as server:
            llm = LLMResource(
                base_url=server.base_url,
                api_key="k",
                model="fake-model",
                request_timeout_s=1.0,
                retry_base_delay_s=0.01,
                retry_max_delay_s=0.2,
                cache_enabled=False,
            )
            outcome, out = _llm_run(root, ["onboarding_faq.md"], llm)
            statuses = dict(server.counters()["status_counts"])
        observed = f"{outcome}; HTTP statuses {statuses} ({describe})"
        lost = _lost(out, ["onboarding_faq.md"])
        return Outcome(observed, lost, lost == 0 and outcome.startswith("1 of 1"))

    return run


def case_endpoint_down(root: Path) -> Outcome:
    from sdg_pipeline.defs.resources.llm import LLMResource
    from sdg_pipeline_tests.fake_openai_server import unused_loopback_url

    down = LLMResource(
        base_url=unused_loopback_url(),
        api_key="k",
        model="m",
        max_retries=1,
        retry_base_delay_s=0.01,
    )
    outcome, out = _llm_run(root, ["onboarding_faq.md"], down, first_offline=True)
    lost = _lost(out, ["onboarding_faq.md"])
    observed = f"re-run against a dead endpoint: {outcome}; last examples kept: {lost == 0}"
    return Outcome(observed, lost, outcome.startswith("0 of 1") and lost == 0)


# --- the table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    expected: str
    run: Callable[[Path], Outcome]


CASES: tuple[Case, ...] = (
    Case("1 edited+deleted files (CLI)", "old versions leave stats.json", case_edit_delete),
    Case("2 two first runs, new home", "both exit 0, work done once", case_concurrent_first_runs),
    Case(
        "3 hostile 20 MB HTML",
        f"good in normal time; bad stopped <= {HOSTILE_TIMEOUT_S:g} s budget, one line",
        case_hostile_html,
    ),
    Case("4a Ctrl-C (SIGINT)", "current doc finishes, exit 130, re-run ends", case_sigint),
    Case("4b SIGTERM", "current doc finishes, exit 130, re-run ends", case_sigterm),
    Case("4c kill -9", "next run marks the orphan failed", case_kill9),
    Case("4d killed dataset build", "its temp files removed next build", case_build_temp_files),
    Case("5 hostile file names", "no crash, escaped, links not followed", case_file_names),
    Case("6a --out not a folder", "exit 2, one line naming the path", case_out_not_a_folder),
    Case("6b --out on a full disk", "one line naming the cause, no traceback", case_full_disk),
    Case("7a bad PDFs, CLI", "exit 1, one short line each, cause once", case_messages_cli),
    Case(
        "7b bad PDFs, UI + retries",
        "run failure = check headline; blocked checks say why; no retry",
        case_messages_ui,
    ),
    Case("8 single document", "usable train split", case_single_document),
    Case("9a duplicate questions", "dropped, document kept", case_duplicate_questions),
    Case("9b reply cut at max_tokens", "re-asked with more room", case_truncated_reply),
    Case("10 runs from two folders", "one instance under DAGSTER_HOME", case_storage_paths),
    Case(
        "11 first sensor ticks", "no redundant build; missing folder named", case_first_sensor_tick
    ),
    Case(
        "LLM 429 + Retry-After",
        "retried, document lands",
        _fault_case({"rate_429": 0.3, "retry_after_s": 0.05}, "429s honoured"),
    ),
    Case("LLM 5xx", "retried, document lands", _fault_case({"rate_500": 0.3}, "500s retried")),
    Case(
        "LLM timeouts",
        "retried, document lands",
        _fault_case({"rate_hang": 0.15, "hang_s": 3.0}, "hangs cut at the 1 s timeout"),
    ),
    Case(
        "LLM garbage bodies",
        "retried/re-asked, document lands",
        _fault_case(
            {"rate_garbage_body": 0.2, "rate_garbage_content": 0.2}, "bad bodies and contents"
        ),
    ),
    Case("LLM endpoint down", "document fails, keeps last examples", case_endpoint_down),
)


def case_table(only: list[str] | None = None, workdir: Path | None = None) -> list[Row]:
    """Run the selected cases (ids starting with one of `only`), each in its own folder."""
    rows = []
    base = Path(tempfile.mkdtemp(prefix="fault-matrix-", dir=workdir))
    for number, case in enumerate(CASES):
        if only and not any(case.id.startswith(prefix) for prefix in only):
            continue
        root = base / f"case{number:02d}"
        root.mkdir()
        started = time.perf_counter()
        try:
            outcome = case.run(root)
        except Exception as exc:  # a case that crashes is a failed case, not a failed matrix
            outcome = Outcome(f"crashed: {type(exc).__name__}: {exc}"[:200], -1, False)
        rows.append(
            Row(
                case.id,
                case.expected,
                outcome.observed,
                outcome.lost,
                outcome.passed,
                time.perf_counter() - started,
            )
        )
    shutil.rmtree(base, ignore_errors=True)
    return rows


def format_table(rows: list[Row]) -> str:
    lines = [
        "| case | expected | observed | good docs lost | pass | s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        cells = [
            row.case,
            row.expected,
            row.observed,
            str(row.lost),
            "pass" if row.passed else "FAIL",
            f"{row.seconds:.0f}",
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated case id prefixes")
    args = parser.parse_args()
    only = [part.strip() for part in args.only.split(",") if part.strip()] or None
    started = time.perf_counter()
    rows = case_table(only)
    print(format_table(rows))
    passed = sum(r.passed for r in rows)
    lost = sum(max(r.lost, 0) for r in rows)
    print(
        f"\n{passed} of {len(rows)} cases pass, {lost} good documents lost, "
        f"{time.perf_counter() - started:.0f} s"
    )
    from sdg_pipeline.convert import isolation

    isolation.shutdown()
    return 0 if passed == len(rows) and lost == 0 else 1


# The conversion worker is started with 'spawn', which re-imports this module: the guard keeps
# the matrix from running again inside it.
if __name__ == "__main__":
    raise SystemExit(main())
