"""Near-duplicate text by MinHash over character shingles of the normalised text.

Character 5-grams of the normalised text are robust to typos, reordering, truncation and added
greetings. The text is normalised for thumbs as well as for keyboards: greetings, the sign-off,
stop words, phone numbers and links removed, slang expanded (``text.normalise`` and the SMS
shorthand below), number words written as digits, and every word reduced to its consonant
skeleton ("jembatan", "jmbatan" and "jmbtn" are all "jmbtn"; doubled letters once), so vowel
typos and vowel-dropping shorthand change nothing.

128 hash functions estimate the Jaccard similarity; with the number of distinct shingles of
each text (stored beside the signature) they also give the **containment** of the shorter text
in the longer: an SMS keeping only a window of a complaint, or one sentence of it, is mostly
contained in it though their Jaccard is low. 64 bands of 2 rows give the keys an indexed table
can look candidates up by: a pair at Jaccard 0.2 shares a band with probability 0.93, at 0.35
with 0.9996, at 0.05 with 0.15."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from lapor.routing.text import STOPWORDS, normalise

SCHEME = 5  # bump when anything below changes: stored signatures of another scheme are redone
PERMUTATIONS = 128
SIGNATURE_TYPE = np.uint32  # the low 32 bits of each minimum: 512 bytes a signature
BANDS = 64  # 64 bands of 2 rows: a pair at Jaccard 0.2 shares a band with probability 0.93,
ROWS = 2  # at 0.35 with 0.9996, at 0.1 with 0.47, at 0.05 with 0.15
SHINGLE = 5
DUPLICATE_AT = 0.35  # estimated Jaccard of shingle sets (chosen on the dev half, bench/README.md)
CONTAINED_AT = 0.45  # or: this share of the shorter text's shingles in the longer (dev half)
CONTAINED_MIN = 20  # ... when the shorter text has at least this many shingles (~25 letters)
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20260511)
_A = _rng.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)
# A sign-off and what follows it (name, RT/RW, phone) say nothing about the problem.
_SIGNOFF = re.compile(
    r"\b(terima\s*kasih|trims|makasih|matur\s+nuwun|suwun|hormat\s+(saya|kami)|wassalam\w*"
    r"|salam|ttd|atas\s+perhatian\w*)\b"
)
# SMS shorthand ``text.SLANG`` does not expand (that table is shared with the classifier; these
# matter for matching only). Vowel-dropped words need no entry: the skeleton joins them.
SMS: dict[str, str] = {
    "y": "yang",
    "dah": "sudah",
    "kmi": "kami",
    "bngt": "sekali",
    "sgr": "segera",
    "wrg": "warga",
    "masy": "masyarakat",
    "mskt": "masyarakat",
    "jg": "juga",
    "ato": "atau",
    "atw": "atau",
    "ni": "ini",
    "tu": "itu",
    "tgl": "tanggal",
    "nmr": "nomor",
    "ksh": "kasih",
    "kpn": "kapan",
    "buat": "untuk",
    "n": "dan",
    "gmna": "bagaimana",
    "mksd": "maksud",
    "krj": "kerja",
    "spt": "seperti",
    "sprti": "seperti",
    "pdhl": "padahal",
    "mslh": "masalah",
    "thd": "terhadap",
    "sbg": "sebagai",
    "bbrp": "beberapa",
    "smua": "semua",
    "sma": "sama",
    "emg": "memang",
    "kpd": "kepada",
}
NUMBERS: dict[str, str] = {
    "satu": "1",
    "dua": "2",
    "tiga": "3",
    "empat": "4",
    "lima": "5",
    "enam": "6",
    "tujuh": "7",
    "delapan": "8",
    "sembilan": "9",
    "sepuluh": "10",
}
_VOWELS = re.compile(r"[aeiou]")
_DOUBLED = re.compile(r"(.)\1+")


def content(text: str) -> str:
    """``text`` without its sign-off: from the first sign-off word in its second half on (one
    earlier, e.g. a greeting moved by reordering, is left for ``normalise``)."""
    lowered = text.lower()
    for m in _SIGNOFF.finditer(lowered, len(lowered) // 2):
        return lowered[: m.start()]
    return lowered


@lru_cache(maxsize=100_000)
def skeleton(word: str) -> str:
    """ "jembatan" → "jmbtn", "rusak" → "rsk", "sukamju" → "skmj": the first letter, then the
    consonants, doubled letters once. Numbers and short words stay as they are."""
    if len(word) <= 2 or not word.isalpha():
        return word
    return _DOUBLED.sub(r"\1", word[0] + _VOWELS.sub("", word[1:]))


def words(text: str) -> list[str]:
    """The normalised words of ``text`` a signature is made of: its content (no sign-off),
    slang and SMS shorthand expanded, number words as digits, stop words left out."""
    out = []
    for word in normalise(content(text)).split():
        word = SMS.get(word, word)
        word = NUMBERS.get(word, word)
        if word.isdigit():
            word = str(int(word))  # "RT 03" and "RT 3"
        if word not in STOPWORDS:
            out.append(word)
    return out


def shingles(text: str) -> set[int]:
    joined = " ".join(skeleton(w) for w in words(text))
    grams = {joined[i : i + SHINGLE] for i in range(max(1, len(joined) - SHINGLE + 1))}
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest()) for g in grams}


@dataclass(frozen=True)
class Signed:
    """A text's signature and the number of its distinct shingles (for containment)."""

    signature: np.ndarray
    size: int


def signed(text: str) -> Signed:
    found = shingles(text)
    values = np.fromiter(found, dtype=np.uint64)
    if values.size == 0:
        empty = np.full(PERMUTATIONS, np.iinfo(SIGNATURE_TYPE).max, dtype=SIGNATURE_TYPE)
        return Signed(empty, 0)
    with np.errstate(over="ignore"):
        hashed = (values[:, None] * _A[None, :] + _B[None, :]) % np.uint64(_PRIME)
    return Signed(hashed.min(axis=0).astype(SIGNATURE_TYPE), len(found))


def signature(text: str) -> np.ndarray:
    return signed(text).signature


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """The estimated share of the smaller shingle set found in the larger, from the Jaccard
    estimate and both sizes (|A∩B| = J·(|A|+|B|)/(1+J)); 0 when the smaller has fewer than
    ``CONTAINED_MIN`` shingles (a few words are contained in many texts)."""
    smaller = min(size_a, size_b)
    if smaller < CONTAINED_MIN:
        return 0.0
    return min(1.0, jaccard * (size_a + size_b) / (1 + jaccard) / smaller)


def alike(a: Signed, b: Signed, *, threshold: float = DUPLICATE_AT) -> float | None:
    """How alike two texts are, if alike enough to be one complaint: the estimated Jaccard
    when ≥ ``threshold``, else the containment of the shorter when ≥ ``CONTAINED_AT``;
    None otherwise."""
    jaccard = similarity(a.signature, b.signature)
    if jaccard >= threshold:
        return jaccard
    contained = containment(jaccard, a.size, b.size)
    return contained if contained >= CONTAINED_AT else None


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
    """The text test alone: found through a band and alike enough. ``duplicates.is_duplicate``
    adds the places, names and numbers of the texts."""
    a, b = signed(text_a), signed(text_b)
    return share_a_band(a.signature, b.signature) and alike(a, b, threshold=threshold) is not None
