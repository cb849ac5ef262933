"""Personal data in text: found, and replaced by a placeholder naming its kind."""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
# International or national numbers with at least 9 digits in groups: not years or amounts.
_PHONE = re.compile(
    r"(?<![\w.])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){2,4}(?![\w.])"
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b")
_CARD = re.compile(r"\b(?:\d[ -]?){13,19}\b")

KINDS = ("email", "phone", "iban", "card")


@dataclass(frozen=True)
class PiiPolicy:
    """Which kinds are redacted; others pass untouched."""

    kinds: tuple[str, ...] = KINDS


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _is_card(match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", match.group())
    return 13 <= len(digits) <= 19 and _luhn(digits)


def _is_phone(match: re.Match[str]) -> bool:
    return len(re.sub(r"\D", "", match.group())) >= 9


def redact_pii(text: str, policy: PiiPolicy = PiiPolicy()) -> tuple[str, list[str]]:
    """(text with each finding replaced by `[KIND]`, kinds found)."""
    found: list[str] = []

    def sub(kind: str, pattern: re.Pattern[str], text: str, keep=None) -> str:
        if kind not in policy.kinds:
            return text

        def replace(match: re.Match[str]) -> str:
            if keep is not None and not keep(match):
                return match.group()
            found.append(kind)
            return f"[{kind.upper()}]"

        return pattern.sub(replace, text)

    text = sub("email", _EMAIL, text)
    text = sub("iban", _IBAN, text)
    text = sub("card", _CARD, text, _is_card)
    text = sub("phone", _PHONE, text, _is_phone)
    return text, sorted(set(found))
