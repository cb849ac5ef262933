"""A sentinel API key must never appear in logs, metadata, Parquet, the cache or exceptions,
including when the server echoes it back (as OpenAI does for a wrong key)."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from sdg_pipeline.defs.resources.llm import LLMResource
from sdg_pipeline.generate.llm import generate_pairs_llm
from sdg_pipeline.judge.llm import judge_pairs_llm
from sdg_pipeline.llm.client import LLMUnavailable
from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer, make_chunks

SENTINEL = "sk-SENTINEL-7f3a9c1e5b2d4068"


def exception_text(exc: BaseException) -> str:
    """Everything a logger or Dagster could print about an exception, chain included."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts += [str(current), repr(current), *map(str, current.args)]
        parts += traceback.format_exception(current)
        current = current.__cause__ or current.__context__
    return "\n".join(parts)


@pytest.fixture
def sentinel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDG_LLM_API_KEY", SENTINEL)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def test_key_is_sent_but_never_leaks_through_a_dagster_run(
    sentinel_env: None,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chunks = make_chunks(3)
    parquet_dir = tmp_path / "parquet"
    parquet_dir.mkdir()

    @dg.asset
    def judged(llm: LLMResource) -> dg.MaterializeResult:
        pairs, gen_stats = generate_pairs_llm(
            chunks,
            settings=llm.settings(),
            cache_root=str(tmp_path / "cache"),
            document_key="manual.pdf",
        )
        verdicts, judge_stats = judge_pairs_llm(
            pairs,
            chunks,
            settings=llm.settings(),
            cache_root=str(tmp_path / "cache"),
            document_key="manual.pdf",
        )
        pairs.to_parquet(parquet_dir / "pairs.parquet")
        verdicts.to_parquet(parquet_dir / "judged.parquet")
        return dg.MaterializeResult(
            metadata={"llm": llm.describe(), "generation": gen_stats, "judging": judge_stats}
        )

    caplog.set_level(logging.DEBUG)
    with FakeOpenAIServer(api_key=SENTINEL) as server:
        monkeypatch.setenv("SDG_LLM_BASE_URL", server.base_url)
        port = server.port
        instance = dg.DagsterInstance.ephemeral()
        result = dg.materialize(
            [judged],
            resources={"llm": LLMResource.from_env(retry_base_delay_s=0.01)},
            instance=instance,
        )
    assert result.success
    # The key reached the server (authentication works) ...
    assert set(server.authorization_headers) == {f"Bearer {SENTINEL}"}
    # ... and nowhere else.
    (record,) = instance.fetch_materializations(dg.AssetKey("judged"), limit=5).records
    metadata = record.asset_materialization.metadata  # type: ignore[union-attr]
    assert metadata["generation"].value["llm_requests"] == 1  # three chunks, one request
    assert metadata["llm"].value["endpoint_host"] == f"127.0.0.1:{port}"
    everything = [repr(entry) for entry in instance.all_logs(result.run_id)]
    everything.append(repr(instance.get_run_by_id(result.run_id)))
    everything.append(caplog.text)
    assert not [text for text in everything if SENTINEL in text]
    for path in list(parquet_dir.iterdir()) + list((tmp_path / "cache").rglob("*.json")):
        assert SENTINEL.encode() not in path.read_bytes(), path
    assert len(pd.read_parquet(parquet_dir / "judged.parquet")) == 9


def test_rejected_key_echoed_by_the_server_is_redacted_from_the_exception(
    sentinel_env: None,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeOpenAIServer(api_key="the-right-key") as server:
        monkeypatch.setenv("SDG_LLM_BASE_URL", server.base_url)
        with pytest.raises(LLMUnavailable) as raised:
            generate_pairs_llm(
                make_chunks(2),
                settings=LLMResource.from_env().settings(),
                cache_root=str(tmp_path),
                document_key="manual.pdf",
            )
        # The server really did echo it: the redaction is what keeps it out.
        assert server.status_counts[401] >= 1
    text = exception_text(raised.value)
    assert "rejected the API key" in text and "manual.pdf" in text
    assert SENTINEL not in text
    assert "SENTINEL" not in text  # not even a fragment of it
    assert SENTINEL not in caplog.text
