"""Deterministic grounding checks that need no LLM. (Over 400 lines, one idea: grounding.)

Both judges (lexical and LLM) run these, so a pair whose answer invents a number, a date or a
quotation is caught even when an LLM judge is lenient. The checks are deliberately tolerant of
formatting (Markdown, whitespace, case, thousands separators, number words) and strict about
content: every number, date and quoted span in the answer must be recoverable from the chunk.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

__all__ = [
    "GroundingResult",
    "check_grounding",
    "extract_dates",
    "extract_numbers",
    "normalize_text",
    "standalone_issues",
]


@dataclass(frozen=True)
class GroundingResult:
    ok: bool
    issues: list[str] = field(default_factory=list)


# --- text normalisation -------------------------------------------------------------------

_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u00ad": "",  # soft hyphen left by PDF extraction
    }
)
# Markdown markup that carries no content: emphasis, headings, table pipes, code ticks.
_MARKUP = re.compile(r"[*_`#|>\[\]]+|^\s*[-+]\s+|^\s*:?-{3,}:?\s*$", re.MULTILINE)
_SPACES = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Casefolded text with Markdown markup, typographic quotes/dashes and runs of space removed."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTE_MAP)
    text = _MARKUP.sub(" ", text)
    return _SPACES.sub(" ", text).strip().casefold()


# --- numbers ------------------------------------------------------------------------------

# A number not glued to a preceding letter/digit/dot (so "H2O" and "v1.2" are not numbers, but
# "COVID-19" holds 19). Thousands groups may be separated by comma, dot or (narrow) space.
_NUMBER = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:(?P<sep>[, ])\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|[kKmM])\b)?"
)
_SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
}
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "dozen": 12, "once": 1, "twice": 2, "single": 1, "double": 2, "half": 0.5,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_WORD = re.compile(r"[a-z]+")
_EURO_THOUSANDS = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{3})+(?![\d.])")
_EURO_DECIMAL = re.compile(r"(?<![\w,])\d+,\d{1,2}(?![\d,])")


def _canon(value: Decimal | float | str) -> str:
    try:
        dec = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(dec.normalize(), "f")
    return text


@dataclass(frozen=True)
class _NumberMention:
    text: str  # as written
    value: str  # canonical reading with separators removed and no scale applied
    values: frozenset[str]  # canonical values this mention may stand for
    parts: tuple[str, ...]  # space-separated groups, when the separator may not mean thousands


def _mentions(text: str) -> list[_NumberMention]:
    found: list[_NumberMention] = []
    for match in _NUMBER.finditer(text):
        raw = match.group("num")
        sep = match.group("sep")
        joined = raw.replace(",", "").replace(" ", "")
        values = {_canon(joined)}
        scale = match.group("scale")
        if scale:
            # "1.2 million" may appear as 1,200,000 elsewhere; lower-case "m" is often metres,
            # so keep the bare value as an alternative too.
            factor = _SCALES.get(scale.lower())
            if factor:
                values.add(_canon(Decimal(joined) * factor))
        parts: tuple[str, ...] = ()
        if sep:
            # "3 100" may be two numbers and "1,234" may be a list; keep the pieces as well.
            parts = tuple(_canon(p) for p in re.split(r"[, ]", raw.split(".")[0]))
        found.append(_NumberMention(match.group(0), _canon(joined), frozenset(values), parts))
    return found


def extract_numbers(text: str) -> list[str]:
    """Canonical values of the numbers written with digits in `text` ('1,000' -> '1000')."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MAP)
    return [mention.value for mention in _mentions(_mask_dates(text))]


def _chunk_number_values(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MAP)
    values: set[str] = set()
    for mention in _mentions(text):
        values |= mention.values
        values.update(mention.parts)
    for match in _EURO_THOUSANDS.finditer(text):
        values.add(_canon(match.group(0).replace(".", "")))
    for match in _EURO_DECIMAL.finditer(text):
        values.add(_canon(match.group(0).replace(",", ".")))
    for word in _WORD.findall(text.casefold()):
        if word in _NUMBER_WORDS:
            values.add(_canon(_NUMBER_WORDS[word]))
    for date in extract_dates(text):
        for key in date:
            values.update(_canon(v) for v in key if v is not None)
    return values


# --- dates --------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"(?<![\w.])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4}|\d{2})(?!\d|\.\d)"),
    re.compile(
        rf"\b(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH},?(?:\s+(?P<year>\d{{4}}))?\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD}(?:,?\s+(?P<year>\d{{4}}))?\b(?!:)", re.IGNORECASE
    ),
    re.compile(rf"\b{_MONTH},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
]

# A date mention is every (year, month, day) reading it allows; None = not stated.
_DateKey = tuple[int | None, int | None, int | None]


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    if len(text) == 2:
        value += 2000 if value < 50 else 1900
    return value


def _date_matches(text: str) -> list[tuple[tuple[int, int], frozenset[_DateKey]]]:
    """(span, readings) for each date in `text`, earlier patterns winning overlaps."""
    taken: list[tuple[int, int]] = []
    out: list[tuple[tuple[int, int], frozenset[_DateKey]]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            groups = match.groupdict()
            readings: set[_DateKey] = set()
            year = _year(groups.get("year"))
            if groups.get("month"):
                word = match.group("month")
                # "may" in lower case is almost always the verb.
                if word.lower() == "may" and word[0].islower():
                    continue
                month = _MONTHS[word.lower().rstrip(".")]
                day = int(groups["day"]) if groups.get("day") else None
                if day is not None and not 1 <= day <= 31:
                    continue
                readings.add((year, month, day))
            elif groups.get("mon"):
                readings.add((year, int(groups["mon"]), int(groups["day"])))
            else:
                first, second = int(groups["a"]), int(groups["b"])
                if first <= 12 and second <= 31:
                    readings.add((year, first, second))
                if second <= 12 and first <= 31:
                    readings.add((year, second, first))
            if not readings:
                continue
            taken.append(span)
            out.append((span, frozenset(readings)))
    out.sort(key=lambda item: item[0])
    return out


def extract_dates(text: str) -> list[frozenset[_DateKey]]:
    """Each date in `text` as the set of (year, month, day) readings it allows."""
    return [readings for _, readings in _date_matches(text)]


def _mask_dates(text: str) -> str:
    for (start, end), _ in reversed(_date_matches(text)):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _date_supported(
    readings: frozenset[_DateKey], chunk_dates: Sequence[frozenset[_DateKey]]
) -> bool:
    # Every field the answer states must agree with some chunk date; fields the answer leaves
    # out ("March 2024" for "12 March 2024") are free.
    for year, month, day in readings:
        for chunk_readings in chunk_dates:
            for c_year, c_month, c_day in chunk_readings:
                if (
                    (year is None or year == c_year)
                    and month == c_month
                    and (day is None or day == c_day)
                ):
                    return True
    return False


# --- quoted spans -------------------------------------------------------------------------

_QUOTED = re.compile(r'"([^"\n]{2,}?)"')
_ELLIPSIS = re.compile(r"\.\.\.|\u2026|\[\s*\.\.\.\s*\]")
_EDGE_PUNCT = " \t.,;:!?'\"()"


def _quoted_spans(answer: str) -> list[str]:
    text = unicodedata.normalize("NFKC", answer).translate(_QUOTE_MAP)
    return [m.group(1) for m in _QUOTED.finditer(text)]


def _span_in_chunk(span: str, norm_chunk: str) -> bool:
    position = 0
    for piece in _ELLIPSIS.split(span):
        piece = normalize_text(piece).strip(_EDGE_PUNCT)
        if not piece:
            continue
        found = norm_chunk.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


# --- public checks ------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _chunk_facts(
    chunk_text: str,
) -> tuple[str, tuple[frozenset[_DateKey], ...], frozenset[str]]:
    """What grounding needs of a chunk, once per chunk: a chunk's pairs (often ten) are checked
    one after another against the same text, and this was most of each check's time."""
    chunk_dates = extract_dates(unicodedata.normalize("NFKC", chunk_text).translate(_QUOTE_MAP))
    return (
        normalize_text(chunk_text),
        tuple(chunk_dates),
        frozenset(_chunk_number_values(chunk_text)),
    )


def check_grounding(answer: str, chunk_text: str) -> GroundingResult:
    """Every number, date and quoted span of `answer` must occur in `chunk_text`."""
    issues: list[str] = []
    answer = answer or ""
    chunk_text = chunk_text or ""
    norm_answer_source = unicodedata.normalize("NFKC", answer).translate(_QUOTE_MAP)
    norm_chunk, chunk_dates, chunk_numbers = _chunk_facts(chunk_text)
    for (start, end), readings in _date_matches(norm_answer_source):
        written = norm_answer_source[start:end]
        if _date_supported(readings, chunk_dates) or normalize_text(written) in norm_chunk:
            continue
        issues.append(f"date '{written}' not in chunk")

    seen: set[str] = set()
    for mention in _mentions(_mask_dates(norm_answer_source)):
        if mention.values & chunk_numbers:
            continue
        if mention.parts and all(part in chunk_numbers for part in mention.parts):
            continue
        written = mention.text.strip()
        if written not in seen:
            seen.add(written)
            issues.append(f"number '{written}' not in chunk")

    for span in _quoted_spans(answer):
        if not _span_in_chunk(span, norm_chunk):
            shown = span if len(span) <= 60 else span[:57] + "..."
            issues.append(f'quoted span "{shown}" not in chunk')

    return GroundingResult(ok=not issues, issues=issues)


_DOC_NOUNS = (
    r"(?:document|text|passage|article|paper|report|section|chapter|paragraph|excerpt|extract|"
    r"chunk|context|snippet|table|figure|page|source|material|content|manual|guide|handbook)s?"
)
_STANDALONE_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        # "according to the text, ..." / "... in the passage?" - the noun ends the phrase.
        re.compile(
            rf"\b(?:according to|based on|per|as per|from|in|within)\s+(?:the|this|that|"
            rf"these)\s+(?:given\s+|provided\s+|above\s+|following\s+|preceding\s+)?"
            rf"{_DOC_NOUNS}(?=\s*[,.?!;:)]|\s*$)",
            re.IGNORECASE,
        ),
        "refers to the source document",
    ),
    (
        re.compile(
            rf"\b(?:the|this) {_DOC_NOUNS}\s+(?:says?|states?|describes?|mentions?|"
            r"shows?|lists?|specif(?:y|ies)|indicates?|suggests?|claims?|notes?|defines?|"
            r"discuss(?:es)?|explains?|refers?)\b",
            re.IGNORECASE,
        ),
        "refers to the source document",
    ),
    (
        re.compile(
            rf"\b(?:this|these|the (?:given|provided|above|following|preceding|"
            rf"previous|current))\s+{_DOC_NOUNS}\b",
            re.IGNORECASE,
        ),
        "refers to the source document",
    ),
    (
        re.compile(r"\bthe (?:above|following|aforementioned|foregoing)\b", re.IGNORECASE),
        "refers to surrounding text ('the above'/'the following')",
    ),
    (
        re.compile(
            r"\b(?:mentioned|described|discussed|stated|shown|listed|presented|given|"
            r"defined|cited|noted|outlined)\s+(?:here|above|below|earlier|previously|before)\b",
            re.IGNORECASE,
        ),
        "refers to surrounding text ('mentioned here/above')",
    ),
    (
        re.compile(r"\b(?:above|below)[- ](?:mentioned|described|listed)\b", re.IGNORECASE),
        "refers to surrounding text ('above-mentioned')",
    ),
    (
        re.compile(r"\bthe (?:author|authors|writer|writers|narrator|speaker)\b", re.IGNORECASE),
        "refers to the author of the document",
    ),
    (
        re.compile(
            r"^\s*(?:it|they|this|that|these|those|he|she|its|their|his|her|them)\b", re.IGNORECASE
        ),
        "starts with a dangling pronoun",
    ),
    (
        re.compile(
            r"^\s*(?:what|why|how|when|where|who|which|whom)(?:\s+\w+ly)?\s+(?:is|are|was|"
            r"were|does|do|did|can|could|should|would|will|has|have|had|must|might|may)"
            r"\s+(?:it|they|this|that|these|those|he|she|them)\b(?!\s+(?:of|which|who)\b)",
            re.IGNORECASE,
        ),
        "asks about a dangling pronoun",
    ),
    (
        re.compile(
            r"\b(?:of|among|between|from)\s+(?:these|those|them)\b"
            r"(?!\s+\w+\s+(?:that|which|who)\b)",
            re.IGNORECASE,
        ),
        "refers to items the question does not name",
    ),
    (
        re.compile(
            r"\b(?:the|this|that) (?:previous|next|last|same) (?:one|item|point|step|row)\b",
            re.IGNORECASE,
        ),
        "refers to a neighbouring item",
    ),
]


def standalone_issues(question: str) -> list[str]:
    """Reasons `question` would not make sense without the document; empty when standalone."""
    question = (question or "").strip()
    if not question:
        return ["question is empty"]
    text = unicodedata.normalize("NFKC", question).translate(_QUOTE_MAP)
    issues: list[str] = []
    reasons: set[str] = set()
    for pattern, reason in _STANDALONE_RULES:
        match = pattern.search(text)
        if match and reason not in reasons:
            reasons.add(reason)
            issues.append(f"{reason}: '{match.group(0).strip()}'")
    return issues
