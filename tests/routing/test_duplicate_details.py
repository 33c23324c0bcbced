"""Duplicates: the same text about another street, village, RT or number is another problem;
a partial SMS rewrite that leaves the details out still matches."""

from __future__ import annotations

import pytest

from lapor.routing.duplicates import Places, details_conflict, details_in, is_duplicate

pytestmark = pytest.mark.usefixtures("country")

ORIGINAL = (
    "Jalan Pemuda RT 03 RW 05 Desa Karangrejo rusak parah, berlubang sedalam lutut sejak musim "
    "hujan. Sudah tiga kali ada pengendara motor jatuh di depan masjid. Mohon segera diperbaiki."
)


def test_details_are_read_after_their_markers():
    assert details_in(ORIGINAL) == {"jalan:pemuda", "rt:3", "rw:5", "desa:karangrejo"}
    # slang and abbreviations are normalised first; words that are no names are skipped
    assert details_in("jl. pemuda rt.03 jalan rusak, desa kami banjir") == {
        "jalan:pemuda",
        "rt:3",
    }


@pytest.mark.parametrize(
    "swapped",
    [
        ORIGINAL.replace("Jalan Pemuda", "Jalan Diponegoro"),  # another street
        ORIGINAL.replace("Desa Karangrejo", "Desa Sumberejo"),  # another village
        ORIGINAL.replace("RT 03", "RT 07"),  # another RT
    ],
)
def test_the_same_text_elsewhere_is_not_a_duplicate(swapped):
    assert not is_duplicate(ORIGINAL, swapped)


def test_an_sms_rewrite_keeping_a_window_is_still_a_duplicate():
    sms = (
        "slmt pagi pak, jln pemuda rt 3 rusak parah berlubang sedalam lutut sjk musim hujan, "
        "sdh tiga kali ada pengendara motor jatuh"
    )
    assert is_duplicate(ORIGINAL, sms)


def test_details_survive_storage_and_a_missing_kind_conflicts_with_nothing():
    stored = Places(frozenset({"33.21"}), frozenset(), details_in(ORIGINAL)).stored()
    back = Places.from_stored(stored)
    assert back.kabkota == {"33.21"} and back.details == details_in(ORIGINAL)
    assert not details_conflict(frozenset({"rt:3"}), frozenset({"jalan:pemuda"}))
    assert details_conflict(frozenset({"rt:3", "no:12"}), frozenset({"rt:3", "no:40"}))
