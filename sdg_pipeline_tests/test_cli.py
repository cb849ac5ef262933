"""`sdg-pipeline` in a terminal: clear reasons, honest counts, safe outputs."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from sdg_pipeline.cli import main
from sdg_pipeline.terminal import shown
from sdg_pipeline_tests.conftest import copy_samples


def test_run_names_the_problem_of_a_bad_document_and_counts_only_good_ones(
    tmp_path, monkeypatch, capfd
):
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    (docs / "empty.pdf").write_bytes(b"")
    (docs / "outline.md").write_text("# Only\n\n## Headings\n")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    out = tmp_path / "out"
    assert main(["run", "--docs", str(docs), "--out", str(out), "--allow-failures"]) == 0
    captured = capfd.readouterr()
    printed = captured.out
    assert "generation: offline generator and judge (no LLM endpoint configured)" in printed
    failed = [line for line in printed.splitlines() if "FAILED" in line]
    assert len(failed) == 3
    # One short line each: the step, then the cause in the converter's (or the check's) words.
    broken = next(line for line in failed if "broken" in line)
    assert (
        "markdown_documents: conversion failed (corrupt): broken.pdf: PDF cannot be read" in broken
    )
    empty = next(line for line in failed if "empty" in line)
    assert empty.endswith("raw_documents: empty.pdf is empty (0 bytes)")
    outline = next(line for line in failed if "outline" in line)
    assert outline.endswith("chunks: no rows: the markdown produced no chunks")
    assert all(len(line) < 300 for line in failed)
    # The cause is said once: not again by Dagster's event stream, no stack trace, no
    # headline that reads like a success.
    terminal = captured.out + captured.err
    assert terminal.count("PDF cannot be read") == 1
    for noise in ("Stack Trace", "DagsterAssetCheckFailedError", "status 'ok'", "Traceback"):
        assert noise not in terminal
    # Only the good document's rows are counted, although the outline wrote a chunks file.
    good_chunks = sum(
        pq.ParquetFile(p).metadata.num_rows
        for p in (out / "chunks").glob("onboarding-faq-*.parquet")
    )
    assert f"chunks: {good_chunks}\n" in printed


def test_convert_never_overwrites_inputs_or_clashing_names(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\nThe markdown input.\n")
    (folder / "a.html").write_text("<h1>A</h1><p>The HTML input.</p>")
    inputs = [str(folder / "a.md"), str(folder / "a.html"), str(folder / "nope.pdf")]
    # The missing file fails; the other two convert, under names that do not clash.
    assert main(["convert", *inputs, "--out", str(folder)]) == 1
    assert "The markdown input." in (folder / "a.md.md").read_text()
    assert "HTML input" in (folder / "a.html.md").read_text()
    assert "nope.pdf: not converted" in capsys.readouterr().err
    # Converting a Markdown file into its own folder would overwrite it: refused.
    assert main(["convert", str(folder / "a.md"), "--out", str(folder)]) == 1
    assert (folder / "a.md").read_text() == "# A\n\nThe markdown input.\n"
    assert "is one of the inputs" in capsys.readouterr().err


def _run(docs, out, *extra) -> int:
    return main(["run", "--docs", str(docs), "--out", str(out), *extra])


def test_run_exits_non_zero_when_a_document_failed_unless_allowed(tmp_path, monkeypatch, capsys):
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert _run(docs, tmp_path / "out") == 1
    assert "1 of 2 documents failed" in capsys.readouterr().err


def test_a_document_a_check_refused_is_not_run_again_until_something_changes(
    tmp_path, monkeypatch, capsys
):
    import dagster as dg

    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    out = tmp_path / "out"
    assert _run(docs, out) == 1
    first = capsys.readouterr()
    (reason,) = [line for line in first.out.splitlines() if "FAILED" in line]
    with dg.DagsterInstance.get() as instance:
        runs = len(instance.get_runs())
    # Same bytes, code and settings: the same verdict, said the same way, and nothing runs.
    assert _run(docs, out) == 1
    again = capsys.readouterr()
    assert "documents: 2 (1 ok, 1 up to date, 1 failed, 1 of them unchanged)" in again.out
    assert reason in again.out.splitlines()
    assert "1 of 2 documents failed" in again.err
    with dg.DagsterInstance.get() as instance:
        assert len(instance.get_runs()) == runs
    # Another setting is another fingerprint: it is tried again.
    monkeypatch.setenv("SDG_CONVERT_TIMEOUT_SECONDS", "90")
    assert _run(docs, out, "--allow-failures") == 0
    third = capsys.readouterr().out
    assert "unchanged" not in third and "1 failed" in third
    with dg.DagsterInstance.get() as instance:
        assert len(instance.get_runs()) > runs


def test_edited_and_deleted_files_leave_the_dataset_on_the_next_cli_run(
    tmp_path, monkeypatch, capsys
):
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    policy = docs / "policy.md"
    policy.write_text(
        "# Expense policy\n\n## Meals\n\nTravelling employees may claim up to 40 euros per day "
        "for meals on the road. Receipts must be submitted within 30 days of the trip.\n"
    )
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    out = tmp_path / "out"
    assert _run(docs, out, "--allow-failures") == 0
    first = set(json.loads((out / "dataset" / "stats.json").read_text())["documents"])
    assert len(first) == 2
    policy.write_text(policy.read_text().replace("40 euros", "45 euros"))
    (docs / "onboarding_faq.md").unlink()
    capsys.readouterr()
    assert _run(docs, out, "--allow-failures") == 0
    printed = capsys.readouterr().out
    assert "withdrawn (edited or deleted since the last run): 2" in printed
    second = set(json.loads((out / "dataset" / "stats.json").read_text())["documents"])
    assert len(second) == 1 and not (second & first)
    assert next(iter(second)).startswith("policy-")


def test_names_are_shown_on_one_line_whatever_bytes_they_hold() -> None:
    assert "\n" not in shown("a\n  FAILED injected-line: fake error.pdf")
    assert shown("caf\udce9.pdf") == "caf\\xe9.pdf"  # a Latin-1 byte name, undecodable


def test_an_unwritable_out_is_one_clear_line(tmp_path, monkeypatch, capsys) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert _run(docs, blocker / "out") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: cannot write ") and "not-a-folder" in err[0]


def _fill(path) -> None:
    """Write until the file system is full: every later write fails with ENOSPC."""
    with open(path, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass


def test_a_full_disk_is_one_clear_line(tmp_path, monkeypatch, capfd) -> None:
    import subprocess

    import pytest

    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md", "harbor_league_rulebook.pdf"])
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("a full disk needs a small tmpfs, and mounting one needs root")
    try:
        _fill(disk / "filler")
        monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
        (tmp_path / "home").mkdir()
        code = _run(docs, disk / "out")
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
    captured = capfd.readouterr()
    err = captured.err.strip().splitlines()
    assert code == 2
    assert err[-1].startswith("error: cannot write ") and "No space left on device" in err[-1]
    assert "Traceback" not in captured.out + captured.err


def test_an_unchanged_rerun_runs_no_document_and_the_terminal_stays_quiet(
    tmp_path, monkeypatch, capfd
):
    import dagster as dg

    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    out = tmp_path / "out"
    assert _run(docs, out) == 0
    first = capfd.readouterr()
    assert " DEBUG " not in first.err and " DEBUG " not in first.out
    train = (out / "dataset" / "train.jsonl").read_text()
    with dg.DagsterInstance.get() as instance:
        runs_before = len(instance.get_runs())
    assert _run(docs, out) == 0
    printed = capfd.readouterr().out
    assert "documents: 1 (1 ok, 1 up to date, 0 failed)" in printed
    with dg.DagsterInstance.get() as instance:
        assert len(instance.get_runs()) == runs_before  # not even the dataset rebuild
    assert (out / "dataset" / "train.jsonl").read_text() == train


def test_the_fingerprint_changes_with_settings_and_generator() -> None:
    from sdg_pipeline.cli import run_fingerprint
    from sdg_pipeline.definitions import build_definitions
    from sdg_pipeline.defs.resources import build_resources
    from sdg_pipeline.defs.resources.llm import LLMResource
    from sdg_pipeline.defs.resources.settings import PipelineSettings

    defs = build_definitions(data_root="/tmp/unused")
    base = build_resources(data_root="/tmp/unused")
    digest = run_fingerprint(defs, base)
    assert run_fingerprint(defs, build_resources(data_root="/tmp/unused")) == digest
    other_settings = build_resources(
        data_root="/tmp/unused", settings=PipelineSettings(chunk_max_tokens=300)
    )
    assert run_fingerprint(defs, other_settings) != digest
    with_llm = build_resources(
        data_root="/tmp/unused", llm=LLMResource(base_url="http://127.0.0.1:9/v1")
    )
    assert run_fingerprint(defs, with_llm) != digest


def test_hostile_names_are_reported_escaped_and_never_followed_outside(
    tmp_path, monkeypatch, capsys
) -> None:
    import os

    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text("# Outside\n\nThis file lives outside the documents folder entirely.\n")
    (docs / "link.md").symlink_to(secret)
    (docs / "..dotdot..pdf").write_bytes(b"%PDF-1.4 not really")
    (docs / "line\n  FAILED injected-line: fake error.md").write_text("# x\n\ny\n")
    latin1 = os.fsencode(str(docs)) + b"/caf\xe9.md"
    with open(latin1, "w") as handle:
        handle.write("# Caf\n\nThe cafe opens at eight and closes at six on weekdays.\n")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert _run(docs, tmp_path / "out", "--allow-failures") == 0  # no crash on any name
    printed = capsys.readouterr().out
    assert "skipped link.md: symbolic link to a file outside the folder" in printed
    assert "skipped ..dotdot..pdf: hidden file" in printed
    assert not any(line.startswith("  FAILED injected-line") for line in printed.splitlines())
    stats = json.loads((tmp_path / "out" / "dataset" / "stats.json").read_text())
    assert not any(
        key.startswith("secret-") or key.startswith("link-") for key in stats["documents"]
    )


def test_the_summary_of_many_failures_fits_a_screen(capsys) -> None:
    from sdg_pipeline.terminal import MAX_FAILURE_LINES, RunSummary, print_summary

    failed = {f"doc-{i}": ("chunks: no rows" if i % 3 else "qa_pairs: x") for i in range(100)}
    print_summary(RunSummary(documents=100, failed=failed))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) <= 24
    assert sum("FAILED doc-" in line for line in lines) == MAX_FAILURE_LINES
    assert "... and 90 more FAILED (by stage: chunks 6" in lines[MAX_FAILURE_LINES + 1]
