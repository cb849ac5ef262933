"""The walking skeleton: real PDFs through the real Definitions into a training JSONL."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq

from sdg_pipeline.cli import main, register_folder
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.resources import build_resources
from sdg_pipeline_tests.conftest import copy_samples

PDFS = ["acme_travel_policy.pdf", "harbor_league_rulebook.pdf"]


def read(data_root: Path, asset: str, key: str) -> pd.DataFrame:
    return pq.read_table(data_root / asset / f"{key}.parquet").to_pandas()


def test_two_pdfs_become_a_training_jsonl_with_lineage(tmp_path, instance, landing):
    copy_samples(landing, PDFS)
    data_root = tmp_path / "data"
    defs = build_definitions(data_root=str(data_root), landing_uri=str(landing))
    storage = build_resources(data_root=str(data_root), landing_uri=str(landing))["storage"]
    keys, skipped = register_folder(landing, storage, instance)
    assert len(keys) == 2 and not skipped
    assert set(instance.get_dynamic_partitions("documents")) == set(keys)

    job = defs.resolve_job_def("process_documents")
    for key in keys:
        assert job.execute_in_process(instance=instance, partition_key=key).success
    assert defs.resolve_job_def("build_dataset").execute_in_process(instance=instance).success

    all_examples = []
    for key in keys:
        raw = read(data_root, "raw_documents", key)
        source = landing / raw.loc[0, "file_name"]
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        assert len(raw) == 1 and raw.loc[0, "content_hash"] == digest
        assert raw.loc[0, "media_type"] == "application/pdf" and raw.loc[0, "page_count"] >= 2

        markdown = read(data_root, "markdown_documents", key)
        assert markdown.loc[0, "status"] == "ok" and markdown.loc[0, "mode"] == "native"
        assert "#" in markdown.loc[0, "markdown"]

        chunks = read(data_root, "chunks", key)
        assert len(chunks) >= 2
        assert (chunks["content_hash"] == digest).all()
        md = markdown.loc[0, "markdown"]
        for row in chunks.itertuples():
            assert md[row.char_start : row.char_end] == row.text

        pairs = read(data_root, "qa_pairs", key)
        judged = read(data_root, "judged_pairs", key)
        examples = read(data_root, "training_examples", key)
        assert len(pairs) >= len(chunks) and len(judged) == len(pairs)
        assert 0 < len(examples) <= len(judged)
        assert set(pairs["generator"]) == {"offline-extractive"}
        assert set(judged["judge"]) == {"offline-lexical"}
        # Lineage: example -> pair -> chunk -> document version.
        assert set(examples["pair_id"]) <= set(judged.loc[judged["passed"], "pair_id"])
        assert set(pairs["chunk_id"]) <= set(chunks["chunk_id"])
        merged = examples.merge(chunks, on="chunk_id", suffixes=("", "_chunk"))
        assert len(merged) == len(examples)
        assert (merged["content_hash"] == digest).all()
        assert (merged["page_start"] == merged["page_start_chunk"]).all()
        all_examples.append(examples)

    # `sdg-pipeline convert` writes exactly the markdown the asset stored.
    converted = tmp_path / "converted"
    assert main(["convert", *(str(landing / name) for name in PDFS), "--out", str(converted)]) == 0
    for key in keys:
        raw = read(data_root, "raw_documents", key)
        stored = read(data_root, "markdown_documents", key).loc[0, "markdown"]
        stem = Path(raw.loc[0, "file_name"]).stem
        assert (converted / f"{stem}.md").read_text(encoding="utf-8") == stored

    dataset = data_root / "dataset"
    lines = []
    for name in ("train.jsonl", "valid.jsonl"):
        with open(dataset / name) as handle:
            lines += [json.loads(line) for line in handle]
    examples = pd.concat(all_examples)
    assert len(lines) == len(examples)
    expected = {(q, a) for q, a in zip(examples["question"], examples["answer"], strict=True)}
    seen = set()
    for record in lines:
        roles = [m["role"] for m in record["messages"]]
        assert roles[-2:] == ["user", "assistant"]
        seen.add((record["messages"][-2]["content"], record["messages"][-1]["content"]))
    assert seen == expected
    stats = json.loads((dataset / "stats.json").read_text())
    (provenance,) = stats["provenance"]["generation"]
    assert provenance["generator"] == "offline-extractive"
    assert provenance["judge"] == "offline-lexical"
    assert provenance["pairs"] == sum(len(read(data_root, "judged_pairs", k)) for k in keys)
    dataset_check = dg.AssetCheckKey(dg.AssetKey("training_jsonl"), "training_jsonl_expectations")
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key([dataset_check])
    assert latest[dataset_check].status.value == "SUCCEEDED"


def test_cli_run_summarises_and_writes_jsonl(tmp_path, monkeypatch, capsys):
    docs = tmp_path / "docs"
    copy_samples(docs)
    (docs / "notes.xyz").write_text("not a document")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    out = tmp_path / "out"
    assert main(["run", "--docs", str(docs), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "skipped notes.xyz: unsupported extension .xyz" in printed
    assert f"train: {out / 'dataset' / 'train.jsonl'}" in printed
    for name in ("train.jsonl", "valid.jsonl"):
        for line in (out / "dataset" / name).read_text().splitlines():
            messages = json.loads(line)["messages"]
            assert messages[-1]["role"] == "assistant" and messages[-1]["content"]
