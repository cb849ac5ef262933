"""Validation of OpenAI chat fine-tuning lines.

Implements the format checks of OpenAI's fine-tuning data-preparation guide (the cookbook's
"Data preparation and analysis for chat model fine-tuning"): each line is an object with a
non-empty `messages` list; every message has `role` and `content`, no keys beyond role, content,
name, function_call and weight; roles are system, user, assistant or function; content is a
non-empty string unless a function call stands in for it; at least one assistant message. The
guide's `weight` rule (0 or 1, assistant messages only) and an optional token ceiling are checked
too. The expectation suites reuse this, so problems are plain sentences naming the message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from sdg_pipeline.tokens import count_tokens

ALLOWED_ROLES = ("system", "user", "assistant", "function")
ALLOWED_MESSAGE_KEYS = ("role", "content", "name", "function_call", "weight")
# OpenAI counts a few formatting tokens around every message and for the reply primer.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_REPLY = 3


def chat_token_count(messages: list[Mapping]) -> int:
    """Offline estimate of an example's tokens, laid out the way OpenAI's guide counts them."""
    total = TOKENS_PER_REPLY
    for message in messages:
        total += TOKENS_PER_MESSAGE
        for key in ("role", "content", "name"):
            value = message.get(key)
            if isinstance(value, str):
                total += count_tokens(value)
    return total


def validate_chat_line(obj: object, max_tokens: int | None = None) -> list[str]:
    """Problems of one fine-tuning example ([] when valid).

    `obj` is the parsed JSON object, or the raw line (str/bytes), which is parsed first.
    With `max_tokens`, examples longer than that (offline estimate) are reported too, because
    OpenAI truncates them silently.
    """
    if isinstance(obj, (str, bytes, bytearray)):
        try:
            obj = json.loads(obj)
        except ValueError as err:
            return [f"line is not valid JSON: {err}"]
    if not isinstance(obj, Mapping):
        return [f"data_type: example must be a JSON object, got {type(obj).__name__}"]
    messages = obj.get("messages")
    if not messages:
        return ["missing_messages_list: `messages` is missing or empty"]
    if not isinstance(messages, list):
        return [f"missing_messages_list: `messages` must be a list, got {type(messages).__name__}"]

    problems: list[str] = []
    for i, message in enumerate(messages):
        where = f"messages[{i}]"
        if not isinstance(message, Mapping):
            problems.append(f"data_type: {where} must be an object")
            continue
        missing = [k for k in ("role", "content") if k not in message]
        if missing:
            problems.append(f"message_missing_key: {where} lacks {', '.join(missing)}")
        unknown = sorted(str(k) for k in message if k not in ALLOWED_MESSAGE_KEYS)
        if unknown:
            problems.append(f"message_unrecognized_key: {where} has {', '.join(unknown)}")
        role = message.get("role")
        if role not in ALLOWED_ROLES:
            problems.append(f"unrecognized_role: {where} role {role!r}")
        content = message.get("content")
        function_call = message.get("function_call")
        if content is None and function_call:
            pass  # a function call may stand in for the content
        elif not isinstance(content, str) or not content.strip():
            problems.append(f"missing_content: {where} content must be a non-empty string")
        if "weight" in message:
            if role != "assistant":
                problems.append(f"invalid_weight: {where} weight is only allowed on assistant")
            elif message["weight"] not in (0, 1) or isinstance(message["weight"], bool):
                problems.append(f"invalid_weight: {where} weight must be 0 or 1")
    if not any(isinstance(m, Mapping) and m.get("role") == "assistant" for m in messages):
        problems.append("example_missing_assistant_message: no assistant message")
    if max_tokens is not None and not problems:
        tokens = chat_token_count(messages)
        if tokens > max_tokens:
            problems.append(f"too_long: about {tokens} tokens, limit {max_tokens}")
    return problems
