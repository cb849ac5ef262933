"""Rendering one training example into the fine-tuning formats, and their structural checks.

Every single-turn row is first reduced to one exchange (system, user, assistant); the formats
only differ in how they spell it (multi-turn rows of a conversation recipe keep every turn, in
openai and sharegpt):
- openai:   {"messages": [{"role": "system"|"user"|"assistant", "content": ...}]}
- alpaca:   {"instruction", "input", "output", "system"} (system is "" when absent, so every
            line has the same keys and `datasets` infers one schema)
- sharegpt: {"conversations": [{"from": "system"|"human"|"gpt", "value": ...}]}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sdg_pipeline.export.chat_validation import validate_chat_line
from sdg_pipeline.tokens import count_tokens

# Chunk + question -> answer, in the spirit of InstructLab's knowledge recipes: the model
# learns to answer from a passage it is shown.
CONTEXT_PROMPT = (
    "Answer the question using the document excerpt below.\n\n"
    "Document excerpt:\n{context}\n\nQuestion: {question}"
)
CONTEXT_PROMPT_TOKENS = count_tokens(CONTEXT_PROMPT.format(context="", question=""))


@dataclass(frozen=True)
class Exchange:
    system: str | None
    user: str
    assistant: str
    question: str
    context: str | None


def exchange_from_row(
    messages: list[Mapping] | None,
    question: str | None,
    answer: str | None,
    context: str | None,
    system_prompt: str | None,
    context_in_prompt: bool,
) -> Exchange:
    """The exchange a row stands for; the stored messages win over the plain columns."""
    system = user = assistant = None
    for message in messages or []:
        role, content = message.get("role"), message.get("content")
        if role == "system" and system is None:
            system = content
        elif role == "user":
            user = content
        elif role == "assistant":
            assistant = content
    question = question if question is not None else user
    user = user if user is not None else question
    assistant = assistant if assistant is not None else answer
    if system_prompt is not None:
        system = system_prompt
    if context_in_prompt and context:
        user = CONTEXT_PROMPT.format(context=context.strip(), question=(question or "").strip())
    return Exchange(
        system=system or None,
        user=user or "",
        assistant=assistant or "",
        question=question or "",
        context=context,
    )


def render(exchange: Exchange, fmt: str, context_in_prompt: bool) -> dict:
    if fmt == "openai":
        messages = (
            [] if exchange.system is None else [{"role": "system", "content": exchange.system}]
        )
        messages.append({"role": "user", "content": exchange.user})
        messages.append({"role": "assistant", "content": exchange.assistant})
        return {"messages": messages}
    if fmt == "alpaca":
        # Alpaca has a slot for the passage, so the question stays the instruction.
        with_context = context_in_prompt and exchange.context
        return {
            "instruction": exchange.question if with_context else exchange.user,
            "input": exchange.context.strip() if with_context else "",
            "output": exchange.assistant,
            "system": exchange.system or "",
        }
    if fmt == "sharegpt":
        turns = [] if exchange.system is None else [{"from": "system", "value": exchange.system}]
        turns.append({"from": "human", "value": exchange.user})
        turns.append({"from": "gpt", "value": exchange.assistant})
        return {"conversations": turns}
    raise ValueError(f"unknown format {fmt!r}")


def is_multi_turn(messages: list[Mapping] | None) -> bool:
    return sum(1 for m in messages or [] if m.get("role") == "user") > 1


def render_conversation(
    messages: list[Mapping],
    fmt: str,
    system_prompt: str | None,
    context: str | None,
    context_in_prompt: bool,
) -> dict:
    """A multi-turn row in `fmt`, every turn kept (openai and sharegpt; alpaca holds one
    exchange, so such a row is refused with a reason)."""
    system = next((m.get("content") for m in messages if m.get("role") == "system"), None)
    if system_prompt is not None:
        system = system_prompt
    turns = [(m.get("role"), m.get("content") or "") for m in messages if m.get("role") != "system"]
    if context_in_prompt and context and turns:
        turns[0] = ("user", CONTEXT_PROMPT.format(context=context.strip(), question=turns[0][1]))
    if fmt == "openai":
        head = [] if not system else [{"role": "system", "content": system}]
        return {"messages": head + [{"role": r, "content": c} for r, c in turns]}
    if fmt == "sharegpt":
        head = [] if not system else [{"from": "system", "value": system}]
        names = {"user": "human", "assistant": "gpt"}
        return {"conversations": head + [{"from": names[r], "value": c} for r, c in turns]}
    raise ValueError(
        f"format {fmt!r} holds one exchange per line; a multi-turn conversation needs openai "
        "or sharegpt"
    )


def _nonempty_str(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def validate_alpaca_line(obj: object) -> list[str]:
    if not isinstance(obj, Mapping):
        return ["example must be a JSON object"]
    problems = [f"missing key {k}" for k in ("instruction", "input", "output") if k not in obj]
    for key in ("instruction", "output"):
        if key in obj and not _nonempty_str(obj[key]):
            problems.append(f"{key} must be a non-empty string")
    for key in ("input", "system"):
        if key in obj and not isinstance(obj[key], str):
            problems.append(f"{key} must be a string")
    return problems


def validate_sharegpt_line(obj: object) -> list[str]:
    if not isinstance(obj, Mapping):
        return ["example must be a JSON object"]
    turns = obj.get("conversations")
    if not isinstance(turns, list) or not turns:
        return ["conversations must be a non-empty list"]
    problems: list[str] = []
    roles = []
    for i, turn in enumerate(turns):
        if not isinstance(turn, Mapping) or set(turn) != {"from", "value"}:
            problems.append(f"conversations[{i}] must have exactly `from` and `value`")
            continue
        if turn["from"] not in ("system", "human", "gpt"):
            problems.append(f"conversations[{i}] unknown from {turn['from']!r}")
        if not _nonempty_str(turn["value"]):
            problems.append(f"conversations[{i}] value must be a non-empty string")
        roles.append(turn["from"])
    body = roles[1:] if roles and roles[0] == "system" else roles
    # LLaMA-Factory and Axolotl expect strict human/gpt alternation ending with the answer.
    expected = ["human", "gpt"] * (len(body) // 2 + 1)
    if not body or body != expected[: len(body)] or body[-1] != "gpt":
        problems.append(
            "turns must alternate human/gpt (after an optional system) and end with gpt"
        )
    return problems


def validate_line(obj: object, fmt: str) -> list[str]:
    if fmt == "openai":
        return validate_chat_line(obj)
    if fmt == "alpaca":
        return validate_alpaca_line(obj)
    if fmt == "sharegpt":
        return validate_sharegpt_line(obj)
    raise ValueError(f"unknown format {fmt!r}")
