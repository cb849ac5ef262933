"""A document's subject is found once, from its title or its issuer, never from junk."""

from sdg_pipeline.chunk.subject import broken_heading_title, document_subject, named_group

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


def test_a_filings_subject_is_the_registrant_on_its_cover() -> None:
    # Galaxy Gaming's 10-K for 2021 (SEC filing, public) as docling's HTML backend writes it:
    # the form's name opens it; the company stands above "(Exact name of ...)".
    cover = (
        "UNITED STATES\n\nSECURITIES AND EXCHANGE COMMISSION\n\nFORM 10-K\n\n"
        "For the fiscal year ended December 31, 2021\n\n<!-- image -->\n\nGalaxy Gaming, Inc.\n\n"
        "(Exact name of small business issuer as specified in its charter)\n\n"
        "| Nevada | | 20-8143439 |\n"
    )
    assert document_subject(cover, metadata_title="glxz-10k_20211231.htm") == (
        "Galaxy Gaming, Inc."
    )
    registrant = cover.replace("small business issuer", "registrant")
    assert document_subject(registrant) == "Galaxy Gaming, Inc."


def test_a_booklet_title_set_twice_beats_its_publisher() -> None:
    booklet = (
        "### Understanding Breast Cancer\n\n#### A guide for people with cancer\n\n"
        "#### Understanding Breast Cancer\n\nCancer Council Australia 2016. Cancer Council NSW "
        "wrote it for Cancer Council members.\n"
    )
    assert document_subject(booklet) == "Understanding Breast Cancer"
    # Set once, the first heading still loses to an issuer named three times.
    once = booklet.replace("#### Understanding Breast Cancer\n\n", "")
    assert document_subject(once) == "Cancer Council"


def test_a_section_label_takes_the_title_under_it_and_a_transmittal_is_no_title() -> None:
    rules = "### SECTION 2\n\n### DIESEL ENGINES\n\n## 1 General\n\nEngines are to be tested.\n"
    assert document_subject(rules) == "DIESEL ENGINES"
    assert document_subject("# MANUAL TRANSMITTAL\n\nDepartment of the Treasury\n") is None


def test_read_5s_subjects_a_cover_heading_a_running_title_an_item_and_a_chapter() -> None:
    # Costco's 10-K sets the registrant as a heading; the WHO guideline's title runs over
    # three heading lines (too long to cite: its publisher is); AMD's Item 8 is no title; a
    # guidebook chapter's one-word heading ("Programming") is a topic.
    costco = (
        "## Costco Wholesale Corporation\n\n(Exact name of registrant as specified in its "
        "charter)\n"
    )
    assert document_subject(costco) == "Costco Wholesale Corporation"
    who = (
        "#### UPDATED RECOMMENDATIONS ON\n\n#### TREATMENT OF ADOLESCENTS AND\n\n#### CHILDREN "
        "WITH CHRONIC HCV INFECTION, AND HCV SIMPLIFIED SERVICE DELIVERY AND DIAGNOSTICS\n\n"
        "- World Health Organization 2022\n\nThe World Health Organization and the World Health "
        "Organization's partners.\n"
    )
    assert document_subject(who) == "World Health Organization"
    assert document_subject("# ITEM8. FINANCIAL STATEMENTS AND SUPPLEMENTARYDATA\n\nText.") is None
    chapter = "# Programming\n\nYou can use programming to repeat a calculation.\n"
    assert document_subject(chapter) is None
    # A number inside a word is no file code.
    assert document_subject("Text.", metadata_title="5-Level Paging and 5-Level EPT") == (
        "5-Level Paging and 5-Level EPT"
    )
    amd = (
        "ADVANCED MICRO DEVICES, INC. CONSOLIDATED STATEMENTS OF OPERATIONS\n\n"
        "ADVANCED MICRO DEVICES, INC. CONSOLIDATED BALANCE SHEETS\n\nADVANCED MICRO DEVICES, "
        "INC. NOTES TO CONSOLIDATED FINANCIAL STATEMENTS\n"
    )
    assert document_subject(amd) == "ADVANCED MICRO DEVICES, INC."


def test_read_6s_subjects_the_defined_company_and_a_company_naming_itself_twice() -> None:
    # An MD&A cut from Johnson & Johnson's 10-K: no cover, but its first paragraph defines
    # "the Company"; Microsoft's MD&A names "Microsoft Corporation" on its opening page.
    jnj = (
        "## Item 7. MANAGEMENT'S DISCUSSION AND ANALYSIS\n\nJohnson & Johnson and its "
        "subsidiaries (the Company) have approximately 152,700 employees worldwide.\n"
    )
    assert document_subject(jnj) == "Johnson & Johnson"
    netflix = 'Netflix, Inc. ("Netflix" or "the Company") is one of the world\'s leading services.'
    assert document_subject(netflix) == "Netflix, Inc."
    msft = (
        "## ITEM 7. MD&A\n\nThe MD&A helps the reader understand the results of Microsoft "
        "Corporation. Microsoft Corporation reports in three segments.\n"
    )
    assert document_subject(msft) == "Microsoft Corporation"


def test_a_company_whose_name_opens_in_lower_case_is_found() -> None:
    statements = (
        "## ITEM 8: FINANCIAL STATEMENTS\n\neBay Inc.\n\n## CONSOLIDATED BALANCE SHEET\n\n"
        "eBay Inc. and its subsidiaries report in dollars; eBay Inc. is listed on Nasdaq.\n"
    )
    assert document_subject(statements) == "eBay Inc."


def test_read_10s_a_standard_is_named_by_its_designation_not_its_issuer() -> None:
    # CCITT T.81 (ITU, via pdfcpu's test data): read 10 asked "What does International
    # Telecommunication Union say about A.2.4 Completion of partial MCU?"
    t81 = (
        "#### INTERNATIONAL TELECOMMUNICATION UNION\n\n## CCITT\n\n### T.81\n\n(09/92)\n\n"
        "#### INFORMATION TECHNOLOGY -\n\n#### DIGITAL COMPRESSION AND CODING\n\n"
        "#### Recommendation T.81\n\n#### Foreword\n\nITU (International Telecommunication "
        "Union) is the United Nations Specialized Agency in the field of telecommunications.\n"
    )
    assert document_subject(t81) == "CCITT Recommendation T.81"
    t4 = (
        "#### INTERNATIONAL TELECOMMUNICATION UNION\n\n## ITU-T\n\n### T.4\n\n"
        "#### Standardization of Group 3 facsimile terminals for document transmission\n\n"
        "#### ITU-T Recommendation T.4\n\n#### Summary\n\nThis Recommendation defines ...\n"
    )
    assert document_subject(t4) == "ITU-T Recommendation T.4"
    # a recommendation mentioned in running text is no designation heading
    prose = "# Fax Guide\n\nThis guide follows ITU-T Recommendation T.4 for Group 3 terminals.\n"
    assert document_subject(prose) == "Fax Guide"


def test_read_11s_no_section_heading_document_noun_or_front_matter_as_subject() -> None:
    # Salesforce's 10-K cut at Item 5: its first heading is a sub-item of a "## " document
    salesforce = (
        "| | 1/31/2018 | 1/31/2023 |\n|---|---|---|\n| Salesforce | 100 | 147 |\n\n"
        "#### Recent Sales of Unregistered Securities\n\nNone.\n\n"
        "#### Issuer Purchases of Equity Securities\n\nShare repurchases were as follows.\n\n"
        "## Item 7. Management's Discussion and Analysis\n\nRevenues grew 18% in fiscal 2023.\n"
    )
    assert document_subject(salesforce) is None
    # the VA's coding handbook: its title set over three heading lines, "FOR" alone on one
    handbook = (
        "## HANDBOOK\n\n### FOR\n\n## CODING GUIDELINES\n\n#### Version 6.0 March 13, 2006\n\n"
        "#### Department of Veterans Affairs\n\n## I. POLICY\n\nCoders follow the guidelines.\n"
    )
    assert document_subject(handbook) == "HANDBOOK FOR CODING GUIDELINES"
    assert document_subject("## HANDBOOK\n\nCoders follow the guidelines here.\n") is None
    # IBM's "Using QMF": the front matter's own heading is no document's name
    qmf = "### About This Book\n\nThe Query Management Facility (QMF) is a database program.\n"
    assert document_subject(qmf) is None


def test_read_11s_filings_whose_cover_name_is_an_image_or_whose_form_is_international() -> None:
    # Foot Locker's 10-K sets its name as an image: the line above the registrant note is the
    # form's own, and the cover's first heading is the SEC's
    cover = (
        "### UNITED STATES\n\n### SECURITIES AND EXCHANGE COMMISSION\n\n## FORM 10-K\n\n"
        "For the fiscal year ended January 28, 2023\n\nto Commission File No. 1-10299\n\n"
        "(Exact name of registrant as specified in its charter)\n\n#### New York\n\n"
    )
    body = "Foot Locker operates stores. " * 25 + "Foot Locker, Inc. is the parent. " * 3
    assert document_subject(cover + body) == "Foot Locker, Inc."
    # MGM's MD&A: "International" is the legal name's last word; "FedEx International" (two
    # words) is a service, not the filer
    mgm = "## ITEM 7. MD&A\n\n" + "MGM operates resorts. " * 25
    assert document_subject(mgm + "MGM Resorts International reports. " * 3) == (
        "MGM Resorts International"
    )
    fedex = "## ITEM 7. MD&A\n\n" + "FedEx delivers parcels. " * 25
    assert document_subject(fedex + "FedEx International grew. " * 3) is None


def test_read_12s_auditors_statements_cut_titles_affiliations_and_long_paper_titles() -> None:
    # Intel's 10-K cut at Item 8: the auditor's report defines the company after its statements
    audit = (
        "## Report of Independent Registered Public Accounting Firm\n\nWe have audited the "
        "accompanying Consolidated Balance Sheets of Intel Corporation (the Company) as of "
        "December 26, 2020.\n"
    )
    assert document_subject(audit) == "Intel Corporation"
    # a PDF Info title cut at "U.S.": the cover heading is the title
    report = "## The Law Library of Congress\n\n### Iraq: Legal History\n\nThe report traces it.\n"
    assert document_subject(report, "The Law Library serves the needs of the U") == (
        "The Law Library of Congress"
    )
    # a paper's author block names the university; the paper is its long title
    paper = (
        "#### A Comprehensive Study of Main-Memory Partitioning and its Application to "
        "Large-Scale Comparison- and Radix-Sort\n\n#### Orestis Polychroniou\n\n#### Columbia "
        "University\n\n#### orestis@cs.columbia.edu\n\n#### ABSTRACT\n\nWe study partitioning. "
        "Columbia University funded the work.\n"
    )
    assert document_subject(paper).startswith("A Comprehensive Study of Main-Memory Partitioning")


def test_read_13s_names_cut_short_and_titles_over_several_lines() -> None:
    # JPMorgan's 10-Q: the auditor addresses "the Board of Directors and Shareholders of
    # JPMorgan Chase & Co."; "Chase" alone is also the bank's brand
    filing = (
        "## Notes\n\n"
        + "Chase and JPMorgan Chase serve clients. " * 12
        + "To the Board of Directors and Shareholders of JPMorgan Chase & Co.:\n\n"
        + "JPMorgan Chase & Co. reports. " * 3
    )
    assert document_subject(filing) == "JPMorgan Chase & Co."
    # NIDA's "Heads Up": an institute named with "on"
    nida = (
        "## COMPILATION OF 2006-7 STUDENT EDITIONS\n\nBrought to you by the National Institute "
        "on Drug Abuse. The National Institute on Drug Abuse funds the series.\n"
    )
    from sdg_pipeline.chunk.subject import main_issuer

    assert main_issuer(nida) == "National Institute on Drug Abuse"
    # a title set over two heading lines, the first ending on a modifier or the second
    # opening on "and"
    guide = "## Guide to OSCAL-Based\n\n## FedRAMP Content\n\n#### User Implementation Guide\n\nx\n"
    assert document_subject(guide) == "Guide to OSCAL-Based FedRAMP Content"
    # a name only ever listed in a title is no issuer ("..., and Civil Society")
    title = (
        "### Democracy Assessment: Political Process, Local Governance, and Civil Society\n\n"
        "Civil Society groups met. Local groups and Civil Society organisations grew.\n"
    )
    assert main_issuer(title) is None


def test_read_16s_possessives_banners_and_small_capitals_name_no_one() -> None:
    from sdg_pipeline.chunk.subject import main_issuer

    # NVIDIA's 10-K cut at Item 7 opens on "Our Company and Our Businesses"
    nvidia = (
        "## Item 7. Management's Discussion\n\n### Our Company and Our Businesses\n\n"
        "NVIDIA pioneered accelerated computing. Our Company grew.\n\n"
        + "NVIDIA sells GPUs to data centers and to gamers. " * 40
        + "\n\nNVIDIA Corporation and its subsidiaries. " * 3
    )
    assert main_issuer(nvidia) is None
    assert document_subject(nvidia) == "NVIDIA Corporation"
    # a journal's banner over an article's title, the title going on in a line that opens on
    # a number and a lower-case word; too long to name in every question, so none
    article = (
        "### RESEARCH ARTICLE\n\n### Open Access\n\n## Core mutations, IL28B polymorphisms "
        "and response to peginterferon/ribavirin treatment in Swedish patients with hepatitis "
        "C virus genotype\n\n## 1 infection\n\nErik Alestig 1*\n\nAbstract\n"
    )
    assert document_subject(article) is None
    short = "### Original Article\n\n## Hepatitis C in Sweden\n\nText of the article.\n"
    assert document_subject(short) == "Hepatitis C in Sweden"
    # small capitals extracted as two sizes of letter over the cover's own title
    cover = (
        "#### United StateS Office Of PerSOnnel ManageMent febrUary 2014\n\n"
        "#### The United States Office of Personnel Management\n\n"
        "#### Fiscal Year 2013 Annual Performance Report\n\nText.\n"
    )
    assert document_subject(cover) == "The United States Office of Personnel Management"
    # a title's footnote marker is no part of it, a version line under it neither
    paper = "### A Comparison of\n\n### Programming Languages\n\n## in Economics∗\n\n#### gan A\n"
    assert document_subject(paper) == "A Comparison of Programming Languages in Economics"
    docs = "## PyMuPDF Documentation\n\n#### version 1.8\n\n#### November 20, 2015\n\nText.\n"
    assert document_subject(docs) == "PyMuPDF Documentation"


def test_a_tail_shared_by_two_companies_names_neither() -> None:
    from sdg_pipeline.chunk.subject import named_company

    # Goodyear's investor letter (read 17): "Tire & Rubber Company" ends both its own and
    # Cooper's names, and is never written alone
    letter = (
        "## Summary\n\n"
        + "Goodyear sells tires. Tire demand rose. Tire prices rose. " * 12
        + "The Goodyear Tire & Rubber Company reports. Cooper Tire & Rubber Company was "
        "acquired. The benefits of the Cooper Tire & Rubber Company acquisition grew.\n"
    )
    assert named_company(letter) is None


def test_read_18s_kinds_of_document_name_no_one_and_camel_case_names_do() -> None:
    # New York Life's "Investment Report": the issuer on the page is the subject
    report = (
        "# Investment Report\n\nNew York Life Insurance Company invests for its policy owners. "
        "New York Life Insurance Company holds bonds.\n"
    )
    assert document_subject(report) == "New York Life Insurance Company"
    for kind in ("FIRST QUARTER 2023 RESULTS", "User's guide for version 5.4 (revised)"):
        assert document_subject(f"# {kind}\n\nText of the document.\n") is None, kind
    # a product named in lower case with a capital inside, over its copyright holder
    manual = (
        "# infraGA/GeoAc\n\n#### Numerical tools to model infrasonic propagation\n\n"
        "Copyright © 2014, Triad National Security, LLC\n\nCopyright 2014. Triad National "
        "Security, LLC. This software was produced for Los Alamos National Laboratory.\n"
    )
    assert document_subject(manual) == "infraGA/GeoAc"


def test_a_section_heading_first_on_the_page_is_no_subject() -> None:
    # read 19: an aged-care staffing survey whose text opens on "Methodology"
    survey = "# Methodology\n\nA questionnaire was sent to 120 facilities in 2003.\n"
    assert document_subject(survey) is None


def test_read_20s_annual_report_and_10k_and_a_protocols_title_field() -> None:
    # Albany International's cover: "annual report and 10-K" is a kind of document
    assert document_subject("#### annual report and 10-K\n\nText of the document.\n") is None
    # a clinical protocol's cover table: its "Title" row names the study, not a later heading
    protocol = (
        "# Clinical Study Protocol\n\n| Title | A Prospective Natural History Study of "
        "Charcot-Marie-Tooth Disease, Type 4J |\n|---|---|\n| Study Sponsor | Elpida "
        "Therapeutics SPC |\n\n## Institutional Review Board\n\nThe IRB approves the protocol.\n"
    )
    assert document_subject(protocol) == (
        "A Prospective Natural History Study of Charcot-Marie-Tooth Disease, Type 4J"
    )
    # a signature block's "Title | Director" is no document title
    from sdg_pipeline.chunk.subject import title_field

    assert title_field("| Name | J. Smith |\n|---|---|\n| Title | Managing Director |\n") is None


def test_read_21s_hosting_sites_placeholders_datelines_affiliations_and_organs() -> None:
    # the ADNS-5020 datasheet's PDF title names the site that served it
    sheet = "#### ADNS-5020-EN\n\n#### Optical Mouse Sensor\n\nThe ADNS-5020-EN is a sensor.\n"
    assert document_subject(sheet, "The DatasheetArchive - Datasheet Search Engine") == (
        "ADNS-5020-EN"
    )
    # a policy template's unfilled title field; the heading's "Policy name:" label
    policy = "#### Policy name: Management of Security at Visits\n\nVisits are supervised.\n"
    assert document_subject(policy, "[Insert title of document]") == (
        "Management of Security at Visits"
    )
    # Arkema's release opens on its dateline
    release = (
        "#### Paris La Défense, 30 July 2026\n\n## ARKEMA: SECOND-QUARTER 2026 RESULTS\n\n"
        "Arkema delivered a robust performance.\n"
    )
    assert document_subject(release) == "ARKEMA: SECOND-QUARTER 2026 RESULTS"
    # a paper's authors' university, named most on its first page, is not its subject
    paper = (
        "## Interactions of Fire and Nonnative Species in Hawaii Volcanoes National Park\n\n"
        "J. Doe, Oregon State University. R. Roe, Oregon State University.\n\nOregon State "
        "University hosted the field work. Fire changed the understory.\n"
    )
    assert document_subject(paper) == (
        "Interactions of Fire and Nonnative Species in Hawaii Volcanoes National Park"
    )
    # the WTO's review of Qatar, headed by the body it is for
    review = (
        "### Trade Policy Review Body\n\n### TRADE POLICY REVIEW\n\nQATAR\n\nThis report, "
        "prepared for the third Trade Policy Review of Qatar, has been drawn up by the WTO "
        "Secretariat.\n"
    )
    assert document_subject(review) == "Trade Policy Review of Qatar"
    # a metadata title too long as a whole gives its head before the colon
    unctad = "## United Nations\n\nThe West Bank economy contracted. West Bank trade fell.\n"
    title = (
        "Report on UNCTAD assistance to the Palestinian people: Developments in the economy of "
        "the Occupied Palestinian Territory"
    )
    assert (
        document_subject(unctad, title) == "Report on UNCTAD assistance to the Palestinian people"
    )


def test_a_missing_metadata_title_read_from_a_table_is_nan_and_no_title() -> None:
    assert document_subject("# Acme Widgets Ltd\n\nAcme makes widgets.\n", float("nan")) == (
        "Acme Widgets Ltd"
    )


def test_read_22s_semi_annual_report_and_a_drug_labels_title_name_nothing() -> None:
    # Stellantis' "Semi-Annual Report"; IWILFIN's prescribing information titled "Label"
    assert document_subject("## Semi-Annual Report\n\nThe six months ended June 30.\n") is None
    assert document_subject("IWILFIN is an inhibitor.\n", "Label") is None


def test_read_22s_drug_named_by_its_highlights_and_company_the_terms_refer_to() -> None:
    label = (
        "## HIGHLIGHTS OF PRESCRIBING INFORMATION\n\nThese highlights do not include all the "
        "information needed to use IWILFIN™ safely and effectively. See full prescribing "
        "information for IWILFIN.\n\nIWILFIN (eflornithine) tablets, for oral use\n"
    )
    assert document_subject(label, "Label") == "IWILFIN"
    report = (
        "## Semi-Annual Report\n\nUnless otherwise specified, the terms \"we\", \"our\", \"us\", "
        "the \"Company\" and \"Stellantis\" refer to Stellantis N.V., together with its "
        "subsidiaries.\n\nThe six months ended June 30, 2024.\n"
    )
    assert document_subject(report) == "Stellantis N.V."


def test_read_24s_protocol_field_headings_and_a_statements_kind_name_no_subject() -> None:
    # OpenSAFELY's protocol: "## AUTHORS" first, its title too long to cite under "## TITLE"
    protocol = (
        "## AUTHORS\n\nCONVALESCENCE Study Team\n\n## TITLE\n\nUnderstanding the risk of adverse "
        "health events following COVID-19 diagnosis prior to vaccines becoming available and in "
        "the era of delta among the fully vaccinated and the electively unvaccinated\n\n"
        "## RESEARCH QUESTIONS\n\n1. Among individuals ...\n"
    )
    assert document_subject(protocol) == "CONVALESCENCE Study Team"
    short = protocol.replace(
        "Understanding the risk of adverse health events following COVID-19 diagnosis prior to "
        "vaccines becoming available and in the era of delta among the fully vaccinated and the "
        "electively unvaccinated",
        "Adverse Health Events after COVID-19 Diagnosis",
    )
    assert document_subject(short) == "Adverse Health Events after COVID-19 Diagnosis"
    # Nippon Express: the statements' kind over the company's name
    statements = (
        "# Consolidated Financial Statements\n\n## NIPPON EXPRESS HOLDINGS, INC. and "
        "Consolidated Subsidiaries\n\n## Year ended December 31, 2024\n\nThis document has been "
        "translated.\n\n## 5. Financial Information\n\n1. NIPPON EXPRESS HOLDINGS, INC. prepares "
        "consolidated financial statements in accordance with IFRS.\n"
    )
    assert document_subject(statements) == "NIPPON EXPRESS HOLDINGS, INC."


def test_a_datasheets_part_number_and_a_titles_own_acronym_name_the_document() -> None:
    # NXP's PN532 datasheet opens on its part number and speaks of "The PN532"
    datasheet = (
        "### PN532/C1\n\n#### Near Field Communication (NFC) controller\n\n## 1. General "
        "description\n\nThe PN532 is a highly integrated transceiver module. The PN532 supports "
        "six operating modes. The PN532 implements a demodulator.\n"
    )
    assert document_subject(datasheet) == "PN532"
    # a code heading the text never names again is no part
    assert document_subject("### CX57C\n\n31.7 gal (120 L) tank, 18.5 gal reserve.\n") is None
    # "(SAL)" spells the words before it; "(USD)" would be a table's unit
    sal = "# A Brief Introduction to the Standard Annotation Language (SAL)\n\n## Introduction\n"
    assert document_subject(sal) == "A Brief Introduction to the Standard Annotation Language (SAL)"
    assert document_subject("# Revenue by Segment (USD)\n\nText.\n") is None
    # a trademark's mark is no word of the name
    guide = "# Guide to OSCAL-Based FedRAMP ® Content\n\n## Introduction\n"
    assert document_subject(guide) == "Guide to OSCAL-Based FedRAMP Content"


def test_a_title_line_ending_on_a_colon_over_the_subtitle_heading_is_the_title() -> None:
    # CDC's outpatient guide: the title set as a line, its subtitle as the `# ` heading
    guide = (
        "GUIDE TO INFECTION PREVENTION FOR OUTPATIENT SETTINGS:\n\n# MINIMUM EXPECTATIONS FOR "
        "SAFE CARE\n\nNational Center for Emerging and Zoonotic Infectious Diseases\n"
    )
    subject = document_subject(guide)
    assert subject == (
        "GUIDE TO INFECTION PREVENTION FOR OUTPATIENT SETTINGS: MINIMUM EXPECTATIONS FOR SAFE CARE"
    )
    from sdg_pipeline.generate.offline_phrasing import display_subject

    assert display_subject(subject) == "Guide to Infection Prevention for Outpatient Settings"
    # a label over the heading is no title
    mill = "BRANCHES:\n\n# IKEJA MILL\n\n1 Henry Carr Street, Ikeja.\n"
    assert document_subject(mill) != "BRANCHES: IKEJA MILL"


def test_read_25s_stale_metadata_title_possessive_issuer_and_an_editions_year() -> None:
    # the EBB36 manual's PDF title is another board's ("OCTOPUS" is nowhere in it)
    manual = "# BIGTREETECH EBB36 CAN V1.1\n\n## User Manual\n\n### Contents\n\nThe EBB36 board.\n"
    # (the "User Manual" line under the title says what it is: read 29's SASB cover)
    board = "BIGTREETECH EBB36 CAN V1.1 User Manual"
    assert document_subject(manual, "BIGTREETECH OCTOPUS V1.0") == board
    assert document_subject(manual, "BIGTREETECH EBB36 CAN V1.1") == "BIGTREETECH EBB36 CAN V1.1"
    # ENGIE's integrated report: a generic heading, the issuer named as the report's owner
    report = (
        "2021\n\n#### Integrated Report\n\n#### ABOUT THIS REPORT\n\nENGIE's Integrated Report "
        "provides a comprehensive, forward-looking vision of the Group.\n"
    )
    assert document_subject(report) == "ENGIE"
    # "OWASP Top 10 - 2017": an edition's year, not a file's code; a date in a title still is
    assert document_subject("Text.\n", "OWASP Top 10 - 2017") == "OWASP Top 10 - 2017"
    assert document_subject("Text.\n", "2007 Instruction 1040-NR") is None


def test_a_kind_of_document_takes_the_brand_its_text_names_most() -> None:
    body = "IndianOil grew. " * 10 + "GeM rules. MoP approved.\n"
    assert document_subject(f"# Directors' Report\n\n{body}") == "IndianOil Directors' Report"
    spec = "## File Format Specification\n\n" + "An mzPeak archive holds spectra. " * 9
    spec += "It converts from mzML.\n"
    assert document_subject(spec) == "mzPeak File Format Specification"
    # a title naming its own subject keeps it; a brand mentioned a few times adds nothing
    assert document_subject(f"# Acme Pump Manual\n\n{body}") == "Acme Pump Manual"
    few = "# Directors' Report\n\n" + "IndianOil grew. " * 3
    assert document_subject(few) == "Directors' Report"


def test_read_26s_the_board_of_a_company_and_a_report_and_accounts_title() -> None:
    dbs = (
        "## Performance Summary\n\nThe Board of Directors of DBS Group Holdings Ltd (\"DBSH\" or "
        "\"the Company\") reports the following:\n\nDBS Group Holdings Ltd net profit rose.\n"
    )
    assert document_subject(dbs) == "DBS Group Holdings Ltd"
    hsbc = (
        "HSBC Bank Egypt S.A.E.\n\n# Annual Report and Accounts 2024\n\nHSBC Bank Egypt is one of "
        "the largest banks in Egypt. HSBC Bank Egypt serves personal customers.\n"
    )
    assert document_subject(hsbc) != "Annual Report and Accounts 2024"


def test_an_opening_heading_naming_a_handbook_by_its_programme_is_the_title() -> None:
    handbook = (
        "### Master of Science in Data Science (MSDS)\n\n#### MSDS Student Handbook 2026\n\n"
        "#### Data Science Institute (DSI), University of Chicago\n\n2026-06-18\n\nThe Data "
        "Science Institute runs the programme. The Data Science Institute admits students.\n"
    )
    assert document_subject(handbook) == "MSDS Student Handbook 2026"
    # a kind alone, or a line set in capitals, leaves the issuer
    manual = (
        "## Evaluation System Manual\n\nAnalog Devices, Inc. makes the board. Analog Devices, "
        "Inc. supports it.\n"
    )
    assert document_subject(manual) == "Analog Devices, Inc."


def test_read_27s_a_spaced_users_manual_and_a_period_report_name_nothing() -> None:
    # Renesas' board manual: "User' s Manual", the apostrophe's space from the PDF
    assert document_subject("# User' s Manual\n\n## 1. Overview\n\nThe board.\n") is None
    # Askari Life's quarterly report: its cover's "REPORT FOR THE PERIOD ENDED" / "MARCH 31"
    cover = "#### REPORT FOR THE PERIOD ENDED\n\n#### MARCH 31, 2021\n\n#### Table of Content\n"
    assert document_subject(cover) is None


def test_a_subject_in_capitals_is_spelt_as_the_texts_prose_spells_it() -> None:
    # Best Buy's 10-K cover sets its name in capitals; "BUY" could be an acronym to any rule,
    # the filing's own prose says "Best Buy Co., Inc."
    cover = (
        "BEST BUY CO., INC.\n\n(Exact name of registrant as specified in its charter)\n\n"
        "## Part I\n\nThe terms \"we\" and \"our\" refer to Best Buy Co., Inc. and its "
        "subsidiaries. Diesel engines are not sold here.\n"
    )
    assert document_subject(cover) == "Best Buy Co., Inc."
    # A sentence's opening in sentence case spells no name: the capitals stay.
    manual = "# DIESEL ENGINES\n\n## Use\n\nDiesel engines need fuel. Diesel engines run hot.\n"
    assert document_subject(manual) == "DIESEL ENGINES"


def test_read_29s_a_numbered_standard_a_letter_to_owners_and_a_kind_under_a_title() -> None:
    ifrs = (
        "June 2023\n\n# IFRS S1\n\n#### IFRS ® Sustainability Disclosure Standard\n\n"
        "### General Requirements for Disclosure of\n\nThe standard is issued by the ISSB.\n"
    )
    assert document_subject(ifrs) == "IFRS S1"
    letter = (
        "## Berkshire's Corporate Performance vs. the S&P 500\n\n| Year | (1) |\n|---|---|\n"
        "| 1965 | 23.8 |\n\nTo the Shareholders of Berkshire Hathaway Inc.:\n\nOur gain in net "
        "worth during 2009 was $21.8 billion.\n"
    )
    assert document_subject(letter, "printmgr file") == "Berkshire Hathaway Inc."
    paper = (
        "#### x-enVENT: A Corpus of Event Descriptions with Experiencer-specific Emotion and "
        "Appraisal Annotations\n\n#### Enrica Troiano, Roman Klinger\n\nAbstract Emotion "
        "classification is often formulated as a task.\n"
    )
    assert document_subject(paper).startswith("x-enVENT: A Corpus")
    sasb = (
        "# Commercial Banks\n\n#### Sustainability Accounting Standard\n\nFINANCIALS SECTOR\n\n"
        "### ABOUT THE SASB STANDARDS\n\nThe ISSB maintains the SASB Standards.\n"
    )
    site_title = "SASB-PDF – Issued IFRS Standards"
    expected = "Commercial Banks Sustainability Accounting Standard"
    assert document_subject(sasb, site_title) == expected


def test_read_30s_a_group_named_throughout_a_journal_and_a_technical_reference() -> None:
    # pages cut from Hitachi's sustainability report: "a Resource-Efficient Society" is a kind
    # of society; the Hitachi Group is who speaks
    excerpt = "#### Achieving a Resource-Efficient Society\n\n" + (
        "The Hitachi Group reduces waste. Hitachi reports water use at hitachi.com. "
        "Hitachi sets targets for Hitachi sites. Its companies act.\n"
    ) * 3
    assert document_subject(excerpt) == "Hitachi Group"
    working = "The Working Group met. " * 12 + "The group is working on it.\n"
    assert named_group(working) is None  # a word the text writes in lower case
    cover = "# Author Guidelines\n\n## Remote Sensing in Ecology and Conservation - Steps\n\n"
    guidelines = cover + (
        "Remote Sensing in Ecology and Conservation publishes papers. " * 5
    )
    expected = "Remote Sensing in Ecology and Conservation Author Guidelines"
    assert document_subject(guidelines) == expected
    fujinet = (
        "#### FujiNet\n\n#### Technical Reference\n\n#### The INT F5 Programming Interface\n\n"
        "This publication describes what the FujiNet C library (fujinet-lib) calls.\n"
    )
    assert document_subject(fujinet) == "FujiNet Technical Reference"


def test_read_32s_program_default_titles_and_a_legacy_font_masthead_name_nothing() -> None:
    index = (
        "## ESG Reporting Index 2024\n\nStandard Chartered PLC reports under the GRI standards. "
        "Standard Chartered PLC publishes this index. Standard Chartered PLC is a bank.\n"
    )
    assert document_subject(index, "PowerPoint Presentation") != "PowerPoint Presentation"
    sheet = "## Product specification\n\nThe SAA3010 is a remote control transmitter.\n"
    assert document_subject(sheet, "Integrated Circuits") != "Integrated Circuits"
    masthead = "jftLVªh lañ Mhñ ,yñ-(,u)04@0007@2003-23"
    assert document_subject("The Act applies to digital personal data.\n", masthead) is None


def test_read_33s_a_kind_of_document_as_title_takes_the_product_its_text_names() -> None:
    manual = "# User Manual\n\n#### TestLink version 1.9\n\n" + (
        "TestLink manages test cases. A TestLink project holds test plans. " * 5
    )
    assert document_subject(manual) == "TestLink User Manual"
    spec = "# Version 2.0\n\n" + "The PlonK prover checks proofs. PlonK is fast. " * 5
    assert document_subject(spec) != "PlonK Version 2.0"


def test_read_33s_a_title_in_another_script_and_an_authors_byline_are_no_subject() -> None:
    protocol = "## 1 Communication format\n\nThe inverter answers QPI with its protocol ID.\n"
    assert document_subject(protocol, "PV协议") is None
    # a title the text itself writes, in both scripts, is the document's title
    both = "PV协议 Protocol"
    assert document_subject(f"{both}\n\n{protocol}", both) == both
    manual = "```\nheadache\n```\n\n### Vincent Simonet\n\n### November, 2002\n\n## 1 Overview\n\n"
    assert document_subject(manual + "headache manages headers of source files.\n") is None
    report = "### Vincent Simonet\n\nVincent Simonet is a company that builds tools for files.\n"
    assert document_subject(report) == "Vincent Simonet"


def test_read_34s_capitals_spelt_as_the_prose_spells_them_and_a_title_over_three_lines() -> None:
    section = "## INTRODUCTION TO THE BANK SECRECY ACT\n\n" + (
        "The Act of 1970 is referred to as the Bank Secrecy Act (BSA). Banks keep records. " * 3
    )
    assert document_subject(section) == "Introduction to the Bank Secrecy Act"
    cover = "## Spotlight on the\n\n## Global Education\n\n## Thematic Fund 2024\n\n" + (
        "UNICEF works for every child's right to learn. " * 3
    )
    assert document_subject(cover) == "Spotlight on the Global Education Thematic Fund 2024"


def test_read_35s_signatures_charity_arms_split_letters_and_download_banners() -> None:
    letter = (
        "Dear Sir/Madam,\n\nPlease find enclosed the Annual Report of the company.\n\n"
        "For Acme Shoe Sole and Mould (India) Limited\n\nSwati Lodha (Company Secretary)\n\n"
        "## ANNUAL REPORT\n\nAcme Shoe Sole and Mould (India) Limited makes soles. "
    )
    assert document_subject(letter) == "Acme Shoe Sole and Mould (India) Limited"
    # a role in brackets defines no company
    assert document_subject("Swati Lodha (Company Secretary)\n\nShe signs letters.\n") is None
    report = "# Sustainability report\n\n" + "Lloyd's of London Foundation gives grants. " * 2 + (
        "Lloyd's insures risks. Lloyd's market grows. " * 5
    )
    assert document_subject(report) == "Lloyd's"
    guide = "### APD M SDK\n\n## D EVEL OP ER GUI DE\n\n" + "The APDM SDK reads APDM files. " * 3
    assert document_subject(guide) == "APDM SDK"
    sheet = (
        "#### Crystalfontz\n\n#### This controller datasheet was downloaded from "
        "http://www.crystalfontz.com/controllers/\n\n" + "The UC1701x drives LCDs. " * 13
    )
    assert document_subject(sheet) == "UC1701x datasheet"


def test_read_36s_a_manuals_greeting_is_no_title() -> None:
    manual = "#### Congratulations\n\nCongratulations on choosing our refrigerator.\n"
    assert document_subject(manual) is None


def test_read_37s_a_company_over_its_particulars_and_a_cover_missing_a_letter() -> None:
    report = (
        "# HALF-YEAR FINANCIAL REPORT June 30, 2025\n\n#### THE BLOCKCHAIN GROUP\n\nPublic "
        "Limited Company with a Board of Directors and a share capital of EUR 8,630,451\n\n"
        + "The Blockchain Group holds bitcoin. " * 3
    )
    assert document_subject(report) == "The Blockchain Group"
    manual = "### ES32-POE\n\n## User Manual\n\n" + "The ESP32-POE board has Ethernet. " * 6
    assert document_subject(manual) == "ESP32-POE User Manual"
    # an acronym the prose spells nowhere keeps its capitals
    rba = "## AML/ CFT GUIDELINES ON RISK BASED APPROACH (RBA)\n\n" + (
        "Banks apply these Guidelines on Risk Based Approach to customers. " * 2
    )
    assert document_subject(rba) == "AML/ CFT Guidelines on Risk Based Approach (RBA)"


def test_read_38s_an_issuer_field_a_standards_title_and_a_products_one_word_name() -> None:
    summary = "# Financial Analysis\n\n#### Summary 15 June 2018\n\n#### Issuer\n\n"
    summary += "United Finance plc\n\n"
    assert document_subject(summary + "The Group retails fashion.\n") == "United Finance plc"
    gri = "# GRI 14: Mining Sector 2024\n\nThis Standard is issued by the GSSB.\n"
    assert document_subject(gri) == "GRI 14: Mining Sector 2024"
    manual = "# User Manual v1.2\n\n" + "The Tello flies indoors. Tello takes photos. " * 20 + (
        "Visit www.tello.com for help.\n"
    )
    assert document_subject(manual) == "Tello User Manual v1.2"


def test_read_39s_a_short_name_referred_to_and_a_bank_named_in_full_on_its_cover() -> None:
    maersk = (
        "# Q2 2025\n\n#### A.P. Møller - Mærsk A/S | Interim Report | 7 August 2025\n\n"
        "The Interim Report for Q2 2025 of A.P. Møller - Mærsk A/S (further referred to as "
        "A.P. Moller - Maersk as the consolidated group of companies) has been prepared in "
        "accordance with IAS 34.\n\n" + "Maersk grew its Ocean volumes. " * 3
    )
    assert document_subject(maersk) == "A.P. Moller - Maersk"
    policy = (
        "# Q2 2025\n\nAccess is limited to employees, contractors and agents (hereafter "
        'referred to as "Authorized Users"). Authorized Users sign in. Users log off.\n'
    )
    assert document_subject(policy) != "Authorized Users"
    rbi = (
        "## GUIDANCE NOTE\n\n## ON MANAGEMENT OF OPERATIONAL RISK\n\nRESERVE BANK OF INDIA\n\n"
        "DEPARTMENT OF BANKING OPERATIONS\n\nPREFACE The Reserve Bank had issued Guidance Notes "
        "on credit risk. The Reserve Bank expects banks to hold capital for operational risk. "
        "Banks report their losses to the Reserve Bank every quarter.\n"
    )
    assert document_subject(rbi) == "Reserve Bank of India"


def test_a_results_letter_without_a_cover_takes_the_company_it_names_in_the_possessive() -> None:
    letter = "Dear Shareholders:\n\nLast year I shared my optimism for Amazon's future. " + (
        "In 2023, Amazon's total revenue grew 12%. Amazon's operating income improved and "
        "Amazon's free cash flow rose. Amazon serves customers; Amazon ships fast.\n"
    ) * 2
    assert document_subject(letter) == "Amazon"
    # a government speaks of itself the same way: a common noun, not a name
    speech = "Budget 2024\n\n" + (
        "The Government's revenue rose. The Government's fiscal deficit fell this quarter. "
        "Shareholders of state firms were paid. The Government acts.\n"
    ) * 3
    assert document_subject(speech) != "Government"


def test_a_file_name_is_the_subject_only_when_it_names_what_the_text_names() -> None:
    deck = "Tyson Foods reported 2Q23 sales. Tyson beef margins fell; Tyson chicken recovered.\n"
    name = "Tyson-Foods-FINAL-2Q23-Investor-Presentation.pdf"
    assert document_subject(deck, None, name) == "Tyson Foods 2Q23 Investor Presentation"
    # a kind of document, a word the text writes in lower case, a name the text never says,
    # an identifier: no subject
    assert document_subject(deck, None, "user_manual.pdf") is None
    assert document_subject("The refrigerator keeps food cold.", None, "refrigerator.pdf") is None
    assert document_subject(deck, None, "acme_results.pdf") is None
    assert document_subject(deck, None, "10.21105.joss.08178.pdf") is None
    # a subject the text gives wins over the file's name
    assert document_subject("# Acme Travel Policy\n\nText.", None, "tyson.pdf") == (
        "Acme Travel Policy"
    )


def test_read_40s_a_journals_masthead_and_an_authors_affiliation_are_no_subject() -> None:
    article = (
        "# PLOS ONE\n\nOPEN ACCESS\n\nCitation: Allen M, Bhanji A, Monks T (2020) A simulation "
        "modelling toolkit for organising outpatient dialysis services during the COVID-19 "
        "pandemic. PLoS ONE 15(8): e0237628.\n\nWe apply the tools in Wessex.\n"
    )
    assert document_subject(article) == (
        "A simulation modelling toolkit for organising outpatient dialysis services during the "
        "COVID-19 pandemic"
    )
    guideline = (
        "#### BONUS DIGITAL CONTENT ONLINE AHEAD OF PRINT\n\n## Practice Guidelines\n\n"
        "### Blood Pressure Targets in Adults With Hypertension\n\n"
        "Alexis A. Vosooney, MD, Allina Health Group, West Saint Paul, Minnesota\n\n"
        "Published online November 14, 2022. Allina Health Group funded nothing. "
        "Allina Health Group staff read it.\n"
    )
    assert document_subject(guideline) == "Blood Pressure Targets in Adults With Hypertension"


def test_read_46s_a_datasheets_first_section_is_no_subject_its_part_number_is() -> None:
    # Micrel's MIC5219: "General Description" first, the part's number a few headings later
    datasheet = (
        "### General Description\n\nThe MIC5219 is an efficient linear voltage regulator. The "
        "MIC5219 is designed to provide a peak output current.\n\n### Typical Applications\n\n"
        "#### MIC5219-5.0BMM\n\n8 ENABLE\n\n## MIC5219\n\n#### 500mA-Peak Output LDO Regulator"
        "\n\n### Features\n\n- 500mA output current capability\n\nThe MIC5219 can be enabled.\n"
    )
    assert document_subject(datasheet) == "MIC5219"
    # a datasheet section heading alone names nothing
    for heading in ("General Description", "Features", "Applications", "Ordering Information"):
        assert document_subject(f"# {heading}\n\nThe regulator keeps its output steady.\n") is None


def test_read_47s_a_document_code_gives_its_part_and_a_repeated_kind_line_is_read_once() -> None:
    # Philips' earbuds manual: its PDF title is a document code holding the product's number
    manual = (
        "#### Headphones\n\n## 2000 Series\n\nTAT2159\n\n## User manual\n\n### Contents\n\n"
        "1 Important safety instructions\n\nKeep the headphones dry. TAT2159 charges in 2.5 "
        'hours. To pair, select "Philips TAT2159" in the Bluetooth list. The TAT2159 holds 6 '
        "hours of music.\n"
    )
    assert document_subject(manual, "UM_TAT2159_00_v1.0_20240821") == "Philips TAT2159"
    # a code whose part the text never names, or a code-like file title, is no subject
    assert document_subject("The earbuds charge in 2.5 hours.\n", "UM_TAT2159_00_v1.0_2024") is None
    # a Markdown export setting its kind line twice
    spec = (
        "#### Factry Historian Module\n\n## Specification\n\n#### # Specification\n\nThis "
        "document is based on five days of research into the Ignition 8.3 Historian API.\n"
    )
    assert document_subject(spec, "localhost:63130/specification.md#") == (
        "Factry Historian Module Specification"
    )


def test_read_48s_a_covers_tagline_over_the_reports_kind_gives_way_to_its_issuer() -> None:
    report = (
        "# See the world differently\n\n## 2021 Annual Report & Financial Statements\n\n"
        "#### Purpose and vision\n\nOur Purpose is to ensure everyone can take on the world.\n\n"
        + "Virgin Atlantic flew again in 2021. The Virgin Group owns a share. " * 10
        + "\n\nVirgin Atlantic Limited is registered in England. Virgin Holidays Limited sells "
        "holidays.\n"
    )
    assert document_subject(report) == "Virgin Atlantic 2021 Annual Report & Financial Statements"
    # a paper's title in sentence case over no report kind stays
    paper = "# Blood pressure targets in adults\n\n## Abstract\n\nWe review the trials.\n"
    assert document_subject(paper) == "Blood pressure targets in adults"


def test_read_49s_a_companys_organ_and_a_reports_kind_give_way_to_the_company() -> None:
    # PALFINGER's annual report: its Executive Board named on the cover and all through
    annual = (
        "#### Annual Report 2023\n\n#### CONTENTS\n\n#### KEY FIGURES OF THE PALFINGER GROUP\n\n"
        "#### FOREWORD BY THE EXECUTIVE BOARD\n\nThe Executive Board thanks PALFINGER AG's "
        "staff. " + "The Executive Board met. The PALFINGER Group grew. " * 6 + "\n"
    )
    assert document_subject(annual) not in ("Executive Board", "EXECUTIVE BOARD")
    # 1&1's report: its kind first, the company named by a name opening on digits
    report = (
        "## Separate non-financial Group report\n\n2023\n\n## 1&1 in Key Figures\n\n"
        "1&1 AG is listed in Frankfurt. " + "1&1 grew its network. " * 12 + "\n"
    )
    assert document_subject(report) == "1&1 Separate non-financial Group report"
    # GlobalFoundries' report: the short form it defines, used throughout
    csr = (
        "#### Corporate Responsibility Report 2022\n\n#### Company profile\n\nGlobalFoundries "
        "(GF) is one of the world's leading semiconductor foundries. All of GF's sites report. "
        + "GF builds chips. " * 12 + "\n"
    )
    assert document_subject(csr) == "GlobalFoundries Corporate Responsibility Report 2022"
    # a report's kind with no company named often enough stays no subject
    assert document_subject("## Sustainability Report 2023\n\nWe planted trees.\n") is None


def test_read_51s_a_standards_body_the_index_follows_is_no_issuer() -> None:
    appendix = (
        "## 2022 Sustainability Reporting Appendix\n\nThis appendix contains our disclosures "
        "aligned to:\n\n- Global Reporting Initiative (GRI) Standards Index\n- Sustainability "
        "Accounting Standards Board (SASB) Index\n\nThe Sustainability Accounting Standards "
        "Board sets the standards.\n"
    )
    assert document_subject(appendix) != "Sustainability Accounting Standards Board"


def test_read_51s_a_framework_heading_an_index_is_the_reporting_companys() -> None:
    # National Grid's SASB index: the framework's report is the company's, named as the file
    # and the text name it
    intro = (
        "The SASB voluntary reporting standards are designed to enable disclosure. 2020/21 is "
        "the first year National Grid have published a SASB map. Two standards are relevant "
        "for National Grid. "
    )
    index = "# SASB Report 2020/21\n\n" + intro + "National Grid Disclosure. " * 4
    assert document_subject(index, None, "National_Grid_PLC-SASB_Report.pdf") == (
        "National Grid SASB Report 2020/21"
    )
    # Humana's index opens on a framework's bare name: the company alone
    goals = (
        "#### United Nations Sustainable Development Goals\n\n2021\n\n## Humana's ESG "
        "Disclosures: SDG, SASB, TCFD, and GRI Indices\n\n"
        + "Humana recognizes the role we play in the global effort. " * 5
    )
    assert document_subject(goals, None, "Humana_Inc-ESG_Index.pdf") == "Humana"
    # a framework's own publication names no other company: its title stays
    own = "# Global Reporting Initiative\n\nThe GRI Standards help organisations report. " * 3
    assert document_subject(own, None, "GRI-Standards.pdf") == "Global Reporting Initiative"


def test_read_52s_a_kind_of_document_is_its_companys_by_file_name_or_speaker() -> None:
    call = (
        "# Q3 FY25 Earnings Conference Call\n\nModerator:\n\nWelcome to IndusInd Bank Limited "
        "Q3 FY '25 Earnings Conference Call. Over to Mr. Kathpalia - IndusInd Bank.\n\n"
        + "Our loan book grew at IndusInd Bank. " * 3
    )
    # the metadata title names the kind; the file names the bank, as often as the text does
    assert document_subject(call, "Analyst Call Transcript Q3FY25", "indusind_bank.pdf") == (
        "IndusInd Bank Analyst Call Transcript Q3FY25"
    )
    # the file's old name is not in the text; the name that speaks in it is
    esg = (
        "#### Environmental, Social, and Governance Report\n\n## 2022 Report\n\n"
        + "Elme elevates the living experience. Elme's residents are proud. " * 6
    )
    file_name = "Washington_Real_Estate_Investment_Trust-ESG_Report.pdf"
    assert document_subject(esg, None, file_name) == (
        "Elme Environmental, Social, and Governance Report"
    )
    # no title at all: the company the file names with a legal form, as the text names it
    index = "| Topic | Code |\n|---|---|\n" + "| Generali uses GDWP | FN-IN |\n" * 5
    assert document_subject(index, None, "Assicurazioni_Generali_SpA-SASB_Index.pdf") == (
        "Generali"
    )
    # a legal form the text never writes is left out of the file's name
    report = "| What | Drives | Us |\n\nThis 2022 Responsibility Report covers our year. " + (
        "CarMax hires people. CarMax sells cars. " * 5
    )
    assert document_subject(report, None, "CarMax_Inc-2022_Responsibility_Report.pdf") == (
        "CarMax 2022 Responsibility Report"
    )
    # a press release's label in its metadata title is no part of the name
    release = "## Grünenthal reports strong 2023 results\n\n" + "Grünenthal grew. " * 5
    assert document_subject(release, "Pressemitteilung Grünenthal GmbH") == "Grünenthal GmbH"
    # a kind of document alone keeps its title when nothing names the company
    assert document_subject("# Earnings Call Transcript\n\nWe grew. We hired.\n") == (
        "Earnings Call Transcript"
    )


def test_read_53s_a_title_set_a_word_a_line_a_lower_case_brand_and_an_institution() -> None:
    cover = (
        "#### CONSTITUTION\n\n#### OF THE\n\n#### REPUBLIC\n\n#### OF\n\n#### GHANA\n\n1992\n\n"
        "#### ARRANGEMENT OF ARTICLES\n\nBelow is the 1992 Constitution of the Republic of Ghana. "
        + "The Electoral Commission shall register voters. " * 12
    )
    assert document_subject(cover) == "Constitution of the Republic of Ghana"
    # headings of a word each, none of them only small words: separate headings
    assert broken_heading_title("## Scope\n\n## Terms\n\n## Rules\n\nText.\n") is None
    # a brand its report writes in lower case, even where a sentence opens on it
    report = (
        "### SUSTAINABILITY\n\nBeing a sustainable business is about striking a balance.\n\n"
        "#### OUR APPROACH\n\n- Our holistic approach to sustainability responds to the "
        "challenges.\n\n" + "Our suppliers report to adidas. adidas audits them. " * 6
    )
    assert document_subject(report, None, "Adidas_SR.pdf") == "adidas"
    # a common word the file names is written capitalised only where a sentence opens on it
    handbook = "# Employee Handbook\n\n" + "Employee rights matter. Every employee reads it. " * 6
    assert document_subject(handbook, None, "employee_handbook.pdf") == "Employee Handbook"
    # two frameworks joined by a slash head a company's index
    index = (
        "## Value Reporting Foundation (VRF)/ Sustainability Accounting Standards Board (SASB)\n\n"
        + "At Novo Nordisk, we strive to adhere to the standards. " * 5
    )
    assert document_subject(index, None, "Novo_Nordisk_A_S-SASB_Index.pdf") == "Novo Nordisk"
    # a code of conduct is its institution's, named by what it is of
    code = "#### CODE OF CONDUCT AND ETHICS POLICY\n\nCode of Conduct and Ethics Policy\n\n" + (
        "Staff of the University of Eldoret shall act with integrity. " * 10
    )
    assert document_subject(code) == "University of Eldoret Code of Conduct and Ethics Policy"
    # a catalogue's page count is no part of a book's title
    book = "Text of the guide.\n"
    title = "The Baby Bear Book : A Practical Guide on Paediatrics (871 Pages)"
    assert document_subject(book, title) == "The Baby Bear Book: A Practical Guide on Paediatrics"


def test_read_54s_a_running_header_with_paragraph_numbers_is_no_title() -> None:
    manual = (
        "## Military Law Its origin and extent Paras 1 - 3\n\n"
        "## MANUAL OF MANUAL OF BANGLADESH MILITARY LAW\n\n## PART I\n\n"
        "The Manual of Bangladesh Military Law sets out the Army Act. " * 3
    )
    assert document_subject(manual) == "Manual of Bangladesh Military Law"
    # a numbered paragraph in a title that is no running header stays
    assert document_subject("## Paragraph Styles in Word\n\nStyles format text.\n") == (
        "Paragraph Styles in Word"
    )


def test_read_62s_a_school_is_its_handbooks_issuer_not_the_ministry_it_follows() -> None:
    # L'Etoile's parent handbook (read 62): every pair was "French Ministry of Education"'s
    markdown = (
        "## Student / Parent Handbook\n\n## 2014–2015 School Year\n\n"
        "#### L’Etoile French Immersion School 5839 SW Hood Ave. Portland, OR 97239\n\n"
        "At L’Etoile French Immersion School we believe that children rise to the expectations "
        "that are set for them. Our approach to learning formed in accordance with the French "
        "Ministry of Education, prepares children to be capable, confident students.\n\n"
        "This handbook has been prepared to help you become better acquainted with L’Etoile "
        "French Immersion School.\n\n## Mission\n\nOur mission applies the learning principles "
        "established by the French Ministry of Education.\n"
    )
    assert document_subject(markdown) == "L’Etoile French Immersion School"


def test_a_business_school_in_a_papers_byline_is_still_no_issuer() -> None:
    markdown = (
        "# Pricing under Uncertainty\n\nJane Roe, Harvard Business School, jroe@hbs.edu\n\n"
        "## Abstract\n\nWe study prices. Harvard Business School data are used. Harvard "
        "Business School cases follow.\n"
    )
    assert document_subject(markdown) != "Harvard Business School"
