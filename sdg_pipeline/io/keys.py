"""The one function that derives partition keys from a file name and its content.

A key names one *version* of one document: a readable slug of the file name plus the first 12 hex
digits of the content's sha256. The same bytes always give the same key (re-runs resume and the
response cache hits), edited content gives a new key (the old version's rows leave the dataset when
its partition is deleted), and two different files that share a name never collide.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import PurePosixPath

HASH_CHARS = 12
MAX_SLUG_CHARS = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def slugify_file_name(file_name: str) -> str:
    """ASCII slug of the file's stem: no separators, dots or characters Dagster rejects."""
    # Separators of either OS are cut first so "../x.pdf" and "a\\b.pdf" keep only the base name.
    base = PurePosixPath(file_name.replace("\\", "/")).name
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_stem.lower()).strip("-")
    return slug[:MAX_SLUG_CHARS].rstrip("-") or "document"


def document_key(file_name: str, sha256_hex: str) -> str:
    """Partition key for one version of a document."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256_hex):
        raise ValueError(f"expected a sha256 hex digest, got {sha256_hex!r}")
    return f"{slugify_file_name(file_name)}-{sha256_hex[:HASH_CHARS]}"


def key_hash_prefix(key: str) -> str:
    """The content-hash prefix a key ends with (used to check a stored document matches its key)."""
    return key.rsplit("-", 1)[-1]
