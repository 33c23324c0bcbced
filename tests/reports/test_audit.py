"""``lapor audit verify``: an intact history verifies; raw-SQL tampering is named precisely.

Histories are built through the real services; tampering goes around the ORM (which refuses to
edit or delete events) with raw SQL, as an attacker with database access would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from lapor.reports import services
from lapor.reports.audit import Kind, Problem, verify
from lapor.reports.events import COPY_FROM, build_event, write_events
from lapor.reports.lifecycle import Action
from lapor.reports.models import AuditStripeHead, Report, ReportEvent
from tests.factories import AgencyFactory, national_admin, officer, submit

pytestmark = pytest.mark.django_db


def _sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _handled(report: Report) -> Report:
    """A report taken through disposition and follow-up: events seq 1..3."""
    agency = AgencyFactory()
    services.report_dispose(report=report, to_agency=agency, actor=national_admin())
    services.report_follow_up(
        report=report, actor=officer(agency),
        message="Jalan sudah kami tambal pada hari Senin; mohon dicek kembali.",
    )  # fmt: skip
    return report


@pytest.fixture
def history() -> list[Report]:
    first = _handled(submit().report)
    second = submit(title="Lampu jalan padam di Jalan Merdeka").report
    third = _handled(submit(title="Sampah menumpuk di pasar").report)
    return [first, second, third]


def _only(problems: list[Problem], chain: str) -> list[Problem]:
    return [p for p in problems if p.chain == chain]


def _event(report: Report, seq: int) -> ReportEvent:
    return ReportEvent.objects.get(report=report, seq=seq)


def _stripe(event: ReportEvent) -> str:
    """How a problem names the day chain (stripe) an event is linked into."""
    return f"{event.day.isoformat()} stripe {event.stripe}"


def test_intact_history_verifies(history: list[Report]) -> None:
    # given three reports with 3, 1 and 3 events written by the services
    # when the trail is verified
    result = verify()
    # then nothing is broken and everything was looked at
    assert result.ok, result.problems
    assert result.reports_checked == 3
    assert result.events_checked == 7
    assert result.day_events_checked == 7
    assert result.days_checked >= 1


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("message", "Laporan ini palsu dan tidak perlu ditindaklanjuti."),
        ("data", '{"to": "instansi-lain"}'),
        ("to_status", "archived"),
    ],
)
def test_edited_event_is_named_by_report_and_seq(
    history: list[Report], column: str, value: str
) -> None:
    # given the disposition (seq 2) of the first report edited behind the ORM's back
    report = history[0]
    _sql(
        f"UPDATE reports_reportevent SET {column} = %s WHERE report_id = %s AND seq = 2",  # noqa: S608
        value, report.pk,
    )  # fmt: skip
    # when the trail is verified
    result = verify()
    # then exactly that report's chain is broken, at seq 2, as an edit
    assert not result.ok
    (problem,) = _only(result.problems, "report")
    assert (problem.key, problem.position, problem.kind) == (report.tracking_id, 2, Kind.EDITED)
    assert f"report {report.tracking_id} seq 2: edited" in str(problem)
    # and the day chain, which links stored hashes, is still intact
    assert _only(result.problems, "day") == []


def test_edited_event_with_recomputed_hash_breaks_the_next_link(history: list[Report]) -> None:
    # given an attacker who edits seq 2 and also rewrites its stored hash consistently
    report = history[0]
    _sql(
        "UPDATE reports_reportevent SET hash = %s WHERE report_id = %s AND seq = 2",
        "f" * 64, report.pk,
    )  # fmt: skip
    # when the trail is verified
    result = verify()
    # then the report chain breaks where the stored hash no longer matches the content...
    (problem,) = _only(result.problems, "report")
    assert (problem.key, problem.position, problem.kind) == (report.tracking_id, 2, Kind.EDITED)
    # ...and the day chain names the event whose hash changed
    (day_problem,) = _only(result.problems, "day")
    event = _event(report, 2)
    assert (day_problem.key, day_problem.position) == (_stripe(event), event.day_seq)
    assert f"report {report.tracking_id} seq 2" in day_problem.detail


def test_removed_newest_event_is_caught_by_the_report_head(history: list[Report]) -> None:
    # given the follow-up (the newest event, seq 3) deleted and nothing else fixed
    report = history[0]
    _sql("DELETE FROM reports_reportevent WHERE report_id = %s AND seq = 3", report.pk)
    # when the trail is verified
    result = verify()
    # then the report head still counting 3 events gives it away, at seq 3
    (problem,) = _only(result.problems, "report")
    assert (problem.key, problem.position, problem.kind) == (report.tracking_id, 3, Kind.MISSING)
    assert "newest" in problem.detail


def test_removed_middle_event_is_named(history: list[Report]) -> None:
    # given the disposition (seq 2) of the third report deleted
    report = history[2]
    _sql("DELETE FROM reports_reportevent WHERE report_id = %s AND seq = 2", report.pk)
    # when the trail is verified
    result = verify()
    # then the gap is named at seq 2
    (problem,) = _only(result.problems, "report")
    assert (problem.key, problem.position, problem.kind) == (report.tracking_id, 2, Kind.MISSING)


def test_report_head_rewritten_is_named(history: list[Report]) -> None:
    # given the newest event removed and the report's event_count lowered to hide it
    report = history[0]
    _sql("DELETE FROM reports_reportevent WHERE report_id = %s AND seq = 3", report.pk)
    _sql("UPDATE reports_report SET event_count = 2 WHERE id = %s", report.pk)
    # when the trail is verified
    result = verify()
    # then the head's hash, which still names the removed event, gives it away
    (problem,) = _only(result.problems, "report")
    assert (problem.position, problem.kind) == (2, Kind.WRONG_HEAD)


def test_event_moved_to_another_day_is_named(history: list[Report]) -> None:
    # given the newest event of the first report re-filed under the next day's chain
    report = history[0]
    event = _event(report, 3)
    _sql(
        "UPDATE reports_reportevent SET day = %s, day_seq = 1000000 WHERE id = %s",
        event.day + timedelta(days=1), event.pk,
    )  # fmt: skip
    # when the trail is verified
    result = verify()
    # then the report chain names the event whose day disagrees with its (hashed) time
    (problem,) = _only(result.problems, "report")
    assert (problem.key, problem.position, problem.kind) == (report.tracking_id, 3, Kind.EDITED)
    assert "back-dated" in problem.detail
    # and both days' chains are broken
    assert {p.key for p in _only(result.problems, "day")} == {
        _stripe(event), f"{(event.day + timedelta(days=1)).isoformat()} stripe {event.stripe}",
    }  # fmt: skip


def _delete_report(report: Report) -> None:
    """Remove a report and every row that points at it, leaving no dangling reference."""
    for rel in Report._meta.related_objects:
        if rel.one_to_many or rel.one_to_one:
            table = rel.related_model._meta.db_table
            column = rel.field.column
            if rel.related_model is Report:
                _sql(f"UPDATE {table} SET {column} = NULL WHERE {column} = %s", report.pk)  # noqa: S608
            else:
                _sql(f"DELETE FROM {table} WHERE {column} = %s", report.pk)  # noqa: S608
    _sql("DELETE FROM reports_report WHERE id = %s", report.pk)


def test_removed_report_is_caught_by_the_day_chain(history: list[Report]) -> None:
    # given the first report erased entirely: its events, its dependents and its row
    report = history[0]
    days = {e.day: e.day_seq for e in ReportEvent.objects.filter(report=report).order_by("-seq")}
    _delete_report(report)
    assert not Report.objects.filter(pk=report.pk).exists()
    # when the trail is verified
    result = verify()
    # then no report chain is broken (the report is simply gone)...
    assert _only(result.problems, "report") == []
    # ...but the day chain misses its events
    day_problems = _only(result.problems, "day")
    assert day_problems
    assert {p.kind for p in day_problems} == {Kind.MISSING}
    assert {p.key.split(" ")[0] for p in day_problems} <= {d.isoformat() for d in days}


def test_edited_day_head_is_named(history: list[Report]) -> None:
    # given a stripe head of a day whose hash was overwritten
    head = AuditStripeHead.objects.order_by("day", "stripe").first()
    assert head is not None
    _sql("UPDATE reports_auditstripehead SET last_hash = %s WHERE id = %s", "0" * 64, head.pk)
    # when the trail is verified
    result = verify()
    # then that day's stripe is named, at its last event, as a wrong head
    (problem,) = result.problems
    assert (problem.chain, problem.key, problem.position, problem.kind) == (
        "day", f"{head.day.isoformat()} stripe {head.stripe}", head.count, Kind.WRONG_HEAD,
    )  # fmt: skip


def test_day_head_count_and_missing_head(history: list[Report]) -> None:
    # given one day's stripe head counting one event too many
    head = AuditStripeHead.objects.order_by("day", "stripe").first()
    assert head is not None
    key = f"{head.day.isoformat()} stripe {head.stripe}"
    _sql("UPDATE reports_auditstripehead SET count = count + 1 WHERE id = %s", head.pk)
    result = verify()
    # then the stripe is broken where its chain ends
    (problem,) = result.problems
    assert (problem.key, problem.position, problem.kind) == (key, head.count + 1, Kind.MISSING)
    # and given the head removed altogether, the stripe with events has no head
    _sql("DELETE FROM reports_auditstripehead WHERE id = %s", head.pk)
    (problem,) = verify().problems
    assert (problem.key, problem.kind) == (key, Kind.NO_HEAD)


def test_one_report_or_one_day_only(history: list[Report]) -> None:
    # given the second report's only event edited
    broken, intact = history[1], history[0]
    _sql("UPDATE reports_reportevent SET message = 'x' WHERE report_id = %s", broken.pk)
    # when only another report is verified, then it is intact
    alone = verify(tracking_id=intact.tracking_id)
    assert alone.ok and alone.reports_checked == 1 and alone.days_checked == 0
    # when the broken report is verified by its displayed tracking ID (with dashes)
    shown = "-".join(broken.tracking_id[i : i + 4] for i in range(0, 12, 4))
    (problem,) = verify(tracking_id=shown).problems
    assert (problem.key, problem.position) == (broken.tracking_id, 1)
    # when only a day is verified, then report chains are not checked
    day = _event(intact, 1).day
    only_day = verify(day=day)
    assert only_day.ok and only_day.reports_checked == 0 and only_day.days_checked == 1


@pytest.mark.django_db(transaction=True)
def test_command_exit_codes(history: list[Report], capsys: pytest.CaptureFixture[str]) -> None:
    # given an intact history, the command says so and returns normally (exit 0)
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "checked 3 reports (7 events)" in out
    assert "audit trail intact" in out
    # given an edited event, the command prints the broken link and exits 1
    report = history[2]
    _sql(
        "UPDATE reports_reportevent SET message = 'diubah' WHERE report_id = %s AND seq = 3",
        report.pk,
    )
    with pytest.raises(CommandError) as failed:
        call_command("audit_verify")
    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert f"BROKEN report {report.tracking_id} seq 3: edited" in out
    # and an unknown tracking ID or a malformed day is a usage error (exit 2)
    with pytest.raises(CommandError) as unknown:
        call_command("audit_verify", report="0000-0000-0000")
    assert unknown.value.returncode == 2
    with pytest.raises(CommandError) as bad_day:
        call_command("audit_verify", day="kemarin")
    assert bad_day.value.returncode == 2
    # and --report on an intact report exits 0
    call_command("audit_verify", report=history[0].tracking_id)
    assert "checked 1 reports (3 events) and 0 days" in capsys.readouterr().out


@pytest.mark.postgres
def test_bulk_events_written_through_copy_verify_intact():
    # Given more events in one write than the COPY threshold (as the SLA sweep writes them)
    reports = [submit().report for _ in range(3)]
    now = timezone.now()
    with transaction.atomic():
        events = []
        for i in range(COPY_FROM):
            report = reports[i % 3]
            events.append(
                build_event(
                    report,
                    action=Action.NOTE,
                    from_status=report.status,
                    to_status=report.status,
                    actor_id=None,
                    actor_role="system",
                    message=f"catatan {i}",
                    data={"i": i},
                    at=now,
                    is_internal=True,
                )
            )
        write_events(events)
        for report in reports:
            Report.objects.filter(pk=report.pk).update(
                event_count=report.event_count, last_event_hash=report.last_event_hash
            )
    # Then every row is there and both chains verify
    assert ReportEvent.objects.filter(action=Action.NOTE).count() == COPY_FROM
    assert ReportEvent.objects.get(action=Action.NOTE, data__i=7).message == "catatan 7"
    assert verify().ok
