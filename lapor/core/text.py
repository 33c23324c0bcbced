"""Citizens' free text as one canonical form, and its length as a reader sees it.

A title of six zero-width spaces is six characters to ``len`` and nothing to a reader. Text is
kept in Unicode NFC (``é`` typed as ``e`` + combining accent is stored as the single ``é``), and
its *visible* length leaves out what shows nothing: whitespace, control characters, format
characters (category Cf: zero-width space and joiners, direction marks, the byte-order mark) and
the few letters that are drawn as blanks (Hangul fillers, the blank Braille pattern).

Joiners are only dropped from the count, never from the text: emoji sequences and some scripts
need them."""

from __future__ import annotations

import unicodedata

# Letters and symbols that print as a blank but are not whitespace to Unicode.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_invisible(ch: str) -> bool:
    return ch.isspace() or ch in BLANK_LOOKING or unicodedata.category(ch) in ("Cf", "Cc")


def clean(text: str) -> str:
    """``text`` in NFC, without the invisible characters at its start and end."""
    normalized = unicodedata.normalize("NFC", text or "")
    start, end = 0, len(normalized)
    while start < end and is_invisible(normalized[start]):
        start += 1
    while end > start and is_invisible(normalized[end - 1]):
        end -= 1
    return normalized[start:end]


def visible_length(text: str) -> int:
    """How many characters of ``text`` (in NFC) a reader can see."""
    return sum(1 for ch in unicodedata.normalize("NFC", text or "") if not is_invisible(ch))
