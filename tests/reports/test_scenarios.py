"""Whole stories of a report, as a reporter and the officers live them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.agencies.models import Membership
from lapor.core.errors import Conflict, ValidationFailed
from lapor.notifications.models import Notification
from lapor.reports import services
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, ReportEvent
from lapor.reports.tasks import route_report
from tests.factories import AgencyFactory, UnitFactory, national_admin, officer, submit

pytestmark = pytest.mark.django_db
ANSWER = "Petugas Dinas PUPR telah menambal lubang jalan pada 12 Maret; mohon dicek kembali."


@pytest.fixture
def demak():
    agency = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    return agency, UnitFactory(code="pemkab-3321-pupr", name="Dinas PUPR Demak", parent=agency)


def actions(report: Report) -> list[str]:
    return list(ReportEvent.objects.filter(report=report).values_list("action", flat=True))


def test_happy_path_from_submission_to_rating(demak):
    agency, unit = demak
    admin, agency_admin = national_admin(), officer(agency)
    pic = officer(unit, Membership.Role.UNIT_OFFICER)
    # Given a guest's report, routed to national triage by the background job
    sub = submit()
    report = sub.report
    route_report.call(report.pk)
    report.refresh_from_db()
    assert report.status == Status.TRIAGE and report.verify_due_at is not None
    # When the national admin disposes, the agency forwards to its unit and the unit answers
    services.report_dispose(report=report, to_agency=agency, actor=admin, note="Jalan kabupaten")
    assert report.followup_due_at is not None and report.due_at == report.followup_due_at
    services.report_dispose_unit(report=report, unit=unit, actor=agency_admin)
    services.report_follow_up(report=report, actor=pic, message=ANSWER)
    assert report.status == Status.ANSWERED and report.autoclose_at is not None
    assert report.due_at is None
    # And the agency completes it and the reporter rates it with the secret
    services.report_complete(report=report, actor=agency_admin)
    services.report_rate(report=report, rating=5, secret=sub.secret)
    # Then the whole story is in the trail, in order, and the reporter heard of each step
    assert report.status == Status.COMPLETED and report.rating == 5
    assert actions(report) == [
        Action.SUBMIT,
        Action.TRIAGE,
        Action.DISPOSE,
        Action.DISPOSE_UNIT,
        Action.FOLLOW_UP,
        Action.COMPLETE,
        Action.RATE,
    ]
    told = set(Notification.objects.filter(report=report).values_list("kind", flat=True))
    assert {Action.SUBMIT, Action.DISPOSE, Action.FOLLOW_UP, Action.COMPLETE} <= told


def test_not_our_authority_twice_then_handled(demak):
    agency, _ = demak
    admin = national_admin()
    bpjs = AgencyFactory(code="bpjs-kesehatan", name="BPJS Kesehatan", kind="bumn")
    dinsos = AgencyFactory(
        code="pemkab-3321-dinsos", name="Dinas Sosial Demak", parent=agency, kind="unit"
    )
    report = submit().report
    route_report.call(report.pk)
    report.refresh_from_db()
    # Given a report disposed to the wrong agency
    services.report_dispose(report=report, to_agency=dinsos, actor=admin)
    # When it says "bukan wewenang" and the report goes back to triage
    services.report_not_authority(
        report=report,
        actor=officer(dinsos),
        reason="Iuran BPJS bukan urusan Dinas Sosial.",
        suggested_agency=bpjs,
    )
    assert report.status == Status.TRIAGE and report.agency is None
    assert report.due_at is not None  # the verification clock runs again, never a dead end
    # And the next agency forwards it straight to BPJS Kesehatan
    services.report_dispose(report=report, to_agency=agency, actor=admin)
    services.report_forward(
        report=report,
        to_agency=bpjs,
        actor=officer(agency),
        reason="Kepesertaan JKN adalah kewenangan BPJS Kesehatan.",
    )
    assert report.status == Status.DISPOSED and report.agency == bpjs
    # Then BPJS answers and the report is handled
    services.report_follow_up(report=report, actor=officer(bpjs), message=ANSWER)
    assert report.status == Status.ANSWERED
    assert actions(report).count(Action.NOT_AUTHORITY) + actions(report).count(Action.FORWARD) == 2


def test_reporter_reply_stops_the_automatic_close(demak):
    agency, _ = demak
    sub = submit()
    report = sub.report
    services.report_dispose(report=report, to_agency=agency, actor=national_admin())
    services.report_follow_up(report=report, actor=officer(agency), message=ANSWER)
    assert report.autoclose_at is not None
    # When the reporter replies that the answer is not enough
    services.report_reply(
        report=report, message="Lubangnya masih ada di sisi utara.", secret=sub.secret
    )
    # Then the timer is gone and the agency's follow-up clock runs again
    assert report.status == Status.DISPOSED
    assert report.autoclose_at is None and report.due_at is not None


def test_poor_rating_reopens_within_the_window(demak):
    agency, _ = demak
    sub = submit()
    report = sub.report
    agency_admin = officer(agency)
    services.report_dispose(report=report, to_agency=agency, actor=national_admin())
    services.report_follow_up(report=report, actor=agency_admin, message=ANSWER)
    services.report_complete(report=report, actor=agency_admin)
    # A good rating cannot appeal
    services.report_rate(report=report, rating=2, secret=sub.secret)
    services.report_reopen(
        report=report, reason="Jalan masih berlubang, belum diperbaiki.", secret=sub.secret
    )
    assert report.status == Status.DISPOSED and report.reopen_count == 1
    assert report.agency == agency and report.due_at is not None


def test_appeal_refused_after_the_window_or_without_poor_rating(demak):
    agency, _ = demak
    sub = submit()
    report = sub.report
    agency_admin = officer(agency)
    services.report_dispose(report=report, to_agency=agency, actor=national_admin())
    services.report_follow_up(report=report, actor=agency_admin, message=ANSWER)
    services.report_complete(report=report, actor=agency_admin)
    services.report_rate(report=report, rating=4, secret=sub.secret)
    with pytest.raises(ValidationFailed) as refused:
        services.report_reopen(
            report=report, reason="Saya berubah pikiran saja.", secret=sub.secret
        )
    assert refused.value.code == "appeal_needs_poor_rating"
    Report.objects.filter(pk=report.pk).update(rating=1)
    report.refresh_from_db()
    with pytest.raises(ValidationFailed) as late:
        services.report_reopen(
            report=report,
            reason="Jalan masih berlubang sampai sekarang.",
            secret=sub.secret,
            at=timezone.now() + timedelta(days=60),
        )
    assert late.value.code == "appeal_window_passed"
    assert Report.objects.get(pk=report.pk).status == Status.COMPLETED


def test_merge_keeps_both_reporters_informed(demak):
    agency, _ = demak
    admin = national_admin()
    # (supporters hear only of a public report: the first is not rahasia)
    first = submit(contact_email="pertama@contoh.id", is_confidential=False).report
    second = submit(contact_email="kedua@contoh.id", title="Jalan depan pasar berlubang").report
    services.report_dispose(report=first, to_agency=agency, actor=admin)
    # When the second report is merged into the first
    services.report_merge(report=second, into=first, actor=admin)
    assert second.status == Status.MERGED and second.merged_into == first
    first.refresh_from_db()
    assert first.support_count == 1
    # Then an answer on the first reaches both reporters
    services.report_follow_up(report=first, actor=officer(agency), message=ANSWER)
    told = set(
        Notification.objects.filter(report=first, kind=Action.FOLLOW_UP).values_list(
            "recipient", flat=True
        )
    )
    assert told == {"pertama@contoh.id", "kedua@contoh.id"}
    assert Notification.objects.filter(
        report=second, kind=Action.MERGE, recipient="kedua@contoh.id"
    ).exists()


def test_stale_page_gets_a_conflict_and_writes_nothing(demak):
    agency, _ = demak
    admin = national_admin()
    report = submit().report
    stale = Report.objects.get(pk=report.pk)
    services.report_send_to_triage(report=report)
    events = report.event_count
    # When an officer acts on what they loaded before the change
    with pytest.raises(Conflict) as info:
        services.report_dispose(report=stale, to_agency=agency, actor=admin)
    # Then they are told to reload, and nothing was written
    assert "Muat ulang" in info.value.message
    assert Report.objects.get(pk=report.pk).event_count == events
    assert Report.objects.get(pk=report.pk).status == Status.TRIAGE


def test_every_change_has_its_event(demak):
    agency, _ = demak
    sub = submit()
    report = sub.report
    admin = national_admin()
    steps = [
        lambda: services.report_send_to_triage(report=report),
        lambda: services.report_request_info(
            report=report, actor=admin, question="Di RT/RW berapa lokasinya?"
        ),
        lambda: services.report_reply(report=report, message="RT 02 RW 05.", secret=sub.secret),
        lambda: services.report_hold(
            report=report,
            actor=admin,
            reason="Menunggu data lapangan",
            until=timezone.now() + timedelta(days=3),
        ),
        lambda: services.report_resume(report=report, actor=admin),
        lambda: services.report_dispose(report=report, to_agency=agency, actor=admin),
        lambda: services.report_add_note(report=report, actor=admin, note="Prioritas"),
    ]
    for step in steps:
        before = (report.event_count, report.status, report.updated_at)
        step()
        stored = Report.objects.get(pk=report.pk)
        last = ReportEvent.objects.filter(report=report).order_by("-seq").first()
        assert stored.event_count == before[0] + 1
        assert last.seq == stored.event_count and last.hash == stored.last_event_hash
        assert last.from_status == before[1] and last.to_status == stored.status
