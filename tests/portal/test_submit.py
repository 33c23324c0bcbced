from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lapor.reports.models import Report
from tests.factories import RegencyFactory
from tests.portal.conftest import PNG, page

pytestmark = pytest.mark.django_db


def _token(html: str) -> str:
    match = re.search(r'name="form_token" value="([0-9a-f]+)"', html)
    assert match
    return match.group(1)


def _form(client: Client, regency, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "form_token": _token(page(client, "/lapor/")),
        "type": "pengaduan",
        "title": "Jalan berlubang di Jalan Sultan Fatah",
        "body": "Lubang besar di tengah jalan sudah dua minggu, banyak pengendara motor jatuh.",
        "region": regency.code,
        "is_anonymous": "on",
        "is_confidential": "on",
        "contact_name": "Siti",
        "contact_email": "siti@contoh.id",
    }
    data.update(overrides)
    return data


def test_safe_privacy_choices_are_pre_selected(client, regency):
    html = page(client, "/lapor/")
    assert re.search(r'name="is_anonymous"[^>]*checked', html)
    assert re.search(r'name="is_confidential"[^>]*checked', html)
    assert "tidak muncul di daftar laporan publik" in html


def test_regencies_are_grouped_by_province_without_javascript(client, regency):
    html = page(client, "/lapor/")
    assert '<optgroup label="Jawa Tengah">' in html
    assert f'<option value="{regency.code}">Kabupaten Demak</option>' in html


def test_kecamatan_step_keeps_what_was_typed(client, regency):
    # given a kabupaten with kecamatan loaded
    RegencyFactory(
        code="33.21.01", name="Mranggen", level="kecamatan", kind="kecamatan", parent=regency
    )
    data = _form(client, regency, step="district")
    data.pop("is_confidential")
    # when the citizen asks for the kecamatan list
    html = client.post("/lapor/", data).content.decode()
    # then the kecamatan appear and nothing typed is lost (the unchecked box stays unchecked)
    assert "Mranggen" in html
    assert "Jalan berlubang di Jalan Sultan Fatah" in html
    assert not re.search(r'name="is_confidential"[^>]*checked', html)
    assert "error" not in html.split("<main", 1)[1].split("</main>")[0].replace("errors", "")


def test_guest_submits_with_a_photo_and_sees_tracking_id_and_secret_once(client, regency):
    data = _form(client, regency)
    data["attachments"] = [SimpleUploadedFile("lubang.png", PNG, content_type="image/png")]
    response = client.post("/lapor/", data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.attachments.count() == 1
    assert report.is_anonymous and report.is_confidential
    confirmation = client.get(response["Location"]).content.decode()
    assert report.tracking_id[:4] + "-" in confirmation
    secret = re.search(r'id="guest-secret">([0-9A-Z]+)<', confirmation)
    assert secret and len(secret.group(1)) == 16
    assert "WIB" in confirmation  # the verification deadline, in the region's zone
    again = client.get(response["Location"]).content.decode()
    assert secret.group(1) not in again
    assert "tidak dapat ditampilkan lagi" in again


def test_deadline_is_shown_in_the_reports_zone(client, papua_regency):
    response = client.post("/lapor/", _form(client, papua_regency))
    assert " WIT" in client.get(response["Location"]).content.decode()


def test_double_submit_makes_one_report(client, regency):
    data = _form(client, regency)
    first = client.post("/lapor/", data)
    second = client.post("/lapor/", data)
    assert Report.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_refused_file_is_explained_and_the_rest_kept(client, regency):
    data = _form(client, regency)
    data["attachments"] = [SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image", "image/png")]
    response = client.post("/lapor/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert "bukan foto (JPG, PNG, WEBP, HEIC) atau PDF" in html
    assert 'id="id_attachments_error"' in html
    assert 'aria-describedby="id_attachments_help id_attachments_error"' in html
    assert "Jalan berlubang di Jalan Sultan Fatah" in html
    assert "Pilih ulang foto atau PDF" in html


def test_service_error_is_shown_next_to_its_field(client, regency):
    data = _form(client, regency, contact_email="", contact_phone="")
    html = client.post("/lapor/", data).content.decode()
    assert Report.objects.count() == 0
    assert 'id="id_contact_email_error"' in html
    assert "Isi alamat surel atau nomor telepon" in html


def test_logged_in_reporter_needs_no_contact_and_gets_no_secret(client, regency):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    html = page(client, "/lapor/")
    assert 'name="contact_email"' not in html
    data = _form(client, regency)
    response = client.post("/lapor/", data)
    report = Report.objects.get()
    assert report.reporter == user
    assert "guest-secret" not in client.get(response["Location"]).content.decode()


def test_submit_without_csrf_token_is_refused(regency):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/lapor/", _form(client, regency))
    assert response.status_code == 403
    assert Report.objects.count() == 0


def test_submit_rate_limit_answers_429_in_bahasa_indonesia(client, regency, settings):
    settings.LAPOR_RATE_SUBMIT = "2/h"
    for _ in range(2):
        assert client.post("/lapor/", _form(client, regency)).status_code == 302
    response = client.post("/lapor/", _form(client, regency))
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in response.content.decode()
    assert Report.objects.count() == 2


def test_submit_page_in_english(client, regency):
    html = page(client, "/lapor/", "en")
    assert "Submit a report" in html
    assert "Anonymous" in html


def test_an_account_is_limited_whatever_its_ip(client, regency, settings):
    from tests.factories import UserFactory

    settings.LAPOR_RATE_SUBMIT = "2/h"
    client.force_login(UserFactory())
    for n in range(2):
        data = _form(client, regency)
        assert client.post("/lapor/", data, REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    response = client.post("/lapor/", _form(client, regency), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429


def test_confirmation_in_english(client, regency):
    response = client.post("/en/lapor/", _form(client, regency))
    html = client.get(response["Location"]).content.decode()
    assert "We have received your report" in html and "What happens next" in html
    assert "WIB" in html


def test_similar_open_reports_in_the_same_regency_are_offered_for_dukung(client, regency):
    # given open public reports here and elsewhere, and a rahasia one here
    from tests.factories import RegencyFactory, submit

    other = RegencyFactory(code="33.22", name="Kabupaten Semarang")
    same = submit(title="Jalan berlubang di depan pasar", is_confidential=False).report
    submit(title="Jalan berlubang di Ungaran", is_confidential=False, region=other)
    submit(title="Jalan berlubang dekat sekolah", is_confidential=True)
    # when the citizen checks before sending
    data = _form(client, regency, step="similar", title="Jalan berlubang dekat pasar")
    html = client.post("/lapor/", data).content.decode()
    # then only the open public report in the same kabupaten is offered, with "dukung"
    assert "Jalan berlubang di depan pasar" in html
    assert f"/laporan/{same.tracking_id}/#dukung" in html
    assert "Ungaran" not in html and "dekat sekolah" not in html.replace(
        'value="Jalan berlubang dekat pasar"', ""
    )
    assert Report.objects.count() == 3


def test_no_similar_report_says_to_go_on(client, regency):
    data = _form(client, regency, step="similar")
    html = client.post("/lapor/", data).content.decode()
    assert "Belum ada laporan serupa" in html
