"""What `sdg-pipeline` shows in a terminal: progress, names on one line, the run summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


@dataclass
class RunSummary:
    documents: int = 0
    withdrawn: list[str] = field(default_factory=list)  # versions edited or deleted since
    up_to_date: list[str] = field(default_factory=list)  # unchanged since their last success
    not_started: list[str] = field(default_factory=list)  # left when a signal stopped the run
    succeeded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # key -> first error message
    # refused by a check under the same fingerprint before: not run again (freshness.py)
    failed_before: list[str] = field(default_factory=list)
    skipped_files: dict[str, str] = field(default_factory=dict)  # file -> reason
    chunks: int = 0
    pairs_generated: int = 0
    pairs_accepted: int = 0
    train_path: str = ""
    valid_path: str = ""
    train_examples: int = 0
    valid_examples: int = 0
    eval_path: str = ""  # eval.jsonl of an evaluation recipe (rag-eval); "" when none
    eval_examples: int = 0


def shown(text: str) -> str:
    """A file name as one printable line: control characters and undecodable bytes escaped, so
    a name cannot forge lines of the summary."""
    escaped = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in escaped
    )


@contextmanager
def progress_bar(total: int, what: str) -> Iterator[Callable[[], None]]:
    """A progress bar with count and ETA on stderr; nothing when stderr is not a terminal."""
    console = Console(stderr=True)
    if not console.is_terminal or total == 0:
        yield lambda: None
        return
    columns = (
        TextColumn(f"{what}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(what, total=total)
        yield lambda: progress.advance(task)


@contextmanager
def stage_progress(stages: list[str], total: int) -> Iterator[Callable[[str, int], None]]:
    """One bar per stage with count and ETA on stderr; `update(stage, done)` sets a count.
    Nothing when stderr is not a terminal."""
    console = Console(stderr=True)
    if not console.is_terminal or total == 0:
        yield lambda stage, done: None
        return
    width = max(len(stage) for stage in stages)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        tasks = {stage: progress.add_task(stage.ljust(width), total=total) for stage in stages}
        yield lambda stage, done: progress.update(tasks[stage], completed=done)


MAX_FAILURE_LINES = 10


def print_summary(summary: RunSummary) -> None:
    fresh = f", {len(summary.up_to_date)} up to date" if summary.up_to_date else ""
    before = f", {len(summary.failed_before)} of them unchanged" if summary.failed_before else ""
    print(
        f"documents: {summary.documents} "
        f"({len(summary.succeeded)} ok{fresh}, {len(summary.failed)} failed{before})"
    )
    for key, error in list(summary.failed.items())[:MAX_FAILURE_LINES]:
        print(f"  FAILED {key}: {shown(error)}")
    hidden = len(summary.failed) - MAX_FAILURE_LINES
    if hidden > 0:
        # A run over thousands of documents still fits a screen; the UI has every reason.
        stages = Counter(error.split(":", 1)[0] for error in summary.failed.values())
        by_stage = ", ".join(f"{stage} {n}" for stage, n in stages.most_common())
        print(f"  ... and {hidden} more FAILED (by stage: {by_stage})")
    for name, reason in summary.skipped_files.items():
        print(f"  skipped {shown(name)}: {reason}")
    if summary.withdrawn:
        print(f"withdrawn (edited or deleted since the last run): {len(summary.withdrawn)}")
    print(f"chunks: {summary.chunks}")
    print(f"pairs generated: {summary.pairs_generated}, accepted: {summary.pairs_accepted}")
    print(f"train: {summary.train_path} ({summary.train_examples} examples)")
    print(f"valid: {summary.valid_path} ({summary.valid_examples} examples)")
    if summary.eval_examples:
        print(f"eval: {summary.eval_path} ({summary.eval_examples} samples, not in train/valid)")
