"""A loopback OpenAI-compatible server for tests and benchmarks.

Serves POST /v1/chat/completions (with a `usage` block, JSON mode, optional rejection of
response_format) and GET /v1/models on 127.0.0.1 and an ephemeral port. By default it answers
the pipeline's own prompts plausibly: a generation prompt gets grounded QA JSON built from the
passage in the prompt, a key-facts prompt gets the passage's sentences, a judge prompt gets a
lexical verdict per pair; the recipe steps' prompts (summary, conversation, restyle, evolve,
rubric) get replies of their shape built from the passage and pairs. Tests change that per
request with a handler callable or a scripted queue, and inject faults (429 with Retry-After,
500, hangs, garbage bodies, garbage or truncated model output) at given rates, or cut replies
at the request's max_tokens. Threads serve requests concurrently; a fixed latency is added to
every chat request.

    with FakeOpenAIServer(latency_s=0.2) as server:
        settings = LLMSettings(base_url=server.base_url, api_key=SecretStr("test"))
        ...
        assert server.request_count == 0

Run standalone: python -m sdg_pipeline_tests.fake_openai_server --port 8000 --latency 0.2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sdg_pipeline.llm.prompts import TASK_FACTS, TASK_GENERATE, TASK_JUDGE
from sdg_pipeline.llm.recipe_prompts import (
    TASK_CONVERSATION,
    TASK_EVOLVE,
    TASK_RESTYLE,
    TASK_RUBRIC,
    TASK_SUMMARY,
)

# ---------------------------------------------------------------------------------------------
# Replies


@dataclass
class Reply:
    """What the server sends for one chat request. `content` is the model's text for a 200;
    `body` replaces the whole HTTP body (garbage); `hang_s` stalls before answering."""

    status: int = 200
    content: str | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    finish_reason: str = "stop"
    hang_s: float = 0.0
    include_usage: bool = True

    @classmethod
    def text(cls, content: str, finish_reason: str = "stop") -> Reply:
        return cls(content=content, finish_reason=finish_reason)

    @classmethod
    def json(cls, value: Any) -> Reply:
        return cls(content=json.dumps(value))

    @classmethod
    def error(cls, status: int, message: str = "error", retry_after: float | None = None) -> Reply:
        headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
        body = json.dumps({"error": {"message": message, "type": "server_error", "code": None}})
        return cls(status=status, body=body.encode(), headers=headers)

    @classmethod
    def hang(cls, seconds: float = 30.0) -> Reply:
        return cls(hang_s=seconds, status=504, body=b'{"error": {"message": "hung"}}')

    @classmethod
    def garbage_body(cls) -> Reply:
        return cls(
            body=b"<html>502 Bad Gateway \x00\xff garbage", headers={"Content-Type": "text/html"}
        )

    @classmethod
    def garbage_content(cls) -> Reply:
        return cls(content="Sure! Here are some thoughts, but no JSON today.")

    @classmethod
    def truncated(cls, content: str) -> Reply:
        return cls(content=content[: max(1, len(content) // 2)], finish_reason="length")


Handler = Callable[[dict[str, Any]], "Reply | str | dict[str, Any] | None"]


@dataclass
class FaultPlan:
    """Random faults at given rates (per chat request). The same prompt is never faulted more
    than `max_consecutive` times in a row, so a client with a larger retry budget always gets
    through and a test stays deterministic in outcome."""

    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_hang: float = 0.0
    rate_garbage_body: float = 0.0
    rate_garbage_content: float = 0.0
    rate_truncated: float = 0.0
    retry_after_s: float | None = 0.02
    hang_s: float = 30.0
    max_consecutive: int = 3
    seed: int = 0


# ---------------------------------------------------------------------------------------------
# Default, prompt-aware answers

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MARKUP = re.compile(r"[#*_|`>]+")
_PASSAGE = re.compile(r"<passage>\n(.*?)\n</passage>", re.DOTALL)
_SOURCE = re.compile(r"<source>\n(.*?)\n</source>", re.DOTALL)
# A judge request may carry several chunks: <source id="k"> each, its pairs naming it.
_SOURCES = re.compile(r'<source(?: id="(\d+)")?>\n(.*?)\n</source>', re.DOTALL)
_PAIR = re.compile(
    r'<pair id="(\d+)"(?: source="(\d+)")?>\s*<question>(.*?)</question>\s*'
    r"<answer>(.*?)</answer>",
    re.DOTALL,
)


def judge_sources(body: dict[str, Any]) -> list[str]:
    """The raw chunk texts a judge request carries, in order."""
    return [text for _, text in _SOURCES.findall(_user_text(body))]


_COUNT = re.compile(r"Write exactly (\d+) question-answer pairs")
_TYPES = re.compile(r"question types in order: ([a-z, ]+)\.")
_SECTION = re.compile(r"^Section: (.*)$", re.MULTILINE)
_WORDS = re.compile(r"\w+")
_TEMPLATES = (
    'Regarding {topic}, what is stated about "{lead}"?',
    'Within {topic}, which details are given about "{lead}"?',
    'For {topic}, what is said concerning "{lead}"?',
    'As far as {topic} goes, what is noted on "{lead}"?',
)
# A QA prompt written from a summary (knowledge-infusion) names its kind; a real model asks
# differently from each view, so the stand-in starts from another template per view.
_VIEW = re.compile(r"The passage below is an? (detailed|extractive|atomic facts) summary")
_VIEW_OFFSET = {"detailed": 1, "extractive": 2, "atomic facts": 3}


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or set(line) <= set("|-: "):
            continue
        for sentence in _SENTENCE_END.split(line):
            sentence = sentence.strip()
            if len(_WORDS.findall(sentence)) >= 3:
                out.append(sentence)
    return out


def prompt_kind(body: dict[str, Any]) -> str:
    system = " ".join(
        str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "system"
    )
    for marker, kind in _MARKERS:
        if marker in system:
            return kind
    return "other"


_MARKERS = (
    (TASK_GENERATE, "generate"),
    (TASK_FACTS, "facts"),
    (TASK_JUDGE, "judge"),
    (TASK_SUMMARY, "summary"),
    (TASK_CONVERSATION, "conversation"),
    (TASK_RESTYLE, "restyle"),
    (TASK_EVOLVE, "evolve"),
    (TASK_RUBRIC, "rubric"),
)
_TURNS = re.compile(r"User turns: between (\d+) and (\d+)\.")


def _user_text(body: dict[str, Any]) -> str:
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    return str(users[0].get("content", "")) if users else ""


# A generation request may carry several chunks: each under "Passage k" with its own section,
# count and types, its text in <passage id="k">; every pair names its passage.
_PACKED_PASSAGE = re.compile(
    r'^Passage (\d+)\n(.*?<passage id="\1">\n.*?\n</passage>)', re.DOTALL | re.MULTILINE
)


def packed_passages(body: dict[str, Any]) -> list[tuple[int, str]]:
    """(number, that passage's part of the prompt) for a request carrying several chunks."""
    return [(int(n), part) for n, part in _PACKED_PASSAGE.findall(_user_text(body))]


def default_generation(body: dict[str, Any]) -> dict[str, Any]:
    packed = packed_passages(body)
    if packed:
        pairs = []
        for number, part in packed:
            text = re.sub(r'<passage id="\d+">', "<passage>", part)
            pairs += [{"passage": number, **p} for p in _generation_for(text)["pairs"]]
        return {"pairs": pairs}
    return _generation_for(_user_text(body))


def _generation_for(user: str) -> dict[str, Any]:
    passage = _PASSAGE.search(user) or _SOURCE.search(user)
    text = passage.group(1) if passage else user
    count_match = _COUNT.search(user)
    n = int(count_match.group(1)) if count_match else 3
    types_match = _TYPES.search(user)
    types = [t.strip() for t in types_match.group(1).split(",")] if types_match else []
    section_match = _SECTION.search(user)
    topic = section_match.group(1).split(" > ")[-1] if section_match else "the subject"
    if topic.startswith("("):
        topic = "the subject"
    sentences = _sentences(text) or [text.strip() or "No content."]
    view = _VIEW.search(user)
    offset = _VIEW_OFFSET[view.group(1)] if view else 0
    pairs = []
    for i in range(n):
        sentence = sentences[i % len(sentences)]
        lead = " ".join(_MARKUP.sub(" ", sentence).split()[:6]).strip(' ,;:."')
        template = _TEMPLATES[(i // len(sentences) + offset) % len(_TEMPLATES)]
        pairs.append(
            {
                "question": template.format(topic=topic, lead=lead),
                "answer": sentence,
                "question_type": types[i] if i < len(types) else "factual",
                # the prompt asks for the shortest span the answer rests on, not the sentence
                "evidence": " ".join(sentence.split()[:12]),
            }
        )
    return {"pairs": pairs}


def default_facts(body: dict[str, Any]) -> dict[str, Any]:
    passage = _PASSAGE.search(_user_text(body))
    return {"facts": _sentences(passage.group(1) if passage else "")[:5]}


def default_judgement(body: dict[str, Any]) -> dict[str, Any]:
    user = _user_text(body)
    sources = {number or "": text for number, text in _SOURCES.findall(user)}
    verdicts = []
    for pid, number, question, answer in _PAIR.findall(user):
        # each pair against its own source: one request may carry several chunks
        source_words = set(_WORDS.findall(sources.get(number or "", "").casefold()))
        words = _WORDS.findall(answer.casefold())
        covered = sum(w in source_words for w in words) / len(words) if words else 0.0
        label = "supported" if covered >= 0.9 else "partial" if covered >= 0.6 else "unsupported"
        leaning = re.search(r"according to|the (document|passage|text)", question, re.I)
        verdicts.append(
            {
                "id": int(pid),
                "faithfulness": label,
                "relevancy": 5 if words else 1,
                "standalone": 2 if leaning else 5,
                # the prompt asks for no reason when nothing is wrong
                "reason": ""
                if label == "supported" and words and not leaning
                else f"{covered:.0%} of the answer's words occur in the source",
            }
        )
    return {"verdicts": verdicts}


def _passage(body: dict[str, Any]) -> str:
    match = _PASSAGE.search(_user_text(body))
    return match.group(1) if match else ""


def _lead(sentence: str) -> str:
    return " ".join(_MARKUP.sub(" ", sentence).split()[:6]).strip(' ,;:."')


def default_summary(body: dict[str, Any]) -> dict[str, Any]:
    # An extractive stand-in for every kind: the passage's first sentences, verbatim.
    return {"summary": " ".join(_sentences(_passage(body))[:4]) or "No content to summarise."}


def default_conversation(body: dict[str, Any]) -> dict[str, Any]:
    user = _user_text(body)
    sentences = _sentences(_passage(body)) or ["No content."]
    bounds = _TURNS.search(user)
    low, high = (int(bounds.group(1)), int(bounds.group(2))) if bounds else (2, 4)
    section = _SECTION.search(user)
    topic = section.group(1).split(" > ")[-1] if section else "the subject"
    n = max(low, min(high, len(sentences)))
    turns = []
    for i in range(n):
        sentence = sentences[i % len(sentences)]
        question = (
            f'Regarding {topic}, what is stated about "{_lead(sentence)}"?'
            if i == 0
            else f'And what does it add about "{_lead(sentence)}"?'
        )
        turns += [{"role": "user", "content": question}, {"role": "assistant", "content": sentence}]
    return {"turns": turns}


def _pairs_of(body: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(int(i), q, a) for i, _, q, a in _PAIR.findall(_user_text(body))]


def default_restyle(body: dict[str, Any]) -> dict[str, Any]:
    # A tutor that points to the material and asks, never states.
    return {
        "answers": [
            {
                "id": i,
                "answer": f'Good question. Look at what the material says about "{_lead(a)}". '
                "Which detail there answers it?",
            }
            for i, _, a in _pairs_of(body)
        ]
    }


def default_evolve(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "pairs": [
            {
                "id": i,
                "question": f"{q.rstrip('?')}, and why does it matter?",
                "answer": a,
                "question_type": "reasoning",
                "evidence": a,
            }
            for i, q, a in _pairs_of(body)
        ]
    }


def default_rubric(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "verdicts": [
            {"id": i, "passed": True, "reason": "meets the criterion"}
            for i, _, _ in _pairs_of(body)
        ]
    }


_DEFAULTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "generate": lambda body: default_generation(body),
    "facts": lambda body: default_facts(body),
    "judge": lambda body: default_judgement(body),
    "summary": default_summary,
    "conversation": default_conversation,
    "restyle": default_restyle,
    "evolve": default_evolve,
    "rubric": default_rubric,
}


def default_reply(body: dict[str, Any]) -> dict[str, Any]:
    answer = _DEFAULTS.get(prompt_kind(body))
    return answer(body) if answer else {"answer": "ok"}


# ---------------------------------------------------------------------------------------------
# The server


def _approx_tokens(text: str) -> int:
    return max(1, round(len(_WORDS.findall(text)) * 1.3))


class FakeOpenAIServer:
    def __init__(
        self,
        *,
        latency_s: float = 0.0,
        models: tuple[str, ...] = ("fake-model",),
        handler: Handler | None = None,
        faults: FaultPlan | None = None,
        reject_response_formats: tuple[str, ...] = (),
        api_key: str | None = None,
        enforce_max_tokens: bool = False,
        port: int = 0,
        seconds_per_output_token: float = 0.0,
    ) -> None:
        self.latency_s = latency_s
        # A real server writes a reply token by token: with this set, a reply also waits this
        # long per output token, so a request asking for a longer reply costs its length.
        self.seconds_per_output_token = seconds_per_output_token
        self.decode_wait_s = 0.0
        self.models = models
        self.handler = handler
        self.faults = faults
        self.reject_response_formats = set(reject_response_formats)
        self.api_key = api_key  # when set, other keys get a 401 that echoes them, like OpenAI
        # When set, a reply longer than the request's max_tokens is cut there with
        # finish_reason "length", as a real server does.
        self.enforce_max_tokens = enforce_max_tokens
        self._port = port
        self._lock = threading.Lock()
        self._script: deque[Reply | str | dict[str, Any]] = deque()
        self._rng = random.Random(faults.seed if faults else 0)
        self._consecutive: Counter[str] = Counter()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.request_count = 0  # chat completion requests received
        self.kind_counts: Counter[str] = Counter()
        self.status_counts: Counter[int] = Counter()
        self.requests: list[dict[str, Any]] = []
        self.authorization_headers: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        # (arrival, reply) per chat request, monotonic seconds: how busy a client kept us.
        self.intervals: list[tuple[float, float]] = []

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        server = self

        class _Handler(_RequestHandler):
            fake = server

        httpd = ThreadingHTTPServer(("127.0.0.1", self._port), _Handler, bind_and_activate=False)
        httpd.daemon_threads = True
        httpd.request_queue_size = 256  # bursts of concurrent connects must not hit the backlog
        httpd.allow_reuse_address = True
        httpd.server_bind()
        httpd.server_activate()
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-openai",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases hanging handlers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- test controls --------------------------------------------------------------------

    def script(self, *replies: Reply | str | dict[str, Any]) -> None:
        """Queue replies for the next chat requests, before handler and defaults."""
        with self._lock:
            self._script.extend(replies)

    def reset_counts(self) -> None:
        with self._lock:
            self.request_count = 0
            self.kind_counts.clear()
            self.status_counts.clear()
            self.requests.clear()

    def counters(self) -> dict[str, Any]:
        with self._lock:
            return {
                "request_count": self.request_count,
                "kind_counts": dict(self.kind_counts),
                "status_counts": {str(k): v for k, v in self.status_counts.items()},
                "max_in_flight": self.max_in_flight,
                "intervals": list(self.intervals),
                "decode_wait_s": round(self.decode_wait_s, 4),
            }

    # -- request handling -----------------------------------------------------------------

    def _fault(self, body: dict[str, Any]) -> Reply | None:
        plan = self.faults
        if plan is None:
            return None
        key = hashlib.sha256(json.dumps(body.get("messages"), sort_keys=True).encode()).hexdigest()
        with self._lock:
            if self._consecutive[key] >= plan.max_consecutive:
                self._consecutive[key] = 0
                return None
            draw = self._rng.random()
        edges = [
            (
                plan.rate_429,
                lambda: Reply.error(429, "rate limited", retry_after=plan.retry_after_s),
            ),
            (plan.rate_500, lambda: Reply.error(500, "internal error")),
            (plan.rate_hang, lambda: Reply.hang(plan.hang_s)),
            (plan.rate_garbage_body, Reply.garbage_body),
            (plan.rate_garbage_content, Reply.garbage_content),
            (plan.rate_truncated, lambda: Reply.truncated(json.dumps(default_reply(body)))),
        ]
        edge = 0.0
        for rate, make in edges:
            edge += rate
            if draw < edge:
                with self._lock:
                    self._consecutive[key] += 1
                return make()
        with self._lock:
            self._consecutive[key] = 0
        return None

    def _choose(self, body: dict[str, Any]) -> Reply:
        fmt = (body.get("response_format") or {}).get("type")
        if fmt in self.reject_response_formats:
            return Reply.error(400, f"response_format type '{fmt}' is not supported by this server")
        with self._lock:
            scripted = self._script.popleft() if self._script else None
        reply = scripted if scripted is not None else self._fault(body)
        if reply is None and self.handler is not None:
            reply = self.handler(body)
        if reply is None:
            reply = default_reply(body)
        if isinstance(reply, Reply):
            return reply
        if isinstance(reply, dict):
            text = json.dumps(reply)
            if fmt is None:
                # Without JSON mode real models wrap JSON in prose and fences; so do we.
                text = f"Here is the result:\n```json\n{text}\n```"
            return Reply.text(text)
        return Reply.text(str(reply))

    def chat(self, body: dict[str, Any], authorization: str) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            self.request_count += 1
            self.kind_counts[prompt_kind(body)] += 1
            self.requests.append(body)
            self.authorization_headers.append(authorization)
        if self.api_key is not None and authorization != f"Bearer {self.api_key}":
            received = authorization.removeprefix("Bearer ")
            message = f"Incorrect API key provided: {received}. You can find your key elsewhere."
            body_bytes = json.dumps({"error": {"message": message, "code": "invalid_api_key"}})
            return 401, {}, body_bytes.encode()
        if self.latency_s:
            self._stop.wait(self.latency_s)
        reply = self._choose(body)
        if reply.hang_s:
            self._stop.wait(reply.hang_s)
        if reply.body is not None:
            return reply.status, reply.headers, reply.body
        content = reply.content or ""
        finish_reason = reply.finish_reason
        limit = body.get("max_tokens")
        if self.enforce_max_tokens and content and isinstance(limit, int):
            needed = _approx_tokens(content)
            if needed > limit:
                content = content[: max(1, len(content) * limit // needed)]
                finish_reason = "length"
        if self.seconds_per_output_token and content:
            wait = _approx_tokens(content) * self.seconds_per_output_token
            with self._lock:
                self.decode_wait_s += wait
            self._stop.wait(wait)
        prompt_text = " ".join(str(m.get("content", "")) for m in body.get("messages", []))
        with self._lock:
            serial = self.request_count
        payload: dict[str, Any] = {
            "id": f"chatcmpl-fake-{serial}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.models[0]),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": finish_reason,
                }
            ],
        }
        if reply.include_usage:
            prompt_tokens = _approx_tokens(prompt_text)
            completion_tokens = _approx_tokens(content) if content else 0
            payload["usage"] = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            }
        return reply.status, reply.headers, json.dumps(payload).encode()


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeOpenAIServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without NODELAY, Nagle's algorithm and
        # the peer's delayed ACK add ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        return  # keep test output quiet

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        try:
            self.send_response(status)
            if not any(k.lower() == "content-type" for k in headers):
                self.send_header("Content-Type", "application/json")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout); nothing to tell it

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/_stats":
            # Counters for a server in another process (the benchmark runs it that way).
            self._send(200, {}, json.dumps(self.fake.counters()).encode())
        elif self.path.rstrip("/").endswith("/models"):
            data = [{"id": m, "object": "model", "owned_by": "fake"} for m in self.fake.models]
            self._send(200, {}, json.dumps({"object": "list", "data": data}).encode())
        else:
            self._send(404, {}, b'{"error": {"message": "not found"}}')

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {}, b'{"error": {"message": "not found"}}')
            return
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._send(400, {}, b'{"error": {"message": "invalid JSON body"}}')
            return
        fake = self.fake
        with fake._lock:
            fake.in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
        arrived = time.monotonic()
        try:
            status, headers, payload = fake.chat(body, self.headers.get("Authorization", ""))
        finally:
            with fake._lock:
                fake.in_flight -= 1
                fake.intervals.append((arrived, time.monotonic()))
        with fake._lock:
            fake.status_counts[status] += 1
        self._send(status, headers, payload)


def unused_loopback_url() -> str:
    """A base URL on a loopback port nothing listens on (a server that is down)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


try:  # the fixture is optional so the benchmark can import this module without pytest
    import pytest

    @pytest.fixture
    def fake_llm_server() -> Iterator[FakeOpenAIServer]:
        with FakeOpenAIServer() as server:
            yield server

except ImportError:  # pragma: no cover
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per chat request")
    parser.add_argument("--model", default="fake-model")
    parser.add_argument("--rate-429", type=float, default=0.0)
    parser.add_argument("--rate-500", type=float, default=0.0)
    parser.add_argument("--retry-after", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    faults = None
    if args.rate_429 or args.rate_500:
        faults = FaultPlan(
            rate_429=args.rate_429,
            rate_500=args.rate_500,
            retry_after_s=args.retry_after,
            seed=args.seed,
        )
    with FakeOpenAIServer(
        latency_s=args.latency, models=(args.model,), port=args.port, faults=faults
    ) as server:
        print(f"serving {server.base_url} (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()


# ---------------------------------------------------------------------------------------------
# Sample input shared by the LLM tests and the throughput benchmark

_SAMPLE_SENTENCES = (
    "The {name} pump delivers {flow} litres per minute at a pressure of {bar} bar.",
    "Version {major}.{minor} of the {name} firmware was released on {day} March 2021.",
    "Maintenance operators must inspect the {name} seals every {months} months.",
    "The {name} housing is made of cast aluminium and weighs {kg} kg.",
    "A warning light on the {name} panel signals that the filter needs cleaning.",
)


def fast_settings(base_url: str, **values: Any):
    """LLMSettings for tests against this server: a test key, short timeouts, tiny backoffs."""
    from pydantic import SecretStr

    from sdg_pipeline.llm.client import LLMSettings

    defaults: dict[str, Any] = {
        "base_url": base_url,
        "api_key": SecretStr("test-key"),
        "retry_base_delay_s": 0.01,
        "request_timeout_s": 2.0,
    }
    return LLMSettings(**(defaults | values))


def make_chunks(
    n: int, document_key: str = "manual.pdf", content_hash: str = "h0", subject: str | None = None
):
    """A CHUNKS-shaped DataFrame of n distinct, fact-dense chunks; with `subject`, the
    document's subject column the chunks asset writes."""
    import pandas as pd  # local: the server itself needs no pandas

    rows = []
    char = 0
    for i in range(n):
        name = f"XR-{100 + i}"
        text = " ".join(
            s.format(
                name=name,
                flow=40 + i,
                bar=3 + i % 5,
                major=1 + i % 4,
                minor=i % 10,
                day=1 + i % 28,
                months=6 + i % 6,
                kg=12 + i % 9,
            )
            for s in _SAMPLE_SENTENCES
        )
        rows.append(
            {
                "chunk_id": f"{document_key}#{i}",
                "document_key": document_key,
                "content_hash": content_hash,
                "chunk_index": i,
                "heading_path": ["Operating manual", f"{name} pump"],
                "page_start": 1 + i // 3,
                "page_end": 1 + i // 3,
                "char_start": char,
                "char_end": char + len(text),
                "text": text,
                "token_count": len(text.split()),
                "has_table": False,
            }
        )
        char += len(text) + 2
    frame = pd.DataFrame(rows)
    if subject is not None:
        frame["document_subject"] = subject
    return frame
