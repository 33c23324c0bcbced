"""What reporters and officers read: Bahasa Indonesia, next step named, SMS in one message."""

from __future__ import annotations

import pytest

from lapor.agencies.models import Membership
from lapor.notifications.models import Notification
from lapor.notifications.services import notify_report_event, notify_staff_digest
from lapor.notifications.texts import TELLS_REPORTER_SMS
from lapor.reports.events import build_event
from lapor.reports.models import Report
from tests.factories import AgencyFactory, MembershipFactory, submit

pytestmark = pytest.mark.django_db
LONG_NAME = "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kepulauan Sangihe Provinsi Sulut"


@pytest.mark.parametrize("action", sorted(TELLS_REPORTER_SMS))
def test_every_sms_to_a_reporter_fits_in_one_message(action):
    # Given a reporter who left only a phone number, and a long agency name and message
    agency = AgencyFactory(name=LONG_NAME)
    report = submit(contact_email="", contact_phone="081234567890").report
    Report.objects.filter(pk=report.pk).update(agency=agency)
    report.refresh_from_db()
    event = build_event(
        report,
        action=action,
        from_status="",
        to_status="",
        actor_id=None,
        actor_role="system",
        message="alasan panjang " * 40,
        data={"into": "7KQM3XPAR9TC"},
        at=report.submitted_at,
    )
    # When the event is told
    [note] = notify_report_event(report, event)
    # Then it goes by SMS, names the report, and fits 160 characters
    assert note.channel == Notification.Channel.SMS
    assert len(note.body) <= 160
    assert note.body.startswith("LAPOR! ")
    assert note.body.isascii()


def test_officer_digest_by_email_and_sms():
    agency = AgencyFactory(name=LONG_NAME)
    by_mail = MembershipFactory(agency=agency, role=Membership.Role.AGENCY_ADMIN).user
    by_phone = MembershipFactory(agency=agency, role=Membership.Role.AGENCY_ADMIN).user
    by_phone.email, by_phone.phone = "", "081111111111"
    by_phone.save()
    reports = [submit().report for _ in range(3)]
    notes = notify_staff_digest(
        kind="mark_overdue",
        recipients=[by_mail, by_phone],
        reports=reports,
        agency_name=agency.name,
    )
    mail_note = next(n for n in notes if n.channel == "email")
    sms_note = next(n for n in notes if n.channel == "sms")
    assert mail_note.recipient == by_mail.email
    assert mail_note.subject == "[LAPOR!] 3 laporan melewati batas waktu"
    assert "Segera verifikasi" in mail_note.body
    assert all(r.title in mail_note.body for r in reports)
    assert len(sms_note.body) <= 160 and "3 laporan" in sms_note.body
