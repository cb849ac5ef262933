"""What a recipe is: the pydantic models a recipe YAML file must satisfy.

A recipe says which generation steps run, with which prompts and parameters, which filters the
outputs must pass, how rejected pairs are refined and what shape the output takes. Everything
is checked when the file is loaded, so a typo costs an error message, never a request.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sdg_pipeline.llm.replies import QUESTION_TYPES

SummaryKind = Literal["detailed", "extractive", "atomic_facts"]
OutputShape = Literal["chat", "alpaca", "sharegpt", "eval"]
EvolveOperation = Literal["deepen", "concretize", "add_constraint", "reasoning"]

# Steps that write pairs from a chunk, and steps that rewrite pairs an earlier step wrote.
SOURCE_STEPS = ("direct_qa", "summary_qa", "conversation")
TRANSFORM_STEPS = ("style_answer", "evolve_question")


class _Strict(BaseModel):
    # An unknown key is nearly always a typo ("pairs_per_chunks"): refuse it rather than ignore.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Example(_Strict):
    """One in-context example: a question and the answer wanted for it."""

    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)


class DirectQA(_Strict):
    """Pairs written straight from the raw chunk (today's generator)."""

    kind: Literal["direct_qa"]
    instructions: str = ""


class SummaryQA(_Strict):
    """Each summary of the chunk is written first, then pairs are written from it; answers and
    evidence must still hold in the raw chunk, which is what the judge sees."""

    kind: Literal["summary_qa"]
    summaries: list[SummaryKind] = Field(min_length=1)
    include_raw: bool = Field(default=True, description="Also write pairs from the raw chunk.")
    instructions: str = ""


class Conversation(_Strict):
    """A multi-turn conversation grounded in one section: every follow-up stays in it."""

    kind: Literal["conversation"]
    min_turns: int = Field(default=2, ge=2, le=8, description="user turns")
    max_turns: int = Field(default=4, ge=2, le=8, description="user turns")
    instructions: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Conversation:
        if self.min_turns > self.max_turns:
            raise ValueError(f"min_turns {self.min_turns} exceeds max_turns {self.max_turns}")
        return self


class StyleAnswer(_Strict):
    """The answer of each pair rewritten in a style (a tutor, a persona, a register)."""

    kind: Literal["style_answer"]
    style: str = Field(min_length=1, description="how the assistant should reply")
    examples: list[Example] = Field(default_factory=list)


class EvolveQuestion(_Strict):
    """Evol-Instruct style: each question made harder, then answered again from the chunk."""

    kind: Literal["evolve_question"]
    operations: list[EvolveOperation] = Field(default_factory=lambda: ["deepen"], min_length=1)


Step = Annotated[
    DirectQA | SummaryQA | Conversation | StyleAnswer | EvolveQuestion, Field(discriminator="kind")
]


class Parameters(_Strict):
    pairs_per_chunk: int | None = Field(
        default=None, ge=1, le=20, description="unset: the LLM resource's pairs_per_chunk"
    )
    question_types: list[str] = Field(
        default_factory=list, description=f"a mix from {', '.join(QUESTION_TYPES)}"
    )
    difficulty: Literal["basic", "intermediate", "advanced"] | None = None
    answer_length: Literal["short", "medium", "long"] | None = None
    personas: list[str] = Field(default_factory=list, description="who asks the questions")
    language: str = Field(
        default="source",
        description="'source' (the chunk's own language) or an ISO 639-1 code such as 'en'",
    )
    examples: list[Example] = Field(default_factory=list, description="in-context examples")

    @field_validator("question_types")
    @classmethod
    def _known_types(cls, value: list[str]) -> list[str]:
        unknown = [t for t in value if t not in QUESTION_TYPES]
        if unknown:
            raise ValueError(f"unknown question type(s) {unknown}; expected {list(QUESTION_TYPES)}")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value != "source" and not re.fullmatch(r"[a-z]{2}", value):
            raise ValueError(f"must be 'source' or a two-letter ISO 639-1 code, got {value!r}")
        return value


class Filters(_Strict):
    """Rules every generated reply must keep; a pair breaking one is dropped and counted."""

    reject_phrases: list[str] = Field(
        default_factory=list, description="case-insensitive phrases an answer must not contain"
    )
    reject_patterns: list[str] = Field(default_factory=list, description="regexes (answer)")
    require_patterns: list[str] = Field(default_factory=list, description="regexes (answer)")
    min_answer_chars: int | None = Field(default=None, ge=1)
    max_answer_chars: int | None = Field(default=None, ge=1)
    llm_rubric: str | None = Field(
        default=None, description="a yes/no criterion the judge model checks each reply against"
    )

    @field_validator("reject_patterns", "require_patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regex: {exc}") from None
        return value


class Refine(_Strict):
    """Pairs the judge rejects are regenerated with its reason, at most max_iterations times."""

    max_iterations: int = Field(default=0, ge=0, le=5)


class Golden(_Strict):
    """Human-written examples: mixed into the training set and shown as in-context examples."""

    path: str = Field(min_length=1, description="a .jsonl file or a folder of them")
    share: float = Field(default=0.1, ge=0.0, lt=1.0, description="share of the training set")
    in_context: bool = True


class Output(_Strict):
    shape: OutputShape = "chat"


class Recipe(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: int = Field(ge=1)
    description: str = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    parameters: Parameters = Parameters()
    filters: Filters = Filters()
    refine: Refine = Refine()
    output: Output = Output()
    golden: Golden | None = None
    needs_llm: bool = Field(
        default=False, description="true when no offline generator can honestly do its steps"
    )

    @model_validator(mode="after")
    def _steps_in_order(self) -> Recipe:
        if self.steps[0].kind not in SOURCE_STEPS:
            raise ValueError(
                f"steps[0] is {self.steps[0].kind!r}: the first step must write pairs "
                f"({', '.join(SOURCE_STEPS)}); {', '.join(TRANSFORM_STEPS)} rewrite them"
            )
        conversations = [s for s in self.steps if s.kind == "conversation"]
        if conversations and len(self.steps) > 1:
            raise ValueError("a conversation step cannot be combined with other steps")
        return self

    @property
    def tag(self) -> str:
        """name@version: what the cache key, code version and every row carry."""
        return f"{self.name}@{self.version}"

    @property
    def multi_turn(self) -> bool:
        return any(s.kind == "conversation" for s in self.steps)
