"""The failure classes of real documents: two columns, multi-row table headers, charts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sdg_pipeline.convert import ConversionOptions, convert_document
from sdg_pipeline.convert.table_header import shape_header
from sdg_pipeline_tests.convert.pdf_factory import bar_chart_pdf, ruled_table_pdf

NATIVE = ConversionOptions(mode="native")
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def paper() -> str:
    data = (FIXTURES / "multi-column-2p.pdf").read_bytes()
    return convert_document(data, "multi-column-2p.pdf", NATIVE).markdown


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_two_column_paper_reads_each_column_whole(paper: str) -> None:
    flat = _flat(paper)
    # Sentences that wrap over several lines of one column come out whole, not interleaved
    # with the other column's lines.
    assert (
        "Open-domain question answering (QA) (Voorhees, 1999) is a task that answers factoid "
        "questions using a large collection of documents." in flat
    )
    assert (
        "Retrieval in open-domain QA is usually implemented using TF-IDF or BM25 (Robertson "
        "and Zaragoza, 2009), which matches keywords efficiently" in flat
    )
    # The left column (abstract, introduction) comes before the right one.
    assert flat.index("1 Introduction") < flat.index("Retrieval in open-domain QA")


def test_rotated_sidebar_does_not_glue_the_lines_beside_it(paper: str) -> None:
    sidebar = next(line for line in paper.splitlines() if "arXiv:2004.04906" in line)
    assert "arXiv:2004.04906v3 [cs.CL] 30 Sep 2020" in sidebar
    assert len(sidebar) < 60


def test_bordered_table_with_two_level_header_and_unit_row() -> None:
    markdown = convert_document(ruled_table_pdf(), "results.pdf", NATIVE).markdown
    table = [line for line in markdown.splitlines() if line.startswith("|")]
    assert table[0] == "| Region | Revenue 2022 £'000 | Revenue 2023 £'000 |"
    assert table[2] == "| North | 1,200 | 1,350 |"
    assert len(table) == 4  # header, separator, two data rows


def test_chart_is_not_a_table() -> None:
    markdown = convert_document(bar_chart_pdf(), "chart.pdf", NATIVE).markdown
    assert "|" not in markdown
    assert "The chart below shows revenue per region for the last financial year." in markdown
    assert "East grew fastest; West fell behind the plan for the second year running." in markdown


@pytest.mark.parametrize(
    ("grid", "expected"),
    [
        # Data from the first row: an empty header keeps it a data row.
        ([["Zone NA", "12,553"], ["Zone EUR", "9,467"]], [["", ""], ["Zone NA", "12,553"]]),
        # A table of words keeps its first row as header.
        ([["a", "b"], ["c", "d"], ["e", "f"]], [["a", "b"], ["c", "d"]]),
        # A label column of years is data, not a header of periods.
        ([["Year", "Sales"], ["2019", "5"], ["2020", "6"]], [["Year", "Sales"], ["2019", "5"]]),
        # Group over periods over units, merged; the group label spans its columns.
        (
            [["", "Revenue", ""], ["", "FY22", "FY23"], ["Note", "$m", "$m"], ["3", "10", "12"]],
            [["Note", "Revenue FY22 $m", "Revenue FY23 $m"], ["3", "10", "12"]],
        ),
    ],
)
def test_header_rows(grid: list[list[str]], expected: list[list[str]]) -> None:
    assert shape_header(grid)[: len(expected)] == expected


def test_three_columns_of_prose_are_not_a_table() -> None:
    from sdg_pipeline_tests.convert.pdf_factory import LEFT_COLUMN, RIGHT_COLUMN, Writer

    w = Writer()
    top = w.y
    texts = [LEFT_COLUMN + " " + RIGHT_COLUMN] * 3
    for x, text in zip((72, 245, 418), texts, strict=True):
        w.y = top
        w.paragraph(text, x=x, width=150)
    markdown = convert_document(w.pdf(), "columns.pdf", NATIVE).markdown
    assert "|" not in markdown
    # Each column is read whole: its paragraph comes out in one piece, three times.
    assert _flat(markdown).count(_flat(LEFT_COLUMN + " " + RIGHT_COLUMN)) == 3


@pytest.fixture(scope="module")
def booklet() -> str:
    data = (FIXTURES / "irs-three-column-2p.pdf").read_bytes()
    return convert_document(data, "irs-three-column-2p.pdf", NATIVE).markdown


def test_three_narrow_columns_read_column_by_column(booklet: str) -> None:
    flat = _flat(booklet)
    # docling-parse joins the lines of neighbouring columns (baselines a point or two apart)
    # into one cell; each sentence must still come out whole, in its column's order.
    for sentence in (
        "These free publications and the forms and schedules you will need are available "
        "from the Internal Revenue Service.",
        "You may be able to use Form 1040NR-EZ if your only income from U.S. sources is wages",
        "country at any time during the day. However, there are exceptions to this rule.",
        "If you are filing the return for an estate or trust, you will use a different "
        "address this year.",
    ):
        assert sentence in flat
    # Column 1 of page 2, then column 2, then column 3.
    assert (
        flat.index("Items to Note")
        < flat.index("Resident Alien or")
        < flat.index("Closer Connection to Foreign")
    )
    assert "Service. You can download them from the IRS website" in flat


def test_spanning_title_band_comes_before_the_columns(booklet: str) -> None:
    flat = _flat(booklet)
    start = flat.index("Section references are to the Internal Revenue Code")
    assert flat.index("Instructions for Form 1040NR") < start
    assert flat.index("U.S. Nonresident Alien Income Tax Return") < start
    # The column's sentences stay whole (the page head beside the title and the centred
    # catalogue number under the columns may still come between two columns).
    assert (
        "IRA deduction expanded. You may be able to deduct up to $5,000 ($6,000 if age 50 or "
        "older at the end of the year)." in flat
    )


def _headings_of(markdown: str) -> list[str]:
    return [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")]


def test_bold_lead_in_opens_its_paragraph_not_a_heading(booklet: str) -> None:
    # "Alternative minimum tax (AMT) / exemption amount decreased. The AMT ...": the bold
    # lead-in wraps over lines of its own before the regular text starts on its last line.
    headings = _headings_of(booklet)
    for lead_in in ("Alternative minimum tax", "Exemption for housing", "Health savings account"):
        assert not any(h.startswith(lead_in) for h in headings)
    flat = _flat(booklet)
    assert (
        "Alternative minimum tax (AMT) exemption amount decreased. The AMT exemption amount is "
        "decreased to $33,750" in flat
    )
    # Headings standing alone keep their role.
    assert {"General Instructions", "Items to Note", "Green Card Test"} <= set(headings)


def test_italic_title_cited_in_a_wrapped_line_stays_in_the_paragraph(booklet: str) -> None:
    assert not any(h.startswith("Special Rules for Former") for h in _headings_of(booklet))
    assert (
        "For more details, see Special Rules for Former U.S. Citizens and Former U.S. Long-Term "
        "Residents that begins on page 6" in _flat(booklet)
    )


def test_enumerated_item_set_as_indented_paragraph_keeps_its_wrapped_lines(booklet: str) -> None:
    # "1. Children under age 18 at the end / of 2008.": the number is indented like a first
    # line and the text wraps back to the column's margin.
    items = [line for line in booklet.splitlines() if line[:3] in ("1. ", "2. ")]
    assert "1. Children under age 18 at the end of 2008." in items
    assert (
        "2. The following children if their earned income is not more than half their support."
        in items
    )
    assert any(
        item.startswith("2. 183 days during the period 2007, 2006, and 2005") for item in items
    )
