"""LLM judging against the raw chunk, combined with the deterministic grounding checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sdg_pipeline.generate.llm import generate_pairs_llm
from sdg_pipeline.judge.llm import (
    JudgeThresholds,
    generate_and_judge,
    judge_pairs_llm,
    parse_verdicts,
    resolve_thresholds,
)
from sdg_pipeline.llm.client import LLMFailureRateExceeded, LLMSettings
from sdg_pipeline.llm.json_output import MalformedOutput
from sdg_pipeline.llm.prompts import JUDGE_PROMPT_VERSION
from sdg_pipeline.schemas import JUDGED_PAIRS
from sdg_pipeline_tests.fake_openai_server import (
    FakeOpenAIServer,
    FaultPlan,
    Reply,
    fast_settings,
    make_chunks,
    prompt_kind,
)


def settings_for(base_url: str, **overrides: Any) -> LLMSettings:
    values = {"model": "gen-model", "judge_model": "judge-model", "max_concurrency": 16}
    return fast_settings(base_url, **(values | overrides))


def always_supported(body: dict[str, Any]) -> dict[str, Any] | None:
    """A lenient judge: every pair is 'supported', relevant and standalone."""
    if prompt_kind(body) != "judge":
        return None
    count = json.dumps(body).count("<pair id=")
    return {
        "verdicts": [
            {
                "id": i,
                "faithfulness": "supported",
                "relevancy": 5,
                "standalone": 5,
                "reason": "looks faithful",
            }
            for i in range(1, count + 1)
        ]
    }


def pairs_for(chunks: pd.DataFrame, questions_answers: list[tuple[str, str]]) -> pd.DataFrame:
    chunk = chunks.iloc[0]
    rows = [
        {
            "pair_id": f"p{i}",
            "chunk_id": chunk["chunk_id"],
            "document_key": chunk["document_key"],
            "content_hash": chunk["content_hash"],
            "question": q,
            "answer": a,
            "question_type": "numeric",
            "evidence": None,
            "generator": "llm",
            "model": "gen-model",
            "prompt_version": "x",
            "error": None,
        }
        for i, (q, a) in enumerate(questions_answers)
    ]
    return pd.DataFrame(rows)


def checkable(i: int) -> tuple[str, str]:
    """A pair of `make_chunks(...)`'s chunk i that passes the deterministic checks, so it
    reaches the judge."""
    return (
        f"How many litres per minute does the XR-{100 + i} pump deliver?",
        f"The XR-{100 + i} pump delivers {40 + i} litres per minute.",
    )


def test_hallucinated_number_is_rejected_even_when_the_judge_says_supported(
    tmp_path: Path,
) -> None:
    chunks = make_chunks(1)  # the XR-100 pump delivers 40 litres per minute
    pairs = pairs_for(
        chunks,
        [
            ("How many litres per minute does the XR-100 pump deliver?", "It delivers 45 litres."),
            # another question: a repeated one fails as repeated, whatever its answer
            ("What flow rate does the XR-100 pump deliver?", "It delivers 40 litres."),
        ],
    )
    with FakeOpenAIServer(handler=always_supported) as server:
        judged, stats = judge_pairs_llm(
            pairs,
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
        (request,) = server.requests
    hallucinated, faithful = judged.to_dict("records")
    # This judge calls everything supported: the deterministic check rejects the pair before
    # the judge is asked, so its "supported" cannot pass it (nor cost a request's tokens).
    assert "45 litres" not in json.dumps(request) and "40 litres" in json.dumps(request)
    assert pd.isna(hallucinated["faithfulness_label"])
    assert hallucinated["grounding_ok"] is False
    assert "45" in hallucinated["grounding_issues"] and "45" in hallucinated["reasons"]
    assert hallucinated["passed"] is False
    assert faithful["grounding_ok"] is True and faithful["passed"] is True, faithful["reasons"]
    assert faithful["faithfulness_label"] == "supported"
    assert stats["grounding_rejections"] == 1 and stats["passed_pairs"] == 1
    assert stats["judged_pairs"] == 2 and stats["sent_to_judge"] == 1


def test_judge_sees_the_raw_chunk_not_a_summary(tmp_path: Path) -> None:
    chunks = make_chunks(1)
    pairs = pairs_for(
        chunks, [("What does the XR-100 housing weigh?", "The XR-100 housing weighs 12 kg.")]
    )
    with FakeOpenAIServer() as server:
        judge_pairs_llm(
            pairs,
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
    (request,) = server.requests
    assert request["model"] == "judge-model"
    assert f"<source>\n{chunks['text'].iloc[0]}\n</source>" in request["messages"][1]["content"]


def test_question_leaning_on_the_document_fails_even_if_the_judge_calls_it_standalone(
    tmp_path: Path,
) -> None:
    chunks = make_chunks(1)
    pairs = pairs_for(chunks, [("According to the document, what does the pump weigh?", "12 kg.")])
    with FakeOpenAIServer(handler=always_supported) as server:
        judged, _ = judge_pairs_llm(
            pairs,
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
        assert server.request_count == 0  # the only pair failed before any judge was asked
    row = judged.iloc[0]
    assert not row["passed"] and pd.isna(row["standalone"])
    assert "standalone" in row["reasons"]


def test_scores_labels_and_thresholds(tmp_path: Path) -> None:
    chunks = make_chunks(1)
    pairs = pairs_for(
        chunks, [("What does the XR-100 housing weigh?", "The XR-100 housing weighs 12 kg.")]
    )

    def partial(body: dict[str, Any]) -> dict[str, Any]:
        return {
            "verdicts": [
                {
                    "id": 1,
                    "faithfulness": "partially supported",
                    "relevancy": 4,
                    "standalone": 3,
                    "reason": "misses the unit",
                }
            ]
        }

    with FakeOpenAIServer(handler=partial) as server:
        strict, _ = judge_pairs_llm(
            pairs,
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
        lenient, _ = judge_pairs_llm(
            pairs,
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
            thresholds={"min_faithfulness": 0.5, "min_standalone": 0.5},
        )
        assert server.request_count == 1  # thresholds are applied after the (cached) verdict
    row = strict.iloc[0]
    assert (row["faithfulness"], row["faithfulness_label"]) == (0.5, "partial")
    assert (row["relevancy"], row["standalone"]) == (0.75, 0.5)
    assert not row["passed"] and "misses the unit" in row["reasons"]
    assert lenient.iloc[0]["passed"]
    assert list(strict.columns) == JUDGED_PAIRS.names
    assert set(strict["judge_prompt_version"]) == {JUDGE_PROMPT_VERSION}


def test_changing_only_the_judge_model_reruns_only_judging(tmp_path: Path) -> None:
    chunks = make_chunks(5)
    with FakeOpenAIServer() as server:
        settings = settings_for(server.base_url)
        pairs, _ = generate_pairs_llm(
            chunks, settings=settings, cache_root=str(tmp_path), document_key="manual.pdf"
        )
        judge_pairs_llm(
            pairs, chunks, settings=settings, cache_root=str(tmp_path), document_key="d"
        )
        # five chunks written from and judged four to a request: two requests each
        assert server.kind_counts == {"generate": 2, "judge": 2}
        server.reset_counts()

        other_judge = settings_for(server.base_url, judge_model="judge-model-2")
        again, _ = generate_pairs_llm(
            chunks, settings=other_judge, cache_root=str(tmp_path), document_key="manual.pdf"
        )
        judged, _ = judge_pairs_llm(
            again, chunks, settings=other_judge, cache_root=str(tmp_path), document_key="d"
        )
        assert server.kind_counts == {"judge": 2}
    assert set(judged["judge_model"]) == {"judge-model-2"}


def test_incomplete_verdicts_are_reasked() -> None:
    with pytest.raises(MalformedOutput, match=r"pair ids \[2\]"):
        parse_verdicts(
            json.dumps(
                {
                    "verdicts": [
                        {"id": 1, "faithfulness": "supported", "relevancy": 5, "standalone": 5}
                    ]
                }
            ),
            2,
        )
    with pytest.raises(MalformedOutput, match="faithfulness"):
        parse_verdicts(
            json.dumps(
                {"verdicts": [{"id": 1, "faithfulness": "maybe", "relevancy": 5, "standalone": 5}]}
            ),
            1,
        )


def test_generation_error_rows_pass_through_unjudged_and_failed_judging_is_recorded(
    tmp_path: Path,
) -> None:
    chunks = make_chunks(10)
    pairs = pd.concat([pairs_for(chunks.iloc[[i]], [checkable(i)]) for i in range(10)])
    pairs.iloc[0, pairs.columns.get_loc("error")] = "http_500: gave up"
    broken = chunks["text"].iloc[5]

    def handler(body: dict[str, Any]) -> Reply | None:
        return Reply.garbage_content() if broken in json.dumps(body) else None

    with FakeOpenAIServer(handler=handler) as server:
        judged, stats = judge_pairs_llm(
            pairs,
            chunks,
            # one chunk a request, so the broken reply is chunk 5's alone
            settings=settings_for(server.base_url, max_reasks=0, judge_chunks_per_request=1),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
        assert server.kind_counts == {"judge": 9}
    by_chunk = judged.set_index("chunk_id")
    assert by_chunk.loc[chunks["chunk_id"].iloc[0], "judge_error"] == "generation failed"
    assert by_chunk.loc[chunks["chunk_id"].iloc[5], "judge_error"].startswith("malformed_output")
    assert not judged.iloc[[0, 5]]["passed"].any()
    assert stats["failed_judgements"] == 1


def test_judging_failure_rate_above_threshold_raises(tmp_path: Path) -> None:
    chunks = make_chunks(2)
    pairs = pd.concat([pairs_for(chunks.iloc[[i]], [checkable(i)]) for i in range(2)])
    with (
        FakeOpenAIServer(handler=lambda body: Reply.garbage_content()) as server,
        pytest.raises(LLMFailureRateExceeded, match=r"judging failed for 2 of 2"),
    ):
        judge_pairs_llm(
            pairs,
            chunks,
            settings=settings_for(server.base_url, max_reasks=0),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )


def test_pipelined_run_matches_the_separate_steps_and_shares_their_cache(tmp_path: Path) -> None:
    chunks = make_chunks(6)
    with FakeOpenAIServer(latency_s=0.01) as server:
        # the pipelined run judges each generation request's chunks as their pairs arrive, in
        # the packs the separate judge step makes: six chunks, four to a request, both ways
        settings = settings_for(server.base_url)
        pairs, judged, stats = generate_and_judge(
            chunks, settings=settings, cache_root=str(tmp_path), document_key="manual.pdf"
        )
        assert server.kind_counts == {"generate": 2, "judge": 2}
        separate_pairs, _ = generate_pairs_llm(
            chunks, settings=settings, cache_root=str(tmp_path), document_key="manual.pdf"
        )
        separate_judged, _ = judge_pairs_llm(
            separate_pairs,
            chunks,
            settings=settings,
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
        assert server.request_count == 4
    assert separate_pairs.equals(pairs)
    assert separate_judged.equals(judged)
    assert stats["requests_by_kind"] == {"generate": 2, "judge": 2}
    assert stats["passed_pairs"] == 18


def test_pipelined_run_one_chunk_a_request(tmp_path: Path) -> None:
    chunks = make_chunks(6)
    with FakeOpenAIServer(latency_s=0.01) as server:
        settings = settings_for(
            server.base_url, judge_chunks_per_request=1, generation_chunks_per_request=1
        )
        _, judged, stats = generate_and_judge(
            chunks, settings=settings, cache_root=str(tmp_path), document_key="manual.pdf"
        )
        assert server.kind_counts == {"generate": 6, "judge": 6}
    assert stats["passed_pairs"] == 18 and len(judged) == 18


def test_thresholds_accept_objects_dicts_and_none() -> None:
    class Config:
        min_relevancy = 0.75

    assert resolve_thresholds(None) == JudgeThresholds()
    assert resolve_thresholds(Config()).min_relevancy == 0.75
    assert resolve_thresholds({"min_standalone": 0.25}).min_standalone == 0.25


def test_pipelined_run_survives_injected_429s_and_500s_without_gaps_or_duplicates(
    tmp_path: Path,
) -> None:
    chunks = make_chunks(20)
    faults = FaultPlan(rate_429=0.2, rate_500=0.1, retry_after_s=0.01, seed=3)
    with FakeOpenAIServer(faults=faults) as server:
        pairs, judged, stats = generate_and_judge(
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="d",
        )
    assert server.status_counts[429] > 0 and server.status_counts[500] > 0
    assert stats["retries"] > 0 and stats["failed_calls"] == 0
    assert set(judged["chunk_id"]) == set(chunks["chunk_id"])
    assert judged["pair_id"].is_unique and len(judged) == len(pairs) == 20 * 3
    assert judged["judge_error"].isna().all() and judged["faithfulness_label"].notna().all()


def test_first_judge_requests_go_out_while_later_chunks_are_still_being_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deterministic checks are CPU work in the event loop: run for every chunk before the
    first request, they left the endpoint idle for their whole duration (seconds at 100
    documents). Each chunk's request now follows its own checks."""
    import time

    import sdg_pipeline.judge.llm as judge_llm

    chunks = make_chunks(12)
    rows = []
    for i, chunk in enumerate(chunks.to_dict("records")):
        one = pairs_for(chunks.iloc[[i]], [checkable(i)]).iloc[0].to_dict()
        rows.append(one | {"pair_id": f"p{i}", "chunk_id": chunk["chunk_id"]})
    pairs = pd.DataFrame(rows)
    checked_at: list[float] = []
    real = judge_llm.check_chunk

    def timed(chunk_text, group):
        result = real(chunk_text, group)
        time.sleep(0.02)  # checks that take a while, as ten pairs of a long chunk do
        checked_at.append(time.monotonic())
        return result

    monkeypatch.setattr(judge_llm, "check_chunk", timed)
    with FakeOpenAIServer(handler=always_supported, latency_s=0.05) as server:
        judged, stats = judge_pairs_llm(
            pairs,
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
        first_arrival = min(arrived for arrived, _ in server.intervals)
    assert stats["sent_to_judge"] == 12 and judged["passed"].all()
    assert len(checked_at) == 12
    # the server saw a request before the checks of the last chunks had finished
    assert first_arrival < sorted(checked_at)[-3]


def test_pack_chunks_keeps_order_and_both_bounds() -> None:
    from sdg_pipeline.judge.llm import ChunkPairs, pack_chunks

    short = [ChunkPairs("word " * 100, [{"q": i}]) for i in range(6)]
    assert [len(p) for p in pack_chunks(short, max_chunks=4, max_words=1200)] == [4, 2]
    assert [len(p) for p in pack_chunks(short, max_chunks=4, max_words=250)] == [2, 2, 2]
    long = ChunkPairs("word " * 2000, [])
    packs = pack_chunks([short[0], long, short[1]], max_chunks=4, max_words=1200)
    assert [len(p) for p in packs] == [1, 1, 1]  # a chunk over the budget goes alone
    flat = [c for pack in pack_chunks(short, max_chunks=3, max_words=10_000) for c in pack]
    assert flat == short


def test_consecutive_chunks_share_a_judge_request_each_pair_against_its_own_chunk(
    tmp_path: Path,
) -> None:
    import re

    from sdg_pipeline_tests.fake_openai_server import judge_sources

    chunks = make_chunks(6)
    pairs = pd.concat([pairs_for(chunks.iloc[[i]], [checkable(i)]) for i in range(6)])
    pairs["pair_id"] = [f"p{i}" for i in range(6)]
    with FakeOpenAIServer() as server:
        judged, stats = judge_pairs_llm(
            pairs,
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path / "packed"),
            document_key="manual.pdf",
        )
        bodies = [b for b in server.requests if prompt_kind(b) == "judge"]
        server.reset_counts()
        alone, _ = judge_pairs_llm(
            pairs,
            chunks,
            settings=settings_for(server.base_url, judge_chunks_per_request=1),
            cache_root=str(tmp_path / "alone"),
            document_key="manual.pdf",
        )
        assert server.kind_counts == {"judge": 6}
    assert len(bodies) == 2  # four chunks, then two
    texts = list(chunks["text"])
    for body in bodies:
        sources = judge_sources(body)
        user = body["messages"][1]["content"]
        for number, question in re.findall(
            r'<pair id="\d+" source="(\d+)">\s*<question>(.*?)<', user
        ):
            name = re.search(r"XR-\d+", question).group(0)
            assert name in sources[int(number) - 1]  # the pair's own chunk is its source
        assert all(s in texts for s in sources)
    assert judged["passed"].all() and stats["sent_to_judge"] == 6
    assert judged.drop(columns=["judge_error"]).equals(alone.drop(columns=["judge_error"]))


def test_a_top_grade_costs_no_reason_and_a_lower_one_still_says_why(tmp_path: Path) -> None:
    # Output tokens are what a real endpoint's time and price follow: the judge is asked for
    # a reason only when something is wrong, and a silent low grade still gets one of ours.
    chunks = make_chunks(1)
    pairs = pairs_for(
        chunks, [checkable(0), (checkable(0)[0].replace("many", "much"), checkable(0)[1])]
    )

    def handler(body: dict[str, Any]) -> Any:
        if prompt_kind(body) != "judge":
            return None
        return {
            "verdicts": [
                {
                    "id": 1,
                    "faithfulness": "supported",
                    "relevancy": 5,
                    "standalone": 5,
                    "reason": "",
                },
                {"id": 2, "faithfulness": "partial", "relevancy": 5, "standalone": 5, "reason": ""},
            ]
        }

    with FakeOpenAIServer(handler=handler) as server:
        judged, _ = judge_pairs_llm(
            pairs,
            chunks,
            settings=settings_for(server.base_url),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
        system = server.requests[0]["messages"][0]["content"]
    assert 'reason: "" when the pair is supported with both grades 5' in system
    first, second = judged.to_dict("records")
    assert first["passed"] and pd.isna(first["reasons"])
    assert not second["passed"] and second["reasons"] == "below thresholds"
