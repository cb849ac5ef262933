"""Offline question/answer generation: extractive, deterministic, faithful by construction.

Used when no LLM endpoint is configured, so a fresh machine without keys still produces real
training data. Every answer is text of the chunk (a cell, a sentence, the opening of a section),
at most wrapped in a short sentence built from the chunk's own words, and every question is built
by rules from the chunk's structure:

- ``table``: a pipe table with a header row and a key column -> "What is the <column> for <row
  key> in <topic>?", answered by the cell;
- ``definition``: "X is a/an/the ...", "X means/refers to ...", glossary lines "X: ..." and bold
  terms -> "What is X?" / "What does X mean?", answered by the defining sentence;
- ``numeric``: sentences holding numbers, dates or amounts -> a wh-question where a rule fits
  ("How many days of leave do employees receive?", "When was X introduced?", "What is the
  budget?"), otherwise "What does <topic> state about <subject>?";
- ``factual``: a section heading -> "What does <document topic> say about <heading>?", answered
  by the first sentences of the section.

A question's topic is the section its answer comes from: the nearest heading above it in the
chunk, else the chunk's `heading_path[-1]` (the section holding the whole chunk). A heading that
is itself a question (FAQs) is not put inside another question; the document topic stands in.

Candidates that fail `check_grounding` or `standalone_issues` are dropped, so the output passes
the same deterministic checks the judges apply. The templates are English; chunks written
mostly in other scripts yield no pairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import pandas as pd

from sdg_pipeline.generate.ids import pair_id
from sdg_pipeline.judge.grounding import (
    check_grounding,
    extract_dates,
    extract_numbers,
    standalone_issues,
)
from sdg_pipeline.schemas import QA_PAIRS
from sdg_pipeline.text import leaf_blocks, sentence_spans

GENERATOR_NAME = "offline-extractive"
OFFLINE_PROMPT_VERSION = "offline-v4"

# Order of preference when a chunk offers more candidates than `max_pairs_per_chunk`.
QUESTION_TYPES = ("table", "definition", "numeric", "factual")

_MIN_CHUNK_WORDS = 12
_MAX_ANSWER_WORDS = 90
_MAX_TABLE_ROWS_ASKED = 3


# --- Markdown structure -------------------------------------------------------------------


@dataclass
class _Block:
    kind: str  # heading, paragraph, list_item, table, code, other
    raw: str  # verbatim chunk text of the block
    start: int  # offset of `raw` in the chunk text
    # Nearest heading above the block in the chunk, else the chunk's heading_path[-1]: the
    # section the block's text belongs to, which is what its questions name.
    heading: str | None
    level: int = 0  # heading level for headings


_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_COMMENT = re.compile(r"<!--.*-->", re.DOTALL)
# Raw HTML other than comments reads as prose, as it would on a rendered page.
_BLOCK_KINDS = {"paragraph": "paragraph", "list_item": "list_item", "table": "table",
                "code": "code", "html": "paragraph"}  # fmt: skip


def _parse_blocks(text: str, inherited_heading: str | None) -> list[_Block]:
    blocks: list[_Block] = []
    heading = inherited_heading
    for leaf in leaf_blocks(text):
        raw = text[leaf.start : leaf.end]
        if leaf.kind == "heading":
            heading = _clean_inline(leaf.title) or heading
            blocks.append(_Block("heading", raw, leaf.start, heading, leaf.level))
        elif leaf.kind == "html" and _COMMENT.fullmatch(raw.strip()):
            continue
        else:
            blocks.append(_Block(_BLOCK_KINDS.get(leaf.kind, "other"), raw, leaf.start, heading))
    return blocks


# --- inline cleaning ----------------------------------------------------------------------

_INLINE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"<!--.*?-->", re.DOTALL), " "),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), " "),
    (re.compile(r"\[([^\]]+)\]\((?:[^)]*)\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?!\s)([^_]+?)(?<!\s)_(?![\w_])"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), " "),
    (re.compile(r"[`|#]|\*\*"), " "),
    (re.compile(r"\s+"), " "),
    (re.compile(r"\s+([,.;:!?)])"), r"\1"),
    (re.compile(r"\(\s+"), "("),
]


def _clean_inline(text: str) -> str:
    """Plain text of a Markdown fragment: no emphasis, links, pipes, heading marks or tags."""
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


def _strip_list_marker(text: str) -> str:
    return _LIST_MARKER.sub("", text, count=1)


_SECTION_NUMBER = re.compile(r"^(?:(?:chapter|section|part)\s+)?\d+(?:\.\d+)*\.?\s+", re.I)
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")


def _topic(heading: str | None) -> str | None:
    """A heading as a noun phrase for a question: no numbering, no trailing parenthetical."""
    if not heading:
        return None
    text = _SECTION_NUMBER.sub("", _clean_inline(heading))
    text = _TRAILING_PAREN.sub("", text).strip(" :.-")
    if len(re.findall(r"[^\W\d_]{2,}", text)) == 0 or len(text) > 90:
        return None
    return text


def _section_name(heading: str | None) -> str | None:
    """A heading that can stand inside a question ("in the context of X"): not itself a question,
    as FAQ headings are ("When do I get my laptop?")."""
    topic = _topic(heading)
    return None if topic is None or topic.endswith("?") else topic


def _document_title(document_key: str) -> str | None:
    # A readable file name ("leave_policy.pdf") names the document; ids and hashes do not.
    stem = PurePosixPath(str(document_key or "")).name
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    # Partition keys end with the content-hash prefix (see partitions.document_key): not a name.
    stem = re.sub(r"-[0-9a-f]{12}$", "", stem)
    words = [w for w in re.split(r"[\s_\-]+", stem) if w]
    alpha_words = [w for w in words if re.fullmatch(r"[A-Za-z]{3,}", w)]
    if len(alpha_words) < 1 or len(alpha_words) < len(words) / 2:
        return None
    return " ".join(words)


# --- sentences ----------------------------------------------------------------------------


@dataclass
class _Sentence:
    text: str  # cleaned
    raw: str  # verbatim chunk span
    heading: str | None
    previous: _Sentence | None = None  # sentence before it in the same block
    kind: str = "paragraph"  # kind of block it comes from
    block: int = 0  # identity of that block


def _sentences(blocks: list[_Block]) -> list[_Sentence]:
    out: list[_Sentence] = []
    for block_index, block in enumerate(blocks):
        if block.kind not in ("paragraph", "list_item"):
            continue
        previous: _Sentence | None = None
        for index, (start, end) in enumerate(sentence_spans(block.raw)):
            raw = block.raw[start:end]
            text = _clean_inline(_strip_list_marker(raw) if index == 0 else raw)
            if len(_words(text)) < 4:
                continue
            sentence = _Sentence(text, raw, block.heading, previous, block.kind, block_index)
            out.append(sentence)
            previous = sentence
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’.-][^\W_]+)*", text)


# --- candidates ---------------------------------------------------------------------------


@dataclass
class _Candidate:
    question_type: str
    question: str
    answer: str
    evidence: str


@dataclass
class _ChunkContext:
    text: str
    blocks: list[_Block]
    sentences: list[_Sentence]
    doc_topic: str | None
    lower_words: set[str] = field(default_factory=set)


def _finish_question(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip(" .:;,?")
    return text[:1].upper() + text[1:] + "?"


def _np_for_question(phrase: str, context: _ChunkContext) -> str:
    """`phrase` as it reads mid-sentence: "The budget" -> "the budget", "Microsoft" kept."""
    first, _, rest = phrase.partition(" ")
    lowered = first.lower()
    capitalised = first[:1].isupper() and first[1:].islower()
    if capitalised and (
        lowered in _DETERMINERS
        or (lowered in context.lower_words and not _capitalised_mid_sentence(first, context.text))
    ):
        return (lowered + " " + rest).strip()
    return phrase


def _capitalised_mid_sentence(word: str, text: str) -> bool:
    """A word capitalised after a lowercase word is a name ("by Acme"), not a sentence start."""
    return re.search(rf"\b[a-z][\w,]*\s+{re.escape(word)}\b", text) is not None


_DETERMINERS = {
    "the", "a", "an", "each", "every", "all", "most", "some", "many", "any", "both", "several",
    "few", "no", "our", "your",
}  # fmt: skip
_PRONOUNS = {
    "it", "its", "this", "that", "these", "those", "they", "them", "their", "he", "she", "his",
    "her", "we", "you", "i", "there", "here", "such", "which", "what", "who", "one", "another",
    "other", "others", "something", "anything", "everything", "nothing", "someone",
}  # fmt: skip
_FUNCTION_WORDS = _DETERMINERS | _PRONOUNS | {
    "of", "in", "on", "at", "to", "for", "with", "by", "from", "and", "or", "but", "as", "into",
    "about", "over", "under", "than", "then", "so", "if", "when", "while", "after", "before",
}  # fmt: skip
_AUXILIARIES = {
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did",
    "can", "could", "may", "might", "must", "shall", "should", "will", "would",
}  # fmt: skip
_COMMON_VERBS = {
    "allow", "allows", "became", "become", "becomes", "began", "begin", "begins", "carry",
    "carries", "consist", "consists", "contain", "contains", "cost", "costs", "exceed",
    "exceeds", "get", "gets", "give", "gives", "got", "hold", "holds", "include", "includes",
    "keep", "keeps", "last", "lasts", "lead", "leads", "make", "makes", "made", "need", "needs",
    "offer", "offers", "provide", "provides", "range", "ranges", "reach", "reaches", "receive",
    "receives", "remain", "remains", "require", "requires", "run", "runs", "see", "sees",
    "show", "shows", "take", "takes", "took", "use", "uses", "won", "grew", "fell", "rose",
    "means", "refers", "stands", "denotes", "represents", "feature", "features", "apply",
    "applies", "exert", "exerts", "press", "presses", "support", "supports", "cover", "covers",
    "list", "lists", "employ", "employs", "comprise", "comprises", "produce", "produces",
    "achieve", "achieves", "yield", "yields", "outperform", "outperforms", "sold", "found",
    "went", "came", "left", "rely", "relies",
}  # fmt: skip
_ADVERBS = {
    "first", "also", "then", "only", "still", "often", "now", "already", "initially", "later",
    "originally", "usually", "typically", "generally", "always", "never", "not", "currently",
    "soon", "essentially", "consistently",
}  # fmt: skip
_INTRO = re.compile(
    r"^(?:(?:in|on|at|by|during|since|after|before|from|for|over|under|with|within|as|"
    r"until|through|throughout|between|around)\b[^,]{1,60}|[A-Z][a-z]+ly|however|thus|"
    r"therefore|moreover|furthermore|additionally|finally|also|overall|collectively|"
    r"in addition|for example|for instance|today|today's)\s*,\s+",
    re.IGNORECASE,
)


_LEADING_ADVERB = re.compile(
    r"^(?:however|also|additionally|thus|therefore|moreover|furthermore|finally|then|still|"
    r"instead|indeed|similarly|likewise|overall|hence|consequently|nevertheless|besides)\b,?\s+",
    re.IGNORECASE,
)


def _drop_intro(sentence: str) -> str:
    sentence = _INTRO.sub("", sentence, count=1)
    sentence = _LEADING_ADVERB.sub("", sentence, count=1)
    return sentence[:1].upper() + sentence[1:]


def _subject(sentence: str) -> str | None:
    """The noun phrase a sentence opens with, when simple rules can find it."""
    words = _drop_intro(sentence).split()
    subject: list[str] = []
    for index, word in enumerate(words):
        bare = word.strip(",;:.()\"'").lower()
        if index > 0 and (
            bare in _AUXILIARIES
            or bare in _COMMON_VERBS
            or bare in _ADVERBS
            or bare in ("which", "that", "who", "whose", "where")
            or (len(bare) > 4 and bare.endswith("ed") and not word[:1].isupper())
        ):
            break
        subject.append(word)
        if word.endswith((",", ";", ":")) or len(subject) > 8:
            return None
    if not subject or len(subject) == len(words):
        return None
    text = " ".join(subject).strip(" ,;:")
    first = subject[0].strip("\"'(").lower()
    content = [w for w in _words(text) if w.lower() not in _FUNCTION_WORDS]
    if first in _PRONOUNS or not content or subject[-1].lower() in _FUNCTION_WORDS:
        return None
    if text.count("(") != text.count(")") or text.count('"') % 2:
        return None
    return text


# Numbers that are references, not facts: figure/table/section numbers and citations.
_REFERENCE = re.compile(
    r"\b(?:fig(?:ure)?s?|tables?|sections?|chapters?|eqs?|equations?|listings?|pages?|pp?|"
    r"appendix|step|refs?)\.?\s*[\dIVX]+(?:[.\-–]\d+)*[a-z]?|\[\d+(?:[,–-]\s*\d+)*\]",
    re.IGNORECASE,
)


def _has_numeric_fact(sentence: str) -> bool:
    text = _REFERENCE.sub(" ", sentence)
    return bool(extract_dates(text) or extract_numbers(text))


def _answer_with_context(sentence: _Sentence) -> tuple[str, str] | None:
    """(answer, evidence) for a sentence, pulling in the previous one if it opens on a pronoun."""
    first = sentence.text.split(" ", 1)[0].strip("\"'(,").lower()
    if first in _PRONOUNS:
        if sentence.previous is None:
            return None
        return (
            f"{sentence.previous.text} {sentence.text}",
            f"{sentence.previous.raw} {sentence.raw}",
        )
    return sentence.text, sentence.raw


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
}  # fmt: skip


def _term_ok(term: str) -> bool:
    words = term.split()
    if not words or len(words) > 6:
        return False
    lowered = [w.lower().strip(",.;()\"'") for w in words]
    if lowered[0] in _PRONOUNS or term.lower() in _NOT_TERMS:
        return False
    if any(w in _AUXILIARIES or w in _COMMON_VERBS for w in lowered):
        return False
    if not re.search(r"[^\W\d_]{2,}", term) or lowered[-1] in _FUNCTION_WORDS:
        return False
    return term.count("(") == term.count(")")


def _term_for_question(term: str) -> str:
    text = _TRAILING_PAREN.sub("", term).strip(" ,;:.")
    return text or term


def _definition_candidates(context: _ChunkContext) -> Iterator[_Candidate]:
    for sentence in context.sentences:
        raw_line = sentence.raw
        bold = _BOLD_TERM.match(raw_line) if sentence.previous is None else None
        text = sentence.text
        glossary = _GLOSSARY.match(text) if sentence.previous is None else None
        verb_match = _DEFINITION_VERB.match(_drop_intro(text))
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
        elif bold and _term_ok(_clean_inline(bold.group("term"))):
            term = _clean_inline(bold.group("term"))
            contextual = True
        if not term:
            continue
        if _CAPTION_TERM.match(term):
            continue
        section = _section_name(sentence.heading)
        shown = _term_for_question(term)
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
        yield _Candidate("definition", _finish_question(question), answer, sentence.raw)


_CAPTION_TERM = re.compile(
    r"^(?:fig(?:ure)?|table|listing|algorithm|equation|eq|chart|image|exhibit|appendix|box)"
    r"\.?\s*[\dIVX]",
    re.IGNORECASE,
)


def _extend_within_block(answer: str, sentence: _Sentence, context: _ChunkContext) -> str:
    following = [s for s in context.sentences if s.block == sentence.block]
    start = following.index(sentence) + 1 if sentence in following else len(following)
    for nxt in following[start:]:
        if len(_words(answer)) + len(_words(nxt.text)) > 45:
            break
        answer = f"{answer} {nxt.text}"
    return answer


def _adds_context(term: str, topic: str | None) -> bool:
    return bool(topic) and term.lower() not in str(topic).lower()


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
    rf"^(?P<subj>.+?) (?:(?:{'|'.join(sorted(_ADVERBS))}) )?"
    rf"(?P<verb>{'|'.join(sorted(_COUNT_VERBS, key=len, reverse=True))}) "
    rf"{_QUANTIFIER}(?:{_NUMBER_WORD}) (?P<unit>(?:[a-z][a-z-]* ){{0,2}}?[a-z][a-z-]*[a-rt-z]s)\b"
    r"(?P<of> of(?: [a-z][a-z-]*){1,3})?"
)
# Words that end the noun phrase after "of" ("days of paid leave per year" -> "paid leave").
_OF_STOP = _FUNCTION_WORDS | _AUXILIARIES | {"per", "each", "every", "a", "an", "the"}


def _of_phrase(text: str | None) -> str:
    if not text:
        return ""
    kept: list[str] = []
    for word in text.split()[1:]:
        if word in _OF_STOP or word in _COMMON_VERBS:
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
    sentence: str, subject: str | None, section: str | None, context: _ChunkContext
) -> str | None:
    """A question for a numeric `sentence` of the section whose topic is `section`."""
    text = _drop_intro(sentence)
    if subject is None:
        return None
    shown = _np_for_question(subject, context)
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
        if len(_words(subject)) <= 3 and section:
            question += f" in the context of {section}"
        return question
    topic = section or context.doc_topic
    if topic and _np_for_question(topic, context).lower() != shown.lower():
        return f"What does {_np_for_question(topic, context)} state about {shown}"
    return None


def _numeric_candidates(context: _ChunkContext) -> Iterator[_Candidate]:
    for sentence in context.sentences:
        if not _has_numeric_fact(sentence.text) or len(_words(sentence.text)) < 5:
            continue
        pair = _answer_with_context(sentence)
        if pair is None:
            continue
        answer, evidence = pair
        source = sentence if pair[0] == sentence.text else sentence.previous
        assert source is not None
        subject = _subject(source.text)
        topic_sentence = sentence.text if source is sentence else source.text
        # `source` shares the sentence's block, hence its section.
        question = _numeric_question(
            topic_sentence, subject, _section_name(sentence.heading), context
        )
        if question is None:
            continue
        yield _Candidate("numeric", _finish_question(question), answer, evidence)


# Tables ------------------------------------------------------------------------------------

_SEPARATOR_CELL = re.compile(r"^\s*:?-+:?\s*$")
_CAPTION = re.compile(r"^(?:table|tab\.)\s*[\dIVX]+[.:]?\s*", re.IGNORECASE)


def _split_row(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", body)]


def _cell_text(cell: str) -> str:
    return _clean_inline(cell.replace("\\|", "/"))


def _table_topic(block: _Block, previous: _Block | None, context: _ChunkContext) -> str | None:
    if previous is not None and previous.kind == "paragraph":
        caption = _clean_inline(previous.raw)
        if _CAPTION.match(caption):
            clause = re.split(r"[.;:,](?:\s|$)", _CAPTION.sub("", caption), maxsplit=1)[0]
            clause = re.sub(r"\s*\[\d+(?:,\s*\d+)*\]", "", clause).strip()
            if 1 <= len(clause.split()) <= 10:
                return clause
    return _section_name(block.heading) or context.doc_topic


def _table_candidates(context: _ChunkContext) -> Iterator[_Candidate]:
    previous: _Block | None = None
    for block in context.blocks:
        if block.kind == "table":
            yield from _one_table(block, previous, context)
        previous = block


def _one_table(
    block: _Block, previous: _Block | None, context: _ChunkContext
) -> Iterator[_Candidate]:
    raw_lines = [line for line in block.raw.splitlines() if line.strip()]
    rows = [_split_row(line) for line in raw_lines]
    sep_index = next(
        (i for i, row in enumerate(rows) if row and all(_SEPARATOR_CELL.match(c) for c in row)),
        None,
    )
    if sep_index is None or sep_index == 0:
        return
    header = [_cell_text(c) for c in rows[sep_index - 1]]
    body = [
        (raw_lines[i], [_cell_text(c) for c in rows[i]]) for i in range(sep_index + 1, len(rows))
    ]
    # Docling repeats multi-level headers as body rows starting with the same key header.
    while body and body[0][1] and header and body[0][1][0] == header[0]:
        extra = body.pop(0)[1]
        header = [
            h if i >= len(extra) or extra[i] == h or not extra[i] else f"{h} {extra[i]}".strip()
            for i, h in enumerate(header)
        ]
    body = [(line, cells) for line, cells in body if len(cells) == len(header) and cells[0]]
    if len(header) < 2 or not body:
        return
    headers = [re.sub(r"^#\s*", "", h).strip() for h in header]
    keys = [cells[0] for _, cells in body]
    key_columns = 1
    if len(set(keys)) != len(keys) and len(headers) > 2:
        pairs = [(cells[0], cells[1]) for _, cells in body]
        if len(set(pairs)) != len(pairs):
            return
        key_columns = 2
    elif len(set(keys)) != len(keys):
        return
    topic = _table_topic(block, previous, context)
    value_columns = [
        i for i in range(key_columns, len(headers)) if headers[i] and headers.count(headers[i]) == 1
    ]
    if not value_columns:
        return
    picks = sorted({0, len(body) // 2, len(body) - 1})[:_MAX_TABLE_ROWS_ASKED]
    for n, row_index in enumerate(picks):
        line, cells = body[row_index]
        column = value_columns[n % len(value_columns)]
        value = cells[column]
        if not value or _SEPARATOR_CELL.match(value) or value in ("-", "–", "—", "n/a", "N/A"):
            continue
        key_parts = []
        for k in range(key_columns):
            cell = cells[k]
            # A bare number or code is no name: say which column it belongs to.
            named = not re.search(r"[A-Za-z]{3,}", cell) or key_columns > 1
            key_parts.append(f"{headers[k]} {cell}" if named and headers[k] else cell)
        key = " and ".join(key_parts)
        column_name = headers[column]
        shown_column = _np_for_question(column_name, context)
        article = "" if shown_column.lower().startswith("the ") else "the "
        question = f"What is {article}{shown_column} for {key}"
        if topic:
            question += f" in {topic}"
        answer = f"{article}{shown_column} for {key} is {value}."
        answer = answer[:1].upper() + answer[1:]
        yield _Candidate("table", _finish_question(question), answer, line)


# Section headings --------------------------------------------------------------------------

_GENERIC_HEADINGS = {
    "introduction", "summary", "overview", "background", "conclusion", "conclusions",
    "discussion", "results", "abstract", "methods", "method", "notes", "appendix", "contents",
    "table of contents", "references", "acknowledgements", "acknowledgments", "preface",
}  # fmt: skip


def _factual_candidates(context: _ChunkContext) -> Iterator[_Candidate]:
    by_heading: dict[str, list[_Sentence]] = {}
    for sentence in context.sentences:
        # A section's opening prose answers "what does it say"; list items are asked singly.
        if sentence.heading and sentence.kind == "paragraph":
            by_heading.setdefault(sentence.heading, []).append(sentence)
    for heading, sentences in by_heading.items():
        topic = _topic(heading)
        if not topic or topic.lower() in ("references", "bibliography", "contents"):
            continue
        chosen: list[_Sentence] = []
        # Only the section's first paragraph: later ones may be captions or broken layout.
        for sentence in (s for s in sentences if s.block == sentences[0].block):
            chosen.append(sentence)
            if len(chosen) == 3 or sum(len(_words(s.text)) for s in chosen) >= 25:
                break
        # A sentence that announces a list ("... include:") is no answer without the list.
        while chosen and chosen[-1].text.endswith(":"):
            chosen.pop()
        answer = " ".join(s.text for s in chosen)
        if len(_words(answer)) < 8 or len(_words(answer)) > _MAX_ANSWER_WORDS:
            continue
        doc = context.doc_topic
        if doc and doc.lower() != topic.lower():
            question = f"What does {_np_for_question(doc, context)} say about {topic}"
        elif topic.lower() in _GENERIC_HEADINGS:
            continue
        else:
            question = f"What are the key points about {topic}"
        evidence = " ".join(s.raw for s in chosen)
        yield _Candidate("factual", _finish_question(question), answer, evidence)


# --- assembly -----------------------------------------------------------------------------


_ENGLISH_MARKERS = {
    "the", "of", "and", "to", "is", "are", "was", "were", "for", "with", "that", "this", "by",
    "as", "on", "be", "or", "from", "it", "an", "which", "can", "has", "have", "not", "their",
}  # fmt: skip


def _looks_english(sentences: list[_Sentence]) -> bool:
    # The templates are English; prose in other languages (or lorem ipsum) gets no questions.
    words = [w.lower() for s in sentences for w in _words(s.text)]
    if len(words) < 20:
        return True
    return sum(1 for w in words if w in _ENGLISH_MARKERS) / len(words) >= 0.12


def _mostly_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f")
    return latin / len(letters) >= 0.8


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, float) and pd.isna(value):
        return []
    return [str(v) for v in list(value) if v is not None and str(v).strip()]


def _context(text: str, heading_path: list[str], document_key: str) -> _ChunkContext:
    # heading_path is the deepest section holding the whole chunk (see conversion.chunking), so
    # text before the chunk's first heading lies in its last entry; each block then takes the
    # nearest heading above it, and a chunk spanning sections asks about each by its own name.
    inherited = heading_path[-1] if heading_path else None
    blocks = _parse_blocks(text, inherited)
    in_chunk_headings = [b.raw for b in blocks if b.kind == "heading"]
    doc_topic = _topic(heading_path[0]) if heading_path else None
    if doc_topic is None and in_chunk_headings:
        top = min((b for b in blocks if b.kind == "heading"), key=lambda b: b.level)
        if top.level == 1:
            doc_topic = _topic(top.heading)
    if doc_topic is None:
        doc_topic = _document_title(document_key)
    return _ChunkContext(
        text=text,
        blocks=blocks,
        sentences=_sentences(blocks),
        doc_topic=doc_topic,
        lower_words={w for w in re.findall(r"\b[a-z][a-z-]+\b", text)},
    )


def _chunk_candidates(context: _ChunkContext) -> dict[str, list[_Candidate]]:
    return {
        "table": list(_table_candidates(context)),
        "definition": list(_definition_candidates(context)),
        "numeric": list(_numeric_candidates(context)),
        "factual": list(_factual_candidates(context)),
    }


def _acceptable(candidate: _Candidate, chunk_text: str) -> bool:
    question, answer = candidate.question, candidate.answer
    if not answer.strip() or not question.endswith("?") or len(question.split()) < 3:
        return False
    if len(_words(answer)) > _MAX_ANSWER_WORDS:
        return False
    if re.search(r"[|#]|\*\*", answer):
        return False
    if question.rstrip("?").strip().lower() == answer.rstrip(".").strip().lower():
        return False
    if standalone_issues(question):
        return False
    return check_grounding(answer, chunk_text).ok


def _select(
    candidates: dict[str, list[_Candidate]],
    chunk_text: str,
    limit: int,
    seen_questions: set[str],
) -> list[_Candidate]:
    """Round-robin over the types in priority order so one big table cannot crowd out the rest."""
    queues = {kind: iter(candidates.get(kind, [])) for kind in QUESTION_TYPES}
    chosen: list[_Candidate] = []
    used_evidence: set[str] = set()
    while len(chosen) < limit and queues:
        for kind in list(queues):
            if len(chosen) >= limit:
                break
            for candidate in queues[kind]:
                key = candidate.question.lower()
                if key in seen_questions or candidate.evidence in used_evidence:
                    continue
                if not _acceptable(candidate, chunk_text):
                    continue
                seen_questions.add(key)
                used_evidence.add(candidate.evidence)
                chosen.append(candidate)
                break
            else:
                del queues[kind]
    return chosen


def _rows(chunks: pd.DataFrame, max_pairs_per_chunk: int) -> Iterable[dict[str, Any]]:
    ordered = chunks
    sort_keys = [c for c in ("document_key", "chunk_index", "chunk_id") if c in chunks.columns]
    if sort_keys:
        ordered = chunks.sort_values(sort_keys, kind="mergesort")
    seen_by_document: dict[str, set[str]] = {}
    for chunk in ordered.itertuples(index=False):
        text = chunk.text if isinstance(chunk.text, str) else ""
        body_words = sum(
            len(_words(text[b.start : b.end])) for b in leaf_blocks(text) if b.kind != "heading"
        )
        if body_words < _MIN_CHUNK_WORDS or not _mostly_latin(text):
            continue
        heading_path = _as_list(getattr(chunk, "heading_path", None))
        context = _context(text, heading_path, str(chunk.document_key))
        if not context.sentences and not any(b.kind == "table" for b in context.blocks):
            continue
        if not _looks_english(context.sentences):
            continue
        seen = seen_by_document.setdefault(str(chunk.document_key), set())
        for candidate in _select(_chunk_candidates(context), text, max_pairs_per_chunk, seen):
            yield {
                "pair_id": pair_id(chunk.chunk_id, candidate.question),
                "chunk_id": chunk.chunk_id,
                "document_key": chunk.document_key,
                "content_hash": chunk.content_hash,
                "question": candidate.question,
                "answer": candidate.answer,
                "question_type": candidate.question_type,
                "evidence": candidate.evidence,
                "generator": GENERATOR_NAME,
                "model": None,
                "prompt_version": OFFLINE_PROMPT_VERSION,
                "error": None,
            }


def generate_pairs_offline(chunks: pd.DataFrame, max_pairs_per_chunk: int = 4) -> pd.DataFrame:
    """QA pairs (QA_PAIRS columns, in order) drawn from each chunk's tables, definitions,
    numeric facts and headings; same input, same output."""
    columns = QA_PAIRS.names
    if max_pairs_per_chunk <= 0 or chunks.empty:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    rows = list(_rows(chunks, max_pairs_per_chunk))
    if not rows:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    return pd.DataFrame(rows, columns=columns)
