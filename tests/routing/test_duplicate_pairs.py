"""The hard kinds of pairs: heavy SMS rewrites and windows of a complaint are repeats; the same
text with its village, street, numbers or agency swapped is another problem."""

from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from lapor.routing import minhash
from lapor.routing.differences import swapped
from lapor.routing.duplicates import is_duplicate

pytestmark = pytest.mark.usefixtures("country")

ORIGINAL = (
    "Jembatan penghubung Dusun Krajan dengan Desa Tegalsari di Kecamatan Gajah sudah retak dan "
    "miring sejak banjir bulan lalu. Anak-anak sekolah setiap hari melewati jembatan ini dengan "
    "was-was, dan truk pengangkut pasir masih saja lewat. Kami sudah melapor ke kantor desa tiga "
    "kali tetapi belum ada tindakan. Mohon Dinas Pekerjaan Umum segera memeriksa dan memperbaiki "
    "jembatan sebelum ada korban."
)
# Thumbed on a phone: lower case, shorthand, vowels dropped, typos, a greeting, and only the
# middle of the complaint kept.
SMS = (
    "slmt pagi pak gub, anak2 sklh tiap hr lwt jmbtn ni dgn was was, truk pngangkut psir msh aj "
    "lewat. kmi udh lapor ke kntor ds 3 kali tp blm ada tndakan"
)


def test_a_heavy_sms_rewrite_of_a_window_is_a_repeat():
    a, b = minhash.signed(ORIGINAL), minhash.signed(SMS)
    # Its Jaccard with the whole complaint is low, but most of it is contained in it
    jaccard = minhash.similarity(a.signature, b.signature)
    assert jaccard < minhash.DUPLICATE_AT
    assert minhash.containment(jaccard, a.size, b.size) >= minhash.CONTAINED_AT
    assert is_duplicate(ORIGINAL, SMS)
    assert is_duplicate(SMS, ORIGINAL)


def test_the_skeleton_joins_vowel_typos_and_vowel_dropping_shorthand():
    assert minhash.skeleton("jembatan") == minhash.skeleton("jmbtn") == "jmbtn"
    assert minhash.skeleton("sukamaju") == minhash.skeleton("sukamju")
    assert minhash.skeleton("rusak") != minhash.skeleton("retak")
    assert minhash.words("RT 03 tiga kali") == minhash.words("rt 3 3 kali")


def test_a_few_words_contained_in_a_complaint_are_not_a_repeat():
    # a short text is contained in many complaints: containment needs CONTAINED_MIN shingles
    assert not is_duplicate(ORIGINAL, "jembatan retak")


@pytest.mark.parametrize(
    "other",
    [
        ORIGINAL.replace("Krajan", "Ngemplak"),  # another dusun
        ORIGINAL.replace("Tegalsari", "Sidomulyo"),  # another desa
        ORIGINAL.replace("tiga kali", "5 kali").replace("bulan lalu", "bulan lalu km 12"),
        ORIGINAL.replace("Dinas Pekerjaan Umum", "PDAM"),  # another agency
        # the desa swapped in an SMS rewrite of the whole text
        ORIGINAL.lower().replace("dengan", "dgn").replace("tegalsari", "Sidomulyo"),
    ],
)
def test_the_same_text_with_a_name_number_or_agency_swapped_is_not_a_repeat(other):
    assert minhash.is_duplicate(ORIGINAL, other)  # the text alone: nearly identical
    assert swapped(ORIGINAL, other)
    assert not is_duplicate(ORIGINAL, other)


def test_names_retyped_or_left_out_are_no_swap():
    retyped = ORIGINAL.replace("Tegalsari", "tegalsri").replace("Krajan", "Kranjan")
    assert not swapped(ORIGINAL, retyped)
    assert is_duplicate(ORIGINAL, retyped)
    shorter = ORIGINAL.replace(" di Kecamatan Gajah", "").replace("Dinas Pekerjaan Umum ", "")
    assert not swapped(ORIGINAL, shorter)
    # a marker word changed is no swap either ("Desa" → "Kelurahan"), nor a word of the text
    assert not swapped(ORIGINAL, ORIGINAL.replace("Desa Tegalsari", "Kelurahan Tegalsari"))
    assert not swapped(ORIGINAL, ORIGINAL.replace("retak", "rusak"))


def test_evaluate_prints_every_kind_then_the_whole(tmp_path):
    path = tmp_path / "pairs.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text_a", "text_b", "is_duplicate", "kind"])
        writer.writerow([ORIGINAL, SMS, "1", "sms_rewrite"])
        writer.writerow([ORIGINAL, "jembatan retak", "1", "sms_rewrite"])
        writer.writerow([ORIGINAL, ORIGINAL.replace("Krajan", "Ngemplak"), "0", "place_swap"])
        writer.writerow([ORIGINAL, ORIGINAL.replace("Gajah", "Wonosalam"), "1", "place_swap"])
    out = StringIO()
    call_command("duplicates_evaluate", str(path), stdout=out)
    assert out.getvalue().splitlines() == [
        "kind=place_swap precision=0.000 recall=0.000 n=2",
        "kind=sms_rewrite precision=1.000 recall=0.500 n=2",
        "precision=1.000 recall=0.333 n=4",
    ]
