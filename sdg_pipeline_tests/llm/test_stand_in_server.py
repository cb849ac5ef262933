"""The loopback stand-in's own behaviours that benchmarks rely on."""

from __future__ import annotations

import json
import urllib.request

from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer, _approx_tokens


def _ask(server: FakeOpenAIServer, text: str) -> str:
    request = urllib.request.Request(
        f"{server.base_url}/chat/completions",
        data=json.dumps(
            {"model": "fake-model", "messages": [{"role": "user", "content": text}]}
        ).encode(),
        headers={"Content-Type": "application/json", "Authorization": "Bearer k"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["choices"][0]["message"]["content"]


def test_a_reply_waits_in_proportion_to_its_output_tokens() -> None:
    replies = ["short reply.", "a much longer reply " * 40]
    with FakeOpenAIServer(seconds_per_output_token=0.001, handler=lambda body: None) as server:
        server.script(*replies)
        contents = [_ask(server, "q") for _ in replies]
        waited = server.counters()["decode_wait_s"]
    assert contents == replies
    expected = sum(_approx_tokens(r) for r in replies) * 0.001
    assert abs(waited - expected) < 1e-6 and _approx_tokens(replies[1]) > 10 * _approx_tokens(
        replies[0]
    )


def test_without_a_token_rate_nothing_waits() -> None:
    with FakeOpenAIServer() as server:
        server.script("a reply.")
        _ask(server, "q")
        assert server.counters()["decode_wait_s"] == 0.0
