"""`sdg-pipeline` in a terminal: clear reasons, honest counts, safe outputs."""

from __future__ import annotations

import pyarrow.parquet as pq

from sdg_pipeline.cli import main
from sdg_pipeline_tests.conftest import copy_samples


def test_run_names_the_problem_of_a_bad_document_and_counts_only_good_ones(
    tmp_path, monkeypatch, capsys
):
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    (docs / "outline.md").write_text("# Only\n\n## Headings\n")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    out = tmp_path / "out"
    assert main(["run", "--docs", str(docs), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "generation: offline generator and judge (no LLM endpoint configured)" in printed
    failed = [line for line in printed.splitlines() if "FAILED" in line]
    assert len(failed) == 2
    broken = next(line for line in failed if "broken" in line)
    assert "markdown_documents:" in broken and "broken.pdf" in broken  # the converter's words
    outline = next(line for line in failed if "outline" in line)
    assert "chunks:" in outline and "no rows" in outline
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
