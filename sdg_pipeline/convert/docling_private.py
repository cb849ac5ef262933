"""Every use of docling's private API, in one place, each with a test that breaks on a change.

docling-slim is pinned to the minor version these were tested against (pyproject.toml); when it
moves, `sdg_pipeline_tests/test_private_api.py` says which of these no longer holds.
"""

from __future__ import annotations

from typing import Any


def rejection_message(document: Any) -> str | None:
    """Why docling refused to open an `InputDocument` (it keeps the reason in `_rejection`)."""
    rejection = getattr(document, "_rejection", None)
    return rejection.message if rejection is not None else None


def cells_only_pipeline(options: Any) -> Any:
    """docling's NativePdfPipeline that stops after parsing pages.

    The parsed pages are all the reconstruction reads; skipping `_assemble_document` saves
    building docling's one-item-per-line document from them.
    """
    from docling.pipeline.native_pdf_pipeline import NativePdfPipeline

    class CellsOnlyPipeline(NativePdfPipeline):
        def _assemble_document(self, conv_res):
            return conv_res

    return CellsOnlyPipeline(options)
