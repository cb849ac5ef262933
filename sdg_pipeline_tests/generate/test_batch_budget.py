"""The documents of a batch share one concurrency budget against the endpoint."""

from __future__ import annotations

from pathlib import Path

from sdg_pipeline.generate.llm import DocumentChunks, generate_pairs_llm_many
from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer, fast_settings, make_chunks


def test_a_batch_keeps_the_shared_limit_busy_and_never_exceeds_it(tmp_path: Path) -> None:
    documents = [
        DocumentChunks(f"doc-{i}", make_chunks(2, document_key=f"doc-{i}", content_hash=f"h{i}"))
        for i in range(6)
    ]
    with FakeOpenAIServer(latency_s=0.2) as server:
        settings = fast_settings(server.base_url, max_concurrency=5, model="fake-model")
        results = generate_pairs_llm_many(documents, settings=settings, cache_root=tmp_path)
        in_flight = server.counters()["max_in_flight"]
    assert set(results) == {doc.document_key for doc in documents}
    assert all(not isinstance(result, BaseException) for result in results.values())
    # 6 documents, each one request (its 2 chunks share it): more in flight than one
    # document's, never above the limit.
    assert in_flight == 5
