"""The SLA sweep: the right reports, one event each, notifications, and nothing twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from lapor.agencies.models import Membership
from lapor.notifications.models import Notification
from lapor.reports import services
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, ReportEvent
from lapor.reports.sweep import run_sweep
from tests.factories import AgencyFactory, MembershipFactory, national_admin, submit

pytestmark = pytest.mark.django_db
NOW = timezone.now()
LONG_AGO = NOW - timedelta(days=30)


def make(status: str, agency=None, **fields) -> Report:  # type: ignore[no-untyped-def]
    """A report put straight into a state (set-up only)."""
    report = submit(at=LONG_AGO).report
    Report.objects.filter(pk=report.pk).update(status=status, agency=agency, **fields)
    report.refresh_from_db()
    return report


def events(report: Report, action: str) -> int:
    return ReportEvent.objects.filter(report=report, action=action).count()


@pytest.fixture
def agency():  # type: ignore[no-untyped-def]
    return AgencyFactory(name="Dinas PU Kabupaten Demak")


def test_marks_overdue_only_reports_whose_running_clock_ran_out(agency):
    # Given reports at the agency: late, not yet due, paused (clock not running), already late
    late = make(Status.DISPOSED, agency, due_at=NOW - timedelta(hours=1))
    on_time = make(Status.DISPOSED, agency, due_at=NOW + timedelta(hours=1))
    paused = make(Status.AWAITING_REPORTER, agency, due_at=NOW - timedelta(days=2))
    known = make(
        Status.IN_PROGRESS,
        agency,
        due_at=NOW - timedelta(days=2),
        overdue_since=NOW - timedelta(days=1),
        escalation_level=1,
        escalate_at=NOW + timedelta(days=2),
    )
    # When the sweep runs
    result = run_sweep(now=NOW)
    # Then only the late one is marked, with an escalation deadline after its due date
    assert result.overdue == 1
    late.refresh_from_db()
    assert late.overdue_since == NOW and late.escalation_level == 1
    assert late.escalate_at is not None and late.escalate_at > late.due_at
    assert events(late, Action.MARK_OVERDUE) == 1
    for other in (on_time, paused, known):
        assert events(other, Action.MARK_OVERDUE) == 0
    # And its event chain stays intact (seq follows on, hash head advanced)
    last = ReportEvent.objects.filter(report=late).order_by("-seq").first()
    assert last is not None and late.event_count == last.seq and late.last_event_hash == last.hash


def test_overdue_tells_the_agency_admins_and_national_admins_before_disposition(agency):
    # Given an agency admin, an admin of another agency, and a national admin
    admin = MembershipFactory(agency=agency, role=Membership.Role.AGENCY_ADMIN).user
    MembershipFactory(role=Membership.Role.AGENCY_ADMIN)
    boss = national_admin()
    make(Status.DISPOSED, agency, due_at=NOW - timedelta(hours=1))
    make(Status.IN_PROGRESS, agency, due_at=NOW - timedelta(hours=2))
    make(Status.TRIAGE, None, due_at=NOW - timedelta(hours=3))
    # When the sweep runs
    run_sweep(now=NOW)
    # Then the agency admin gets one digest listing both of the agency's reports
    mine = Notification.objects.filter(kind=Action.MARK_OVERDUE, recipient=admin.email)
    assert mine.count() == 1
    assert "2 laporan di Dinas PU Kabupaten Demak melewati batas waktu" in mine.get().body
    # And the national admin hears of the report still waiting for verification
    national = Notification.objects.get(kind=Action.MARK_OVERDUE, recipient=boss.email)
    assert "antrean verifikasi nasional" in national.body
    assert Notification.objects.filter(kind=Action.MARK_OVERDUE).count() == 2


def test_escalates_to_national_admins_when_still_late(agency):
    boss = national_admin()
    due = make(
        Status.DISPOSED,
        agency,
        due_at=NOW - timedelta(days=9),
        overdue_since=NOW - timedelta(days=8),
        escalation_level=1,
        escalate_at=NOW - timedelta(minutes=1),
    )
    not_yet = make(
        Status.DISPOSED,
        agency,
        due_at=NOW - timedelta(days=1),
        overdue_since=NOW - timedelta(hours=20),
        escalation_level=1,
        escalate_at=NOW + timedelta(days=2),
    )
    # When the sweep runs
    result = run_sweep(now=NOW)
    # Then only the first is escalated, once, and the national admin is told
    assert result.escalated == 1
    due.refresh_from_db()
    not_yet.refresh_from_db()
    assert due.escalation_level == 2 and not_yet.escalation_level == 1
    assert events(due, Action.ESCALATE) == 1
    note = Notification.objects.get(kind=Action.ESCALATE, recipient=boss.email)
    assert "admin nasional" in note.body


def test_a_long_forgotten_report_is_marked_and_escalated_in_one_sweep(agency):
    # Given a report whose clock ran out weeks ago (the sweep was not running)
    report = make(Status.DISPOSED, agency, due_at=NOW - timedelta(days=20))
    # When the sweep runs
    result = run_sweep(now=NOW)
    # Then it is both marked overdue and escalated: one event each
    assert (result.overdue, result.escalated) == (1, 1)
    assert events(report, Action.MARK_OVERDUE) == 1 and events(report, Action.ESCALATE) == 1


def test_auto_closes_answered_reports_and_tells_the_reporter(agency):
    expired = make(
        Status.ANSWERED,
        agency,
        status_before=Status.DISPOSED,
        answered_at=LONG_AGO,
        autoclose_at=NOW - timedelta(minutes=5),
    )
    waiting = make(
        Status.ANSWERED,
        agency,
        status_before=Status.DISPOSED,
        answered_at=LONG_AGO,
        autoclose_at=NOW + timedelta(days=1),
    )
    result = run_sweep(now=NOW)
    assert result.auto_closed == 1
    expired.refresh_from_db()
    waiting.refresh_from_db()
    assert expired.status == Status.CLOSED and expired.closed_at == NOW
    assert expired.autoclose_at is None
    assert waiting.status == Status.ANSWERED
    assert events(expired, Action.AUTO_CLOSE) == 1
    told = Notification.objects.get(report=expired, kind=Action.AUTO_CLOSE)
    assert told.recipient == "siti@contoh.id"
    assert "ditutup karena tidak ada tanggapan" in told.body


def test_reporter_reply_before_the_deadline_stops_the_auto_close(agency):
    # Given an answered report whose automatic close is due tomorrow
    sub = submit(at=LONG_AGO)
    Report.objects.filter(pk=sub.report.pk).update(
        status=Status.ANSWERED,
        agency=agency,
        status_before=Status.DISPOSED,
        answered_at=LONG_AGO,
        autoclose_at=NOW + timedelta(days=1),
    )
    report = Report.objects.get(pk=sub.report.pk)
    # When the reporter replies today
    services.report_reply(
        report=report, secret=sub.secret, message="Jalan masih berlubang, belum diperbaiki."
    )
    # And the sweep runs after the old deadline
    result = run_sweep(now=NOW + timedelta(days=3))
    # Then the report is back with the agency and not closed
    report.refresh_from_db()
    assert result.auto_closed == 0
    assert report.status == Status.DISPOSED and report.autoclose_at is None
    assert events(report, Action.AUTO_CLOSE) == 0


def test_resumes_holds_that_ended(agency):
    ended = make(
        Status.ON_HOLD, agency, status_before=Status.DISPOSED, hold_until=NOW - timedelta(minutes=1)
    )
    held = make(
        Status.ON_HOLD, agency, status_before=Status.DISPOSED, hold_until=NOW + timedelta(days=1)
    )
    result = run_sweep(now=NOW)
    assert result.resumed == 1
    ended.refresh_from_db()
    held.refresh_from_db()
    # The clock runs again from now, in the status the report had before the hold
    assert ended.status == Status.DISPOSED and ended.hold_until is None
    assert ended.due_at is not None and ended.due_at > NOW
    assert ended.status_before == "" and held.status == Status.ON_HOLD
    assert events(ended, Action.RESUME) == 1
    told = Notification.objects.get(report=ended, kind=Action.RESUME)
    assert "penundaan" in told.body


def test_second_sweep_changes_nothing(agency):
    # Given one report of each kind, swept once
    make(Status.DISPOSED, agency, due_at=NOW - timedelta(days=20))
    make(
        Status.ANSWERED,
        agency,
        status_before=Status.DISPOSED,
        answered_at=LONG_AGO,
        autoclose_at=NOW - timedelta(minutes=5),
    )
    make(Status.ON_HOLD, agency, status_before=Status.TRIAGE, hold_until=NOW - timedelta(minutes=1))
    first = run_sweep(now=NOW, batch_size=2)
    assert (first.overdue, first.escalated, first.auto_closed, first.resumed) == (1, 1, 1, 1)
    counts = (ReportEvent.objects.count(), Notification.objects.count())
    snapshot = list(Report.objects.order_by("pk").values())
    # When it runs again right after
    second = run_sweep(now=NOW + timedelta(seconds=1))
    # Then nothing changes
    assert second.changed == 0
    assert (ReportEvent.objects.count(), Notification.objects.count()) == counts
    assert list(Report.objects.order_by("pk").values()) == snapshot


def test_many_reports_across_chunks(agency):
    reports = [make(Status.DISPOSED, agency, due_at=NOW - timedelta(hours=i + 1)) for i in range(7)]
    result = run_sweep(now=NOW, batch_size=3)
    assert result.overdue == 7
    assert Report.objects.filter(pk__in=[r.pk for r in reports], overdue_since=NOW).count() == 7


def test_command_prints_counts(agency, capsys):
    make(Status.DISPOSED, agency, due_at=NOW - timedelta(hours=1))
    call_command("sla_sweep")
    out = capsys.readouterr().out
    assert "1  ditandai terlambat" in out


@pytest.mark.postgres
def test_sweep_queries_use_the_partial_indexes(agency):
    # Given a few thousand reports, a handful due
    base = make(Status.DISPOSED, agency, due_at=NOW + timedelta(days=3))
    rows = Report.objects.filter(pk=base.pk).values()[0]
    clones = []
    for i in range(3000):
        row = dict(
            rows,
            id=None,
            tracking_id=f"X{i:011d}",
            status=[Status.COMPLETED, Status.CLOSED, Status.ARCHIVED][i % 3],
        )
        clones.append(Report(**row))
    Report.objects.bulk_create(clones)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_report")
    from lapor.reports.sweep import KINDS

    # When PostgreSQL plans each kind's candidate query
    for kind, index in zip(
        KINDS,
        ["report_clock_due", "report_escalate_due", "report_autoclose_due", "report_hold_due"],
        strict=True,
    ):
        plan = kind.candidates(NOW).values_list("pk", flat=True).explain()
        # Then it reads that kind's partial index
        assert index in plan, plan
