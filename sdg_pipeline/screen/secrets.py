"""Secrets in document text: detect-secrets' detectors plus credential assignments.

detect-secrets' entropy detectors flag ordinary prose when fed single lines, so only its
pattern detectors run; its keyword detector misses YAML-style `api_token: value`, which the
assignment rule below covers.
"""

from __future__ import annotations

import re
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


def find_secrets(text: str) -> list[str]:
    """Kinds of secret found in `text` (e.g. "AWS Access Key", "credential assignment")."""
    found: list[str] = []
    if _ASSIGNMENT.search(text):
        found.append("credential assignment")
    with transient_settings({"plugins_used": list(_plugins())}):
        for line in text.splitlines():
            if len(line) < 8:
                continue
            found.extend(secret.type for secret in scan_line(line))
    return sorted(set(found))
