"""Every action in every status, through the real service functions: allowed moves land in the
table's target with one new event; forbidden ones raise and write nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from lapor.agencies.models import Membership
from lapor.core.errors import LaporError, NotAllowed, ValidationFailed
from lapor.reports import services
from lapor.reports.lifecycle import TRANSITIONS, Action, Status, TransitionError, allowed
from lapor.reports.models import Attachment, Report, ReportEvent
from tests.factories import (
    AgencyFactory,
    CategoryFactory,
    UnitFactory,
    UserFactory,
    national_admin,
    officer,
)
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

Call = Callable[[Report, dict], object]
TEXT = "Sudah kami tangani bersama petugas lapangan pada hari ini."

CALLS: dict[str, Call] = {
    Action.TRIAGE: lambda r, c: services.report_send_to_triage(report=r, reason="uji"),
    Action.DISPOSE: lambda r, c: services.report_dispose(
        report=r, to_agency=c["agency"], actor=c["admin"]
    ),
    Action.DISPOSE_UNIT: lambda r, c: services.report_dispose_unit(
        report=r, unit=c["unit2"], actor=c["admin"]
    ),
    Action.HOLD: lambda r, c: services.report_hold(
        report=r, actor=c["admin"], until=timezone.now() + timedelta(days=7), reason=TEXT
    ),
    Action.RESUME: lambda r, c: services.report_resume(report=r, actor=c["admin"]),
    Action.NOT_AUTHORITY: lambda r, c: services.report_not_authority(
        report=r, actor=c["admin"], reason=TEXT
    ),
    Action.FORWARD: lambda r, c: services.report_forward(
        report=r, to_agency=c["other"], actor=c["admin"], reason=TEXT
    ),
    Action.REQUEST_INFO: lambda r, c: services.report_request_info(
        report=r, actor=c["admin"], question="Mohon sebutkan nama jalan yang dimaksud."
    ),
    Action.REPORTER_REPLY: lambda r, c: services.report_reply(
        report=r, message="Nama jalannya Jalan Pemuda.", secret=c["secret"]
    ),
    Action.FOLLOW_UP: lambda r, c: services.report_follow_up(
        report=r, actor=c["admin"], message=TEXT
    ),
    Action.COMPLETE: lambda r, c: services.report_complete(report=r, actor=c["admin"]),
    Action.RATE: lambda r, c: services.report_rate(report=r, rating=4, secret=c["secret"]),
    Action.REOPEN: lambda r, c: (
        Report.objects.filter(pk=r.pk).update(rating=1),
        r.refresh_from_db(),
        services.report_reopen(report=r, reason=TEXT, secret=c["secret"]),
    ),
    Action.ARCHIVE: lambda r, c: services.report_archive(report=r, actor=c["admin"], reason=TEXT),
    Action.MERGE: lambda r, c: services.report_merge(report=r, into=c["target"], actor=c["admin"]),
    Action.SUPPORT: lambda r, c: services.report_support(report=r, user=UserFactory()),
    Action.NOTE: lambda r, c: services.report_add_note(report=r, actor=c["admin"], note="cek"),
    Action.CHANGE_CATEGORY: lambda r, c: services.report_change_category(
        report=r, actor=c["admin"], category=c["category"]
    ),
    # Officers only add protection: the report starts open to the public here.
    Action.SET_PRIVACY: lambda r, c: (
        Report.objects.filter(pk=r.pk).update(is_anonymous=False, is_confidential=False),
        r.refresh_from_db(),
        services.report_set_privacy(
            report=r, actor=c["admin"], is_anonymous=True, is_confidential=False
        ),
    ),
    Action.PRIVACY_CONSENT: lambda r, c: services.report_privacy_consent(
        report=r, is_anonymous=False, is_confidential=False, secret=c["secret"]
    ),
    Action.ERASE_IDENTITY: lambda r, c: services.report_erase_identity(
        report=r, secret=c["secret"]
    ),
    Action.CLAIM_CONTACT: lambda r, c: services.reports_claim_contact(
        user=UserFactory(), contact=r.contact_email
    ),
    # An officer hides a shown photo (showing one is the reporter's: tests/portal/).
    Action.PHOTO_VISIBILITY: lambda r, c: services.attachment_set_public(
        attachment=Attachment.objects.create(
            report=r,
            original_name="a.jpg",
            content_type="image/jpeg",
            size=1,
            sha256="0",
            is_public=True,
        ),
        is_public=False,
        officer=c["admin"],
    ),
}
# Moved by the SLA sweep, tested with it (tests/reports/test_sweep.py).
SWEEP_ACTIONS = {Action.AUTO_CLOSE, Action.MARK_OVERDUE, Action.ESCALATE}
# Actions that write a second, internal event on another report (merge: the target's support).
CASES = [(a, s) for a in TRANSITIONS if a not in SWEEP_ACTIONS for s in Status]


def test_every_table_action_has_a_service_case():
    assert set(TRANSITIONS) - SWEEP_ACTIONS == set(CALLS)


@pytest.fixture
def ctx():
    agency = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    return {
        "agency": agency,
        "unit": UnitFactory(code="pemkab-3321-dinkes", parent=agency),
        "unit2": UnitFactory(code="pemkab-3321-pupr", parent=agency, unit_type="pupr"),
        "other": AgencyFactory(code="bpjs-kesehatan", name="BPJS Kesehatan"),
        "admin": national_admin(),
        "category": CategoryFactory(),
    }


@pytest.mark.parametrize(("action", "status"), CASES, ids=[f"{a}-{s}" for a, s in CASES])
def test_action_in_status(ctx, action, status):
    # Given a report in ``status``
    report, secret = report_in(status, agency=ctx["agency"], unit=ctx["unit"])
    ctx["secret"] = secret
    ctx["target"] = report_in(Status.TRIAGE, agency=ctx["agency"])[0]
    events_before = ReportEvent.objects.filter(report=report).count()
    # When the service for ``action`` is called
    if allowed(action, status):
        CALLS[action](report, ctx)
        # Then the report is where the table says, with exactly one new event for it
        report.refresh_from_db()
        move = TRANSITIONS[action]
        if move.target not in (None, "return"):
            assert report.status == move.target
        elif move.target is None:
            assert report.status == status
        event = ReportEvent.objects.filter(report=report).order_by("-seq").first()
        assert event.action == action
        assert ReportEvent.objects.filter(report=report).count() == events_before + 1
    else:
        with pytest.raises(TransitionError):
            CALLS[action](report, ctx)
        # Then nothing changed and nothing was written
        fresh = Report.objects.get(pk=report.pk)
        assert fresh.status == status
        assert fresh.event_count == report.event_count
        assert ReportEvent.objects.filter(report=report).count() == events_before


def test_forbidden_move_message_is_indonesian_and_names_both(ctx):
    report, _ = report_in(Status.ARCHIVED, agency=ctx["agency"])
    with pytest.raises(TransitionError) as info:
        services.report_follow_up(report=report, actor=ctx["admin"], message=TEXT)
    assert "Tindak lanjut" in str(info.value) and "Diarsipkan" in str(info.value)


def test_refusals_speak_the_active_language_and_keep_their_codes(ctx):
    # given an archived report, and a disposed one an outsider tries to answer
    archived, _ = report_in(Status.ARCHIVED, agency=ctx["agency"])
    disposed, _ = report_in(Status.DISPOSED, agency=ctx["agency"])
    outsider = officer(AgencyFactory(code="pemkot-3374"), Membership.Role.AGENCY_ADMIN)
    calls: list[tuple[Callable[[], object], type[LaporError], str]] = [
        (
            lambda: services.report_follow_up(report=archived, actor=ctx["admin"], message=TEXT),
            TransitionError,
            "invalid_transition",
        ),
        (
            lambda: services.report_follow_up(report=disposed, actor=outsider, message=TEXT),
            NotAllowed,
            "not_permitted",
        ),
        (
            lambda: services.report_hold(
                report=disposed,
                actor=ctx["admin"],
                until=timezone.now() + timedelta(days=3),
                reason="survei",
            ),
            ValidationFailed,
            "reason_required",
        ),
    ]
    english = [
        "The action 'Follow-up' cannot be taken on a report with the status 'Archived'.",
        "You are not authorised to take this action on this report.",
        "Reason for the hold must be at least 10 characters long.",
    ]
    indonesian = [
        "Tindakan 'Tindak lanjut' tidak dapat dilakukan pada laporan berstatus 'Diarsipkan'.",
        "Anda tidak berwenang melakukan tindakan ini pada laporan ini.",
        "Alasan penundaan paling sedikit 10 karakter.",
    ]
    for (call, kind, code), en, id_ in zip(calls, english, indonesian, strict=True):
        # when the service is called with English active, then it refuses in English ...
        with translation.override("en"), pytest.raises(kind) as info:
            call()
        assert (info.value.message, str(info.value), info.value.code) == (en, en, code)
        # ... and in Bahasa Indonesia otherwise, with the same code
        with pytest.raises(kind) as info:
            call()
        assert (info.value.message, info.value.code) == (id_, code)
    assert ReportEvent.objects.filter(report__in=[archived, disposed]).count() == (
        archived.event_count + disposed.event_count
    )


def test_officer_outside_subtree_cannot_act(ctx):
    # Given a report disposed to Kabupaten Demak and an admin of another regency
    report, _ = report_in(Status.DISPOSED, agency=ctx["agency"])
    outsider = officer(
        AgencyFactory(code="pemkot-3374", name="Pemerintah Kota Semarang"),
        Membership.Role.AGENCY_ADMIN,
    )
    # When the outsider tries to answer it, Then it is refused and nothing is written
    with pytest.raises(NotAllowed):
        services.report_follow_up(report=report, actor=outsider, message=TEXT)
    assert ReportEvent.objects.filter(report=report).count() == report.event_count
