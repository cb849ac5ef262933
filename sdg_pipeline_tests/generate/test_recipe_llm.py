"""Recipe steps through the real openai client against the loopback server."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sdg_pipeline.generate.llm import generate_pairs_llm
from sdg_pipeline.generate.recipe_llm import generate_recipe_llm
from sdg_pipeline.judge.llm import judge_pairs_llm
from sdg_pipeline.recipes import load_recipe
from sdg_pipeline.recipes.loader import parse_recipe
from sdg_pipeline_tests.fake_openai_server import (
    FakeOpenAIServer,
    default_generation,
    default_judgement,
    default_reply,
    fast_settings,
    judge_sources,
    make_chunks,
    prompt_kind,
)

GERMAN = (
    "Die Pumpe XR-900 fördert 40 Liter pro Minute bei einem Druck von 3 bar. "
    "Die Dichtungen der Pumpe müssen alle sechs Monate von einem Techniker geprüft werden. "
    "Das Gehäuse besteht aus Aluminiumguss und wiegt 12 kg."
)


def _settings(server: FakeOpenAIServer, **values: Any):
    return fast_settings(server.base_url, **({"model": "gen-model"} | values))


def _run(recipe, chunks: pd.DataFrame, server: FakeOpenAIServer, tmp_path: Path, **kw: Any):
    return generate_recipe_llm(
        chunks,
        recipe=recipe,
        settings=_settings(server, recipe=recipe.tag),
        cache_root=tmp_path / "cache",
        document_key="manual.pdf",
        **kw,
    )


def _bodies(server: FakeOpenAIServer, kind: str) -> list[dict[str, Any]]:
    return [b for b in server.requests if prompt_kind(b) == kind]


def test_grounded_qa_sends_todays_prompts_and_writes_todays_pairs(tmp_path: Path) -> None:
    chunks = make_chunks(3)
    with FakeOpenAIServer() as server:
        today, _ = generate_pairs_llm(
            chunks, settings=_settings(server), cache_root=tmp_path / "a", document_key="manual.pdf"
        )
        before = [b["messages"] for b in _bodies(server, "generate")]
        server.reset_counts()
        recipe = load_recipe("grounded-qa").recipe
        pairs, meta = _run(recipe, chunks, server, tmp_path)
        after = [b["messages"] for b in _bodies(server, "generate")]
    assert sorted(map(json.dumps, before)) == sorted(map(json.dumps, after))
    columns = ["pair_id", "chunk_id", "question", "answer", "question_type", "evidence"]
    pd.testing.assert_frame_equal(today[columns], pairs[columns])
    assert set(pairs["recipe"]) == {"grounded-qa"} and set(pairs["recipe_version"]) == {1}
    assert set(pairs["origin"]) == {"generated"} and set(pairs["language"]) == {"en"}
    assert meta["recipe"] == "grounded-qa" and meta["pairs_by_step"] == {"direct_qa": len(pairs)}


def test_knowledge_infusion_writes_from_each_summary_and_is_judged_on_the_raw_chunk(
    tmp_path: Path,
) -> None:
    chunks = make_chunks(2)
    recipe = load_recipe("knowledge-infusion").recipe
    with FakeOpenAIServer() as server:
        pairs, meta = _run(recipe, chunks, server, tmp_path)
        assert server.kind_counts["summary"] == 3 * len(chunks)
        steps = set(pairs["step"])
        assert {"summary_qa:detailed", "summary_qa:extractive", "summary_qa:atomic_facts"} <= steps
        server.reset_counts()
        judged, _ = judge_pairs_llm(
            pairs,
            chunks,
            settings=_settings(server, recipe=recipe.tag),
            cache_root=tmp_path / "cache",
            document_key="manual.pdf",
        )
        sources = [text for b in _bodies(server, "judge") for text in judge_sources(b)]
    assert sorted(sources) == sorted(chunks["text"])  # the raw chunks, each sent once
    assert judged["passed"].any()
    assert all(
        e is None or e in t for e, t in zip(pairs["evidence"], _texts(pairs, chunks), strict=True)
    )
    assert meta["pairs_by_step"]["summary_qa:raw"] > 0


def _texts(pairs: pd.DataFrame, chunks: pd.DataFrame) -> list[str]:
    by_id = dict(zip(chunks["chunk_id"], chunks["text"], strict=True))
    return [by_id[c] for c in pairs["chunk_id"]]


def test_conversations_alternate_and_stay_in_their_section(tmp_path: Path) -> None:
    chunks = make_chunks(3)
    recipe = load_recipe("conversation").recipe
    with FakeOpenAIServer() as server:
        pairs, _ = _run(recipe, chunks, server, tmp_path)
        prompts = [b["messages"][1]["content"] for b in _bodies(server, "conversation")]
    assert len(pairs) == len(chunks)
    for turns, text in zip(pairs["turns"], _texts(pairs, chunks), strict=True):
        roles = [t["role"] for t in turns]
        assert roles == ["user", "assistant"] * (len(turns) // 2)
        assert 2 <= roles.count("user") <= 4
        assert all(t["content"] in text for t in turns if t["role"] == "assistant")
    assert prompts and all("User turns: between 2 and 4." in p for p in prompts)


def test_a_conversation_that_does_not_alternate_is_asked_again(tmp_path: Path) -> None:
    chunks = make_chunks(1)
    recipe = load_recipe("conversation").recipe
    bad = {"turns": [{"role": "user", "content": "What is it?"}, {"role": "user", "content": "x"}]}
    with FakeOpenAIServer() as server:
        server.script(bad)
        pairs, meta = _run(recipe, chunks, server, tmp_path)
    assert meta["reasks"] == 1 and len(pairs) == 1 and pairs["error"].isna().all()


def test_the_socratic_filter_removes_replies_that_give_the_answer(tmp_path: Path) -> None:
    chunks = make_chunks(2)
    recipe = load_recipe("socratic-tutor").recipe

    def handler(body: dict[str, Any]) -> Any:
        if prompt_kind(body) != "restyle":
            return None
        answers = default_reply(body)["answers"]
        answers[0]["answer"] = "The answer is 40 litres per minute."
        if len(answers) > 1:
            answers[1]["answer"] = "Look at the pump section; it lists the flow rate."
        return {"answers": answers}

    with FakeOpenAIServer(handler=handler) as server:
        pairs, meta = _run(recipe, chunks, server, tmp_path)
    replies = [t[-1]["content"] for t in pairs["turns"]]
    assert replies and all(r.rstrip().endswith("?") for r in replies)
    assert not any("the answer is" in r.lower() for r in replies)
    assert meta["pairs_filtered"]["filter: contains 'the answer is'"] == len(chunks)
    assert meta["pairs_filtered"][r"filter: does not match /\?\s*$/"] == len(chunks)
    # the judge still checks the grounded fact each tutor reply rests on
    assert all(a in t for a, t in zip(pairs["answer"], _texts(pairs, chunks), strict=True))


def test_the_refine_loop_regenerates_rejected_pairs_with_the_judges_reason(
    tmp_path: Path,
) -> None:
    chunks = make_chunks(2)
    recipe = parse_recipe(
        "name: refined\nversion: 1\ndescription: d\nsteps:\n  - kind: direct_qa\n"
        "refine:\n  max_iterations: 2\n",
        "test",
    )
    reason = "the question names no product"
    MARK = " for the XR pump?"  # what the rewrite adds, and what the judge then accepts

    def handler(body: dict[str, Any]) -> Any:
        kind = prompt_kind(body)
        user = body["messages"][1]["content"]
        if kind == "judge":
            verdicts = default_judgement(body)["verdicts"]
            questions = re.findall(r"<question>(.*?)</question>", user)
            for verdict, question in zip(verdicts, questions, strict=True):
                if not question.endswith(MARK):
                    verdict |= {"faithfulness": "unsupported", "reason": reason}
            return {"verdicts": verdicts}
        if kind == "generate" and "Judge's reason" in user:
            pairs = default_generation(body)["pairs"]
            for pair in pairs:
                pair["question"] = pair["question"].rstrip("?") + MARK
            return {"pairs": pairs}
        return None

    with FakeOpenAIServer(handler=handler) as server:
        pairs, meta = _run(recipe, chunks, server, tmp_path)
        feedback = [b["messages"][1]["content"] for b in server.requests
                    if "Judge's reason" in b["messages"][1]["content"]]  # fmt: skip
        judged, _ = judge_pairs_llm(
            pairs,
            chunks,
            settings=_settings(server, recipe=recipe.tag),
            cache_root=tmp_path / "cache",
            document_key="manual.pdf",
        )
    assert len(feedback) == len(chunks) and all(reason in f for f in feedback)
    assert set(pairs["refine_iterations"]) == {1}
    assert judged["passed"].all()
    assert meta["refine_iterations_used"] == 1
    # per chunk: a judging, a rewrite, and the judging that accepted the rewrite
    assert meta["refine_judge_calls"] == 2 * len(chunks)
    assert meta["refine_generate_calls"] == len(chunks)
    assert meta["requests_by_kind"]["refine"] == len(chunks)


def test_the_refine_loop_stops_after_max_iterations(tmp_path: Path) -> None:
    chunks = make_chunks(1)
    recipe = parse_recipe(
        "name: refined\nversion: 1\ndescription: d\nsteps:\n  - kind: direct_qa\n"
        "refine:\n  max_iterations: 3\n",
        "test",
    )
    count = {"n": 0}

    def handler(body: dict[str, Any]) -> Any:
        kind = prompt_kind(body)
        if kind == "judge":
            verdicts = default_judgement(body)["verdicts"]
            return {
                "verdicts": [v | {"faithfulness": "unsupported", "reason": "no"} for v in verdicts]
            }
        if kind == "generate":
            count["n"] += 1
            pairs = default_generation(body)["pairs"]
            for pair in pairs:
                pair["question"] = pair["question"].rstrip("?") + f" (draft {count['n']})?"
            return {"pairs": pairs}
        return None

    with FakeOpenAIServer(handler=handler) as server:
        pairs, meta = _run(recipe, chunks, server, tmp_path)
    assert meta["refine_iterations_used"] == 3
    assert meta["refine_generate_calls"] == 3 and meta["refine_judge_calls"] == 3
    assert set(pairs["refine_iterations"]) == {3}
    assert count["n"] == 4  # the first draft and three rewrites, never more


def test_pairs_are_asked_for_in_the_chunks_language(tmp_path: Path) -> None:
    chunks = make_chunks(2)
    chunks.loc[1, "text"] = GERMAN
    with FakeOpenAIServer() as server:
        pairs, meta = _run(load_recipe("grounded-qa").recipe, chunks, server, tmp_path)
        prompts = {
            b["messages"][1]["content"].count("<passage>\n" + GERMAN): b["messages"][1]["content"]
            for b in _bodies(server, "generate")
        }
    assert "Write every question and answer in German" in prompts[1]
    assert "Write every question and answer" not in prompts[0]
    by_chunk = pairs.groupby("chunk_id")["language"].first()
    assert by_chunk["manual.pdf#1"] == "de" and by_chunk["manual.pdf#0"] == "en"
    assert meta["languages"] == {"en": 1, "de": 1}


DOC_RECIPE = re.compile(r"```yaml\n(# my-recipe.yaml.*?)```", re.S)


def test_the_user_recipe_of_the_docs_changes_the_data_without_code_changes(tmp_path: Path) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "recipes.md").read_text()
    path = tmp_path / "my-recipe.yaml"
    path.write_text(DOC_RECIPE.search(docs).group(1))
    recipe = load_recipe(str(path)).recipe
    chunks = make_chunks(2)
    with FakeOpenAIServer() as server:
        default, _ = _run(load_recipe("grounded-qa").recipe, chunks, server, tmp_path / "a")
        pairs, meta = _run(recipe, chunks, server, tmp_path / "b")
        prompts = [b["messages"][1]["content"] for b in _bodies(server, "generate")]
    assert set(pairs["step"]) == {"direct_qa+evolve_question"}
    assert all(q.endswith("and why does it matter?") for q in pairs["question"])
    assert pairs.groupby("chunk_id").size().max() <= 2 < default.groupby("chunk_id").size().max()
    assert any("a field service technician" in p for p in prompts)
    assert set(pairs["recipe"]) == {"field-service"}
    assert meta["requests_by_kind"]["evolve"] == len(chunks)


def test_golden_questions_are_shown_as_in_context_examples(tmp_path: Path) -> None:
    chunks = make_chunks(1)
    with FakeOpenAIServer() as server:
        _run(
            load_recipe("grounded-qa").recipe,
            chunks,
            server,
            tmp_path,
            example_questions=["Which torque does the golden G-5 valve need?"],
        )
        prompt = _bodies(server, "generate")[0]["messages"][1]["content"]
    assert "- Which torque does the golden G-5 valve need?" in prompt


@pytest.mark.parametrize("name", ["grounded-qa", "conversation", "rag-eval", "socratic-tutor",
                                  "knowledge-infusion"])  # fmt: skip
def test_rerunning_a_recipe_costs_no_request(tmp_path: Path, name: str) -> None:
    chunks = make_chunks(2)
    recipe = load_recipe(name).recipe
    with FakeOpenAIServer() as server:
        first, _ = _run(recipe, chunks, server, tmp_path)
        server.reset_counts()
        again, _ = _run(recipe, chunks, server, tmp_path)
        assert server.request_count == 0
    pd.testing.assert_frame_equal(first, again)


def test_a_recipes_own_examples_and_parameters_reach_the_prompt(tmp_path: Path) -> None:
    recipe = parse_recipe(
        "name: r\nversion: 1\ndescription: d\nsteps:\n  - kind: direct_qa\n"
        "parameters:\n  pairs_per_chunk: 2\n  question_types: [definition, reasoning]\n"
        "  difficulty: advanced\n  answer_length: short\n  personas: [a safety auditor]\n"
        "  examples:\n    - question: How is the lock-out of the K-9 press verified?\n"
        "      answer: By a second operator.\n",
        "test",
    )
    with FakeOpenAIServer() as server:
        pairs, _ = _run(recipe, make_chunks(1), server, tmp_path)
        prompt = _bodies(server, "generate")[0]["messages"][1]["content"]
    assert "- How is the lock-out of the K-9 press verified?" in prompt
    assert "question types in order: definition, reasoning." in prompt
    assert "Difficulty: advanced" in prompt and "Answer length: one sentence" in prompt
    assert "as a safety auditor would ask them" in prompt
    assert len(pairs) == 2 and list(pairs["question_type"]) == ["definition", "reasoning"]


def test_the_llm_rubric_drops_replies_the_model_says_miss_the_criterion(tmp_path: Path) -> None:
    recipe = parse_recipe(
        "name: r\nversion: 1\ndescription: d\nsteps:\n  - kind: direct_qa\n"
        "filters:\n  llm_rubric: The answer names a unit of measurement.\n",
        "test",
    )

    def handler(body: dict[str, Any]) -> Any:
        if prompt_kind(body) != "rubric":
            return None
        verdicts = default_reply(body)["verdicts"]
        verdicts[0] |= {"passed": False, "reason": "no unit"}
        return {"verdicts": verdicts}

    chunks = make_chunks(2)
    with FakeOpenAIServer(handler=handler) as server:
        pairs, meta = _run(recipe, chunks, server, tmp_path)
        rubric = _bodies(server, "rubric")
    assert len(rubric) == len(chunks)
    assert "The answer names a unit of measurement." in rubric[0]["messages"][0]["content"]
    assert meta["pairs_filtered"] == {"rubric": len(chunks)}
    assert pairs.groupby("chunk_id").size().tolist() == [2, 2]  # 3 written, 1 dropped each


def test_a_conversation_breaking_the_qa_row_rules_is_asked_again(tmp_path: Path) -> None:
    long_turns = [
        {"role": "user", "content": "What does the XR-100 pump deliver?"},
        {"role": "assistant", "content": "It delivers 40 litres per minute. " * 130},
        {"role": "user", "content": "And the pressure?"},
        {"role": "assistant", "content": "3 bar. " * 200},
    ]
    with FakeOpenAIServer() as server:
        server.script({"turns": long_turns})
        pairs, meta = _run(load_recipe("conversation").recipe, make_chunks(1), server, tmp_path)
        reask = server.requests[1]["messages"][-1]["content"]
    assert meta["reasks"] == 1 and "had an answer outside 2..4000 chars" in reask
    assert len(pairs) == 1 and len(pairs["answer"][0]) <= 4000
