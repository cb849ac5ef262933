"""LLM QA generation end to end against the loopback server."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sdg_pipeline.expectations.thresholds import CheckThresholds
from sdg_pipeline.generate.llm import (
    generate_pairs_llm,
    locate_evidence,
    parse_pairs,
)
from sdg_pipeline.llm.client import (
    LLMFailureRateExceeded,
    LLMSettings,
    LLMUnavailable,
)
from sdg_pipeline.llm.json_output import MalformedOutput
from sdg_pipeline.llm.prompts import GENERATION_PROMPT_VERSION, TASK_GENERATE
from sdg_pipeline.llm.replies import clean_question
from sdg_pipeline.schemas import QA_PAIRS
from sdg_pipeline_tests.fake_openai_server import (
    FakeOpenAIServer,
    FaultPlan,
    Reply,
    default_generation,
    fast_settings,
    make_chunks,
    prompt_kind,
    unused_loopback_url,
)


def settings_for(base_url: str, **overrides: Any) -> LLMSettings:
    # One chunk a request: these cases are about a chunk's own request (its faults, re-asks,
    # drops); test_packed_generation.py has the same behaviours with chunks sharing requests.
    values = {
        "model": "gen-model",
        "max_concurrency": 16,
        "max_retries": 5,
        "generation_chunks_per_request": 1,
    }
    return fast_settings(base_url, **(values | overrides))


def test_pairs_follow_the_contract_and_cite_the_chunk(tmp_path: Path) -> None:
    chunks = make_chunks(4)
    with FakeOpenAIServer() as server:
        pairs, stats = generate_pairs_llm(
            chunks,
            settings=settings_for(server.base_url),
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
            settings=settings_for(
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
            chunks, settings=settings, cache_root=str(tmp_path), document_key="manual.pdf"
        )
        sent = server.request_count
        second, stats = generate_pairs_llm(
            chunks, settings=settings, cache_root=str(tmp_path), document_key="manual.pdf"
        )
        assert server.request_count == sent
    assert stats["llm_requests"] == 0 and stats["cache_hits"] == 6
    assert second.equals(first)


def test_cache_opt_out_asks_again(tmp_path: Path) -> None:
    chunks = make_chunks(2)
    with FakeOpenAIServer() as server:
        settings = settings_for(server.base_url, cache_enabled=False)
        for _ in range(2):
            generate_pairs_llm(
                chunks, settings=settings, cache_root=str(tmp_path), document_key="d"
            )
        assert server.request_count == 4
    assert not any(tmp_path.iterdir())


def test_injected_429s_and_500s_still_give_every_chunk_its_pairs(tmp_path: Path) -> None:
    chunks = make_chunks(30)
    faults = FaultPlan(rate_429=0.2, rate_500=0.1, retry_after_s=0.01, seed=7, max_consecutive=3)
    with FakeOpenAIServer(faults=faults) as server:
        pairs, stats = generate_pairs_llm(
            chunks,
            settings=settings_for(server.base_url),
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
            settings=settings_for(server.base_url, max_retries=1),
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
            settings=settings_for(server.base_url, max_reasks=1, max_failure_rate=0.5),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
    message = str(raised.value)
    assert "'manual.pdf'" in message and "4 of 4" in message and "malformed_output=4" in message


def test_server_down_raises_llm_unavailable(tmp_path: Path) -> None:
    with pytest.raises(LLMUnavailable, match=r"manual\.pdf"):
        generate_pairs_llm(
            make_chunks(3),
            settings=settings_for(unused_loopback_url(), max_retries=1),
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
            settings=settings_for(server.base_url, knowledge_augmentation=True),
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
                {
                    "question": "How much does the pump deliver?",
                    "answer": "40 litres per minute",
                    "question_type": "lookup",
                    "evidence": "invented",
                }
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


# --- pairs that would fail the qa_pairs suite's row rules -------------------------------------

GOOD = {
    "question": "What flow rate does the pump deliver?",
    "answer": "It delivers 40 litres per minute.",
    "question_type": "numeric",
    "evidence": "",
}


def _pair(**overrides: Any) -> dict[str, Any]:
    return GOOD | overrides


def test_parse_pairs_drops_each_pair_that_breaks_a_suite_row_rule_and_counts_why() -> None:
    limits = CheckThresholds()
    pairs = [
        _pair(),
        _pair(question="Describe the flow rate of the pump."),  # no '?'
        _pair(question="Flow?"),  # shorter than question_min_chars
        _pair(question="Why " + "x" * limits.question_max_chars + "?"),
        _pair(question="What is the housing made of?", answer="A"),  # answer too short
        _pair(question="What is the seal interval?", answer="what is the seal  interval"),
        _pair(question="WHAT flow rate does the pump  deliver ?"),  # repeat of the first
        _pair(question="", answer="orphan answer"),
        "not a pair",
        _pair(question="Which warning light signals filter cleaning?"),
        _pair(question="How heavy is the housing?"),  # beyond the limit of 2
    ]
    drops: Counter[str] = Counter()
    kept = parse_pairs(json.dumps({"pairs": pairs}), "chunk", limit=2, drops=drops)
    assert [p["question"] for p in kept] == [
        GOOD["question"],
        "Which warning light signals filter cleaning?",
    ]
    assert drops == {
        "no_question_mark": 1,
        "question_length": 2,
        "answer_length": 1,
        "answer_is_question": 1,
        "duplicate_question": 1,
        "empty": 1,
        "not_an_object": 1,
        "over_limit": 1,
    }


def test_parse_pairs_takes_its_bounds_from_the_thresholds_it_is_given() -> None:
    reply = json.dumps({"pairs": [_pair()]})
    assert parse_pairs(reply, "chunk", limit=3)
    strict = CheckThresholds(question_min_chars=100)
    drops: Counter[str] = Counter()
    with pytest.raises(MalformedOutput, match=r"outside 100\.\.500 chars"):
        parse_pairs(reply, "chunk", limit=3, thresholds=strict, drops=drops)
    assert drops == {"question_length": 1}


def test_quotes_around_a_question_or_its_mark_do_not_cost_the_pair() -> None:
    assert clean_question('  "What is  the flow rate?" ') == "What is the flow rate?"
    assert clean_question("\u201cWhat is the flow rate?\u201d") == "What is the flow rate?"
    # The suite wants '?' last: a mark inside closing quotes is moved after them.
    assert clean_question('What is meant by "ready?"') == 'What is meant by "ready"?'
    assert clean_question('"Ready?" or "steady"') == '"Ready?" or "steady"'  # not a wrapper
    reply = json.dumps({"pairs": [_pair(question='What does "XR-100" stand for?"')]})
    (pair,) = parse_pairs(reply, "chunk", limit=3)
    assert pair["question"] == 'What does "XR-100" stand for"?'


def _one_bad_question(body: dict[str, Any]) -> dict[str, Any] | None:
    """Default pairs, with the second question of chunk XR-101 ending in '.'."""
    if prompt_kind(body) != "generate" or "XR-101 pump" not in json.dumps(body):
        return None
    reply = default_generation(body)
    reply["pairs"][1]["question"] = reply["pairs"][1]["question"].rstrip("?") + "."
    return reply


def test_a_question_without_a_mark_is_dropped_and_its_siblings_kept(tmp_path: Path) -> None:
    chunks = make_chunks(3)
    with FakeOpenAIServer(handler=_one_bad_question) as server:
        pairs, stats = generate_pairs_llm(
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="d",
        )
        assert server.kind_counts["generate"] == 3  # a partly good reply is not re-asked
    assert pairs["error"].isna().all()
    assert pairs.groupby("chunk_id").size().to_dict() == {
        "manual.pdf#0": 3,
        "manual.pdf#1": 2,
        "manual.pdf#2": 3,
    }
    assert pairs["question"].str.endswith("?").all()
    assert stats["pairs"] == 8 and stats["failed_chunks"] == 0
    assert stats["pairs_dropped"] == {"no_question_mark": 1}


def test_a_question_repeated_by_a_later_chunk_is_kept_once(tmp_path: Path) -> None:
    chunks = make_chunks(4)
    repeated = "Which maintenance interval applies to every XR pump?"

    def handler(body: dict[str, Any]) -> dict[str, Any] | None:
        if prompt_kind(body) != "generate":
            return None
        reply = default_generation(body)
        # Chunks 1 and 3 both ask it, with different case and spacing.
        if "XR-101 pump" in json.dumps(body):
            reply["pairs"][0]["question"] = repeated
        if "XR-103 pump" in json.dumps(body):
            reply["pairs"][2]["question"] = (
                "  which maintenance  interval applies to every XR pump ?"
            )
        return reply

    with FakeOpenAIServer(handler=handler) as server:
        pairs, stats = generate_pairs_llm(
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="d",
        )
    keys = pairs["question"].str.casefold().str.split().str.join(" ").str.rstrip(" ?")
    assert keys.is_unique
    holder = pairs.loc[pairs["question"] == repeated, "chunk_id"]
    assert holder.tolist() == ["manual.pdf#1"]  # the first chunk in reading order keeps it
    assert len(pairs) == 11 and pairs["error"].isna().all()
    assert stats["pairs_dropped"] == {"duplicate_question": 1}


def _echo_chunk_zero(last: str) -> Any:
    """A handler whose chunk `last` repeats chunk XR-100's questions word for word."""
    first: dict[str, Any] = {}
    lock = threading.Lock()

    def handler(body: dict[str, Any]) -> dict[str, Any] | None:
        if prompt_kind(body) != "generate":
            return None
        reply = default_generation(body)
        if "XR-100 pump" in json.dumps(body):
            with lock:
                first["pairs"] = reply["pairs"]
            return reply
        if f"{last} pump" in json.dumps(body):
            # Requests run concurrently: wait for chunk 0's pairs to echo them.
            for _ in range(200):
                with lock:
                    if "pairs" in first:
                        return {"pairs": first["pairs"]}
                threading.Event().wait(0.01)
        return reply

    return handler


def test_a_chunk_whose_every_pair_repeats_earlier_chunks_is_dropped_not_failed(
    tmp_path: Path,
) -> None:
    chunks = make_chunks(6)
    with FakeOpenAIServer(handler=_echo_chunk_zero("XR-105")) as server:
        pairs, stats = generate_pairs_llm(
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="d",
        )
    assert pairs["error"].isna().all()
    assert "manual.pdf#5" not in set(pairs["chunk_id"])
    assert stats["failed_chunks"] == 0 and stats["pairs"] == 15
    assert stats["pairs_dropped"] == {"duplicate_question": 3}
    assert stats["duplicates_dropped"] == 3 and stats["chunks_only_duplicates"] == 1


def test_repeated_questions_of_one_chunk_do_not_cost_a_small_document(tmp_path: Path) -> None:
    # One chunk of four is 25%, above the 20% failure threshold: counted as a failed chunk it
    # would lose the whole document, although every reply was usable.
    chunks = make_chunks(4)
    with FakeOpenAIServer(handler=_echo_chunk_zero("XR-103")) as server:
        pairs, stats = generate_pairs_llm(
            chunks,
            settings=settings_for(server.base_url, max_failure_rate=0.2),
            cache_root=str(tmp_path),
            document_key="d",
        )
        assert server.kind_counts["generate"] == 4  # nothing re-asked or retried
    keys = pairs["question"].str.casefold().str.split().str.join(" ")
    assert keys.is_unique and len(pairs) == 9
    assert set(pairs["chunk_id"]) == {"manual.pdf#0", "manual.pdf#1", "manual.pdf#2"}
    assert pairs["error"].isna().all()
    assert stats["failed_chunks"] == 0 and stats["failure_rate"] == 0.0
    assert stats["duplicates_dropped"] == 3
    assert stats["pairs_dropped"] == {"duplicate_question": 3}


def test_a_reply_with_no_usable_pair_is_re_asked_naming_the_reasons(tmp_path: Path) -> None:
    chunks = make_chunks(5)

    def handler(body: dict[str, Any]) -> dict[str, Any] | None:
        if prompt_kind(body) == "generate" and "XR-102 pump" in json.dumps(body):
            reply = default_generation(body)
            for pair in reply["pairs"]:
                pair["question"] = pair["question"].rstrip("?") + "."
            return reply
        return None

    with FakeOpenAIServer(handler=handler) as server:
        pairs, stats = generate_pairs_llm(
            chunks,
            settings=settings_for(server.base_url, max_reasks=1),
            cache_root=str(tmp_path),
            document_key="d",
        )
    (reask,) = (
        r["messages"][-1]["content"]
        for r in server.requests
        if any(m["role"] == "assistant" for m in r["messages"])
    )
    assert "3 had a question not ending with '?'" in reask
    failed = pairs[pairs["error"].notna()]
    assert failed["chunk_id"].tolist() == ["manual.pdf#2"]
    assert failed["error"].iloc[0].startswith("malformed_output")
    assert stats["failed_chunks"] == 1 and stats["reasks"] == 1
    assert stats["pairs_dropped"] == {"no_question_mark": 3}


def test_a_reply_cut_at_max_tokens_is_re_asked_with_more_room(tmp_path: Path) -> None:
    chunks = make_chunks(2)
    # The default reply for these chunks is ~174 tokens: 120 cuts it, twice that does not.
    with FakeOpenAIServer(enforce_max_tokens=True) as server:
        pairs, stats = generate_pairs_llm(
            chunks,
            settings=settings_for(server.base_url, max_tokens=120, max_reasks=1),
            cache_root=str(tmp_path),
            document_key="d",
        )
        limits = sorted(r["max_tokens"] for r in server.requests)
    assert limits == [120, 120, 240, 240]
    assert pairs["error"].isna().all() and len(pairs) == 6
    assert stats["reasks"] == 2 and stats["failed_chunks"] == 0
