"""The one config object for chunking, judging thresholds, expectation thresholds and export."""

from __future__ import annotations

from typing import Literal

import dagster as dg
from pydantic import Field

from sdg_pipeline.expectations.thresholds import CheckThresholds
from sdg_pipeline.export import ExportConfig
from sdg_pipeline.judge.lexical import JudgeThresholds
from sdg_pipeline.recipes import DEFAULT_RECIPE, LoadedRecipe, RecipeError, load_recipe
from sdg_pipeline.recipes.golden import GoldenExample, load_golden
from sdg_pipeline.screen.interleaving import InterleavingThresholds
from sdg_pipeline.screen.pii import KINDS as PII_KINDS
from sdg_pipeline.screen.pii import PiiPolicy
from sdg_pipeline.screen.triage import TriageThresholds


class PipelineSettings(dg.ConfigurableResource):
    """Thresholds and knobs of every stage. Defaults are documented in the README."""

    # Chunking
    chunk_min_tokens: int = Field(default=80, description="Smaller sections merge with neighbours.")
    chunk_max_tokens: int = Field(default=512, description="Larger sections split at paragraphs.")
    # Triage before generation: chunks that cannot teach anything, or must not be sent
    triage_enabled: bool = Field(default=True, description="Skip chunks triage rejects.")
    triage_min_words: int = Field(default=12)
    triage_max_garbled_ratio: float = Field(default=0.02)
    triage_min_letter_ratio: float = Field(default=0.45)
    # Interleaved columns (screen/interleaving.py): a chunk is skipped when this many of its
    # paragraphs, and this share of them, restart or stop mid-sentence; or when glued words and
    # impossible word pairs reach this count and rate per 100 words
    triage_interleaved_min_broken: int = Field(default=3)
    triage_interleaved_broken_share: float = Field(default=0.4)
    triage_interleaved_min_salad: int = Field(default=2)
    triage_interleaved_salad_per_100_words: float = Field(default=1.0)
    triage_interleaved_fragment_share: float = Field(default=0.6)
    # Personal data redacted before publication ("" turns redaction off)
    pii_redact: str = Field(
        default="email,phone,iban,card", description="Comma-separated kinds to redact."
    )
    # What kind of data to write: a built-in recipe's name or a recipe file's path
    recipe: str = Field(
        default=DEFAULT_RECIPE,
        description="grounded-qa, knowledge-infusion, conversation, socratic-tutor, rag-eval, "
        "or the path of a recipe YAML file (`sdg-pipeline recipes` lists them)",
    )
    # Generation (offline generator; the LLM resource has its own pairs_per_chunk)
    offline_pairs_per_chunk: int = Field(default=4)
    # Judging: a pair passes when every score reaches its floor and grounding holds
    min_faithfulness: float = Field(default=0.8)
    min_relevancy: float = Field(default=0.5)
    min_standalone: float = Field(default=0.7)
    # Expectation suites (blocking checks)
    min_letter_ratio: float = Field(default=0.5, description="Catches scans and mojibake.")
    max_generation_failure_rate: float = Field(default=0.2)
    min_pass_rate: float = Field(default=0.2, description="A judge passing less is suspect.")
    # Export
    output_format: Literal["openai", "alpaca", "sharegpt"] = Field(default="openai")
    system_prompt: str | None = Field(default=None)
    context_in_prompt: bool = Field(default=False)
    validation_ratio: float = Field(default=0.1)
    split_seed: int = Field(default=13)
    max_tokens_per_example: int = Field(default=4096)
    max_examples_per_document: int | None = Field(default=None)
    dedup: bool = Field(default=True)
    dedup_threshold: float = Field(default=0.8)

    def loaded_recipe(self) -> LoadedRecipe:
        """The recipe, validated (RecipeError names the file, field and what was expected),
        and compatible with the output format."""
        loaded = load_recipe(self.recipe)
        recipe = loaded.recipe
        fmt = recipe.output.shape if recipe.output.shape in ("alpaca", "sharegpt") else None
        if recipe.multi_turn and (fmt or self.output_format) == "alpaca":
            raise RecipeError(
                f"recipe {recipe.name!r} writes multi-turn conversations, and alpaca holds one "
                "exchange per line: set output_format to openai or sharegpt"
            )
        return loaded

    def golden_examples(self) -> list[GoldenExample]:
        golden = self.loaded_recipe().recipe.golden
        return load_golden(golden.path) if golden is not None else []

    def triage_thresholds(self) -> TriageThresholds:
        return TriageThresholds(
            min_words=self.triage_min_words,
            max_garbled_ratio=self.triage_max_garbled_ratio,
            min_letter_ratio=self.triage_min_letter_ratio,
            interleaving=InterleavingThresholds(
                min_broken=self.triage_interleaved_min_broken,
                max_broken_share=self.triage_interleaved_broken_share,
                min_salad=self.triage_interleaved_min_salad,
                max_salad_per_100_words=self.triage_interleaved_salad_per_100_words,
                max_fragment_share=self.triage_interleaved_fragment_share,
            ),
        )

    def pii_policy(self) -> PiiPolicy | None:
        kinds = tuple(k.strip() for k in self.pii_redact.split(",") if k.strip())
        unknown = sorted(set(kinds) - set(PII_KINDS))
        if unknown:
            raise ValueError(f"pii_redact: unknown kind(s) {unknown}; expected some of {PII_KINDS}")
        return PiiPolicy(kinds=kinds) if kinds else None

    def judge_thresholds(self) -> JudgeThresholds:
        return JudgeThresholds(
            min_faithfulness=self.min_faithfulness,
            min_relevancy=self.min_relevancy,
            min_standalone=self.min_standalone,
        )

    def check_thresholds(self) -> CheckThresholds:
        return CheckThresholds(
            chunk_min_tokens=1,
            # a table that alone exceeds the bound stays whole, so the check allows slack
            chunk_max_tokens=self.chunk_max_tokens * 2,
            min_letter_ratio=self.min_letter_ratio,
            max_generation_failure_rate=self.max_generation_failure_rate,
            min_pass_rate=self.min_pass_rate,
            max_example_tokens=self.max_tokens_per_example,
        )

    def export_config(self) -> ExportConfig:
        recipe = self.loaded_recipe().recipe
        # A recipe that asks for alpaca or sharegpt decides the format; "chat" and "eval" keep
        # the setting (eval rows go to their own file whatever the format).
        shape = recipe.output.shape
        return ExportConfig(
            format=shape if shape in ("alpaca", "sharegpt") else self.output_format,
            golden_share=recipe.golden.share if recipe.golden is not None else 0.0,
            system_prompt=self.system_prompt,
            context_in_prompt=self.context_in_prompt,
            validation_ratio=self.validation_ratio,
            seed=self.split_seed,
            max_tokens_per_example=self.max_tokens_per_example,
            max_examples_per_document=self.max_examples_per_document,
            dedup=self.dedup,
            dedup_threshold=self.dedup_threshold,
        )
