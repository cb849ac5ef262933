"""Markdown front matter: document metadata, never document content.

A `---` YAML block at the very start of a Markdown file holds titles, authors, and sometimes
tokens or internal labels; rendered as text it becomes chunks and then training data. It is cut
off before conversion and returned as a mapping for the document's metadata instead.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_BLOCK = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter mapping, the rest of the text); ({}, text) when there is none.

    A block that is not a YAML mapping is not front matter (a thematic break, say) and stays.
    """
    match = _BLOCK.match(text)
    if match is None:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    return {str(k): v for k, v in meta.items()}, text[match.end() :]


def strip_front_matter(data: bytes) -> tuple[dict[str, Any], bytes]:
    """Bytes variant for the converter; undecodable input is returned as it is."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}, data
    meta, body = split_front_matter(text)
    return (meta, body.encode("utf-8")) if meta else ({}, data)
