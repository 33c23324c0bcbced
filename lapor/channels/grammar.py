"""The SMS (and WhatsApp) keywords, forgiving of case, spacing and a slip of the thumb.

``LACAK <ID>`` asks for the status, ``BALAS <ID> <text>`` replies, ``NILAI <ID> <1-5>`` rates;
anything else is the story of a new report. A keyword one edit away (a letter missing, added,
changed or two swapped: ``LACAKK``, ``BLAAS``, ``NILIA``) is still the keyword; a tracking ID may
be written with or without its dashes and spaces."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import DamerauLevenshtein

from lapor.core import ids


class Command(StrEnum):
    TRACK = "LACAK"
    REPLY = "BALAS"
    RATE = "NILAI"
    CANCEL = "BATAL"
    REPORT = ""  # free text: a new report


KEYWORDS = [Command.TRACK, Command.REPLY, Command.RATE, Command.CANCEL]


@dataclass(frozen=True)
class Parsed:
    command: Command
    tracking_id: str = ""  # normalised, checked
    text: str = ""
    rating: int | None = None
    problem: str = ""  # why a keyword message could not be read: "id", "rating", "text"


def keyword(word: str) -> Command | None:
    word = re.sub(r"[^A-Z]", "", word.upper())
    if not word:
        return None
    for k in KEYWORDS:
        if word == k.value:
            return k
    if len(word) < 4:
        return None
    close = [k for k in KEYWORDS if DamerauLevenshtein.distance(word, k.value) <= 1]
    return close[0] if len(close) == 1 else None


def _take_id(tokens: list[str]) -> tuple[str, list[str]]:
    """The tracking ID at the start of ``tokens`` (possibly split by spaces), and the rest."""
    joined = ""
    for i, token in enumerate(tokens[:4]):
        joined += token
        value = ids.normalize(joined)
        if len(value) >= ids.LENGTH:
            if len(value) == ids.LENGTH and ids.is_valid(value):
                return value, tokens[i + 1 :]
            return "", tokens
    return "", tokens


def parse(text: str) -> Parsed:
    clean = " ".join(text.split())
    tokens = clean.split(" ") if clean else []
    if not tokens:
        return Parsed(Command.REPORT, text="")
    # "LACAK:7KQM..." and "lacak#7KQM": a keyword glued to what follows by punctuation.
    match = re.match(r"^([A-Za-z]+)[:#.,=]*(.*)$", tokens[0])
    command = keyword(match.group(1)) if match else None
    if command is None:
        return Parsed(Command.REPORT, text=clean)
    assert match is not None
    rest = ([match.group(2)] if match.group(2) else []) + tokens[1:]
    if command is Command.CANCEL:
        if len(tokens) > 1:  # "Batal ..." starting a story is a story
            return Parsed(Command.REPORT, text=clean)
        return Parsed(command)
    tracking_id, rest = _take_id(rest)
    if not tracking_id:
        # "Nilai ujian anak saya ...": a story that starts like a keyword, not a command.
        looks_like_id = bool(rest) and any(ch.isdigit() for ch in rest[0])
        if len(tokens) > 3 and not looks_like_id:
            return Parsed(Command.REPORT, text=clean)
        return Parsed(command, problem="id")
    if command is Command.TRACK:
        return Parsed(command, tracking_id=tracking_id)
    if command is Command.RATE:
        digits = re.sub(r"[^0-9]", "", " ".join(rest[:1]))
        if len(digits) != 1 or not 1 <= int(digits) <= 5:
            return Parsed(command, tracking_id=tracking_id, problem="rating")
        return Parsed(command, tracking_id=tracking_id, rating=int(digits), text=" ".join(rest[1:]))
    message = " ".join(rest)
    if not message:
        return Parsed(command, tracking_id=tracking_id, problem="text")
    return Parsed(command, tracking_id=tracking_id, text=message)
