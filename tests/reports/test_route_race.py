"""An officer acts on a report while its routing job runs (seen in the multi-host fault run,
bench/cluster: a national admin disposed a report from the triage queue while a worker, slowed
by a PostgreSQL restart, was routing it). The officer's action stands and the job ends without
an error: it is not FAILED for the operators to chase."""

from __future__ import annotations

import pytest

from lapor.agencies.models import Agency
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, ReportEvent
from lapor.reports.services import report_add_note, report_dispose
from lapor.reports.tasks import route_report
from tests.factories import AgencyFactory, national_admin, submit

pytestmark = pytest.mark.django_db


class Unsure:
    """What the router answers when no agency is a confident match."""

    best = None
    confident = False

    def as_data(self) -> dict:
        return {"suggestions": []}


def route_while(officer_acts, monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """Make the router's first call run ``officer_acts`` (between the job's read of the report
    and its own change), as a concurrent officer would; the number of routing calls."""
    calls: list[int] = []

    def route(**_kwargs: object) -> Unsure:
        calls.append(1)
        if len(calls) == 1:
            officer_acts()
        return Unsure()

    monkeypatch.setattr("lapor.routing.router.route", route)
    return calls


def test_a_report_disposed_by_an_officer_during_routing_stays_disposed(monkeypatch) -> None:
    # Given a submitted report and a national admin who disposes it while the job routes it
    report = submit().report
    admin = national_admin()
    agency = AgencyFactory(kind=Agency.Kind.REGENCY)

    def dispose() -> None:
        report_dispose(report=Report.objects.get(pk=report.pk), to_agency=agency, actor=admin)

    calls = route_while(dispose, monkeypatch)
    # When the routing job runs
    outcome = route_report.call(report.pk)
    # Then it ends without an error, leaving the officer's disposition as it was
    assert outcome == Status.DISPOSED
    report.refresh_from_db()
    assert report.status == Status.DISPOSED and report.agency == agency
    actions = list(ReportEvent.objects.filter(report=report).values_list("action", flat=True))
    assert actions.count(Action.DISPOSE) == 1 and Action.TRIAGE not in actions
    assert len(calls) == 1  # the second read saw the report had moved on


def test_a_note_during_routing_does_not_stop_the_routing(monkeypatch) -> None:
    # Given an officer who adds a note to the report while the job routes it
    report = submit().report
    admin = national_admin()

    def note() -> None:
        report_add_note(report=Report.objects.get(pk=report.pk), actor=admin, note="Dicek.")

    calls = route_while(note, monkeypatch)
    # When the routing job runs
    outcome = route_report.call(report.pk)
    # Then the report is routed all the same (to triage here), after a second read
    assert outcome == Status.TRIAGE
    report.refresh_from_db()
    assert report.status == Status.TRIAGE
    assert len(calls) == 2
