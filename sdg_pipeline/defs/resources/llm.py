"""The LLM endpoint as a Dagster resource.

Configuration only: the work happens in sdg_pipeline.generate.llm and sdg_pipeline.judge.llm,
which receive `resource.settings()`. The API key is meant to be given as `dg.EnvVar`, so the
Dagster UI and run config show the variable's name, never its value; `describe()` is the safe
view for materialization metadata.
"""

from __future__ import annotations

import os
from typing import Any

import dagster as dg
from pydantic import Field, SecretStr

from sdg_pipeline.llm.client import LLMSettings
from sdg_pipeline.llm.prompts import GENERATION_PROMPT_VERSION, JUDGE_PROMPT_VERSION

ENV_BASE_URL = ("SDG_LLM_BASE_URL", "OPENAI_BASE_URL")
ENV_API_KEY = ("SDG_LLM_API_KEY", "OPENAI_API_KEY")
ENV_MODEL = "SDG_LLM_MODEL"
ENV_JUDGE_MODEL = "SDG_JUDGE_MODEL"
ENV_MAX_CONCURRENCY = "SDG_LLM_MAX_CONCURRENCY"
ENV_PAIRS_PER_CHUNK = "SDG_LLM_PAIRS_PER_CHUNK"
ENV_JUDGE_CHUNKS = "SDG_LLM_JUDGE_CHUNKS_PER_REQUEST"
ENV_GENERATION_CHUNKS = "SDG_LLM_GENERATION_CHUNKS_PER_REQUEST"
ENV_CACHE = "SDG_LLM_CACHE"  # "0"/"false"/"off" disables the response cache


def _first_env(names: tuple[str, ...]) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value and value.strip():
            return name
    return None


def _resolve(value: Any) -> str | None:
    """A field's value outside a Dagster run: an EnvVar is still unresolved there."""
    if isinstance(value, dg.EnvVar):
        resolved = value.get_value()
        return resolved if resolved and resolved.strip() else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


class LLMResource(dg.ConfigurableResource):
    """An OpenAI-compatible chat endpoint (vLLM, Ollama, LiteLLM, hosted APIs).

    Unconfigured (no base URL and no key) means the offline generator and judge are used.
    """

    base_url: str | None = Field(
        default=None, description="e.g. http://localhost:8000/v1 (vLLM), http://localhost:11434/v1"
    )
    api_key: str | None = Field(default=None, description="Give as dg.EnvVar; never logged.")
    model: str | None = Field(
        default=None, description="Generator model; unset = the endpoint's first listed model."
    )
    judge_model: str | None = Field(default=None, description="Judge model; unset = model.")
    temperature: float = 0.2
    judge_temperature: float = 0.0
    max_tokens: int = 1024
    request_timeout_s: float = 60.0
    max_concurrency: int = Field(default=8, description="Requests in flight per process.")
    max_retries: int = Field(default=5, description="Retries per request (429/5xx/timeouts).")
    max_reasks: int = Field(default=2, description="Re-asks after an unusable reply.")
    retry_base_delay_s: float = 0.5
    retry_max_delay_s: float = 30.0
    price_in_per_1k: float | None = None
    price_out_per_1k: float | None = None
    run_budget_usd: float | None = Field(
        default=None, description="Stop sending requests once a run has spent this much."
    )
    cache_enabled: bool = True
    max_failure_rate: float = Field(
        default=0.2, description="Fail a partition when more of its items fail than this."
    )
    pairs_per_chunk: int = 3
    judge_chunks_per_request: int = Field(
        default=4, ge=1, description="Consecutive chunks judged in one request (1: one each)."
    )
    judge_max_source_words: int = Field(
        default=1200, ge=1, description="Words of source text at most in one judge request."
    )
    generation_chunks_per_request: int = Field(
        default=4,
        ge=1,
        description="Consecutive chunks written from in one generation request (1: one each).",
    )
    generation_max_source_words: int = Field(
        default=1200, ge=1, description="Words of chunk text at most in one generation request."
    )
    domain: str = ""
    example_questions: list[str] = Field(default_factory=list)
    knowledge_augmentation: bool = False

    @classmethod
    def from_env(cls, **overrides: Any) -> LLMResource:
        """Built from SDG_LLM_* variables (OpenAI's as fallbacks); the key stays an EnvVar."""
        values: dict[str, Any] = {}
        base_var = _first_env(ENV_BASE_URL)
        if base_var:
            values["base_url"] = os.environ[base_var].strip()
        key_var = _first_env(ENV_API_KEY)
        if key_var:
            values["api_key"] = dg.EnvVar(key_var)
        if os.environ.get(ENV_MODEL, "").strip():
            values["model"] = os.environ[ENV_MODEL].strip()
        if os.environ.get(ENV_JUDGE_MODEL, "").strip():
            values["judge_model"] = os.environ[ENV_JUDGE_MODEL].strip()
        if os.environ.get(ENV_MAX_CONCURRENCY, "").strip():
            values["max_concurrency"] = int(os.environ[ENV_MAX_CONCURRENCY])
        if os.environ.get(ENV_PAIRS_PER_CHUNK, "").strip():
            values["pairs_per_chunk"] = int(os.environ[ENV_PAIRS_PER_CHUNK])
        if os.environ.get(ENV_JUDGE_CHUNKS, "").strip():
            values["judge_chunks_per_request"] = int(os.environ[ENV_JUDGE_CHUNKS])
        if os.environ.get(ENV_GENERATION_CHUNKS, "").strip():
            values["generation_chunks_per_request"] = int(os.environ[ENV_GENERATION_CHUNKS])
        if os.environ.get(ENV_CACHE, "").strip().lower() in ("0", "false", "off", "no"):
            values["cache_enabled"] = False
        return cls(**(values | overrides))

    @property
    def is_configured(self) -> bool:
        return bool(_resolve(self.base_url) or _resolve(self.api_key))

    def settings(self) -> LLMSettings:
        key = _resolve(self.api_key)
        return LLMSettings(
            base_url=_resolve(self.base_url),
            api_key=SecretStr(key) if key else None,
            model=_resolve(self.model),
            judge_model=_resolve(self.judge_model),
            temperature=self.temperature,
            judge_temperature=self.judge_temperature,
            max_tokens=self.max_tokens,
            request_timeout_s=self.request_timeout_s,
            max_concurrency=self.max_concurrency,
            max_retries=self.max_retries,
            max_reasks=self.max_reasks,
            retry_base_delay_s=self.retry_base_delay_s,
            retry_max_delay_s=self.retry_max_delay_s,
            price_in_per_1k=self.price_in_per_1k,
            price_out_per_1k=self.price_out_per_1k,
            run_budget_usd=self.run_budget_usd,
            cache_enabled=self.cache_enabled,
            max_failure_rate=self.max_failure_rate,
            pairs_per_chunk=self.pairs_per_chunk,
            judge_chunks_per_request=self.judge_chunks_per_request,
            judge_max_source_words=self.judge_max_source_words,
            generation_chunks_per_request=self.generation_chunks_per_request,
            generation_max_source_words=self.generation_max_source_words,
            domain=self.domain,
            example_questions=tuple(self.example_questions),
            knowledge_augmentation=self.knowledge_augmentation,
        )

    def describe(self) -> dict[str, Any]:
        """Metadata-safe summary: endpoint host and models, never the key or the full URL."""
        settings = self.settings()
        if not settings.is_configured:
            return {
                "llm_configured": False,
                "generator": "offline",
                "note": "no SDG_LLM_BASE_URL / SDG_LLM_API_KEY (or OPENAI_*) set: offline "
                "generator and judge used",
            }
        return {
            "llm_configured": True,
            "generator": "llm",
            "endpoint_host": settings.endpoint_host,
            "model": settings.model or "(endpoint default)",
            "judge_model": settings.judge_model or settings.model or "(endpoint default)",
            "api_key_set": settings.api_key is not None,
            "temperature": settings.temperature,
            "max_tokens": settings.max_tokens,
            "max_concurrency": settings.max_concurrency,
            "max_retries": settings.max_retries,
            "cache_enabled": settings.cache_enabled,
            "max_failure_rate": settings.max_failure_rate,
            "run_budget_usd": settings.run_budget_usd,
            "knowledge_augmentation": settings.knowledge_augmentation,
            "generation_prompt_version": GENERATION_PROMPT_VERSION,
            "judge_prompt_version": JUDGE_PROMPT_VERSION,
        }
