"""LLM QA generation end to end against the loopback server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sdg_pipeline.generation.llm_client import (
    LLMFailureRateExceeded,
    LLMSettings,
    LLMUnavailable,
    Secret,
)
from sdg_pipeline.generation.llm_generator import generate_pairs_llm, locate_evidence, parse_pairs
from sdg_pipeline.generation.prompts import GENERATION_PROMPT_VERSION, TASK_GENERATE
from sdg_pipeline.schemas import QA_PAIRS
from sdg_pipeline_tests.fake_openai_server import (
    FakeOpenAIServer,
    FaultPlan,
    Reply,
    default_generation,
    make_chunks,
    unused_loopback_url,
)


def settings_for(base_url: str, **overrides: Any) -> LLMSettings:
    values: dict[str, Any] = {
        "base_url": base_url,
        "api_key": Secret("test-key"),
        "model": "gen-model",
        "max_concurrency": 16,
        "max_retries": 5,
        "retry_base_delay_s": 0.01,
        "request_timeout_s": 2.0,
    }
    return LLMSettings(**(values | overrides))


def test_pairs_follow_the_contract_and_cite_the_chunk(tmp_path: Path) -> None:
    chunks = make_chunks(4)
    with FakeOpenAIServer() as server:
        pairs, stats = generate_pairs_llm(
            chunks,
            llm=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
            outline=["Operating manual"],
        )
    assert list(pairs.columns) == QA_PAIRS.names
    assert len(pairs) == 4 * 3
    assert pairs["error"].isna().all()
    assert set(pairs["generator"]) == {"llm"} and set(pairs["model"]) == {"gen-model"}
    assert set(pairs["prompt_version"]) == {GENERATION_PROMPT_VERSION}
    assert pairs["pair_id"].is_unique
    texts = dict(zip(chunks["chunk_id"], chunks["text"], strict=True))
    for row in pairs.itertuples():
        assert row.evidence in texts[row.chunk_id]
    assert stats["llm_requests"] == 4 and stats["pairs"] == 12
    assert stats["tokens_in"] > 0 and stats["tokens_out"] > 0
    assert stats["latency_p50_ms"] is not None and stats["latency_p95_ms"] is not None


def test_prompt_carries_domain_outline_heading_examples_and_type_mix(tmp_path: Path) -> None:
    chunks = make_chunks(1)
    with FakeOpenAIServer() as server:
        generate_pairs_llm(
            chunks,
            llm=settings_for(
                server.base_url, domain="industrial pumps", example_questions=("What is X-1?",)
            ),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
            outline=["Operating manual", "Maintenance schedule"],
        )
    system, user = (m["content"] for m in server.requests[0]["messages"])
    assert TASK_GENERATE in system and "industrial pumps" in system
    assert "Maintenance schedule" in user  # document outline
    assert "Operating manual > XR-100 pump" in user  # heading path
    assert "What is X-1?" in user  # ICL example
    assert "question types in order: factual, numeric, conceptual" in user
    assert server.requests[0]["response_format"]["type"] == "json_schema"


def test_rerun_of_unchanged_chunks_makes_no_request(tmp_path: Path) -> None:
    chunks = make_chunks(6)
    with FakeOpenAIServer() as server:
        settings = settings_for(server.base_url)
        first, _ = generate_pairs_llm(
            chunks, llm=settings, cache_root=str(tmp_path), document_key="manual.pdf"
        )
        sent = server.request_count
        second, stats = generate_pairs_llm(
            chunks, llm=settings, cache_root=str(tmp_path), document_key="manual.pdf"
        )
        assert server.request_count == sent
    assert stats["llm_requests"] == 0 and stats["cache_hits"] == 6
    assert second.equals(first)


def test_cache_opt_out_asks_again(tmp_path: Path) -> None:
    chunks = make_chunks(2)
    with FakeOpenAIServer() as server:
        settings = settings_for(server.base_url, cache_enabled=False)
        for _ in range(2):
            generate_pairs_llm(chunks, llm=settings, cache_root=str(tmp_path), document_key="d")
        assert server.request_count == 4
    assert not any(tmp_path.iterdir())


def test_injected_429s_and_500s_still_give_every_chunk_its_pairs(tmp_path: Path) -> None:
    chunks = make_chunks(30)
    faults = FaultPlan(rate_429=0.2, rate_500=0.1, retry_after_s=0.01, seed=7, max_consecutive=3)
    with FakeOpenAIServer(faults=faults) as server:
        pairs, stats = generate_pairs_llm(
            chunks,
            llm=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
    assert server.status_counts[429] > 0 and server.status_counts[500] > 0
    assert stats["retries"] == server.status_counts[429] + server.status_counts[500]
    assert pairs["error"].isna().all()
    assert set(pairs["chunk_id"]) == set(chunks["chunk_id"])
    assert (pairs.groupby("chunk_id").size() == 3).all()
    assert not pairs.duplicated(["chunk_id", "question"]).any() and pairs["pair_id"].is_unique


def test_a_failing_chunk_is_recorded_and_the_partition_succeeds(tmp_path: Path) -> None:
    chunks = make_chunks(10)
    doomed = chunks["text"].iloc[3]

    def handler(body: dict[str, Any]) -> Reply | None:
        return Reply.error(500, "model crashed") if doomed in json.dumps(body) else None

    with FakeOpenAIServer(handler=handler) as server:
        pairs, stats = generate_pairs_llm(
            chunks,
            llm=settings_for(server.base_url, max_retries=1),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
    failed = pairs[pairs["error"].notna()]
    assert list(failed["chunk_id"]) == [chunks["chunk_id"].iloc[3]]
    assert failed["error"].iloc[0].startswith("http_500")
    assert failed["question"].isna().all()
    assert stats["failed_chunks"] == 1 and stats["failure_rate"] == 0.1
    assert stats["errors_by_kind"] == {"http_500": 1}
    assert len(pairs) == 9 * 3 + 1


def test_failure_rate_above_the_threshold_fails_naming_document_and_counts(
    tmp_path: Path,
) -> None:
    chunks = make_chunks(4)
    with (
        FakeOpenAIServer(handler=lambda body: Reply.garbage_content()) as server,
        pytest.raises(LLMFailureRateExceeded) as raised,
    ):
        generate_pairs_llm(
            chunks,
            llm=settings_for(server.base_url, max_reasks=1, max_failure_rate=0.5),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
    message = str(raised.value)
    assert "'manual.pdf'" in message and "4 of 4" in message and "malformed_output=4" in message


def test_server_down_raises_llm_unavailable(tmp_path: Path) -> None:
    with pytest.raises(LLMUnavailable, match=r"manual\.pdf"):
        generate_pairs_llm(
            make_chunks(3),
            llm=settings_for(unused_loopback_url(), max_retries=1),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )


def test_knowledge_augmentation_asks_for_facts_then_grounds_qa_in_the_chunk(
    tmp_path: Path,
) -> None:
    chunks = make_chunks(3)
    with FakeOpenAIServer() as server:
        pairs, _ = generate_pairs_llm(
            chunks,
            llm=settings_for(server.base_url, knowledge_augmentation=True),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
    assert server.kind_counts == {"facts": 3, "generate": 3}
    generation_prompt = next(r for r in server.requests if "Key facts" in json.dumps(r))
    assert "<passage>" in generation_prompt["messages"][1]["content"]  # raw chunk still sent
    assert pairs["prompt_version"].str.contains("key-facts").all()
    assert pairs["error"].isna().all()


def test_evidence_the_model_did_not_copy_from_the_chunk_is_dropped() -> None:
    chunk = "The pump  delivers 40 litres\nper minute."
    assert locate_evidence("the pump delivers 40 litres per minute", chunk) == (
        "The pump  delivers 40 litres\nper minute"
    )
    assert locate_evidence("The pump delivers 45 litres", chunk) is None
    reply = json.dumps(
        {
            "pairs": [
                {"question": "Q?", "answer": "A", "question_type": "lookup", "evidence": "invented"}
            ]
        }
    )
    (pair,) = parse_pairs(reply, chunk, limit=3)
    assert pair["evidence"] is None and pair["question_type"] == "table"


def test_parse_pairs_drops_empty_and_duplicate_pairs_and_caps_the_count() -> None:
    body = default_generation(
        {"messages": [{"role": "user", "content": "<passage>\nA b c d. E f g h.\n</passage>"}]}
    )
    pairs = body["pairs"] + body["pairs"] + [{"question": "", "answer": "x"}]
    assert len(parse_pairs(json.dumps({"pairs": pairs}), "A b c d. E f g h.", limit=10)) == 3
    assert len(parse_pairs(json.dumps({"pairs": pairs}), "A b c d. E f g h.", limit=2)) == 2
