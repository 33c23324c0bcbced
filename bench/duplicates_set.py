"""Build a labelled set of text pairs for ``lapor duplicates evaluate`` from the real LaporGub!
complaints in ../shared (never copied into the repository: the CSV goes under var/ or /tmp).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \\
        .venv/bin/python bench/duplicates_set.py --part test --out var/duplicates_test.csv
    .venv/bin/lapor duplicates evaluate var/duplicates_test.csv

Columns ``text_a,text_b,is_duplicate,kind``. Kinds:

- ``exact``: the file's own exact duplicates (``exact_dup_of``) — positive;
- ``edit:...``: a complaint and a copy with 1-3 edits a second reporter makes — typos,
  reordering (sentences shuffled, or neighbouring words swapped), truncation (60-90 % of the
  words kept), a greeting added, a signature added (name, RT/RW, phone), slang abbreviations
  — positive;
- ``other_place``: a complaint naming one kabupaten/kota and the same complaint with that place
  swapped for another kabupaten/kota of Jawa Tengah (half of them also lightly edited) —
  negative (the same problem, elsewhere);
- ``same_place``: two different complaints naming the same kabupaten/kota — negative;
- ``random``: two different complaints — negative.

Pairs of distinct rows whose texts are already ≥ 0.3 alike (MinHash) are never used as
negatives: some are the same complaint posted twice by its author (see ``--natural``).

``--part dev`` and ``--part test`` draw from two disjoint halves of the file (split by a hash
of the source id) with different seeds: tune on dev, report test. ``--natural`` writes instead
the file's own near-duplicate pairs (0.3 ≤ similarity < 1 between distinct rows), labelled by
hand below (``NATURAL``), as a reality check outside the generated set. ``--breakdown`` also
prints, per kind, how many pairs the product's decision (``routing.duplicates.is_duplicate``)
calls duplicates. The gazetteer needs the region table: any migrated database with
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
KEYS = "qwertyuiopasdfghjklzxcvbnm"

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


def typos(text: str, rng: random.Random) -> str:
    chars = list(text)
    letters = [i for i, c in enumerate(chars) if c.isalpha()]
    for _ in range(max(1, len(text) // 60)):
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
        while True:
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


def edited(text: str, rng: random.Random, kinds: tuple[str, ...] = tuple(EDITS)) -> tuple[str, str]:
    names = rng.sample(sorted(kinds), k=rng.choice((1, 2, 2, 3)))
    order = ["slang", "typo", "reorder", "truncate", "greeting", "signature"]
    for name in sorted(names, key=order.index):
        text = EDITS[name](text, rng)
    return text, "+".join(sorted(names, key=order.index))


# Places --------------------------------------------------------------------------------------


def kabkota_names() -> dict[str, tuple[str, str]]:
    """Code → (kind, core name) of the kabupaten/kota of Jawa Tengah, from the region table."""
    from lapor.agencies.catalog import place_name
    from lapor.regions.models import Region

    rows = Region.objects.filter(level=Region.Level.KABUPATEN_KOTA, code__startswith="33.")
    return {r.code: (r.kind, place_name(r.name)) for r in rows}


def swap_place(
    text: str, code: str, names: dict[str, tuple[str, str]], rng: random.Random
) -> str | None:
    """``text`` with every spelling of kabupaten/kota ``code`` replaced by another of the same
    kind (kabupaten or kota); None when the name cannot be found in the raw text."""
    kind, core = names[code]
    others = [c for c, (k, n) in names.items() if k == kind and c != code and n != core]
    if not others:
        return None
    _, new = names[rng.choice(others)]
    pattern = re.compile(r"\b" + r"\s*".join(map(re.escape, core.split())) + r"\b", re.I)
    swapped, n = pattern.subn(new, text)
    return swapped if n else None


# Building ------------------------------------------------------------------------------------


def load() -> list[dict[str, str]]:
    with COMPLAINTS.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def similar_rows(rows: list[dict[str, str]]) -> dict[tuple[int, int], float]:
    """Pairs of distinct row indexes whose texts are at least FAR_APART alike."""
    import numpy as np

    from lapor.routing.minhash import signature

    sigs = np.stack([signature(r["text"]) for r in rows])
    close: dict[tuple[int, int], float] = {}
    for i in range(len(rows)):
        sims = (sigs[i + 1 :] == sigs[i]).mean(axis=1)
        for j in np.nonzero(sims >= FAR_APART)[0]:
            close[(i, i + 1 + int(j))] = float(sims[j])
    return close


def build(part: str, seed: int, n_edit: int, n_neg: int) -> list[tuple[str, str, int, str]]:
    from lapor.routing.duplicates import places_in

    rng = random.Random(seed)
    rows = load()
    close = similar_rows(rows)
    names = kabkota_names()
    mine = [i for i, r in enumerate(rows) if half(r["source_id"]) == part]
    pairs: list[tuple[str, str, int, str]] = []

    # the file's exact duplicates: each row with exact_dup_of and the earlier row it repeats
    by_source: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_source.setdefault(r["source_id"], []).append(i)
    seen: set[frozenset[int]] = set()
    for i, r in enumerate(rows):
        if not r["exact_dup_of"] or half(r["exact_dup_of"]) != part:
            continue
        for j in by_source.get(r["exact_dup_of"], []):
            key = frozenset((i, j))
            if j != i and rows[j]["text"] == r["text"] and key not in seen:
                seen.add(key)
                pairs.append((rows[j]["text"], r["text"], 1, "exact"))

    originals = [i for i in mine if len(rows[i]["text"]) >= MIN_CHARS]
    for i in rng.sample(originals, k=min(n_edit, len(originals))):
        copy, how = edited(rows[i]["text"], rng)
        pairs.append((rows[i]["text"], copy, 1, f"edit:{how}"))

    def far(i: int, j: int) -> bool:
        return rows[i]["text"] != rows[j]["text"] and (min(i, j), max(i, j)) not in close

    places = {i: places_in(rows[i]["text"]).kabkota for i in mine}
    one_place = [i for i in originals if len(places[i]) == 1 and next(iter(places[i])) in names]
    rng.shuffle(one_place)
    made = 0
    for i in one_place:
        if made == n_neg:
            break
        code = next(iter(places[i]))
        text = rows[i]["text"]
        if rng.random() < 0.5:
            # Lightly edited first, then the place swapped: the other place stays named and
            # spelt right (a pair naming no place, or a garbled one, is an edited copy as far
            # as any reader of the text can tell).
            text, _ = edited(text, rng, kinds=("typo", "reorder", "greeting", "signature", "slang"))
        swapped = swap_place(text, code, names, rng)
        if swapped is None or code in places_in(swapped).kabkota:
            continue  # a typo hid one mention from the swap: both places named, left out
        pairs.append((rows[i]["text"], swapped, 0, "other_place"))
        made += 1

    by_place: dict[str, list[int]] = {}
    for i in mine:
        for code in places[i]:
            by_place.setdefault(code, []).append(i)
    crowded = [c for c, members in by_place.items() if len(members) >= 2]
    made = attempts = 0
    while made < n_neg and attempts < n_neg * 50 and crowded:
        attempts += 1
        i, j = rng.sample(by_place[rng.choice(crowded)], 2)
        if far(i, j):
            pairs.append((rows[i]["text"], rows[j]["text"], 0, "same_place"))
            made += 1

    made = attempts = 0
    while made < n_neg and attempts < n_neg * 50:
        attempts += 1
        i, j = rng.sample(mine, 2)
        if far(i, j):
            pairs.append((rows[i]["text"], rows[j]["text"], 0, "random"))
            made += 1
    rng.shuffle(pairs)
    return pairs


def natural() -> list[tuple[str, str, int, str]]:
    rows = load()
    pairs = []
    for (i, j), _sim in sorted(similar_rows(rows).items()):
        if rows[i]["text"] == rows[j]["text"]:
            continue
        a, b = rows[i]["source_id"], rows[j]["source_id"]
        label = NATURAL.get((a, b), NATURAL.get((b, a)))
        if label is None:
            continue  # not judged: left out rather than guessed
        pairs.append((rows[i]["text"], rows[j]["text"], label, "natural"))
    return pairs


def breakdown(pairs: list[tuple[str, str, int, str]]) -> None:
    from lapor.routing.duplicates import is_duplicate

    called: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for a, b, _label, kind in pairs:
        group = "edit" if kind.startswith("edit:") else kind
        total[group] += 1
        called[group] += is_duplicate(a, b)
        for edit in kind[5:].split("+") if kind.startswith("edit:") else []:
            total[f"  with {edit}"] += 1
            called[f"  with {edit}"] += is_duplicate(a, b)
    print("kind                    pairs  called duplicate")
    for group in sorted(total, key=lambda g: (g.startswith("  "), g)):
        print(f"{group:22} {total[group]:6} {called[group]:6} ({called[group] / total[group]:.1%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("dev", "test"), default="test")
    parser.add_argument("--seed", type=int, help="default: 1 for dev, 2 for test")
    parser.add_argument("--edits", type=int, default=600, help="edited copies (positives)")
    parser.add_argument("--negatives", type=int, default=300, help="pairs of each negative kind")
    parser.add_argument("--natural", action="store_true", help="the file's own near-duplicates")
    parser.add_argument("--breakdown", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if not COMPLAINTS.exists():
        sys.exit(f"{COMPLAINTS} is missing")
    from _setup import django_on_postgres

    django_on_postgres()
    if args.natural:
        pairs = natural()
    else:
        seed = args.seed if args.seed is not None else {"dev": 1, "test": 2}[args.part]
        pairs = build(args.part, seed, args.edits, args.negatives)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text_a", "text_b", "is_duplicate", "kind"])
        writer.writerows(pairs)
    kinds = Counter("edit" if k.startswith("edit:") else k for *_, k in pairs)
    positives = sum(label for _, _, label, _ in pairs)
    print(f"wrote {len(pairs)} pairs ({positives} duplicates) to {args.out}: {dict(kinds)}")
    if args.breakdown:
        breakdown(pairs)


if __name__ == "__main__":
    main()
