"""Near-duplicate reports: the same complaint retyped is caught, a different one is not."""

from __future__ import annotations

import csv
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lapor.regions.models import Region
from lapor.reports.models import Report
from lapor.reports.privacy import public_reports
from lapor.routing import minhash
from lapor.routing.duplicates import index_report, is_duplicate, lookup
from lapor.routing.models import DuplicateBand, DuplicateSignature
from tests.factories import submit

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
        assert minhash.is_duplicate(ORIGINAL, copy)


def test_same_place_other_problem_and_same_problem_other_place_are_not():
    same_place = (
        "Lampu penerangan jalan di Desa Karangrejo Kecamatan Mranggen mati semua sejak bulan lalu, "
        "malam hari sangat gelap dan rawan pencurian. Mohon lampu segera diganti."
    )
    other_place = (
        "Jalan utama Kelurahan Pedurungan Tengah di Kota Semarang banyak lubang besar setelah "
        "banjir, pengendara sering terjatuh pada malam hari. Mohon ditambal secepatnya."
    )
    assert not minhash.is_duplicate(ORIGINAL, same_place)
    assert not minhash.is_duplicate(ORIGINAL, other_place)


@pytest.mark.usefixtures("country")
def test_evaluate_prints_precision_and_recall(tmp_path):
    path = tmp_path / "pairs.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text_a", "text_b", "is_duplicate"])
        writer.writerow([ORIGINAL, "Selamat siang. " + ORIGINAL, "1"])
        writer.writerow([ORIGINAL, "Bantuan PKH untuk keluarga kami belum cair tiga bulan.", "0"])
        writer.writerow([KUDUS_ROAD, KUDUS_ROAD.replace("Kudus", "Pati"), "0"])
    out = StringIO()
    call_command("duplicates_evaluate", str(path), stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "precision=1.000 recall=1.000 n=3"


# With the country's regions: places named in the texts, the index and the lookup.

KUDUS_ROAD = (
    "Jalan raya Desa Jati di Kabupaten Kudus rusak parah, berlubang sedalam lutut sejak musim "
    "hujan. Sudah tiga kali pengendara motor jatuh. Mohon segera diperbaiki."
)


@pytest.mark.usefixtures("country")
def test_the_same_complaint_about_another_kabupaten_is_not_a_duplicate():
    # Given the same complaint with only the kabupaten changed
    demak = KUDUS_ROAD.replace("Kabupaten Kudus", "Kab. Demak")
    # Then the texts alone look alike, but the places named differ
    assert minhash.is_duplicate(KUDUS_ROAD, demak)
    assert not is_duplicate(KUDUS_ROAD, demak)
    # And an edited copy naming the same place (or none, truncated) still is one
    assert is_duplicate(KUDUS_ROAD, "Selamat pagi. " + KUDUS_ROAD.replace("parah", "parh"))
    assert is_duplicate(KUDUS_ROAD, KUDUS_ROAD.replace("di Kabupaten Kudus ", ""))
    assert is_duplicate(KUDUS_ROAD, KUDUS_ROAD.replace("Kabupaten Kudus", "kab kudus"))


@pytest.mark.usefixtures("country")
def test_a_place_and_the_kabupaten_it_lies_in_do_not_conflict():
    kudus = Region.objects.get(code="33.19")
    Region.objects.create(
        code="33.19.05", name="Jati", level="kecamatan", kind="kecamatan", parent=kudus
    )
    with_kecamatan = KUDUS_ROAD.replace("Desa Jati di Kabupaten Kudus", "Kecamatan Jati")
    assert is_duplicate(KUDUS_ROAD, with_kecamatan)


def _report(text: str, region: str, **kw):  # type: ignore[no-untyped-def]
    title, body = text.split(". ", 1)
    report = submit(title=title, body=body, region=Region.objects.get(code=region), **kw).report
    index_report(report)
    return report


@pytest.mark.usefixtures("country")
def test_lookup_offers_the_same_kabupaten_first_then_the_province_and_nothing_else():
    # Given the same complaint filed in Kudus, in Demak (same province, no place named), in
    # Surabaya (another province), and an unrelated one in Kudus
    plain = ORIGINAL.replace("Desa Karangrejo menuju Kecamatan Mranggen", "desa kami")
    here = _report(plain, "33.19")
    near = _report(plain.replace("Sudah tiga kali", "Sudah tiga kali ini"), "33.21")
    _report(plain, "35.78")
    _report("Lampu jalan mati. Lampu penerangan jalan di desa kami mati sebulan.", "33.19")
    # When a citizen in Kudus types it again with a greeting
    found = lookup("Selamat siang. " + plain, region_code="33.19")
    # Then Kudus comes first, then Demak; never Surabaya or the unrelated report
    assert [m.report_id for m in found] == [here.pk, near.pk]
    assert found[0].same_kabkota and not found[1].same_kabkota
    assert found[0].similarity >= 0.9


@pytest.mark.usefixtures("country")
def test_lookup_leaves_out_closed_old_and_unreachable_reports():
    from lapor.reports.lifecycle import Status

    text = ORIGINAL
    done = _report(text, "33.21")
    Report.objects.filter(pk=done.pk).update(status=Status.COMPLETED)
    old = _report(text, "33.21", at=timezone.now() - timedelta(days=90))
    hidden = _report(text, "33.21", is_confidential=True)
    visible = _report(text, "33.21", is_confidential=False)
    found = lookup(text, region_code="33.21", within=public_reports())
    assert [m.report_id for m in found] == [visible.pk]
    everything = lookup(text, region_code="33.21", window=None, open_only=False)
    assert {m.report_id for m in everything} == {done.pk, old.pk, hidden.pk, visible.pk}


@pytest.mark.usefixtures("country")
def test_index_command_indexes_every_report_once():
    reports = [_report(ORIGINAL, "33.21") for _ in range(3)]
    DuplicateSignature.objects.filter(pk=reports[0].pk).delete()
    DuplicateBand.objects.filter(report_id=reports[0].pk).delete()
    bands_before = DuplicateBand.objects.count()
    out = StringIO()
    call_command("duplicates_index", "--batch", "2", stdout=out)
    assert "Terindeks 1 laporan, 2 sudah terindeks" in out.getvalue()
    assert DuplicateSignature.objects.count() == 3
    assert DuplicateBand.objects.count() == bands_before * 3 // 2
    call_command("duplicates_index", stdout=out)
    call_command("duplicates_index", "--again", stdout=out)
    assert DuplicateSignature.objects.count() == 3
    assert DuplicateBand.objects.count() == bands_before * 3 // 2


@pytest.mark.usefixtures("country")
def test_lookup_skips_the_same_problem_in_another_place_and_another_problem_in_this_place():
    # Given the road complaint naming Kabupaten Kudus, filed in Jawa Tengah
    here = _report(KUDUS_ROAD, "33.19")
    # kept with it, with the village it names
    assert DuplicateSignature.objects.get(pk=here.pk).places == "33.19 desa:jati"
    # When the same complaint is typed naming Kabupaten Pati instead (also Jawa Tengah)
    pati = KUDUS_ROAD.replace("Kabupaten Kudus", "Kabupaten Pati")
    # Then it is not offered, though the texts are nearly identical
    assert lookup(pati, region_code="33.18") == []
    assert lookup(pati, region_code="33.19") == []
    # And another problem in the same desa of Kudus is not offered either
    lamp = (
        "Lampu penerangan jalan raya Desa Jati di Kabupaten Kudus mati semua sejak bulan lalu, "
        "malam hari sangat gelap dan rawan begal. Mohon lampu segera diganti."
    )
    assert lookup(lamp, region_code="33.19") == []
    # While the complaint retyped, naming the same place, is
    retyped = "Selamat malam. " + KUDUS_ROAD.replace("Kabupaten Kudus", "Kab. Kudus")
    assert [m.report_id for m in lookup(retyped, region_code="33.19")] == [here.pk]


@pytest.mark.usefixtures("country")
def test_index_command_redoes_signatures_of_an_older_scheme():
    # Given a report indexed under an older MinHash scheme (other parameters, other keys)
    report = _report(ORIGINAL, "33.21")
    DuplicateSignature.objects.filter(pk=report.pk).update(scheme=minhash.SCHEME - 1)
    # Then the lookup ignores it until the index command redoes it
    assert lookup(ORIGINAL, region_code="33.21") == []
    out = StringIO()
    call_command("duplicates_index", stdout=out)
    assert "Terindeks 1 laporan, 0 sudah terindeks" in out.getvalue()
    assert DuplicateSignature.objects.get(pk=report.pk).scheme == minhash.SCHEME
    assert [m.report_id for m in lookup(ORIGINAL, region_code="33.21")] == [report.pk]
