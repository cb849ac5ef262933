"""Settings and result of a training-dataset export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ExportFormat = Literal["openai", "alpaca", "sharegpt"]
FORMATS: tuple[str, ...] = ("openai", "alpaca", "sharegpt")


@dataclass(frozen=True)
class ExportConfig:
    format: ExportFormat = "openai"
    # Replaces (or adds) the system message of every example; None keeps what the rows hold.
    system_prompt: str | None = None
    # Put the source chunk into the prompt (chunk + question -> answer), InstructLab-style.
    context_in_prompt: bool = False
    validation_ratio: float = 0.1
    seed: int = 13
    max_tokens_per_example: int = 4096
    max_examples_per_document: int | None = None
    dedup: bool = True
    dedup_threshold: float = 0.8  # estimated Jaccard similarity of word 3-gram sets
    # Share of the training file made of the recipe's human-written golden examples.
    golden_share: float = 0.0

    def __post_init__(self) -> None:
        # Fail at construction, before any partition is read, so a bad setting never costs a run.
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, got {self.format!r}")
        if not 0.0 <= self.validation_ratio < 1.0:
            raise ValueError("validation_ratio must be in [0, 1)")
        if self.max_tokens_per_example <= 0:
            raise ValueError("max_tokens_per_example must be positive")
        if self.max_examples_per_document is not None and self.max_examples_per_document <= 0:
            raise ValueError("max_examples_per_document must be positive or None")
        if not 0.0 <= self.golden_share < 1.0:
            raise ValueError("golden_share must be in [0, 1)")
        if not 0.0 < self.dedup_threshold <= 1.0:
            raise ValueError("dedup_threshold must be in (0, 1]")


@dataclass
class ExportResult:
    train_uri: str
    valid_uri: str
    card_uri: str
    stats_uri: str
    eval_uri: str | None = None  # eval.jsonl of an evaluation-shape recipe, beside the splits
    # Every figure of the card as plain JSON-able values.
    stats: dict = field(default_factory=dict)
    # False when `verify` rejected the build: the files above are still the previous dataset.
    published: bool = True
