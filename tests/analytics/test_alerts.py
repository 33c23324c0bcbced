"""Early-warning alerts: one per episode, however often the hourly run goes; the public page."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from django.urls import reverse

from lapor.analytics.alerts import record_alarms
from lapor.analytics.facts import Metric
from lapor.analytics.models import Alert, DailyCount
from tests.factories import CategoryFactory, ProvinceFactory, RegencyFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


def _history(spikes: dict[date, int], category: int) -> None:
    """Six weeks of one to three reports a day in Demak's category, with ``spikes``."""
    rng = np.random.default_rng(2)
    rows = []
    for back in range(-3, 45):
        day = TODAY - timedelta(days=back)
        n = spikes.get(day, int(rng.integers(1, 4)))
        rows.append(
            DailyCount(
                day=day,
                province="33",
                kabkota="33.21",
                category=category,
                metric=Metric.SUBMITTED,
                value=n,
            )
        )
    DailyCount.objects.bulk_create(rows)


def test_one_alert_per_episode_however_often_the_run_goes():
    from lapor.notifications.models import Notification
    from tests.factories import AgencyFactory, national_admin, officer

    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    demak = RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng)
    government = AgencyFactory(code="pemkab-3321", kind="pemkab", region=demak)
    admin, local = national_admin(), officer(government)
    officer(AgencyFactory(code="pemkab-3319", kind="pemkab"))  # another regency: not told
    category = CategoryFactory(code="banjir", name="Banjir").pk
    # Given a flood: twenty reports on two days running, then again after a quiet week
    later = TODAY + timedelta(days=8)
    _history({TODAY: 20, TODAY + timedelta(days=1): 22, later: 25}, category)
    # When the hourly run goes three times on the first day and once on the second
    opened = [len(record_alarms(TODAY, with_topics=False)) for _ in range(3)]
    assert opened == [1, 0, 0]
    assert record_alarms(TODAY + timedelta(days=1), with_topics=False) == []
    # Then one alert covers both days, its peak the larger count
    alert = Alert.objects.get()
    assert (alert.started_on, alert.last_seen_on, alert.peak) == (
        TODAY,
        TODAY + timedelta(days=1),
        22,
    )
    assert alert.expected < 5
    # And the region's government admins and the national admins heard of it once, with figures
    told = Notification.objects.filter(kind="early_warning")
    assert sorted(told.values_list("recipient", flat=True)) == sorted([admin.email, local.email])
    body = told.first().body  # type: ignore[union-attr]
    assert "20 laporan publik kategori Banjir di Kabupaten Demak" in body
    assert "/dasbor/wilayah/33.21/" in body


def test_the_alert_page_names_the_region_and_category(client):
    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng)
    category = CategoryFactory(code="banjir", name="Banjir").pk
    Alert.objects.create(
        kabkota="33.21",
        category=category,
        started_on=date.today(),
        last_seen_on=date.today(),
        count=20,
        expected=2.1,
        peak=20,
    )
    alert = Alert.objects.get()
    body = client.get(reverse("analytics:alerts")).content.decode()
    assert "Kabupaten Demak" in body and "Banjir" in body and "20" in body
    assert reverse("analytics:alert", args=[alert.pk]) in body
    page = client.get(reverse("analytics:alert", args=[alert.pk])).content.decode()
    assert "Laporan Banjir naik di Kabupaten Demak" in page and "2,1" in page
    assert reverse("analytics:kabkota", args=["33.21"]) in page
    assert client.get(reverse("analytics:alert", args=[alert.pk + 1])).status_code == 404


def test_an_agency_series_alarms_and_tells_that_agency_and_the_category_agencies():
    from lapor.notifications.models import Notification
    from tests.factories import AgencyFactory, national_admin, officer

    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng)
    pln = AgencyFactory(code="pln-jateng", name="PLN Jawa Tengah", kind="bumn")
    pln_admin, admin = officer(pln), national_admin()
    officer(AgencyFactory(code="pdam-demak", kind="bumn"))  # another agency: not told
    # Given six weeks of one to three public reports a day to PLN (spread over kabupaten/kota
    # and categories, none of which rises alone), then thirty today
    rng = np.random.default_rng(5)
    rows = []
    for back in range(0, 45):
        day = TODAY - timedelta(days=back)
        n = 30 if back == 0 else int(rng.integers(1, 4))
        for i in range(n):
            rows.append(
                DailyCount(
                    day=day,
                    province="33",
                    kabkota=f"33.{10 + i % 15}",
                    agency=pln.pk,
                    category=100 + i % 7,
                    metric=Metric.SUBMITTED,
                    value=1,
                )
            )
    DailyCount.objects.bulk_create(rows)
    # When the hourly run goes twice
    opened = [record_alarms(TODAY, with_topics=False) for _ in range(2)]
    # Then one agency alert, PLN's, with its count against the expected
    assert [a.kind for a in opened[0]] == ["instansi"] and opened[1] == []
    alert = Alert.objects.get()
    assert (alert.agency, alert.count, alert.kabkota, alert.category) == (pln.pk, 30, "", 0)
    assert alert.expected < 5
    # And PLN's admins and the national admins are told, nobody else
    told = Notification.objects.filter(kind="early_warning")
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [admin.email, pln_admin.email]
    )
    assert "30 laporan publik ke PLN Jawa Tengah" in told.first().body  # type: ignore[union-attr]


def test_a_category_alert_also_tells_the_agencies_handling_it_there():
    from lapor.notifications.models import Notification
    from tests.factories import AgencyFactory, national_admin, officer

    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    demak = RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng)
    AgencyFactory(code="pemkab-3321", kind="pemkab", region=demak)
    bbws = AgencyFactory(code="bbws-pemali", name="BBWS Pemali Juana", kind="lembaga")
    bbws_admin, admin = officer(bbws), national_admin()
    category = CategoryFactory(code="banjir", name="Banjir").pk
    DailyCount.objects.create(
        day=TODAY - timedelta(days=10),
        province="33",
        kabkota="33.21",
        agency=bbws.pk,
        category=category,
        metric=Metric.SUBMITTED,
        value=0,
    )
    _history({TODAY: 20}, category)
    record_alarms(TODAY, with_topics=False)
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert {admin.email, bbws_admin.email} <= told


def test_the_alert_pages_are_light_and_bounded(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lapor.agencies.models import Agency
    from tests.factories import AgencyFactory

    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng)
    pln: Agency = AgencyFactory(code="pln-jateng", name="PLN Jawa Tengah", kind="bumn")
    category = CategoryFactory(code="banjir", name="Banjir").pk
    common = {"started_on": date.today(), "last_seen_on": date.today(), "expected": 2.0}
    made = [
        Alert.objects.create(kabkota="33.21", category=category, count=20, peak=20, **common),
        Alert.objects.create(kind="instansi", agency=pln.pk, count=30, peak=30, **common),
        Alert.objects.create(
            kind="topik", kabkota="33", terms="tebing longsor; longsor", count=9, peak=9, **common
        ),
    ]
    pages = [reverse("analytics:alerts")] + [reverse("analytics:alert", args=[a.pk]) for a in made]
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200 and len(queries) <= 8, (url, len(queries))
        assert len(response.content) < 40_000 and "<script" not in body
    listing = client.get(pages[0]).content.decode()
    assert "PLN Jawa Tengah" in listing and "Topik baru:" in listing and "Jawa Tengah" in listing
    topic = client.get(pages[3]).content.decode()
    assert (
        "Topik baru di Jawa Tengah" in topic and reverse("analytics:province", args=["33"]) in topic
    )
