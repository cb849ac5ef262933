"""Train/validation split by document, stable when documents are added.

Rule: a document goes to validation when u(document_key) < validation_ratio, where u is the
first 8 bytes of blake2b("<seed>:<document_key>") read as a fraction of 2**64. The draw depends
only on the seed and the key, so adding or removing other documents never moves a document.

Guarantee: with at least two documents and 0 < ratio, each split gets a document. Only when the
hash rule puts every document on one side is one moved: the document with the smallest u goes
to validation (all were train), or the one with the largest u goes to train (all were
validation). A lone document always goes to train: a dataset with an empty train split cannot
be fine-tuned on, an empty validation split only means no held-out loss. These overrides are
the only exceptions to stability and are reported in the stats.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

TRAIN = "train"
VALIDATION = "validation"


def document_draw(document_key: str, seed: int) -> float:
    digest = hashlib.blake2b(f"{seed}:{document_key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def assign_splits(
    document_keys: Iterable[str], validation_ratio: float, seed: int
) -> tuple[dict[str, str], str | None]:
    """Split of every document, and the document moved by the guarantee (None if none was)."""
    draws = {key: document_draw(key, seed) for key in set(document_keys)}
    splits = {k: VALIDATION if u < validation_ratio else TRAIN for k, u in draws.items()}
    moved = None
    if len(draws) == 1 and VALIDATION in splits.values():
        moved = next(iter(draws))
        splits[moved] = TRAIN
    elif len(draws) >= 2 and validation_ratio > 0:
        sides = set(splits.values())
        if sides == {TRAIN}:
            moved = min(draws, key=lambda k: (draws[k], k))
            splits[moved] = VALIDATION
        elif sides == {VALIDATION}:
            moved = max(draws, key=lambda k: (draws[k], k))
            splits[moved] = TRAIN
    return splits, moved
