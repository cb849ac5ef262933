"""A heading hyphenated over two lines is one heading, not a heading and a section named by
its tail (RANSFOIL's guide: "... iteration pa-" / "rameters", read 23)."""

from __future__ import annotations

from pathlib import Path

from sdg_pipeline.convert import ConversionOptions, ConversionStatus, convert_document

FIXTURES = Path(__file__).parent / "fixtures"


def test_heading_hyphenated_over_two_lines_is_one_heading() -> None:
    data = (FIXTURES / "ransfoil-p14.pdf").read_bytes()
    result = convert_document(data, "ransfoil-p14.pdf", ConversionOptions(mode="native"))
    assert result.status is ConversionStatus.OK, result.error
    headings = [line for line in result.markdown.splitlines() if line.startswith("#")]
    assert "## 9 Setting of ambient, mesh and iteration parameters" in headings, headings
    assert not any(h.lstrip("# ")[:1].islower() for h in headings), headings
