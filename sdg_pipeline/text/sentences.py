"""Sentences of prose, as exact offsets.

A sentence ends at . ! ? (or their CJK/Arabic forms and the ellipsis), closing quotes or
brackets, then white space, when what follows opens a sentence: a capital, a digit, or a letter
of a script without case, possibly behind an opening quote or bracket. A full stop after an
abbreviation ("e.g.", "Fig.", "Dr."), an initial ("J. Smith") or dotted letters ("U.S.") ends
none, and a decimal point ("3.5") never does, having no space after it.
"""

from __future__ import annotations

import itertools
import re

ABBREVIATIONS = frozenset(
    """e.g i.e etc vs no nos fig figs eq eqs dr mr mrs ms prof inc ltd co corp st approx al cf
    sec vol pp p jan feb mar apr jun jul aug sep sept oct nov dec u.s sr jr ref refs art para
    min max ca dept est
    chr messrs hon smt rev gen col lt capt sgt gov sen rep mt bros sdn pvt pte""".split()  # noqa: SIM905
)
# ("Ace Gases Marketing Sdn. Bhd." cut a Malaysian director's role at "Sdn.", read 36; "Pvt.
# Ltd.", "Pte. Ltd." likewise)
# ("Chr. Hansen" split Novo Holdings' "merger with Chr. Hansen (to form Novonesis) was
# completed" into "Hansen (to form Novonesis) was completed", read 25; "Smt." titles Indian
# directors as "Shri" does)
_BREAK = re.compile(r"(?<=[.!?…。؟！？])[\"'”’)\]]*\s+(?P<open>[\"'“‘(\[]?)(?P<next>\w)")
_WORD_BEFORE_STOP = re.compile(r"(?<![\w.])([^\W\d_]+(?:\.[^\W\d_]+)*)\.$")


def _opens_sentence(char: str) -> bool:
    return char.isdigit() or char.isupper() or (char.isalpha() and not char.islower())


def abbreviated(head: str) -> bool:
    """Whether the full stop ending `head` belongs to an abbreviation, not a sentence end."""
    match = _WORD_BEFORE_STOP.search(head)
    if match is None:
        return False
    word = match.group(1)
    if word.lower() in ABBREVIATIONS:
        return True
    # An initial or dotted initials: "J.", "e.g.", "U.S.", "a.k.a."
    return all(len(part) == 1 for part in word.split("."))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], without surrounding white space."""
    end = len(text) if end is None else end
    body = text[start:end]
    cuts = [0]
    for match in _BREAK.finditer(body):
        if not _opens_sentence(match.group("next")) or abbreviated(body[: match.start()]):
            continue
        cuts.append(match.start("open"))
    cuts.append(len(body))
    spans = []
    for a, b in itertools.pairwise(cuts):
        piece = body[a:b]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + a + lead, start + a + lead + len(stripped)))
    return spans
