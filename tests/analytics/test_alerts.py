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
    opened = [len(record_alarms(TODAY)) for _ in range(3)]
    assert opened == [1, 0, 0]
    assert record_alarms(TODAY + timedelta(days=1)) == []
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
    body = client.get(reverse("analytics:alerts")).content.decode()
    assert "Kabupaten Demak" in body and "Banjir" in body and "20" in body
    assert reverse("analytics:kabkota", args=["33.21"]) in body
