"""Two officers acting on one report at the same moment, on PostgreSQL's real row locks."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from lapor.core.errors import Conflict
from lapor.reports import services
from lapor.reports.audit import verify
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, ReportEvent
from tests.factories import AgencyFactory, national_admin, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_officers_dispose_at_once_one_wins_one_gets_conflict():
    # Given a report in triage and two national admins who both opened it
    report = submit().report
    services.report_send_to_triage(report=report)
    first, second = AgencyFactory(code="pemkab-3321"), AgencyFactory(code="pemkab-3322")
    admins = [national_admin(), national_admin()]
    copies = [Report.objects.get(pk=report.pk), Report.objects.get(pk=report.pk)]
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def dispose(i: int, to) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            services.report_dispose(report=copies[i], to_agency=to, actor=admins[i])
            outcomes[i] = "ok"
        except Exception as exc:
            outcomes[i] = exc
        finally:
            connection.close()

    # When both press "dispose" at the same moment
    threads = [
        threading.Thread(target=dispose, args=(i, to)) for i, to in enumerate([first, second])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # Then exactly one wins, the other gets the conflict error, and one disposition is stored
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "str"]
    loser = next(o for o in outcomes if isinstance(o, Conflict))
    assert loser.code == "report_changed"
    stored = Report.objects.get(pk=report.pk)
    assert stored.status == Status.DISPOSED and stored.agency in (first, second)
    disposals = ReportEvent.objects.filter(report=report, action=Action.DISPOSE)
    assert disposals.count() == 1 and disposals.get().agency_id == stored.agency_id
    assert stored.event_count == ReportEvent.objects.filter(report=report).count()


def test_parallel_submissions_keep_gapless_day_chains():
    # Given eight citizens submitting at once from separate connections
    errors: list[Exception] = []
    submit()  # create shared region rows up front

    def one(i: int) -> None:
        try:
            submit(contact_email=f"warga{i}@contoh.id")
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # Then all are stored and each of the day's striped chains has no gap and no duplicate
    assert errors == []
    assert ReportEvent.objects.count() == 9
    stripes: dict[tuple[object, int], list[int]] = {}
    for day, stripe, seq in ReportEvent.objects.values_list("day", "stripe", "day_seq"):
        stripes.setdefault((day, stripe), []).append(seq)
    for seqs in stripes.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
    assert verify().ok
