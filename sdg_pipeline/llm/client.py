"""One asynchronous client for any OpenAI-compatible chat endpoint (vLLM, Ollama, LiteLLM,
hosted APIs), with the fault handling the pipeline needs and the openai SDK does not give:

- bounded concurrency per process (a semaphore held only while a request is in flight);
- retries of 429 / 408 / 409 / 5xx / timeouts / connection errors with exponential backoff and
  jitter, honouring Retry-After (the SDK's own retries are off, so every attempt is counted);
- structured output with a fallback ladder json_schema → json_object → plain when the server
  rejects a response_format, remembered for the rest of the run;
- bounded re-asks when a reply is empty, truncated or fails validation;
- the persistent response cache, token/cost accounting, latency percentiles and a spend budget.

A failure that concerns one row raises `RowFailure` (the caller records it on the row); a
failure that concerns the endpoint (unreachable, key rejected, budget spent) raises an
`LLMError` that ends the partition. The API key is held in a `Secret`, redacted from every
message this module produces, and never chained into a raised exception.
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


class Secret:
    """A string that does not print itself: repr/str show a mask, `reveal()` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))


@dataclass(frozen=True)
class LLMSettings:
    """Plain configuration of the LLM path; `LLMResource.settings()` builds one from Dagster
    config so the core never depends on Dagster."""

    base_url: str | None = None
    api_key: Secret | None = field(default=None, repr=False)
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
    domain: str = ""
    example_questions: tuple[str, ...] = ()
    knowledge_augmentation: bool = False

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


def as_settings(llm: Any) -> LLMSettings:
    if isinstance(llm, LLMSettings):
        return llm
    if hasattr(llm, "settings"):
        return llm.settings()
    raise TypeError(f"expected LLMSettings or LLMResource, got {type(llm).__name__}")


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


def redact(text: str, secret: Secret | None) -> str:
    """Remove the key (and anything shaped like a key, since servers echo masked variants)."""
    if secret is not None and secret.reveal() and secret.reveal() != PLACEHOLDER_KEY:
        text = text.replace(secret.reveal(), "***")
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


# ---------------------------------------------------------------------------------------------
# The client


class LLMClient:
    """Use as `async with LLMClient(settings, cache=..., document_key=...) as client`.

    One instance per partition: its semaphore is the per-process concurrency limit for that
    partition's requests, and its stats become the partition's metadata.
    """

    def __init__(
        self,
        settings: LLMSettings,
        *,
        cache: ResponseCache | None = None,
        document_key: str = "",
        budget_scope: str | None = None,
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
        self._semaphore = asyncio.Semaphore(max(1, settings.max_concurrency))
        self._model_lock = asyncio.Lock()
        self._resolved_model: str | None = settings.model or (
            None if settings.base_url else DEFAULT_HOSTED_MODEL
        )

    async def __aenter__(self) -> LLMClient:
        key = self.settings.api_key.reveal() if self.settings.api_key else PLACEHOLDER_KEY
        self._sdk = openai.AsyncOpenAI(
            api_key=key,
            base_url=self.settings.base_url or None,
            timeout=self.settings.request_timeout_s,
            max_retries=0,  # retries are ours: counted, budgeted, Retry-After honoured
        )
        self._started = time.perf_counter()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stats.wall_s = time.perf_counter() - self._started
        if self._sdk is not None:
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
        problem = ""
        for attempt in range(self.settings.max_retries + 1):
            try:
                page = await self._sdk.models.list()
                ids = [m.id for m in page.data]
                if ids:
                    return ids[0]
                problem = "the endpoint lists no models; set SDG_LLM_MODEL"
                break
            except openai.APIConnectionError as exc:
                problem = self._redact(str(exc) or type(exc).__name__)
            except openai.APIStatusError as exc:
                problem = self._redact(f"HTTP {exc.status_code}: {exc.message}")
                if exc.status_code < 500 and exc.status_code != 429:
                    break
            if attempt == self.settings.max_retries:
                break
            await asyncio.sleep(
                backoff_delay(
                    attempt,
                    base_s=self.settings.retry_base_delay_s,
                    cap_s=self.settings.retry_max_delay_s,
                )
            )
        raise LLMUnavailable(
            f"could not determine the model at {self.settings.endpoint_host} for document "
            f"{self.document_key!r}: {problem}"
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
    ) -> T:
        """Ask for a JSON reply and return `parse(reply)`.

        `parse` raises MalformedOutput for an unusable reply; the model is then re-asked with
        the problem named, up to `max_reasks` times. Raises RowFailure when the call fails for
        good, LLMError when the endpoint or budget is the problem.
        """
        self.stats.calls += 1
        sampling = {"temperature": temperature, "max_tokens": self.settings.max_tokens}
        key = cache_key(
            model=model,
            messages=messages,
            sampling=sampling,
            prompt_version=prompt_version,
            schema=schema,
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
        for reask in range(self.settings.max_reasks + 1):
            if reask:
                self.stats.reasks += 1
            text, usage = await self._request(
                kind, model, conversation, schema_name, schema, temperature
            )
            try:
                value = parse(text)
            except MalformedOutput as exc:
                problem = str(exc)
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
    ) -> tuple[str, dict[str, int]]:
        assert self._sdk is not None, "use LLMClient as an async context manager"
        attempt = 0
        while True:
            retry_kind: str | None = None
            retry_after: float | None = None
            fatal: LLMError | None = None
            row_failure: RowFailure | None = None
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
                            "max_tokens": self.settings.max_tokens,
                            **extra,
                        },
                        cast_to=ChatCompletion,
                    )
                except openai.APITimeoutError:
                    retry_kind = "timeout"
                except openai.APIConnectionError as exc:
                    retry_kind = "connection"
                    detail = self._redact(str(exc))
                    fatal = LLMUnavailable(
                        f"LLM endpoint {self.settings.endpoint_host} unreachable for document "
                        f"{self.document_key!r} after {attempt + 1} attempts: {detail}"
                    )
                except openai.APIStatusError as exc:
                    status = exc.status_code
                    message = self._redact(str(exc.message))
                    if status in (408, 409, 429) or status >= 500:
                        retry_kind = f"http_{status}"
                        retry_after = retry_after_seconds(exc.response.headers)
                    elif status in (401, 403, 404):
                        what = {
                            401: "rejected the API key",
                            403: "refused access",
                            404: f"does not know model {model!r} or the path",
                        }[status]
                        fatal = LLMUnavailable(
                            f"LLM endpoint {self.settings.endpoint_host} {what} (HTTP {status}) "
                            f"for document {self.document_key!r}: {message}"
                        )
                    elif (
                        status in (400, 422)
                        and fmt_index < len(FORMAT_LADDER) - 1
                        and any(w in message.lower() for w in _FORMAT_WORDS)
                    ):
                        retry_kind = "format_fallback"
                    else:
                        row_failure = RowFailure(f"http_{status}", message[:500])
                except openai.APIResponseValidationError:
                    retry_kind = "bad_response"
                except openai.APIError as exc:
                    # Bodies that are not JSON at all (a proxy's HTML error page, garbage).
                    retry_kind = "bad_response"
                    log.debug("unparseable response: %s", self._redact(type(exc).__name__))
                else:
                    if hasattr(completion, "choices"):
                        latency = time.perf_counter() - started
                        text, usage = self._read_completion(completion, messages)
                        self._account(usage, latency)
                        return text, usage
                    # A 200 whose body is not a chat completion (a proxy's HTML page): the
                    # SDK hands back the raw text. Transient, so retry rather than re-ask.
                    retry_kind = "bad_response"

            if retry_kind == "format_fallback":
                # Another request may have stepped down already; only step from what we used.
                if self._format_index == fmt_index:
                    self._format_index = fmt_index + 1
                    self.stats.format_fallbacks += 1
                    self.stats.response_format = FORMAT_LADDER[self._format_index]
                    log.warning(
                        "%s rejected response_format %s; falling back to %s",
                        self.settings.endpoint_host,
                        FORMAT_LADDER[fmt_index],
                        FORMAT_LADDER[self._format_index],
                    )
                continue
            if row_failure is not None:
                self.stats.errors_by_kind[row_failure.kind] += 1
                raise row_failure
            if retry_kind is None and fatal is not None:
                raise fatal
            assert retry_kind is not None
            if attempt >= self.settings.max_retries:
                if fatal is not None:
                    raise fatal
                self.stats.errors_by_kind[retry_kind] += 1
                raise RowFailure(retry_kind, f"gave up after {attempt + 1} attempts ({retry_kind})")
            self.stats.retries += 1
            self.stats.retry_reasons[retry_kind] += 1
            delay = backoff_delay(
                attempt,
                base_s=self.settings.retry_base_delay_s,
                cap_s=self.settings.retry_max_delay_s,
                retry_after_s=retry_after,
            )
            log.info(
                "retrying %s request for %s in %.2fs after %s (attempt %d of %d)",
                kind,
                self.document_key,
                delay,
                retry_kind,
                attempt + 1,
                self.settings.max_retries + 1,
            )
            await asyncio.sleep(delay)
            attempt += 1

    def _read_completion(
        self, completion: Any, messages: list[dict[str, str]]
    ) -> tuple[str, dict[str, int]]:
        choices = getattr(completion, "choices", None) or []
        text = ""
        if choices:
            message = getattr(choices[0], "message", None)
            text = (getattr(message, "content", None) or "") if message is not None else ""
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
        return text, counts


# ---------------------------------------------------------------------------------------------
# Running async work from synchronous code (Dagster assets)


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
