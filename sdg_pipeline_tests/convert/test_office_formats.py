"""DOCX, HTML and Markdown go through docling's own backends."""

from __future__ import annotations

import io

import pytest

from sdg_pipeline.convert import ConversionStatus, convert_document


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Quarterly Findings", level=1)
    document.add_paragraph("Revenue grew in every region during the quarter.")
    document.add_paragraph("Costs fell", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Region", "Growth"
    table.cell(1, 0).text, table.cell(1, 1).text = "North", "12%"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_generated_docx_converts_with_structure() -> None:
    result = convert_document(_docx(), "findings.docx")
    assert result.status is ConversionStatus.OK
    assert result.mode == "simple"
    assert "# Quarterly Findings" in result.markdown
    assert "- Costs fell" in result.markdown
    assert "| North" in result.markdown
    assert result.page_starts == [0]


def test_a_docx_with_an_equation_converts_and_keeps_the_equation() -> None:
    """Word writes equations as OMML; docling's DOCX backend turns them into LaTeX with
    pylatexenc, which its format-docx extra does not install: a document holding one equation
    failed whole ("name 'UnicodeToLatexEncoder' is not defined")."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_heading("Flow Rates", level=1)
    document.add_paragraph("The pump delivers a flow proportional to its speed.")
    paragraph = document.add_paragraph("The relation is ")
    omml = (
        '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
        "<m:r><m:t>Q</m:t></m:r><m:r><m:t>=</m:t></m:r>"
        "<m:f><m:num><m:r><m:t>V</m:t></m:r></m:num><m:den><m:r><m:t>t</m:t></m:r></m:den></m:f>"
        "</m:oMath>"
    )
    paragraph._p.append(parse_xml(omml))
    document.add_paragraph("Higher speeds give higher flows.")
    buffer = io.BytesIO()
    document.save(buffer)
    result = convert_document(buffer.getvalue(), "flow.docx")
    assert result.status is ConversionStatus.OK, result.error
    assert "Higher speeds give higher flows." in result.markdown
    assert "\\frac" in result.markdown and "Q" in result.markdown


def test_generated_html_converts() -> None:
    html = (
        b"<!doctype html><html><body><h2>Pivot</h2><p>Sales by year.</p>"
        b"<table><tr><th>Year</th><th>Sales</th></tr><tr><td>2025</td><td>134</td></tr>"
        b"</table></body></html>"
    )
    result = convert_document(html, "page.html")
    assert result.status is ConversionStatus.OK
    assert "## Pivot" in result.markdown
    assert "2025" in result.markdown and "|" in result.markdown


def test_a_web_pages_links_leave_their_text_and_no_footnote_or_edit_markers() -> None:
    # a saved Wikipedia page: every link, a footnote marker after a sentence and an edit button
    # beside a heading; the pairs of such text failed for citation markup
    html = (
        b'<!doctype html><html><body><h2>Methods <span>[<a href="/w/index.php?title=X&amp;'
        b'action=edit&amp;section=4">edit</a>]</span></h2><p>The current <a href="/wiki/IUD">'
        b'intrauterine devices</a> are small devices.<sup><a href="#cite_note-63">[63]</a>'
        b'</sup> They last <a href="https://example.org/years">years</a>. See the '
        b'<a href="#refund-policy">refund policy</a>.</p></body></html>'
    )
    markdown = convert_document(html, "page.html").markdown
    assert "The current intrauterine devices are small devices." in markdown
    assert "They last years." in markdown
    # a jump to a section of the page is a link like any other: its text stays
    assert "See the refund policy." in markdown
    for marker in ("/wiki/", "cite_note", "63", "edit", "example.org", "[ ]"):
        assert marker not in markdown, (marker, markdown)
    assert "## Methods" in markdown


def test_generated_markdown_converts() -> None:
    result = convert_document(b"# Notes\n\n- one\n- two\n", "notes.md")
    assert result.status is ConversionStatus.OK
    assert "# Notes" in result.markdown
    assert "- two" in result.markdown


@pytest.mark.parametrize(
    "name", ["word_sample.docx", "word_tables.docx", "example_08.html", "wiki.md"]
)
def test_corpus_office_documents_convert(corpus, name: str) -> None:
    path = corpus / "other" / name
    if not path.exists():
        pytest.skip(f"{name} not in corpus")
    result = convert_document(path.read_bytes(), path.name)
    assert result.status is ConversionStatus.OK, result.error
    assert result.mode == "simple"
    assert len(result.markdown) > 200
