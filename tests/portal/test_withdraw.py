"""A reporter withdraws a report no agency has acted on yet; once one has, they cannot."""

from __future__ import annotations

import pytest

from lapor.core.errors import LaporError
from lapor.reports import services
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report
from tests.factories import AgencyFactory, national_admin, submit
from tests.portal.conftest import page

pytestmark = pytest.mark.django_db


def _open(client, sub):  # type: ignore[no-untyped-def]
    url = f"/lacak/{sub.report.tracking_id}/"
    client.post(url, {"action": "secret", "secret": sub.secret})
    return url


def test_the_reporter_withdraws_a_report_before_any_agency(client):
    sub = submit()
    url = _open(client, sub)
    assert 'id="tarik"' in page(client, url)
    response = client.post(url, {"action": "withdraw", "reason": "Sudah diperbaiki warga sendiri."})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Status.ARCHIVED
    event = report.events.order_by("-seq").first()
    assert (event.action, event.actor_role, event.data) == (
        Action.ARCHIVE,
        "reporter",
        {"withdrawn": True},
    )
    html = page(client, url)
    assert "Laporan Anda telah ditarik" in html and "Sudah diperbaiki warga sendiri." in html
    assert 'id="tarik"' not in html


def test_a_short_reason_is_asked_again(client):
    sub = submit()
    url = _open(client, sub)
    html = client.post(url, {"action": "withdraw", "reason": "ok"}).content.decode()
    assert "paling sedikit 5 karakter" in html
    assert Report.objects.get().status == Status.SUBMITTED


def test_no_withdrawal_once_an_agency_holds_the_report(client):
    sub = submit()
    services.report_dispose(
        report=sub.report, to_agency=AgencyFactory(code="pemkab-3321"), actor=national_admin()
    )
    url = _open(client, sub)
    assert 'id="tarik"' not in page(client, url)
    sub.report.refresh_from_db()
    with pytest.raises(LaporError):
        services.report_withdraw(report=sub.report, reason="Tidak jadi melapor.", secret=sub.secret)
    assert Report.objects.get().status == Status.DISPOSED


def test_a_stranger_can_neither_see_nor_use_the_withdrawal(client):
    sub = submit(is_confidential=True, is_anonymous=True)
    url = f"/lacak/{sub.report.tracking_id}/"
    html = page(client, url)
    assert 'id="tarik"' not in html and "Siti Aminah" not in html
    client.post(url, {"action": "withdraw", "reason": "Ditarik oleh orang lain."})
    assert Report.objects.get().status == Status.SUBMITTED
    with pytest.raises(LaporError):
        services.report_withdraw(report=sub.report, reason="Ditarik oleh orang lain.")
