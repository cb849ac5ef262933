"""Text garbled by interleaved columns is skipped at triage with a named reason.

Real text, as the native converter wrote it (main @ bb95a89):
- IRS, Instructions for Form 1040NR (2007), a two-column form instruction booklet; a work of the
  US federal government, public domain (fetched from pdfminer/pdfminer.six's samples, see
  benchmarks/devset/pairs/MANIFEST.md);
- US Copyright Office, "The Digital Millennium Copyright Act of 1998" summary, public domain
  (same source);
- US Department of Justice, Handbook for Chapter 13 Standing Trustees, public domain
  (Unstructured-IO/unstructured example-docs).
"""

import pytest

from sdg_pipeline.screen.interleaving import (
    InterleavingThresholds,
    interleaving_reason,
    interleaving_signals,
    word_salad,
)
from sdg_pipeline.screen.triage import TriageThresholds, triage_document, triage_reason

IRS_RESIDENT_ALIEN = (
    "#### Resident Alien or Nonresident Alien\n\n"
    "If you are not a citizen of the United States, specific rules apply to determine if you "
    "are a resident alien or a nonresident alien for tax purposes. Generally, you are considered "
    "a resident alien if you meet either the green card test or the substantial presence test "
    "for 2007. (These tests are explained below.) Even if you do\n\n"
    "Canada or Mexico if you regularly commute from Canada or Mexico.\n\n"
    "- Days you are in the United States for less than 24 hours when you are intransit between "
    "two places outside of the United States.\n"
    "- Days you are in the United States as a crew member of a foreign vessel.\n\n"
    "Department of State or the Department be able to choose to be treated as anot meet either "
    "of these tests, you may Exempt individual. For thesepurposes, an exempt individual is of "
    "Homeland Security, and (b) provide U.S. resident for part of 2007. See an initial "
    "expatriation statement (Form First-Year Choice in Pub. 519 for 8854) to the IRS. "
    "Additionally, if you are details.subject to the expatriation tax rules of section 877(a), "
    "you are required to file\n\n"
    "You are generally considered a generally an individual who is a:\n"
)
IRS_DUAL_STATUS = (
    "top and attach a statement showing your income for the part of the year you were a U.S. "
    'resident. You may use Form 1040 as the statement; enter "Dual-Status Statement" across '
    "the top. Do not sign Form 1040.\n\n"
    "Center, Austin, TX 73301-0215 U.S.A. Deduction for exemptions. As aStatements. Any "
    "statement you file\n\n"
    "If you were a resident alien on the last day of the tax year and you are filing Form 1040, "
    "include the tax on the noneffectively connected income in the total on Form 1040, line 63.\n\n"
    "If you are filing Form 1040NR, enter with your return must show your name, entitled to "
    "your own personaladdress, and identifying number dual-status taxpayer, you usually will be "
    "the tax from the Tax Table, TaxComputation Worksheet, Qualified exemption. Subject to the "
    "general rules Dividends and Capital Gain Tax\n\n"
    "(defined on page 8).\n\n"
    "for qualification, you are allowed Former U.S. long-term residents are exemptions for your "
    "spouse and required to file Form 8854 with their\n"
)
DMCA = (
    "### Technological Protection and Copyright Management Systems\n\n"
    "Each of the WIPO treaties contains virtually identical language obligating member states "
    "to prevent circumvention of technological measures used to protect copyrighted works, and "
    "to prevent tampering with the integrity of copyright management information. These "
    "obligations serve as technological adjuncts to the exclusive rights granted by copyright "
    "law. They provide legal protection that the international copyright community deemed "
    "critical to the safe and efficient exploitation of works on digital networks.\n"
)
HANDBOOK_LIST = (
    "7.\tMake a final report and file a final account of the administration of the estate with "
    "the United States Trustee and the court [§ 704(a)(9)];\n\n"
    "8.\tAppear and be heard at any hearing that concerns:\n\n"
    "a.\tthe value of property subject to a lien [§ 1302(b)(2)(A)];\n\n"
    "b.\tconfirmation of a plan [§ 1302(b)(2)(B)]; or\n\n"
    "c.\tmodification of the plan after confirmation [§ 1302(b)(2)(C)];\n\n"
    "d.\tthe sale of property of the estate [§ 1302(b)(2)(D)].\n\n"
    "The standing trustee must also ensure that the debtor commences making timely payments "
    "required by a confirmed plan [§ 1302(b)(5)].\n"
)


def test_interleaved_columns_get_a_named_reason() -> None:
    for text in (IRS_RESIDENT_ALIEN, IRS_DUAL_STATUS):
        reason = triage_reason(text)
        assert reason is not None
        assert reason.startswith("garbled text: interleaved columns (")


def test_clean_prose_and_lettered_lists_are_not_interleaving() -> None:
    assert interleaving_reason(DMCA) is None
    assert interleaving_reason(HANDBOOK_LIST) is None
    assert triage_reason(DMCA) is None


def test_the_signals_name_what_was_seen() -> None:
    salad = word_salad(IRS_RESIDENT_ALIEN)
    assert "details.subject" in salad and "may Exempt" in salad and "is of" not in salad
    assert "aStatements" in word_salad(IRS_DUAL_STATUS)
    assert word_salad(DMCA) == []
    assert word_salad("Visit www.irs.gov or e-mail help@irs.gov for details.") == []
    signals = interleaving_signals(IRS_DUAL_STATUS)
    assert signals.broken >= 3 and signals.broken_share >= 0.4


def test_thresholds_come_from_the_limits() -> None:
    lenient = TriageThresholds(
        interleaving=InterleavingThresholds(min_broken=99, min_salad=99, max_fragment_share=1.1)
    )
    assert triage_reason(IRS_DUAL_STATUS, (), lenient) is None


@pytest.mark.parametrize("share, skipped", [(0.25, True), (0.9, False)])
def test_a_document_read_across_columns_loses_its_milder_chunks_too(
    share: float, skipped: bool
) -> None:
    # Two broken paragraphs are not enough alone; next to interleaved chunks they are.
    mild = (
        "Simplified method. You must use the Simplified Method if your annuity starting date "
        "was after July 1, 1986, and you used this method last year to figure the taxable part, "
        "or\n\n"
        "following apply. Enter the total pension or annuity payments received in 2007 on line "
        "17a.\n\n"
        "The taxable part of a lump-sum distribution is reported on Form 1099-R, box 2a.\n"
    )
    assert triage_reason(mild) is None
    texts = [IRS_RESIDENT_ALIEN, IRS_DUAL_STATUS, mild, DMCA]
    reasons = triage_document(texts, [()] * 4, TriageThresholds(interleaved_document_share=share))
    assert reasons[0] and reasons[1]
    assert reasons[3] is None
    assert (reasons[2] is not None) is skipped
    if skipped:
        assert reasons[2].startswith("garbled text: interleaved columns (document-wide: 2 of 4")


def test_a_web_address_is_not_two_words_glued_by_a_full_stop() -> None:
    assert word_salad("Visit irs.gov today") == []
    assert word_salad("See example.com or nist.gov for the list") == []


def test_the_interleaving_thresholds_are_the_pipeline_settings() -> None:
    from sdg_pipeline.defs.resources.settings import PipelineSettings

    limits = PipelineSettings(
        triage_interleaved_min_broken=99,
        triage_interleaved_broken_share=0.9,
        triage_interleaved_min_salad=7,
        triage_interleaved_salad_per_100_words=3.5,
        triage_interleaved_fragment_share=0.8,
    ).triage_thresholds().interleaving
    assert (
        limits.min_broken,
        limits.max_broken_share,
        limits.min_salad,
        limits.max_salad_per_100_words,
        limits.max_fragment_share,
    ) == (99, 0.9, 7, 3.5, 0.8)
