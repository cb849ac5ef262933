"""One asynchronous client for any OpenAI-compatible chat endpoint (vLLM, Ollama, LiteLLM,
hosted APIs), with the fault handling the pipeline needs and the openai SDK does not give
(over 400 lines, one idea: a request's life from budget and cache to retries and stats):

- bounded concurrency per process (a semaphore held only while a request is in flight);
- one retry policy (tenacity) for 429 / 408 / 409 / 5xx / timeouts / connection errors:
  exponential backoff with jitter, honouring Retry-After (the SDK's own retries are off, so
  every attempt is counted);
- structured output with a fallback ladder json_schema → json_object → plain when the server
  rejects a response_format, remembered for the rest of the run;
- bounded re-asks when a reply is empty, truncated or fails validation; a reply cut at the
  token limit is re-asked with a larger limit, since the same limit would cut it again;
- the persistent response cache, token/cost accounting, latency percentiles and a spend budget.

A failure that concerns one row raises `RowFailure` (the caller records it on the row); a
failure that concerns the endpoint (unreachable, key rejected, budget spent) raises an
`LLMError` that ends the partition. The API key is held in a pydantic `SecretStr`, redacted
from every message this module produces, and never chained into a raised exception.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import math
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import openai
from openai.types.chat import ChatCompletion
from pydantic import SecretStr
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_base

from sdg_pipeline.llm.cache import ResponseCache, cache_key
from sdg_pipeline.llm.json_output import MalformedOutput
from sdg_pipeline.llm.prompts import reask_message
from sdg_pipeline.tokens import count_tokens

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_HOSTED_MODEL = "gpt-4o-mini"
# Servers that need no key (vLLM, Ollama) still get a non-empty one: the SDK insists.
PLACEHOLDER_KEY = "not-needed"
FORMAT_LADDER = ("json_schema", "json_object", "plain")
_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "schema", "structured", "format")
_KEY_LIKE = re.compile(r"\b(?:sk|pk|rk|key)-[A-Za-z0-9_\-*.]{6,}")
# A reply cut at max_tokens is re-asked with twice the room, up to this multiple of the
# configured limit, so a limit set too low costs a re-ask rather than the row.
MAX_TOKENS_GROWTH = 4


@dataclass(frozen=True)
class LLMSettings:
    """Plain configuration of the LLM path; `LLMResource.settings()` builds one from Dagster
    config so the core never depends on Dagster."""

    base_url: str | None = None
    api_key: SecretStr | None = field(default=None, repr=False)
    model: str | None = None  # None: the endpoint's first listed model (hosted: gpt-4o-mini)
    judge_model: str | None = None  # None: same as model
    temperature: float = 0.2
    judge_temperature: float = 0.0
    max_tokens: int = 1024
    request_timeout_s: float = 60.0
    max_concurrency: int = 8
    max_retries: int = 5
    max_reasks: int = 2
    retry_base_delay_s: float = 0.5
    retry_max_delay_s: float = 30.0
    price_in_per_1k: float | None = None
    price_out_per_1k: float | None = None
    run_budget_usd: float | None = None
    cache_enabled: bool = True
    max_failure_rate: float = 0.2
    pairs_per_chunk: int = 3
    # Consecutive chunks of a document judged in one request (each pair against its own chunk):
    # up to this many chunks and this many words of source.
    judge_chunks_per_request: int = 4
    judge_max_source_words: int = 1200
    # The same for a chunk's first generation request (generate/llm.py PackedGeneration).
    generation_chunks_per_request: int = 4
    generation_max_source_words: int = 1200
    domain: str = ""
    example_questions: tuple[str, ...] = ()
    knowledge_augmentation: bool = False
    recipe: str = ""  # name@version of the recipe in use: part of every cache key

    @property
    def is_configured(self) -> bool:
        return bool(self.base_url) or self.api_key is not None

    @property
    def endpoint_host(self) -> str:
        if not self.base_url:
            return "api.openai.com"
        parts = urlsplit(self.base_url)
        # Only host and port: a URL may carry credentials or a token in its query.
        return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else "?"


# ---------------------------------------------------------------------------------------------
# Errors


class LLMError(RuntimeError):
    """A failure of the LLM path as a whole; ends the partition."""


class LLMUnavailable(LLMError):
    """The endpoint cannot be used: unreachable after the retry budget, key rejected, model
    unknown."""


class LLMFailureRateExceeded(LLMError):
    """Too many rows of one document failed after retries and re-asks."""


class LLMBudgetExceeded(LLMError):
    """The run's spend budget is used up; no further request is sent."""


class RowFailure(Exception):
    """One request failed for good; the caller records `kind: detail` on its rows."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def redact(text: str, secret: SecretStr | None) -> str:
    """Remove the key (and anything shaped like a key, since servers echo masked variants)."""
    value = secret.get_secret_value() if secret is not None else ""
    if value and value != PLACEHOLDER_KEY:
        text = text.replace(value, "***")
    return _KEY_LIKE.sub("***", text)


# ---------------------------------------------------------------------------------------------
# Accounting


class _BudgetLedger:
    """Spend per budget scope (a run id, or the process when none is given), shared by every
    client in the process so partitions of one run executed in-process add up."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spent: dict[str, float] = {}

    def add(self, scope: str, usd: float) -> float:
        with self._lock:
            self._spent[scope] = self._spent.get(scope, 0.0) + usd
            return self._spent[scope]

    def spent(self, scope: str) -> float:
        with self._lock:
            return self._spent.get(scope, 0.0)


BUDGET_LEDGER = _BudgetLedger()


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, math.ceil(q * len(ordered)) - 1)
    return ordered[rank]


@dataclass
class RunStats:
    """Counters of one partition's LLM work, reported as materialization metadata."""

    requests: int = 0  # HTTP attempts sent (including retries and re-asks)
    calls: int = 0  # logical prompts (cache hits included)
    cache_hits: int = 0
    cache_misses: int = 0
    cache_errors: int = 0
    retries: int = 0
    reasks: int = 0
    format_fallbacks: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    latencies_s: list[float] = field(default_factory=list)
    requests_by_kind: Counter[str] = field(default_factory=Counter)
    errors_by_kind: Counter[str] = field(default_factory=Counter)  # failed calls, after retries
    retry_reasons: Counter[str] = field(default_factory=Counter)
    response_format: str = FORMAT_LADDER[0]
    wall_s: float = 0.0

    def as_metadata(self) -> dict[str, Any]:
        def ms(v: float | None) -> float | None:
            return None if v is None else round(v * 1000, 1)

        return {
            "llm_requests": self.requests,
            "llm_calls": self.calls,
            "cache_hits": self.cache_hits,
            "cache_misses": self.cache_misses,
            "cache_errors": self.cache_errors,
            "retries": self.retries,
            "reasks": self.reasks,
            "format_fallbacks": self.format_fallbacks,
            "failed_calls": sum(self.errors_by_kind.values()),
            "errors_by_kind": dict(self.errors_by_kind),
            "retry_reasons": dict(self.retry_reasons),
            "requests_by_kind": dict(self.requests_by_kind),
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "cost_usd": round(self.cost_usd, 6),
            "latency_p50_ms": ms(_percentile(self.latencies_s, 0.5)),
            "latency_p95_ms": ms(_percentile(self.latencies_s, 0.95)),
            "latency_max_ms": ms(max(self.latencies_s) if self.latencies_s else None),
            "response_format": self.response_format,
            "wall_s": round(self.wall_s, 3),
        }


# ---------------------------------------------------------------------------------------------
# Retry timing


def retry_after_seconds(headers: Any) -> float | None:
    """Retry-After as seconds: `retry-after-ms`, `retry-after` in seconds, or an HTTP date."""
    if headers is None:
        return None
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(value) if name == "retry-after" else None
            if parsed is None:
                continue
            seconds = (parsed - datetime.now(parsed.tzinfo or UTC)).total_seconds()
        if math.isfinite(seconds):
            return max(0.0, seconds)
    return None


def backoff_delay(
    attempt: int, *, base_s: float, cap_s: float, retry_after_s: float | None = None
) -> float:
    """Exponential backoff with jitter; a server's Retry-After is honoured as the minimum (with
    up to 20% jitter on top so a burst of 429s does not come back in lockstep)."""
    if retry_after_s is not None:
        return min(cap_s, retry_after_s * random.uniform(1.0, 1.2))
    ceiling = min(cap_s, base_s * (2**attempt))
    return random.uniform(ceiling / 2, ceiling)


class _Retryable(Exception):
    """A transient failure of one attempt: `kind` names it in the stats; `fatal` is what to
    raise instead of a RowFailure once the attempts run out (the endpoint is down)."""

    def __init__(
        self, kind: str, *, retry_after_s: float | None = None, fatal: LLMError | None = None
    ) -> None:
        super().__init__(kind)
        self.kind = kind
        self.retry_after_s = retry_after_s
        self.fatal = fatal


class wait_retry_after(wait_base):
    """Tenacity wait: the server's Retry-After when the failure carried one, otherwise
    exponential backoff with jitter (`backoff_delay`)."""

    def __init__(self, *, base_s: float, cap_s: float) -> None:
        self.base_s = base_s
        self.cap_s = cap_s

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        return backoff_delay(
            retry_state.attempt_number - 1,
            base_s=self.base_s,
            cap_s=self.cap_s,
            retry_after_s=getattr(exc, "retry_after_s", None),
        )


def retry_policy(
    settings: LLMSettings,
    *,
    before_sleep: Callable[[RetryCallState], None] | None = None,
) -> AsyncRetrying:
    """The one retry policy of the LLM path: `max_retries` retries of `_Retryable` failures,
    anything else raised at once; the last failure is re-raised as itself."""
    return AsyncRetrying(
        stop=stop_after_attempt(settings.max_retries + 1),
        wait=wait_retry_after(base_s=settings.retry_base_delay_s, cap_s=settings.retry_max_delay_s),
        retry=retry_if_exception(lambda exc: isinstance(exc, _Retryable)),
        before_sleep=before_sleep,
        reraise=True,
    )


# ---------------------------------------------------------------------------------------------
# The client


class LLMClient:
    """Use as `async with LLMClient(settings, cache=..., document_key=...) as client`.

    One instance per partition: its stats become the partition's metadata. Its semaphore is the
    concurrency limit for that partition's requests, unless a `limiter` is passed: the documents
    of one batch share one, so together they keep `max_concurrency` requests in flight. They
    share one `sdk` (connection pool) too: each new one loads the CA bundle (~65 ms).
    """

    def __init__(
        self,
        settings: LLMSettings,
        *,
        cache: ResponseCache | None = None,
        document_key: str = "",
        budget_scope: str | None = None,
        limiter: asyncio.Semaphore | None = None,
        sdk: openai.AsyncOpenAI | None = None,
    ) -> None:
        if not settings.is_configured:
            raise LLMUnavailable("no LLM endpoint configured (set SDG_LLM_BASE_URL or a key)")
        self.settings = settings
        self.cache = cache
        self.document_key = document_key
        self.stats = RunStats()
        self._budget_scope = budget_scope or "process"
        self._format_index = 0
        self._sdk: openai.AsyncOpenAI | None = None
        self._shared_sdk = sdk  # a batch's connection pool, closed by its owner
        self._semaphore = limiter or asyncio.Semaphore(max(1, settings.max_concurrency))
        self._model_lock = asyncio.Lock()
        self._resolved_model: str | None = settings.model or (
            None if settings.base_url else DEFAULT_HOSTED_MODEL
        )

    async def __aenter__(self) -> LLMClient:
        self._sdk = self._shared_sdk or open_sdk(self.settings)
        self._started = time.perf_counter()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stats.wall_s = time.perf_counter() - self._started
        if self._sdk is not None and self._shared_sdk is None:
            await self._sdk.close()
        self._sdk = None

    def _redact(self, text: str) -> str:
        return redact(text, self.settings.api_key)

    # -- models ---------------------------------------------------------------------------

    async def generator_model(self) -> str:
        return await self._model()

    async def judge_model(self) -> str:
        return self.settings.judge_model or await self._model()

    async def _model(self) -> str:
        async with self._model_lock:
            if self._resolved_model is None:
                self._resolved_model = await self._discover_model()
        return self._resolved_model

    async def _discover_model(self) -> str:
        assert self._sdk is not None
        sdk = self._sdk

        async def attempt() -> str:
            try:
                page = await sdk.models.list()
            except openai.APIConnectionError as exc:
                raise _Retryable("connection", fatal=self._unavailable(str(exc))) from None
            except openai.APIStatusError as exc:
                problem = self._unavailable(f"HTTP {exc.status_code}: {exc.message}")
                if exc.status_code >= 500 or exc.status_code == 429:
                    raise _Retryable(f"http_{exc.status_code}", fatal=problem) from None
                raise problem from None
            ids = [m.id for m in page.data]
            if not ids:
                raise self._unavailable("the endpoint lists no models; set SDG_LLM_MODEL")
            return ids[0]

        try:
            return await retry_policy(self.settings)(attempt)
        except _Retryable as exc:
            assert exc.fatal is not None
            raise exc.fatal from None

    def _unavailable(self, problem: str) -> LLMUnavailable:
        return LLMUnavailable(
            f"could not determine the model at {self.settings.endpoint_host} for document "
            f"{self.document_key!r}: {self._redact(problem or 'no detail')}"
        )

    # -- the one entry point the generator and judge use ----------------------------------

    async def complete_json(
        self,
        *,
        kind: str,
        model: str,
        messages: list[dict[str, str]],
        schema_name: str,
        schema: dict[str, Any],
        prompt_version: str,
        temperature: float,
        parse: Callable[[str], T],
        max_tokens: int | None = None,
    ) -> T:
        """Ask for a JSON reply and return `parse(reply)`. `max_tokens` overrides the
        settings' limit for a request whose reply is known to be longer (several chunks').

        `parse` raises MalformedOutput for an unusable reply; the model is then re-asked with
        the problem named, up to `max_reasks` times. Raises RowFailure when the call fails for
        good, LLMError when the endpoint or budget is the problem.
        """
        self.stats.calls += 1
        limit = max_tokens or self.settings.max_tokens
        sampling = {"temperature": temperature, "max_tokens": limit}
        key = cache_key(
            model=model,
            messages=messages,
            sampling=sampling,
            prompt_version=prompt_version,
            schema=schema,
            recipe=self.settings.recipe,
        )
        if self.cache is not None:
            record = await self._cache_get(key)
            if record is not None and isinstance(record.get("text"), str):
                try:
                    value = parse(record["text"])
                except MalformedOutput:
                    value = None  # stored under an older parser's rules: ask again
                if value is not None:
                    self.stats.cache_hits += 1
                    return value
            self.stats.cache_misses += 1

        conversation = list(messages)
        problem = ""
        max_tokens = limit
        ceiling = max(1, limit) * MAX_TOKENS_GROWTH
        for reask in range(self.settings.max_reasks + 1):
            if reask:
                self.stats.reasks += 1
            text, usage, finish_reason = await self._request(
                kind, model, conversation, schema_name, schema, temperature, max_tokens
            )
            try:
                value = parse(text)
            except MalformedOutput as exc:
                problem = str(exc)
                if finish_reason == "length":
                    problem = f"the reply was cut off at the {max_tokens}-token limit: {problem}"
                    max_tokens = min(ceiling, max_tokens * 2)
                log.info("re-asking %s for %s: %s", kind, self.document_key, problem)
                conversation = [
                    *messages,
                    {"role": "assistant", "content": text[:4000]},
                    reask_message(problem),
                ]
                continue
            if self.cache is not None:
                await self._cache_put(
                    key,
                    {
                        "text": text,
                        "kind": kind,
                        "model": model,
                        "prompt_version": prompt_version,
                        "usage": usage,
                        "created_at": datetime.now(UTC).isoformat(),
                    },
                )
            return value
        self.stats.errors_by_kind["malformed_output"] += 1
        raise RowFailure(
            "malformed_output",
            f"no usable reply after {self.settings.max_reasks + 1} attempts: {problem}",
        )

    # The cache saves money but must not cost a run: a store that cannot be read or written
    # (permissions, a flaky bucket) degrades to asking the model, with a warning and a count.

    async def _cache_get(self, key: str) -> dict[str, Any] | None:
        assert self.cache is not None
        try:
            return await self.cache.get(key)
        except Exception as exc:  # any storage error is a miss
            self._cache_error("read", exc)
            return None

    async def _cache_put(self, key: str, record: dict[str, Any]) -> None:
        assert self.cache is not None
        try:
            await self.cache.put(key, record)
        except Exception as exc:  # any storage error only loses the entry
            self._cache_error("write", exc)

    def _cache_error(self, action: str, exc: Exception) -> None:
        self.stats.cache_errors += 1
        log.warning(
            "response cache %s failed at %s: %s",
            action,
            self.cache.root if self.cache else "?",
            self._redact(f"{type(exc).__name__}: {exc}")[:300],
        )

    # -- one HTTP exchange with retries ----------------------------------------------------

    def _response_format(self, schema_name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        mode = FORMAT_LADDER[self._format_index]
        if mode == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "schema": schema, "strict": True},
            }
        if mode == "json_object":
            return {"type": "json_object"}
        return None

    def _check_budget(self) -> None:
        budget = self.settings.run_budget_usd
        if budget is None:
            return
        spent = BUDGET_LEDGER.spent(self._budget_scope)
        if spent >= budget:
            raise LLMBudgetExceeded(
                f"LLM budget of ${budget:.4f} for this run is spent (${spent:.4f}); stopped "
                f"before the next request for document {self.document_key!r}"
            )

    def _account(self, usage: dict[str, int], latency_s: float) -> None:
        stats = self.stats
        stats.tokens_in += usage["prompt_tokens"]
        stats.tokens_out += usage["completion_tokens"]
        stats.latencies_s.append(latency_s)
        cost = 0.0
        if self.settings.price_in_per_1k is not None:
            cost += usage["prompt_tokens"] / 1000 * self.settings.price_in_per_1k
        if self.settings.price_out_per_1k is not None:
            cost += usage["completion_tokens"] / 1000 * self.settings.price_out_per_1k
        if cost:
            stats.cost_usd += cost
            BUDGET_LEDGER.add(self._budget_scope, cost)

    async def _request(
        self,
        kind: str,
        model: str,
        messages: list[dict[str, str]],
        schema_name: str,
        schema: dict[str, Any],
        temperature: float,
        max_tokens: int,
    ) -> tuple[str, dict[str, int], str | None]:
        """One completion under the retry policy → (text, usage, finish_reason)."""
        assert self._sdk is not None, "use LLMClient as an async context manager"
        attempts = 0

        async def attempt() -> tuple[str, dict[str, int], str | None]:
            nonlocal attempts
            attempts += 1
            return await self._attempt(
                kind, model, messages, schema_name, schema, temperature, max_tokens, attempts
            )

        def before_sleep(state: RetryCallState) -> None:
            outcome = state.outcome
            reason = outcome.exception() if outcome is not None else None
            retry_kind = reason.kind if isinstance(reason, _Retryable) else "unknown"
            self.stats.retries += 1
            self.stats.retry_reasons[retry_kind] += 1
            log.info(
                "retrying %s request for %s in %.2fs after %s (attempt %d of %d)",
                kind,
                self.document_key,
                state.next_action.sleep if state.next_action else 0.0,
                retry_kind,
                state.attempt_number,
                self.settings.max_retries + 1,
            )

        try:
            return await retry_policy(self.settings, before_sleep=before_sleep)(attempt)
        except _Retryable as exc:
            if exc.fatal is not None:
                raise exc.fatal from None
            self.stats.errors_by_kind[exc.kind] += 1
            raise RowFailure(exc.kind, f"gave up after {attempts} attempts ({exc.kind})") from None
        except RowFailure as failure:
            self.stats.errors_by_kind[failure.kind] += 1
            raise

    async def _attempt(
        self,
        kind: str,
        model: str,
        messages: list[dict[str, str]],
        schema_name: str,
        schema: dict[str, Any],
        temperature: float,
        max_tokens: int,
        attempt: int,
    ) -> tuple[str, dict[str, int], str | None]:
        """One attempt; a rejected response_format steps down the ladder and is sent again at
        once, since that is the server's answer about the format, not a transient failure."""
        assert self._sdk is not None
        while True:
            async with self._semaphore:
                self._check_budget()
                # Chosen once the slot is ours, so queued requests see an earlier fallback.
                fmt_index = self._format_index
                response_format = self._response_format(schema_name, schema)
                extra: dict[str, Any] = {}
                if response_format is not None:
                    extra["response_format"] = response_format
                self.stats.requests += 1
                self.stats.requests_by_kind[kind] += 1
                started = time.perf_counter()
                try:
                    # The SDK's generic POST (its documented way to send a raw body): the same
                    # auth, error classes and ChatCompletion parsing as chat.completions.create,
                    # without its per-call TypedDict transform of the messages, which costs
                    # ~0.7 ms of event-loop time per request; our body is plain JSON already.
                    completion = await self._sdk.post(
                        "/chat/completions",
                        body={
                            "model": model,
                            "messages": messages,
                            "temperature": temperature,
                            "max_tokens": max_tokens,
                            **extra,
                        },
                        cast_to=ChatCompletion,
                    )
                except openai.APITimeoutError:
                    raise _Retryable("timeout") from None
                except openai.APIConnectionError as exc:
                    detail = self._redact(str(exc))
                    raise _Retryable(
                        "connection",
                        fatal=LLMUnavailable(
                            f"LLM endpoint {self.settings.endpoint_host} unreachable for "
                            f"document {self.document_key!r} after {attempt} attempts: {detail}"
                        ),
                    ) from None
                except openai.APIStatusError as exc:
                    if not self._format_rejected(exc, fmt_index):
                        raise self._status_failure(exc, model) from None
                except openai.APIResponseValidationError:
                    raise _Retryable("bad_response") from None
                except openai.APIError as exc:
                    # Bodies that are not JSON at all (a proxy's HTML error page, garbage).
                    log.debug("unparseable response: %s", self._redact(type(exc).__name__))
                    raise _Retryable("bad_response") from None
                else:
                    if not hasattr(completion, "choices"):
                        # A 200 whose body is not a chat completion (a proxy's HTML page): the
                        # SDK hands back the raw text. Transient, so retry rather than re-ask.
                        raise _Retryable("bad_response")
                    latency = time.perf_counter() - started
                    text, usage, finish_reason = self._read_completion(completion, messages)
                    self._account(usage, latency)
                    return text, usage, finish_reason
            self._step_down_format(fmt_index)

    def _format_rejected(self, exc: openai.APIStatusError, fmt_index: int) -> bool:
        message = str(exc.message).lower()
        return (
            exc.status_code in (400, 422)
            and fmt_index < len(FORMAT_LADDER) - 1
            and any(w in message for w in _FORMAT_WORDS)
        )

    def _step_down_format(self, fmt_index: int) -> None:
        # Another request may have stepped down already; only step from what we used.
        if self._format_index != fmt_index:
            return
        self._format_index = fmt_index + 1
        self.stats.format_fallbacks += 1
        self.stats.response_format = FORMAT_LADDER[self._format_index]
        log.warning(
            "%s rejected response_format %s; falling back to %s",
            self.settings.endpoint_host,
            FORMAT_LADDER[fmt_index],
            FORMAT_LADDER[self._format_index],
        )

    def _status_failure(self, exc: openai.APIStatusError, model: str) -> Exception:
        """What an HTTP error status means: retry, the endpoint is unusable, or this row fails."""
        status = exc.status_code
        message = self._redact(str(exc.message))
        if status in (408, 409, 429) or status >= 500:
            return _Retryable(
                f"http_{status}", retry_after_s=retry_after_seconds(exc.response.headers)
            )
        if status in (401, 403, 404):
            what = {
                401: "rejected the API key",
                403: "refused access",
                404: f"does not know model {model!r} or the path",
            }[status]
            return LLMUnavailable(
                f"LLM endpoint {self.settings.endpoint_host} {what} (HTTP {status}) "
                f"for document {self.document_key!r}: {message}"
            )
        return RowFailure(f"http_{status}", message[:500])

    def _read_completion(
        self, completion: Any, messages: list[dict[str, str]]
    ) -> tuple[str, dict[str, int], str | None]:
        choices = getattr(completion, "choices", None) or []
        text = ""
        finish_reason: str | None = None
        if choices:
            message = getattr(choices[0], "message", None)
            text = (getattr(message, "content", None) or "") if message is not None else ""
            finish_reason = getattr(choices[0], "finish_reason", None)
        usage = getattr(completion, "usage", None)
        if usage is not None and getattr(usage, "prompt_tokens", None) is not None:
            counts = {
                "prompt_tokens": int(usage.prompt_tokens or 0),
                "completion_tokens": int(usage.completion_tokens or 0),
            }
        else:
            # Servers that report no usage (some proxies) still get an estimate, not zero.
            counts = {
                "prompt_tokens": sum(count_tokens(m.get("content", "")) for m in messages),
                "completion_tokens": count_tokens(text),
            }
        return text, counts, finish_reason


# ---------------------------------------------------------------------------------------------
# Running async work from synchronous code (Dagster assets)


def open_sdk(settings: LLMSettings) -> openai.AsyncOpenAI:
    """The SDK client for the endpoint, with the SDK's own retries off (ours are counted)."""
    key = settings.api_key.get_secret_value() if settings.api_key else PLACEHOLDER_KEY
    return openai.AsyncOpenAI(
        api_key=key,
        base_url=settings.base_url or None,
        timeout=settings.request_timeout_s,
        max_retries=0,  # retries are ours: counted, budgeted, Retry-After honoured
    )


def run_sync(factory: Callable[[], Coroutine[Any, Any, T] | Awaitable[T]]) -> T:
    """Run a coroutine to completion from sync code; inside a running event loop (a notebook,
    an async caller) it runs on a fresh loop in a worker thread instead of failing."""

    async def _main() -> T:
        return await factory()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_main())
    result: list[T] = []
    error: list[BaseException] = []

    def _target() -> None:
        try:
            result.append(asyncio.run(_main()))
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=_target, name="sdg-llm-loop")
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def first_llm_error(group: BaseExceptionGroup) -> BaseException:
    """The exception worth showing from a TaskGroup failure: an LLMError when there is one."""
    flat: list[BaseException] = []

    def walk(exc: BaseException) -> None:
        if isinstance(exc, BaseExceptionGroup):
            for inner in exc.exceptions:
                walk(inner)
        else:
            flat.append(exc)

    walk(group)
    for exc in flat:
        if isinstance(exc, LLMError):
            return exc
    return flat[0] if flat else group
