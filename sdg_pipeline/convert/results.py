"""The conversion contract: options in, one result per document out.

Every document gets a result, including the ones that cannot be converted: the status says
which kind of problem it was (stored in Parquet, so gating checks can stop that partition) and
`error` names it in words.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Literal


class ConversionStatus(enum.StrEnum):
    OK = "ok"
    EMPTY = "empty"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    NO_TEXT = "no_text"
    TOO_LARGE = "too_large"  # over max_bytes, max_pages or the memory budget
    TOO_SLOW = "too_slow"  # still converting when the time budget ran out
    UNSUPPORTED = "unsupported"
    MODELS_MISSING = "models_missing"


@dataclass(frozen=True)
class ConversionOptions:
    # auto: layout models when present at layout_models_path, else native (offline).
    mode: Literal["auto", "layout", "native"] = "auto"
    layout_models_path: str | None = None
    max_pages: int = 1000
    max_bytes: int = 200 * 1024 * 1024
    # HTML nested deeper than this is refused up front: docling walks the tree recursively and
    # searches each element's descendants, so depth costs quadratic time, then a RecursionError.
    max_html_depth: int = 256
    # The budget per document, enforced only when `isolate` runs the conversion in the worker
    # process (isolation.py); None means no limit. Memory is the worker's address space.
    timeout_seconds: float | None = None
    max_memory_mb: int | None = None
    isolate: bool = False
    # OCR pages without a usable text layer (scans, unmapped glyphs); see page_paths.py.
    ocr: bool = True


@dataclass
class ConversionResult:
    markdown: str
    # Char offset in `markdown` where page i+1 begins; [0] for pageless formats.
    page_starts: list[int]
    page_count: int
    status: ConversionStatus
    error: str | None
    mode: str  # "native" | "layout" | "simple": what was actually used
    converter: str
    converter_version: str
    seconds: float
    warnings: list[str] = field(default_factory=list)
    # Per PDF page: the path that converted it (native | ocr | none) and its quality signal
    # (0..1); empty for pageless formats and problem documents.
    page_paths: list[str] = field(default_factory=list)
    page_quality: list[float] = field(default_factory=list)
    # The title the file's metadata gives (PDF Info, DOCX core properties, HTML <title>, front
    # matter), which the Markdown drops; None when there is none (see metadata.py).
    title: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is ConversionStatus.OK

    @property
    def page_path_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for path in self.page_paths:
            counts[path] = counts.get(path, 0) + 1
        return counts
