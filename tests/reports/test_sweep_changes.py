"""The sweep changes a report through the same per-action code as an officer's service, so a
hold resumed by the sweep ends exactly like one resumed at the desk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.reports import services
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, ReportEvent
from lapor.reports.services import changes
from lapor.reports.sweep import run_sweep
from tests.factories import AgencyFactory, officer, submit

pytestmark = pytest.mark.django_db
NOW = timezone.now()
CLOCK = [
    "status", "status_before", "hold_until", "due_at", "verify_due_at", "followup_due_at",
    "overdue_since", "escalate_at", "escalation_level", "autoclose_at", "closed_at",
]  # fmt: skip


def _held(agency) -> Report:  # type: ignore[no-untyped-def]
    report = submit(at=NOW - timedelta(days=3)).report
    Report.objects.filter(pk=report.pk).update(
        status=Status.ON_HOLD,
        status_before=Status.DISPOSED,
        agency=agency,
        hold_until=NOW - timedelta(minutes=5),
    )
    return Report.objects.get(pk=report.pk)


def _answered(agency) -> Report:  # type: ignore[no-untyped-def]
    report = submit(at=NOW - timedelta(days=30)).report
    Report.objects.filter(pk=report.pk).update(
        status=Status.ANSWERED,
        status_before=Status.DISPOSED,
        agency=agency,
        autoclose_at=NOW - timedelta(minutes=5),
    )
    return Report.objects.get(pk=report.pk)


def _clock(report: Report) -> dict[str, object]:
    report.refresh_from_db()
    return {name: getattr(report, name) for name in CLOCK}


def test_a_hold_ended_by_the_sweep_ends_like_one_resumed_by_an_officer():
    # Given two reports on hold at one agency, both past their hold date
    agency = AgencyFactory(name="Dinas Kesehatan Kota Semarang")
    by_officer, by_sweep = _held(agency), _held(agency)
    # When an officer resumes one and the sweep the other, at the same moment
    services.report_resume(report=by_officer, actor=officer(agency))
    stamped = Report.objects.get(pk=by_officer.pk).updated_at
    result = run_sweep(now=stamped, requeue=False)
    # Then the sweep resumed its one, and both rows hold the same status and clock
    assert result.resumed == 1
    assert _clock(by_sweep) == _clock(by_officer)
    assert _clock(by_sweep)["status"] == Status.DISPOSED
    assert ReportEvent.objects.get(report=by_sweep, action=Action.RESUME).actor_role == "system"


def test_the_sweep_runs_each_actions_own_change(monkeypatch):
    # Given a hold that ended and a follow-up the reporter never answered
    agency = AgencyFactory(name="Dinas Perhubungan Kabupaten Kudus")
    held, answered = _held(agency), _answered(agency)
    seen: list[tuple[str, int]] = []
    for name in ("resume", "close"):
        original = getattr(changes, name)

        def spy(r, now, _name=name, _original=original) -> None:  # type: ignore[no-untyped-def]
            seen.append((_name, r.pk))
            _original(r, now)

        monkeypatch.setattr(changes, name, spy)
    # When the sweep runs
    result = run_sweep(now=NOW, requeue=False)
    # Then it changed each report through the services' own change of that action
    assert (result.resumed, result.auto_closed) == (1, 1)
    assert sorted(seen) == [("close", answered.pk), ("resume", held.pk)]
    answered.refresh_from_db()
    assert answered.status == Status.CLOSED and answered.closed_at == NOW
    assert answered.autoclose_at is None and answered.status_before == ""


def test_the_sweep_refuses_a_move_the_table_forbids():
    # Given a report whose row says "on hold until yesterday" but whose status is already
    # finished (the candidate query cannot return it, but the change itself checks the table)
    from lapor.reports.lifecycle import TransitionError
    from lapor.reports.services._base import change

    report = submit().report
    Report.objects.filter(pk=report.pk).update(status=Status.COMPLETED)
    report.refresh_from_db()
    # When the sweep's change is asked to resume it, then the transition table refuses it
    with pytest.raises(TransitionError):
        change(report, Action.RESUME, actor_id=None, role="system", now=NOW, mutate=changes.resume)
