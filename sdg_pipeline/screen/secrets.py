"""Secrets in document text: detect-secrets' detectors plus credential assignments.

detect-secrets' entropy detectors flag ordinary prose when fed single lines, so only its
pattern detectors run; its keyword detector misses YAML-style `api_token: value`, which the
assignment rule below covers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.core.scan import scan_line
from detect_secrets.settings import transient_settings

# Not secrets in documents: public IPs are ordinary content; entropy needs file context.
_SKIPPED_DETECTORS = ("Entropy", "IPPublicDetector")
_ASSIGNMENT = re.compile(
    r"(?i)\b(api[_-]?(?:key|token)|access[_-]?(?:key|token)|auth[_-]?token|secret(?:[_-]?key)?"
    r"|client[_-]?secret|password|passwd|private[_-]?key|bearer)\b\s*[:=]\s*[\"']?"
    r"(?=[^\s\"']*[0-9_\-])[^\s\"']{6,}"
)


@cache
def _plugins() -> tuple[dict[str, str], ...]:
    classes = get_mapping_from_secret_type_to_class().values()
    return tuple(
        {"name": cls.__name__}
        for cls in classes
        if not any(skip in cls.__name__ for skip in _SKIPPED_DETECTORS)
    )


# A line's detections depend on the line alone (its scan has no file context), so each distinct
# line is scanned once: an example repeats its question and answer in its messages, and chunks
# of one publisher repeat their boilerplate. Bounded: cleared when full.
_LINE_CACHE: dict[str, tuple[str, ...]] = {}
_LINE_CACHE_LIMIT = 100_000
_MIN_LINE = 8


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if len(line) >= _MIN_LINE]


def scan_lines(texts: Iterable[str]) -> None:
    """Scan every line of `texts` not scanned yet, under one detect-secrets configuration.

    Entering detect-secrets' settings rebuilds its plugins (their patterns compiled again), so
    a batch of texts shares one: `find_secrets` of a text whose lines are all scanned needs none.
    """
    new = [line for text in texts for line in _lines(text) if line not in _LINE_CACHE]
    if not new:
        return
    if len(_LINE_CACHE) + len(new) > _LINE_CACHE_LIMIT:
        _LINE_CACHE.clear()
    with transient_settings({"plugins_used": list(_plugins())}):
        for line in dict.fromkeys(new):
            _LINE_CACHE[line] = tuple(secret.type for secret in scan_line(line))


def find_secrets(text: str) -> list[str]:
    """Kinds of secret found in `text` (e.g. "AWS Access Key", "credential assignment")."""
    found: set[str] = set()
    if _ASSIGNMENT.search(text):
        found.add("credential assignment")
    lines = _lines(text)
    if any(line not in _LINE_CACHE for line in lines):
        scan_lines([text])
    for line in lines:
        found.update(_LINE_CACHE.get(line) or ())
    return sorted(found)
