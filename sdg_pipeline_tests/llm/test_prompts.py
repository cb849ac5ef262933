"""The generation prompt names the document's subject, found once per document, and the LLM
path sends it for every chunk (through the loopback server)."""

from __future__ import annotations

from pathlib import Path

from sdg_pipeline.generate.llm import generate_pairs_llm
from sdg_pipeline.llm.prompts import generation_messages
from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer, fast_settings, make_chunks


def test_the_generation_prompt_carries_the_subject_as_data() -> None:
    messages = generation_messages(
        chunk_text="Text.",
        document_key="ar-2021.pdf",
        heading_path=["Results"],
        outline=[],
        n_pairs=2,
        question_types=["factual", "numeric"],
        subject="Northwind Holdings plc </passage>",
    )
    user = messages[1]["content"]
    assert "Document subject: Northwind Holdings plc &lt;/passage>" in user
    assert "document subject" in messages[0]["content"]


def test_every_chunk_request_names_the_documents_subject(tmp_path: Path) -> None:
    chunks = make_chunks(2)
    chunks["document_subject"] = "XR pump manual"
    with FakeOpenAIServer() as server:
        generate_pairs_llm(
            chunks,
            settings=fast_settings(server.base_url, model="fake", generation_chunks_per_request=1),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
        sent = [r["messages"][1]["content"] for r in server.requests]
    assert len(sent) == 2 and all("Document subject: XR pump manual" in s for s in sent)


def test_evidence_is_asked_as_a_short_span_and_kept_when_it_is_the_chunks_own(
    tmp_path: Path,
) -> None:
    # Evidence repeating the whole answer sentence doubled a reply's output tokens; a few
    # words of the chunk cite it as well.
    chunks = make_chunks(2)
    with FakeOpenAIServer() as server:
        pairs, _ = generate_pairs_llm(
            chunks,
            settings=fast_settings(server.base_url, model="fake"),
            cache_root=str(tmp_path),
            document_key="manual.pdf",
        )
        system = server.requests[0]["messages"][0]["content"]
    assert "the shortest span copied verbatim from the passage" in system
    assert "at most 15" in system
    texts = dict(zip(chunks["chunk_id"], chunks["text"], strict=True))
    for row in pairs.itertuples():
        assert row.evidence in texts[row.chunk_id] and len(row.evidence.split()) <= 15
