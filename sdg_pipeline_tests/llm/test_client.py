"""LLMClient against the loopback server: retries, Retry-After, re-asks, format fallback,
concurrency, endpoint failures. Every request goes through the real openai SDK over HTTP."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

from sdg_pipeline.llm.cache import ResponseCache
from sdg_pipeline.llm.client import (
    LLMBudgetExceeded,
    LLMClient,
    LLMSettings,
    LLMUnavailable,
    RowFailure,
    backoff_delay,
    retry_after_seconds,
    run_sync,
)
from sdg_pipeline.llm.json_output import MalformedOutput, parse_json_object
from sdg_pipeline_tests.fake_openai_server import (
    FakeOpenAIServer,
    Reply,
    fast_settings,
    unused_loopback_url,
)

SCHEMA = {"type": "object", "properties": {"items": {"type": "array"}}, "required": ["items"]}


def settings_for(base_url: str, **overrides: Any) -> LLMSettings:
    values = {"model": "fake-model", "max_retries": 4, "retry_max_delay_s": 0.5}
    return fast_settings(base_url, **(values | overrides))


def parse_items(text: str) -> list[Any]:
    items = parse_json_object(text, "items")["items"]
    if not items:
        raise MalformedOutput("items was empty")
    return items


def ask(
    settings: LLMSettings, prompts: list[str], cache: ResponseCache | None = None
) -> tuple[list[Any], LLMClient]:
    """Send each prompt concurrently; failures come back as the exception object."""

    async def main() -> tuple[list[Any], LLMClient]:
        async with LLMClient(settings, cache=cache, document_key="doc.pdf") as client:

            async def one(prompt: str) -> Any:
                try:
                    return await client.complete_json(
                        kind="other",
                        model=await client.generator_model(),
                        messages=[{"role": "user", "content": prompt}],
                        schema_name="items",
                        schema=SCHEMA,
                        prompt_version="t1",
                        temperature=0.0,
                        parse=parse_items,
                    )
                except RowFailure as failure:
                    return failure

            results = await asyncio.gather(*(one(p) for p in prompts))
        return results, client

    return run_sync(main)


def items_reply(*values: Any) -> Reply:
    return Reply.json({"items": list(values)})


def test_rate_limit_is_retried_after_the_servers_retry_after() -> None:
    with FakeOpenAIServer() as server:
        server.script(Reply.error(429, "slow down", retry_after=0.4), items_reply(1))
        started = time.perf_counter()
        (result,), client = ask(settings_for(server.base_url), ["p"])
        elapsed = time.perf_counter() - started
    assert result == [1]
    assert server.request_count == 2
    assert client.stats.retries == 1
    assert client.stats.retry_reasons == {"http_429": 1}
    # The exponential backoff alone would wait ~0.01 s; the server asked for 0.4 s.
    assert elapsed >= 0.4


def test_server_errors_timeouts_and_garbage_bodies_are_retried() -> None:
    with FakeOpenAIServer() as server:
        server.script(
            Reply.error(500, "boom"),
            Reply.error(503, "overloaded"),
            Reply.hang(5.0),
            Reply.garbage_body(),
            items_reply("ok"),
        )
        (result,), client = ask(settings_for(server.base_url, request_timeout_s=0.3), ["p"])
    assert result == ["ok"]
    assert server.request_count == 5
    assert client.stats.retry_reasons == {
        "http_500": 1,
        "http_503": 1,
        "timeout": 1,
        "bad_response": 1,
    }


def test_a_request_that_keeps_failing_becomes_a_row_failure_after_the_budget() -> None:
    with FakeOpenAIServer(handler=lambda body: Reply.error(500, "always")) as server:
        (result,), client = ask(settings_for(server.base_url, max_retries=2), ["p"])
    assert isinstance(result, RowFailure)
    assert result.kind == "http_500"
    assert server.request_count == 3  # one try + two retries, then stop
    assert client.stats.errors_by_kind == {"http_500": 1}


def test_malformed_and_truncated_replies_are_reasked_with_the_problem_named() -> None:
    full = json.dumps({"items": [1, 2, 3]})
    with FakeOpenAIServer() as server:
        server.script(Reply.garbage_content(), Reply.truncated(full), Reply.text(full))
        (result,), client = ask(settings_for(server.base_url, max_reasks=2), ["p"])
    assert result == [1, 2, 3]
    assert client.stats.reasks == 2
    last = server.requests[-1]["messages"]
    # The re-ask shows the model its bad reply and says what was wrong with it.
    assert last[-2]["role"] == "assistant"
    assert "cut off" in last[-1]["content"]


def test_a_reply_cut_at_the_token_limit_is_re_asked_with_a_larger_one() -> None:
    cut = Reply.text('{"items": [1, 2', finish_reason="length")
    with FakeOpenAIServer() as server:
        server.script(cut, cut, cut, cut, items_reply(1, 2, 3))
        (result,), client = ask(settings_for(server.base_url, max_tokens=100, max_reasks=4), ["p"])
    assert result == [1, 2, 3]
    # Doubled on each cut, up to four times the configured limit.
    assert [r["max_tokens"] for r in server.requests] == [100, 200, 400, 400, 400]
    assert client.stats.reasks == 4
    assert "100-token limit" in server.requests[1]["messages"][-1]["content"]


def test_a_usable_reply_is_taken_even_when_the_server_says_it_was_cut() -> None:
    with FakeOpenAIServer() as server:
        server.script(Reply.text('{"items": [5]} and then some prose that ra', "length"))
        (result,), client = ask(settings_for(server.base_url, max_tokens=100), ["p"])
    assert result == [5] and client.stats.reasks == 0


def test_reasks_are_bounded() -> None:
    with FakeOpenAIServer(handler=lambda body: Reply.text("")) as server:
        (result,), _ = ask(settings_for(server.base_url, max_reasks=1), ["p"])
    assert isinstance(result, RowFailure) and result.kind == "malformed_output"
    assert "empty" in result.detail
    assert server.request_count == 2


def test_rejected_json_schema_falls_back_to_json_object_once() -> None:
    with FakeOpenAIServer(
        reject_response_formats=("json_schema",), handler=lambda body: {"items": [7]}
    ) as server:
        results, client = ask(settings_for(server.base_url, max_concurrency=1), ["a", "b", "c"])
    assert results == [[7], [7], [7]]
    assert client.stats.response_format == "json_object"
    assert client.stats.format_fallbacks == 1
    formats = [(r.get("response_format") or {}).get("type") for r in server.requests]
    assert formats == ["json_schema", "json_object", "json_object", "json_object"]


def test_server_without_response_format_gets_plain_prompts_and_fenced_json_is_parsed() -> None:
    with FakeOpenAIServer(
        reject_response_formats=("json_schema", "json_object"),
        handler=lambda body: {"items": ["x"]},
    ) as server:
        (result,), client = ask(settings_for(server.base_url), ["p"])
    assert result == ["x"]
    assert client.stats.response_format == "plain"
    assert "response_format" not in server.requests[-1]


def test_requests_run_concurrently_up_to_the_limit() -> None:
    with FakeOpenAIServer(latency_s=0.2, handler=lambda body: {"items": [1]}) as server:
        results, _ = ask(
            settings_for(server.base_url, max_concurrency=16), [str(i) for i in range(40)]
        )
    assert all(r == [1] for r in results)
    # All sixteen slots were used at once, and never more.
    assert server.max_in_flight == 16


def test_unwritable_cache_degrades_to_asking_the_model(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache folder should be")
    with FakeOpenAIServer(handler=lambda body: {"items": [1]}) as server:
        (result,), client = ask(settings_for(server.base_url), ["p"], ResponseCache(str(blocker)))
    assert result == [1]
    assert client.stats.cache_errors == 2  # the read and the write both failed, loudly


def test_server_down_fails_with_a_clear_error_after_the_retry_budget() -> None:
    url = unused_loopback_url()
    with pytest.raises(LLMUnavailable) as raised:
        ask(settings_for(url, max_retries=2), ["p"])
    message = str(raised.value)
    assert "unreachable" in message and "doc.pdf" in message and "3 attempts" in message
    assert url.split("//")[1].split("/")[0] in message


def test_model_is_discovered_from_the_endpoint_when_not_configured() -> None:
    with FakeOpenAIServer(models=("served-model",), handler=lambda b: {"items": [1]}) as server:
        ask(settings_for(server.base_url, model=None), ["p"])
    assert server.requests[0]["model"] == "served-model"


def test_cache_hit_sends_nothing(tmp_path: Path) -> None:
    with FakeOpenAIServer(handler=lambda body: {"items": [1]}) as server:
        cache = ResponseCache(str(tmp_path))
        ask(settings_for(server.base_url), ["p", "q"], cache)
        assert server.request_count == 2
        (first, second), client = ask(settings_for(server.base_url), ["p", "q"], cache)
    assert (first, second) == ([1], [1])
    assert server.request_count == 2
    assert client.stats.cache_hits == 2 and client.stats.requests == 0


def test_budget_stops_requests_once_spent() -> None:
    with FakeOpenAIServer(handler=lambda body: {"items": [1]}) as server:
        settings = settings_for(
            server.base_url, price_in_per_1k=1000.0, run_budget_usd=0.001, max_concurrency=1
        )

        async def main() -> None:
            async with LLMClient(settings, document_key="doc.pdf", budget_scope="run-x") as c:
                for prompt in ("a", "b"):
                    await c.complete_json(
                        kind="other",
                        model="fake-model",
                        messages=[{"role": "user", "content": prompt}],
                        schema_name="items",
                        schema=SCHEMA,
                        prompt_version="t1",
                        temperature=0.0,
                        parse=parse_items,
                    )

        with pytest.raises(LLMBudgetExceeded, match=r"doc\.pdf"):
            run_sync(main)
    assert server.request_count == 1


def test_retry_after_parsing_and_backoff_bounds() -> None:
    assert retry_after_seconds({"retry-after": "2"}) == 2.0
    assert retry_after_seconds({"retry-after-ms": "250"}) == 0.25
    assert retry_after_seconds({}) is None
    delays = [backoff_delay(3, base_s=0.5, cap_s=30.0) for _ in range(50)]
    assert all(2.0 <= d <= 4.0 for d in delays) and len(set(delays)) > 1  # jittered
    assert backoff_delay(10, base_s=0.5, cap_s=3.0) <= 3.0
    assert 1.0 <= backoff_delay(0, base_s=0.5, cap_s=30.0, retry_after_s=1.0) <= 1.2


def test_sync_entry_point_also_works_inside_a_running_event_loop() -> None:
    with FakeOpenAIServer(handler=lambda body: {"items": [1]}) as server:

        async def caller() -> list[Any]:
            # e.g. a notebook or an async framework calling the sync API
            results, _ = ask(settings_for(server.base_url), ["p"])
            return results

        assert asyncio.run(caller()) == [[1]]
