"""What a document is about, found once per document: its issuer, product or title.

Five issuers' annual reports give five sets of questions that all say "the company"; a question
only teaches when it names its subject. The subject is, in this order:

0. the registrant a securities filing's cover names ("Galaxy Gaming, Inc." above "(Exact name
   of registrant as specified in its charter)"): a filing's own title is its form's name;
1. a title from the document's metadata (front matter `title`, PDF title) that reads like one:
   not a file name, not "Microsoft Word - ...", not a generic word ("Annual Report");
2. a level-1 heading opening the Markdown, under the same conditions (the author's title), or
   the first heading when the cover repeats it (a booklet's cover and its title page);
3. a cover title: a run of short bold lines on the opening page holding a document noun
   ("Handbook for Chapter 13 Standing Trustees"); a generic one ("Annual Report 2021") takes
   the issuer named on that page ("Acme Holdings plc Annual Report 2021");
4. an opening heading naming a handbook, manual or guide by a name in capitals ("MSDS
   Student Handbook 2026"), then the organisation named on the opening page that the
   document names most often with a legal or institutional suffix ("Acme Holdings plc"),
   when named at least `MIN_ISSUER_MENTIONS` times: an organisation only mentioned inside is
   not the author (a handbook quoting an association's pledge eight times is still the
   department's handbook);
5. the issuer the opening pages name as a report's owner ("ENGIE's Integrated Report");
6. the first heading of the Markdown when it is no numbered section ("1 General"), or a
   datasheet's part number ("PN532/C1") when the text names the part by it.

Before these: a prescribing information's drug, a filing's registrant, the company "the terms
... refer to", a standard's designation, a title field (in a table, or a protocol's `## TITLE`
heading; its `## AUTHORS` team when the title is too long to cite). A metadata title is passed
over when it is stale (a short product name in capitals the text never writes).

None when nothing qualifies: a wrong subject in every question is worse than none.
"""

from __future__ import annotations

import re
from collections import Counter

SUBJECT_VERSION = "subject-48"
COVER_CHARS = 1500
MIN_ISSUER_MENTIONS = 2  # on the opening page and once more: a company names itself
_MAX_WORDS = 12
_MAX_TITLE_WORDS = 18

_SUFFIXES = (
    r"(?:plc|PLC|Inc\.?|INC\.?|Incorporated|Ltd\.?|LTD\.?|Limited|LLC|L\.L\.C\.|LLP|Corp\.?|"
    r"CORP\.?|Corporation|CORPORATION|COMPANY|HOLDINGS|"
    r"Company|Co\.|Group|Holdings|AG|SA|S\.A\.|N\.V\.|NV|GmbH|AB|ASA|Oyj|SpA|S\.p\.A\.|"
    r"Bank|Trust|Foundation|University|Council|District|Authority|Agency|Administration|"
    r"Department|Ministry|Commission|Board|Institute|Association|Society|Organization|"
    # "L’Etoile French Immersion School" (its parent handbook, read 62); a paper's "Harvard
    # Business School" stays an affiliation (see main_issuer)
    r"Organisation|International|School)"
)
_NAME_WORD = r"(?:[A-Z][\w&'’.-]*|&|of|and|for|the|de|du|la)"
_ISSUER = re.compile(
    # "Galaxy Gaming, Inc.", "ADVANCED MICRO DEVICES, INC.": a comma may stand before the
    # form; a name never runs over a line break (a title line above it is no part of it);
    # "eBay Inc." opens on a lower-case letter
    # "1&1 AG", "3i Group plc" (reads 49-50): a name may open on digits glued to the rest
    rf"\b(?P<name>(?:[A-Z]|[a-z][A-Z]|\d+(?:&\d+|[A-Za-z]+)\b)[\w&'’.-]*"
    rf"(?:[ \t]+{_NAME_WORD}){{0,5}}?"
    rf"(?:,?[ \t]+{_SUFFIXES})+"
    r"(?:[ \t]+(?:of|on|for)[ \t]+(?:the[ \t]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,3})?)"
    r"(?![\w])"
    # "Standardization of Group 3 facsimile terminals": the phrase runs on, "Group" names no one
    r"(?![ \t]+\d+[ \t]+[a-z])"
)
_SUFFIX_WORD = re.compile(rf"^{_SUFFIXES}$")
_GENERIC_TITLES = {
    "contents", "table of contents", "abstract", "introduction", "summary", "overview",
    "untitled", "document", "report", "annual report", "agenda", "minutes", "index", "preface",
    "foreword", "executive summary", "title", "draft", "notes", "appendix", "highlights",
    "key highlights", "financial highlights", "corporate overview", "at a glance", "key figures",
    "table", "figure", "chart", "source", "sources", "caution", "warning", "note",
    "manual transmittal", "transmittal", "cover page", "cover",
    # a manual's greeting over its first paragraph (Kelvinator's refrigerator manual, read 36)
    "congratulations", "welcome", "thank you", "dear customer", "dear customers",
    # a datasheet's first section ("General Description" over Micrel's MIC5219, read 46:
    # "What does General Description say about Input Capacitor?")
    "general description", "description", "product description", "functional description",
    "general", "features", "key features", "applications", "typical applications",
    "typical application", "ordering information", "pin configuration", "pin description",
    "absolute maximum ratings", "electrical characteristics", "specifications",
    # a drug label's PDF title (IWILFIN's prescribing information, read 22: "According to
    # Label, ...")
    # a protocol's field headings ("## AUTHORS" / "## TITLE", read 24: "What does AUTHORS say
    # about ...?"), a set of financial statements' own kind (Nippon Express's "Consolidated
    # Financial Statements" over its name)
    "authors", "author", "author(s)", "research questions", "research question", "keywords",
    "consolidated financial statements", "financial statements",
    "condensed consolidated financial statements", "interim financial statements",
    "label", "drug label", "prescribing information", "highlights of prescribing information",
    "package insert", "product label",
    # a report's section heading first on the page ("Methodology" over an aged-care survey,
    # read 19: five pairs "What does Methodology say about ...?")
    "methodology", "methods", "method", "background", "results", "discussion", "conclusion",
    "conclusions", "findings", "purpose", "scope", "objectives", "aims",
    # a document noun alone, or the front matter's own heading, names no document (read 11:
    # "What does HANDBOOK state about ...?", "According to About This Book, ...")
    "handbook", "manual", "guide", "user guide", "user's guide", "book", "booklet", "brochure",
    "about this book", "about this guide", "about this manual", "about this document",
    "about this handbook", "about this publication", "about this report",
    # a securities filing's form header, over a registrant name set as an image (Foot Locker)
    "united states", "securities and exchange commission", "form 10-k", "form 10-q",
    "annual report pursuant to section 13 or 15(d) of the securities exchange act of 1934",
}  # fmt: skip
# "Table 3 ...", "Figure 2: ...", "Chart 1": a caption names one table or figure, not the
# document, whatever the page puts first.
_CAPTION = re.compile(
    r"^(?:table|tab|figure|fig|chart|graph|exhibit|box|map|plate|diagram|panel|illustration|"
    r"image|photo|source|note|annex|appendix|schedule)s?\.?(?:\s*(?-i:[\dIVX]+[\w.-]*|[A-Z]\d*)"
    r"(?:[\s:.–—-]|$)|\s*:)",
    re.IGNORECASE,
)
# "European sovereign 5-year CDS spreads (bp)": a unit in brackets ends a chart's or a table's
# caption, not a document's title.
_UNIT_SUFFIX = re.compile(
    r"\((?:bp|bps|basis points|%|per ?cent|percent|[$€£¥][^)]*|[A-Z]{3}(?:\s?(?:bn|m|mn|k))?|"
    r"in [^)]{1,30}|(?:thousands?|millions?|billions?)(?: of [^)]{1,20})?|number|no\.|n|"
    r"[\w%]+\s?/\s?[\w%]+|index[^)]*|\d{4}\s?=\s?100)\)\s*$",
    re.IGNORECASE,
)
_BAD_TITLE = re.compile(
    # "PowerPoint Presentation" (Standard Chartered's ESG index, read 32: 17 of the 29 bad
    # pairs), "Presentation1", "Slide 1": a program's default title
    r"^(?:powerpoint presentation|presentation\d*|slide \d+|integrated circuits|data sheet)$|"
    r"^(?:microsoft (?:word|powerpoint|excel)\s*-|untitled|document\d*$)|\.(?:docx?|pdf|pptx?|"
    r"xlsx?|tex|dvi|indd|qxd)\b|^[\w-]+\.\w{2,4}$|^[\w]*\d{3,}[\w]*$|(?-i:^[a-z0-9_-]+$)|"
    # "UM_TAT2159_00_v1.0_20240821" (Philips' earbuds manual, read 47): a document code
    r"^(?=(?:\D*\d){6})[\w.-]+$",
    re.IGNORECASE,
)
# "Military Law Its origin and extent Paras 1 - 3" (a manual's running header, read 54): the
# paragraphs a page holds, not the document's title
_PARAGRAPHS_HEADER = re.compile(r"\bParas?\.? \d+(?:\s*[-–]\s*\d+)?$", re.IGNORECASE)
# A test or sample file's own title names no subject worth asking about.
# "[Insert title of document]" (a policy framework's template field, read 21) is one too.
_PLACEHOLDER = re.compile(
    r"\b(?:example|sample|test|lorem|ipsum|template|dummy|placeholder)\b|"
    r"\b(?:insert|enter|type) (?:the )?(?:title|name)\b|^title of (?:the )?document$",
    re.I,
)
# "The DatasheetArchive - Datasheet Search Engine" (read 21): the PDF's title names the site
# that served the file, not the part
_HOSTING_SITE = re.compile(
    r"\bsearch engine\b|\bdatasheet ?archive\b|\balldatasheet\b|\bwww\.|\.(?:com|net|org)\b|"
    # "SASB-PDF – Issued IFRS Standards" (read 29): the IFRS Foundation site's page title
    r"[-–] Issued IFRS Standards$",
    re.I,
)
# "Paris La Défense, 30 July 2026" (Arkema's release, read 21): a dateline, not a title
_DATELINE = re.compile(
    r",\s*(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?)"
    r"\s+(?:19|20)\d{2}$"
)
# "Policy name: Management of Security at Visits ...": a form's label before the title
_TITLE_LABEL = re.compile(
    r"^(?:(?:policy|document|report|project|study|protocol)\s+)?(?:name|title)\s*:\s*", re.I
)
_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)
_LEADING_ARTICLE = re.compile(r"^(?:The|A|An)\s+(?=[A-Z])")


def _clean(text: str) -> str:
    text = re.sub(r"^\s*#{1,6}\s+", "", text)  # "## Costco Wholesale Corporation" on a cover
    text = re.sub(r"[*_`\[\]∗†‡§]", "", text)  # "in Economics∗": a footnote's marker
    text = re.sub(r"\s*[®™]", "", text)  # "FedRAMP ® Security ...": a mark, no word of the name
    text = re.sub(r"\s+", " ", text).strip(" .:;,-–—|")
    text = re.sub(r"(?<=\w)['’] s\b", "'s", text)  # "User' s Manual": a space the PDF put in
    return _TITLE_LABEL.sub("", text)


def title_like(text: str | None, max_words: int = _MAX_WORDS) -> str | None:
    """`text` as a subject when it reads like a title, else None."""
    if not text or not isinstance(text, str):
        return None
    title = _clean(text)
    # "MANUAL OF MANUAL OF BANGLADESH MILITARY LAW" (read 54): a cover's words set twice
    title = re.sub(r"\b(\w+ (?:of|for|to|and)) \1\b", r"\1", title, flags=re.I)
    words = title.split()
    if not words or len(words) > max_words or title.casefold() in _GENERIC_TITLES:
        return None
    # "The Law Library serves the needs of the U" (a PDF's Info title, read 12): a sentence cut
    # at an abbreviation's full stop, not a title
    if len(words) > 2 and re.fullmatch(r"[A-Z]", words[-1]):
        return None
    if _BAD_TITLE.search(title) or _PARAGRAPHS_HEADER.search(title):
        return None
    if not re.search(r"[^\W\d_]{3,}", title):
        return None
    # "jftLVªh lañ Mhñ ,yñ-(,u)04@0007@2003-23" (an Indian gazette's Hindi masthead in a legacy
    # font, read 32): no title holds an "@" or a letter with a tilde after two ASCII letters
    if "@" in title or len(re.findall(r"[a-z][a-z][ªñ]", title)) >= 2:
        return None
    if _PLACEHOLDER.search(title) or _HOSTING_SITE.search(title) or _DATELINE.search(title):
        return None
    if _CAPTION.match(title) or (_UNIT_SUFFIX.search(title) and not _own_acronym(title)):
        return None
    # "DOM Pricing Model SVT Opt 1.1 5% increase", "2007 Instruction 1040-NR": a file's code,
    # not its title.
    # ("5-Level Paging and 5-Level EPT" is a title: a number inside a word is no code.)
    coded = sum(bool(re.search(r"\d", w)) and not re.search(r"[A-Za-z]{3,}", w) for w in words)
    # "OWASP Top 10 - 2017" (read 25): a year beside two words of name is an edition, not code
    named = [w for w in words if re.fullmatch(r"[A-Za-z][\w'’&-]*", w)]
    if len(named) >= 2 and re.search(r"\s[-–]\s(?:19|20)\d{2}$", title):
        coded -= 1
    if "%" in title or coded * 3 > len(words):
        return None
    # "infraGA/GeoAc", "eBay": a name may open in lower case, with a capital inside
    if (
        title.endswith("?")
        or title.startswith("(")
        or not any(re.search(r"[A-Z]", w) for w in words)
    ):
        return None
    # "Investment Report", "FIRST QUARTER 2023 RESULTS", "User's guide for version 5.4"
    # (read 18): a kind of document, whose issuer or product it does not name
    if _GENERIC_REPORT.match(title) or _only_document_words(title):
        return None
    # "UPDATED RECOMMENDATIONS ON": the title runs on into the next line; "ITEM8. Financial
    # Statements": a filing's item, not the filing.
    if words[-1].lower() in _TRAILING_FUNCTION_WORDS or _ITEM.match(title):
        return None
    return title


_ACRONYM_END = re.compile(r"^(?P<head>.+?)\s*\((?P<acronym>[A-Z]{2,6})\)$")


def _own_acronym(title: str) -> bool:
    """ "A Brief Introduction to the Standard Annotation Language (SAL)", "... Security
    Assessment Plans (SAP)": the initials of the words before it, not a currency's code."""
    found = _ACRONYM_END.match(title)
    if found is None:
        return False
    acronym = found.group("acronym")
    initials = "".join(
        w[0] for w in re.findall(r"[A-Za-z][\w-]*", found.group("head")) if w[0].isupper()
    )
    return initials.endswith(acronym)


_TRAILING_FUNCTION_WORDS = {
    "on", "of", "for", "and", "the", "to", "in", "with", "a", "an", "or", "by", "from", "at",
}  # fmt: skip
_ITEM = re.compile(r"^item\s*\d+[A-C]?\b", re.IGNORECASE)
# A company's own organs, named all over its report: never its issuer
_COMPANY_ORGAN = re.compile(
    r"(?:Executive|Supervisory|Management|Advisory|Audit|Governing|Group|Administrative|Main)"
    r" (?:Board|Committee|Council)(?: of Directors)?"
)
_STANDARD_SETTER = re.compile(
    r"\bStandards Board\b|\bReporting Initiative\b|\bTask Force\b|^United Nations\b|"
    r"\bStandards Council\b"
)
_NO_NAME_OPENERS = {
    "the", "a", "pvt", "our", "its", "their", "this", "that", "these", "your", "my", "his", "her",
}  # fmt: skip


def main_issuer(markdown: str, cover_chars: int = COVER_CHARS) -> str | None:
    """The organisation named on the opening page that the text names most often, when named
    often enough to be its issuer (an organisation only mentioned inside is not the author)."""
    cover = markdown[:cover_chars]
    names = Counter(
        _ROLE_OF.sub("", _LEADING_ARTICLE.sub("", m.group("name"))).strip()
        for m in _ISSUER.finditer(markdown)
    )
    for name in list(names):
        if name not in cover:
            del names[name]
    # "The Board", "Pvt. Ltd.": a suffix alone names no one.
    for name in list(names):
        words = name.split()
        opener = words[0].lower().rstrip(".")
        # "Our Company" (NVIDIA's 10-K opens on "Our Company and Our Businesses", read 16):
        # a possessive names whoever is speaking, not who that is
        if len(words) < 2 or _SUFFIX_WORD.match(words[0]) or opener in _NO_NAME_OPENERS:
            del names[name]
        elif _COMPANY_ORGAN.fullmatch(name) or _STANDARD_SETTER.search(name):
            # "Executive Board" (PALFINGER's report, read 49): its organ; "Sustainability
            # Accounting Standards Board" (CBA's SASB index, read 51): the framework it follows
            del names[name]
        elif words[-1] == "International" and len(words) < 3:
            del names[name]  # "FedEx International": a service; "Amnesty International" aside
        elif _ACADEMIC.search(words[-1]) and _EMAIL.search(cover):
            del names[name]  # a paper's author block: "Columbia University" is an affiliation
        elif any(_CREDENTIALS.search(line) for line in cover.splitlines() if name in line):
            # "Alexis A. Vosooney, MD, Allina Health Group, West Saint Paul" (an AAFP guideline,
            # read 40): an author's affiliation in the byline, not the issuer
            del names[name]
        elif re.search(rf"\band\s+{re.escape(name)}", cover):
            del names[name]  # "Local Governance, and Civil Society": a title's list, not an issuer
        elif re.search(rf"\b[Aa]n?\s+{re.escape(name)}", markdown):
            # "Achieving a Resource-Efficient Society" (Hitachi's report, read 30): a kind of
            # society, nobody's name
            del names[name]
    if not names:
        return None
    name, mentions = names.most_common(1)[0]
    if mentions < MIN_ISSUER_MENTIONS or len(name.split()) > _MAX_WORDS:
        return None
    # "Lloyd's of London Foundation" in Lloyd's sustainability report (read 35): the report's
    # own charity, the text naming its owner five times as often
    arm = _CHARITY_ARM.match(name)
    owner = arm.group("owner") if arm else ""
    if owner and len(re.findall(rf"(?<!\w){re.escape(owner)}", markdown)) >= 5 * mentions:
        return owner
    # "the Reserve Bank had issued ..." under a cover reading "RESERVE BANK OF INDIA" (the
    # RBI's guidance note, read 39): the prose shortens the name the cover gives in full
    full = re.search(
        rf"(?i:(?<![\w-]){re.escape(name)}\s+of\s+)(?P<place>[A-Z][\w'’-]+)(?![\w-])", cover
    )
    if full and " of " not in name:
        place = full.group("place")
        return f"{name} of {place.title() if place.isupper() and len(place) > 3 else place}"
    return name


_CHARITY_ARM = re.compile(
    r"^(?P<owner>[A-Z][\w'’&.-]*(?: [A-Z][\w'’&.-]*)?)(?: of [A-Z][\w]+)? (?:Foundation|"
    r"Charitable Trust|Trust|Fund)$"
)


# "The Board of Directors of DBS Group Holdings Ltd reports the following" (read 26): the
# company's organ, the company is the issuer
_ROLE_OF = re.compile(
    r"^(?:(?:Board of )?Directors|Board|Shareholders|Members|Trustees|Management|Auditors?)"
    r" of (?:the )?(?=[A-Z])"
)
_CREDENTIALS = re.compile(r",\s*(?:MD|PhD|DO|MPH|MSc|MBBS|RN|FAAFP|FACP|FRCP|DrPH|PharmD)\b")
_ACADEMIC = re.compile(r"^(?:University|Institute|College|School|Laboratory|Laboratories|Lab)$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_NUMBERED = re.compile(
    r"^(?:(?:chapter|section|part|article|annex|appendix|item)\s*)?[\dIVX]+[A-C]?(?:\.\d+)*\b"
    r"(?!-[A-Za-z])",  # "x-enVENT: A Corpus of ..." (read 29) opens on a name, not a numeral
    re.I,
)


def _next_heading(markdown: str, end: int) -> re.Match[str] | None:
    """The heading right after `end`, blank lines aside; None when text comes first."""
    rest = markdown[end:]
    return _HEADING.match(markdown, end + len(rest) - len(rest.lstrip()))


def first_title(markdown: str, *, level_one: bool, within_chars: int = 2000) -> str | None:
    """The document's first heading, when it opens the text near the start and is no numbered
    section ("1 General", "Chapter 1"); with `level_one`, only a `# ` heading counts."""
    match = _HEADING.search(markdown[:within_chars])
    if match is None or (level_one and len(match.group("marks")) != 1):
        return None
    # "SECTION 2" over "DIESEL ENGINES": the label's title is the heading right under it.
    if not level_one and _LABEL_ONLY.match(_clean(match.group("title"))):
        match = _next_heading(markdown, match.end()) or match
    # "RESEARCH ARTICLE" / "Open Access" over a journal article's title, "United StateS Office
    # Of PerSOnnel ManageMent" (small capitals read as letters of two sizes) over its cover's
    # own title (read 16): the heading after them is the title
    for _ in range(3):
        heading = _clean(match.group("title"))
        if level_one or not (
            _BANNER.match(heading)
            or _miscased(heading)
            or _DATELINE.search(heading)
            or _PARAGRAPHS_HEADER.search(heading)
        ):
            break
        following = _next_heading(markdown, match.end())
        if following is None:
            return None
        match = following
    if _introduces_table_or_figure(markdown, match.end()):
        return None
    # Not a title: a heading after the document's content has begun ("#### Recent Sales of
    # Unregistered Securities" under the performance table of a 10-K cut at Item 5): a section
    # of something larger. Page furniture or a date line before a cover title is no content.
    before = markdown[: match.start()]
    if "|" in before or len(before.split()) > 20:
        return None
    title = _clean(match.group("title"))
    # "Crystalfontz" over "This controller datasheet was downloaded from http://www.crystalfontz
    # .com/..." (UltraChip's UC1701x datasheet, read 35): the site that hosts the file
    if _DOWNLOADED.match(markdown[match.end() :].lstrip()):
        return None
    # "Vincent Simonet" over "November, 2002" (headache's manual, read 33): the author's
    # byline, the title set in code above it
    after = markdown[match.end() :].lstrip()
    if _PERSON.fullmatch(title) and _DATE_HEADING.match(after):
        return None
    # A title set over several heading lines ("UPDATED RECOMMENDATIONS ON" / "TREATMENT OF
    # ADOLESCENTS ...", "HANDBOOK" / "FOR" / "CODING GUIDELINES") is read whole, up to four.
    end = match.end()
    ran_on = False
    for _ in range(3):
        following = _next_heading(markdown, end)
        if following is None:
            break
        nxt = _clean(following.group("title"))
        # "Factry Historian Module" / "Specification" / "# Specification" (a Markdown export,
        # read 47): a line repeating the title's end adds nothing to it
        if nxt and title.casefold().endswith(nxt.casefold()):
            end = following.end()
            continue
        # "Spotlight on the" / "Global Education" / "Thematic Fund 2024" (UNICEF's cover, read
        # 34): once a title has run on, its next short line at the same level goes on too
        same_level = following.group("marks") == match.group("marks")
        if ran_on and same_level and _title_line(nxt):
            title, end = f"{title} {nxt}", following.end()
            continue
        # a lone "FOR" line, a line opening on "and ..." ("Final Environmental Assessment" /
        # "and Finding of No Significant Impact"), or a title ending on a modifier ("Guide to
        # OSCAL-Based" / "FedRAMP Content") runs on
        joiner = nxt.lower() in _TRAILING_FUNCTION_WORDS or nxt.split()[0] in ("and", "of", "for")
        # "... hepatitis C virus genotype" / "1 infection", "Programming Languages" / "in
        # Economics": a number before a lower-case word, or a preposition, goes on the title
        # (a numbered section opens on a capital; "version 1.8" under a title is no part of it)
        joiner = joiner or re.match(r"^(?:\d+\s+[a-z]|(?:in|on|with|to|from)\s)", nxt) is not None
        modifier = re.search(r"-(?:based|related|specific|driven|oriented|level)$", title, re.I)
        # "Commercial Banks" / "Sustainability Accounting Standard" (SASB's cover, read 29): a
        # kind of document under a short title says what the title is
        kind = len(nxt.split()) <= 4 and len(title.split()) <= 4 and _KIND_LINE.search(nxt)
        if title.split()[-1].lower() not in _TRAILING_FUNCTION_WORDS and not (
            joiner or modifier or kind
        ):
            break
        ran_on = ran_on or title.split()[-1].lower() in _TRAILING_FUNCTION_WORDS
        title, end = f"{title} {_clean(following.group('title'))}", following.end()
    # "GUIDE TO INFECTION PREVENTION FOR OUTPATIENT SETTINGS:" as a line over "# MINIMUM
    # EXPECTATIONS FOR SAFE CARE" (CDC's guide, read 25): the title, its colon leading to the
    # subtitle set as the heading
    lead = before.strip()
    # ("BRANCHES:" over a mill's name is a label)
    if lead.endswith(":") and "\n" not in lead and len(lead.split()) >= 3 and title_like(lead[:-1]):
        title = f"{_clean(lead[:-1])}: {title}"
    if _NUMBERED.match(title) or _common_word(title, markdown):
        return None
    # a paper's title runs longer than a company's name ("A Comprehensive Study of Main-Memory
    # Partitioning and its Application to Large-Scale Comparison- and Radix-Sort", read 12)
    return title_like(title, max_words=_MAX_TITLE_WORDS)


_DOWNLOADED = re.compile(
    r"^(?:#{1,6}\s+)?(?:This|The)\b[^\n]{0,80}?\b(?:was|is|has been) downloaded from\b", re.I
)
_PERSON = re.compile(r"(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.)(?: [A-Z]\.)*(?: [A-Z][a-z]+){1,2}")
_DATE_HEADING = re.compile(
    r"^(?:#{1,6}\s+)?(?:(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December),?\s+(?:\d{1,2},?\s+)?(?:19|20)\d{2}|(?:19|20)\d{2})"
    r"[ \t]*$",
    re.MULTILINE,
)
def _title_line(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 4
        and not _NUMBERED.match(line)
        and line.casefold() not in _GENERIC_TITLES
        and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _SMALL_TITLE_WORDS
                for w in words)
    )


_KIND_LINE = re.compile(
    r"^(?:[A-Z][a-z]+\s+){0,3}(?:Standard|Guide|Manual|Handbook|Datasheet|Specification|Reference)$"
)
_BANNER = re.compile(
    r"^(?:(?:original|research|review|brief|short|technical|invited|special|feature|clinical)"
    r"\s+)?(?:article|paper|report|communication|note|letter|study)$|^open access$|^review$|"
    r"^case (?:report|study)$|^(?:perspective|commentary|editorial|correspondence)$|"
    # "BONUS DIGITAL CONTENT ONLINE AHEAD OF PRINT" (an AAFP guideline, read 40): a journal's
    # publishing status, and the journal's kind of piece under it
    r"^.*\bahead of print$|^(?:online first|early view|advance access|accepted manuscript)$|"
    r"^practice guidelines?$",
    re.IGNORECASE,
)


def _miscased(heading: str) -> bool:
    """Small capitals extracted as two sizes of letter ("StateS", "PerSOnnel", "febrUary"): a
    capital after a lower-case letter in two or more words ("McDonald", "PayPal" are one)."""
    return sum(bool(re.search(r"[a-z][A-Z]", w)) for w in heading.split()) >= 2


def _common_word(title: str, markdown: str) -> bool:
    """ "Programming" as a guidebook chapter's heading: one word the text also writes in lower
    case names a topic, not the document."""
    words = title.split()
    return len(words) == 1 and _written_in_lower_case(words[0], markdown)


def _written_in_lower_case(word: str, markdown: str) -> bool:
    """Whether the text writes `word` in lower case as a word of its own ("fujinet-lib",
    "hitachi.com": a library's or a site's name is no such use)."""
    lowered = re.escape(word.lower())
    return re.search(rf"(?<![\w./@-]){lowered}(?![\w./-])", markdown) is not None


_LABEL_ONLY = re.compile(r"^(?:chapter|section|part|annex|appendix)\s+[\dIVX]+$", re.IGNORECASE)


_NUMBER_LINE = re.compile(r"^\s*[-+(]?[$€£¥]?\d[\d,.%\s)-]*$")


def _introduces_table_or_figure(markdown: str, end: int) -> bool:
    """A heading followed at once by a table, an image or a run of bare numbers (a chart's
    axis) is that table's or figure's caption."""
    following = [line for line in markdown[end : end + 600].splitlines() if line.strip()][:4]
    if not following:
        return False
    if following[0].lstrip().startswith(("|", "![", "<!-- image")):
        return True
    return sum(bool(_NUMBER_LINE.match(line)) for line in following) >= 2


_DOCUMENT_NOUN = re.compile(
    r"\b(?:handbook|manual|guide|guidelines|report|policy|instructions|rules|rulebook|"
    r"regulations?|standard|specification|procedures?|plan|statement|prospectus|charter|code|"
    r"agreement|terms|conditions|summary|directive|notice)\b",
    re.IGNORECASE,
)
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_\n]{2,80})(?:\*\*|__)\s*$")
_DATE_LINE = re.compile(
    r"^\W*(?:[A-Z][a-z]+\.? )?(?:\d{1,2}(?:st|nd|rd|th)?,? )?(?:19|20)\d{2}\W*$"
)
_GENERIC_REPORT = re.compile(
    # ("HALF-YEAR FINANCIAL REPORT June 30, 2025", The Blockchain Group's, read 37: two kinds
    # and a date)
    r"^(?:(?:19|20)\d{2}\s+)?(?:(?:annual|quarterly|interim|sustainability|integrated|half-year|"
    r"semi-annual|half-yearly|"
    r"investment|performance|progress|status|financial|earnings)\s*){0,2}"
    r"report(?:\s+(?:and accounts|and (?:form )?10-k))?(?:\s+(?:as (?:of|at) |for |to )?"
    r"(?:[A-Za-z]+ \d{1,2},? (?:19|20)\d{2}|\d{1,2} [A-Za-z]+,? (?:19|20)\d{2}|(?:19|20)\d{2}))?$|"
    # "REPORT FOR THE PERIOD ENDED" (Askari Life's quarterly report, read 27): its date cut off
    r"^(?:(?:quarterly|interim|half[- ]yearly|directors'?)\s+)?report for the (?:period|quarter|"
    r"year|half[- ]year|(?:three|six|nine) months)(?: ended)?\b.*$|"
    # "Separate non-financial Group report 2023" (1&1's), "Corporate Responsibility Report
    # 2022" (GlobalFoundries', read 49): a sustainability report's kind
    r"^(?:(?:19|20)\d{2}\s+)?(?:separate\s+)?(?:consolidated\s+)?(?:non-financial|"
    r"corporate (?:social )?responsibility|csr|esg|sustainability|impact)(?:\s+(?:group|"
    r"statement))?\s+report(?:\s+(?:19|20)\d{2})?$|"
    r"^(?:(?:first|second|third|fourth)[- ]quarter|q[1-4]|full[- ]year|half[- ]year|annual)"
    r"(?:\s+(?:fiscal\s+)?(?:19|20)\d{2})?\s+(?:results|earnings)(?:\s+(?:19|20)\d{2})?$",
    re.IGNORECASE,
)
_DOCUMENT_WORDS = frozenset(
    """user user's users guide manual handbook reference for the version release edition revised
    draft final notes programmer's programmers administrator's installation quick start getting
    started a of and v""".split()  # noqa: SIM905
)


def _only_document_words(title: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'’]*", title.lower().replace("’", "'"))
    return bool(words) and all(w in _DOCUMENT_WORDS for w in words)


def cover_title(markdown: str, cover_chars: int = COVER_CHARS) -> str | None:
    """A title set as a run of short bold lines on the opening page ("Handbook for" / "Chapter
    13" / "Standing Trustees"), the run that holds a document noun; a generic one ("Annual
    Report 2021") is prefixed with the issuer named on that page."""
    lines = [line for line in markdown[:cover_chars].splitlines() if line.strip()]
    bold = [m.group("text").strip() if (m := _BOLD_LINE.match(line)) else None for line in lines]
    for start, text in enumerate(bold):
        if text is None or not _DOCUMENT_NOUN.search(text) or _DATE_LINE.search(text):
            continue
        parts = [text]
        for following in bold[start + 1 :]:
            if following is None or _DATE_LINE.search(following) or len(parts) >= 4:
                break
            parts.append(following)
        title = title_like(" ".join(parts))
        if title is None and not _GENERIC_REPORT.match(_clean(" ".join(parts))):
            continue
        if title is None or _GENERIC_REPORT.match(title):
            issuer = next((m.group("name") for m in _ISSUER.finditer(markdown[:cover_chars])), None)
            return f"{issuer} {_clean(' '.join(parts))}" if issuer else None
        return title
    return None


# "(Exact name of registrant as specified in its charter)" and its variants ("small business
# issuer", "Registrant") stand under the name on every SEC filing's cover.
_REGISTRANT_NOTE = re.compile(
    r"^\W*\(?\s*exact name of (?:the )?(?:small business )?(?:registrant|issuer)\b[^)\n]*\)?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def registrant(markdown: str, cover_chars: int = 3 * COVER_CHARS) -> str | None:
    """The company a securities filing is by, from the line above its cover's "(Exact name of
    registrant ...)" note."""
    cover = markdown[:cover_chars]
    match = _REGISTRANT_NOTE.search(cover)
    if match is None:
        return None
    above = [line for line in cover[: match.start()].splitlines() if line.strip()]
    if not above:
        return None
    name = _clean(above[-1])
    # _clean drops a final full stop, which "Galaxy Gaming, Inc." needs.
    if re.search(r"\b(?:Inc|Corp|Ltd|Co|Bhd|Pty)$", name, re.IGNORECASE):
        name += "."
    if name.startswith("<!--") or not re.search(r"[A-Za-z]{2,}", name):
        return None
    # Foot Locker's cover (read 11) sets its name as an image: the line above the note is the
    # form's own "to Commission File No. 1-10299", which names no one.
    if _COVER_FORM_LINE.search(name):
        return None
    return name if len(name.split()) <= _MAX_WORDS else None


_COVER_FORM_LINE = re.compile(
    r"commission file|file (?:no|number)|transition period|fiscal year ended|^(?:to|or)\b|"
    r"securities exchange act|^\(?mark one",
    re.IGNORECASE,
)


def repeated_first_heading(markdown: str, cover_chars: int = COVER_CHARS) -> str | None:
    """The first heading, when the opening page sets it twice: a booklet's cover and its
    title page both carry the title, which a publisher's name beside it is not."""
    match = _HEADING.search(markdown[:cover_chars])
    if match is None:
        return None
    title = _clean(match.group("title"))
    rest = markdown[match.end() : cover_chars]
    repeated = any(_clean(m.group("title")) == title for m in _HEADING.finditer(rest))
    return title_like(title) if repeated and not _NUMBERED.match(title) else None


# "Johnson & Johnson and its subsidiaries (the Company)", "Netflix, Inc. (“Netflix” or “the
# Company”)": a filing defines whom "the Company" means where its text begins.
_DEFINED_COMPANY = re.compile(
    r"(?P<name>[A-Z][\w&'’.,-]*(?:[ \t]+(?:[A-Z][\w&'’.,-]*|&|of|and|the)){0,6}?)"
    r"(?:,?[ \t]+(?:and|together with)[ \t]+its[ \t]+(?:consolidated[ \t]+|wholly[- ]owned[ \t]+)?"
    r"subsidiaries)?,?[ \t]+\((?:[“\"][^”\"]{1,30}[”\"][ \t]+or[ \t]+)?[“\"]?(?:the[ \t]+)?"
    # "Swati Lodha (Company Secretary)" (an Indian annual report's cover letter, read 35): a
    # person's role, not a defined term
    r"[“\"]?Company[”\"]?(?![ \t]*[A-Za-z])"
)


# "A.P. Møller - Mærsk A/S (further referred to as A.P. Moller - Maersk as the consolidated
# group of companies)" (Maersk's interim report, read 39): the name the text goes on using
_REFERRED_AS = re.compile(
    r"\((?:further |hereinafter |hereafter |also |collectively )?(?:referred to as|called) "
    r"(?:the )?[“\"']?(?P<name>[A-Z][\w.&'’-]*(?:[ \t](?:-|&|[A-Z][\w.&'’-]*)){0,5})"
)


_LEGAL_BEFORE = re.compile(
    r"\b(?:A/S|AS|ASA|AB|plc|PLC|Inc\.?|Ltd\.?|Limited|LLC|Corp\.?|Corporation|AG|SA|S\.A\.|"
    r"N\.V\.|NV|SE|GmbH|SpA|S\.p\.A\.|Oyj|Bhd)\b"
)


def referred_name(markdown: str, opening_chars: int = 2 * COVER_CHARS) -> str | None:
    """The short name a report's opening says it will call its issuer by, when the text then
    uses it (its last word at least three times)."""
    match = _REFERRED_AS.search(markdown[:opening_chars])
    # ("employees, contractors and agents (hereafter referred to as "Authorized Users")", a
    # policy's defined class): only the short name of a legal name
    if match is None or not _LEGAL_BEFORE.search(
        markdown[max(0, match.start() - 80) : match.start()]
    ):
        return None
    name = match.group("name").strip(" -&")
    words = name.split()
    if not words or (len(words) == 1 and _SUFFIX_WORD.match(words[0])):
        return None
    if len(words) == 1 and _written_in_lower_case(words[0], markdown):
        return None  # "(hereinafter called the Guidance)": a common noun, no name
    return name if _count_word(words[-1], markdown) >= 3 else None


def defined_company(markdown: str, opening_chars: int = 3 * COVER_CHARS) -> str | None:
    """The company a filing's text defines as "the Company" near its start."""
    match = _DEFINED_COMPANY.search(markdown[:opening_chars])
    if match is None:
        return None
    name = _ROLE_OF.sub("", _LEADING_ARTICLE.sub("", match.group("name"))).strip(" ,")
    # "the accompanying Consolidated Balance Sheets of Intel Corporation (the Company)": the
    # auditor's report names the statements before the company (read 12)
    if _STATEMENTS_OF.search(name):
        name = _STATEMENTS_OF.split(name)[-1].strip(" ,")
    words = name.split()
    if not words or _SUFFIX_WORD.match(words[0]) or words[0].lower() in ("the", "a", "this"):
        return None
    return name if len(words) <= 8 else None


_STATEMENTS_OF = re.compile(
    r"\b(?:Balance Sheets?|Statements?(?: of [A-Z][\w']*(?: [A-Z][\w']*)?)?|Financial Statements)"
    r" of ",
)


# 'As used herein, the term "3M" or "Company" refers to 3M Company and subsidiaries'
_TERM_FOR_COMPANY = re.compile(
    r"\bthe terms?[ \t]+[“\"](?P<name>[^”\"\n]{1,30})[”\"][ \t]+(?:or|and)[ \t]+"
    r"[“\"]?(?:the[ \t]+)?Company[”\"]?"
)
# 'the terms "we", "our", "us", the "Company" and "Stellantis" refer to Stellantis N.V.' (read
# 22): the list of terms ends on what they refer to, a legal name
_TERMS_REFER_TO = re.compile(
    r"\bthe terms?[ \t]+[“\"][^.\n]{0,160}?[“\"]Company[”\"][^.\n]{0,80}?\brefers?[ \t]+to[ \t]+"
    r"(?P<rest>[^\n]{1,120})"
)
_LEGAL_FORM = re.compile(
    r"(?:plc|PLC|Inc\.?|INC\.?|Incorporated|INCORPORATED|Ltd\.?|LTD\.?|Limited|LLC|Corp\.?|"
    r"CORP\.?|Corporation|CORPORATION|Company|COMPANY|Co\.|AG|SA|S\.A\.|N\.V\.|NV|GmbH|"
    r"International)"
)
_FREQUENT_NAME_MENTIONS = 20  # "Verizon" 53 times in 28 pages of its 10-K


_REGISTRATION = re.compile(
    r"^(?:(?:a )?(?:public|private) (?:limited )?(?:liability )?company\b|soci[ée]t[ée] anonyme\b|"
    r"(?:a company )?incorporated (?:in|under)\b|registered (?:office|number|in)\b|"
    r"company (?:registration )?(?:no|number)\b)",
    re.IGNORECASE,
)


def registered_name(markdown: str, cover_chars: int = 2 * COVER_CHARS) -> str | None:
    """The company a cover names over its legal particulars ("THE BLOCKCHAIN GROUP" over
    "Public Limited Company with a Board of Directors ...", a half-year report, read 37)."""
    for found in _HEADING.finditer(markdown[:cover_chars]):
        after = markdown[found.end() :].lstrip()
        if _REGISTRATION.match(after):
            return title_like(_clean(found.group("title")))
    return None


def named_company(markdown: str) -> str | None:
    """The company a filing cut without its cover keeps naming: a term defined as "the
    Company" anywhere, else the legal name (with its form, three times or more) whose first
    word the text uses most, when that is often (a paper citing a company is not its issuer)."""
    match = _TERM_FOR_COMPANY.search(markdown)
    if match:
        return title_like(match.group("name")) or match.group("name")
    refers = _TERMS_REFER_TO.search(markdown)
    legal = _ISSUER.match(refers.group("rest")) if refers else None
    if legal:
        return _LEADING_ARTICLE.sub("", legal.group("name")).strip()
    # Every tail of a found name counts ("Shareholders of JPMorgan Chase & Co." is also a
    # mention of "JPMorgan Chase & Co."); a qualified name that is the tail of another one
    # gives way to it ("Chase & Co." to "JPMorgan Chase & Co.", read 13).
    names: Counter[str] = Counter()
    found_in: dict[str, set[str]] = {}
    for m in _ISSUER.finditer(markdown):
        words = _LEADING_ARTICLE.sub("", m.group("name")).strip().split()
        for start in range(len(words) - 1):
            if words[start][:1].isupper():
                tail = " ".join(words[start:])
                names[tail] += 1
                found_in.setdefault(tail, set()).add(" ".join(words))
    qualified: dict[str, tuple[int, bool, int]] = {}
    for name, mentions in names.items():
        words = name.split()
        if mentions < 3 or len(words) < 2 or _SUFFIX_WORD.match(words[0]):
            continue
        # "Group's Bitcoin Treasury Company" (read 37): the tail of a possessive, no name
        if re.search(r"['’]s$", words[0]):
            continue
        # "Tire & Rubber Company", the tail of both "Goodyear Tire & Rubber Company" and
        # "Cooper Tire & Rubber Company" (read 17) and never written alone: an industry's
        # words, nobody's name
        if name not in found_in[name] and len(found_in[name]) >= 2:
            continue
        # "Control Group", "Cambridge University", "In Association": not a filer's legal name
        if not _LEGAL_FORM.fullmatch(words[-1]) or words[0].lower() in _TRAILING_FUNCTION_WORDS:
            continue
        # "MGM Resorts International" is a legal name; "FedEx International" a service
        if words[-1] == "International" and (len(words) < 3 or any(w[:1].islower() for w in words)):
            continue  # nor "Business and International": a heading's phrase
        first = words[0].rstrip(",")  # "Square, Inc.": the name's word is "Square"
        uses = len(re.findall(rf"\b{re.escape(first)}\b", markdown))
        # a corporate form wins a tie on the first word, then the name written most often
        if uses >= _FREQUENT_NAME_MENTIONS:
            qualified[name] = (uses, words[-1] != "International", mentions)
    whole = [n for n in qualified if not any(o != n and o.endswith(" " + n) for o in qualified)]
    return max(whole, key=lambda n: qualified[n]) if whole else None


_GROUP = re.compile(r"\b(?P<name>[A-Z][A-Za-z]{2,}) Group\b")
_GROUP_MENTIONS, _GROUP_NAME_USES = 3, 10


def named_group(markdown: str) -> str | None:
    """ "Hitachi Group" in a report cut from a larger one (read 30: pages 49-54 of Hitachi's
    sustainability report, no cover, no legal name written thrice): the group the text keeps
    naming, its first word used often."""
    groups = Counter(m.group("name") for m in _GROUP.finditer(markdown))
    for name, mentions in groups.most_common(3):
        if name.lower() in _TRAILING_FUNCTION_WORDS or mentions < _GROUP_MENTIONS:
            continue
        # "Working Group", "Control Group": a word the text also writes in lower case
        if _written_in_lower_case(name, markdown):
            continue
        if len(re.findall(rf"\b{name}\b", markdown)) >= _GROUP_NAME_USES:
            return f"{name} Group"
    return None


_DESIGNATION = re.compile(
    r"^(?:(?P<body>ITU-T|ITU-R|CCITT|ISO/IEC|ISO|IEC|IEEE|ETSI|ANSI|NIST)\s+)?"
    r"(?:Recommendation|Standard|Std\.?|Special Publication|SP)\s+"
    r"(?P<code>[A-Z]{1,3}[.\s-]?\d+(?:[.-]\d+)*[A-Za-z]?)$"
)
_STANDARDS_BODY = re.compile(r"^(?:ITU-T|ITU-R|CCITT|ISO/IEC|ISO|IEC|IEEE|ETSI|ANSI|NIST)$")
# "IFRS S1", "IAS 36", "ISO 9001:2015", "ESRS 1": a family's letters and the standard's number,
# the way a reader cites it (read 29's IFRS S1 cover: as a title "S1" read as a code, and the
# document had no subject)
_NUMBERED_STANDARD = re.compile(
    r"^(?:IFRS|IAS|IFRIC|SIC|ISO|ISO/IEC|IEC|ISA|ISAE|ESRS|AASB|FRS|NFRS|Ind AS|GRI|ASC)"
    r"\s+[A-Z]?\d{1,5}(?:[-:.]\d+)*"
    # "GRI 14: Mining Sector 2024" (read 38): the designation and its title
    r"(?::\s+[A-Z][\w-]*(?:\s+[\w-]+){0,5})?$"
)


def standard_designation(markdown: str, cover_chars: int = 2 * COVER_CHARS) -> str | None:
    """A standard's own designation set as a cover heading ("ITU-T Recommendation T.4",
    "Recommendation T.81" under "CCITT"): the document every question is about. Read 9 and 10
    asked "What does International Telecommunication Union say about A.2.4 ...?" and
    "Standardization of Group ...": the issuer or a cut title names no standard."""
    body: str | None = None
    for match in _HEADING.finditer(markdown[:cover_chars]):
        title = _clean(match.group("title"))
        if _STANDARDS_BODY.match(title):
            body = body or title
            continue
        if _NUMBERED_STANDARD.match(title):
            return title
        found = _DESIGNATION.match(title)
        if found:
            if found.group("body") or body is None:
                return title
            return f"{body} {title}"
    return None


# "| Title | A Prospective Natural History and Outcome Measure Discovery Study of ... |" on a
# clinical protocol's cover (read 20: without it the subject was a later heading, "Institutional
# Review Board"): a form's title field names the document.
_TITLE_FIELD = re.compile(
    r"^\|\s*\**(?:(?:study|protocol|document|project|report|trial)\s+)?title\**\s*:?\s*\|"
    r"\s*(?P<title>[^|]{12,300}?)\s*\|",
    re.IGNORECASE | re.MULTILINE,
)


def title_field(markdown: str, cover_chars: int = COVER_CHARS) -> str | None:
    """The value of a "Title" row in a table on the opening page."""
    found = _TITLE_FIELD.search(markdown[:cover_chars])
    if found is None:
        return None
    title = _clean(found.group("title"))
    words = title.split()
    if not 3 <= len(words) <= 30 or not re.search(r"[A-Z]", title) or _BAD_TITLE.search(title):
        return None
    return title


# "## TITLE" over the title's paragraph, "## AUTHORS" over "CONVALESCENCE Study Team" (an
# OpenSAFELY protocol, read 24): a form's fields set as headings
_HEADING_FIELD = re.compile(
    r"^#{1,6}[ \t]+(?P<label>[A-Za-z() ]{4,24}?)[ \t]*:?[ \t]*\n+(?P<value>[^\n#|][^\n]{2,400})$",
    re.MULTILINE,
)
_TITLE_LABELS = {"title", "study title", "protocol title", "document title", "project title"}
_AUTHOR_LABELS = {"authors", "author", "author(s)", "study team", "prepared by"}
_TEAM = re.compile(
    r"^[A-Z][\w-]*(?: [A-Z][\w-]*){0,4} (?:Study |Research |Project )?(?:Team|Group|Consortium|"
    r"Collaborative|Collaboration|Network|Initiative)$"
)


def heading_field(markdown: str, cover_chars: int = 2 * COVER_CHARS) -> str | None:
    """A protocol's title field set as a heading, or, when that title is too long to cite,
    the team its authors field names."""
    team = None
    for found in _HEADING_FIELD.finditer(markdown[:cover_chars]):
        label, value = found.group("label").strip().lower(), _clean(found.group("value"))
        if label in _TITLE_LABELS and (title := title_like(value, _MAX_TITLE_WORDS)):
            return title
        if label in _AUTHOR_LABELS and _TEAM.match(value):
            team = value
        # "#### Issuer" over "United Finance p.l.c." (a bond's financial analysis summary, read
        # 38, titled "Financial Analysis")
        if label in _ISSUER_LABELS and _LEGAL_NAME.match(value):
            return value
    return team


_ISSUER_LABELS = {"issuer", "the issuer", "issuer name", "company", "company name", "registrant"}
_LEGAL_NAME = re.compile(
    r"^[A-Z][\w&'’.-]*(?: [A-Z(][\w&'’.()-]*| &| of| and){0,6} (?:p\.?l\.?c\.?|PLC|Plc|Inc\.?|"
    r"Ltd\.?|Limited|LLC|Corp(?:oration|\.)?|AG|SA|S\.A\.|N\.V\.|SE|GmbH|Berhad|Bhd\.?)$"
)


# "Oregon State University" named most on a paper's first page is where its authors work
# (read 21); "Trade Policy Review Body" over the WTO's review of Qatar is the body the report is
# for. Neither is what the document is about.
# (an institute or a department may well issue the document: "National Institute on Drug
# Abuse", "U.S. Department of State")
_AFFILIATION = re.compile(r"\b(?:University|Universiteit|College|Laborator(?:y|ies)|Faculty)\b")
_ORGAN = re.compile(r"\b(?:Body|Committee|Secretariat|Council|Board|Commission)$")
# "... prepared for the third Trade Policy Review of Qatar": what the organ's report reviews
_REVIEW_OF = re.compile(
    r"\b((?:Trade Policy |Economic |Country |Universal Periodic |Periodic |Investment Policy )?"
    r"(?:Review|Survey|Assessment|Profile) of (?:the )?[A-Z][a-z]+(?: [A-Z][a-z]+){0,3})\b"
)


def _long_metadata_title(title: str | None) -> str | None:
    """ "Report on UNCTAD assistance to the Palestinian people: Developments in the economy of
    the Occupied Palestinian Territory" (read 21): too long as a whole, its head before the
    colon is the title."""
    # (a missing title comes from a DataFrame as NaN)
    if not isinstance(title, str) or ":" not in title or title_like(title):
        return None
    return title_like(title.split(":", 1)[0])


# Every US prescribing information opens on "These highlights do not include all the information
# needed to use IWILFIN™ safely and effectively": the drug, named before any title (read 22:
# the label's own title was "Label", so no question said which drug).
_HIGHLIGHTS_DRUG = re.compile(
    r"information needed to use\s+(?P<name>[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*){0,3})\s*[™®]?\s*"
    r"(?:\([^)\n]{1,60}\)\s*)?safely and effectively"
)


# "### PN532/C1" over "Near Field Communication (NFC) controller" (NXP's datasheet): a part's
# number is its datasheet's title, and the text names the part by it ("The PN532 is ...")
_PART_NUMBER = re.compile(r"^(?P<part>[A-Z]{1,6}\d{2,}[A-Z0-9-]*)(?:/[A-Z0-9-]{1,6})?$")
_PART_MENTIONS = 3


def part_number(markdown: str, opening_headings: bool = False) -> str | None:
    """The part number a datasheet opens on, when the text names the part by it; with
    `opening_headings`, any heading of the opening pages: Micrel's MIC5219 opens on "General
    Description" and its typical-application figure, "## MIC5219" after them (read 46)."""
    headings = _HEADING.finditer(markdown[: 2 * COVER_CHARS if opening_headings else COVER_CHARS])
    for match in headings:
        found = _PART_NUMBER.match(_clean(match.group("title")))
        if found and len(re.findall(rf"\b{found.group('part')}\b", markdown)) >= _PART_MENTIONS:
            return found.group("part")
        if not opening_headings:
            break
    return None


_PART_WORD = re.compile(r"(?<![\w-])[A-Z]{1,6}\d{3,}[A-Za-z0-9]*(?![\w-])")


_REPORT_KIND_HEADING = re.compile(
    r"\b(?:annual|integrated|sustainability|interim|half-year|esg|corporate responsibility)\s+"
    r"report\b",
    re.IGNORECASE,
)
_SLOGAN_MENTIONS = 10


def _unslogan(subject: str, markdown: str) -> str:
    """ "# See the world differently" over "## 2021 Annual Report & Financial Statements"
    (Virgin Atlantic's report, read 48): a cover's tagline in sentence case over the report's
    kind is no name; the report is its issuer's, the company the text names most by the name
    it gives with its legal form ("Virgin Atlantic Limited", named "Virgin Atlantic" 61 times)."""
    first = _HEADING.search(markdown[:COVER_CHARS])
    if first is None or _clean(first.group("title")) != subject:
        return subject
    words = subject.split()
    if len(words) < 3 or not all(w.islower() for w in words[1:]):
        return subject
    kind = _next_heading(markdown, first.end())
    if kind is None or not _REPORT_KIND_HEADING.search(kind.group("title")):
        return subject
    base = _most_named_issuer(markdown)
    if base is None:
        return subject
    return f"{base} {_clean(kind.group('title'))}"


def _most_named_issuer(markdown: str) -> str | None:
    """The organisation the text names most (at least `_SLOGAN_MENTIONS` times) by a name it
    also gives with its legal form, or by the short form it defines ("GlobalFoundries (GF)")."""
    counts: Counter[str] = Counter()
    for match in _ISSUER.finditer(markdown):
        name = _LEADING_ARTICLE.sub("", match.group("name"))
        base = re.sub(rf"(?:,?\s+{_SUFFIXES})+$", "", name).strip()
        # ("All" of "All Nippon Airways Co.", "On" of a cover's "On ... Limited": a word the
        # text writes in lower case is no name)
        common = base.lower() != base and re.search(rf"\b{re.escape(base.lower())}\b", markdown)
        if base and base != name and not common and not _COMPANY_ORGAN.fullmatch(name):
            counts[base] = len(re.findall(rf"(?<![\w&]){re.escape(base)}(?![\w&])", markdown))
    if counts:
        base, mentions = counts.most_common(1)[0]
        # "Virgin" of "Virgin Group" counts every "Virgin Atlantic" too: the longer name the
        # text writes about as often is the one meant
        longer = [b for b in counts if b.startswith(f"{base} ") and 2 * counts[b] >= mentions]
        if longer:
            base = max(longer, key=counts.__getitem__)
            mentions = counts[base]
        if mentions >= _SLOGAN_MENTIONS:
            return base
    defined = _DEFINED_SHORT.search(markdown[: 2 * COVER_CHARS])
    if defined and len(re.findall(rf"\b{defined.group('short')}\b", markdown)) >= _SLOGAN_MENTIONS:
        return defined.group("name")
    return None


# "GlobalFoundries (GF) is one of the world's leading semiconductor foundries."
_DEFINED_SHORT = re.compile(
    r"\b(?P<name>[A-Z][A-Za-z&.-]+(?: [A-Z][A-Za-z&.-]+){0,3}) \((?P<short>[A-Z]{2,5})\) "
    r"(?:is|are|was)\b"
)


def kind_with_issuer(markdown: str) -> str | None:
    """ "Separate non-financial Group report" (1&1's), "Corporate Responsibility Report 2022"
    (GlobalFoundries', read 49): a report's kind as its first heading names no one; the report
    is its issuer's, the organisation the text names most."""
    first = _HEADING.search(markdown[:COVER_CHARS])
    if first is None or not _GENERIC_REPORT.match(_clean(first.group("title"))):
        return None
    issuer = _most_named_issuer(markdown)
    return f"{issuer} {_clean(first.group('title'))}" if issuer else None


def coded_part(metadata_title: str | None, markdown: str) -> str | None:
    """The part number inside a document code given as the PDF's title ("UM_TAT2159_00_v1.0_
    20240821", Philips' earbuds manual, read 47), when the text names the part by it; with the
    brand the text puts before it ("Philips TAT2159")."""
    if not isinstance(metadata_title, str) or " " in metadata_title.strip():
        return None
    for part in re.findall(r"(?<![A-Za-z0-9])[A-Z]{1,6}\d{3,}[A-Z]?(?![A-Za-z0-9])",
                           metadata_title.replace("_", " ")):
        if len(re.findall(rf"\b{part}\b", markdown)) < _PART_MENTIONS:
            continue
        brand = re.search(rf"\b([A-Z][a-z]{{2,}}) {part}\b", markdown)
        return f"{brand.group(1)} {part}" if brand else part
    return None


def named_part(markdown: str) -> str | None:
    """The part a datasheet names most, when its cover says it is a datasheet and one part
    number dominates ("UC1701x" 31 times, under its distributor's banner, read 35)."""
    if not re.search(r"\bdata ?sheet\b", markdown[: 2 * COVER_CHARS], re.IGNORECASE):
        return None
    counts = Counter(_PART_WORD.findall(markdown)).most_common(2)
    if not counts or counts[0][1] < 4 * _PART_MENTIONS:
        return None
    if len(counts) > 1 and counts[1][1] * 2 > counts[0][1]:
        return None
    # "According to the UC1701x datasheet": a bare code reads as no name in a question
    return f"{counts[0][0]} datasheet"


def _current(metadata_title: str | None, markdown: str) -> str | None:
    """The metadata title, unless its own name is nowhere in the text: "BIGTREETECH OCTOPUS
    V1.0" on the EBB36 manual (read 25) is the title of the file it was copied from."""
    if not isinstance(metadata_title, str):
        return None
    # "PV协议" on an English protocol (read 33): the title of another language's edition
    foreign = re.findall(r"[^\W\d_A-Za-z\u00c0-\u024f]{2,}", metadata_title)
    if any(run not in markdown for run in foreign):
        return None
    # a product's name in capitals, short: a longer title may well be spelt otherwise in the
    # text ("ADVANCMENT")
    if len(metadata_title.split()) > 4:
        return metadata_title
    names = [
        w for w in re.findall(r"\b[A-Z][A-Z-]{3,}\b", metadata_title)
        if w.lower() not in _DOCUMENT_WORDS and w.lower() not in _TITLE_COMMON
    ]
    lowered = markdown.lower()
    if any(w.lower() not in lowered for w in names):
        return None
    return metadata_title


_TITLE_COMMON = frozenset(
    """annual report review results statement statements interim quarterly half year fiscal
    financial microsoft word powerpoint excel document untitled""".split()  # noqa: SIM905
)
# "ENGIE's Integrated Report provides ..." (read 25): the report's issuer, named by it
_POSSESSIVE_REPORT = re.compile(
    r"\b(?P<name>[A-Z][\w&.-]*[A-Za-z](?: [A-Z][\w&.-]*){0,3})['’]s (?:(?:19|20)\d{2} )?"
    r"(?:Integrated|Annual|Sustainability|Half[- ]Year|Interim|Quarterly|CSR|ESG|Universal "
    r"Registration) (?:Report|Review|Document)\b"
)


_HEADING_DOCUMENT_NOUN = re.compile(
    r"\b(?:handbook|manual|guide|guidelines|policy|code of conduct|agreement|specification|"
    r"datasheet|prospectus|charter|regulations?)\b",
    re.IGNORECASE,
)


def cover_heading_title(markdown: str) -> str | None:
    """One of the opening headings naming a kind of document together with what it is for
    ("MSDS Student Handbook 2026" under the programme's name, over "Data Science Institute
    (DSI), University of Chicago", read 26): the document's title, not the institute."""
    for found in list(_HEADING.finditer(markdown[:COVER_CHARS]))[:3]:
        heading = _clean(found.group("title"))
        if not _HEADING_DOCUMENT_NOUN.search(heading) or len(heading.split()) < 3:
            continue
        # "Pursuant to Regulation 34 of the SEBI (Listing Obligations and Disclosure
        # Requirements)" (a cover letter's sentence set as headings, read 35)
        if _SENTENCE_OPENING.match(heading):
            continue
        # it names what it is for by a name in capitals ("MSDS", "RISC-V"), in a heading not
        # itself set in capitals ("TO REACH SPECIFIC OBJECTIVES IN ENERGY POLICY" is a line of
        # one); a kind alone ("Evaluation System Manual") or a series names no document
        if heading.isupper() or _NUMBERED.match(heading) or _SERIES.search(heading):
            continue
        if re.search(r"\b[A-Z][A-Z0-9-]*[A-Z0-9]\b", heading):
            # a title set over two heading lines is read whole ("Guide to OSCAL-Based" /
            # "FedRAMP Content")
            whole = first_title(markdown, level_one=False)
            return whole if whole and whole.startswith(heading) else title_like(heading)
    return None


_SENTENCE_OPENING = re.compile(
    r"^(?:Pursuant|In accordance|According|As per|Please|Kindly|We|This is to)\b", re.IGNORECASE
)
# "For Standard Shoe Sole and Mould (India) Limited" over a signature (a cover letter, read 35)
_SIGNED_FOR = re.compile(
    r"^[ \t]*For[ \t]+(?:the[ \t]+)?(?P<name>[A-Z][\w&'’.-]*(?:[ \t]+(?:[A-Z(][\w&'’.()-]*|&|of|"
    r"and|the)){0,8}?[ \t]+(?:Limited|Ltd\.?|LIMITED|LTD\.?|plc|PLC|Inc\.?|Corporation|LLP|LLC|"
    r"GmbH|AG|S\.?A\.?|Pvt\.? Ltd\.?))[ \t]*[,.]?[ \t]*$",
    re.MULTILINE,
)


def signed_for(markdown: str, cover_chars: int = 3 * COVER_CHARS) -> str | None:
    """The company a cover letter is signed for, when the text names it again."""
    for match in _SIGNED_FOR.finditer(markdown[:cover_chars]):
        name = match.group("name")
        if markdown.count(name) >= 2:
            return name
    return None


_SERIES = re.compile(r"\b(?:collection|series|library|set)$", re.IGNORECASE)


def possessive_issuer(markdown: str, cover_chars: int = 2 * COVER_CHARS) -> str | None:
    """The issuer the opening pages name as the report's owner ("ENGIE's Integrated Report")."""
    found = _POSSESSIVE_REPORT.search(markdown[:cover_chars])
    if found is None or found.group("name").split()[0] in ("The", "This", "Our", "Its"):
        return None
    return found.group("name")


def labelled_drug(markdown: str, cover_chars: int = 2 * COVER_CHARS) -> str | None:
    """The drug a prescribing information is for, from its highlights' opening sentence."""
    match = _HIGHLIGHTS_DRUG.search(markdown[:cover_chars])
    return match.group("name") if match else None


# "Directors' Report" over Indian Oil's report, "File Format Specification" over mzPeak's (reads
# 24-25): a kind of document, whose issuer or product the text names in its own spelling, with
# no legal form to find it by ("IndianOil" ten times, "mzPeak" 29)
_PROPER_MENTIONS = 30
_KIND_WORDS = _DOCUMENT_WORDS | frozenset(
    """report directors directors' board's specification file format datasheet data sheet
    technical programming policy annual integrated sustainability interim results presentation
    investor earnings release statement statements consolidated financial standard
    protocol author authors instructions guidelines""".split()  # noqa: SIM905
)
_BRAND = re.compile(r"\b(?:[a-z]+[A-Z][A-Za-z]*|[A-Z][a-z]+[A-Z][A-Za-z]*)\b")
_BRAND_MENTIONS = 8
# three or more capitalised words, small words between them allowed: a journal's, a
# programme's or a product line's name
_TITLE_NAME = re.compile(
    r"\b[A-Z][a-z]+(?: (?:in|and|of|for|the|&) ?| )(?:[A-Z][a-z]+(?: (?:in|and|of|for|the|&) | ))"
    r"{1,}[A-Z][a-z]+\b"
)
_TITLE_NAME_MENTIONS = 5


def _branded(title: str, markdown: str) -> str:
    """A kind-of-document title with the product or issuer the text names most, when one
    spelt with an inner capital dominates it."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", title.lower().replace("’", "'"))
    if not words or not all(w in _KIND_WORDS for w in words):
        return title
    ranked = Counter(_BRAND.findall(markdown)).most_common(2)
    if not ranked or ranked[0][1] < _BRAND_MENTIONS:
        # "Author Guidelines" of "Remote Sensing in Ecology and Conservation", which the
        # guidelines name nine times (read 30)
        names = Counter(m.group(0) for m in _TITLE_NAME.finditer(markdown)).most_common(2)
        # "User Manual v1.2" of the Tello drone, named 65 times, in lower case only in its web
        # address "tello.com" (read 38): a product's one-word name
        proper = _proper_name(markdown)
        if proper and (not names or proper[1] >= 2 * names[0][1]):
            return f"{proper[0]} {title}"
        if names and names[0][1] >= _TITLE_NAME_MENTIONS and (
            len(names) == 1 or names[0][1] >= 2 * names[1][1]
        ):
            return f"{names[0][0]} {title}"
        return title
    if len(ranked) > 1 and ranked[0][1] < 1.3 * ranked[1][1]:
        return title
    return f"{ranked[0][0]} {title}"


_SMALL_TITLE_WORDS = {"of", "and", "the", "for", "in", "on", "at", "to", "a", "an", "&"}


def _proper_name(markdown: str) -> tuple[str, int] | None:
    words = Counter(re.findall(r"(?<![\w-])[A-Z][a-z]{2,}(?![\w-])", markdown))
    kept = Counter()
    for word, seen in words.items():
        lower = len(re.findall(rf"(?<![\w./-]){word.lower()}(?![\w-])", markdown))
        if seen >= _PROPER_MENTIONS and lower * 10 <= seen:
            kept[word] = seen
    ranked = kept.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
        return None
    return ranked[0]


def _as_written(subject: str, markdown: str) -> str:
    """A subject set in capitals on a cover as the text's own prose writes it: "BEST BUY CO.,
    INC" is "Best Buy Co., Inc." there, where no rule can tell the word BUY from an acronym."""
    letters = [c for c in subject if c.isalpha()]
    if len(subject.split()) < 2 or not letters or not all(c.isupper() for c in letters):
        return subject
    pattern = r"\s+".join(re.escape(w) for w in subject.split())
    spellings: Counter[str] = Counter()
    for match in re.finditer(rf"(?<![\w-]){pattern}(?![\w-])", markdown, re.IGNORECASE):
        found = match.group(0)
        words = found.split()
        # Title case only: "Diesel engines are ..." opens a sentence, it spells no name.
        if found.isupper() or not all(
            w[0].isupper() or w.lower() in _SMALL_TITLE_WORDS for w in words
        ):
            continue
        spellings[" ".join(words)] += 1
    if spellings:
        return spellings.most_common(1)[0][0]
    return _as_written_in_part(subject, markdown)


def _as_written_in_part(subject: str, markdown: str) -> str:
    """ "INTRODUCTION TO THE BANK SECRECY ACT" (an FDIC manual's section, read 34), whose prose
    writes "Bank Secrecy Act" but never the heading whole: the words the prose spells, two or
    more running, as it spells them; the others in title case. A short word left in capitals
    would read as an acronym ("ACT")."""
    words = subject.split()
    if any(w.lower().strip(".,") in _LEGAL_FORM_WORDS for w in words):
        return subject  # "BEST BUY CO., INC": the question's display writes legal forms
    cased: list[str | None] = [None] * len(words)
    for size in range(len(words) - 1, 1, -1):
        for start in range(len(words) - size + 1):
            if any(c is not None for c in cased[start : start + size]):
                continue
            span = words[start : start + size]
            pattern = r"\s+".join(re.escape(w) for w in span)
            for match in re.finditer(rf"(?<![\w-]){pattern}(?![\w-])", markdown, re.I):
                found = match.group(0).split()
                if match.group(0).isupper() or not all(
                    w[0].isupper() or w.lower() in _SMALL_TITLE_WORDS for w in found
                ):
                    continue
                if all(w.lower() in _SMALL_TITLE_WORDS for w in found):
                    break
                cased[start : start + size] = found
                break
    if all(c is None for c in cased):
        return subject
    out = []
    for index, (word, spelt) in enumerate(zip(words, cased, strict=True)):
        # "PART A - TRADING REGULATIONS": a part's letter is no article
        lettered = len(word) == 1 and index and words[index - 1].lower() in _LETTERED
        if index and word.lower() in _SMALL_TITLE_WORDS and not lettered:
            out.append(word.lower())
        elif spelt is not None:
            out.append(spelt)
        elif len(re.sub(r"\W", "", word)) <= 3:
            out.append(word)  # "(RBA)", "AML/": an acronym the prose spells nowhere else
        else:
            lead = len(word) - len(word.lstrip("([\"'“‘"))
            out.append(word[: lead + 1] + word[lead + 1 :].lower())
    return " ".join(out)


_LETTERED = {"part", "section", "schedule", "annex", "appendix", "chapter", "exhibit", "class"}
_LEGAL_FORM_WORDS = {"inc", "corp", "ltd", "plc", "llc", "co", "limited", "ag", "sa", "nv", "se"}


# "To the Shareholders of Berkshire Hathaway Inc.:" (read 29: the letter's subject was the
# performance table above it, "Berkshire's Corporate Performance vs. the S&P 500")
_ADDRESSED_OWNERS = re.compile(
    r"^(?:To|Dear)\s+(?:the\s+|our\s+|fellow\s+)?(?:Share|Stock|Unit)holders\s+of\s+"
    r"(?P<name>[A-Z][\w&.,' -]{2,80}?)\s*[:,]?\s*$",
    re.MULTILINE,
)


def addressed_owners(markdown: str, cover_chars: int = 8 * COVER_CHARS) -> str | None:
    """The company a letter to its owners opens by addressing."""
    match = _ADDRESSED_OWNERS.search(markdown[:cover_chars])
    if match is None:
        return None
    name = match.group("name").strip().rstrip(",:")
    return name if len(name.split()) <= _MAX_WORDS else None


def _branded_kind_title(markdown: str) -> str | None:
    """ "# User Manual" over "TestLink version 1.9" (read 33): a kind of document as the title,
    no subject by itself, the product its text names throughout (29 times) in front of it."""
    match = _HEADING.search(markdown[:COVER_CHARS])
    if match is None:
        return None
    title = _clean(match.group("title"))
    # ("Version 2.0" is no kind of document)
    if not _only_document_words(title) or not re.search(
        r"\b(?:manual|guide|handbook|reference|specification|datasheet)\b", title, re.IGNORECASE
    ):
        return None
    branded = _branded(title, markdown)
    return branded if branded != title else None


def document_subject(
    markdown: str, metadata_title: str | None = None, file_name: str | None = None
) -> str | None:
    """The issuer, product or title every question of the document should name; when the text
    names none, the file's name, if the text bears out the name it gives."""
    text = markdown or ""
    subject = (
        _first_subject(text, metadata_title)
        or _branded_kind_title(text)
        or coded_part(metadata_title, text)
        or kind_with_issuer(text)
    )
    if subject is None and file_name:
        # (the names a text speaks of most are too loose without a kind of report to attach
        # them to: a company the file names with its legal form, then)
        return file_name_subject(file_name, text) or _file_company(
            text, file_name, legal_form_only=True
        )
    if subject:
        subject = _RELEASE_LABEL.sub("", subject) or subject
        # "The Baby Bear Book : A Practical Guide on Paediatrics (871 Pages)" (a metadata
        # title, read 53): a catalogue's page count and its spacing are no part of the name
        subject = re.sub(r"\s+\(\d+ pages?\)$", "", subject, flags=re.I).replace(" : ", ": ")
        subject = _unslogan(subject, text)
        subject = _retyped(_rejoined(_as_written(_branded(subject, text), text), text), text)
        subject = _owned(subject, text, file_name)
    cited = _CITATION.search(text[: 2 * COVER_CHARS])
    if subject and cited and subject.casefold() == cited.group("journal").strip().casefold():
        # "# PLOS ONE" over "Citation: Allen M, ... (2020) A simulation modelling toolkit for
        # ... PLoS ONE 15(8)" (read 40): the journal's masthead; the article is its title
        return cited.group("title").strip()
    if subject and _ORGAN.search(subject):
        review = _REVIEW_OF.search(text[: 2 * COVER_CHARS])
        if review:
            return review.group(1)
    if subject and _AFFILIATION.search(subject) and subject == main_issuer(text):
        title = first_title(text, level_one=False)
        return _owned(_as_written(title, text), text, file_name) if title else subject
    return subject


def _owned(subject: str, text: str, file_name: str | None) -> str:
    """A framework's or a kind of document's title as its company's (`_framework_report`,
    `_KIND_ONLY`); any other subject as it is."""
    if _FRAMEWORK_TITLE.match(subject):
        return _framework_report(subject, text, file_name) or subject
    if _KIND_ONLY.match(subject):
        company = _reporting_company(text, file_name)
        return f"{company} {subject}" if company else subject
    return subject


# "SASB Report 2020/21" (National Grid's index), "United Nations Sustainable Development Goals"
# (Humana's, read 51): the framework a company reports against, or its index, heads the
# document; it is the company's disclosure, and the framework says nothing of whose
_FRAMEWORK_NAME = (
    r"(?:(?:United Nations|UN) )?(?:Sustainable Development Goals|SDGs?|SASB|GRI|TCFD|VRF|ISSB|"
    r"Sustainability Accounting Standards Board|Global Reporting Initiative|Principles for "
    r"Responsible Banking|PRB|Task Force on Climate[- ]Related Financial Disclosures|"
    r"Value Reporting Foundation|International Sustainability Standards Board)"
    r"(?: \([A-Z]{2,5}\))?"
)
# ("Value Reporting Foundation (VRF)/ Sustainability Accounting Standards Board (SASB)",
# Novo Nordisk's index, read 53: two of them)
_FRAMEWORK_TITLE = re.compile(
    rf"^{_FRAMEWORK_NAME}(?:\s*/\s*{_FRAMEWORK_NAME})*"
    r"(?P<kind>(?: (?:Standards?|Content|Index|Report|Reporting|"
    r"Disclosures?|Indices|Map|Appendix)){1,3})?(?: (?:FY)?(?:19|20)\d{2}(?:/\d{2,4})?)?$",
    re.IGNORECASE,
)
_REPORTER_MENTIONS = 5


def _framework_report(subject: str, markdown: str, file_name: str | None) -> str | None:
    """A framework's report as its company's: "National Grid SASB Report 2020/21", or the
    company alone over a framework's bare name ("Humana"). The company is the one the text
    names most by its legal form, or the one the file is named after, as often as the text
    writes it (a leading run of the file name's words, "National Grid" of
    "National_Grid_PLC-SASB_Report")."""
    company = _reporting_company(markdown, file_name)
    if company is None or _FRAMEWORK_TITLE.match(company):
        return None
    kind = _FRAMEWORK_TITLE.match(subject).group("kind")  # type: ignore[union-attr]
    return f"{company} {subject}" if kind else company


# "Analyst Call Transcript Q3FY25" (IndusInd Bank's, read 52), "Environmental, Social, and
# Governance Report" (Elme Communities'), "2022 Responsibility Report": a kind of document that
# says of no one whose it is
_PERIOD = (
    r"(?:(?:Q[1-4]|H[12]|[1-4]Q)\s*(?:FY\s*'?)?(?:\d{2}|\d{4})?|FY\s*'?\d{2,4}|(?:19|20)\d{2})"
)
_KIND_ONLY = re.compile(
    rf"^(?:{_PERIOD}\s+){{0,2}}(?:(?:analyst|analysts'?|investors?|earnings|results|conference)"
    rf"\s+){{1,2}}(?:conference\s+)?call(?:\s+transcript)?(?:\s+{_PERIOD}){{0,2}}$|"
    rf"^(?:{_PERIOD}\s+)?(?:environmental,? social,? (?:and|&) governance|responsibility|"
    rf"corporate citizenship|impact)\s+report(?:\s+{_PERIOD})?$|"
    # "Code of Conduct and Ethics Policy" (the University of Eldoret's, read 53)
    r"^(?:(?:staff|employee|employees'?|student|students'?)\s+)?(?:code of (?:business )?"
    r"(?:conduct|ethics)(?: and (?:ethics|conduct))?(?: policy)?|(?:staff|employee|student) "
    r"handbook)$",
    re.IGNORECASE,
)
# "University of Eldoret" (32 times in its code of conduct): an institution named by what it is
# of, which no legal form ends
_INSTITUTION_OF = re.compile(
    r"\b(?:University|Ministry|Government|Department|Bank|Republic|College|Institute|State|"
    r"City|County|Province|Office|Commonwealth) of(?: the)? [A-Z][\w-]+(?: [A-Z][\w-]+){0,2}"
)
_INSTITUTION_MENTIONS = 10
# "Pressemitteilung Grünenthal GmbH" (a press release's metadata title, read 52)
_RELEASE_LABEL = re.compile(
    r"^(?:Pressemitteilung|Presseinformation|Press Release|Media Release|News Release)\s*[:–-]?\s+"
    r"(?=[A-ZÄÖÜ])",
    re.IGNORECASE,
)
_SPEAKING_NAME = re.compile(
    r"(?<![\w&.-])([A-Z][\w&.-]+(?: [A-Z][\w&.-]+){0,3})(?:['’]s| (?:have|has|is|are|was|were|"
    r"reports|publishe[sd]|aims|will|uses|supports|continues|remains|elevates|believes))\b"
)
_SPEAKER_MENTIONS = 10
_ROLES = frozenset(
    """HR IT CEO CFO COO Company Management Employee Employees Staff Manager Managers Board
    Team Group Bank University Moderator Operator""".split()  # noqa: SIM905
)


def _reporting_company(markdown: str, file_name: str | None) -> str | None:
    """Whose report it is: the organisation the text names most by its legal form; else the
    company the file is named after, as often as the text writes it ("National Grid" of
    "National_Grid_PLC-SASB_Report", "IndusInd Bank" of "indusind_bank"); else the name
    that speaks in the text ("Elme elevates", "Elme's"), written at least `_SPEAKER_MENTIONS`
    times."""
    company = _most_named_issuer(markdown) or (
        _file_company(markdown, file_name, legal_form_only=False) if file_name else None
    )
    if company:
        return company
    institutions = Counter(m.group(0) for m in _INSTITUTION_OF.finditer(markdown))
    if institutions:
        name, mentions = institutions.most_common(1)[0]
        if mentions >= _INSTITUTION_MENTIONS:
            return name
    named = Counter(
        m.group(1) for m in _SPEAKING_NAME.finditer(markdown) if m.group(1).split()[0].lower()
        not in _NO_NAME_OPENERS | {"we", "it", "there", "you", "that", "this", "or", "he", "she"}
    )
    for name, _ in named.most_common(3):
        if name in _ROLES:
            continue  # "HR will ..." of a handbook: a department, not whose the handbook is
        if _count_word(name, markdown) >= _SPEAKER_MENTIONS and not _FRAMEWORK_TITLE.match(name):
            return name
    return None


def _file_stem(file_name: str) -> str:
    """The file's name without its folder and extension."""
    return re.sub(r"\.[A-Za-z0-9]{1,5}$", "", file_name.rsplit("/", 1)[-1])


def _file_company(markdown: str, file_name: str, *, legal_form_only: bool) -> str | None:
    """The company a file name leads with, as the text spells it: the words before its legal
    form ("Humana" of "Humana_Inc-ESG_Index") or before the first kind of document or year
    ("indusind_bank_q3"); with `legal_form_only`, only a name the file gives a legal form.
    Its last word may stand for it ("Generali" of "Assicurazioni_Generali_SpA") when the text
    never writes that word in lower case."""
    stem = _file_stem(file_name)
    words = [w for w in re.split(r"[\s_.-]+", stem) if w]
    cut = next(
        (
            i
            for i, w in enumerate(words)
            if w.lower() in _FILE_KIND_WORDS or w.isdigit() or re.fullmatch(_SUFFIXES, w)
        ),
        len(words),
    )
    legal = cut < len(words) and re.fullmatch(_SUFFIXES, words[cut])
    if cut == 0 or (legal_form_only and not legal):
        return None
    runs = ([words[: cut + 1]] if legal else []) + [words[:cut]]
    if legal and cut > 1 and not _written_in_lower_case(words[cut - 1], markdown):
        runs.append([words[cut - 1]])
    for run in runs:
        pattern = r"\s+".join(re.escape(w) for w in run)
        spellings = Counter(re.findall(rf"(?<![\w-]){pattern}(?![\w-])", markdown, re.I))
        spelt = [w for w, _ in spellings.most_common() if w[:1].isupper()]
        mentions = sum(spellings.values())
        # a name is written capitalised wherever it stands ("employee" of
        # "employee_handbook" is a common word, capitalised only opening a sentence)
        named = sum(n for w, n in spellings.items() if w[:1].isupper())
        if (
            spelt
            and mentions >= _REPORTER_MENTIONS - 1
            and named >= 0.8 * mentions
            and not _FRAMEWORK_TITLE.match(spelt[0])
        ):
            return spelt[0]
    return None


# "Tyson-Foods-FINAL-2Q23-Investor-Presentation.pdf", "twilio_q4_2023.pdf": an organisation
# names its files after what they are; the words of a draft's or a copy's life say nothing
_FILE_NOISE = re.compile(r"^(?:final|vf|web|copy|draft|rev\d*|v\d+(?:\.\d+)*|print|signed)$")
_FILE_KIND_WORDS = _DOCUMENT_WORDS | frozenset(
    """report annual quarterly interim results presentation investor letter manual user guide
    handbook policy datasheet data sheet paper article document documentation specification
    spec standard protocol notes note brochure summary overview statement statements financial
    speech budget short medium long page pages chapter section book transcript earnings call
    deck slides fs unaudited audited sample test example raw file pdf doc docs new old january
    february march april may june july august september october november december""".split()  # noqa: SIM905
)
_FILE_ABBREVIATIONS = frozenset({"sr", "ar", "csr", "esg", "ir", "tcfd"})
_LOWER_BRAND_MENTIONS = 10
_FILE_SMALL_WORDS = {"of", "and", "the", "for", "to", "in", "on", "a", "an", "at", "by"}


def file_name_subject(file_name: str, markdown: str) -> str | None:
    """A subject from the file's name: its words spelt as the text spells them, when one of
    them is a name the text writes only capitalised (a company, a product, a part number),
    not a kind of document, a common word or a number."""
    stem = _file_stem(file_name)
    words = [w for w in re.split(r"[\s_.-]+", stem) if w and not _FILE_NOISE.match(w.lower())]
    if not words or sum(c.isdigit() for c in stem) >= 8:
        return None  # "10.21105.joss.08178", "632399964516872542_1": an identifier
    spelt: list[str] = []
    named = False
    for word in words:
        lowered = word.lower()
        found = Counter(
            m.group(0)
            for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", markdown, re.I)
        )
        if not found and (re.fullmatch(_SUFFIXES, word) or lowered in _FILE_ABBREVIATIONS):
            # "CarMax_Inc-2022_..." (read 52), "Adidas_2020_SR" (read 53): a legal form or a
            # kind's abbreviation the text never writes
            continue
        if not found and lowered not in _FILE_KIND_WORDS and not word.isdigit():
            return None  # the text never says it: the name is not the document's
        capitalised = [w for w, _ in found.most_common() if w[:1].isupper() or w[:1].isdigit()]
        # "Travelers" as its prose writes it, not "TRAVELERS" of its headings
        capitalised.sort(key=lambda w: w.isupper() and len(w) > 4)
        if (
            len(word) >= 3
            and re.search(r"[A-Za-z]", word)
            and lowered not in _FILE_KIND_WORDS
            and capitalised
            and not _written_in_lower_case(word, markdown)
        ):
            named = True
        # "adidas" (its report, read 53): a brand written in lower case even where a sentence
        # opens on it, which a common word never is
        if (
            len(word) >= 3
            and found.get(lowered, 0) >= _LOWER_BRAND_MENTIONS
            and not any(w[:1].isupper() and not w.isupper() for w in found)
            and re.search(rf"(?:^|[.!?]\s+){re.escape(lowered)}\s", markdown, re.M)
        ):
            named = True
            spelt.append(lowered)
            continue
        if capitalised:
            spelt.append(capitalised[0])
        elif lowered in _FILE_SMALL_WORDS:
            spelt.append(lowered)
        else:
            spelt.append(word[:1].upper() + word[1:])
    return " ".join(spelt) if named else None


_CITATION = re.compile(
    r"Citation:\s*[^()\n]{3,400}?\((?:19|20)\d{2}\)\s*(?P<title>[^\n]{10,250}?)\.\s*"
    r"(?P<journal>[A-Z][A-Za-z&:. -]{2,60}?)\s+\d"
)


def _rejoined(subject: str, markdown: str) -> str:
    """ "APD M SDK" (a letter-spaced cover, "D EVEL OP ER GUI DE", read 35) as the text
    writes it, "APDM SDK": a word the PDF split at a letter's gap, joined where the text
    writes it joined more often than split."""
    words = subject.split()
    index = 0
    while index < len(words) - 1:
        left, right = words[index], words[index + 1]
        joined = left + right
        if (
            (len(left) <= 2 or len(right) <= 2)
            and left.isalpha()
            and right.isalpha()
            and _count_word(joined, markdown) > max(2, _count_word(f"{left} {right}", markdown))
        ):
            words[index : index + 2] = [joined]
            continue
        index += 1
    return " ".join(words)


def _retyped(subject: str, markdown: str) -> str:
    """ "ES32-POE" (Olimex's cover, read 37) as the text writes it 99 times, "ESP32-POE": a
    name the cover misspells by a letter left out, which the text never writes so again."""
    words = subject.split()
    counts: Counter[str] | None = None
    for index, word in enumerate(words):
        if len(word) < 4 or not re.search(r"[A-Z0-9]", word) or _count_word(word, markdown) > 1:
            continue
        if counts is None:
            counts = Counter(re.findall(r"[\w-]+", markdown))
        for other, seen in counts.most_common():
            if seen < 5:
                break
            if len(other) == len(word) + 1 and any(
                other[:i] + other[i + 1 :] == word for i in range(len(other))
            ):
                words[index] = other
                break
    return " ".join(words)


def _count_word(word: str, markdown: str) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", markdown))


# "Amazon's total revenue grew 12%" (its shareholder letter, no cover, no legal name): a company
# that speaks of itself in the possessive, in a text about its results
_POSSESSIVE_NAME = re.compile(r"(?<![\w'’.-])([A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,2})['’]s\b")
_RESULTS_TERMS = (
    "revenue", "operating income", "net income", "earnings per share", "shareholders", "ebitda",
    "fiscal", "quarter", "free cash flow", "dividend", "gross margin",
)  # fmt: skip
_POSSESSIVE_USES, _POSSESSIVE_MENTIONS = 3, 8
_INSTITUTION_WORDS = frozenset(
    "Government State Nation Country Employee Customer Member User Client".split()  # noqa: SIM905
)


def possessive_company(markdown: str, opening_chars: int = 4000) -> str | None:
    """The name a results text uses most in the possessive, when it names it early, often, in
    capitals where it names it at all, and never as "of <name>" (a country or a government)."""
    lowered = markdown.lower()
    if sum(term in lowered for term in _RESULTS_TERMS) < 3:
        return None
    uses = Counter(m.group(1) for m in _POSSESSIVE_NAME.finditer(markdown))
    for name, count in uses.most_common(3):
        first = name.split()[0]
        if count < _POSSESSIVE_USES or first.lower() in _NO_NAME_OPENERS or name.isupper():
            continue
        if len(name.split()) == 1 and (
            _written_in_lower_case(name, markdown)
            or _SUFFIX_WORD.match(name)
            or name in _INSTITUTION_WORDS
        ):
            continue  # "the Government's", "Employee's": a common noun
        mentions = _count_word(name, markdown)
        of = len(re.findall(rf"\bof {re.escape(name)}(?![\w-])", markdown))
        if mentions >= _POSSESSIVE_MENTIONS and name in markdown[:opening_chars] and of < 2:
            return name
    return None


_TITLE_SMALL_WORDS = frozenset("of the and for in on to a an".split())  # noqa: SIM905


def broken_heading_title(markdown: str) -> str | None:
    """ "CONSTITUTION" / "OF THE" / "REPUBLIC" / "OF" / "GHANA" (read 53): a cover's title set
    a word or two a line, each line read as a heading of its own; a line of small words alone
    ("OF THE") is no heading, so the run is one title."""
    parts: list[str] = []
    small = False
    for line in markdown[:COVER_CHARS].splitlines():
        if not line.strip():
            continue
        heading = _HEADING.match(line)
        words = _clean(heading.group("title")).split() if heading else []
        if not heading or not words or len(words) > 3:
            break
        parts.extend(words)
        small = small or all(w.lower() in _TITLE_SMALL_WORDS for w in words)
    if len(parts) < 3 or not small or parts[-1].lower() in _TITLE_SMALL_WORDS:
        return None
    return title_like(" ".join(parts))


def _first_subject(text: str, metadata_title: str | None) -> str | None:
    return (
        labelled_drug(text)
        or registrant(text)
        or registered_name(text)
        or defined_company(text)
        or standard_designation(text)
        or title_field(text)
        or heading_field(text)
        or addressed_owners(text)
        or signed_for(text)
        or title_like(_current(metadata_title, text))
        or _long_metadata_title(_current(metadata_title, text))
        or first_title(text, level_one=True)
        or repeated_first_heading(text)
        or cover_title(text)
        or cover_heading_title(text)
        or broken_heading_title(text)
        or referred_name(text)
        or main_issuer(text)
        or possessive_issuer(text)
        or first_title(text, level_one=False)
        or part_number(text)
        or named_company(text)
        or named_group(text)
        or named_part(text)
        or part_number(text, opening_headings=True)
        or possessive_company(text)
    )
