"""LLMResource: configuration from the environment, offline fallback, safe description."""

from __future__ import annotations

import dagster as dg
import pytest

from sdg_pipeline.defs.resources.llm import LLMResource

ALL_VARS = (
    "SDG_LLM_BASE_URL",
    "SDG_LLM_API_KEY",
    "SDG_LLM_MODEL",
    "SDG_JUDGE_MODEL",
    "SDG_LLM_MAX_CONCURRENCY",
    "SDG_LLM_CACHE",
    "SDG_LLM_PAIRS_PER_CHUNK",
    "OPENAI_BASE_URL",
    "OPENAI_API_KEY",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ALL_VARS:
        monkeypatch.delenv(name, raising=False)


def test_unconfigured_means_offline_and_says_so() -> None:
    resource = LLMResource.from_env()
    assert not resource.is_configured
    description = resource.describe()
    assert description["llm_configured"] is False and description["generator"] == "offline"


def test_sdg_variables_configure_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDG_LLM_BASE_URL", "http://gpu-box:8000/v1")
    monkeypatch.setenv("SDG_LLM_API_KEY", "sk-sdg-secret-value")
    monkeypatch.setenv("SDG_LLM_MODEL", "qwen2.5-7b")
    monkeypatch.setenv("SDG_JUDGE_MODEL", "llama-3.1-70b")
    monkeypatch.setenv("SDG_LLM_MAX_CONCURRENCY", "32")
    monkeypatch.setenv("SDG_LLM_CACHE", "off")
    monkeypatch.setenv("SDG_LLM_PAIRS_PER_CHUNK", "6")
    resource = LLMResource.from_env()
    assert isinstance(resource.api_key, dg.EnvVar)  # the value never enters the config
    settings = resource.settings()
    assert settings.base_url == "http://gpu-box:8000/v1"
    assert (
        settings.api_key is not None
        and settings.api_key.get_secret_value() == "sk-sdg-secret-value"
    )
    assert (settings.model, settings.judge_model) == ("qwen2.5-7b", "llama-3.1-70b")
    assert settings.max_concurrency == 32 and settings.cache_enabled is False
    assert settings.pairs_per_chunk == 6
    description = resource.describe()
    assert description["endpoint_host"] == "gpu-box:8000"
    assert description["model"] == "qwen2.5-7b" and description["judge_model"] == "llama-3.1-70b"
    assert "sk-sdg-secret-value" not in repr(description) + repr(settings)


def test_openai_variables_are_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-value")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://proxy.example/v1")
    settings = LLMResource.from_env().settings()
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "sk-openai-value"
    assert settings.base_url == "https://proxy.example/v1"
    monkeypatch.setenv("SDG_LLM_API_KEY", "sk-sdg-value")
    assert LLMResource.from_env().settings().api_key.get_secret_value() == "sk-sdg-value"  # type: ignore[union-attr]


def test_base_url_alone_configures_a_keyless_local_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDG_LLM_BASE_URL", "http://localhost:11434/v1")
    resource = LLMResource.from_env()
    assert resource.is_configured and resource.settings().api_key is None
    assert resource.describe()["api_key_set"] is False


def test_describe_never_shows_credentials_in_the_url() -> None:
    resource = LLMResource(base_url="https://user:pw@host.example:8443/v1?token=abc")
    description = resource.describe()
    assert description["endpoint_host"] == "host.example:8443"
    assert "pw" not in repr(description) and "abc" not in repr(description)
