"""The offline templates cite only the document's subject, and ask nothing they cannot name.

Read 4 (an independent read of held-out pairs) found 16 of 16 pairs bad on the documents whose
subject was not found: a section heading or the file name stood in as the source ("What does
the economy and the labour market state about ...?", "... in unstructured example 10k?").
"""

from __future__ import annotations

import pandas as pd

from sdg_pipeline.chunk.subject import document_subject
from sdg_pipeline.generate.offline import generate_pairs_offline
from sdg_pipeline.generate.offline_phrasing import sentence_subject, with_subject
from sdg_pipeline_tests.generate.test_offline import make_chunks

ECONOMY = """## The economy and the labour market

In the 1950s, trade with the Soviet Union had a significant impact on the development of export
industries. The economy and welfare grew steadily until the 1990s, and unemployment rose to
almost 20 % in 1993. Finland joined the European Union in 1995.

| Industry | Men | Women |
|---|---|---|
| Agriculture | 5.9 | 3.1 |
| Services | 58.2 | 85.7 |
"""


def questions(chunks: pd.DataFrame) -> list[str]:
    return list(generate_pairs_offline(chunks, 8)["question"])


def test_without_a_subject_no_question_cites_a_heading_or_the_file_name() -> None:
    chunks = make_chunks([ECONOMY], [["The economy and the labour market"]])
    chunks["document_key"] = "unstructured-example-10k-3f2a9c81d0e4"
    asked = questions(chunks)
    for question in asked:
        assert " say about " not in question and " state about " not in question, question
        assert "example 10k" not in question and "labour market" not in question, question
    # A table with neither a caption nor a subject says nothing of whose figures they are.
    assert not any("Agriculture" in q or "Services" in q for q in asked), asked


def test_with_a_subject_the_same_chunk_cites_it() -> None:
    chunks = make_chunks([ECONOMY], [["The economy and the labour market"]], "Finland in Figures")
    asked = questions(chunks)
    assert asked and all("Finland in Figures" in q for q in asked), asked
    assert any("What does Finland in Figures say about" in q for q in asked), asked


def test_a_caption_names_a_table_when_no_subject_does() -> None:
    table = "| Industry | 2006 | 2007 |\n|---|---|---|\n| Agriculture | 5.9 | 3.1 |\n"
    table += "| Services | 58.2 | 85.7 |\n"
    text = "Table 4. Employment by industry, 2006-2007 (%)\n\n" + table
    asked = questions(make_chunks([text], [["Labour"]]))
    assert any(q.endswith("in Employment by industry?") for q in asked), asked


def test_sentence_subjects_that_name_nothing_are_not_topics() -> None:
    for sentence in (
        "The most frequently reported species in 2007 was C. jejuni (44.3%).",
        "None of the tests are currently covered by Medicare or private health funds.",
        "Although reducing open-domain QA to machine reading is a very reasonable strategy, "
        "a huge degradation is often observed.",
        "The remaining approximately $ 5.3 million was added to the Company's cash on hand.",
        "The current-year change resulted in additional tax expense of $ 41,177.",
        "The exact impact on throughput is harder to measure.",
        "Indicate by check mark if the registrant is a well-known seasoned issuer.",
        "Based on this evaluation under the criteria, management concluded that it works.",
        "The balances in those accounts were reduced to less than $ 1 million.",
    ):
        assert sentence_subject(sentence) is None, sentence
    # A verb-like noun is kept, a name's verb is not: never "the new master minimum equipment".
    assert sentence_subject("The equipment list (MMEL) was published on 10 April 2020.") == (
        "The equipment list (MMEL)"
    )
    assert sentence_subject("Therefore, the FAA estimates the average cost to be $7,650.") == (
        "The FAA"
    )
    assert sentence_subject("The interest rate swap agreement matured on May 1, 2021.") == (
        "The interest rate swap agreement"
    )
    assert sentence_subject("Our stock transfer agent is Philadelphia Stock Transfer.") == (
        "Our stock transfer agent"
    )


def test_the_documents_voice_becomes_its_name_in_the_question() -> None:
    text = (
        "## Market information\n\nOur stock transfer agent and registrar is Philadelphia Stock "
        "Transfer, which has kept the register of the shares of the company since 2014.\n"
    )
    asked = questions(make_chunks([text], [["Market information"]], "Galaxy Gaming, Inc."))
    assert (
        "What does Galaxy Gaming, Inc. state about its stock transfer agent and registrar in the "
        "context of Market information?"
    ) in asked, asked


# The balance sheet of an SEC filing as docling's HTML backend writes it: each year spans a
# "$" cell and its figure, with empty spacer columns between.
BALANCE_SHEET = """CONSOLIDATED BALANCE SHEETS

DECEMBER 31, 2021 AND 2020

| ASSETS | | 2021 | 2021 | | | 2020 | 2020 | |
|---|---|---|---|---|---|---|---|---|
| Current assets: | | | | | | | | |
| Cash and cash equivalents | | $ | 16,058,714 | | | $ | 5,993,388 | |
| Inventory | | | 770,248 | | | | 668,525 | |
| Prepaid expenses | | | 1,125,777 | | | | 1,167,068 | |
| Total current assets | | | 23,890,122 | | | | 11,562,833 | |
"""


def test_a_statements_spanned_year_columns_are_asked_as_periods() -> None:
    pairs = generate_pairs_offline(
        make_chunks([BALANCE_SHEET], [["Financial statements"]], "Galaxy Gaming, Inc."), 8
    )
    tables = dict(zip(pairs["question"], pairs["answer"], strict=True))
    assert tables, "no table question"
    for question, answer in tables.items():
        assert question.startswith("According to Galaxy Gaming, Inc., what was "), question
        assert " in CONSOLIDATED BALANCE SHEETS?" in question, question
        assert " 2021 " in question or " 2020 " in question, question
        assert "$ |" not in answer and "2021 2021" not in question
    # The first row asked is the first with figures ("Current assets:" labels a group).
    cash = (
        "According to Galaxy Gaming, Inc., what was Cash and cash equivalents in 2021 in "
        "CONSOLIDATED BALANCE SHEETS?"
    )
    assert tables.get(cash) == "Cash and cash equivalents in 2021 was $ 16,058,714.", tables


def test_a_span_over_two_figures_is_not_merged() -> None:
    text = """Market prices of our common stock

| Quarter Ended | 2021 | 2021 | 2020 | 2020 |
|---|---|---|---|---|
| March 31 | 3.10 | 2.05 | 2.44 | 1.05 |
| June 30 | 3.36 | 2.73 | 1.36 | 0.73 |
"""
    asked = questions(make_chunks([text], [["Market"]], "Galaxy Gaming, Inc."))
    for question in asked:
        assert "2021" not in question and "2020" not in question, question


def test_an_exhibit_index_yields_no_questions() -> None:
    text = """| Exhibit Number | Description |
|---|---|
| 10.23 | Guaranty and Security agreement dated August 29, 2016 |
| 10.24 | Credit agreement dated April 24, 2019 with Fortress |
"""
    assert questions(make_chunks([text], [["Exhibits"]], "Galaxy Gaming, Inc.")) == []


def test_advice_and_framing_headings_are_no_topics_and_faq_headings_are_the_question() -> None:
    text = """## Get help

Ask friends or family to help you out while you recover, for example with household chores.

## Note to reader

This booklet is intended as a general introduction to the topic for patients and families.

## Who gets breast cancer?

About 17,700 women are diagnosed with breast cancer in Australia each year. Breast cancer in
men is rare, with about 150 diagnosed each year.
"""
    asked = questions(make_chunks([text], [["Guide"]], "Understanding Breast Cancer"))
    assert not any("Get help" in q or "Note to reader" in q for q in asked), asked
    assert "According to Understanding Breast Cancer, who gets breast cancer?" in asked, asked


def test_a_persons_role_is_asked_who_and_only_with_the_issuer_named() -> None:
    text = (
        "## Directors\n\nCheryl Kondra is a Director and was named the Audit Committee Chairman "
        "as of March 2022.\n"
    )
    with_issuer = questions(make_chunks([text], [["Directors"]], "Galaxy Gaming, Inc."))
    assert "According to Galaxy Gaming, Inc., who is Cheryl Kondra?" in with_issuer, with_issuer
    assert not any("Cheryl Kondra" in q for q in questions(make_chunks([text], [["Directors"]])))


def test_a_subject_set_in_capitals_reads_as_a_title() -> None:
    text = (
        "## Warning notice\n\nA warning notice is to be fitted on a crankcase door on each side "
        "of the engine, and the notice is to be kept legible for 12 months at least.\n"
    )
    asked = questions(make_chunks([text], [["Rules"]], "DIESEL ENGINES OF THE IBM FLEET"))
    assert asked and all("Diesel Engines of the IBM Fleet" in q for q in asked), asked


def test_a_connective_tying_an_answer_to_the_sentence_before_is_dropped() -> None:
    text = (
        "## Results of operations\n\nRevenue grew in every region during the year. Also, our "
        "online gaming revenues increased by 42% due to the acquisition of PGP in August 2020.\n"
    )
    pairs = generate_pairs_offline(make_chunks([text], [["MD&A"]], "Galaxy Gaming, Inc."), 8)
    answers = list(pairs["answer"])
    opening = "Our online gaming revenues increased by 42%"
    assert any(a.startswith(opening) for a in answers), answers
    assert not any(a.startswith("Also") for a in answers), answers


def test_the_source_is_not_asked_about_itself_nor_an_instruction_a_topic() -> None:
    text = (
        "## Costs\n\nThe FAA estimates that this proposed AD affects 73 airplanes of U.S. "
        "registry. For more information about this AD, contact Ian Won, Manager, at 206-231-3500."
    )
    asked = questions(make_chunks([text], [["Rule"]], "Federal Aviation Administration"))
    assert not any("about the FAA" in q or "contact" in q for q in asked), asked


def test_labels_line_numbers_sentences_and_ranks_are_no_topics() -> None:
    text = """## TIP

If your Form 1099-R shows a taxable amount, you can report that amount on line 17b of the form.

## Lines 4 Through 7

You can deduct contributions or gifts you gave to U.S. organizations that are charitable.

## You may be charged a penalty

If only item (1) applies to you, you do not have to file Form 5329 with the return this year.

## Phishing

The most common form is the act of sending an email to a user falsely claiming to be a bank.
"""
    asked = questions(make_chunks([text], [["Instructions"]], "Instructions for Form 1040NR"))
    for bad in ("TIP", "Lines 4", "charged a penalty", "most common form"):
        assert not any(bad in q for q in asked), (bad, asked)


def test_citations_are_no_definitions_and_the_reader_is_no_duty_subject() -> None:
    text = """## References

TriviaQA: A large scale distantly supervised challenge dataset for reading comprehension. In
Association for Computational Linguistics (ACL), pages 1601-1611.

Metric learning: A survey of the methods used in retrieval and clustering work.
"""
    assert questions(make_chunks([text], [["Paper"]], "Dense Passage Retrieval")) == []
    advice = (
        "## Diagnosis\n\nYour GP may refer you to a specialist for further tests to find out if "
        "your breast change is due to cancer.\n"
    )
    asked = questions(make_chunks([advice], [["Guide"]], "Understanding Breast Cancer"))
    assert not any("your GP" in q for q in asked), asked
    intro = "For components not listed in Tab 8, consideration shall be given."
    assert sentence_subject(intro) is None


def test_read_5s_subject_display_duty_adverbs_and_standalone_terms() -> None:
    from sdg_pipeline.generate.offline_phrasing import display_subject

    assert display_subject("GENERAL MILLS, INC") == "General Mills, Inc."
    assert display_subject("BEST BUY CO., INC").endswith(" Co., Inc.")
    assert display_subject("Galaxy Gaming, Inc") == "Galaxy Gaming, Inc."
    long_title = (
        "High-Performance Computing (HPC) Security: Architecture, Threat Analysis, and "
        "Security Posture"
    )
    assert display_subject(long_title) == "High-Performance Computing (HPC) Security"
    duty = (
        "## Warranties\n\nProducts carry a standard warranty of one year from the date of sale to "
        "the customer. The Company may also offer one to three-year limited warranties based "
        "on product type and negotiated warranty terms with certain customers.\n"
    )
    asked = questions(make_chunks([duty], [["Notes"]], "Advanced Micro Devices, Inc."))
    # no duty or permission is asked ("what may the Company also offer ..."): see test_offline
    assert not any("what may" in q for q in asked), asked
    # With no subject to place them, "the primary primitives" and an unexplained acronym are
    # no terms; a generic term with an article still is.
    loose = (
        "## Layers\n\nThe primary primitives are the compute required to train models and the "
        "software to build them. The BTE is an entry of the bound table used for checks. A "
        "burst buffer is a caching mechanism for the storage systems of a cluster.\n"
    )
    terms = questions(make_chunks([loose], [["Layers"]]))
    assert not any("primitives" in q or "BTE" in q for q in terms), terms
    assert "What is a burst buffer?" in terms, terms


def test_read_5s_code_slots_table_deferrals_and_boilerplate_headings() -> None:
    from sdg_pipeline.judge.pair_checks import pair_issues

    code = pair_issues(
        "What does the TI-89 Guidebook say about LineHorz y+r:EndPrgm?",
        "Only circ() is initially displayed on the blank template.",
        "## LineHorz y+r:EndPrgm\n\nOnly circ() is initially displayed on the blank template.",
    )
    assert any(i.startswith("junk_slot") for i in code), code
    defer = pair_issues(
        "What does the ADSP-21161N EZ-KIT Lite manual say about Sample Frequency Jumper?",
        "JP6 is used to select the sample frequency for the AD1852. Table 4-3 shows the valid "
        "modes that may be used.",
        "## Sample Frequency Jumper\n\nJP6 is used to select the sample frequency for the "
        "AD1852. Table 4-3 shows the valid modes that may be used.",
    )
    assert any(i.startswith("pointer_answer") for i in defer), defer
    text = (
        "## Recent Accounting Pronouncements\n\nWe do not expect that any recently issued "
        "accounting pronouncements will have a material effect on our financial statements.\n\n"
        "## Contribution Statement\n\nResearch: Jared Kaplan developed the main ideas in "
        "discussion with the team during the year.\n"
    )
    assert questions(make_chunks([text], [["Notes"]], "Costco Wholesale Corporation")) == []


def test_asides_citations_and_half_phrases_are_not_asked() -> None:
    text = """## Setting the date and time

Note: Changes to these settings cause the printer to restart after a short delay.

## Children with chronic HCV infection

Updated recommendations on treatment of adolescents and children with chronic HCV infection.
Geneva: World Health Organization; 2022. Licence: CC BY-NC-SA 3.0 IGO.

## Transmission

Excessive use of injections to administer medications, coupled with poor injection practices,
further increases HCV transmission in 2019 and after.
"""
    asked = questions(make_chunks([text], [["Guide"]], "World Health Organization"))
    assert not any(
        "date and time" in q or "Children with chronic" in q or "about Excessive" in q
        for q in asked
    ), asked


def test_read_6s_figures_need_a_subject_and_tables_lose_their_layout_leftovers() -> None:
    text = (
        "## Pharmaceutical Segment\n\nInternational sales were $24.0 billion, an increase of "
        "1.0% on the prior year, which included 11.9% operational growth in the segment.\n"
    )
    assert questions(make_chunks([text], [["MD&A"]])) == []
    named = questions(make_chunks([text], [["MD&A"]], "Johnson & Johnson"))
    assert named and all("Johnson & Johnson" in q for q in named), named
    table = """## Ownership

Table 4. Equity method investments

| Segment | Ownership | 2022 | 2021 |
|---|---|---|---|
| United Launch Alliance (1) | 50% | $948 | $930 |
| Other (2) | 30% | 12 | 14 |
| Total equity method investments | | $960 | $944 |
"""
    asked = questions(make_chunks([table], [["Notes"]], "Boeing Company"))
    assert asked, asked
    for question in asked:
        assert "in Ownership" not in question and "(1)" not in question, question
    assert sentence_subject("Capitalized internal use software is included in Other assets.") == (
        "Capitalized internal use software"
    )
    # a participle right before the verb is part of the phrase ("What about dividends?" is
    # vaguer than the fact answered)
    assert sentence_subject("Dividends received were $111 and $77 during 2022 and 2021.") == (
        "Dividends received"
    )


def test_read_7s_bare_headings_vague_topics_and_web_markup_are_not_asked() -> None:
    from sdg_pipeline.judge.pair_checks import pair_issues

    text = """## General

Corning traces its origins to a glass business established in 1851 in New York State.

## An adverse effect on our results of operations

Increases in the price of commodities could have an adverse effect on our results in 2022.

## Results of operations

The Company obtained a controlling interest in Hemlock Semiconductor Group in 2020.
Either party may terminate the merger agreement if it has not closed on or before 2022.
Buddhist teachings describe that consciousness manifests moment to moment since 500 BC.
"""
    asked = questions(make_chunks([text], [["10-K"]], "Corning Incorporated"))
    for bad in ("General", "adverse effect", "about the Company", "either party", "describe"):
        assert not any(bad in q for q in asked), (bad, asked)
    assert sentence_subject("Buddhist teachings describe that consciousness is momentary.") == (
        "Buddhist teachings"
    )
    markup = pair_issues(
        "What does Consciousness - Wikipedia say about Attention schema theory?",
        "In 2011, Michael Graziano and Kastner [[ 141 ]](cite_note-Graziano2011-144) proposed "
        "the attention schema theory.",
        "## Attention schema theory\n\nIn 2011, Michael Graziano and Kastner [[ 141 ]]"
        "(cite_note-Graziano2011-144) proposed the attention schema theory.",
    )
    assert any("citation markup" in i for i in markup), markup
    note = pair_issues(
        "What does Corning Incorporated state about lease commitments?",
        "Information concerning lease commitments is included in Note 7 (Leases).",
        "## Leases\n\nInformation concerning lease commitments is included in Note 7 (Leases).",
    )
    assert any(i.startswith("pointer_answer") for i in note), note


def test_read_8s_segment_scope_glossary_lines_and_labels() -> None:
    segment = (
        "## Greater China\n\nOn a currency-neutral basis, apparel revenues increased 7% for "
        "fiscal 2019, driven by higher revenues in all key categories of the segment.\n"
    )
    asked = questions(make_chunks([segment], [["MD&A"]], "NIKE, Inc."))
    assert "What does NIKE, Inc. state about apparel revenues in the context of Greater China?" in (
        asked
    ), asked
    glossary = (
        "## Significant accounting policies\n\nFair value measurements: 3M follows ASC 820, "
        "Fair Value Measurements and Disclosures, for assets and liabilities measured at fair "
        "value.\n\n## FISCAL 2018 FISCAL 2017\n\nOther (income) expense, net comprises "
        "foreign currency conversion gains and losses of the year.\n"
    )
    assert questions(make_chunks([glossary], [["Notes"]])) == []
    labelled = questions(make_chunks([glossary], [["Notes"]], "3M Company"))
    assert not any("FISCAL 2018" in q for q in labelled), labelled
    assert sentence_subject("Only once you're done will you apply your learned model.") is None


def test_a_title_running_on_after_group_is_no_issuer() -> None:
    # ITU-T T.4's cover, as converted: "Standardization of Group" is the title cut at its number
    cover = (
        "#### INTERNATIONAL TELECOMMUNICATION UNION\n\n## ITU-T\n\n### T.4\n\n(07/2003)\n\n"
        "#### Standardization of Group 3 facsimile terminals for document transmission\n\n"
        "#### Summary\n\nThis Recommendation defines the characteristics of Group 3 facsimile "
        "terminals. Standardization of Group 3 facsimile terminals is the scope.\n"
    )
    assert document_subject(cover) == "INTERNATIONAL TELECOMMUNICATION UNION"
    assert document_subject("# Annual Review\n\nAcme Group plc reports. Acme Group plc grew.")


def test_a_filing_cut_without_its_cover_still_names_its_company() -> None:
    # 3M's Item 8 defines the term; Verizon's risk factors keep naming the company
    notes = (
        "## Notes to Consolidated Financial Statements\n\nAll subsidiaries are consolidated. As "
        'used herein, the term "3M" or "Company" refers to 3M Company and subsidiaries.\n'
    )
    assert document_subject("## Item 8. Financial Statements\n\n" + "x " * 900 + notes) == "3M"
    risks = "## Item 1A. Risk Factors\n\n" + "Verizon competes with cable companies. " * 25
    risks += "Verizon Communications Inc. is a holding company. " * 3
    assert document_subject(risks) == "Verizon Communications Inc."
    # a paper citing a company a few times is not that company's document
    paper = "## Results\n\n" + "Our method wins. " * 120 + "Acme Inc. sponsored it. " * 3
    from sdg_pipeline.chunk.subject import named_company

    assert named_company(paper) is None and named_company(risks) == "Verizon Communications Inc."
    # Block's MD&A (read 10): the legal name carries a comma before its form, "Square, Inc."
    mdna = "## Item 7. MD&A\n\n" + "Square grew its seller ecosystem. " * 25
    mdna += "Square, Inc. is the holding company. " * 3
    assert named_company(mdna) == "Square, Inc."


def test_read_10s_possessives_irregular_verbs_and_terms_that_point_back() -> None:
    from sdg_pipeline.generate.offline_prose import _term_ok

    # American Water Works' 10-K: "What does ... state about the Company's in the context of
    # Assets Held for Sale?" and "... about the Company held ...?"
    assert (
        sentence_subject(
            "The Company's regulated New York operations represented approximately 127,000 "
            "customers in the State of New York."
        )
        is None
    )
    assert (
        sentence_subject(
            "The Company held finite-lived intangible assets, including customer relationships."
        )
        is None
    )
    assert sentence_subject("The Audit Committee held four meetings during the year.") == (
        "The Audit Committee"
    )
    # "What is the remaining portion?", "What is the third result?", "What is Answering that
    # question?": terms that count or point back to what came before
    for term in ("The remaining portion", "The third result", "Answering that question"):
        assert not _term_ok(term), term
    assert _term_ok("A burst buffer") and _term_ok("Phishing")
    chunk = (
        "## Pension Costs\n\nThe remaining portion is the pension expense in excess of the amount "
        "contributed to the pension plans, which is deferred by certain subsidiaries.\n"
    )
    asked = questions(make_chunks([chunk], [["Notes"]], "American Water Works Company, Inc."))
    assert not any("remaining portion" in q for q in asked), asked


def test_read_11s_run_in_headings_and_period_headings() -> None:
    # Amcor's 10-K notes: run-in headings under a section the chunk never shows were asked
    # "... in the context of Practical Expedients"
    notes = (
        "Equity Method and Other Investments: Investments in ordinary shares of companies, in "
        "which the Company believes it exercises significant influence over operating and "
        "financial policies, are accounted for using the equity method of accounting.\n"
    )
    chunks = make_chunks([notes], [["Notes", "Practical Expedients"]], "Amcor plc")
    asked = questions(chunks)
    assert not any("Practical Expedients" in q for q in asked), asked
    assert any("Equity Method and Other Investments" in q for q in asked), asked
    # a period heading is a table's column, not a topic: "What does Amcor plc say about Year
    # ended June 30, 2021?"
    period = (
        "## Year ended June 30, 2021\n\nAs part of optimizing its portfolio, the Company "
        "completed the disposal of a non-core European hospital supplies business.\n"
    )
    asked = questions(make_chunks([period], [["Notes", "Year ended June 30, 2021"]], "Amcor plc"))
    assert not any("Year ended" in q for q in asked), asked


def test_a_section_opening_on_one_short_sentence_asks_nothing_about_the_section() -> None:
    # "Rethinking the Financial Network" (read 10): the section's opening is a lead-in
    lead_in = (
        "## Diversity and Stability\n\nA final dimension to network robustness concerns the "
        "effects of diversity.\n\nThe oceans provide a rich and lengthy test-bed for it.\n"
    )
    asked = questions(make_chunks([lead_in], [["Speech"]], "Bank of England"))
    assert not any("say about Diversity and Stability" in q for q in asked), asked
    full = (
        "## Diversity and Stability\n\nEcosystems with many species recover from shocks faster "
        "than monocultures do, because a loss in one species is offset by the others, and "
        "banking systems whose institutions hold similar portfolios lose that protection.\n"
    )
    asked = questions(make_chunks([full], [["Speech"]], "Bank of England"))
    assert "What does Bank of England say about Diversity and Stability?" in asked, asked
    # "What does Amcor plc state about the projects ...?" (read 11): which projects?
    assert sentence_subject("The projects are expected to be completed by the end of 2025.") is None
    assert sentence_subject("The Bemis Integration projects are expected to end in 2025.") == (
        "The Bemis Integration projects"
    )


def test_read_12s_table_scale_footnote_headings_and_standard_setters() -> None:
    # Boston Properties' 10-K: "Land in 2015 was 4,806,021." without its "(in thousands)"
    notes = (
        "## 3. Real Estate\n\nReal estate consisted of the following at December 31 (in "
        "thousands):\n\n| | | 2015 | | 2014 |\n|---|---|---|---|---|\n"
        "| Land | $ | 4,806,021 | $ | 4,785,772 |\n"
        "| Land held for future development | | 252,195 | | 268,114 |\n"
        "| Buildings and improvements | | 13,188,756 | | 12,920,478 |\n"
    )
    pairs = generate_pairs_offline(
        make_chunks([notes], [["Notes", "3. Real Estate"]], "Boston Properties, Inc.")
    )
    tables = pairs[pairs["question_type"] == "table"]
    assert len(tables) and all(a.endswith("(in thousands).") for a in tables["answer"]), list(
        tables["answer"]
    )
    # "(in millions, except per share data)": a per-share figure is not in millions
    eps = (
        "## Results\n\nSelected data (in millions, except per share data):\n\n"
        "| | 2021 | 2020 |\n|---|---|---|\n| Net revenue | 7,100 | 6,500 |\n"
        "| Earnings per share | 2.10 | 1.90 |\n| Operating income | 1,200 | 1,100 |\n"
    )
    answers = list(generate_pairs_offline(make_chunks([eps], [["Notes"]], "Acme Inc."))["answer"])
    assert not any("Earnings per share" in a and "millions" in a for a in answers), answers
    # a footnote line set as a heading is no topic; the FASB and "the table" are no subjects
    footnote = (
        "## Consists of amounts from interest rate hedging programs\n\nThe amounts are "
        "reclassified into interest expense as the hedged interest payments are made over the "
        "term of the loans, which end between 2017 and 2024 for the company's mortgage debt.\n"
    )
    asked = questions(make_chunks([footnote], [["Notes"]], "Boston Properties, Inc."))
    assert not any("Consists of" in q for q in asked), asked
    assert sentence_subject("The FASB issued ASU 2015-02 in February 2015.") is None
    assert sentence_subject("The table includes the ground lease payments due each year.") is None


def test_a_table_named_only_by_the_document_asks_nothing() -> None:
    # the West Africa rice study (read 14): "What is the Daily for Trader in THE NIGERIAN RICE
    # ECONOMY ...?" says nothing of what the figures measure
    bare = (
        "| Actor | 2019 | 2020 |\n|---|---|---|\n| Trader | 12 | 80 |\n| Miller | 30 | 190 |\n"
        "| Farmer | 4 | 25 |\n"
    )
    subject = "The Nigerian Rice Economy in a Competitive World"
    pairs = generate_pairs_offline(make_chunks([bare], [["Study"]], subject))
    assert "table" not in set(pairs["question_type"]), list(pairs["question"])
    captioned = "Table 3. Rice milled per actor (tonnes)\n\n" + bare
    pairs = generate_pairs_offline(make_chunks([captioned], [["Study"]], subject))
    assert "table" in set(pairs["question_type"]), list(pairs["question"])


def test_read_15s_clause_openers_form_fields_and_vague_initiatives() -> None:
    from sdg_pipeline.generate.offline_prose import _term_ok

    # EU testimony: "Since energy taxation ... is"; a VA guide's field "Description/Analysis:"
    assert not _term_ok("Since energy taxation") and not _term_ok("Description/Analysis")
    assert _term_ok("Energy taxation")
    assert sentence_subject("The initiative was launched in 2010 by the Secretary-General.") is None
    assert sentence_subject("The Every Woman Every Child initiative was launched in 2010.") == (
        "The Every Woman Every Child initiative"
    )


def test_one_word_is_no_topic_of_a_stated_figure() -> None:
    # "What does World War II - Wikipedia state about Hitler?" (read 14), "... about Amounts in
    # the context of Liquidity and Capital Resources?" (read 16): one word names no aspect
    war = (
        "## Phoney War\n\nOn 6 October 1939, Hitler made a public peace overture to the United "
        "Kingdom and France, offering to end the war within 30 days.\n"
    )
    asked = questions(make_chunks([war], [["World War II"]], "World War II - Wikipedia"))
    assert not any("state about Hitler" in q for q in asked), asked
    segment = (
        "## Greater China\n\nOn a currency-neutral basis, apparel revenues increased 7% for "
        "fiscal 2019, driven by higher revenues in all key categories of the segment.\n"
    )
    asked = questions(make_chunks([segment], [["MD&A"]], "NIKE, Inc."))
    assert any("state about apparel revenues" in q for q in asked), asked


def test_a_heading_that_is_the_documents_name_is_not_asked_for_its_key_points() -> None:
    # read 17: "What are the key points about Wells Fargo & Company?" answered by a heading scrap
    cover = (
        "## Wells Fargo & Company\n\nManagement governance committees report to the risk "
        "committee of the board, which oversees the company's risk management framework and "
        "the independent risk management organisation across every line of business.\n"
    )
    asked = questions(make_chunks([cover], [["Wells Fargo & Company"]], "Wells Fargo & Company"))
    assert not any("key points" in q for q in asked), asked


def test_read_19s_rupee_millions_and_a_side_by_side_signature_block() -> None:
    # OFSS's "Financial highlights": "Revenue from operations ... was 56,983.09." without its
    # "(Amounts in ₹ million)"
    highlights = (
        "## Financial highlights\n\nAs per Consolidated financial statements:\n\n"
        "(Amounts in ₹ million)\n\n| Particulars | Year ended March 31, 2023 | Year ended "
        "March 31, 2022 |\n|---|---|---|\n| Revenue from operations | 56,983.09 | 52,214.55 |\n"
        "| Finance income | 1,672.84 | 901.85 |\n| Profit for the year | 18,061.41 | 18,888.26 |\n"
    )
    pairs = generate_pairs_offline(
        make_chunks([highlights], [["Directors' report", "Financial highlights"]], "OFSS")
    )
    tables = pairs[pairs["question_type"] == "table"]
    assert len(tables) and all(a.endswith("(in ₹ million).") for a in tables["answer"]), list(
        tables["answer"]
    )
    # the directors' names over their titles and DIN numbers: no table to ask about
    signatures = (
        "## Declaration\n\n| Chaitanya Kamat | Makarand Padalkar |\n|---|---|\n"
        "| Managing Director & CEO | Whole-time Director & CFO |\n"
        "| DIN: 00969094 | DIN: 02115514 |\n"
    )
    pairs = generate_pairs_offline(make_chunks([signatures], [["Declaration"]], "OFSS"))
    assert not len(pairs[pairs["question_type"] == "table"]), list(pairs["question"])


def test_a_caption_of_header_cells_run_together_twice_asks_nothing() -> None:
    # Weis Markets' store-count table (read 20)
    table = (
        "Number of stores % of Total Number of stores % of Total\n\n| Stores | 2022 | 2021 |\n"
        "|---|---|---|\n| Beginning store count | 196 | 197 |\n| Opened | 2 | 1 |\n"
        "| Ending store count | 197 | 196 |\n"
    )
    pairs = generate_pairs_offline(make_chunks([table], [["Item 2. Properties"]], "Weis Markets"))
    assert not any("% of Total Number" in q for q in pairs["question"]), list(pairs["question"])


def test_read_24s_a_speaker_heading_recurring_over_a_transcript_is_no_topic() -> None:
    # Infosys' earnings call: "### Salil Parekh" opens each of his turns; "What does ... say
    # about Salil Parekh?" was answered by his remarks on BP
    turns = [
        "### Salil Parekh\n\nFor a large energy company, BP, we deployed 50 AI agent initiatives "
        "across trading, supply chain, sustainability and core operations to transform software "
        "development and decision support for the whole of the group's business.",
        "### Salil Parekh\n\nWe have strategic collaborations with emerging foundation model "
        "companies, which help us support our clients' transformation for software development, "
        "legacy modernization and agent building across every one of our industry segments.",
        "### Salil Parekh\n\nWe see large opportunities in AI services next year, with continued "
        "competitive intensity and an AI productivity impact that we will keep passing on to "
        "our clients as their programmes of work move from pilots into production use.",
        "### Digital revenue guidance\n\nOur revenue growth guidance for the next financial year "
        "is 1.5% to 3.5% year-on-year in constant currency, with operating margins expected to "
        "stay in a band of 20% to 22% as we keep investing in our AI capabilities and people.",
    ]
    chunks = make_chunks(turns, [["Earnings Call"]] * 4, "Infosys Limited")
    chunks["chunk_index"] = range(4)
    asked = questions(chunks)
    assert not any("Salil Parekh" in q for q in asked), asked
    assert any(q.endswith("say about Digital revenue guidance?") for q in asked), asked
    # one turn alone is a section like any other
    once = questions(make_chunks(turns[:1], [["Earnings Call"]], "Infosys Limited"))
    assert any(q.endswith("say about Salil Parekh?") for q in once), once


def test_a_section_opening_on_a_pointer_to_a_table_is_answered_by_what_follows() -> None:
    section = (
        "## System Memory Cacheability and Shareability\n\nThe cacheability and shareability of "
        "the physical memory space are defined in Table 3-1. The address space reserved for the "
        "local APIC is used by each processor to access its own local APIC. The I/O APIC space "
        "must be shareable by all processors so that every processor can reach it.\n"
    )
    pairs = generate_pairs_offline(
        make_chunks([section], [["System Memory Cacheability and Shareability"]], "MP Spec"), 4
    )
    factual = pairs[pairs["question_type"] == "factual"]
    assert len(factual) == 1, pairs
    assert factual["answer"].iloc[0].startswith("The address space reserved for the local APIC")


def test_the_labels_of_a_procedures_steps_are_not_defined_as_terms() -> None:
    items = (
        "1. Collect keywords and concepts: the principal researcher will collect keywords and "
        "concepts by reading the full text of each primary study in the review.\n"
        "2. Cluster keywords and form categories: the principal researchers will perform a "
        "clustering operation on them to have a set of representative clusters of keywords.\n"
    )
    steps = "## Keywording\n\nKeywording is done in two steps:\n\n" + items
    asked = questions(make_chunks([steps], [["Keywording"]], "ATD Identification"))
    assert not any("Collect keywords" in q or "Cluster keywords" in q for q in asked), asked
    # the same items under a lead-in that announces terms are a glossary
    glossary = "## Keywording\n\nThe review uses these activities:\n\n" + items
    asked = questions(make_chunks([glossary], [["Keywording"]], "ATD Identification"))
    assert any("Collect keywords and concepts" in q for q in asked), asked


def test_a_participle_before_its_noun_does_not_cut_the_phrase_asked_about() -> None:
    packaging = (
        "## Shipping Package\n\nThe weight of each full packaged tray (including sensors) is "
        "2.4 kg. The trays are stacked in a box of ten for shipping to customers.\n"
    )
    asked = questions(make_chunks([packaging], [["Shipping Package"]], "Datasheet SPS30"))
    assert not any("each full" in q and "packaged" not in q for q in asked), asked


def test_an_answer_inside_another_that_adds_a_few_words_is_asked_once() -> None:
    section = (
        "#### MX IMPLEMENTATION\n\nColumn Mirroring (MX) is implemented by selecting either "
        "(CA) or (131-CA) as the RAM column address. Changing MX affects the data written to the "
        "RAM.\n\nSince MX has no effect of the data already stored in RAM, changing MX does not "
        "have immediate effect on the displayed pattern. To refresh the display, refresh the "
        "data stored in RAM after setting MX.\n"
    )
    chunks = make_chunks([section], [["MX IMPLEMENTATION"]], "UC1701x datasheet")
    pairs = generate_pairs_offline(chunks, 8)
    answers = [" ".join(a.split()) for a in pairs["answer"]]
    assert answers, pairs
    assert not any(a != b and a in b for a in answers for b in answers), answers


def test_a_malaysian_directors_role_is_asked_who_and_kept_whole() -> None:
    bio = (
        "## Key Senior Management\n\nMr Alan Lim Chui Boon is the Operations Manager of Ace Gases "
        "Marketing Sdn. Bhd. He graduated with a degree in Chemical Engineering in 2005.\n"
    )
    pairs = generate_pairs_offline(
        make_chunks([bio], [["Key Senior Management"]], "Kelington Group Berhad"), 8
    )
    who = pairs[pairs["question"].str.contains("Alan Lim")]
    asked = "According to Kelington Group Berhad, who is Mr Alan Lim Chui Boon?"
    assert list(who["question"]) == [asked]
    role = "Mr Alan Lim Chui Boon is the Operations Manager of Ace Gases Marketing Sdn. Bhd."
    assert who["answer"].iloc[0].startswith(role)


def test_a_sections_lead_in_sentence_is_not_what_it_says() -> None:
    section = (
        "## Technical principles of the Bitcoin protocol\n\nIn order to illustrate the risks "
        "related to Bitcoin, it is first necessary to present the technical features of the "
        "protocol. Bitcoin is a peer-to-peer network whose ledger is kept by every node. Blocks "
        "are added about every ten minutes by miners who solve a proof-of-work puzzle.\n"
    )
    chunks = make_chunks([section], [["Technical principles of the Bitcoin protocol"]], "Capital B")
    pairs = generate_pairs_offline(chunks, 8)
    said = pairs[pairs["question"].str.contains("say about Technical principles")]
    assert len(said) == 1, pairs
    assert said["answer"].iloc[0].startswith("Bitcoin is a peer-to-peer network"), said


def test_a_subject_named_without_its_acronym_is_not_placed_twice() -> None:
    asked = "What does Universal Serial Bus say about Report Descriptors?"
    assert with_subject(asked, "Universal Serial Bus (USB)") == asked
    other = "What is an Item?"
    assert with_subject(other, "Universal Serial Bus (USB)") == (
        "According to Universal Serial Bus (USB), what is an Item?"
    )
