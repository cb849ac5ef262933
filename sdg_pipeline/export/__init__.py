"""Training-dataset export: fine-tuning formats, dedup, document split, dataset card."""

from sdg_pipeline.export.build import build_dataset
from sdg_pipeline.export.chat_validation import chat_token_count, validate_chat_line
from sdg_pipeline.export.config import ExportConfig, ExportResult
from sdg_pipeline.export.formats import validate_line

__all__ = [
    "ExportConfig",
    "ExportResult",
    "build_dataset",
    "chat_token_count",
    "validate_chat_line",
    "validate_line",
]
