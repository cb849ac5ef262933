"""Chunk triage: which chunks cannot teach anything, or must not be sent, and why.

Runs before generation, so no request is spent on a table of contents, a signature block, an
audit opinion, a document's version line, garbled text, a secret or an injected instruction.
Every skipped chunk gets one named reason; thresholds live in `TriageThresholds`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sdg_pipeline.screen.injection import find_injection
from sdg_pipeline.screen.interleaving import (
    InterleavingThresholds,
    interleaving_reason,
    shows_interleaving,
)
from sdg_pipeline.screen.secrets import find_secrets, scan_lines

# Bump when a rule changes: part of the chunks asset's code version.
TRIAGE_VERSION = "triage-8"

_TOC_LINE = re.compile(
    r"^\s*(?:[-*]\s+)?(?:\d+(?:\.\d+)*\.?\s+)?\S.{1,120}?(?:\.{2,}|…+|\s)\s*\d{1,4}\s*\|?\s*$"
)
_TOC_HEADING = re.compile(r"(?i)\b(?:table of )?contents\b|^\s*index\s*$")
_SIGNATURE = re.compile(
    r"(?i)^\s*(?:(?:signed|signature)\b|/s/|by:|name:|title:|date:)|_{5,}|on behalf of the board"
)
_BOILERPLATE = [
    r"all rights reserved",
    r"in our opinion,? the (?:accompanying |consolidated )?financial statements",
    r"we conducted our audit in accordance",
    r"provided [\"'“]?as is[\"'”]?",
    r"without warranty of any kind",
    r"forward[- ]looking statements",
    r"this (?:page|document) (?:is )?intentionally left blank",
    r"no part of this (?:publication|document) may be reproduced",
    r"registered (?:office|in england)",
    # a securities filing's cover questions and a health booklet's disclaimer
    r"indicate by check mark",
    r"always consult your (?:doctor|physician)",
    r"(?:is|are) not (?:intended (?:as|to be) )?a substitute for (?:professional|medical|legal)",
    r"excludes? all liability",
    # how to search the PDF itself ("If you are using Adobe Acrobat Reader to read this
    # document, press Ctrl+F", the Tello manual's first page, read 38)
    r"using adobe (?:acrobat )?reader",
    r"press (?:ctrl|command|cmd)\s*\+\s*f\b",
]
_BOILERPLATE_RE = re.compile("|".join(_BOILERPLATE), re.I)
# The auditor's report of a UK or IFRS annual report (Brave Bison's, read 20: "Key audit
# matters are those matters that, in our professional judgement ...", "In auditing the
# financial statements, we have concluded that the use of the going concern basis ..."): the
# same sections, in the same words, in every report
_AUDIT_HEADING = re.compile(
    r"(?i)^\W*(?:independent auditor'?s'? report|report of (?:the )?independent (?:registered "
    r"public accounting firm|auditors?)|key audit matters?|conclusions? relating to going concern|"
    r"basis (?:for|of) (?:qualified )?opinion|opinion on the financial statements|"
    r"(?:the )?auditor'?s'? responsibilit(?:y|ies)|responsibilities of (?:the )?directors|"
    r"our application of materiality|an overview of the scope of our audit|"
    r"other information|matters on which we are required to report by exception)"
)
_AUDIT_TEXT = re.compile(r"(?i)\baudit|\bour opinion\b|\bwe (?:have|are) (?:concluded|required)")
# ("Nordic Semiconductor ASA reserves the right to make changes without further notice ...
# does not assume any liability", a datasheet's "Liability disclaimer", read 40)
_DISCLAIMER_TEXT = re.compile(
    r"(?i)forward[- ]looking|disclaim|safe harbou?r|cautionary|reserves? the right to make "
    r"changes|(?:does|do) not assume any (?:liability|responsibility)"
)
# A section that is a disclaimer by its title ("Forward-Looking Statement Disclaimer", "Safe
# Harbor", read 19): long ones pass the word limit above, and no sentence of them teaches
_BOILERPLATE_HEADING = re.compile(
    r"(?i)^\W*(?:cautionary (?:note|statement)s?\b|forward[- ]looking (?:statement|information)|"
    r"safe[- ]harbou?r\b|(?:legal |liability |general |important )?disclaimers?\b|"
    r"legal notices?\b|copyright notice\b|"
    r"(?:special |cautionary )?note (?:regarding|about|on|concerning) forward|"
    r"important (?:notice|information) regarding forward)"
)
_METADATA_LINE = re.compile(
    r"(?i)^\s*(?:[-*]\s*)?\**(?:document|policy|version|revision|rev\.?|effective(?: date)?|"
    r"issued|approved(?: by)?|owner|author|classification|status|last (?:updated|reviewed)|"
    r"review date|reference|doc(?:ument)? (?:id|no\.?|number))\**\s*[:#]"
)
_METADATA_SENTENCE = re.compile(
    r"(?i)^[^.]{0,60}\b(?:version|revision|rev\.)\s*\d+(?:\.\d+)*[^.]{0,40}\.\s*"
    r"(?:effective|issued|approved|last updated)\b[^.]{0,40}\.?\s*$"
)


# An entry of a reference list: "Fritz M (2012). Clinical Gynecologic ... ISBN 978-...",
# "Stringleman, Hugh (March 2009). ... Retrieved 4 February 2011", "^ Ballara, Angela (1998)."
_REFERENCE_ENTRY = re.compile(
    r"\((?:[A-Z][a-z]+\.? )?(?:\d{1,2} )?(?:1[5-9]|20)\d{2}[a-z]?\)\.|\bRetrieved(?: on)? \d|"
    r"\bdoi:? ?10\.\d|\bISBN\b|\bPMID\b|\barXiv:\d|\bet al\.[,]? \(?(?:1[5-9]|20)\d{2}|"
    r"^\s*(?:[-*]\s+)?(?:\d{1,4}\.\s+)?\^",
)
_REFERENCE_HEADING = re.compile(
    r"(?i)^\s*(?:references?|bibliography|works cited|citations|sources|notes|footnotes|"
    r"further reading|literature(?: cited)?)\s*$"
)


@dataclass(frozen=True)
class TriageThresholds:
    min_words: int = 12  # fewer words than this cannot carry a question and its answer
    max_garbled_ratio: float = 0.02  # replacement / private-use / control characters
    min_letter_ratio: float = 0.45  # letters among non-space characters
    toc_line_share: float = 0.6  # lines that end in a page number
    reference_line_share: float = 0.6  # lines that read as entries of a reference list
    boilerplate_max_words: int = 150  # a longer chunk with one legal phrase is still content
    interleaving: InterleavingThresholds = field(default_factory=InterleavingThresholds)
    # When this share of a document's chunks reads as interleaved columns, its layout was read
    # across columns throughout, and any other chunk showing some sign of it is skipped too.
    interleaved_document_share: float = 0.25


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _garbled_ratio(text: str) -> float:
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return 0.0
    bad = sum(
        1 for ch in chars if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cc", "Cs", "Cn")
    )
    return bad / len(chars)


def _letter_ratio(text: str) -> float:
    chars = [ch for ch in text if not ch.isspace() and ch not in "|-:#*"]
    return sum(ch.isalpha() for ch in chars) / len(chars) if chars else 0.0


_INTERLEAVED = "garbled text: interleaved columns"


def triage_reason(
    text: str,
    heading_path: tuple[str, ...] | list[str] = (),
    limits: TriageThresholds = TriageThresholds(),
) -> str | None:
    """Why this chunk is skipped, or None when it goes to generation."""
    # What must never be sent is reported in full: a reviewer needs every cause, not the first.
    must_not = []
    secrets = find_secrets(text)
    if secrets:
        must_not.append("secret: " + ", ".join(secrets))
    injected = find_injection(text)
    if injected:
        must_not.append(f"instruction addressed to a model: {injected!r}")
    if must_not:
        return "; ".join(must_not)
    if _garbled_ratio(text) > limits.max_garbled_ratio:
        return "garbled text: unmapped or replacement characters"
    words = re.findall(r"\w+", text)
    lines = _lines(text)
    heading = " ".join(heading_path[-1:]) if heading_path else ""
    body = [line for line in lines if not line.lstrip().startswith("#")]
    # Table rows end in numbers by nature; a contents list is prose lines ending in page numbers.
    prose = [line for line in body if not line.lstrip().startswith("|")]
    toc_share = sum(bool(_TOC_LINE.match(line)) for line in prose) / len(prose) if prose else 0.0
    if len(prose) >= 4 and (
        toc_share >= limits.toc_line_share or (_TOC_HEADING.search(heading) and toc_share >= 0.4)
    ):
        return "table of contents or index"
    if body and sum(bool(_SIGNATURE.search(line)) for line in body) >= max(2, len(body) // 2):
        return "signature block"
    # A web page's or a paper's reference list: titles and identifiers, nothing to ask about
    references = (
        sum(bool(_REFERENCE_ENTRY.search(line)) for line in prose) / len(prose) if prose else 0
    )
    if len(prose) >= 3 and (
        references >= limits.reference_line_share
        or (_REFERENCE_HEADING.match(heading) and references >= 0.3)
    ):
        return "reference list"
    if len(words) <= limits.boilerplate_max_words and _BOILERPLATE_RE.search(text):
        return "legal or audit boilerplate"
    # ... as long as the text is the disclaimer's: a section the reader did not close (Nike's
    # risk factors under its "Special Note Regarding Forward-Looking Statements") is content
    if _BOILERPLATE_HEADING.match(heading) and _DISCLAIMER_TEXT.search(text):
        return "legal or audit boilerplate (a disclaimer section)"
    if _AUDIT_HEADING.match(heading) and _AUDIT_TEXT.search(text):
        return "legal or audit boilerplate (the auditor's report)"
    if body and (
        sum(bool(_METADATA_LINE.match(line)) for line in body) >= max(2, (len(body) + 1) // 2)
        or (len(body) == 1 and _METADATA_SENTENCE.match(body[0].strip()))
    ):
        return "document metadata"
    if len(words) < limits.min_words:
        return f"too little text ({len(words)} words)"
    if _letter_ratio(text) < limits.min_letter_ratio:
        return "garbled text: too few letters"
    interleaved = interleaving_reason(text, limits.interleaving)
    if interleaved:
        return f"{_INTERLEAVED} ({interleaved})"
    return None


def triage_document(
    texts: list[str],
    heading_paths: list[tuple[str, ...] | list[str]],
    limits: TriageThresholds = TriageThresholds(),
) -> list[str | None]:
    """`triage_reason` for every chunk of one document, in order, with one document-wide rule:
    where many chunks read as interleaved columns, the page layout was read across columns
    throughout, so a chunk showing a milder sign of it (two broken paragraphs, one glued word)
    is no better and is skipped too."""
    scan_lines(texts)  # one detect-secrets configuration for the document's chunks
    reasons = [triage_reason(t, h, limits) for t, h in zip(texts, heading_paths, strict=True)]
    interleaved = sum(bool(r and r.startswith(_INTERLEAVED)) for r in reasons)
    if not reasons or interleaved / len(reasons) < limits.interleaved_document_share:
        return reasons
    share = f"{interleaved} of {len(reasons)} chunks of the document"
    return [
        f"{_INTERLEAVED} (document-wide: {share}; this one shows signs of it)"
        if reason is None and shows_interleaving(text)
        else reason
        for reason, text in zip(reasons, texts, strict=True)
    ]
