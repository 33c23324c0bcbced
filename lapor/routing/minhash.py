"""Near-duplicate text by MinHash over character shingles of the normalised text.

Character 5-grams of the normalised text (greetings, sign-offs, stop words, phone numbers and
links removed, slang expanded) are robust to typos, reordering, truncation and added greetings;
128 hash functions estimate the Jaccard similarity, and 42 bands of 3 rows give the keys an
indexed table can look candidates up by."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from lapor.routing.text import STOPWORDS, normalise

SCHEME = 4  # bump when anything below changes: stored signatures of another scheme are redone
PERMUTATIONS = 128
SIGNATURE_TYPE = np.uint32  # the low 32 bits of each minimum: 512 bytes a signature
BANDS = 42  # 42 bands of 3 rows (126 of the 128 values): a pair at Jaccard 0.35 shares a
ROWS = 3  # band with probability 0.84, at 0.5 with 0.996, at 0.1 with 0.04
SHINGLE = 5
DUPLICATE_AT = 0.35  # estimated Jaccard of shingle sets (chosen on the dev half, bench/README.md)
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20260511)
_A = _rng.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)
# A sign-off and what follows it (name, RT/RW, phone) say nothing about the problem.
_SIGNOFF = re.compile(
    r"\b(terima\s*kasih|trims|makasih|matur\s+nuwun|suwun|hormat\s+(saya|kami)|wassalam\w*"
    r"|salam|ttd|atas\s+perhatian\w*)\b"
)


def content(text: str) -> str:
    """``text`` without its sign-off: from the first sign-off word in its second half on (one
    earlier, e.g. a greeting moved by reordering, is left for ``normalise``)."""
    lowered = text.lower()
    for m in _SIGNOFF.finditer(lowered, len(lowered) // 2):
        return lowered[: m.start()]
    return lowered


def shingles(text: str) -> set[int]:
    words = [w for w in normalise(content(text)).split() if w not in STOPWORDS]
    joined = " ".join(words)
    grams = {joined[i : i + SHINGLE] for i in range(max(1, len(joined) - SHINGLE + 1))}
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest()) for g in grams}


def signature(text: str) -> np.ndarray:
    values = np.fromiter(shingles(text), dtype=np.uint64)
    if values.size == 0:
        return np.full(PERMUTATIONS, np.iinfo(SIGNATURE_TYPE).max, dtype=SIGNATURE_TYPE)
    with np.errstate(over="ignore"):
        hashed = (values[:, None] * _A[None, :] + _B[None, :]) % np.uint64(_PRIME)
    result: np.ndarray = hashed.min(axis=0).astype(SIGNATURE_TYPE)
    return result


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def bands(sig: np.ndarray, scope: str = "") -> list[int]:
    """One signed 63-bit key per band, for an indexed lookup table. The key hashes the band's
    number and rows with ``scope`` (a province code), so equal bands of reports in different
    provinces never meet: a lookup reads only its own province's reports."""
    prefix = scope.encode() + b"/"
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(prefix + bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest) >> 1)
    return keys


def share_a_band(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether the band lookup would find ``b`` from ``a`` (some band equal in every row)."""
    equal = (a[: BANDS * ROWS] == b[: BANDS * ROWS]).reshape(BANDS, ROWS).all(axis=1)
    return bool(equal.any())


def is_duplicate(text_a: str, text_b: str, *, threshold: float = DUPLICATE_AT) -> bool:
    """The text test alone: found through a band and similar enough. ``duplicates.is_duplicate``
    adds the places named in the texts."""
    a, b = signature(text_a), signature(text_b)
    return share_a_band(a, b) and similarity(a, b) >= threshold
