"""Through the real Definitions: one sloppy LLM pair costs that pair, not the document."""

from __future__ import annotations

import threading
from typing import Any

import dagster as dg
import pyarrow.parquet as pq

from sdg_pipeline.cli import register_folder
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline.expectations.suites import CHECK_NAME
from sdg_pipeline_tests.conftest import copy_samples
from sdg_pipeline_tests.fake_openai_server import (
    FakeOpenAIServer,
    default_generation,
    prompt_kind,
)


class _SloppyModel:
    """Default replies, except that the first generation reply ends one question with '.' and
    the second repeats a question of the first: the two faults a real model makes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.replies = 0
        self.bad_question = ""
        self.repeated_question = ""

    def __call__(self, body: dict[str, Any]) -> dict[str, Any] | None:
        if prompt_kind(body) != "generate":
            return None
        reply = default_generation(body)
        with self._lock:
            self.replies += 1
            if self.replies == 1:
                self.repeated_question = reply["pairs"][0]["question"]
                self.bad_question = reply["pairs"][1]["question"].rstrip("?") + "."
                reply["pairs"][1]["question"] = self.bad_question
            elif self.replies == 2:
                reply["pairs"][2]["question"] = self.repeated_question.upper()
        return reply


def test_a_document_with_one_bad_and_one_repeated_pair_still_reaches_training_examples(
    tmp_path, instance, landing
):
    copy_samples(landing, ["harbor_league_rulebook.pdf"])
    model = _SloppyModel()
    with FakeOpenAIServer(handler=model) as server:
        llm = LLMResource(base_url=server.base_url, api_key="test-key", model="fake-model")
        data_root = tmp_path / "data"
        defs = build_definitions(data_root=str(data_root), landing_uri=str(landing), llm=llm)
        keys, _ = register_folder(landing, defs.resources["storage"], instance)
        (key,) = keys
        result = defs.resolve_job_def("process_documents").execute_in_process(
            instance=instance, partition_key=key
        )
    assert result.success
    assert model.replies >= 2 and model.bad_question

    metadata = result.asset_materializations_for_node("qa_pairs")[0].metadata
    assert metadata["pairs_dropped"].value == {"no_question_mark": 1, "duplicate_question": 1}
    assert metadata["failed_chunks"].value == 0

    evaluation = next(
        e for e in result.get_asset_check_evaluations() if e.asset_key == dg.AssetKey("qa_pairs")
    )
    assert evaluation.check_name == CHECK_NAME["qa_pairs"] and evaluation.passed

    pairs = pq.read_table(data_root / "qa_pairs" / f"{key}.parquet").to_pandas()
    assert model.bad_question not in set(pairs["question"])
    assert (pairs["question"].str.casefold() == model.repeated_question.casefold()).sum() == 1
    assert key in instance.get_materialized_partitions(dg.AssetKey("training_examples"))
    examples = pq.read_table(data_root / "training_examples" / f"{key}.parquet")
    assert examples.num_rows > 0
