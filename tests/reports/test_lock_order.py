"""Services that touch several reports lock them in one order (``core.locks``), on PostgreSQL's
real row locks: a merge racing officers' actions on both of its reports waits, never deadlocks."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from lapor.core.errors import Conflict
from lapor.core.locks import lock_report
from lapor.reports import services
from lapor.reports.audit import verify
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, ReportEvent
from tests.factories import national_admin, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_triage(email: str) -> Report:
    report = submit(contact_email=email).report
    services.report_send_to_triage(report=report)
    return Report.objects.get(pk=report.pk)


def _run(*targets) -> list[BaseException]:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []

    def wrap(target) -> None:  # type: ignore[no-untyped-def]
        try:
            target()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a transaction never finished"
    return errors


@pytest.mark.parametrize("held", ["duplicate", "target"])
def test_merge_waits_for_an_officer_holding_either_report(held):
    # Given two reports in triage, and an officer whose transaction holds one of them and is
    # about to add a note to it (which chains an audit event)
    admin, officer = national_admin(), national_admin()
    duplicate, target = _in_triage("a@contoh.id"), _in_triage("b@contoh.id")
    other = duplicate if held == "duplicate" else target
    holding = threading.Event()

    def officer_acts() -> None:
        with transaction.atomic():
            lock_report(other.pk)
            holding.set()
            time.sleep(0.6)  # the merge starts meanwhile and asks for its locks
            services.report_add_note(
                report=Report.objects.get(pk=other.pk), actor=officer, note="Sudah dicek."
            )

    def merge() -> None:
        assert holding.wait(10)
        services.report_merge(
            report=Report.objects.get(pk=duplicate.pk),
            into=Report.objects.get(pk=target.pk),
            actor=admin,
        )

    # When the merge runs while the officer's transaction holds that report
    errors = _run(officer_acts, merge)
    # Then neither is aborted as a deadlock: the note is stored; the merge is stored too, or,
    # when the note changed the duplicate it was about to merge, refused as stale (the officer
    # reloads and sees the note); every chain holds
    assert ReportEvent.objects.filter(report=other, action=Action.NOTE).count() == 1
    if held == "target":
        assert errors == []
        assert Report.objects.get(pk=duplicate.pk).status == Status.MERGED
        assert ReportEvent.objects.filter(report=target, action=Action.SUPPORT).count() == 1
    else:
        assert [type(e) for e in errors] == [Conflict]
        assert Report.objects.get(pk=duplicate.pk).status == Status.TRIAGE
    assert verify().ok


def test_merges_and_actions_on_both_reports_at_once_never_deadlock():
    # Given pairs of reports, and for each pair a merge, a note on the duplicate and a note on
    # the target, all started at the same moment from separate connections
    admin = national_admin()
    officers = [national_admin(), national_admin()]
    pairs = [(_in_triage(f"d{i}@contoh.id"), _in_triage(f"t{i}@contoh.id")) for i in range(3)]
    for duplicate, target in pairs:
        barrier = threading.Barrier(3)

        def merge(d: Report = duplicate, t: Report = target, b=barrier) -> None:  # type: ignore[no-untyped-def]
            fresh_d, fresh_t = Report.objects.get(pk=d.pk), Report.objects.get(pk=t.pk)
            b.wait()
            services.report_merge(report=fresh_d, into=fresh_t, actor=admin)

        def note(r: Report, who, b=barrier) -> None:  # type: ignore[no-untyped-def]
            fresh = Report.objects.get(pk=r.pk)
            b.wait()
            services.report_add_note(report=fresh, actor=who, note="Catatan serentak.")

        # When they race
        errors = _run(
            merge,
            lambda d=duplicate: note(d, officers[0]),
            lambda t=target: note(t, officers[1]),
        )
        # Then none is aborted as a deadlock: both notes are stored, and the merge too unless
        # the note on its duplicate came first and made it stale (a Conflict, not a deadlock)
        assert all(isinstance(e, Conflict) for e in errors), errors
        merged = Report.objects.get(pk=duplicate.pk).status == Status.MERGED
        assert merged == (errors == [])
        assert (
            ReportEvent.objects.filter(report__in=[duplicate, target], action=Action.NOTE).count()
            == 2
        )
    assert verify().ok
