"""Each built-in recipe end to end: the real Definitions, the real openai client, the loopback
server, the published files validated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from sdg_pipeline.cli import register_folder
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.recipes import RecipeError
from sdg_pipeline.screen.pii import PiiPolicy, redact_pii
from sdg_pipeline_tests.conftest import copy_samples
from sdg_pipeline_tests.fake_openai_server import (
    FakeOpenAIServer,
    default_reply,
    judge_sources,
    prompt_kind,
)

SAMPLE = "acme_travel_policy.pdf"


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _materialize(tmp_path: Path, landing: Path, instance, recipe: str, server, **settings):
    copy_samples(landing, [SAMPLE])
    llm = LLMResource(base_url=server.base_url, api_key="test-key", model="fake-model")
    defs = build_definitions(
        data_root=str(tmp_path / "data"),
        landing_uri=str(landing),
        llm=llm,
        settings=PipelineSettings(recipe=recipe, **settings),
    )
    keys, _ = register_folder(landing, defs.resources["storage"], instance)
    result = defs.resolve_job_def("process_documents").execute_in_process(
        instance=instance, partition_key=keys[0]
    )
    assert result.success
    build = defs.resolve_job_def("build_dataset").execute_in_process(instance=instance)
    assert build.success
    data = tmp_path / "data"
    return keys[0], data, result, build


def _train_and_valid(data: Path) -> list[dict[str, Any]]:
    return _lines(data / "dataset" / "train.jsonl") + _lines(data / "dataset" / "valid.jsonl")


def test_grounded_qa_rows_and_card_name_the_recipe(tmp_path, landing, instance) -> None:
    with FakeOpenAIServer() as server:
        key, data, result, _ = _materialize(tmp_path, landing, instance, "grounded-qa", server)
    examples = pq.read_table(data / "training_examples" / f"{key}.parquet").to_pandas()
    assert set(examples["recipe"]) == {"grounded-qa"} and set(examples["recipe_version"]) == {1}
    meta = result.asset_materializations_for_node("qa_pairs")[0].metadata
    assert meta["recipe"].value == "grounded-qa" and meta["recipe_version"].value == 1
    assert "Recipe: grounded-qa@1" in (data / "dataset" / "README.md").read_text()
    assert all(set(line) == {"messages"} for line in _train_and_valid(data))
    assert not (data / "dataset" / "eval.jsonl").exists()


def test_knowledge_infusion_pairs_are_judged_against_the_raw_chunk(tmp_path, landing, instance):
    with FakeOpenAIServer() as server:
        key, data, _, _ = _materialize(tmp_path, landing, instance, "knowledge-infusion", server)
        sources = [
            text for b in server.requests if prompt_kind(b) == "judge" for text in judge_sources(b)
        ]
    chunks = pq.read_table(data / "chunks" / f"{key}.parquet").to_pandas()
    judged = pq.read_table(data / "judged_pairs" / f"{key}.parquet").to_pandas()
    assert any(s.startswith("summary_qa:") and s != "summary_qa:raw" for s in judged["step"])
    texts = list(chunks["text"])
    assert sources and all(s in texts for s in sources)  # raw chunks, never a summary
    assert judged["passed"].any() and _train_and_valid(data)


def test_conversation_lines_alternate_with_at_least_two_user_turns(tmp_path, landing, instance):
    with FakeOpenAIServer() as server:
        _, data, _, _ = _materialize(tmp_path, landing, instance, "conversation", server)
    lines = _train_and_valid(data)
    assert lines
    for line in lines:
        roles = [m["role"] for m in line["messages"]]
        assert roles == ["user", "assistant"] * (len(roles) // 2) and roles.count("user") >= 2


def test_socratic_tutor_lines_never_give_the_answer(tmp_path, landing, instance) -> None:
    def handler(body: dict[str, Any]) -> Any:
        if prompt_kind(body) != "restyle":
            return None
        answers = default_reply(body)["answers"]
        answers[0]["answer"] = "The answer is in the policy: economy class."
        return {"answers": answers}

    with FakeOpenAIServer(handler=handler) as server:
        _, data, result, _ = _materialize(tmp_path, landing, instance, "socratic-tutor", server)
    lines = _train_and_valid(data)
    assert lines
    for line in lines:
        reply = line["messages"][-1]["content"]
        assert reply.rstrip().endswith("?") and "the answer is" not in reply.lower()
    meta = result.asset_materializations_for_node("qa_pairs")[0].metadata
    assert meta["pairs_filtered"].value["filter: contains 'the answer is'"] > 0


def test_rag_eval_writes_an_eval_file_beside_and_never_in_the_splits(tmp_path, landing, instance):
    with FakeOpenAIServer() as server:
        key, data, _, build = _materialize(tmp_path, landing, instance, "rag-eval", server)
    samples = _lines(data / "dataset" / "eval.jsonl")
    chunks = pq.read_table(data / "chunks" / f"{key}.parquet").to_pandas()
    assert samples
    # the contexts are the raw chunks, screened like every published text (personal data)
    contexts = {redact_pii(text, PiiPolicy())[0] for text in chunks["text"]}
    for sample in samples:
        assert sample["user_input"].endswith("?") and sample["reference"]
        assert sample["reference_contexts"] and sample["reference_contexts"][0] in contexts
    questions = {s["user_input"] for s in samples}
    in_splits = {m["content"] for line in _train_and_valid(data) for m in line["messages"]}
    assert not questions & in_splits
    stats = json.loads((data / "dataset" / "stats.json").read_text())
    assert stats["evaluation"]["examples"] == len(samples)
    assert stats["splits"]["train"]["examples"] + stats["splits"]["validation"]["examples"] == 0
    meta = build.asset_materializations_for_node("training_jsonl")[0].metadata
    assert meta["eval_examples"].value == len(samples)


def test_a_conversation_recipe_refuses_the_alpaca_format_before_any_request() -> None:
    with pytest.raises(RecipeError, match="alpaca holds one exchange per line"):
        PipelineSettings(recipe="conversation", output_format="alpaca").loaded_recipe()


def test_refine_counts_reach_the_assets_metadata(tmp_path, landing, instance) -> None:
    recipe = tmp_path / "refined.yaml"
    recipe.write_text(
        "name: refined\nversion: 1\ndescription: d\nsteps:\n  - kind: direct_qa\n"
        "refine:\n  max_iterations: 2\n"
    )
    with FakeOpenAIServer() as server:
        _, _, result, _ = _materialize(tmp_path, landing, instance, str(recipe), server)
    meta = result.asset_materializations_for_node("qa_pairs")[0].metadata
    chunks = meta["chunks"].value
    judged, rewrites = meta["refine_judge_calls"].value, meta["refine_generate_calls"].value
    # per chunk: a judging per iteration, a rewrite only after a rejection, two at most
    assert meta["refine_max_iterations"].value == 2
    assert chunks <= judged <= 2 * chunks and rewrites <= judged
    assert meta["refine_iterations_used"].value <= 2
    # a rewrite asked again with the same feedback replays the response cache: no new request
    assert meta["requests_by_kind"].value.get("refine", 0) <= rewrites
    assert meta["refine_calls"].value == judged + rewrites
    assert meta["recipe_source"].value == str(recipe)


def test_a_recipe_that_needs_a_model_fails_its_qa_step_clearly_offline(
    tmp_path, landing, instance
) -> None:
    copy_samples(landing, [SAMPLE])
    defs = build_definitions(
        data_root=str(tmp_path / "data"),
        landing_uri=str(landing),
        llm=LLMResource(),
        settings=PipelineSettings(recipe="socratic-tutor"),
    )
    keys, _ = register_folder(landing, defs.resources["storage"], instance)
    result = defs.resolve_job_def("process_documents").execute_in_process(
        instance=instance, partition_key=keys[0], raise_on_error=False
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert failure.step_key == "qa_pairs"
    assert "'socratic-tutor' needs an LLM endpoint" in str(failure.step_failure_data.error)
