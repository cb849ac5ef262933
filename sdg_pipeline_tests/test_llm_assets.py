"""The LLM path through the real Definitions: cache on re-materialization, failure when down."""

from __future__ import annotations

import dagster as dg
import pyarrow.parquet as pq

from sdg_pipeline.cli import register_folder
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline_tests.conftest import copy_samples
from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer, unused_loopback_url


def _defs(tmp_path, landing, llm: LLMResource) -> dg.Definitions:
    return build_definitions(data_root=str(tmp_path / "data"), landing_uri=str(landing), llm=llm)


def _register(defs: dg.Definitions, landing, instance) -> str:
    storage = defs.resources["storage"]
    keys, _ = register_folder(landing, storage, instance)
    return keys[0]


def test_rematerializing_with_an_llm_hits_only_the_cache(tmp_path, instance, landing):
    copy_samples(landing, ["harbor_league_rulebook.pdf"])
    with FakeOpenAIServer() as server:
        llm = LLMResource(base_url=server.base_url, api_key="test-key", model="fake-model")
        defs = _defs(tmp_path, landing, llm)
        key = _register(defs, landing, instance)
        job = defs.resolve_job_def("process_documents")
        assert job.execute_in_process(instance=instance, partition_key=key).success
        first = server.counters()["kind_counts"]
        assert first.get("generate", 0) > 0 and first.get("judge", 0) > 0

        pairs = pq.read_table(tmp_path / "data" / "qa_pairs" / f"{key}.parquet").to_pandas()
        assert set(pairs["generator"]) == {"llm"} and set(pairs["model"]) == {"fake-model"}
        judged = pq.read_table(tmp_path / "data" / "judged_pairs" / f"{key}.parquet").to_pandas()
        assert set(judged["judge"]) == {"llm"} and judged["passed"].any()

        server.reset_counts()
        result = job.execute_in_process(instance=instance, partition_key=key)
        assert result.success
        assert server.counters()["request_count"] == 0
        metadata = result.asset_materializations_for_node("qa_pairs")[0].metadata
        assert metadata["cache_hits"].value > 0 and metadata["cache_misses"].value == 0


def test_llm_server_down_fails_the_document_clearly_and_writes_nothing(tmp_path, instance, landing):
    copy_samples(landing, ["harbor_league_rulebook.pdf"])
    llm = LLMResource(
        base_url=unused_loopback_url(), api_key="test-key", model="fake-model", max_retries=1
    )
    defs = _defs(tmp_path, landing, llm)
    key = _register(defs, landing, instance)
    result = defs.resolve_job_def("process_documents").execute_in_process(
        instance=instance, partition_key=key, raise_on_error=False
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert failure.step_key == "qa_pairs"
    message = failure.step_failure_data.error.message + str(failure.step_failure_data.error.cause)
    assert key in message and "127.0.0.1" in message
    assert (tmp_path / "data" / "chunks" / f"{key}.parquet").exists()  # finished stages stay
    assert not (tmp_path / "data" / "qa_pairs").exists() or not list(
        (tmp_path / "data" / "qa_pairs").iterdir()
    )
