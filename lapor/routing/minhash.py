"""Near-duplicate text by MinHash over character shingles of the normalised text.

Character 5-grams of the normalised, greeting-free text are robust to typos, reordering,
truncation and added greetings; 128 hash functions estimate the Jaccard similarity, and
32 bands of 4 rows give the keys an indexed table can look candidates up by."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from lapor.routing.text import STOPWORDS, normalise

PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS
SHINGLE = 5
DUPLICATE_AT = 0.5  # estimated Jaccard of shingle sets
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20260511)
_A = _rng.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)
_SIGNOFF = re.compile(r"\b(hormat kami|salam|wassalam|ttd)\b.*$")


def shingles(text: str) -> set[int]:
    words = [w for w in normalise(text).split() if w not in STOPWORDS]
    joined = _SIGNOFF.sub("", " ".join(words))
    grams = {joined[i : i + SHINGLE] for i in range(max(1, len(joined) - SHINGLE + 1))}
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest()) for g in grams}


def signature(text: str) -> np.ndarray:
    values = np.fromiter(shingles(text), dtype=np.uint64)
    if values.size == 0:
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        hashed = (values[:, None] * _A[None, :] + _B[None, :]) % np.uint64(_PRIME)
    result: np.ndarray = hashed.min(axis=0)
    return result


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def bands(sig: np.ndarray) -> list[int]:
    """One signed 63-bit key per band, for an indexed (band, key) lookup table."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest()) >> 1)
    return keys


def is_duplicate(text_a: str, text_b: str, *, threshold: float = DUPLICATE_AT) -> bool:
    return similarity(signature(text_a), signature(text_b)) >= threshold
