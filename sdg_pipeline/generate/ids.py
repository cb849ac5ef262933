"""Stable identifiers for generated pairs."""

from __future__ import annotations

import hashlib
import re

_SPACES = re.compile(r"\s+")


def pair_id(chunk_id: str, question: str) -> str:
    """Short hash unique per (chunk, question); whitespace differences do not make a new id."""
    normalised = _SPACES.sub(" ", question or "").strip()
    digest = hashlib.sha256(f"{chunk_id}\x1f{normalised}".encode()).hexdigest()
    return digest[:20]
