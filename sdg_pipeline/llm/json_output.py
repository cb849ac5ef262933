"""Tolerant parsing of a model's JSON reply.

Servers without structured output (or small models ignoring it) wrap JSON in prose or Markdown
fences, leave trailing commas, or get cut off by the token limit. The parser recovers what is
unambiguous and raises `MalformedOutput` otherwise, so the caller can re-ask the model instead of
guessing.
"""

from __future__ import annotations

import json
import re
from typing import Any

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


class MalformedOutput(ValueError):
    """The reply holds no usable JSON; the message says why, for the re-ask prompt."""


def _balanced_spans(text: str) -> list[str]:
    """Every top-level {...} or [...] span, scanning strings so braces in them don't count."""
    spans: list[str] = []
    depth = 0
    start = -1
    in_string = False
    escaped = False
    opener = ""
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"' and depth > 0:
            in_string = True
        elif ch in "{[":
            if depth == 0:
                start, opener = i, ch
            depth += 1
        elif ch in "}]" and depth > 0:
            depth -= 1
            if depth == 0 and (opener, ch) in (("{", "}"), ("[", "]")):
                spans.append(text[start : i + 1])
    return spans


def _loads(candidate: str) -> Any:
    try:
        return json.loads(candidate)
    except json.JSONDecodeError:
        # Trailing commas are the one repair that cannot change meaning.
        return json.loads(_TRAILING_COMMA.sub(r"\1", candidate))


def parse_json_reply(text: str | None) -> Any:
    """The JSON value in a model reply: the whole text, a fenced block, or the largest
    balanced object/array inside surrounding prose."""
    if text is None or not text.strip():
        raise MalformedOutput("the reply was empty")
    stripped = text.strip()
    candidates = [stripped]
    candidates += [m.group(1).strip() for m in _FENCE.finditer(stripped)]
    candidates += sorted(_balanced_spans(stripped), key=len, reverse=True)
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return _loads(candidate)
        except json.JSONDecodeError:
            continue
    if stripped.count("{") > stripped.count("}") or stripped.count("[") > stripped.count("]"):
        raise MalformedOutput("the JSON was cut off before it ended (reply too long)")
    raise MalformedOutput("the reply held no valid JSON object")


def parse_json_object(text: str | None, list_key: str) -> dict[str, Any]:
    """A JSON object holding `list_key`; a bare list is accepted as that list, since models
    often drop the wrapper object when the schema is not enforced."""
    value = parse_json_reply(text)
    if isinstance(value, list):
        return {list_key: value}
    if not isinstance(value, dict):
        raise MalformedOutput(f"expected a JSON object with a {list_key!r} list")
    if list_key not in value:
        # A single item without the wrapper, or the list under a differently named key.
        lists = [v for v in value.values() if isinstance(v, list)]
        if len(lists) == 1:
            return {list_key: lists[0]}
        raise MalformedOutput(f"the JSON object has no {list_key!r} list")
    if not isinstance(value[list_key], list):
        raise MalformedOutput(f"{list_key!r} must be a list")
    return value
