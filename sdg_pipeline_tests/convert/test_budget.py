"""A document over its time or memory budget gets its own status; the others keep converting."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sdg_pipeline.convert import (
    ConversionOptions,
    ConversionStatus,
    convert_document,
    converter,
    isolation,
)
from sdg_pipeline.convert.converter import html_depth
from sdg_pipeline_tests.convert.pdf_factory import text_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "documents"
TIMEOUT = 5.0
# Worker start-up (importing docling) is not the document's time, but a loaded machine adds
# seconds to killing and reporting.
SLACK = 15.0
BUDGET = ConversionOptions(isolate=True, timeout_seconds=TIMEOUT, max_memory_mb=6144)


def nested_divs(levels: int) -> bytes:
    return (
        "<html><body>" + "<div>" * levels + "deep" + "</div>" * levels + "</body></html>"
    ).encode()


@pytest.fixture(scope="module", autouse=True)
def _stop_worker() -> Iterator[None]:
    yield
    isolation.shutdown()


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _assert_one_line_naming(error: str | None, file_name: str) -> None:
    assert error and file_name in error
    assert "\n" not in error and "Traceback" not in error


def test_hostile_html_stops_at_its_budget_and_the_others_convert() -> None:
    # 300,000 nested divs, 3.3 MB; the depth check is off so the time budget itself is tested.
    hostile = nested_divs(300_000)
    assert len(hostile) > 3_000_000
    unchecked = ConversionOptions(
        isolate=True, timeout_seconds=TIMEOUT, max_memory_mb=6144, max_html_depth=0
    )
    before = convert_document(_sample("acme_travel_policy.pdf"), "acme_travel_policy.pdf", BUDGET)
    assert before.status is ConversionStatus.OK, before.error
    pid = isolation.worker_pid()

    started = time.perf_counter()
    bad = convert_document(hostile, "hostile.html", unchecked)
    elapsed = time.perf_counter() - started

    assert bad.status in (
        ConversionStatus.TOO_SLOW,
        ConversionStatus.TOO_LARGE,
        ConversionStatus.CORRUPT,
    )
    _assert_one_line_naming(bad.error, "hostile.html")
    assert elapsed < TIMEOUT + SLACK
    if bad.status is ConversionStatus.TOO_SLOW:
        assert f"after {TIMEOUT:g} s" in bad.error and "timeout_seconds" in bad.error

    after = convert_document(_sample("onboarding_faq.md"), "onboarding_faq.md", BUDGET)
    assert after.status is ConversionStatus.OK, after.error
    assert after.markdown.strip()
    assert isolation.worker_pid() not in (None, pid)  # the stuck worker was replaced


def test_warm_worker_is_reused_between_documents() -> None:
    first = convert_document(_sample("onboarding_faq.md"), "a.md", BUDGET)
    pid = isolation.worker_pid()
    second = convert_document(_sample("harbor_league_rulebook.pdf"), "b.pdf", BUDGET)
    assert first.ok and second.ok
    assert pid is not None and isolation.worker_pid() == pid


def test_the_50kb_nesting_case_gets_a_clear_status_at_once() -> None:
    data = nested_divs(4_500)
    assert 40_000 < len(data) < 60_000
    convert_document(b"# warm\n", "warm.md", BUDGET)  # worker start-up is not under test
    started = time.perf_counter()
    result = convert_document(data, "deep.html", BUDGET)
    assert time.perf_counter() - started < TIMEOUT
    assert result.status is ConversionStatus.CORRUPT
    assert "nesting too deep" in result.error
    _assert_one_line_naming(result.error, "deep.html")
    # The same, in-process.
    assert convert_document(data, "deep.html").status is ConversionStatus.CORRUPT


def test_a_recursion_error_becomes_nesting_too_deep(monkeypatch: pytest.MonkeyPatch) -> None:
    def recurse(*args: object) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(converter, "office_markdown", recurse)
    result = convert_document(b"<html><body><p>x</p></body></html>", "page.html")
    assert result.status is ConversionStatus.CORRUPT
    assert (
        result.error == "page.html: nesting too deep (the converter hit Python's recursion limit)"
    )


def test_a_memory_error_in_process_is_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    def exhaust(*args: object) -> object:
        raise MemoryError

    monkeypatch.setattr(converter, "native_markdown", exhaust)
    result = convert_document(
        _sample("harbor_league_rulebook.pdf"), "r.pdf", ConversionOptions(mode="native")
    )
    assert result.status is ConversionStatus.TOO_LARGE
    _assert_one_line_naming(result.error, "r.pdf")


def test_tiny_memory_budget_fails_the_document_not_the_caller() -> None:
    # A PDF this worker has not seen, so its conversion has to map new memory.
    data = text_pdf(pages=40, text="A page of a document converted under a tiny budget.")
    tiny = ConversionOptions(isolate=True, timeout_seconds=20, max_memory_mb=1)
    result = convert_document(data, "tiny-budget.pdf", tiny)
    assert result.status is ConversionStatus.TOO_LARGE, result.error
    _assert_one_line_naming(result.error, "tiny-budget.pdf")
    assert "1 MB" in result.error and "max_memory_mb" in result.error
    # This process is fine and the next document converts in a fresh worker.
    again = convert_document(data, "tiny-budget.pdf", BUDGET)
    assert again.status is ConversionStatus.OK, again.error


def test_html_depth_ignores_elements_that_close_implicitly() -> None:
    sloppy = b"<html><body><ul><li>one<li>two</ul><p>a<p>b<br><img src=x><!-- <div> --></body>"
    assert html_depth(sloppy, 100) == 1  # html is left open; ul and body were closed
    assert html_depth(nested_divs(1_000), 300) == 301  # stops counting past the limit
    assert html_depth(b"<div><span></div>", 10) == 0  # an end tag closes what it encloses


def test_resource_and_environment_set_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from sdg_pipeline.defs.resources import build_resources

    monkeypatch.setenv("SDG_CONVERT_TIMEOUT_SECONDS", "7.5")
    monkeypatch.setenv("SDG_CONVERT_MAX_MEMORY_MB", "999")
    options = build_resources(data_root="/tmp/unused")["converter"].options()
    assert options.isolate
    assert options.timeout_seconds == 7.5 and options.max_memory_mb == 999


def test_a_conversion_that_outgrows_the_budget_is_too_large() -> None:
    # A fresh worker: one that converted earlier documents keeps freed heap mapped, and a
    # conversion fitting into that slack never grows the address space the cap watches.
    isolation.shutdown()
    convert_document(b"# warm\n", "warm.md", BUDGET)
    pid = isolation.worker_pid()
    assert pid is not None
    baseline_mb = isolation._address_space_mb(pid)
    assert baseline_mb is not None
    paragraph = "Some words in a paragraph, repeated to fill memory. " * 200
    data = ("# Title\n\n" + paragraph + "\n\n").encode() * 3000  # 31 MB of Markdown
    budget = ConversionOptions(
        isolate=True, timeout_seconds=60, max_memory_mb=int(baseline_mb) + 60
    )
    result = convert_document(data, "huge.md", budget)
    assert result.status is ConversionStatus.TOO_LARGE, result.error
    _assert_one_line_naming(result.error, "huge.md")
    assert convert_document(b"# fine\n\ntext\n", "fine.md", BUDGET).ok


def test_the_asset_and_the_cli_convert_through_the_budgeted_worker(
    tmp_path: Path, instance, landing: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import dagster as dg
    import pyarrow.parquet as pq

    from sdg_pipeline.cli import main, register_folder
    from sdg_pipeline.definitions import build_definitions
    from sdg_pipeline.defs.resources import build_resources

    monkeypatch.setenv("SDG_CONVERT_TIMEOUT_SECONDS", str(TIMEOUT))
    (landing / "hostile.html").write_bytes(nested_divs(4_500))
    (landing / "onboarding_faq.md").write_bytes(_sample("onboarding_faq.md"))
    data_root = tmp_path / "data"
    defs = build_definitions(data_root=str(data_root), landing_uri=str(landing))
    storage = build_resources(data_root=str(data_root), landing_uri=str(landing))["storage"]
    keys, _ = register_folder(landing, storage, instance)
    assert len(keys) == 2
    isolation.shutdown()

    job = defs.resolve_implicit_global_asset_job_def()
    selection = [dg.AssetKey("raw_documents"), dg.AssetKey("markdown_documents")]
    statuses = {}
    for key in keys:
        job.execute_in_process(
            instance=instance, partition_key=key, asset_selection=selection, raise_on_error=False
        )
        frame = pq.read_table(data_root / "markdown_documents" / f"{key}.parquet").to_pandas()
        statuses[frame.loc[0, "status"]] = frame.loc[0, "error"]
    assert isolation.worker_pid() is not None  # converted in the worker, not in-process
    assert set(statuses) == {"ok", "corrupt"}
    assert "hostile.html: nesting too deep" in statuses["corrupt"]

    out = tmp_path / "converted"
    files = [str(landing / "hostile.html"), str(landing / "onboarding_faq.md")]
    assert main(["convert", *files, "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "hostile.html: corrupt" in printed and "nesting too deep" in printed
    assert (out / "onboarding_faq.md").read_text().strip()


def test_prestart_brings_the_worker_up_before_the_first_document() -> None:
    """The raw_documents step starts the worker, so its start-up (a new interpreter importing
    docling) overlaps reading the bytes instead of opening the markdown step."""
    isolation.shutdown()
    assert isolation.worker_pid() is None
    isolation.prestart().join(timeout=120)
    pid = isolation.worker_pid()
    assert pid is not None
    result = convert_document(_sample("acme_travel_policy.pdf"), "acme_travel_policy.pdf", BUDGET)
    assert result.status is ConversionStatus.OK, result.error
    assert isolation.worker_pid() == pid  # the prestarted worker did the conversion
