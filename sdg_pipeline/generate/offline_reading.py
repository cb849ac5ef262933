"""How the offline generator reads a chunk: its blocks, sections, sentences and plain words.

A block knows the section it lies in (the nearest heading above it in the chunk, else the
chunk's `heading_path[-1]`); sentences come from paragraphs and list items only, cleaned of
inline Markdown, with their verbatim text kept as evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sdg_pipeline.text import leaf_blocks, sentence_spans

MAX_ANSWER_WORDS = 90


@dataclass
class ChunkBlock:
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


def parse_chunk_blocks(text: str, inherited_heading: str | None) -> list[ChunkBlock]:
    """The chunk's leaf blocks, each under its section; HTML comments are left out."""
    blocks: list[ChunkBlock] = []
    heading = inherited_heading
    for leaf in leaf_blocks(text):
        raw = text[leaf.start : leaf.end]
        if leaf.kind == "heading":
            heading = clean_inline(leaf.title) or heading
            blocks.append(ChunkBlock("heading", raw, leaf.start, heading, leaf.level))
        elif leaf.kind == "html" and _COMMENT.fullmatch(raw.strip()):
            continue
        else:
            blocks.append(
                ChunkBlock(_BLOCK_KINDS.get(leaf.kind, "other"), raw, leaf.start, heading)
            )
    return blocks


# An earnings call's "### Salil Parekh" and "### Moderator" open every turn, a manual's
# "Syntax" every command's page (read 24: "What does Infosys ... say about Salil Parekh?"
# answered by his remarks on BP): a heading the document sets this often is a speaker's or a
# page's label, no one topic a question could ask about.
RECURRING_HEADING_TIMES = 3


def recurring_headings(
    texts: Iterable[str], times: int = RECURRING_HEADING_TIMES
) -> frozenset[str]:
    """The headings (as blocks name them) set `times` or more over one document's chunks."""
    # (a line scan, not a Markdown parse: this runs over every chunk of every document before
    # the chunks are read one by one)
    counts: Counter[str] = Counter()
    for text in texts:
        for found in _ATX_HEADING.finditer(text):
            if title := clean_inline(found.group(1)):
                counts[title] += 1
    return frozenset(title for title, count in counts.items() if count >= times)


_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)


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


def clean_inline(text: str) -> str:
    """Plain text of a Markdown fragment: no emphasis, links, pipes, heading marks or tags."""
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


def _strip_list_marker(text: str) -> str:
    return _LIST_MARKER.sub("", text, count=1)


_SECTION_NUMBER = re.compile(r"^(?:(?:chapter|section|part)\s+)?\d+(?:\.\d+)*\.?\s+", re.I)
TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_ONLY = re.compile(
    rf"(?:(?:as (?:at|of) )?(?:{_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTH},? \d{{4}}|"
    rf"{_MONTH},? \d{{4}}|(?:fiscal |fy ?)?\d{{4}}))",
    re.IGNORECASE,
)
# "Export Change Table Values for Field Transmit Numbers, continued", "... continued from page
# 21": a table or story carried over a page break keeps its heading's name, not the note
_CONTINUED = re.compile(
    r"[\s,;:–—-]*\bcont(?:inued|'d|\.)(?:\s+(?:from|on)\s+(?:page|p\.)\s*\d+)?\s*$", re.I
)


def question_topic(heading: str | None) -> str | None:
    """A heading as a noun phrase for a question: no numbering, no trailing parenthetical."""
    if not heading:
        return None
    text = _SECTION_NUMBER.sub("", clean_inline(heading))
    text = _CONTINUED.sub("", TRAILING_PAREN.sub("", text)).strip(" :.-")
    # "% Change", "$ Change", "£'000": a table's column header set as a heading, not a section
    if re.match(r"^[%$€£¥]", text):
        return None
    # "December 31, 2022", "31 March 2021": a table's period column set as a heading
    if _DATE_ONLY.fullmatch(text):
        return None
    if re.search(r"\b(?:Inc|Corp|Ltd|Co|Bhd|Pty)$", text):
        text += "."  # "Galaxy Gaming, Inc." keeps the full stop of its abbreviation
    if len(re.findall(r"[^\W\d_]{2,}", text)) == 0 or len(text) > 90:
        return None
    return text


def section_name(heading: str | None) -> str | None:
    """A heading that can stand inside a question ("in the context of X"): not itself a question,
    as FAQ headings are ("When do I get my laptop?")."""
    topic = question_topic(heading)
    return None if topic is None or topic.endswith("?") else topic


# --- sentences ----------------------------------------------------------------------------


@dataclass
class Sentence:
    text: str  # cleaned
    raw: str  # verbatim chunk span
    heading: str | None
    previous: Sentence | None = None  # sentence before it in the same block
    kind: str = "paragraph"  # kind of block it comes from
    block: int = 0  # identity of that block


def chunk_sentences(blocks: list[ChunkBlock]) -> list[Sentence]:
    out: list[Sentence] = []
    for block_index, block in enumerate(blocks):
        if block.kind not in ("paragraph", "list_item"):
            continue
        previous: Sentence | None = None
        for index, (start, end) in enumerate(sentence_spans(block.raw)):
            raw = block.raw[start:end]
            text = clean_inline(_strip_list_marker(raw) if index == 0 else raw)
            if len(words_of(text)) < 4:
                continue
            sentence = Sentence(text, raw, block.heading, previous, block.kind, block_index)
            out.append(sentence)
            previous = sentence
    return out


def words_of(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’.-][^\W_]+)*", text)


# --- candidates ---------------------------------------------------------------------------


@dataclass
class Candidate:
    question_type: str
    question: str
    answer: str
    evidence: str


@dataclass
class ChunkContext:
    text: str
    blocks: list[ChunkBlock]
    sentences: list[Sentence]
    # the document's subject (`chunk.subject`), as a question names it; None when not found
    subject: str | None
    lower_words: set[str] = field(default_factory=set)
    # the document's speaker and page labels (`recurring_headings`): no topic, no section
    recurring_headings: frozenset[str] = frozenset()
    # the chunk opens in the middle of the section its text before any heading belongs to
    continues_section: bool = False

    def section(self, heading: str | None) -> str | None:
        """`section_name` of a heading that is no recurring label."""
        return None if heading in self.recurring_headings else section_name(heading)
