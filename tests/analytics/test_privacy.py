"""Small cells and rahasia reports: what a public figure may never reveal."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from lapor.analytics import suppress
from lapor.analytics.facts import Metric
from lapor.analytics.fill import fill
from lapor.analytics.models import CurrentCount, DailyCount
from lapor.reports import services
from tests.factories import CategoryFactory, ProvinceFactory, RegencyFactory, national_admin, submit

pytestmark = pytest.mark.django_db
COUNT_TABLES = ("bulanan", "kategori", "jenis", "kanal", "naik")


def test_counts_of_one_to_four_are_shown_as_less_than_five():
    assert [c.text for c in suppress.column([0, 5, 12])] == ["0", "5", "12"]
    cells = suppress.column([3, 40, 7, 0])
    # the 3 is hidden, and so is the next smallest (7), else 3 = total - 40 - 7 - 0
    assert [c.text for c in cells] == ["< 5", "40", "< 5", "0"]
    assert [c.export() for c in cells] == ["< 5", 40, "< 5", 0]
    assert suppress.rate(3, 100).value is None  # 3 could be worked out from 100 and the share
    assert suppress.rate(10, 4).value is None
    assert suppress.rate(0, 20).text.startswith("0")
    assert suppress.rate(10, 20).value == 50.0
    assert suppress.mean(12, 4).value is None
    assert suppress.hours(5.0, 3).value is None


@pytest.fixture
def places():
    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    return {
        "demak": RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng),
        "kudus": RegencyFactory(code="33.19", name="Kabupaten Kudus", parent=jateng),
        "category": CategoryFactory(code="jalan", name="Jalan rusak"),
    }


def _csv(client, url):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_rahasia_reports_count_only_in_the_national_total(client, places):
    # Given six rahasia reports in Kudus and seven public ones in Demak
    for _ in range(6):
        submit(region=places["kudus"], category=places["category"], is_confidential=True)
    for _ in range(7):
        submit(region=places["demak"], category=places["category"], is_confidential=False)
    fill()
    # Then no count row anywhere names Kudus, and every rahasia row has no dimension at all
    assert not DailyCount.objects.filter(kabkota="33.19").exists()
    assert not CurrentCount.objects.filter(kabkota="33.19").exists()
    national_only = DailyCount.objects.filter(province="", metric=Metric.SUBMITTED)
    assert sum(r.value for r in national_only) == 6
    assert set(national_only.values_list("category", "agency", "type", "channel").distinct()) == {
        (0, 0, "", "")
    }
    # And the national headline counts 13, Kudus's dashboard counts nothing, Demak's 7
    rows = dict(
        (r[0], r[2])
        for r in _csv(client, reverse("analytics:national_csv", args=["ringkasan"]))[1:]
    )
    assert rows["laporan_masuk"] == "13"
    kudus = _csv(client, reverse("analytics:kabkota_csv", args=["33.19", "ringkasan"]))
    assert dict((r[0], r[2]) for r in kudus[1:])["laporan_masuk"] == "0"
    demak = _csv(client, reverse("analytics:kabkota_csv", args=["33.21", "ringkasan"]))
    assert dict((r[0], r[2]) for r in demak[1:])["laporan_masuk"] == "7"
    # And the national breakdown by category counts only the public seven
    by_category = _csv(client, reverse("analytics:national_csv", args=["kategori"]))
    assert by_category[1][2] == "7"


def test_a_report_made_rahasia_leaves_every_breakdown(client, places):
    # Given a public report, counted in Demak
    report = submit(region=places["demak"], is_confidential=False).report
    fill()
    assert DailyCount.objects.filter(kabkota="33.21").exists()
    # When an officer makes it rahasia
    services.report_set_privacy(
        report=report,
        actor=national_admin(),
        is_anonymous=True,
        is_confidential=True,
        reason="Menyebut nama petugas.",
    )
    fill()
    # Then its counts moved to the national-only rows: nothing is left under Demak
    assert sum(DailyCount.objects.filter(kabkota="33.21").values_list("value", flat=True)) == 0
    assert DailyCount.objects.get(province="", metric=Metric.SUBMITTED).value == 1


def test_no_public_table_shows_a_count_below_five(client, places):
    # Given three public reports in Demak and eight in Kudus
    for _ in range(3):
        submit(region=places["demak"], category=places["category"], is_confidential=False)
    for _ in range(8):
        submit(region=places["kudus"], category=places["category"], is_confidential=False)
    fill()
    pages = [
        ("national_csv", []),
        ("province_csv", ["33"]),
        ("kabkota_csv", ["33.21"]),
        ("kabkota_csv", ["33.19"]),
    ]
    for name, args in pages:
        for table in (*COUNT_TABLES, "ringkasan"):
            rows = _csv(client, reverse(f"analytics:{name}", args=[*args, table]))
            for row in rows[1:]:
                values = (
                    row[2:]
                    if table != "ringkasan"
                    else [row[2]]
                    if row[0] in ("laporan_masuk", "terbuka", "terlambat")
                    else []
                )
                for value in values:
                    assert value in ("", "< 5") or float(value) == 0 or float(value) >= 5, (
                        name,
                        args,
                        table,
                        row,
                    )
    # And the Demak page says "< 5" where the three are
    page = client.get(reverse("analytics:kabkota", args=["33.21"]))
    assert "&lt; 5" in page.content.decode()
