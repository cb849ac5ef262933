"""A document's subject is found once, from its title or its issuer, never from junk."""

from sdg_pipeline.chunk.subject import document_subject

REPORT = """## Chairman's statement

Northwind Holdings plc had a strong year. The board of Northwind Holdings plc proposes a final
dividend. Northwind Holdings plc employs 4,200 people; its supplier Contoso Ltd delivered on time.
"""


def test_the_issuer_named_most_often_is_the_subject() -> None:
    assert document_subject(REPORT) == "Northwind Holdings plc"


def test_a_title_heading_or_metadata_title_wins_and_file_names_do_not() -> None:
    assert document_subject("# Acme Travel Policy\n\nText.") == "Acme Travel Policy"
    assert document_subject(REPORT, metadata_title="Microsoft Word - AR2021.docx") == (
        "Northwind Holdings plc"
    )
    assert document_subject(REPORT, metadata_title="Northwind Annual Review 2021") == (
        "Northwind Annual Review 2021"
    )
    assert document_subject("## 1 General\n\nplain text without names.") is None
    assert document_subject("# Contents\n\nplain text.") is None


def test_a_sample_files_title_is_no_subject() -> None:
    assert document_subject("# Example document\n\nplain text.") is None


def test_a_cover_title_beats_an_organisation_only_mentioned_inside() -> None:
    mentioned = (
        "The pledge was developed by the National Association of Chapter Thirteen Trustees. "
    )
    handbook = (
        "**U.S. Department of Justice**\n\n**Handbook for**\n\n**Chapter 13**\n\n"
        "**Standing Trustees**\n\n**October 1, 2012**\n\n" + "Filler text. " * 200 + mentioned * 8
    )
    assert document_subject(handbook) == "Handbook for Chapter 13 Standing Trustees"
    # Without the cover title, the association is still not taken for the author.
    assert document_subject("Filler text. " * 200 + mentioned * 8) is None


def test_a_generic_cover_title_takes_the_issuer_on_the_cover() -> None:
    report = "**Northwind Holdings plc**\n\n**Annual Report 2021**\n\nNorthwind Holdings plc grew."
    assert document_subject(report) == "Northwind Holdings plc Annual Report 2021"


# An ECB report page (held-out read 3, tabula-java's ICDAR 2013 set): its first heading is a
# chart's caption, and the chart's axis follows it.
CHART_PAGE = """Rising CDS spreads may correspond to an increase in protection demand by investors.

#### European sovereign 5-year CDS spreads (bp)

1200

1000

800

Source: Bloomberg
"""


def test_captions_are_never_the_document_subject() -> None:
    assert document_subject(CHART_PAGE) is None
    assert document_subject("# Table 3 Revenue by segment\n\nplain text.") is None
    assert document_subject("# Figure 2: Pump layout\n\nplain text.") is None
    assert document_subject("# Employment rate (%)\n\nplain text.") is None
    assert document_subject("## Revenue by region\n\n| Region | 2021 |\n| --- | --- |\n") is None
    assert document_subject("text", metadata_title="Table 1 Summary of results") is None
    # A title naming a table is still a title.
    assert document_subject("# Tables of the Law of Nations\n\nText.") == (
        "Tables of the Law of Nations"
    )


def test_generic_headings_and_file_codes_are_no_subject() -> None:
    assert document_subject("## HIGHLIGHTS\n\n- Approximately 56.7 million people.") is None
    assert document_subject("#### Corporate Overview\n\nText.") is None
    assert (
        document_subject(
            "# Tariffs\n\nText.", metadata_title="DOM Pricing Model SVT Opt 1.1 5% increase"
        )
        == "Tariffs"
    )
    assert (
        document_subject(
            "# Instructions for Form 1040NR\n\nText.", metadata_title="2007 Instruction 1040-NR"
        )
        == "Instructions for Form 1040NR"
    )


def test_a_title_ending_in_a_unit_is_a_caption_not_a_subject() -> None:
    assert document_subject("# Revenue by segment\n\nplain text.") == "Revenue by segment"
    assert document_subject("# Revenue by segment (EUR bn)\n\nplain text.") is None
