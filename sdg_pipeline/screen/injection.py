"""Text addressed to a language model inside a document (prompt injection).

Documents are data. A sentence that tells "the model" or "the assistant" what to do, or markup
that imitates the prompt's own structure, is never training signal and may steer a judge, so the
chunk holding it is skipped before any request is sent.
"""

from __future__ import annotations

import re

_PATTERNS = [
    r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}"
    r"\b(?:previous|prior|above|earlier|all|any|the)\b[^.\n]{0,30}"
    r"\b(?:instructions?|prompts?|rules|directions)\b",
    r"\byou are (?:now |no longer )?(?:an? )?(?:[a-z]+ ){0,2}"
    r"(?:ai|assistant|chatbot|language model|llm|gpt|grader|judge)\b",
    r"\b(?:as|to) (?:the|an?) (?:ai|assistant|language model|llm|grader|judge)\b[^.\n]{0,40}"
    r"\b(?:must|should|will|answer|respond|say|reply|mark|rate)\b",
    r"\b(?:system|developer) (?:prompt|message|instructions?)\b",
    r"\b(?:respond|reply|answer) (?:only |always )?with\b[^.\n]{0,40}"
    r"\b(?:yes|supported|true|json|score)\b",
    r"\b(?:mark|rate|grade|judge) (?:this|these|every|all)\b[^.\n]{0,30}"
    r"\b(?:supported|correct|faithful|5|five)\b",
    r"</?(?:source|pair|system|assistant|user|instructions?)\b[^>]*>",
    r"\[/?(?:INST|SYS)\]|<\|(?:im_start|im_end|system|user|assistant)\|>",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.I)


def find_injection(text: str) -> str | None:
    """The first phrase that addresses a model, or None."""
    match = _INJECTION.search(text)
    return " ".join(match.group().split())[:80] if match else None
