"""Re-judging with a new judge model: judged_pairs and training_examples rerun, qa_pairs not."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import yaml

from sdg_pipeline.cli import register_folder
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.resources import build_resources
from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline_tests.conftest import REPO, copy_samples
from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer

DOCUMENT = "harbor_league_rulebook.pdf"


def materializations(instance: dg.DagsterInstance, asset: str, key: str) -> int:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(asset), asset_partitions=[key]), limit=100
    ).records
    return len(records)


def test_rejudge_with_a_new_judge_model_leaves_generation_alone(tmp_path, instance, landing):
    copy_samples(landing, [DOCUMENT])
    data_root = tmp_path / "data"
    args = {"data_root": str(data_root), "landing_uri": str(landing)}
    storage = build_resources(**args)["storage"]
    [key], _ = register_folder(landing, storage, instance)

    with FakeOpenAIServer() as server:

        def llm(judge_model: str) -> LLMResource:
            return LLMResource(
                base_url=server.base_url, api_key="test", model="gen-model", judge_model=judge_model
            )

        first = build_definitions(**args, llm=llm("judge-a"))
        assert (
            first.resolve_job_def("process_documents")
            .execute_in_process(instance=instance, partition_key=key)
            .success
        )
        assert server.kind_counts["generate"] > 0
        qa_file = data_root / "qa_pairs" / f"{key}.parquet"
        qa_before = qa_file.read_bytes()
        server.reset_counts()

        second = build_definitions(**args, llm=llm("judge-b"))
        assert (
            second.resolve_job_def("rejudge")
            .execute_in_process(instance=instance, partition_key=key)
            .success
        )
        requests = list(server.requests)
        kinds = dict(server.kind_counts)

    assert set(kinds) == {"judge"} and kinds["judge"] > 0  # no generation request at all
    assert {body["model"] for body in requests} == {"judge-b"}
    assert qa_file.read_bytes() == qa_before
    assert materializations(instance, "qa_pairs", key) == 1
    assert materializations(instance, "judged_pairs", key) == 2
    assert materializations(instance, "training_examples", key) == 2
    judged = pq.read_table(data_root / "judged_pairs" / f"{key}.parquet").to_pandas()
    assert set(judged["judge_model"]) == {"judge-b"}


def test_rejudge_job_selects_only_judging_and_examples_over_all_documents():
    defs = build_definitions()
    job = defs.resolve_job_def("rejudge")
    assert job.partitions_def is not None and job.partitions_def.name == "documents"
    assets = {key.to_user_string() for key in job.asset_layer.executable_asset_keys}
    assert assets == {"judged_pairs", "training_examples"}


def test_llm_steps_share_one_pool_whose_limit_the_instance_sets():
    defs = build_definitions()
    graph = defs.resolve_asset_graph()
    pools = {key.to_user_string(): graph.get(key).pools for key in graph.get_all_asset_keys()}
    assert pools["qa_pairs"] == {"llm"} and pools["judged_pairs"] == {"llm"}
    assert not pools["chunks"] and not pools["training_jsonl"]
    config = yaml.safe_load(Path(REPO / "dagster.yaml").read_text())
    assert config["concurrency"]["pools"]["default_limit"] >= 1
