"""The month-end backlog: recorded once, by the first fill that has counted every event of the
month, never during a rebuild, from the public stocks only."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from lapor.analytics import stocks
from lapor.analytics.facts import Metric
from lapor.analytics.fill import REBUILD_DAY
from lapor.analytics.models import CurrentCount, FillCursor, MonthStock
from lapor.analytics.tasks import fill_rollups
from lapor.reports.models import AuditStripeHead
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

# 1 December 2026, 00:30 WIB = 30 November 17:30 UTC: November has just ended in WIB.
AFTER_NOVEMBER = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)


def _stock(agency: int, metric: str, value: int, *, public: bool = True) -> None:
    CurrentCount.objects.create(
        province="33" if public else "",
        kabkota="33.21" if public else "",
        agency=agency if public else 0,
        metric=metric,
        value=value,
    )


def test_the_month_that_ended_is_recorded_once_from_the_public_stocks():
    demak = AgencyFactory(code="pemkab-demak")
    kudus = AgencyFactory(code="pemkab-kudus")
    _stock(demak.pk, Metric.OPEN, 12)
    _stock(demak.pk, Metric.OVERDUE, 3)
    _stock(kudus.pk, Metric.OPEN, 4)
    _stock(0, Metric.OPEN, 50, public=False)  # rahasia: national only, never in a backlog
    assert stocks.month_that_ended(AFTER_NOVEMBER) == date(2026, 11, 1)
    assert stocks.snapshot_month(AFTER_NOVEMBER) == date(2026, 11, 1)
    rows = {
        (r.agency, r.metric): r.value for r in MonthStock.objects.filter(month=date(2026, 11, 1))
    }
    assert rows == {
        (demak.pk, Metric.OPEN): 12,
        (demak.pk, Metric.OVERDUE): 3,
        (kudus.pk, Metric.OPEN): 4,
        (0, Metric.OPEN): 16,
        (0, Metric.OVERDUE): 3,
    }
    # Later runs leave the recorded month alone, even when the stock moved
    CurrentCount.objects.filter(agency=demak.pk, metric=Metric.OPEN).update(value=99)
    assert stocks.snapshot_month(AFTER_NOVEMBER.replace(hour=23)) is None
    assert (
        MonthStock.objects.get(month=date(2026, 11, 1), agency=demak.pk, metric="open").value == 12
    )


def test_not_while_the_month_still_has_events_to_count_nor_during_a_rebuild():
    demak = AgencyFactory(code="pemkab-demak")
    _stock(demak.pk, Metric.OPEN, 12)
    # Events of 30 November (UTC) written but not yet counted: November is not over for the fill
    AuditStripeHead.objects.create(day=date(2026, 11, 30), stripe=0, count=5)
    assert stocks.snapshot_month(AFTER_NOVEMBER) is None
    FillCursor.objects.create(day=date(2026, 11, 30), stripe=0, seq=5)  # now counted
    FillCursor.objects.create(day=REBUILD_DAY, stripe=0, seq=0)  # …but a rebuild is under way
    assert stocks.snapshot_month(AFTER_NOVEMBER) is None
    FillCursor.objects.filter(day=REBUILD_DAY).delete()
    assert stocks.snapshot_month(AFTER_NOVEMBER) == date(2026, 11, 1)
    assert not MonthStock.objects.filter(month=date(2026, 10, 1)).exists()


def test_the_periodic_fill_records_the_month():
    demak = AgencyFactory(code="pemkab-demak")
    _stock(demak.pk, Metric.OPEN, 7)
    with time_machine.travel(AFTER_NOVEMBER, tick=False):
        fill_rollups.call()
    assert MonthStock.objects.get(month=date(2026, 11, 1), agency=demak.pk).value == 7
