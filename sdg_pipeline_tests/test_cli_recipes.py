"""`sdg-pipeline recipes` and `run --recipe`: listed, selected, refused before any request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdg_pipeline.cli import main
from sdg_pipeline_tests.conftest import copy_samples
from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer

LLM_VARIABLES = ("SDG_LLM_BASE_URL", "OPENAI_BASE_URL", "SDG_LLM_API_KEY", "OPENAI_API_KEY")


@pytest.fixture
def offline(monkeypatch, tmp_path):
    for name in (*LLM_VARIABLES, "SDG_RECIPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    return monkeypatch


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_recipes_lists_every_builtin_with_a_description(capsys) -> None:
    assert main(["recipes"]) == 0
    printed = capsys.readouterr().out
    for name in ("grounded-qa", "knowledge-infusion", "conversation", "socratic-tutor", "rag-eval"):
        line = next(line for line in printed.splitlines() if line.startswith(name + " "))
        assert " v1 " in line and len(line.split("v1", 1)[1].strip()) > 20
        offline = name in ("grounded-qa", "conversation", "rag-eval")
        assert ("offline ok" if offline else "LLM only") in line


def test_a_malformed_recipe_stops_the_run_before_any_request(tmp_path, offline, capsys) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    recipe = tmp_path / "typo.yaml"
    recipe.write_text(
        "name: typo\nversion: 1\ndescription: d\nsteps:\n  - kind: direct_qa\n"
        "parameters:\n  pairs_per_chunk: many\n"
    )
    with FakeOpenAIServer() as server:
        offline.setenv("SDG_LLM_BASE_URL", server.base_url)
        code = main(["run", "--docs", str(docs), "--out", str(tmp_path / "out"),
                     "--recipe", str(recipe)])  # fmt: skip
        assert server.request_count == 0
    assert code == 2
    err = capsys.readouterr().err
    assert str(recipe) in err and "parameters.pairs_per_chunk: expected a valid integer" in err
    assert not (tmp_path / "out" / "chunks").exists()


def test_a_recipe_that_needs_a_model_says_so_offline(tmp_path, offline, capsys) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    code = main(["run", "--docs", str(docs), "--out", str(tmp_path / "out"),
                 "--recipe", "knowledge-infusion"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "'knowledge-infusion' needs an LLM endpoint" in err and "SDG_LLM_BASE_URL" in err


def test_conversation_runs_offline_from_extracted_pairs(tmp_path, offline) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    out = tmp_path / "out"
    assert main(["run", "--docs", str(docs), "--out", str(out), "--recipe", "conversation"]) == 0
    lines = _lines(out / "dataset" / "train.jsonl") + _lines(out / "dataset" / "valid.jsonl")
    assert lines
    for line in lines:
        roles = [m["role"] for m in line["messages"]]
        assert roles == ["user", "assistant"] * (len(roles) // 2) and roles.count("user") >= 2


def test_a_user_recipe_file_changes_the_data_without_code_changes(tmp_path, offline) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    default_out, mine_out = tmp_path / "default", tmp_path / "mine"
    assert main(["run", "--docs", str(docs), "--out", str(default_out)]) == 0
    recipe = tmp_path / "short.yaml"
    recipe.write_text(
        "name: short-answers\nversion: 1\ndescription: only short answers\n"
        "steps:\n  - kind: direct_qa\nfilters:\n  max_answer_chars: 120\n"
        "  reject_phrases: [onboarding]\n"
    )
    assert main(["run", "--docs", str(docs), "--out", str(mine_out), "--recipe", str(recipe)]) == 0

    def answers(out: Path) -> list[str]:
        lines = _lines(out / "dataset" / "train.jsonl") + _lines(out / "dataset" / "valid.jsonl")
        return [line["messages"][-1]["content"] for line in lines]

    before, after = answers(default_out), answers(mine_out)
    assert any(len(a) > 120 or "onboarding" in a.lower() for a in before)
    assert after and all(len(a) <= 120 and "onboarding" not in a.lower() for a in after)
    assert set(after) <= set(before)  # the same generator, filtered by the recipe
    card = (mine_out / "dataset" / "README.md").read_text()
    assert "Recipe: short-answers@1" in card


def test_rag_eval_offline_writes_only_the_eval_file_and_says_so(tmp_path, offline, capsys) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    out = tmp_path / "out"
    assert main(["run", "--docs", str(docs), "--out", str(out), "--recipe", "rag-eval"]) == 0
    samples = _lines(out / "dataset" / "eval.jsonl")
    assert samples and all(s["reference_contexts"] and s["reference"] for s in samples)
    assert _lines(out / "dataset" / "train.jsonl") == []
    assert (
        f"eval: {out / 'dataset' / 'eval.jsonl'} ({len(samples)} samples" in capsys.readouterr().out
    )


def test_golden_examples_of_a_recipe_file_are_mixed_in_marked_human(tmp_path, offline) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md"])
    folder = tmp_path / "recipe"
    (folder / "golden").mkdir(parents=True)
    (folder / "golden" / "a.jsonl").write_text(
        "".join(
            json.dumps({"question": f"Who signs off the T-{i} badge request?", "answer": "HR."})
            + "\n"
            for i in range(30)
        )
    )
    recipe = folder / "with-golden.yaml"
    recipe.write_text(
        "name: with-golden\nversion: 1\ndescription: d\nsteps:\n  - kind: direct_qa\n"
        "golden:\n  path: golden\n  share: 0.25\n"
    )
    out = tmp_path / "out"
    assert main(["run", "--docs", str(docs), "--out", str(out), "--recipe", str(recipe)]) == 0
    train = _lines(out / "dataset" / "train.jsonl")
    human = [line for line in train if line["origin"] == "human"]
    assert human and len(human) == round(0.25 * (len(train) - len(human)) / 0.75)
    assert all(line["messages"][-1]["content"] == "HR." for line in human)
    stats = json.loads((out / "dataset" / "stats.json").read_text())
    assert stats["golden"]["examples"] == len(human)
