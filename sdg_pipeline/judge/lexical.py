"""Offline judge: scores question/answer pairs against their chunk with lexical evidence only.

- faithfulness: share of the answer's content words (lower-cased, stopwords removed, lightly
  stemmed) that occur in the chunk; >= 0.9 supported, >= 0.5 partial, else unsupported;
- relevancy: how much of what the question asks about the answer takes up (content-word overlap;
  words of the chunk's heading path only place the question and count when nothing else is
  asked) and whether the answer has the shape the wh-word asks for ("How many" needs a number,
  "When" a date or time);
- standalone: 1 minus penalties for each `standalone_issues` finding;
- grounding: `check_grounding` (numbers, dates, quoted spans must occur in the chunk);
- pair checks: `pair_checks.pair_issues` (question form, junk template slots, data values used
  as column headers, fragment and pointer answers, layout artefacts, claim-level grounding) and
  repeated questions within the document, each failure named.

A pair passes when every score meets its threshold, grounding holds, no pair check fails and
generation did not fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sdg_pipeline.judge.grounding import (
    check_grounding,
    extract_dates,
    extract_numbers,
    standalone_issues,
)
from sdg_pipeline.judge.pair_checks import pair_issues, repeated_answers, repeated_questions
from sdg_pipeline.judge.words import TOKEN, content_tokens, stem
from sdg_pipeline.schemas import JUDGED_PAIRS, QA_PAIRS
from sdg_pipeline.text import heading_titles

JUDGE_NAME = "offline-lexical"
LEXICAL_JUDGE_VERSION = "lexical-v5"


@dataclass(frozen=True)
class JudgeThresholds:
    min_faithfulness: float = 0.8
    min_relevancy: float = 0.5
    min_standalone: float = 0.7


_QUESTION_WORDS = frozenset(
    """say says said state states stated specify specifies mean means meaning describe describes
    key point points context given value know known tell explain defined definition much many
    long kind type happen happens according document text passage section chapter article
    paper report excerpt""".split()  # noqa: SIM905
)
_QUESTION_STEMS = frozenset(stem(word) for word in _QUESTION_WORDS)


# --- scores -------------------------------------------------------------------------------


def faithfulness_score(answer: str, chunk_tokens: set[str]) -> float:
    tokens = content_tokens(answer)
    if not tokens:
        return 0.0
    return sum(1 for token in tokens if token in chunk_tokens) / len(tokens)


def faithfulness_label(score: float) -> str:
    if score >= 0.9:
        return "supported"
    if score >= 0.5:
        return "partial"
    return "unsupported"


_NUMBER_WORDS = re.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|million|billion|dozen|several|none|no)\b",
    re.IGNORECASE,
)
_TIME_WORDS = re.compile(
    # A bare unit ("each year") does not say when; a year, an era, a clock time or an anchor
    # ("before the first day") does.
    r"\b(?:\d{3,4}s?|century|centuries|decade|decades|ago|today|yesterday|tomorrow|morning|"
    r"evening|night|noon|midnight|before|after|during|until|since|\d{1,2}:\d{2}|[ap]\.?m\.?|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|autumn|fall|winter)\b",
    re.IGNORECASE,
)


_WHEN_QUESTION = re.compile(
    r"^(?:when|what (?:year|date|time|day|month|century|decade)|since when|in what year|"
    r"in which year)\b"
)


def _has_number(text: str) -> bool:
    return bool(extract_numbers(text) or extract_dates(text) or _NUMBER_WORDS.search(text))


def _shape(question: str, answer: str) -> tuple[float, str | None]:
    """1.0 when the answer has the form the question's wh-word asks for, else 0 and why."""
    q = question.strip().lower()
    if re.match(r"^(?:how (?:many|much|long|far|old|big|large|high|tall|often|fast|heavy)|"
                r"what (?:percentage|proportion|share|number|amount|fraction)|"
                r"at what (?:rate|speed|temperature))\b", q):  # fmt: skip
        if not _has_number(answer):
            return 0.0, "question asks for a quantity but the answer holds no number"
    elif _WHEN_QUESTION.match(q) and not (extract_dates(answer) or _TIME_WORDS.search(answer)):
        return 0.0, "question asks when but the answer holds no date or time"
    return 1.0, None


def relevancy_score(
    question: str, answer: str, heading_tokens: set[str]
) -> tuple[float, list[str]]:
    """(score, reasons): overlap of the question's content words with the answer, and shape."""
    reasons: list[str] = []
    asked = [t for t in dict.fromkeys(content_tokens(question)) if t not in _QUESTION_STEMS]
    answer_tokens = set(content_tokens(answer))
    if not answer_tokens:
        return 0.0, ["answer is empty"]
    # Words the chunk's heading path holds only place the question ("... in the context of
    # <section>"); the other words are what it asks about, and the answer must take those up.
    focus = [t for t in asked if t not in heading_tokens]
    placing = [t for t in asked if t in heading_tokens]
    if focus:
        coverage = sum(1 for t in focus if t in answer_tokens) / len(focus)
    elif placing:
        # A question about a section as a whole ("key points about <heading>") is answered by
        # that section's text, which need not repeat the heading.
        coverage = 0.5 + 0.5 * sum(1 for t in placing if t in answer_tokens) / len(placing)
    else:
        coverage = 0.0
        reasons.append("question names nothing the answer could address")
    shape, why = _shape(question, answer)
    score = 0.75 * coverage + 0.25 * shape
    if why:
        reasons.append(why)
        score = min(score, 0.3)
    if _normal(question).rstrip("?") == _normal(answer).rstrip("."):
        reasons.append("answer repeats the question")
        score = 0.0
    elif coverage < 0.5:
        reasons.append(f"answer addresses little of the question (overlap {coverage:.2f})")
    return round(score, 4), reasons


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().lower())


def standalone_score(question: str) -> tuple[float, list[str]]:
    issues = list(standalone_issues(question))
    penalty = 0.5 * len(issues)
    text = (question or "").strip()
    if text and not text.endswith("?"):
        issues.append("question does not end with '?'")
        penalty += 0.2
    if text and len(TOKEN.findall(text)) < 3:
        issues.append("question is too short to stand alone")
        penalty += 0.3
    return max(0.0, 1.0 - penalty), issues


# --- judging ------------------------------------------------------------------------------


@dataclass
class _ChunkView:
    text: str
    tokens: set[str]
    heading_tokens: set[str]


def _chunk_views(chunks: pd.DataFrame) -> dict[str, _ChunkView]:
    views: dict[str, _ChunkView] = {}
    headings = chunks["heading_path"] if "heading_path" in chunks.columns else [None] * len(chunks)
    subjects = (
        chunks["document_subject"] if "document_subject" in chunks.columns else [None] * len(chunks)
    )
    for chunk_id, text, path, subject in zip(
        chunks["chunk_id"], chunks["text"], headings, subjects, strict=True
    ):
        text = text if isinstance(text, str) else ""
        path_text = " ".join(str(p) for p in path) if path is not None and len(path) else ""
        # The document's subject places a question as its headings do ("According to ...").
        path_text += " " + (subject if isinstance(subject, str) else "")
        # A chunk may span sections: its own headings place questions as the path does.
        path_text += " " + " ".join(heading_titles(text))
        views[chunk_id] = _ChunkView(
            text, set(content_tokens(text)), set(content_tokens(path_text))
        )
    return views


def _is_set(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and pd.isna(value):
        return False
    return bool(str(value).strip())


def _unjudged(grounding_issues: str, reasons: str) -> dict[str, Any]:
    """The verdict on a pair that could not be judged: failed, every score zero."""
    return {
        "faithfulness": 0.0,
        "faithfulness_label": "unsupported",
        "relevancy": 0.0,
        "standalone": 0.0,
        "grounding_ok": False,
        "grounding_issues": grounding_issues,
        "reasons": reasons,
        "passed": False,
    }


def _judge_row(
    question: str,
    answer: str,
    error: Any,
    view: _ChunkView | None,
    thresholds: JudgeThresholds,
    question_type: Any = None,
) -> dict[str, Any]:
    if _is_set(error):
        return _unjudged("not judged: generation failed", f"generation failed: {error}")
    question = question if isinstance(question, str) else ""
    answer = answer if isinstance(answer, str) else ""
    if view is None:
        return _unjudged(
            "chunk not found", "chunk not found: cannot check the answer against its source"
        )
    faithfulness = round(faithfulness_score(answer, view.tokens), 4)
    relevancy, relevancy_reasons = relevancy_score(question, answer, view.heading_tokens)
    standalone, standalone_reasons = standalone_score(question)
    grounding = check_grounding(answer, view.text)

    reasons: list[str] = []
    if not answer.strip():
        reasons.append("answer is empty")
    if faithfulness < thresholds.min_faithfulness:
        reasons.append(
            f"faithfulness {faithfulness:.2f} < {thresholds.min_faithfulness:.2f}: answer words "
            "missing from the chunk"
        )
    if relevancy < thresholds.min_relevancy:
        detail = "; ".join(relevancy_reasons) or "answer does not address the question"
        reasons.append(f"relevancy {relevancy:.2f} < {thresholds.min_relevancy:.2f}: {detail}")
    if standalone < thresholds.min_standalone:
        reasons.append(
            f"standalone {standalone:.2f} < {thresholds.min_standalone:.2f}: "
            + "; ".join(standalone_reasons)
        )
    if not grounding.ok:
        reasons.append("grounding: " + "; ".join(grounding.issues))
    qtype = question_type if isinstance(question_type, str) else None
    reasons.extend(pair_issues(question, answer, view.text, qtype))
    passed = not reasons
    if passed:
        reasons_text = (
            f"passed: faithfulness {faithfulness:.2f}, relevancy {relevancy:.2f}, "
            f"standalone {standalone:.2f}, grounded"
        )
    else:
        reasons_text = "; ".join(reasons)
    return {
        "faithfulness": faithfulness,
        "faithfulness_label": faithfulness_label(faithfulness),
        "relevancy": relevancy,
        "standalone": round(standalone, 4),
        "grounding_ok": grounding.ok,
        "grounding_issues": "; ".join(grounding.issues) or None,
        "reasons": reasons_text,
        "passed": passed,
    }


def judge_pairs_offline(
    pairs: pd.DataFrame,
    chunks: pd.DataFrame,
    thresholds: JudgeThresholds = JudgeThresholds(),
) -> pd.DataFrame:
    """Score every pair against its chunk; JUDGED_PAIRS columns, one row per input pair."""
    columns = JUDGED_PAIRS.names
    if pairs.empty:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    views = _chunk_views(chunks) if not chunks.empty else {}
    errors = pairs["error"] if "error" in pairs.columns else [None] * len(pairs)
    types = pairs["question_type"] if "question_type" in pairs.columns else [None] * len(pairs)
    verdicts = [
        _judge_row(question, answer, error, views.get(chunk_id), thresholds, qtype)
        for question, answer, error, chunk_id, qtype in zip(
            pairs["question"], pairs["answer"], errors, pairs["chunk_id"], types, strict=True
        )
    ]
    keys = pairs["document_key"] if "document_key" in pairs.columns else [""] * len(pairs)
    answers = repeated_answers(keys, pairs["chunk_id"], pairs["answer"])
    questions = repeated_questions(keys, pairs["question"])
    for verdict, again, answered in zip(verdicts, questions, answers, strict=True):
        if again and verdict["passed"]:
            verdict["passed"] = False
            verdict["reasons"] = "repeated_question: asked before about this document"
        elif answered and verdict["passed"]:
            verdict["passed"] = False
            verdict["reasons"] = f"repeated_answer: {answered}"
    judged = pairs.reindex(columns=QA_PAIRS.names).reset_index(drop=True)
    verdict_frame = pd.DataFrame(verdicts)
    for name in verdict_frame.columns:
        judged[name] = verdict_frame[name]
    judged["judge"] = JUDGE_NAME
    judged["judge_model"] = None
    judged["judge_prompt_version"] = LEXICAL_JUDGE_VERSION
    judged["judge_error"] = None
    judged["faithfulness"] = judged["faithfulness"].astype("float64")
    judged["relevancy"] = judged["relevancy"].astype("float64")
    judged["standalone"] = judged["standalone"].astype("float64")
    judged["grounding_ok"] = judged["grounding_ok"].astype(bool)
    judged["passed"] = judged["passed"].astype(bool)
    return judged[columns]
