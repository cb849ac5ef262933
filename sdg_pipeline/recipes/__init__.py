"""Recipes: the kinds of data a run writes, as versioned YAML files (see docs/recipes.md)."""

from sdg_pipeline.recipes.loader import (
    DEFAULT_RECIPE,
    LoadedRecipe,
    RecipeError,
    builtin_names,
    list_recipes,
    load_recipe,
)
from sdg_pipeline.recipes.models import Recipe

__all__ = [
    "DEFAULT_RECIPE",
    "LoadedRecipe",
    "Recipe",
    "RecipeError",
    "builtin_names",
    "list_recipes",
    "load_recipe",
]
