"""Near-duplicate reports: the same complaint retyped is caught, a different one is not."""

from __future__ import annotations

import csv
from io import StringIO

from django.core.management import call_command

from lapor.routing.minhash import is_duplicate

ORIGINAL = (
    "Jalan penghubung Desa Karangrejo menuju Kecamatan Mranggen rusak parah, berlubang sedalam "
    "lutut sejak musim hujan. Sudah tiga kali ada pengendara motor jatuh. Mohon segera diperbaiki."
)


def test_edited_copies_are_duplicates():
    retyped = ORIGINAL.replace("berlubang", "brlubang").replace("parah", "prah")
    greeted = f"Assalamualaikum wr wb. Selamat pagi pak. {ORIGINAL} Terima kasih, hormat saya Budi"
    reordered = " ".join(reversed(ORIGINAL.split(". ")))
    truncated = ORIGINAL[: int(len(ORIGINAL) * 0.7)]
    slang = ORIGINAL.replace("Jalan", "Jln").replace("Sudah", "Sdh").replace("yang", "yg")
    for copy in (retyped, greeted, reordered, truncated, slang):
        assert is_duplicate(ORIGINAL, copy)


def test_same_place_other_problem_and_same_problem_other_place_are_not():
    same_place = (
        "Lampu penerangan jalan di Desa Karangrejo Kecamatan Mranggen mati semua sejak bulan lalu, "
        "malam hari sangat gelap dan rawan pencurian. Mohon lampu segera diganti."
    )
    other_place = (
        "Jalan utama Kelurahan Pedurungan Tengah di Kota Semarang banyak lubang besar setelah "
        "banjir, pengendara sering terjatuh pada malam hari. Mohon ditambal secepatnya."
    )
    assert not is_duplicate(ORIGINAL, same_place)
    assert not is_duplicate(ORIGINAL, other_place)


def test_evaluate_prints_precision_and_recall(tmp_path):
    path = tmp_path / "pairs.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text_a", "text_b", "is_duplicate"])
        writer.writerow([ORIGINAL, "Selamat siang. " + ORIGINAL, "1"])
        writer.writerow([ORIGINAL, "Bantuan PKH untuk keluarga kami belum cair tiga bulan.", "0"])
    out = StringIO()
    call_command("duplicates_evaluate", str(path), stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "precision=1.000 recall=1.000 n=2"
