"""Which font names mean a monospaced (code) font."""

from __future__ import annotations

from pathlib import Path

from sdg_pipeline.convert import ConversionOptions, ConversionStatus, convert_document
from sdg_pipeline.convert.cells import font_is_mono

FIXTURES = Path(__file__).parent / "fixtures"


def test_unicode_and_monotype_fonts_are_not_monospaced() -> None:
    for font in ("ArialUnicodeMS", "Arial Unicode MS", "MonotypeCorsiva", "Monotype-Sorts"):
        assert not font_is_mono(font), font
    for font in ("FiraCode-Regular", "SourceCodePro-Bold", "DejaVuSansMono", "CourierNewPSMT",
                 "Consolas", "Menlo-Regular", "CMTT10", "Monaco"):  # fmt: skip
        assert font_is_mono(font), font


def test_prose_in_arial_unicode_is_paragraphs_not_code() -> None:
    # BeebOPL's user guide (page 3) sets its running text in Arial Unicode MS: "Unicode" once
    # made every line of it a code block, so no question was asked of the manual.
    data = (FIXTURES / "beebopl-p5.pdf").read_bytes()
    result = convert_document(data, "beebopl-p5.pdf", ConversionOptions(mode="native"))
    assert result.status == ConversionStatus.OK
    assert "```" not in result.markdown
    assert "check that you have all the following items:" in result.markdown
    assert "- A 34-way ribbon cable with female IDC connectors at either end" in result.markdown
