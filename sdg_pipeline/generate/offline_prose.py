"""Questions drawn from a chunk's prose: definitions, numeric facts and section openings.

- definition: "X is a/an/the ...", "X means ...", glossary lines "X: ..." and bold terms;
- numeric: sentences holding numbers or dates, asked "How many ...", "When was ...", "What is
  ..." where a rule fits, else "What does <topic> state about <subject>?";
- factual: the first sentences of a section, asked "What does <document> say about <heading>?".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sdg_pipeline.generate.offline_phrasing import (
    ADVERBS,
    AUXILIARIES,
    COMMON_VERBS,
    FUNCTION_WORDS,
    PRONOUNS,
    drop_intro,
    finish_question,
    np_for_question,
    sentence_subject,
    subject_for_question,
)
from sdg_pipeline.generate.offline_reading import (
    MAX_ANSWER_WORDS,
    TRAILING_PAREN,
    Candidate,
    ChunkContext,
    Sentence,
    clean_inline,
    question_topic,
    words_of,
)
from sdg_pipeline.judge.grounding import (
    extract_dates,
    extract_numbers,
)

# Headings that tell the reader what to do ("Get help", "Talk to your doctor") or frame the
# booklet ("Note to reader") name no topic its opening sentences are about.
IMPERATIVE_OPENERS = {
    "get", "find", "ask", "talk", "take", "make", "use", "call", "see", "read", "learn", "keep",
    "know", "contact", "check", "visit", "choose", "prepare", "plan", "apply", "start", "stop",
    "tell", "try", "look", "go", "let", "remember", "consider", "seek", "speak", "join", "help",
    "click", "select", "enter", "open", "follow", "avoid", "don't", "do",
}  # fmt: skip
# Numbers that are references, not facts: figure/table/section numbers and citations.
_REFERENCE = re.compile(
    r"\b(?:fig(?:ure)?s?|tables?|sections?|chapters?|eqs?|equations?|listings?|pages?|pp?|"
    r"appendix|step|refs?)\.?\s*[\dIVX]+(?:[.\-–]\d+)*[a-z]?|\[\d+(?:[,–-]\s*\d+)*\]",
    re.IGNORECASE,
)


def _has_numeric_fact(sentence: str) -> bool:
    text = _REFERENCE.sub(" ", sentence)
    return bool(extract_dates(text) or extract_numbers(text))


_CONNECTIVE = re.compile(
    r"^(?:also|lastly|finally|additionally|in addition|however|therefore|thus|moreover|"
    r"furthermore|in general|overall|consequently|similarly|likewise|for example|for instance)"
    r"\s*,?\s+(?=[a-z])",
    re.IGNORECASE,
)


def _answer_with_context(sentence: Sentence) -> tuple[str, str] | None:
    """(answer, evidence) for a sentence, pulling in the previous one if it opens on a pronoun;
    a connective that ties it to the sentence before ("Also, our revenues ...") is dropped."""
    first = sentence.text.split(" ", 1)[0].strip("\"'(,").lower()
    if first in PRONOUNS:
        if sentence.previous is None:
            return None
        return (
            f"{sentence.previous.text} {sentence.text}",
            f"{sentence.previous.raw} {sentence.raw}",
        )
    text = _CONNECTIVE.sub("", sentence.text)
    return text[:1].upper() + text[1:], sentence.raw


# Definitions -------------------------------------------------------------------------------

_DEFINITION_VERB = re.compile(
    r"^(?P<term>.{2,80}?)\s+(?P<verb>is defined as|are defined as|is known as|are known as|"
    r"refers to|refer to|means|mean|stands for|denotes|is called|are called|"
    r"(?:is|are)(?= (?:an?|the|one of|any|a kind of|a type of)\b))\s+(?P<rest>.+)$"
)
_GLOSSARY = re.compile(r"^(?P<term>[^:]{2,60}?)\s*:\s+(?P<rest>\S.{8,})$")
_BOLD_TERM = re.compile(r"^\s*(?:[-*+]\s+|\d{1,3}[.)]\s+)?(\*\*|__)(?P<term>[^*_]{2,60}?)\1")
_NOT_TERMS = {
    "note", "notes", "example", "examples", "warning", "caution", "tip", "source", "sources",
    "step", "table", "figure", "see", "e.g", "i.e", "important", "result", "results", "answer",
    "question", "summary", "for example", "reference", "references", "date", "time",
    "conflicts of interest", "conflict of interest", "funding", "disclosure", "disclosures",
}  # fmt: skip


# "the most common form", "the main reason": a rank of something the term does not name
_RANKED_TERM = re.compile(
    r"^(?:the\s+)?(?:most\s+\w+|main|first|only|best|primary|other|next|last|latter|former)\s+"
    r"(?:form|type|kind|way|reason|method|step|thing|one|option|part|example|source|cause)s?$",
    re.IGNORECASE,
)


# "The remaining portion", "The third result", "the latter": a term that counts or points
# back to what came before names nothing a reader can look up.
_ANAPHORIC_MODIFIERS = {
    "remaining", "latter", "former", "next", "previous", "preceding", "subsequent", "following",
    "above", "aforementioned", "second", "third", "fourth", "fifth", "sixth", "final", "last",
    "same", "other", "another", "further",
}  # fmt: skip


def _term_ok(term: str) -> bool:
    words = term.split()
    if not words or len(words) > 6 or _RANKED_TERM.match(term.strip()):
        return False
    bare = [w.strip(",.;()\"'").lower() for w in words]
    modifier = bare[1] if bare[0] in ("the", "a", "an") and len(bare) > 1 else bare[0]
    if modifier in _ANAPHORIC_MODIFIERS or _TERM_DEMONSTRATIVES & set(bare):
        return False  # "Answering that question is a mighty task": that question is elsewhere
    # "Since energy taxation ... is" opens a clause; "Description/Analysis" is a form's field
    if bare[0] in _CLAUSE_OPENERS or re.fullmatch(r"[A-Z][a-z]+/[A-Z][a-z]+", term.strip()):
        return False
    if re.search(r"(?:['’]s|s['’])$", words[-1]):
        return False
    # "The Company also competes with illegitimate" (before "means"): a clause, not a term
    if any(w.lower() in ADVERBS for w in words[1:]):
        return False
    lowered = [w.lower().strip(",.;()\"'") for w in words]
    if lowered[0] in PRONOUNS or term.lower() in _NOT_TERMS or lowered[0] in IMPERATIVE_OPENERS:
        return False  # "Join a research study: ..." is advice, not a term
    if any(w in AUXILIARIES or w in COMMON_VERBS for w in lowered):
        return False
    if not re.search(r"[^\W\d_]{2,}", term) or lowered[-1] in FUNCTION_WORDS:
        return False
    return term.count("(") == term.count(")")


_TERM_DEMONSTRATIVES = {"this", "that", "these", "those", "such"}
_CLAUSE_OPENERS = {
    "since", "although", "though", "because", "while", "whilst", "whereas", "unless", "if",
    "where", "wherever",
    "when", "whenever", "once", "after", "before", "until",
}  # fmt: skip


def _term_for_question(term: str) -> str:
    text = TRAILING_PAREN.sub("", term).strip(" ,;:.")
    return text or term


def definition_candidates(context: ChunkContext) -> Iterator[Candidate]:
    for sentence in context.sentences:
        raw_line = sentence.raw
        bold = _BOLD_TERM.match(raw_line) if sentence.previous is None else None
        text = sentence.text
        glossary = _GLOSSARY.match(text) if sentence.previous is None else None
        verb_match = _DEFINITION_VERB.match(drop_intro(text))
        term: str | None = None
        asks_meaning = False
        # A list entry "Term: ..." describes the term's role in its section, not the term in
        # general, so its question names the section.
        contextual = False
        answer = text
        if verb_match and _term_ok(verb_match.group("term")):
            term = verb_match.group("term")
            asks_meaning = verb_match.group("verb") in (
                "means", "mean", "refers to", "refer to", "stands for", "denotes",
            )  # fmt: skip
        elif glossary and _term_ok(glossary.group("term").strip()):
            term = glossary.group("term").strip()
            answer = f"{term}: {glossary.group('rest').strip()}"
            # A glossary entry continues over the following sentences of its item.
            answer = _extend_within_block(answer, sentence, context)
            contextual = True
        elif bold and _term_ok(clean_inline(bold.group("term"))):
            term = clean_inline(bold.group("term"))
            contextual = True
        if not term:
            continue
        if _CAPTION_TERM.match(term) or _CITATION.search(answer) or _in_references(sentence):
            continue  # "TriviaQA: A large scale ... In ACL, pages 1601-1611." is a citation
        if glossary and _procedure_step(sentence, context):
            continue
        section = context.section(sentence.heading)
        # A run-in heading ("Equity Method and Other Investments: Investments in ...") under a
        # section the chunk never shows is an entry of its own: the last heading seen before
        # it was several entries back (read 11: five Amcor policies "in the context of
        # Practical Expedients").
        if contextual and section and section.lower() not in context.text.lower():
            section = None
        shown = _term_for_question(term)
        if context.subject is None and (contextual or not _standalone_term(shown, context.text)):
            continue  # a glossary line of a filing ("Fair value measurements: 3M follows ...")
        if verb_match and _ROLE.match(verb_match.group("rest")):
            # "Cheryl Kondra is a Director ...": a person's role, at the document's issuer.
            if context.subject is not None and _NAME.match(shown):
                yield Candidate("definition", f"Who is {shown}?", answer, sentence.raw)
            continue
        if shown.split()[0] in ("The", "A", "An"):
            shown = shown[:1].lower() + shown[1:]
        if asks_meaning:
            question = f"What does {shown} mean"
        elif shown.split()[0].lower() in ("the", "a", "an"):
            question = f"What is {shown}"
        elif (contextual or _looks_generic(shown)) and _adds_context(shown, section):
            plural = _plural(shown) or " and " in shown
            verb = "are" if plural else "is"
            question = f"What {verb} {shown} in the context of {section}"
        else:
            plural = _plural(shown) or " and " in shown
            question = f"What {'are' if plural else 'is'} {shown}"
        yield Candidate("definition", finish_question(question), answer, sentence.raw)


_STEPS_LEAD_IN = re.compile(
    r"\b(?:steps?|stages?|phases?|procedure|as follows)\b[^.:]*:$", re.IGNORECASE
)


def _procedure_step(sentence: Sentence, context: ChunkContext) -> bool:
    """A list item under "Keywording is done in two steps:" (read 33): its label, "Collect
    keywords and concepts", is what to do, not a term to define."""
    if sentence.kind != "list_item":
        return False
    index = sentence.block - 1
    while index >= 0 and context.blocks[index].kind == "list_item":
        index -= 1
    return index >= 0 and bool(_STEPS_LEAD_IN.search(context.blocks[index].raw.strip()))


def _standalone_term(term: str, chunk: str) -> bool:
    """With no document subject to place it, a term must stand alone: not "the primary
    primitives" (whose?) nor an acronym the chunk never spells out ("the BTE")."""
    if re.match(r"^[Tt]he\s+[a-z]", term):
        return False
    for acronym in re.findall(r"\b[A-Z]{2,6}s?\b", term):
        if not re.search(rf"\({re.escape(acronym)}\)|{re.escape(acronym)}\s*\(", chunk):
            return False
    return True


_ROLE = re.compile(
    # ("the Operations Manager of Ace Gases", "the Senior Vice President": a department's
    # or rank's capitalised words before the role)
    r"^(?:an?|the|our|its)\s+(?:(?-i:[A-Z])[\w&-]*\s+){0,3}?(?:(?:former|current|new|independent|"
    r"non-executive|executive|"
    r"senior|vice|deputy|assistant|associate|co-?)\s*)*(?:director|officer|president|chair(?:man|"
    r"woman|person)?|member|partner|founder|manager|professor|secretary|treasurer|chief|head|"
    r"ceo|cfo|coo|cto|employee|author|editor|trustee|principal|consultant|advis[eo]r|"
    r"lecturer|researcher|nurse|physician|doctor|surgeon|lawyer|attorney|accountant)\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,3}|[A-Z][a-z'’-]+"
    r"(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z'’-]+){1,2})$"
)

_CITATION = re.compile(
    r"\bpages?\s+\d+\s*[-–]\s*\d+|\bpp\.\s*\d|\bIn (?:Proceedings|Association|Advances|"
    r"Conference|International)\b|\barXiv\b|\bet al\.|:\s+A survey\b|\bVol\.\s*\d|"
    r"\bISBN\b|\bLicen[cs]e: CC\b|\b(?:Geneva|New York|London|Washington(?:, DC)?): [A-Z]",
)


def _in_references(sentence: Sentence) -> bool:
    section = (sentence.heading or "").strip().lower()
    return section in ("references", "bibliography", "works cited", "literature cited")


_CAPTION_TERM = re.compile(
    r"^(?:fig(?:ure)?|table|listing|algorithm|equation|eq|chart|image|exhibit|appendix|box)"
    r"\.?\s*[\dIVX]",
    re.IGNORECASE,
)


def _extend_within_block(answer: str, sentence: Sentence, context: ChunkContext) -> str:
    following = [s for s in context.sentences if s.block == sentence.block]
    start = following.index(sentence) + 1 if sentence in following else len(following)
    for nxt in following[start:]:
        if len(words_of(answer)) + len(words_of(nxt.text)) > 45:
            break
        answer = f"{answer} {nxt.text}"
    return answer


def _adds_context(term: str, topic: str | None) -> bool:
    # "Lymphoedema in the context of Key points" adds nothing but words.
    if not topic or topic.lower() in _GENERIC_HEADINGS or topic.lower() in _SUMMARY_HEADINGS:
        return False
    return term.lower() not in topic.lower()


_SUMMARY_HEADINGS = {"key points", "key facts", "in brief", "at a glance", "highlights"}


def _looks_generic(term: str) -> bool:
    # "Accessibility" under "Cultural impact" needs its context; "IBM MT/ST" does not.
    words = term.split()
    return len(words) == 1 and words[0][:1].isupper() and words[0][1:].islower()


def _plural(term: str) -> bool:
    # The head noun of "Integration with Other Tools" is "Integration".
    head = re.split(r"\s(?:of|with|for|in|on|to|from|by|and|or)\s", term, maxsplit=1)[0]
    last = head.split()[-1].lower()
    return last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3


# Numeric facts -----------------------------------------------------------------------------

_QUANTIFIER = (
    r"(?:(?:about|approximately|around|roughly|up to|at least|at most|over|more than|less than|"
    r"fewer than|nearly|almost|only|exactly|some|just) )?"
)
_NUMBER_WORD = (
    r"\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|hundred"
)
_COUNT_VERBS: dict[str, tuple[str, str]] = {}
for _base in (
    "have", "contain", "include", "receive", "require", "use", "employ", "support", "offer",
    "provide", "take", "need", "get", "list", "feature", "comprise", "hold", "allow", "cover",
):  # fmt: skip
    _third = _base + ("es" if _base.endswith(("s", "sh", "ch", "x")) else "s")
    _past = {"have": "had", "take": "took", "get": "got", "hold": "held"}.get(
        _base, _base + ("d" if _base.endswith("e") else "ed")
    )
    _COUNT_VERBS[_base] = ("do", _base)
    _COUNT_VERBS["has" if _base == "have" else _third] = ("does", _base)
    _COUNT_VERBS[_past] = ("did", _base)
_HOW_MANY = re.compile(
    rf"^(?P<subj>.+?) (?:(?:{'|'.join(sorted(ADVERBS))}) )?"
    rf"(?P<verb>{'|'.join(sorted(_COUNT_VERBS, key=len, reverse=True))}) "
    rf"{_QUANTIFIER}(?:{_NUMBER_WORD}) (?P<unit>(?:[a-z][a-z-]* ){{0,2}}?[a-z][a-z-]*[a-rt-z]s)\b"
    r"(?P<of> of(?: [a-z][a-z-]*){1,3})?"
)
# Words that end the noun phrase after "of" ("days of paid leave per year" -> "paid leave").
_OF_STOP = FUNCTION_WORDS | AUXILIARIES | {"per", "each", "every", "a", "an", "the"}


def _of_phrase(text: str | None) -> str:
    if not text:
        return ""
    kept: list[str] = []
    for word in text.split()[1:]:
        if word in _OF_STOP or word in COMMON_VERBS:
            break
        kept.append(word)
    return " of " + " ".join(kept) if kept else ""


_WHEN_PASSIVE = re.compile(
    r"^(?P<subj>.+?) (?P<aux>was|were) (?P<adv>(?:first|originally|initially|officially|later|"
    r"also) )?(?P<vpp>[a-z]+ed|built|made|held|sold|born|founded|written|begun|won|shown|known|"
    r"given|taken|set|run|brought|bought|chosen)\b(?P<mid>(?: (?!in\b|on\b|during\b|since\b|"
    r"around\b)[^\s,;]+){0,6}?) (?:in|on|during|since|around) (?:the )?(?:early |mid-|late )?"
    r"(?P<when>\d{4}s?\b|\d{1,2}(?:st|nd|rd|th) century|(?:January|February|March|April|May|"
    r"June|July|August|September|October|November|December) \d{1,2}, \d{4}|\d{1,2} (?:January|"
    r"February|March|April|May|June|July|August|September|October|November|December) \d{4})"
)
_WHAT_IS_VALUE = re.compile(
    rf"^(?P<subj>.+?) (?P<aux>is|are|was|were|totals?|totalled|totaled|reached|exceeded) "
    rf"{_QUANTIFIER}(?:[$€£¥]\s?)?(?:\d[\d,.]*)"
)


def _numeric_question(
    sentence: str, subject: str | None, section: str | None, context: ChunkContext
) -> str | None:
    """A question for a numeric `sentence` of the section whose topic is `section`."""
    text = drop_intro(sentence)
    # A figure is someone's: "What were Surgery franchise sales?" without the document's
    # subject names no company and no year (read 6: 9 such pairs of a 10-K whose issuer was
    # not found).
    if subject is None or context.subject is None:
        return None
    shown = np_for_question(subject, context)
    match = _HOW_MANY.match(text)
    if match and match.group("subj").strip(" ,") == subject:
        aux, base = _COUNT_VERBS[match.group("verb")]
        unit = match.group("unit") + _of_phrase(match.group("of"))
        return f"How many {unit} {aux} {shown} {base}"
    match = _WHEN_PASSIVE.match(text)
    if match and match.group("subj").strip(" ,") == subject:
        adverb = match.group("adv") or ""
        return f"When {match.group('aux')} {shown} {adverb}{match.group('vpp')}{match.group('mid')}"
    match = _WHAT_IS_VALUE.match(text)
    if match and match.group("subj").strip(" ,") == subject and match.group("aux") in (
        "is", "are", "was", "were",
    ):  # fmt: skip
        question = f"What {match.group('aux')} {shown}"
        if len(words_of(subject)) <= 3 and section:
            question += f" in the context of {section}"
        return question
    # Only the document's subject states anything: a section heading as the source ("What does
    # Results state about ...?", "What does Confirmed cases state about ...?") names a part of
    # a page, not who says it.
    source = context.subject
    # "What does the handbook state about the standing trustee?": a chunk's protagonist, named
    # in sentence after sentence, is no topic one sentence answers.
    if source is None or _mentions(subject, context.text) >= _PROTAGONIST_MENTIONS:
        return None
    # "What does World War II - Wikipedia state about Hitler?", "... about Amounts?": one word
    # names no aspect of it (reads 4-16: 2 of 12 such pairs good)
    if len(words_of(shown)) < 2:
        return None
    if shown.lower() not in source.lower() and not _abbreviates(shown, source):
        # The document speaks as "our"; the question names who that is ("its").
        shown = re.sub(r"^[Oo]ur\b", "its", shown)
        question = f"What does {subject_for_question(source)} state about {shown}"
        # A figure is its section's: "apparel revenues" under "NORTH AMERICA" are a segment's,
        # not the company's (read 8: four segment figures asked of the whole company).
        if section and _scopes(section, shown, source):
            question += f" in the context of {section}"
        return question
    return None


_PROTAGONIST_MENTIONS = 3


def _scopes(section: str, phrase: str, source: str) -> bool:
    """Whether a section heading adds scope to a question about `phrase`: a specific heading
    whose words the phrase and the source do not already hold."""
    lowered = section.lower()
    if lowered in _GENERIC_HEADINGS or lowered in _SUMMARY_HEADINGS or len(section) > 60:
        return False
    words = set(re.findall(r"[a-z]{3,}", lowered))
    return bool(words) and not words & set(re.findall(r"[a-z]{3,}", f"{phrase} {source}".lower()))


def _abbreviates(phrase: str, name: str) -> bool:
    """ "the FAA" for "Federal Aviation Administration": the source asked about itself."""
    bare = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE)
    initials = "".join(w[0] for w in name.split() if w[:1].isupper())
    return len(bare) >= 2 and bare.isupper() and bare == initials


def _mentions(phrase: str, text: str) -> int:
    bare = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE)
    if not bare:
        return 0
    return len(re.findall(rf"\b{re.escape(bare)}\b", text, re.IGNORECASE))


def numeric_candidates(context: ChunkContext) -> Iterator[Candidate]:
    for sentence in context.sentences:
        if not _has_numeric_fact(sentence.text) or len(words_of(sentence.text)) < 5:
            continue
        pair = _answer_with_context(sentence)
        if pair is None:
            continue
        answer, evidence = pair
        source = sentence if evidence == sentence.raw else sentence.previous
        assert source is not None
        subject = sentence_subject(source.text)
        topic_sentence = sentence.text if source is sentence else source.text
        # `source` shares the sentence's block, hence its section.
        section = context.section(sentence.heading)
        question = _numeric_question(topic_sentence, subject, section, context)
        if question is not None:
            yield Candidate("numeric", finish_question(question), answer, evidence)


# Section headings --------------------------------------------------------------------------

_GENERIC_HEADINGS = {
    "introduction", "summary", "overview", "background", "conclusion", "conclusions",
    "discussion", "results", "abstract", "methods", "method", "notes", "appendix", "contents",
    "table of contents", "references", "acknowledgements", "acknowledgments", "preface",
    "general", "effect", "effects", "description", "details", "other", "miscellaneous",
    "purpose", "scope", "business experience", "document availability", "financial risks",
    "critical audit matters", "basis for opinion", "other information", "general information",
    "recommendations", "summary and recommendations", "questions to address",
    # a table's row label read as a heading ("... in the context of Total")
    "total", "totals", "subtotal", "grand total",
    # a filing's standard disclosures (reads 5 and 12)
    "non-gaap measures", "non-gaap financial measures", "use of non-gaap financial measures",
    "recent accounting pronouncements", "recently issued accounting pronouncements",
}  # fmt: skip


_FRAMING_HEADINGS = re.compile(
    r"^(?:note|notes|a note|message) (?:to|for) (?:the )?readers?$|^about this (?:booklet|guide|"
    r"document|report|manual|book|publication)$|^disclaimer|^copyright|^acknowledge?ments?$|"
    r"^(?:further|more) (?:information|resources|reading)$|^(?:useful )?(?:websites|contacts)$|"
    r"^how to use this|^(?:recent(?:ly issued)? )?accounting (?:pronouncements|standards)|"
    r"^(?:author )?contributions?(?: statement)?$|^forward[- ]looking statements|^signatures?$|"
    r"^documents incorporated by reference|^report of independent registered public accounting|"
    r"^critical audit matters?$|^conflicts? of interests?$|^funding$|^disclosures?$",
    re.IGNORECASE,
)


# "TIP", "Lines 4 Through 7", "You may be charged a penalty": a callout's label, a form's
# line numbers and a sentence set as a heading are no topics.
_LABEL_HEADING = re.compile(
    r"^(?:tip|tips|note|notes|caution|warning|important|example|examples|reminder|hint)s?$|"
    r"^(?:lines?|boxe?s?|items?|parts?|steps?|columns?)\s+\d|^.*?\b(?:19|20)\d{2}\D+(?:19|20)\d{2}\b|"
    # a period is a table's column, not a topic: "Year ended June 30, 2021" (read 11)
    r"^(?:(?:fiscal )?years? ended|(?:three|six|nine|twelve) months ended|quarter ended|"
    r"as of|as at)\b|^(?:fiscal (?:year )?)?(?:19|20)\d{2}$",
    re.IGNORECASE,
)


_FOOTNOTE_VERBS = {
    "consists", "consist", "includes", "include", "represents", "represent", "relates",
    "reflects", "excludes", "comprises", "excluding", "including", "represented",
}  # fmt: skip


def _topic_heading(topic: str) -> bool:
    first = topic.split()[0].lower()
    sentence = first in PRONOUNS and not topic.endswith("?")  # an FAQ opens on "What", "Who"
    # "an adverse effect on our results of operations": a risk factor's line, in the voice
    if re.search(r"\b(?:our|we|us)\b", topic, re.IGNORECASE):
        return False
    if first in IMPERATIVE_OPENERS or sentence or _LABEL_HEADING.match(topic.strip()):
        return False
    # "Consists of amounts from interest rate hedging programs": a footnote read as a heading
    if first in _FOOTNOTE_VERBS:
        return False
    return not _FRAMING_HEADINGS.match(topic.strip())


_MIN_SECTION_ANSWER_WORDS = 25
_CAPTION_OPENER = re.compile(
    r"^(?:table|tab\.|figure|fig\.|chart|exhibit|listing)\s+[\dA-Z]+(?:[.-]\d+)*\s*[:.]", re.I
)


_LEAD_IN_SENTENCE = re.compile(
    r"\bit is (?:first |therefore )?(?:necessary|important|useful|worth(?:while)?|helpful) to "
    r"(?:present|describe|explain|understand|recall|outline|introduce|review)\b|^(?:This|The "
    r"following) (?:section|chapter|part|note) (?:describes|presents|explains|sets out|covers|"
    r"outlines|introduces)\b",
    re.IGNORECASE,
)
_POINTS_AT_TABLE = re.compile(
    r"\b(?:are|is)\s+(?:defined|shown|listed|given|summari[sz]ed|illustrated|presented|"
    r"described)\s+in\s+(?:Table|Figure|Fig\.|Appendix|Annex)\s*[\dA-Z][\w.-]*\.$"
)


def factual_candidates(context: ChunkContext) -> Iterator[Candidate]:
    # "What does <subject> say about <heading>?" needs the subject: without it the heading is
    # all the question names ("What are the key points about trade with the Soviet Union?").
    if context.subject is None:
        return
    # A section the chunk opens in the middle of ("Revenue miles", a heading 70 lines up, over
    # a paragraph on net income, read 40): its first paragraph here is not what the section
    # says (reads 20-39: 21 of 48 such pairs good, 376 of 484 under a heading in the chunk)
    first_heading = (
        next(
            (index for index, block in enumerate(context.blocks) if block.kind == "heading"),
            len(context.blocks),
        )
        if context.continues_section
        else -1
    )
    by_heading: dict[str, list[Sentence]] = {}
    for sentence in context.sentences:
        # A section's opening prose answers "what does it say"; list items are asked singly.
        if sentence.heading and sentence.kind == "paragraph" and sentence.block > first_heading:
            by_heading.setdefault(sentence.heading, []).append(sentence)
    for heading, sentences in by_heading.items():
        if heading in context.recurring_headings:
            continue
        topic = question_topic(heading)
        if not topic or topic.lower() in ("references", "bibliography", "contents"):
            continue
        # A bare generic heading ("General", "OVERVIEW", "Effect") names no topic a reader
        # could ask about, whoever the source (read 7: four such pairs).
        generic = topic.lower() in _GENERIC_HEADINGS or topic.lower() in _SUMMARY_HEADINGS
        if not _topic_heading(topic) or generic:
            continue
        chosen: list[Sentence] = []
        # Only the section's first paragraph: later ones may be captions or broken layout.
        opening = [s for s in sentences if s.block == sentences[0].block]
        # "The cacheability and shareability of the physical memory space are defined in Table
        # 3-1." (read 29): a lead pointing at a table the answer will not hold; what follows is
        # what the section says
        # "..., it is first necessary to present the technical principles of the Bitcoin
        # protocol." (a half-year report, read 37): a lead-in to what the section says
        while len(opening) > 1 and (
            _POINTS_AT_TABLE.search(opening[0].text) or _LEAD_IN_SENTENCE.search(opening[0].text)
        ):
            opening.pop(0)
        for sentence in opening:
            chosen.append(sentence)
            if len(chosen) == 3 or sum(len(words_of(s.text)) for s in chosen) >= 25:
                break
        # A sentence that announces a list ("... include:") is no answer without the list.
        while chosen and chosen[-1].text.endswith(":"):
            chosen.pop()
        # "Note: Changes to these settings cause the printer to restart." is an aside, not what
        # the section says; a citation line is no content.
        if not chosen or re.match(r"^(?:note|tip|caution|warning)\b", chosen[0].text, re.I):
            continue
        # "Table 11: Performances of Qwen2-Instruct models ..." under "LONG CONTEXT
        # CAPABILITIES" (read 16): a caption says what a table shows, not what the section says
        if _CAPTION_OPENER.match(chosen[0].text):
            continue
        answer = " ".join(s.text for s in chosen)
        if _CITATION.search(answer):
            continue
        # A section that opens on one short sentence opens on a lead-in or a headline ("A final
        # dimension to network robustness concerns the effects of diversity."): of the "What
        # does X say about <heading>?" pairs of reads 5-11 answered in under 25 words, 8 of 28
        # were good (81 of 115 at 25 or more).
        # (An FAQ heading is the question itself: its answer may well be short.)
        short = len(answer.split()) < _MIN_SECTION_ANSWER_WORDS and not topic.endswith("?")
        if short or len(words_of(answer)) < 8 or len(words_of(answer)) > MAX_ANSWER_WORDS:
            continue
        doc = context.subject
        if topic.endswith("?"):
            # An FAQ heading is the question ("What is cancer?"); `with_subject` names whose.
            # One asked as the reader ("Which laptop will I receive?") stands for no one.
            if re.search(r"\b(?:I|my|me|we|our|us|you|your)\b", topic, re.IGNORECASE):
                continue
            question = topic
        elif doc.lower() != topic.lower():
            question = f"What does {subject_for_question(doc)} say about {topic}"
        else:
            # A heading that is the document's own name opens its cover or a part of it:
            # "What are the key points about Wells Fargo & Company?" was answered by whatever
            # came first (reads 3-17: 0 of 4 such pairs good)
            continue
        evidence = " ".join(s.raw for s in chosen)
        yield Candidate("factual", finish_question(question), answer, evidence)
    # No question is made of a duty or permission ("What must the standing trustee obtain
    # regarding <section>?"): 0 of 6 such pairs were training signal in held-out reads 5-9 (a
    # sentence fragment or a section header for a topic, an answer that leans on its context).
