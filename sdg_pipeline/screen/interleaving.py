"""Text garbled by interleaved columns: faithful to the chunk, useless to train on.

When a multi-column page is read line by line across its columns, every line joins the end of
one column's line to the start of the other's: "Department of State or the Department be able
to choose to be treated as anot meet either of these tests, you may Exempt individual." Every
character is real, so the character-level checks of triage pass it, and any answer copied from
it is "supported" by the chunk. What gives it away, measured over the chunk's prose:

- broken flow: paragraphs that stop mid-phrase ("... the Simplified Method if (a) your annuity
  starting date was after") or restart mid-sentence ("set by your employer."), as a share of
  the chunk's paragraphs (list items, labels "a." and table rows aside);
- word salad: words glued across the column gap ("anot", "thesepurposes" cannot be seen, but
  "aStatements", "details.subject", "TaxComputation" can), function-word pairs English never
  writes ("is the of", "the and"), and capitalised words in the middle of a clause after a
  function word that a name does not follow ("you may Exempt"), per 100 words;
- sentence-less fragments: paragraphs of six words or more that hold no whole sentence, as a
  share of them (alone they also mark forms and lists of names, so they only count together
  with some broken flow and some salad).

The thresholds live in `InterleavingThresholds` (and in the pipeline settings).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from sdg_pipeline.text import leaf_blocks

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
# Words glued across the column gap: a lower-case run directly followed by a capitalised word
# ("aStatements", "yourunless" is invisible), or two words joined by a full stop.
_GLUED_CASE = re.compile(
    r"\b(?:[a-z]{2,}|a)[A-Z][a-z]{2,}\b|\b(?:If|The|This|These|For|And|Of|To|In|Is|Your|That)"
    r"[A-Z][a-z]{2,}\b"
)
_GLUED_STOP = re.compile(
    r"(?<![\w.@/])[a-z]{3,}\.[a-z]{3,}(?![\w.@/])(?<!\.com)(?<!\.org)(?<!\.gov)(?<!\.net)"
    r"(?<!\.edu)(?<!\.html)"
)
_DETERMINERS = frozenset({"the", "a", "an"})
_PREPOSITIONS = frozenset(
    """of in on at to for with by from into about over under than and or but as""".split()  # noqa: SIM905
)
_AUXILIARIES = frozenset(
    """is are was were be been has have had will would can may must""".split()  # noqa: SIM905
)
# A determiner followed by a preposition, conjunction or auxiliary, or a preposition followed by
# a preposition of another kind: pairs English does not write ("the of", "a the", "to of").
_SALAD_PAIRS = {
    (d, w) for d in _DETERMINERS for w in _PREPOSITIONS | _AUXILIARIES | _DETERMINERS
} | {("of", "of"), ("to", "of"), ("of", "to")}
_MODALS = frozenset(
    """may can must should could would might shall""".split()  # noqa: SIM905
)


_LIST_LABEL = re.compile(r"^\(?(?:[a-z]|[ivx]{1,4})[.)]\s")
_FUNCTION_WORDS = frozenset(
    """a an the of in on at to for with by from and or but as into about than that which who if
    when is are was were be been has have had do does not no your their its his her our this
    these""".split()  # noqa: SIM905
)
# A whole sentence: opens on a capital or digit, runs a few words, ends on terminal punctuation.
_WHOLE_SENTENCE = re.compile(r"(?:^|[.!?]\s)[\"'“(]?[A-Z0-9][^.!?]{8,}[.!?:;][\"'”)]*(?:\s|$)")


@dataclass(frozen=True)
class InterleavingThresholds:
    min_broken: int = 3  # paragraphs cut mid-sentence before the share counts
    max_broken_share: float = 0.4  # paragraphs that restart or stop mid-sentence
    min_salad: int = 2  # glued words and impossible pairs before their rate counts
    max_salad_per_100_words: float = 1.0
    max_fragment_share: float = 0.6  # paragraphs with no whole sentence (with some of both)


@dataclass(frozen=True)
class InterleavingSignals:
    paragraphs: int
    words: int
    broken: int  # paragraphs that restart mid-sentence or stop on a function word
    salad: int  # glued words and impossible word pairs
    fragments: int  # paragraphs of six words or more holding no whole sentence

    @property
    def broken_share(self) -> float:
        return self.broken / self.paragraphs if self.paragraphs else 0.0

    @property
    def salad_per_100_words(self) -> float:
        return 100 * self.salad / self.words if self.words else 0.0

    @property
    def fragment_share(self) -> float:
        return self.fragments / self.paragraphs if self.paragraphs else 0.0


def _paragraphs(text: str) -> list[str]:
    """The chunk's prose paragraphs, one line each. List items end without a stop by custom,
    bold lines are labels and table rows are cells, so none of them is prose here."""
    out = []
    for block in leaf_blocks(text):
        if block.kind != "paragraph":
            continue
        body = re.sub(r"\s+", " ", text[block.start : block.end]).strip()
        if not body or body.startswith("|") or (body.startswith("**") and body.endswith("**")):
            continue
        out.append(body)
    return out


def _broken(paragraph: str) -> bool:
    """Restarts mid-sentence ("set by your employer.") or stops mid-phrase ("... for no")."""
    opener = paragraph.lstrip("\"'“‘(")[:1]
    restarts = opener.islower() and not _LIST_LABEL.match(paragraph)
    last = paragraph.split()[-1].lower().strip(",")
    return restarts or last in _FUNCTION_WORDS


def word_salad(text: str) -> list[str]:
    """The glued words and impossible word pairs of `text` ("aStatements", "is the of")."""
    hits = _GLUED_CASE.findall(text) + _GLUED_STOP.findall(text)
    # As written: "Schedule A of" is a label, "a of" is salad.
    words = _WORD.findall(text)
    for before, word in itertools.pairwise(words):
        # "you may Exempt individual": a verb after a modal is never capitalised.
        capital_verb = before in _MODALS and word[:1].isupper() and word[1:].islower()
        if (before, word) in _SALAD_PAIRS or capital_verb:
            hits.append(f"{before} {word}")
    return hits


def interleaving_signals(text: str) -> InterleavingSignals:
    paragraphs = _paragraphs(text)
    return InterleavingSignals(
        paragraphs=len(paragraphs),
        words=sum(len(_WORD.findall(p)) for p in paragraphs),
        broken=sum(_broken(p) for p in paragraphs),
        salad=sum(len(word_salad(p)) for p in paragraphs),
        fragments=sum(
            len(p.split()) >= 6 and _WHOLE_SENTENCE.search(p) is None for p in paragraphs
        ),
    )


def interleaving_reason(
    text: str, limits: InterleavingThresholds = InterleavingThresholds()
) -> str | None:
    """Why this chunk reads as interleaved columns, or None."""
    s = interleaving_signals(text)
    if s.words < 30:
        return None
    if s.broken >= limits.min_broken and s.broken_share >= limits.max_broken_share:
        return f"{s.broken} of {s.paragraphs} paragraphs restart or stop mid-sentence"
    if s.salad >= limits.min_salad and s.salad_per_100_words >= limits.max_salad_per_100_words:
        return f"{s.salad} glued words or impossible word pairs in {s.words} words"
    if s.fragment_share >= limits.max_fragment_share and s.broken >= 2 and s.salad >= 1:
        return f"{s.fragments} of {s.paragraphs} paragraphs hold no whole sentence"
    return None


def shows_interleaving(text: str) -> bool:
    """Some sign of columns read across, too little to condemn a chunk on its own."""
    s = interleaving_signals(text)
    return s.words >= 30 and (s.broken >= 2 or s.salad >= 1)
