"""A recipe's output filters: phrase rules, regexes and length bounds on the trained reply.

The reply checked is what the model will be trained to say: the restyled answer of a style
recipe, every assistant turn of a conversation, else the answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sdg_pipeline.recipes.models import Filters


def filter_reason(reply: str, filters: Filters) -> str | None:
    """The first rule `reply` breaks, as a short reason, or None when it keeps every one."""
    text = reply or ""
    folded = text.casefold()
    for phrase in filters.reject_phrases:
        if phrase.casefold() in folded:
            return f"contains {phrase!r}"
    for pattern in filters.reject_patterns:
        if re.search(pattern, text):
            return f"matches /{pattern}/"
    for pattern in filters.require_patterns:
        if not re.search(pattern, text):
            return f"does not match /{pattern}/"
    if filters.min_answer_chars is not None and len(text) < filters.min_answer_chars:
        return f"shorter than {filters.min_answer_chars} chars"
    if filters.max_answer_chars is not None and len(text) > filters.max_answer_chars:
        return f"longer than {filters.max_answer_chars} chars"
    return None


def first_failure(replies: Iterable[str], filters: Filters) -> str | None:
    for reply in replies:
        reason = filter_reason(reply, filters)
        if reason is not None:
            return reason
    return None


def count_reason(counts: Counter[str], reason: str) -> None:
    counts[f"filter: {reason}"] += 1
