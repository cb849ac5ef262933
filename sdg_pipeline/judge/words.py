"""Content words of a text, as both judges and the claim alignment compare them.

Lower-cased, stopwords removed, lightly stemmed, so "employees"/"employee" and
"receiving"/"receive" meet; numbers keep their digits without thousands separators.
"""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just may me might more most must my myself no nor not now of off on once only or
    other our ours ourselves out over own same shall she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself
    yourselves s t d ll m o re ve y whose upon via per within without""".split()  # noqa: SIM905
)
# Words a templated question uses to ask, not to name what it asks about.
TOKEN = re.compile(r"[^\W_]+(?:[.,]\d+)*", re.UNICODE)
_SUFFIXES = ("ations", "ation", "ments", "ment", "ness", "ing", "ed", "er", "ly")


def stem(word: str) -> str:
    """Light suffix stripping so "employees"/"employee" and "receiving"/"receive" meet."""
    if word[0].isdigit():
        return word.replace(",", "")
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def content_tokens(text: str) -> list[str]:
    """Lower-cased, stopword-free, lightly stemmed words of `text`, in order."""
    return [
        stem(token)
        for token in TOKEN.findall((text or "").lower())
        if token not in STOPWORDS and (len(token) > 1 or token.isdigit())
    ]
