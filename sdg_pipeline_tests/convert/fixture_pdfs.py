"""The small real PDFs under `fixtures/` (see its README), converted natively."""

from __future__ import annotations

from pathlib import Path

from sdg_pipeline.convert import ConversionOptions, ConversionStatus, convert_document

FIXTURES = Path(__file__).parent / "fixtures"


def native_markdown(name: str) -> str:
    """The fixture's Markdown; the conversion must succeed."""
    data = (FIXTURES / name).read_bytes()
    result = convert_document(data, name, ConversionOptions(mode="native"))
    assert result.status is ConversionStatus.OK, result.error
    return result.markdown
