"""An officer sees a reporter's contact details only by pressing "Lihat kontak pelapor"; each
press is recorded, and the reporter sees who, at which agency, looked."""

from __future__ import annotations

import pytest
from django.test import Client

from lapor.reports.lifecycle import Status
from lapor.reports.models import AccessRecord
from tests.backoffice.conftest import sign_in
from tests.factories import officer
from tests.privacy.conftest import EMAIL, IDENTITY, NAME, enter_secret
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db


def test_contact_shown_only_after_the_press_and_the_reporter_sees_who(kab):
    # given a named (not anonim) report at the officer's agency
    report, secret = report_in(Status.DISPOSED, agency=kab, is_anonymous=False, **IDENTITY)
    reader = officer(kab)
    reader.first_name, reader.last_name = "Budi", "Santoso"
    reader.save()
    desk = sign_in(Client(), reader)
    url = f"/kantor/laporan/{report.tracking_id}/"
    # when the officer opens the report: the name, but no contact details, and a button
    html = desk.get(url).content.decode()
    assert NAME in html and EMAIL not in html and "Lihat kontak pelapor" in html
    assert not AccessRecord.objects.filter(kind=AccessRecord.Kind.CONTACT).exists()
    # when they press "Lihat kontak pelapor"
    response = desk.post(url, {"show": "contact"})
    # then they see the contact details, and the reading is recorded with their agency
    assert response.status_code == 200 and EMAIL in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    record = AccessRecord.objects.get(kind=AccessRecord.Kind.CONTACT)
    assert (record.report, record.actor, record.agency, record.kind) == (
        report, reader, kab, AccessRecord.Kind.CONTACT
    )  # fmt: skip
    # and opening the page again hides them again
    assert EMAIL not in desk.get(url).content.decode()
    # and the reporter, on their private track view, sees who looked and from where
    citizen = Client()
    enter_secret(citizen, report.tracking_id, secret)
    track = citizen.get(f"/lacak/{report.tracking_id}/").content.decode()
    listed = track.split('id="akses-data"', 1)[1].split("</ul>", 1)[0]
    assert "Data kontak pelapor dilihat" in listed
    assert "Budi Santoso" in listed and kab.name in listed
    # while a visitor with only the tracking ID sees none of it
    visitor = Client().get(f"/lacak/{report.tracking_id}/").content.decode()
    assert "akses-data" not in visitor and "Budi Santoso" not in visitor


def test_an_anonim_reporters_contact_is_not_shown_even_on_a_post(kab):
    report, _ = report_in(Status.DISPOSED, agency=kab, **IDENTITY)  # anonim by default
    desk = sign_in(Client(), officer(kab))
    url = f"/kantor/laporan/{report.tracking_id}/"
    html = desk.get(url).content.decode()
    assert "Lihat kontak pelapor" not in html and NAME not in html
    shown = desk.post(url, {"show": "contact"}).content.decode()
    assert EMAIL not in shown and NAME not in shown
    assert not AccessRecord.objects.filter(kind=AccessRecord.Kind.CONTACT).exists()
