"""SMS answers within one GSM-7 segment of 160 characters, or split into numbered parts.

A character outside the GSM-7 alphabet would switch the whole message to UCS-2 (70 characters
a segment), so answers are written in plain characters: typographic ones are replaced, and
whatever else cannot be sent in GSM-7 is spelled without its accent or dropped."""

from __future__ import annotations

import unicodedata

SEGMENT = 160
# A part of a split message: the header a phone joins them by takes 7 characters.
PART = 153
# GSM 03.38 basic set and the extension table (the latter counts twice).
BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = set("^{}\\[~]|€")
_PLAIN = str.maketrans(
    {
        "\u2026": "...",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00b7": "-",
        "\u00a0": " ",
    }
)


def gsm7(text: str) -> str:
    """``text`` in characters GSM-7 can send."""
    out = []
    for ch in text.translate(_PLAIN):
        if ch in BASIC or ch in EXTENSION:
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append("".join(c for c in base if c in BASIC))
    return "".join(out)


def length(text: str) -> int:
    """Septets ``text`` takes (an extension character takes two)."""
    return sum(2 if ch in EXTENSION else 1 for ch in text)


def split(text: str) -> list[str]:
    """``text`` as one SMS of at most 160 GSM-7 characters, or as parts numbered ``(1/3)``
    of at most 153 each, cut between words."""
    plain = " ".join(gsm7(text).split())
    if length(plain) <= SEGMENT:
        return [plain]
    words = plain.split(" ")
    for digits in (1, 2, 3):
        room = PART - len(f"({'9' * digits}/{'9' * digits}) ")
        parts = _pack(words, room)
        if len(parts) < 10**digits:
            total = len(parts)
            return [f"({i}/{total}) {p}" for i, p in enumerate(parts, 1)]
    raise ValueError("text too long for an SMS answer")


def _pack(words: list[str], room: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for word in words:
        while length(word) > room:  # a link or a word longer than a part: cut it
            head = word[: room - length(current) - (1 if current else 0)]
            if not head:
                parts.append(current)
                current = ""
                continue
            current = f"{current} {head}" if current else head
            word = word[len(head) :]
            parts.append(current)
            current = ""
        candidate = f"{current} {word}" if current else word
        if length(candidate) <= room:
            current = candidate
        else:
            parts.append(current)
            current = word
    if current:
        parts.append(current)
    return [p for p in parts if p]
