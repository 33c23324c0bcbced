"""What the e-mails about a report say: a link to it, dates written as the pages write them,
and a supporter told that only the reporter can answer."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lapor.core.timefmt import format_local
from lapor.notifications.models import Notification
from lapor.reports import services
from lapor.reports.models import Supporter
from tests.factories import AgencyFactory, national_admin, officer, submit
from tests.portal.conftest import ANSWER

pytestmark = pytest.mark.django_db


def _answered_with_a_supporter():  # type: ignore[no-untyped-def]
    agency = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    report = submit(is_confidential=False, is_anonymous=False).report
    Supporter.objects.create(
        report=report, contact_email="pendukung@contoh.id", confirmed_at=timezone.now()
    )
    services.report_dispose(report=report, to_agency=agency, actor=national_admin())
    services.report_follow_up(report=report, actor=officer(agency), message=ANSWER)
    report.refresh_from_db()
    return report


def test_the_reporter_email_links_the_report_and_writes_dates_as_the_pages(settings):
    settings.LAPOR_PUBLIC_URL = "https://lapor.contoh.id"
    report = _answered_with_a_supporter()
    mail = Notification.objects.get(recipient="siti@contoh.id", kind="follow_up")
    assert f"https://lapor.contoh.id/lacak/{report.tracking_id}/" in mail.body
    # the automatic-close date as the track page writes it ("12 Maret 2026 14.05 WIB")
    assert format_local(report.autoclose_at, "Asia/Jakarta") in mail.body
    assert "tidak perlu dibalas" not in mail.body


def test_a_supporter_is_told_the_email_cannot_be_answered(settings):
    settings.LAPOR_PUBLIC_URL = "https://lapor.contoh.id"
    report = _answered_with_a_supporter()
    mail = Notification.objects.get(recipient="pendukung@contoh.id", kind="follow_up")
    assert f"https://lapor.contoh.id/lacak/{report.tracking_id}/" in mail.body
    assert "tidak perlu dibalas" in mail.body and "mendukung" in mail.body
    assert "balas melalui halaman laporan" not in mail.body.lower()
    # the supporter never learns the reporter's name or address
    assert "Siti Aminah" not in mail.body and "siti@contoh.id" not in mail.body
