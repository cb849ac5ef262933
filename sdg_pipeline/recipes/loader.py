"""Finding, reading and validating recipes: built-in ones by name, user ones by path.

Errors name the file, the field and what was expected, and are raised before any request is
sent (the CLI and the assets load the recipe first).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from sdg_pipeline.recipes.models import Recipe

DEFAULT_RECIPE = "grounded-qa"
_BUILTIN_PACKAGE = "sdg_pipeline.recipes.builtin"


class RecipeError(ValueError):
    """A recipe that cannot be used; the message is meant for the person who wrote it."""


@dataclass(frozen=True)
class LoadedRecipe:
    recipe: Recipe
    source: str  # "builtin:<name>" or the file's path
    digest: str  # sha256 of the file's bytes: an edit is noticed even without a version bump

    @property
    def tag(self) -> str:
        return self.recipe.tag


def builtin_names() -> list[str]:
    folder = resources.files(_BUILTIN_PACKAGE)
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("direct_qa", "summary_qa", "conversation", "style_answer", "evolve_question"):
            continue  # the discriminator's branch name says nothing the user wrote
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _problem(item: dict) -> str:
    kind, message = item["type"], str(item["msg"])
    ctx = item.get("ctx") or {}
    if kind == "extra_forbidden":
        return "unknown field; check its spelling against docs/recipes.md"
    if kind == "missing":
        return "required field is missing"
    if kind == "union_tag_invalid":
        return f"kind: expected one of {ctx.get('expected_tags')}, got {ctx.get('tag')!r}"
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    got = item.get("input")
    shown = "" if isinstance(got, dict | list) or got is None else f" (got {got!r})"
    return "expected " + message.removeprefix("Input should be ") + shown


def describe_validation(source: str, error: ValidationError) -> str:
    lines = [
        f"  {_where(tuple(item['loc']))}: {_problem(item)}"
        for item in error.errors(include_url=False)
    ]
    return f"recipe {source} is not valid:\n" + "\n".join(lines)


def parse_recipe(text: str, source: str) -> Recipe:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RecipeError(f"recipe {source} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RecipeError(f"recipe {source}: expected a mapping at the top level")
    try:
        return Recipe.model_validate(data)
    except ValidationError as exc:
        raise RecipeError(describe_validation(source, exc)) from None


def load_recipe(name_or_path: str | None = None) -> LoadedRecipe:
    """A built-in recipe by name, or a user's YAML file by path (None: the default)."""
    target = (name_or_path or DEFAULT_RECIPE).strip()
    if target in builtin_names():
        raw = (resources.files(_BUILTIN_PACKAGE) / f"{target}.yaml").read_bytes()
        source = f"builtin:{target}"
    else:
        path = Path(target).expanduser()
        if not path.is_file():
            raise RecipeError(
                f"recipe {target!r}: no built-in recipe of that name and no such file; "
                f"built-in recipes: {', '.join(builtin_names())}"
            )
        raw = path.read_bytes()
        source = str(path.resolve())
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RecipeError(f"recipe {source} is not UTF-8 text") from None
    recipe = parse_recipe(text, source)
    if recipe.golden is not None and not source.startswith("builtin:"):
        golden = Path(recipe.golden.path)
        if not golden.is_absolute():
            # a golden path is relative to the recipe file, so a recipe folder can be moved whole
            golden = Path(source).parent / golden
            recipe = recipe.model_copy(
                update={"golden": recipe.golden.model_copy(update={"path": str(golden)})}
            )
    return LoadedRecipe(recipe, source, hashlib.sha256(raw).hexdigest())


def list_recipes() -> list[tuple[str, int, str]]:
    """(name, version, one-line description) of every built-in recipe."""
    out = []
    for name in builtin_names():
        recipe = load_recipe(name).recipe
        out.append((recipe.name, recipe.version, recipe.description.strip().splitlines()[0]))
    return out
