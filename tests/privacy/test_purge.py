"""Retention: the contact details of reports finished longer ago than CONTACT_RETENTION_DAYS
are erased by ``lapor privacy purge`` and the worker's daily job, in chunks, once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lapor.config import ConfigError, read
from lapor.jobs.scheduler import PERIODIC
from lapor.notifications.models import Notification
from lapor.privacy.tasks import privacy_purge
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, Supporter
from tests.factories import submit
from tests.privacy.conftest import EMAIL, IDENTITY
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db


def _finished(status: str, days_ago: int, kab) -> Report:  # type: ignore[no-untyped-def]
    report, _secret = report_in(status, agency=kab, is_anonymous=False, **IDENTITY)
    closed = timezone.now() - timedelta(days=days_ago)
    Report.objects.filter(pk=report.pk).update(closed_at=closed)  # finished back then
    return Report.objects.get(pk=report.pk)


def _erased(report: Report) -> bool:
    report.refresh_from_db()
    return (report.contact_name, report.contact_email, report.contact_phone) == ("", "", "")


def test_purge_erases_contact_of_reports_finished_before_the_period(kab, settings):
    settings.LAPOR_CONTACT_RETENTION_DAYS = 365
    # given finished reports of every kind, old and recent, and an open one
    old = [_finished(s, 400, kab) for s in (Status.COMPLETED, Status.CLOSED, Status.ARCHIVED)]
    merged = _finished(Status.MERGED, 400, kab)
    recent = _finished(Status.COMPLETED, 30, kab)
    still_open, _ = report_in(Status.DISPOSED, agency=kab, **IDENTITY)
    Report.objects.filter(pk=still_open.pk).update(closed_at=timezone.now() - timedelta(days=900))
    # and a guest supporter's address on an old report, and a message sent to the reporter
    Supporter.objects.create(report=old[0], contact_email="pendukung@contoh.id")
    Notification.objects.create(
        report=old[0], kind="complete", channel="email", recipient=EMAIL, body="Selesai."
    )
    # when the operator runs the purge, in chunks of two
    out = StringIO()
    call_command("privacy_purge", "--chunk-size", "2", stdout=out)
    # then the old reports lose their contact details, and read "Anonim"
    assert "4 laporan" in out.getvalue()
    for report in [*old, merged]:
        assert _erased(report) and report.is_anonymous and report.identity_erased_at
    assert not Supporter.objects.filter(report=old[0]).exclude(contact_email="").exists()
    assert not Notification.objects.filter(recipient=EMAIL, report=old[0]).exists()
    # and the recent and the open ones keep them
    assert not _erased(recent) and not _erased(still_open)
    # and each purged report got one erase event, by the system, saying only why
    events = old[0].events.filter(action=Action.ERASE_IDENTITY)
    assert events.count() == 1
    assert events.get().actor_role == "system" and events.get().data == {"by": "retention"}
    # when it runs again (the worker's daily job): nothing more is erased, no event is added
    assert privacy_purge.call() == 0
    assert old[0].events.filter(action=Action.ERASE_IDENTITY).count() == 1
    # and every chain still verifies
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit trail intact" in out.getvalue()


def test_dry_run_counts_and_erases_nothing(kab):
    report = _finished(Status.COMPLETED, 400, kab)
    out = StringIO()
    call_command("privacy_purge", "--dry-run", stdout=out)
    assert out.getvalue().startswith("1 laporan")
    assert not _erased(report)


def test_a_report_reopened_after_selection_is_not_purged(kab):
    from lapor.reports.services import report_purge_contact

    report = _finished(Status.COMPLETED, 400, kab)
    Report.objects.filter(pk=report.pk).update(status=Status.DISPOSED)  # appealed meanwhile
    assert report_purge_contact(report=report, retention_days=365) is False
    assert not _erased(report)


def test_the_worker_runs_the_purge_daily():
    job = next(p for p in PERIODIC if p.name == "privacy_purge")
    assert job.interval() == 86400 and not job.follows_sweep


def test_the_retention_period_is_a_setting_refused_when_unsafe():
    assert read({}).contact_retention_days == 365
    assert read({"CONTACT_RETENTION_DAYS": "90"}).contact_retention_days == 90
    with pytest.raises(ConfigError, match="CONTACT_RETENTION_DAYS"):
        read({"CONTACT_RETENTION_DAYS": "0"})
    with pytest.raises(ConfigError, match="CONTACT_RETENTION_DAYS"):
        read({"CONTACT_RETENTION_DAYS": "setahun"})


def test_a_fresh_report_is_never_due(kab):
    submit(**IDENTITY)
    assert privacy_purge.call() == 0


@pytest.mark.postgres
def test_the_purge_finds_its_reports_through_the_partial_index(kab):
    # given the planner told to avoid full scans (a small test table would be scanned anyway)
    from django.db import connection

    from lapor.reports.models.report import CONTACT_KEPT

    _finished(Status.COMPLETED, 400, kab)
    query = Report.objects.filter(CONTACT_KEPT, closed_at__lt=timezone.now(), pk__gt=0)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.order_by("pk").values_list("pk", flat=True)[:200].explain()
    # then the search of the purge can use the index of the reports still holding contact data
    assert "report_contact_kept" in plan
