"""Per-row verdicts on training examples: chat-format problems and an exact-duplicate digest.

The format rules are the export's (`validate_chat_line`, OpenAI's fine-tuning guide, and
`validate_line` for the other output formats), so the check and the writer cannot disagree. The
check adds what a training example needs on top: the assistant speaks last, after a user.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from sdg_pipeline.export.chat_validation import chat_token_count, validate_chat_line
from sdg_pipeline.export.formats import validate_line
from sdg_pipeline.tokens import count_tokens


def as_message_list(messages: Any) -> list[Any] | None:
    """Messages as a Python list, whatever container Parquet/pandas handed over; None if not."""
    if isinstance(messages, str):
        try:
            messages = json.loads(messages)
        except json.JSONDecodeError:
            return None
    if isinstance(messages, np.ndarray):
        # pyarrow turns list<struct> into an object ndarray of dicts
        return list(messages)
    if isinstance(messages, (list, tuple)):
        return list(messages)
    return None


def _turn_problems(items: list[Any]) -> list[str]:
    roles = [m.get("role") for m in items if isinstance(m, Mapping)]
    problems = []
    if "user" not in roles:
        problems.append("no_user_message: nothing asks the question")
    if roles and roles[-1] != "assistant":
        problems.append(f"assistant_not_last: last message is {roles[-1]!r}")
    return problems


def chat_format_error(messages: Any) -> str | None:
    """None when `messages` is a valid chat example, else its problems in one line."""
    items = as_message_list(messages)
    if items is None:
        return f"messages is not a list ({type(messages).__name__})"
    problems = validate_chat_line({"messages": items})
    if items and not problems:
        problems = _turn_problems(items)
    return "; ".join(problems) or None


def line_format_error(line: Any, fmt: str = "openai") -> str | None:
    """None when an exported JSONL line is valid in `fmt`, else its problems in one line."""
    if isinstance(line, (str, bytes, bytearray)):
        try:
            line = json.loads(line)
        except ValueError as err:
            return f"line is not valid JSON: {err}"
    if fmt == "openai":
        messages = line.get("messages") if isinstance(line, Mapping) else None
        problems = validate_chat_line(line)
        if not problems and isinstance(messages, list):
            problems = _turn_problems(messages)
        return "; ".join(problems) or None
    return "; ".join(validate_line(line, fmt)) or None


def messages_fingerprint(messages: Any) -> str | None:
    """Digest of roles and contents: equal digests are exact duplicate examples."""
    items = as_message_list(messages)
    if items is None:
        return None
    canonical = [
        [m.get("role"), m.get("content")] if isinstance(m, Mapping) else [None, repr(m)]
        for m in items
    ]
    return _digest(canonical)


def line_fingerprint(line: Any) -> str | None:
    """Digest of an exported line's content, insensitive to key order and JSON spacing."""
    if isinstance(line, (str, bytes, bytearray)):
        try:
            line = json.loads(line)
        except ValueError:
            return hashlib.sha256(
                bytes(line, "utf-8") if isinstance(line, str) else line
            ).hexdigest()
    return _digest(line)


def messages_tokens(messages: Any) -> int:
    """Offline token estimate of an example, counted as the export counts it."""
    items = as_message_list(messages) or []
    return chat_token_count([m for m in items if isinstance(m, Mapping)])


def line_tokens(line: Any) -> int:
    """Token estimate of an exported line: every string value it holds."""
    if isinstance(line, (str, bytes, bytearray)):
        try:
            line = json.loads(line)
        except ValueError:
            return count_tokens(line if isinstance(line, str) else line.decode("utf-8", "replace"))
    if isinstance(line, Mapping) and isinstance(line.get("messages"), list):
        return messages_tokens(line["messages"])
    return sum(count_tokens(s) for s in _strings(line))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
