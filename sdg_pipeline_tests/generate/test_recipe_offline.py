"""What each recipe does offline: the same pairs as today, real conversations, or a refusal."""

from __future__ import annotations

import pandas as pd
import pytest

from sdg_pipeline.generate.offline import generate_pairs_offline
from sdg_pipeline.generate.recipe_offline import RecipeNeedsEndpoint, generate_recipe_offline
from sdg_pipeline.recipes import load_recipe
from sdg_pipeline.recipes.loader import parse_recipe
from sdg_pipeline.schemas import QA_PAIRS
from sdg_pipeline_tests.fake_openai_server import make_chunks as make_subjectless_chunks
from sdg_pipeline_tests.generate.test_recipe_llm import GERMAN


def make_chunks(n: int, **kwargs) -> pd.DataFrame:
    # The offline templates name the document's subject; without one they write no
    # "What does <source> say about" question (see test_offline_subjects.py).
    return make_subjectless_chunks(n, subject="XR Pump Operating Manual", **kwargs)


def test_grounded_qa_offline_writes_exactly_todays_pairs() -> None:
    chunks = make_chunks(4)
    today = generate_pairs_offline(chunks, max_pairs_per_chunk=4)
    pairs, meta = generate_recipe_offline(
        chunks, load_recipe("grounded-qa").recipe, pairs_per_chunk=4
    )
    assert list(pairs.columns) == QA_PAIRS.names
    pd.testing.assert_frame_equal(
        today[list(today.columns[:12])].astype(object).where(today.notna(), None),
        pairs[list(today.columns[:12])].astype(object).where(pairs.notna(), None),
    )
    assert set(pairs["recipe"]) == {"grounded-qa"} and set(pairs["origin"]) == {"generated"}
    assert meta["languages"] == {"en": 4}


@pytest.mark.parametrize("name", ["knowledge-infusion", "socratic-tutor"])
def test_recipes_that_need_a_model_refuse_offline_with_the_reason(name: str) -> None:
    with pytest.raises(RecipeNeedsEndpoint, match=f"'{name}' needs an LLM endpoint.*SDG_LLM"):
        generate_recipe_offline(make_chunks(1), load_recipe(name).recipe, pairs_per_chunk=4)


def test_a_user_recipe_with_an_llm_rubric_refuses_offline() -> None:
    recipe = parse_recipe(
        "name: r\nversion: 1\ndescription: d\nsteps:\n  - kind: direct_qa\n"
        "filters:\n  llm_rubric: the answer is polite\n",
        "test",
    )
    with pytest.raises(RecipeNeedsEndpoint, match=r"filters\.llm_rubric"):
        generate_recipe_offline(make_chunks(1), recipe, pairs_per_chunk=4)


def test_offline_conversations_chain_a_chunks_extracted_pairs() -> None:
    # One chunk per manual: the chunks of one document share sentences whose questions a
    # document asks once.
    chunks = pd.concat(
        [make_chunks(1, document_key=f"manual-{i}.pdf") for i in range(3)], ignore_index=True
    )
    chunks["chunk_id"] = [f"c{i}" for i in range(3)]
    pairs, _ = generate_recipe_offline(
        chunks, load_recipe("conversation").recipe, pairs_per_chunk=4
    )
    texts = dict(zip(chunks["chunk_id"], chunks["text"], strict=True))
    assert len(pairs) == len(chunks)
    for turns, chunk_id, question in zip(
        pairs["turns"], pairs["chunk_id"], pairs["question"], strict=True
    ):
        roles = [t["role"] for t in turns]
        assert roles == ["user", "assistant"] * (len(turns) // 2) and 2 <= roles.count("user") <= 4
        assert turns[0]["content"] == question
        assert all(t["content"] in texts[chunk_id] for t in turns if t["role"] == "assistant")


def test_the_offline_generator_says_which_languages_it_cannot_write() -> None:
    chunks = make_chunks(2)
    chunks.loc[1, "text"] = GERMAN
    pairs, meta = generate_recipe_offline(
        chunks, load_recipe("grounded-qa").recipe, pairs_per_chunk=4
    )
    # the extractive generator finds nothing to ask in German, and says so rather than nothing
    assert set(pairs["chunk_id"]) == {"manual.pdf#0"}
    assert meta["chunks_language_unsupported"] == {"German": 1}
    assert "English questions only" in meta["language_note"]
    assert meta["languages"] == {"en": 1, "de": 1}


def test_offline_says_which_recipe_settings_only_an_llm_honours() -> None:
    pairs, meta = generate_recipe_offline(
        make_chunks(1), load_recipe("rag-eval").recipe, pairs_per_chunk=4
    )
    assert len(pairs) > 0
    assert "parameters.question_types" in meta["ignored_offline"]
    assert "steps[].instructions" in meta["ignored_offline"]
    _, plain = generate_recipe_offline(
        make_chunks(1), load_recipe("grounded-qa").recipe, pairs_per_chunk=4
    )
    assert "ignored_offline" not in plain
