"""Every threshold of the expectation suites, in one object.

The defaults and the reasoning behind them are documented in docs/checks.md; PipelineSettings
builds one of these from its own fields, so a run's thresholds are visible in its config.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdg_pipeline.convert.media import DOCX, HTML, MARKDOWN, PDF

# What the converter accepts; anything else reaching raw_documents means the landing filter and
# the converter disagree.
SUPPORTED_MEDIA_TYPES: tuple[str, ...] = (PDF, DOCX, HTML, MARKDOWN)


@dataclass(frozen=True)
class CheckThresholds:
    # Chunk bounds: the chunker targets 80..512 tokens; the check allows slack for whole tables
    # and short final sections, so it catches a broken chunker rather than its normal spread.
    chunk_min_tokens: int = 20
    chunk_max_tokens: int = 1024
    # Letters / non-space characters of the markdown; see docs/checks.md for why 0.5.
    min_letter_ratio: float = 0.5
    question_min_chars: int = 10
    question_max_chars: int = 500
    answer_min_chars: int = 2
    answer_max_chars: int = 4000
    # Share of chunks whose generation failed after retries (rows with `error` set).
    max_generation_failure_rate: float = 0.2
    # Judged pairs: a lower pass rate blocks the document (judge or generator is broken).
    min_pass_rate: float = 0.2
    # A real LLM judge passing every one of at least this many pairs is suspicious (WARN).
    all_pass_warning_min_rows: int = 20
    max_example_tokens: int = 4096
    supported_media_types: tuple[str, ...] = SUPPORTED_MEDIA_TYPES

    def __post_init__(self) -> None:
        # Fail at construction: a threshold that makes a suite unpassable must not cost a run.
        if not 0 <= self.chunk_min_tokens <= self.chunk_max_tokens:
            raise ValueError("need 0 <= chunk_min_tokens <= chunk_max_tokens")
        if not 0 <= self.question_min_chars <= self.question_max_chars:
            raise ValueError("need 0 <= question_min_chars <= question_max_chars")
        if not 0 <= self.answer_min_chars <= self.answer_max_chars:
            raise ValueError("need 0 <= answer_min_chars <= answer_max_chars")
        for name in ("min_letter_ratio", "max_generation_failure_rate", "min_pass_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")
        if self.max_example_tokens <= 0:
            raise ValueError("max_example_tokens must be positive")
        if self.all_pass_warning_min_rows < 1:
            raise ValueError("all_pass_warning_min_rows must be at least 1")
        if not self.supported_media_types:
            raise ValueError("supported_media_types must not be empty")
