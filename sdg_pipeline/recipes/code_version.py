"""The recipe's part of the generation assets' code version.

Dagster's code version is fixed when the code location loads, so it names the recipe the
environment selects (SDG_RECIPE, else the default): switching recipes that way marks the
qa_pairs partitions stale. A recipe chosen in the launchpad is recorded in each
materialization's metadata and in every row (`recipe`, `recipe_version`), and the CLI's
freshness fingerprint covers the recipe file's content.
"""

from __future__ import annotations

import os

from sdg_pipeline.llm.recipe_prompts import RECIPE_PROMPT_VERSION
from sdg_pipeline.recipes import RecipeError, load_recipe


def recipe_code_version() -> str:
    name = os.environ.get("SDG_RECIPE", "").strip() or None
    try:
        loaded = load_recipe(name)
    except RecipeError:
        # the run fails with the full message when the settings load it; the location must load
        return f"{RECIPE_PROMPT_VERSION}+unknown-recipe"
    return f"{RECIPE_PROMPT_VERSION}+{loaded.tag}+{loaded.digest[:8]}"
