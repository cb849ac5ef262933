"""Near-duplicate detection: MinHash over word 3-gram shingles, LSH banding, numpy only.

Texts are lower-cased, punctuation becomes space, and words are split with pyarrow kernels;
only the distinct words of a batch are hashed in Python (blake2b, so results do not depend on
PYTHONHASHSEED). Shingle hashes, the permutations (multiply-shift hashing) and the per-row minima
are numpy array operations. Signatures are uint32, `num_perm` per row (64 -> 256 bytes a row).

Candidates come from LSH bands (rows agreeing on a whole band share a bucket); each candidate
is then verified by its estimated Jaccard similarity (share of equal signature slots) against the
threshold, and verified pairs are joined into clusters (connected components).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DEFAULT_NUM_PERM = 64
SHINGLE_WORDS = 3
_SENTINEL = np.uint64(0x9E3779B97F4A7C15)  # stands for "no word" past the end of short texts
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_BAND_MIX = np.uint64(0x94D049BB133111EB)
# Bounds the (shingles x permutations) matrix of one step to ~32 MiB.
_SHINGLES_PER_STEP = 65_536


_WORD_CACHE_LIMIT = 1_000_000  # ~100 MiB of cached words at most


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def _integral(y: np.ndarray, x: np.ndarray) -> float:
    # Trapezoid rule by hand: np.trapezoid is numpy>=2 only, np.trapz is gone in newer numpy.
    return float(((y[1:] + y[:-1]) * np.diff(x)).sum() / 2.0)


def lsh_params(
    threshold: float, num_perm: int, false_negative_weight: float = 0.9
) -> tuple[int, int]:
    """(bands, rows) minimising weighted false positives + false negatives around `threshold`.

    Same criterion as datasketch's MinHashLSH: integrate the probability of becoming a candidate
    below the threshold and of being missed above it. Misses weigh more here because every
    candidate is verified afterwards, so a false positive costs only a comparison.
    """
    xs = np.linspace(0.0, 1.0, 1001)
    best, best_err = (1, num_perm), np.inf
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            p = 1.0 - (1.0 - xs**rows) ** bands
            below, above = xs <= threshold, xs >= threshold
            fp = _integral(p[below], xs[below])
            fn = _integral(1.0 - p[above], xs[above])
            err = (1.0 - false_negative_weight) * fp + false_negative_weight * fn
            if err < best_err:
                best, best_err = (bands, rows), err
    return best


class MinHasher:
    def __init__(self, num_perm: int = DEFAULT_NUM_PERM, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        # Odd multipliers keep multiply-shift hashing a permutation of 64-bit values.
        self._a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
        self._b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        self._cache: dict[str, int] = {}
        self._buffer = np.empty((num_perm, 0), dtype=np.uint64)

    def _word_hashes(self, words: list[str]) -> np.ndarray:
        # Partitions of one corpus share most words: hash each distinct word once per build.
        cache = self._cache
        if len(cache) > _WORD_CACHE_LIMIT:
            cache.clear()
        values = [cache.get(w) for w in words]
        for i, value in enumerate(values):
            if value is None:
                values[i] = cache[words[i]] = _word_hash(words[i])
        return np.array(values, dtype=np.uint64)

    def signatures(self, texts: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """(len(texts), num_perm) uint32 MinHash signatures; null texts count as empty."""
        n = len(texts)
        if n == 0:
            return np.zeros((0, self.num_perm), dtype=np.uint32)
        cleaned = pc.replace_substring_regex(
            pc.utf8_lower(pc.fill_null(texts, "")), pattern=r"[^\p{L}\p{N}\s]+", replacement=" "
        )
        # Trim first: split yields empty words at leading/trailing whitespace.
        lists = pc.utf8_split_whitespace(pc.utf8_trim_whitespace(cleaned))
        if isinstance(lists, pa.ChunkedArray):
            lists = lists.combine_chunks()
        lengths = pc.fill_null(pc.list_value_length(lists), 0).to_numpy().astype(np.int64)
        flat = pc.list_flatten(lists)
        if len(flat):
            encoded = (
                pc.dictionary_encode(flat).combine_chunks()
                if isinstance(flat, pa.ChunkedArray)
                else pc.dictionary_encode(flat)
            )
            vocab = self._word_hashes(encoded.dictionary.to_pylist())
            words = vocab[encoded.indices.to_numpy()]
        else:
            words = np.zeros(0, dtype=np.uint64)
        words = np.append(words, _SENTINEL)  # index len(words)-1 is the sentinel

        starts = np.zeros(n, dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        per_row = np.maximum(lengths - SHINGLE_WORDS + 1, 1)  # short texts: one padded shingle
        row = np.repeat(np.arange(n), per_row)
        shingle_starts = np.zeros(n, dtype=np.int64)
        np.cumsum(per_row[:-1], out=shingle_starts[1:])
        pos = np.arange(len(row)) - shingle_starts[row]
        sentinel_index = len(words) - 1
        shingles = np.zeros(len(row), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for t in range(SHINGLE_WORDS):
                inside = pos + t < lengths[row]
                idx = np.where(inside, starts[row] + pos + t, sentinel_index)
                shingles = shingles * _MIX + words[idx]
            shingles ^= shingles >> np.uint64(31)
        return self._min_hash(shingles, shingle_starts, per_row)

    def _min_hash(
        self, shingles: np.ndarray, shingle_starts: np.ndarray, per_row: np.ndarray
    ) -> np.ndarray:
        n = len(per_row)
        out = np.empty((n, self.num_perm), dtype=np.uint32)
        ends = shingle_starts + per_row
        # Permutations x shingles, so every per-row minimum runs over contiguous memory:
        # reduceat along the last axis is several times faster than along the first.
        width = min(_SHINGLES_PER_STEP, len(shingles))
        if self._buffer.shape[1] < width:  # reused across calls: no 32 MiB allocation each
            self._buffer = np.empty((self.num_perm, width), dtype=np.uint64)
        buffer = self._buffer
        a, b = self._a[:, None], self._b[:, None]
        first = 0
        while first < n:
            # Take rows until the step holds enough shingles (always at least one row).
            limit = shingle_starts[first] + _SHINGLES_PER_STEP
            last = max(int(np.searchsorted(ends, limit, side="right")), first + 1)
            lo, hi = shingle_starts[first], ends[last - 1]
            if hi - lo > buffer.shape[1]:  # one row longer than a step
                buffer = self._buffer = np.empty((self.num_perm, hi - lo), dtype=np.uint64)
            hashed = buffer[:, : hi - lo]
            with np.errstate(over="ignore"):
                np.multiply(a, shingles[None, lo:hi], out=hashed)
                hashed += b
            hashed >>= np.uint64(32)
            minima = np.minimum.reduceat(hashed, shingle_starts[first:last] - lo, axis=1)
            out[first:last] = minima.T
            first = last
        return out


def _connected_components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Smallest row index of each row's component (label propagation + pointer jumping)."""
    labels = np.arange(n)
    if len(left) == 0:
        return labels
    while True:
        low = np.minimum(labels[left], labels[right])
        before = labels.copy()
        np.minimum.at(labels, left, low)
        np.minimum.at(labels, right, low)
        labels = labels[labels]
        if np.array_equal(labels, before):
            return labels


def near_duplicate_clusters(signatures: np.ndarray, threshold: float) -> tuple[np.ndarray, dict]:
    """Cluster label per row (rows sharing a label are near-duplicates) and LSH figures."""
    n, num_perm = signatures.shape
    bands, rows = lsh_params(threshold, num_perm)
    pairs: list[np.ndarray] = []
    for band in range(bands):
        part = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for col in range(rows):
                key = (key ^ part[:, col]) * _BAND_MIX
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        new_bucket = np.ones(n, dtype=bool)
        new_bucket[1:] = sorted_key[1:] != sorted_key[:-1]
        bucket_head = order[np.flatnonzero(new_bucket)][np.cumsum(new_bucket) - 1]
        members = ~new_bucket
        # Star pairs (bucket head, member) are enough to connect a bucket.
        pairs.append(np.stack([bucket_head[members], order[members]], axis=1))
    candidates = np.unique(np.concatenate(pairs), axis=0) if pairs else np.zeros((0, 2), int)
    left, right = candidates[:, 0], candidates[:, 1]
    similarity = np.empty(len(left))
    for lo in range(0, len(left), 100_000):  # bounded temporaries for heavily duplicated data
        hi = lo + 100_000
        similarity[lo:hi] = (signatures[left[lo:hi]] == signatures[right[lo:hi]]).mean(axis=1)
    verified = similarity >= threshold
    labels = _connected_components(n, left[verified], right[verified])
    info = {
        "num_perm": num_perm,
        "bands": bands,
        "rows_per_band": rows,
        "shingle": f"{SHINGLE_WORDS} words",
        "candidate_pairs": len(left),
        "verified_pairs": int(verified.sum()),
    }
    return labels, info
