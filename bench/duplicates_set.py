"""Build a labelled set of text pairs for ``lapor duplicates evaluate`` from the real LaporGub!
complaints in ../shared (never copied into the repository: the CSV goes under var/ or /tmp).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_duplicates \\
        .venv/bin/python bench/duplicates_set.py --part test --out var/duplicates_test.csv
    .venv/bin/lapor duplicates evaluate var/duplicates_test.csv

Columns ``text_a,text_b,is_duplicate,kind``. Kinds (positives first):

- ``exact``: the file's own exact duplicates (``exact_dup_of``);
- ``natural``: the file's own near-duplicates judged by hand (``NATURAL``; both rows in the half);
- ``light_edit``: a copy with 1-3 light edits (typos, reordering, truncation to 60-90 %, an
  added greeting or sign-off, a few slang abbreviations);
- ``sms_rewrite``: a heavy SMS-style rewrite: lower case, no punctuation, heavy slang and
  vowel-dropped words ("jmbtn", "rsk"), a typo every ~30 characters, an SMS greeting, and only
  a window of the original kept (35-80 % of the words, anywhere in the text);
- ``window``: only a part of the original kept (25-55 % of the words, anywhere), sometimes with a
  greeting: the citizen who writes one sentence of the same complaint;
- ``paraphrase``: the same problem told by another citizen: synonyms for common complaint
  words, another opening, sentences reordered, one dropped, an own sentence added;
- negatives: ``place_swap`` (the kabupaten/kota, or the desa/kelurahan/kecamatan/dusun/jalan
  name, swapped for another; a third also SMS-rewritten first), ``number_swap`` (every small
  number of the complaint changed: RT, house number, km, counts, amounts; years kept),
  ``agency_swap`` (the agency named swapped for another: PDAM → PLN, Dinas Pendidikan → Dinas
  Kesehatan), ``same_place`` (two different complaints naming the same kabupaten/kota, or a
  different complaint given the same village/street words), ``random``.

Distinct rows already >= 0.3 alike never make a negative (some are the same complaint posted
twice; they are the ``natural`` pairs).

**Split by source report.** ``--part dev`` and ``--part test`` use two disjoint halves of the
file (a hash of ``source_id``): every text of a pair, its original and any row it is paired
with, comes from one half, so no source text is in both. Seeds differ (1 dev, 2 test). Tune on
dev, report test. ``--natural`` writes only the hand-judged natural pairs of both halves (the
old reality check). The gazetteer needs the region table: any migrated database with
``lapor reference load`` will do.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data"
COMPLAINTS = SOURCE / "complaints_laporgub_jateng_2018-02_to_05.csv"
MIN_CHARS = 60  # originals shorter than this are not edited (the portal asks for 20+)
FAR_APART = 0.3  # distinct rows at least this alike are never negatives
POSITIVE = ("exact", "light_edit", "sms_rewrite", "window", "paraphrase")
NEGATIVE = ("place_swap", "number_swap", "agency_swap", "same_place", "random")

GREETINGS = [
    "Assalamualaikum wr wb.",
    "Selamat pagi pak Gubernur,",
    "Selamat malam pak,",
    "Yth. Bapak Ganjar Pranowo,",
    "Permisi pak, mohon maaf mengganggu.",
    "Salam sejahtera.",
    "Dengan hormat,",
    "Pak Ganjar yang saya hormati,",
]
SMS_GREETINGS = [
    "slmt pagi pak",
    "pagi pak gub",
    "ass wr wb pak",
    "asslmkm pak ganjar",
    "mlm pak, maaf ganggu",
    "pak gub tlg dibaca",
    "mohon ijin lapor pak",
    "siang pak",
]
NAMES = ["Budi Santoso", "Siti Aminah", "Agus Riyanto", "Dewi Lestari", "Slamet", "Rina W."]
SIGNATURES = [
    "Terima kasih. Hormat saya, {name}",
    "Wassalam. {name}",
    "Matur nuwun pak. {name}, RT 0{rt}/0{rw}",
    "Mohon ditindaklanjuti, terima kasih. {name} 0812{phone}",
    "Trims. Warga RT 0{rt} RW 0{rw}",
    "Atas perhatiannya saya ucapkan terima kasih.",
]
SLANG = {
    "yang": "yg",
    "tidak": "tdk",
    "dengan": "dgn",
    "jalan": "jln",
    "sudah": "sdh",
    "belum": "blm",
    "untuk": "utk",
    "karena": "krn",
    "bapak": "bpk",
    "saya": "sy",
    "dari": "dr",
    "sekarang": "skrg",
}
# Heavier SMS shorthand (several choices each): what a citizen thumbs on a phone.
SMS = {
    "yang": ["yg", "yng", "y"],
    "tidak": ["gk", "ga", "tdk", "gak", "nggak"],
    "dengan": ["dgn", "dg"],
    "jalan": ["jln", "jl", "jalan"],
    "sudah": ["udh", "sdh", "dah", "udah"],
    "belum": ["blm", "blum"],
    "untuk": ["utk", "buat", "untk"],
    "karena": ["krn", "karna", "krna"],
    "bapak": ["pak", "bpk"],
    "saya": ["sy", "aq", "sya"],
    "kami": ["kmi", "kita"],
    "dari": ["dr", "dri"],
    "sekarang": ["skrg", "skr"],
    "sangat": ["sgt", "bgt"],
    "sekali": ["bgt", "bngt"],
    "banyak": ["byk", "bnyk"],
    "tolong": ["tlg"],
    "mohon": ["mhn", "mohon"],
    "bagaimana": ["gmn", "gimana"],
    "kapan": ["kpn"],
    "segera": ["sgr", "segra"],
    "warga": ["wrg", "warga"],
    "masyarakat": ["masy", "mskt"],
    "sampai": ["smp", "sampe"],
    "lagi": ["lg", "lgi"],
    "juga": ["jg"],
    "tahun": ["thn"],
    "bulan": ["bln"],
    "hari": ["hr"],
    "bisa": ["bs", "bsa"],
    "harus": ["hrs"],
    "masih": ["msh", "masi"],
    "tersebut": ["tsb"],
    "dalam": ["dlm"],
    "kepada": ["kpd"],
    "terima": ["trima"],
    "kasih": ["ksh"],
    "tapi": ["tp", "tpi"],
    "tetapi": ["tp"],
    "jadi": ["jd", "jdi"],
    "kalau": ["klo", "kalo", "kl"],
    "desa": ["ds", "desa"],
    "kecamatan": ["kec"],
    "kabupaten": ["kab"],
    "pemerintah": ["pemerintah", "pmrth"],
    "rusak": ["rsk", "rusak"],
    "dan": ["dan", "n", "&"],
    "atau": ["ato", "atw"],
    "apa": ["ap", "apa"],
    "ini": ["ni", "ini"],
    "itu": ["tu", "itu"],
    "tanggal": ["tgl"],
    "nomor": ["no", "nmr"],
}
KEYS = "qwertyuiopasdfghjklzxcvbnm"
# Another citizen's words for the same thing (both directions are used).
SYNONYMS = [
    ("rusak", "hancur"),
    ("berlubang", "bolong-bolong"),
    ("mohon", "kami minta"),
    ("segera", "secepatnya"),
    ("diperbaiki", "dibenahi"),
    ("warga", "penduduk"),
    ("masyarakat", "warga"),
    ("sangat", "amat"),
    ("sudah", "telah"),
    ("karena", "sebab"),
    ("tetapi", "namun"),
    ("agar", "supaya"),
    ("laporan", "pengaduan"),
    ("pelayanan", "layanan"),
    ("susah", "sulit"),
    ("membuat", "menyebabkan"),
    ("banyak", "sejumlah"),
    ("besar", "lebar"),
    ("parah", "sekali"),
    ("kondisi", "keadaan"),
    ("terjadi", "ada"),
    ("segera", "cepat"),
    ("tolong", "mohon"),
    ("menanyakan", "bertanya tentang"),
    ("bantuan", "santunan"),
    ("pemerintah", "pemda"),
    ("dana", "anggaran"),
    ("sekolah", "sekolahan"),
    ("anak", "putra"),
    ("kami", "kita"),
    ("sampai", "hingga"),
    ("belum", "masih belum"),
    ("tidak", "tak"),
    ("jalan", "jalanan"),
    ("lampu", "penerangan"),
    ("sampah", "limbah"),
    ("lama", "berlarut-larut"),
    ("petugas", "pegawai"),
    ("mengurus", "membuat"),
    ("dimana", "di mana"),
    ("bagaimana", "seperti apa"),
    ("apakah", "apa"),
    ("kapan", "bilamana"),
    ("sejak", "dari"),
    ("sering", "kerap"),
    ("mengganggu", "meresahkan"),
]
OPENINGS = [
    "Saya ingin melaporkan bahwa",
    "Mau mengadukan,",
    "Sekadar info pak,",
    "Kami warga ingin menyampaikan keluhan:",
    "Laporan warga:",
    "Pak, saya juga mengalami hal ini:",
]
OWN_SENTENCES = [
    "Sudah lama kami menunggu.",
    "Warga sekitar juga mengeluhkan hal yang sama.",
    "Mohon perhatiannya.",
    "Kami berharap ada tindak lanjut.",
    "Tetangga saya juga begitu.",
]
VILLAGES = [
    "Sukamaju",
    "Sumberejo",
    "Karangrejo",
    "Tegalsari",
    "Mojosari",
    "Jatisari",
    "Kedungwuni",
    "Banyuurip",
    "Wonosari",
    "Sidomulyo",
    "Tambakrejo",
    "Ngemplak",
    "Pandean",
    "Krajan",
    "Gondang",
    "Kalisari",
]
PLACE_MARKERS = (
    r"desa|kelurahan|kel\.?|kecamatan|kec\.?|dusun|dukuh|kampung|jalan|jln\.?|jl\.?|gang"
)
AGENCIES = [
    r"PDAM",
    r"PLN",
    r"BPJS(?: Kesehatan| Ketenagakerjaan)?",
    r"BPN",
    r"RSUD",
    r"Samsat",
    r"Satpol PP",
    r"Puskesmas",
    r"Polres",
    r"Disdukcapil",
    r"Dukcapil",
    r"Disdikbud",
    r"DPU",
    r"Dinas (?:Pendidikan|Kesehatan|Sosial|Perhubungan|Pariwisata|Lingkungan Hidup|Pekerjaan Umum"
    r"|Kependudukan|Ketenagakerjaan|Pertanian|Perumahan)",
]
AGENCY_NAMES = [
    "PDAM",
    "PLN",
    "BPJS Kesehatan",
    "BPN",
    "RSUD",
    "Samsat",
    "Satpol PP",
    "Puskesmas",
    "Polres",
    "Disdukcapil",
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "Dinas Sosial",
    "Dinas Perhubungan",
    "Dinas Lingkungan Hidup",
    "Dinas Pekerjaan Umum",
]

# The file's own near-duplicates (0.3 <= similarity < 1 between distinct rows, found by
# ``--natural``), judged by hand: 1 = the same complaint (re-posted, corrected, paraphrased by
# the same or another reporter), 0 = a different one (another place, another request).
NATURAL = {
    ("750", "30803"): 1,
    ("1582", "1583"): 1,
    ("31050", "31210"): 1,
    ("2299", "32200"): 1,
    ("32212", "32243"): 1,
    ("31498", "31535"): 1,
    ("30845", "30912"): 1,
    ("32329", "32348"): 1,
    ("31590", "31592"): 1,
    ("2181", "2197"): 1,
    ("31527", "1561"): 1,
    ("30963", "31149"): 1,
    ("30963", "31108"): 1,
    ("31059", "1058"): 1,
    ("31050", "31107"): 0,  # the same person, another request (sembako vs TDL + KIS)
    ("31107", "31210"): 0,
    ("735", "829"): 1,
    ("1227", "1255"): 0,  # the same question about another desa in another kabupaten
    ("863", "1106"): 1,
    ("30918", "31175"): 1,
    ("815", "833"): 1,
    ("1572", "1574"): 1,
    ("1566", "31556"): 1,
    ("30795", "30916"): 1,
    ("735", "868"): 1,
    ("32150", "32321"): 1,
    ("1526", "31504"): 1,
    ("735", "918"): 1,
    ("31208", "1263"): 0,  # the same question, from different desa
    ("32290", "2563"): 1,
    ("1672", "1678"): 1,
    ("812", "1120"): 1,
    ("2155", "2298"): 1,
    ("1620", "2567"): 1,
    ("30916", "31089"): 1,
    ("31323", "31328"): 1,
    ("829", "868"): 1,
    ("30795", "31089"): 1,
    ("2157", "2188"): 1,
    ("1214", "1219"): 1,
    ("728", "990"): 1,
    ("1162", "31152"): 1,
    ("1076", "1081"): 1,
    ("30844", "30876"): 1,
    ("2277", "2281"): 1,
    ("1587", "1589"): 1,
    ("1066", "1088"): 1,
    ("793", "30832"): 1,
    ("31541", "1591"): 1,
    ("1081", "1108"): 1,
    ("829", "918"): 1,
    ("32119", "32253"): 0,  # two questions about the same programme (join it? what cost?)
    ("2193", "32103"): 1,
    ("1076", "1108"): 1,
    ("31110", "31647"): 1,
    ("31110", "31649"): 1,
    # ("30825", "1009"): left out, two citizens asking whether land certificates are free
}


def half(source_id: str) -> str:
    return "dev" if hashlib.sha256(source_id.encode()).digest()[0] % 2 == 0 else "test"


# Edits ---------------------------------------------------------------------------------------


def typos(text: str, rng: random.Random, every: int = 60) -> str:
    chars = list(text)
    letters = [i for i, c in enumerate(chars) if c.isalpha()]
    for _ in range(max(1, len(text) // every)):
        if len(letters) < 3:
            break
        i = rng.choice(letters[1:-1])
        op = rng.choice(("drop", "swap", "double", "replace"))
        if op == "drop":
            chars[i] = ""
        elif op == "swap":
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif op == "double":
            chars[i] = chars[i] * 2
        else:
            chars[i] = rng.choice(KEYS)
    return "".join(chars)


def reorder(text: str, rng: random.Random) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    if len(sentences) >= 2:
        for _ in range(20):
            shuffled = sentences[:]
            rng.shuffle(shuffled)
            if shuffled != sentences:
                return " ".join(shuffled)
    words = text.split()
    for _ in range(max(1, len(words) // 12)):
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def truncate(text: str, rng: random.Random) -> str:
    words = text.split()
    keep = max(3, round(len(words) * rng.uniform(0.6, 0.9)))
    return " ".join(words[:keep])


def window(text: str, rng: random.Random, low: float, high: float) -> str:
    """A contiguous part of ``text``: ``low``-``high`` of its words (at least 8), anywhere."""
    words = text.split()
    keep = min(len(words), max(8, round(len(words) * rng.uniform(low, high))))
    start = rng.randint(0, len(words) - keep)
    return " ".join(words[start : start + keep])


def part_of(text: str, rng: random.Random) -> str:
    """One sentence or so of the complaint (25-55 % of its words), sometimes greeted."""
    kept = window(text, rng, 0.25, 0.55)
    return greet(kept, rng) if rng.random() < 0.3 else kept


def greet(text: str, rng: random.Random) -> str:
    return f"{rng.choice(GREETINGS)} {text}"


def sign(text: str, rng: random.Random) -> str:
    signature = rng.choice(SIGNATURES).format(
        name=rng.choice(NAMES),
        rt=rng.randint(1, 9),
        rw=rng.randint(1, 9),
        phone=rng.randint(10_000_000, 99_999_999),
    )
    return f"{text} {signature}"


def slang(text: str, rng: random.Random) -> str:
    def short(m: re.Match[str]) -> str:
        word = m.group(0)
        return SLANG[word.lower()] if rng.random() < 0.8 else word

    pattern = r"\b(" + "|".join(SLANG) + r")\b"
    return re.sub(pattern, short, text, flags=re.IGNORECASE)


EDITS = {
    "typo": typos,
    "reorder": reorder,
    "truncate": truncate,
    "greeting": greet,
    "signature": sign,
    "slang": slang,
}


def edited(text: str, rng: random.Random, kinds: tuple[str, ...] = tuple(EDITS)) -> str:
    names = rng.sample(sorted(kinds), k=rng.choice((1, 2, 2, 3)))
    order = ["slang", "typo", "reorder", "truncate", "greeting", "signature"]
    for name in sorted(names, key=order.index):
        text = EDITS[name](text, rng)
    return text


def _devowel(word: str) -> str:
    """ "jembatan" → "jmbtn": the first letter and the consonants, as thumbs shorten."""
    return word[0] + re.sub(r"[aeiou]", "", word[1:])


def sms_words(text: str, rng: random.Random) -> str:
    """Lower case, punctuation gone, shorthand for most common words, a fifth of the longer
    words without their vowels."""
    out = []
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if word in SMS and rng.random() < 0.85:
            out.append(rng.choice(SMS[word]))
        elif len(word) >= 6 and word.isalpha() and rng.random() < 0.2:
            out.append(_devowel(word))
        else:
            out.append(word)
    return " ".join(out)


def sms_rewrite(text: str, rng: random.Random) -> str:
    text = window(text, rng, 0.35, 0.8)
    text = typos(sms_words(text, rng), rng, every=30)
    if rng.random() < 0.7:
        text = f"{rng.choice(SMS_GREETINGS)} {text}"
    if rng.random() < 0.3:
        text = f"{text} {rng.choice(('mksh', 'trims pak', 'makasih pak'))}"
    return text


def paraphrase(text: str, rng: random.Random) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    if len(sentences) >= 3:
        sentences.pop(rng.randrange(len(sentences)))
    if len(sentences) >= 2 and rng.random() < 0.6:
        rng.shuffle(sentences)
    table: dict[str, list[str]] = {}
    for a, b in SYNONYMS:
        table.setdefault(a, []).append(b)
        table.setdefault(b, []).append(a)

    def other(m: re.Match[str]) -> str:
        word = m.group(0)
        choices = table.get(word.lower())
        return rng.choice(choices) if choices and rng.random() < 0.7 else word

    body = re.sub(r"[A-Za-z-]+", other, " ".join(sentences))
    body = f"{rng.choice(OPENINGS)} {body[:1].lower()}{body[1:]}"
    if rng.random() < 0.5:
        body = f"{body} {rng.choice(OWN_SENTENCES)}"
    return body


# Swaps (hard negatives) ------------------------------------------------------------------------


def kabkota_names() -> dict[str, tuple[str, str]]:
    """Code → (kind, core name) of the kabupaten/kota of Jawa Tengah, from the region table."""
    from lapor.agencies.catalog import place_name
    from lapor.regions.models import Region

    rows = Region.objects.filter(level=Region.Level.KABUPATEN_KOTA, code__startswith="33.")
    return {r.code: (r.kind, place_name(r.name)) for r in rows}


def swap_kabkota(
    text: str, code: str, names: dict[str, tuple[str, str]], rng: random.Random
) -> str | None:
    """``text`` with every spelling of kabupaten/kota ``code`` replaced by another of the same
    kind; None when the name cannot be found in the text."""
    kind, core = names[code]
    others = [c for c, (k, n) in names.items() if k == kind and c != code and n != core]
    if not others:
        return None
    _, new = names[rng.choice(others)]
    pattern = re.compile(r"\b" + r"\s*".join(map(re.escape, core.split())) + r"\b", re.I)
    swapped, n = pattern.subn(new, text)
    return swapped if n else None


_MARKED = re.compile(rf"\b({PLACE_MARKERS})\s+([A-Za-z]{{4,}})\b", re.I)
_NOT_NAME_WORDS = (
    "yang rusak kami saya kita ini itu tersebut tidak sudah belum masih utama raya menuju arah "
    "depan dekat sebelah sekitar sempit gelap becek banjir mohon segera sangat setempat"
)
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def swap_village(text: str, rng: random.Random) -> str | None:
    """``text`` with the name after one place marker (desa, kecamatan, jalan, …) replaced,
    wherever that name appears; None when it names none."""
    found = [m for m in _MARKED.finditer(text) if m.group(2).lower() not in _NOT_NAMES]
    if not found:
        return None
    name = rng.choice(found).group(2)
    new = rng.choice([v for v in VILLAGES if v.lower() != name.lower()])
    return re.sub(rf"\b{re.escape(name)}\b", new, text, flags=re.I)


_NUMBER = re.compile(r"(?<![\d/:.-])\b\d{1,4}\b(?![\d/:.-]\d)")


def swap_numbers(text: str, rng: random.Random) -> str | None:
    """Every small number of ``text`` before its sign-off (not a year, a date or a phone)
    changed; None if none. The sign-off's numbers are the reporter's own (RT/RW, phone), not
    the problem's: changing them leaves the same complaint."""
    from lapor.routing.minhash import content

    body = len(content(text))
    numbers = [
        m for m in _NUMBER.finditer(text, 0, body) if not re.fullmatch(r"(19|20)\d\d", m.group())
    ]
    if not numbers:
        return None
    new: dict[str, str] = {}
    for m in numbers:
        old = m.group()
        if old not in new:
            value = int(old)
            shifted = value + rng.choice((-3, -2, -1, 1, 2, 3, 5, 7)) * max(1, value // 5)
            new[old] = str(abs(shifted) if abs(shifted) != value else value + 1).zfill(len(old))
    changed = _NUMBER.sub(lambda m: new.get(m.group(), m.group()), text[:body])
    return changed + text[body:]


_AGENCY = re.compile(r"\b(" + "|".join(AGENCIES) + r")\b", re.I)


def swap_agency(text: str, rng: random.Random) -> str | None:
    found = _AGENCY.findall(text)
    if not found:
        return None
    name = found[0]
    new = rng.choice([a for a in AGENCY_NAMES if a.lower() != name.lower()])
    return re.sub(rf"\b{re.escape(name)}\b", new, text, flags=re.I)


# Building ------------------------------------------------------------------------------------


def load() -> list[dict[str, str]]:
    with COMPLAINTS.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def similar_rows(rows: list[dict[str, str]]) -> dict[tuple[int, int], float]:
    """Pairs of distinct row indexes whose texts are at least FAR_APART alike (character
    5-gram MinHash of the normalised texts, fixed here so that the set does not move when the
    detector's scheme changes)."""
    import numpy as np

    from lapor.routing.text import STOPWORDS, normalise

    rng = np.random.default_rng(20260511)
    prime = (1 << 61) - 1
    a = rng.integers(1, prime, 128, dtype=np.uint64)
    b = rng.integers(0, prime, 128, dtype=np.uint64)

    def sig(text: str) -> np.ndarray:
        joined = " ".join(w for w in normalise(text).split() if w not in STOPWORDS)
        grams = {joined[i : i + 5] for i in range(max(1, len(joined) - 4))}
        values = np.fromiter(
            (int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest()) for g in grams),
            dtype=np.uint64,
        )
        with np.errstate(over="ignore"):
            return ((values[:, None] * a[None, :] + b[None, :]) % np.uint64(prime)).min(axis=0)

    sigs = np.stack([sig(r["text"]) for r in rows])
    close: dict[tuple[int, int], float] = {}
    for i in range(len(rows)):
        sims = (sigs[i + 1 :] == sigs[i]).mean(axis=1)
        for j in np.nonzero(sims >= FAR_APART)[0]:
            close[(i, i + 1 + int(j))] = float(sims[j])
    return close


Pair = tuple[str, str, int, str]


def build(part: str, seed: int, size: int) -> list[Pair]:
    """``size`` pairs of each generated kind (the file's own pairs as they come)."""
    from lapor.routing.duplicates import places_in

    rng = random.Random(seed)
    rows = load()
    close = similar_rows(rows)
    names = kabkota_names()
    mine = [i for i, r in enumerate(rows) if half(r["source_id"]) == part]
    texts = [r["text"] for r in rows]
    pairs: list[Pair] = []

    # the file's exact duplicates: each row with exact_dup_of and the earlier row it repeats
    by_source: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_source.setdefault(r["source_id"], []).append(i)
    seen: set[frozenset[int]] = set()
    for i, r in enumerate(rows):
        if not r["exact_dup_of"] or half(r["exact_dup_of"]) != part or half(r["source_id"]) != part:
            continue
        for j in by_source.get(r["exact_dup_of"], []):
            key = frozenset((i, j))
            if j != i and texts[j] == texts[i] and key not in seen:
                seen.add(key)
                pairs.append((texts[j], texts[i], 1, "exact"))
    pairs.extend((a, b, label, "natural") for a, b, label, w in natural(rows, close) if w == part)

    originals = [i for i in mine if len(texts[i]) >= MIN_CHARS]
    positive_edits = {
        "light_edit": lambda t: edited(t, rng),
        "sms_rewrite": lambda t: sms_rewrite(t, rng),
        "window": lambda t: part_of(t, rng),
        "paraphrase": lambda t: paraphrase(t, rng),
    }
    for kind, make in positive_edits.items():
        for i in rng.sample(originals, k=min(size, len(originals))):
            pairs.append((texts[i], make(texts[i]), 1, kind))

    def far(i: int, j: int) -> bool:
        return texts[i] != texts[j] and (min(i, j), max(i, j)) not in close

    # place swaps: the kabupaten/kota, or a village/street/kecamatan name after its marker; a
    # third SMS-rewritten first (the whole text kept: a window could cut the place out)
    places = {i: places_in(texts[i]).kabkota for i in mine}
    order = originals[:]
    rng.shuffle(order)
    made = 0
    for i in order:
        if made == size:
            break
        text = texts[i]
        if rng.random() < 0.33:
            text = sms_words(typos(text, rng, every=40), rng)
        swapped = None
        one = places[i] if len(places[i]) == 1 else set()
        if one and next(iter(one)) in names and rng.random() < 0.5:
            code = next(iter(one))
            swapped = swap_kabkota(text, code, names, rng)
            if swapped is not None and code in places_in(swapped).kabkota:
                swapped = None  # a typo hid one mention from the swap: both places named
        if swapped is None:
            swapped = swap_village(text, rng)
        if swapped is None or swapped == text:
            continue
        pairs.append((texts[i], swapped, 0, "place_swap"))
        made += 1

    for kind, swap in (("number_swap", swap_numbers), ("agency_swap", swap_agency)):
        rng.shuffle(order)
        made = 0
        for i in order:
            if made == size:
                break
            text = texts[i]
            if rng.random() < 0.33:
                text = edited(text, rng, kinds=("typo", "greeting", "signature", "slang"))
            swapped = swap(text, rng)
            if swapped is None or swapped == text:
                continue
            pairs.append((texts[i], swapped, 0, kind))
            made += 1

    # same place, another problem: two complaints naming the same kabupaten/kota, or a
    # complaint given the other one's village/street words
    by_place: dict[str, list[int]] = {}
    for i in mine:
        for code in places[i]:
            by_place.setdefault(code, []).append(i)
    crowded = [c for c, members in by_place.items() if len(members) >= 2]
    marked = [i for i in originals if _MARKED.search(texts[i])]
    made = attempts = 0
    while made < size and attempts < size * 50:
        attempts += 1
        if rng.random() < 0.5 and crowded:
            i, j = rng.sample(by_place[rng.choice(crowded)], 2)
            b = texts[j]
        else:
            i, j = rng.choice(marked), rng.choice(originals)
            where = rng.choice(list(_MARKED.finditer(texts[i]))).group(0)
            b = f"{texts[j].rstrip('. ')} di {where}."
        if far(i, j):
            pairs.append((texts[i], b, 0, "same_place"))
            made += 1

    made = attempts = 0
    while made < size and attempts < size * 50:
        attempts += 1
        i, j = rng.sample(mine, 2)
        if far(i, j):
            pairs.append((texts[i], texts[j], 0, "random"))
            made += 1
    rng.shuffle(pairs)
    return pairs


def natural(
    rows: list[dict[str, str]] | None = None, close: dict[tuple[int, int], float] | None = None
) -> list[Pair]:
    """The hand-judged natural pairs; the kind is the half both rows are in ("dev", "test"),
    or "mixed" (left out of both halves)."""
    rows = rows if rows is not None else load()
    close = close if close is not None else similar_rows(rows)
    pairs = []
    for i, j in sorted(close):
        if rows[i]["text"] == rows[j]["text"]:
            continue
        a, b = rows[i]["source_id"], rows[j]["source_id"]
        label = NATURAL.get((a, b), NATURAL.get((b, a)))
        if label is None:
            continue  # not judged: left out rather than guessed
        where = half(a) if half(a) == half(b) else "mixed"
        pairs.append((rows[i]["text"], rows[j]["text"], label, where))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("dev", "test"), default="test")
    parser.add_argument("--seed", type=int, help="default: 1 for dev, 2 for test")
    parser.add_argument("--size", type=int, default=150, help="pairs of each generated kind")
    parser.add_argument("--natural", action="store_true", help="only the hand-judged pairs")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if not COMPLAINTS.exists():
        sys.exit(f"{COMPLAINTS} is missing")
    from _setup import django_on_postgres

    django_on_postgres()
    if args.natural:
        pairs = [(a, b, label, "natural") for a, b, label, _ in natural()]
    else:
        seed = args.seed if args.seed is not None else {"dev": 1, "test": 2}[args.part]
        pairs = build(args.part, seed, args.size)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text_a", "text_b", "is_duplicate", "kind"])
        writer.writerows(pairs)
    kinds = Counter(k for *_, k in pairs)
    positives = sum(label for _, _, label, _ in pairs)
    print(f"wrote {len(pairs)} pairs ({positives} duplicates) to {args.out}: {dict(kinds)}")


if __name__ == "__main__":
    main()
