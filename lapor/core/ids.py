"""Tracking IDs and guest secrets.

A tracking ID is 11 random Crockford base-32 symbols and one check symbol (ISO 7064 mod 37,2
over the 32-symbol alphabet), shown in groups of four: ``7KQM-3XPA-R9TC``. The alphabet has no
I, L, O or U, so it reads aloud without confusion; the check symbol catches every single
mistyped symbol and every swap of two neighbours (the weights are powers of two modulo the
prime 37, so a changed symbol or a swapped pair always changes the sum). 55 random bits keep
it unguessable.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
RANDOM_LENGTH = 11
LENGTH = RANDOM_LENGTH + 1
SECRET_LENGTH = 16
_MOD = 37  # prime > 32: a one-symbol error or an adjacent swap always changes the check


def _check_value(symbols: str) -> int:
    total = 0
    for ch in symbols:
        total = ((total + _VALUE[ch]) * 2) % _MOD
    return (_MOD + 1 - total) % _MOD


def _check_symbol(symbols: str) -> str | None:
    value = _check_value(symbols)
    # 37 residues but 32 readable symbols: bodies whose check would fall on the five extra
    # residues are never issued, so every check symbol is an ordinary one.
    return ALPHABET[value] if value < len(ALPHABET) else None


def new_tracking_id() -> str:
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
        check = _check_symbol(body)
        if check is not None:
            return body + check


def normalize(raw: str) -> str:
    """Upper-case, drop spaces and dashes, map look-alike letters (I/L→1, O→0)."""
    cleaned = "".join(ch for ch in raw.upper() if ch not in " -_.")
    return cleaned.translate(_ALIASES)


def is_valid(raw: str) -> bool:
    value = normalize(raw)
    if len(value) != LENGTH:
        return False
    body, check = value[:-1], value[-1]
    if any(ch not in _VALUE for ch in body):
        return False
    return _check_symbol(body) == check


def display(tracking_id: str) -> str:
    return "-".join(tracking_id[i : i + 4] for i in range(0, len(tracking_id), 4))


def new_secret() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))


def hash_secret(secret: str) -> str:
    # 80 random bits: a plain digest is enough, no slow hash needed.
    cleaned = "".join(ch for ch in secret.upper() if ch not in " -").translate(_ALIASES)
    return hashlib.sha256(cleaned.encode()).hexdigest()


def secret_matches(secret: str, digest: str) -> bool:
    return bool(digest) and hmac.compare_digest(hash_secret(secret), digest)
