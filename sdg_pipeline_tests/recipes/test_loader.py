"""Recipes load, list and refuse malformed files with the file, the field and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdg_pipeline.llm.cache import cache_key
from sdg_pipeline.recipes import RecipeError, builtin_names, list_recipes, load_recipe
from sdg_pipeline.recipes.code_version import recipe_code_version
from sdg_pipeline.recipes.golden import load_golden

BUILTINS = {"grounded-qa", "knowledge-infusion", "conversation", "socratic-tutor", "rag-eval"}


def test_every_builtin_recipe_loads_and_lists_with_a_one_line_description() -> None:
    assert set(builtin_names()) >= BUILTINS
    listed = {name: (version, text) for name, version, text in list_recipes()}
    for name in BUILTINS:
        version, text = listed[name]
        assert version >= 1 and text and "\n" not in text
        assert load_recipe(name).recipe.name == name
    assert load_recipe(None).recipe.name == "grounded-qa"  # the default


def test_the_builtin_recipes_ship_as_package_data() -> None:
    # pyproject must list them, or an installed wheel has no recipes at all
    text = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    assert '"sdg_pipeline.recipes.builtin" = ["*.yaml"]' in text


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    return path


HEAD = "name: mine\nversion: 1\ndescription: a test recipe\n"


@pytest.mark.parametrize(
    ("body", "field", "expected"),
    [
        ("steps:\n  - kind: summarise\n", "steps[0]", "'direct_qa'"),
        ("steps:\n  - kind: direct_qa\nparameters:\n  pairs_per_chunk: three\n",
         "parameters.pairs_per_chunk", "valid integer"),
        ("steps:\n  - kind: direct_qa\nparameters:\n  pairs_per_chunks: 3\n",
         "parameters.pairs_per_chunks", "unknown field"),
        ("steps:\n  - kind: direct_qa\nfilters:\n  reject_patterns: ['(unclosed']\n",
         "filters.reject_patterns", "not a valid regex"),
        ("steps:\n  - kind: style_answer\n    style: kind\n", "(top level)", "first step"),
        ("steps:\n  - kind: conversation\n    min_turns: 4\n    max_turns: 2\n",
         "steps[0]", "exceeds max_turns"),
        ("steps: []\n", "steps", "at least 1"),
        ("parameters:\n  language: German\nsteps:\n  - kind: direct_qa\n",
         "parameters.language", "ISO 639-1"),
    ],
)  # fmt: skip
def test_a_malformed_recipe_names_file_field_and_what_was_expected(
    tmp_path: Path, body: str, field: str, expected: str
) -> None:
    path = _write(tmp_path, HEAD + body)
    with pytest.raises(RecipeError) as info:
        load_recipe(str(path))
    message = str(info.value)
    assert str(path) in message
    assert f"  {field}:" in message
    assert expected in message


def test_an_unknown_name_lists_the_builtin_recipes() -> None:
    with pytest.raises(RecipeError, match=r"built-in recipes: .*grounded-qa"):
        load_recipe("no-such-recipe")


def test_broken_yaml_is_reported_with_its_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: [unclosed\n")
    with pytest.raises(RecipeError, match=f"{path}.*not valid YAML"):
        load_recipe(str(path))


def test_golden_paths_resolve_beside_the_recipe_and_bad_lines_are_named(tmp_path: Path) -> None:
    (tmp_path / "golden.jsonl").write_text(
        '{"question": "What is the XR-7 limit?", "answer": "40 litres."}\n\n'
        '{"question": "", "answer": "x"}\n'
    )
    path = _write(
        tmp_path,
        HEAD + "steps:\n  - kind: direct_qa\ngolden:\n  path: golden.jsonl\n  share: 0.2\n",
    )
    golden = load_recipe(str(path)).recipe.golden
    assert golden is not None and golden.path == str(tmp_path / "golden.jsonl")
    with pytest.raises(RecipeError, match=r"golden.jsonl:3: field 'question'"):
        load_golden(golden.path)


def test_recipe_name_and_version_are_part_of_the_cache_key() -> None:
    base = {
        "model": "m",
        "messages": [{"role": "user", "content": "q"}],
        "sampling": {"temperature": 0.0},
        "prompt_version": "v",
    }
    keys = {
        cache_key(**base, recipe=tag)
        for tag in ("grounded-qa@1", "grounded-qa@2", "socratic-tutor@1")
    }
    assert len(keys) == 3


def test_the_environment_recipe_is_part_of_the_code_version(monkeypatch) -> None:
    monkeypatch.delenv("SDG_RECIPE", raising=False)
    default = recipe_code_version()
    monkeypatch.setenv("SDG_RECIPE", "conversation")
    assert "grounded-qa@1" in default and "conversation@1" in recipe_code_version()
