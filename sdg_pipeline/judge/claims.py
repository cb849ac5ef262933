"""Claim-level grounding: every sentence of an answer must be supported by a span of the chunk.

`check_grounding` catches invented numbers, dates and quotes; this catches invented or reversed
claims in words ("Yes, the warranty covers water damage for life." against "Water damage is not
covered."). Each answer sentence is aligned with its best window of the chunk (a sentence or
two of prose, or a table row under its header row) and must

- share most of its content words with that window (`min_support`), and
- keep its polarity: an answer that drops the window's negation, or adds one, contradicts it.

Sentences that address a model (`screen.injection`) are no support: an injected claim cannot
ground an answer that repeats it. Alignment is lexical, so a faithful paraphrase with other
words fails; the gate prefers losing such a pair to letting a contradiction through.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from sdg_pipeline.judge.words import content_tokens
from sdg_pipeline.screen.injection import find_injection
from sdg_pipeline.text import sentence_spans

MIN_SUPPORT = 0.67

# Words that reverse a claim. "no" as a determiner ("no fee") counts; "No." as a reply does not,
# and is stripped with "yes" as an answer's opening.
_NEGATION = re.compile(  # "No. 6" and "Vr.No" (number) are no negation
    r"\b(?:(?i:not|never|none|neither|nor|without|cannot|can't|won't|isn't|aren't|wasn't|"
    r"weren't|doesn't|don't|didn't|hasn't|haven't|excluded|excludes|excluding|except|void)|"
    r"(?<![.\w])[Nn]o(?=\s+[a-z]))\b"
)
_REPLY_OPENING = re.compile(r"^\s*(?:yes|no)[,.!]\s*", re.IGNORECASE)
_TABLE_ROW = re.compile(r"^\s*\|")
_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class ClaimIssue:
    sentence: str
    support: float
    why: str

    def __str__(self) -> str:
        shown = self.sentence if len(self.sentence) <= 70 else self.sentence[:67] + "..."
        return f"claim '{shown}' {self.why}"


def _first_cell(line: str | None) -> str:
    return (line or "").strip().strip("|").split("|", 1)[0].strip()


def _windows(chunk_text: str) -> list[str]:
    """Spans an answer sentence may rest on: each prose sentence and each two neighbours, and
    each table row joined with the header row above its separator."""
    windows: list[str] = []
    prose: list[str] = []
    header: str | None = None
    previous_line: str | None = None
    for line in chunk_text.splitlines():
        if _TABLE_ROW.match(line):
            if _SEPARATOR_ROW.match(line):
                header = previous_line
            elif header is not None:
                if _first_cell(line) == _first_cell(header):
                    # Docling repeats a multi-level header as a body row: it names columns too.
                    header = f"{header} {line}"
                windows.append(f"{header} {line}")
            else:
                windows.append(line)
            previous_line = line
            continue
        header = None
        previous_line = line
        prose.append(line)
    text = "\n".join(prose)
    sentences = [text[start:end] for start, end in sentence_spans(text)]
    sentences = [s for s in sentences if not find_injection(s)]
    windows.extend(sentences)
    windows.extend(f"{a} {b}" for a, b in itertools.pairwise(sentences))
    return windows


@functools.lru_cache(maxsize=64)
def _token_windows(chunk_text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The chunk's windows with their content tokens, once per chunk (its pairs share them)."""
    return tuple((w, frozenset(content_tokens(w))) for w in _windows(chunk_text))


def _answer_claims(answer: str) -> list[str]:
    lines = [line for line in answer.splitlines() if line.strip()]
    claims: list[str] = []
    for line in lines:
        claims.extend(line[start:end].strip() for start, end in sentence_spans(line))
    return [c for c in claims if c]


def claim_issues(
    answer: str, chunk_text: str, min_support: float = MIN_SUPPORT
) -> list[ClaimIssue]:
    """The answer's sentences that no window of the chunk supports; empty when all are."""
    windows = _token_windows(chunk_text or "")
    issues: list[ClaimIssue] = []
    for claim in _answer_claims(answer or ""):
        body = _REPLY_OPENING.sub("", claim)
        tokens = set(content_tokens(body))
        if not tokens:
            continue
        scored = [(len(tokens & wt) / len(tokens), w) for w, wt in windows]
        best_support = max((support for support, _ in scored), default=0.0)
        if best_support < min_support:
            why = f"has no supporting span in the chunk (best overlap {best_support:.2f})"
            issues.append(ClaimIssue(claim, best_support, why))
            continue
        # Of the spans that support it, one must say it the same way round.
        negated = bool(_NEGATION.search(body))
        close = [w for support, w in scored if support >= min_support]
        if not any(bool(_NEGATION.search(w)) == negated for w in close):
            why = "reverses the polarity of its span in the chunk"
            issues.append(ClaimIssue(claim, best_support, why))
    return issues
