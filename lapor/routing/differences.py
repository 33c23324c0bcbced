"""What two near-identical texts disagree on: a name or a number swapped in the same place.

The same complaint with its village, street, agency or numbers changed ("Desa Sukamaju" →
"Desa Sumberejo", "RT 03" → "RT 07", "PDAM" → "PLN") is another problem elsewhere, not a
repeat; an SMS rewrite, a typo or a paraphrase of the same complaint changes ordinary words,
drops parts, and spells names loosely. ``swapped(a, b)`` aligns the two word sequences (on the
consonant skeletons ``minhash`` signs, so vowel typos and shorthand align) and looks at each
short stretch where one text has other words than the other between words they share: if, left
after pairing the words that are alike (typos, shorthand, abbreviations), both sides still hold
a name or a number, it is a swap.

A **name** is a word written with a capital inside a sentence (not the first word of a sentence,
and only in a text not written in capitals throughout), a known agency word (``AGENCY_WORDS``:
written lower case in SMS); a **number** is any number (a phone number or the sign-off never
reach here: ``minhash.words`` leaves them out). Places the gazetteer knows are checked in
``duplicates.places_conflict`` as well; this catches the names it does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz import fuzz

from lapor.routing.minhash import NUMBERS, SMS, content, skeleton
from lapor.routing.text import SLANG, STOPWORDS

SPAN = 4  # a stretch of at most this many words on each side is a swap candidate
_AGENCY_WORDS = (
    "pdam pln bpjs bpn rsud samsat satpol puskesmas polres polsek polda dukcapil disdukcapil "
    "disdikbud disdik dinkes dinsos dishub dlh dpu pupr bappeda kua kemenag telkom pertamina "
    "pendidikan kesehatan sosial perhubungan pariwisata lingkungan pertanian perumahan "
    "kependudukan ketenagakerjaan"
)
AGENCY_WORDS = frozenset(_AGENCY_WORDS.split())
# Words after a marker that are not a name ("jalan rusak", "desa kami", "gang sempit").
_NOT_NAME_WORDS = (
    "yang rusak berlubang kami saya kita ini itu tersebut tidak sudah belum masih utama raya "
    "menuju arah depan dekat sebelah sekitar desa kelurahan dusun jalan kampung kabupaten kota "
    "kecamatan provinsi sempit gelap becek banjir tergenang ditutup mati mohon segera sangat "
    "sekali dan atau di ke dari untuk karena juga akan bisa dapat"
)
NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
# Words naming what follows them: the next word is a name or a number however it is written
# (an SMS in lower case, a sentence starting with it, a text in capitals).
_MARKER_WORDS = (
    "desa kelurahan kel dusun dukuh kampung jalan jl jln gang gg perumahan perum kecamatan kec "
    "kabupaten kab kota rt rw no nomor km blok dinas sd sdn smp smpn sma sman smk smkn mts "
    "puskesmas rsud polsek polres pasar kantor"
)
MARKERS = frozenset(_MARKER_WORDS.split())
_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class Word:
    key: str  # the consonant skeleton the alignment compares
    plain: str  # the normalised word
    salient: bool  # a name or a number


@lru_cache(maxsize=256)
def words_of(text: str) -> tuple[Word, ...]:
    """The words of ``text``'s content (no sign-off) as ``minhash.words`` reads them, each
    marked salient or not by how it was written."""
    body = text[: len(content(text))]  # the same characters, case kept
    raw = [(m.group(), m.start()) for m in _WORD.finditer(body)]
    letters = [w for w, _ in raw if w[0].isalpha()]
    shouting = sum(w[0].isupper() for w in letters) > 0.5 * max(1, len(letters))
    out: list[Word] = []
    before = ""
    end = 0  # where the previous token ended
    for token, start in raw:
        first = end == 0 or any(c in ".!?:;\n" for c in body[end:start])
        end = start + len(token)
        lowered = token.lower()
        marked = before in MARKERS and lowered not in NOT_NAMES
        before = lowered
        plain = SMS.get(SLANG.get(lowered, lowered), SLANG.get(lowered, lowered))
        plain = NUMBERS.get(plain, plain)
        if plain.isdigit():
            plain = str(int(plain))
        if " " in plain or plain in STOPWORDS:
            continue
        named = token[0].isupper() and not first and not shouting and len(token) >= 3
        if lowered in MARKERS and plain not in AGENCY_WORDS:
            named = False  # "Desa", "Jalan", "Kecamatan": what kind of name follows, no name
        number = plain.isdigit() and len(plain) <= 6  # longer: a phone or an id number
        name = (named or marked or plain in AGENCY_WORDS) and len(plain) >= 3  # not "J", "Lj"
        salient = number or name
        out.append(Word(skeleton(plain), plain, salient))
    return tuple(out)


def _alike(a: Word, b: Word) -> bool:
    """The same word retyped: equal skeletons, a typo (ratio ≥ 75), the same letters in
    another order, or one the other's abbreviation (its skeleton a prefix of the other's:
    "kab"/"kabupaten")."""
    if a.key == b.key or a.plain == b.plain:
        return True
    if a.plain.isdigit() or b.plain.isdigit():
        return False
    if fuzz.ratio(a.plain, b.plain) >= 75 or sorted(a.plain) == sorted(b.plain):
        return True  # a typo, or letters swapped ("KTP" typed "TKP")
    short, long = sorted((a.key, b.key), key=len)
    return len(short) >= 2 and long.startswith(short)


def swapped(text_a: str, text_b: str) -> bool:
    """Whether ``text_b`` is ``text_a`` with a name or a number swapped (see the module)."""
    a, b = words_of(text_a), words_of(text_b)
    if [w.key for w in a] == [w.key for w in b]:
        return False  # the same words (a repeat, or only punctuation and case changed)
    matcher = SequenceMatcher(None, [w.key for w in a], [w.key for w in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or i2 - i1 > SPAN or j2 - j1 > SPAN:
            continue
        left_a = [w for w in a[i1:i2] if not any(_alike(w, v) for v in b[j1:j2])]
        left_b = [w for w in b[j1:j2] if not any(_alike(w, v) for v in a[i1:i2])]
        if any(w.salient for w in left_a) and any(w.salient for w in left_b):
            return True
    return False
