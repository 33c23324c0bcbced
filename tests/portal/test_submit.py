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


COMPLAINT = (
    "Jalan berlubang di depan pasar",
    "Lubang besar di tengah jalan depan Pasar Bintoro sudah dua minggu, banyak pengendara motor "
    "jatuh pada malam hari. Mohon segera ditambal.",
)
# The same complaint typed again by another citizen: a greeting, a typo, a thank-you.
RETYPED = {
    "title": "Jalan berlubang di depan psar",
    "body": "Selamat pagi pak. "
    + COMPLAINT[1].replace("pengendara", "pengendra")
    + " Terima kasih",
}


def _filed(title: str = COMPLAINT[0], body: str = COMPLAINT[1], **kw):  # type: ignore[no-untyped-def]
    """An existing report, indexed as the routing job indexes every new report."""
    from lapor.routing.duplicates import index_report
    from tests.factories import submit

    report = submit(title=title, body=body, **{"is_confidential": False, **kw}).report
    index_report(report)
    return report


def _similar_section(client, regency, **typed) -> str:  # type: ignore[no-untyped-def]
    html = client.post("/lapor/", _form(client, regency, step="similar", **typed)).content.decode()
    return html.split('id="serupa"')[1].split("</section>")[0]


def test_the_same_complaint_retyped_is_offered_for_dukung_here_first(client, regency):
    # given the complaint filed here, in another kabupaten of the province, and in another
    # province
    from tests.factories import ProvinceFactory, RegencyFactory

    same = _filed()
    neighbour = _filed(region=RegencyFactory(code="33.22", name="Kabupaten Semarang"))
    jatim = ProvinceFactory(code="35", name="Jawa Timur")
    elsewhere = _filed(region=RegencyFactory(code="35.78", name="Kota Surabaya", parent=jatim))
    # when a citizen in Demak types the same complaint with a greeting and a typo
    similar = _similar_section(client, regency, **RETYPED)
    # then the Demak report comes first with "dukung", the neighbour after it, marked so;
    # the other province's is not offered
    assert f"/laporan/{same.tracking_id}/#dukung" in similar
    assert similar.index(same.tracking_id) < similar.index(neighbour.tracking_id)
    assert "kabupaten/kota lain di provinsi ini" in similar.split(same.tracking_id)[1]
    assert elsewhere.tracking_id not in similar
    alike = re.search(r"mirip (\d+)%", similar)
    assert alike is not None and int(alike[1]) >= 70
    assert Report.objects.count() == 3


def test_a_rahasia_near_duplicate_is_never_offered(client, regency):
    # given the same complaint filed only as rahasia
    hidden = _filed(is_confidential=True)
    # when a citizen types it again
    similar = _similar_section(client, regency, **RETYPED)
    # then nothing is offered and nothing of the rahasia report shows
    assert "Belum ada laporan serupa" in similar
    assert hidden.tracking_id not in similar and "Pasar Bintoro" not in similar


def test_an_unrelated_report_sharing_a_title_word_is_not_offered(client, regency):
    # given an open public report here whose title shares words with the new one
    lamp = _filed(
        title="Jalan di depan pasar gelap",
        body="Lampu penerangan jalan di depan pasar mati sejak sebulan, warga takut lewat malam.",
    )
    # when the citizen checks the broken-road complaint
    similar = _similar_section(client, regency, **RETYPED)
    # then the lamp report is not offered
    assert lamp.tracking_id not in similar and "Belum ada laporan serupa" in similar


def test_a_closed_report_is_not_offered(client, regency):
    from lapor.reports.lifecycle import Status

    done = _filed()
    Report.objects.filter(pk=done.pk).update(status=Status.COMPLETED)
    similar = _similar_section(client, regency, **RETYPED)
    assert done.tracking_id not in similar and "Belum ada laporan serupa" in similar


def test_checking_before_writing_the_text_asks_for_it(client, regency):
    _filed()
    similar = _similar_section(client, regency, title=COMPLAINT[0], body="")
    assert "Tulis dulu isi laporan Anda" in similar


def test_no_similar_report_says_to_go_on(client, regency):
    data = _form(client, regency, step="similar")
    html = client.post("/lapor/", data).content.decode()
    assert "Belum ada laporan serupa" in html
