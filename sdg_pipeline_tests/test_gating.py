"""Blocking checks stop a bad document's chain; good documents flow; the JSONL has only them."""

from __future__ import annotations

import json

import dagster as dg
import pyarrow.parquet as pq

from sdg_pipeline.cli import register_folder
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.checks import gate_partitions
from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline.expectations.suites import CHECK_NAME
from sdg_pipeline_tests.conftest import copy_samples
from sdg_pipeline_tests.convert.pdf_factory import image_only_pdf
from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer, default_reply, prompt_kind


def _key_for(keys: list[str], prefix: str) -> str:
    return next(k for k in keys if k.startswith(prefix))


def _process_all(defs, instance, keys) -> dict[str, bool]:
    job = defs.resolve_job_def("process_documents")
    outcome = {
        key: job.execute_in_process(
            instance=instance, partition_key=key, raise_on_error=False
        ).success
        for key in keys
    }
    assert defs.resolve_job_def("build_dataset").execute_in_process(instance=instance).success
    return outcome


def _materialized(instance, asset: str, key: str) -> bool:
    return key in instance.get_materialized_partitions(dg.AssetKey(asset))


def _jsonl_questions(data_root) -> set[str]:
    questions = set()
    for name in ("train.jsonl", "valid.jsonl"):
        path = data_root / "dataset" / name
        if path.exists():
            for line in path.read_text().splitlines():
                questions.add(json.loads(line)["messages"][-2]["content"])
    return questions


def _example_questions(data_root, key) -> set[str]:
    path = data_root / "training_examples" / f"{key}.parquet"
    return set(pq.read_table(path, columns=["question"]).column("question").to_pylist())


def _check_status(instance, asset: str, key: str) -> str:
    check_key = dg.AssetCheckKey(dg.AssetKey(asset), CHECK_NAME[asset])
    infos = instance.event_log_storage.get_asset_check_partition_info(
        [check_key], partition_keys=[key]
    )
    return infos[0].latest_execution_status.value


def test_scanned_pdf_and_empty_outline_stop_only_themselves(tmp_path, instance, landing):
    copy_samples(landing, ["acme_travel_policy.pdf"])
    (landing / "scanned.pdf").write_bytes(image_only_pdf())
    (landing / "outline.md").write_text("# Outline\n\n## Section one\n\n## Section two\n")
    data_root = tmp_path / "data"
    defs = build_definitions(data_root=str(data_root), landing_uri=str(landing))
    keys, _ = register_folder(landing, defs.resources["storage"], instance)
    good, scanned, outline = (_key_for(keys, p) for p in ("acme", "scanned", "outline"))

    outcome = _process_all(defs, instance, keys)
    assert outcome == {good: True, scanned: False, outline: False}

    # The scan converts (recorded as no_text), fails its markdown check, and goes no further.
    markdown = pq.read_table(data_root / "markdown_documents" / f"{scanned}.parquet").to_pandas()
    assert markdown.loc[0, "status"] == "no_text"
    assert _check_status(instance, "markdown_documents", scanned) == "FAILED"
    assert not _materialized(instance, "chunks", scanned)
    # The outline converts but chunks to nothing: its chunks check fails, no pairs are asked for.
    assert _check_status(instance, "chunks", outline) == "FAILED"
    assert not _materialized(instance, "qa_pairs", outline)
    # The good document went all the way, every check passed.
    for asset in CHECK_NAME:
        if asset != "training_jsonl":
            assert _check_status(instance, asset, good) == "SUCCEEDED", asset
    assert _materialized(instance, "training_examples", good)

    # The dataset holds only the good document; the others are listed with the failing check.
    assert _jsonl_questions(data_root) == _example_questions(data_root, good)
    passing, excluded = gate_partitions(instance, keys)
    assert passing == [good]
    assert "markdown_documents_expectations" in excluded[scanned]
    assert "chunks_expectations" in excluded[outline]
    event = instance.get_latest_materialization_event(dg.AssetKey("training_jsonl"))
    listed = event.asset_materialization.metadata["excluded"].value
    assert set(listed) == {scanned, outline}

    # Check results, with GX statistics, are in the instance (the UI's Checks tab reads them).
    check_key = dg.AssetCheckKey(
        dg.AssetKey("markdown_documents"), "markdown_documents_expectations"
    )
    record = instance.event_log_storage.get_asset_check_execution_history(check_key, limit=10)
    evaluations = [r.event.dagster_event.event_specific_data for r in record if r.event]
    failed = next(e for e in evaluations if not e.passed)
    assert failed.metadata["rows_checked"].value == 1
    assert failed.metadata["unsuccessful_expectations"].value >= 1
    assert "no text" in (failed.description or "") or "no_text" in (failed.description or "")


def test_a_generator_repeating_one_question_keeps_one_and_counts_the_rest(
    tmp_path, instance, landing
):
    copy_samples(landing, ["acme_travel_policy.pdf", "harbor_league_rulebook.pdf"])

    def duplicate_for_rulebook(body: dict):
        text = json.dumps(body)
        if prompt_kind(body) == "generate" and "Harbor" in text:
            return {
                "pairs": [
                    {
                        "question": "What are the rules of the Harbor Sailing League?",
                        "answer": "The rules apply to every race of the 2026 season.",
                        "question_type": "factual",
                        "evidence": "",
                    }
                ]
            }
        return default_reply(body)

    with FakeOpenAIServer(handler=duplicate_for_rulebook) as server:
        llm = LLMResource(base_url=server.base_url, api_key="k", model="fake-model")
        data_root = tmp_path / "data"
        defs = build_definitions(data_root=str(data_root), landing_uri=str(landing), llm=llm)
        keys, _ = register_folder(landing, defs.resources["storage"], instance)
        good, bad = _key_for(keys, "acme"), _key_for(keys, "harbor")
        outcome = _process_all(defs, instance, keys)

    # Repeats are dropped and counted, never failed chunks (a 4-chunk document used to be lost
    # over the failure threshold): the document lands with the question once.
    assert outcome == {good: True, bad: True}
    pairs = pq.read_table(data_root / "qa_pairs" / f"{bad}.parquet").to_pandas()
    repeated = "What are the rules of the Harbor Sailing League?"
    assert list(pairs["question"]).count(repeated) == 1 and pairs["error"].isna().all()
    (event,) = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey("qa_pairs"), asset_partitions=[bad]), limit=1
    ).records
    metadata = event.asset_materialization.metadata
    assert metadata["duplicates_dropped"].value >= 1 and metadata["failed_chunks"].value == 0
    assert _materialized(instance, "training_examples", good)


def test_a_failed_rerun_keeps_the_last_good_verdict_and_examples(tmp_path, instance, landing):
    from sdg_pipeline_tests.fake_openai_server import unused_loopback_url

    copy_samples(landing, ["harbor_league_rulebook.pdf"])
    data_root = tmp_path / "data"
    defs = build_definitions(data_root=str(data_root), landing_uri=str(landing))
    keys, _ = register_folder(landing, defs.resources["storage"], instance)
    assert _process_all(defs, instance, keys) == {keys[0]: True}
    before = _jsonl_questions(data_root)
    assert before

    # The same document re-run against an endpoint that is down: qa_pairs fails mid-chain, so
    # its checks stay planned in that run. The last finished verdicts still hold.
    down = LLMResource(base_url=unused_loopback_url(), api_key="k", model="m", max_retries=0)
    defs_down = build_definitions(data_root=str(data_root), landing_uri=str(landing), llm=down)
    assert _process_all(defs_down, instance, keys) == {keys[0]: False}
    passing, excluded = gate_partitions(instance, keys)
    assert passing == keys and not excluded
    assert _jsonl_questions(data_root) == before
