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
    assert "bukan foto (JPG, PNG, WEBP) atau PDF" in html
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
    assert "Terlalu banyak kiriman" in response.content.decode()
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


# Rate limits: what counts, and what a refused citizen keeps.


def test_mistakes_do_not_use_up_the_hours_reports(client, regency, settings):
    # Given an allowance of two reports an hour
    settings.LAPOR_RATE_SUBMIT = "2/h"
    # When a citizen sends the form three times with a field missing and once without contact
    for _ in range(3):
        assert client.post("/lapor/", _form(client, regency, title="")).status_code == 200
    no_contact = _form(client, regency, contact_email="")
    assert client.post("/lapor/", no_contact).status_code == 200
    # Then both reports of the hour can still be made, and only a third is refused
    assert client.post("/lapor/", _form(client, regency)).status_code == 302
    assert client.post("/lapor/", _form(client, regency)).status_code == 302
    assert client.post("/lapor/", _form(client, regency)).status_code == 429
    assert Report.objects.count() == 2


def test_refused_attempts_have_a_limit_of_their_own(client, regency, settings):
    settings.LAPOR_RATE_SUBMIT_INVALID = "2/h"
    for _ in range(2):
        assert client.post("/lapor/", _form(client, regency, body="pendek")).status_code == 200
    response = client.post("/lapor/", _form(client, regency, body="pendek"))
    html = response.content.decode()
    assert response.status_code == 429 and "Retry-After" in response
    assert "Coba lagi dalam" in html
    assert "Jalan berlubang di Jalan Sultan Fatah" in html  # the rest is still there
    assert 'id="id_body_error"' in html  # and what to fix
    assert Report.objects.count() == 0


@pytest.mark.parametrize("step", ["similar", "district"])
def test_the_intermediate_steps_have_a_limit(client, regency, settings, step):
    settings.LAPOR_RATE_SUBMIT_STEP = "2/h"
    for _ in range(2):
        assert client.post("/lapor/", _form(client, regency, step=step)).status_code == 200
    response = client.post("/lapor/", _form(client, regency, step=step))
    html = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Coba lagi dalam" in html and "Jalan berlubang di Jalan Sultan Fatah" in html


def test_a_refused_report_keeps_everything_typed_but_the_files(client, regency, settings):
    # Given a citizen who has made this hour's one report
    settings.LAPOR_RATE_SUBMIT = "1/h"
    assert client.post("/lapor/", _form(client, regency)).status_code == 302
    # When they send another, with a photo, a phone number and the report made public
    data = _form(client, regency, contact_phone="0812 3456 7890")
    data.pop("is_confidential")
    data["attachments"] = [SimpleUploadedFile("lubang.png", PNG, content_type="image/png")]
    response = client.post("/lapor/", data)
    # Then it is refused with the true wait, and the form comes back as they filled it
    html = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert re.search(r"Coba lagi dalam \d+ menit, pukul \d{1,2}\.\d\d WIB", html)
    assert html.index("Coba lagi dalam") < html.index('name="title"')  # at the top
    assert "Jalan berlubang di Jalan Sultan Fatah" in html
    assert "Lubang besar di tengah jalan sudah dua minggu" in html
    assert 'value="siti@contoh.id"' in html and 'value="0812 3456 7890"' in html
    assert not re.search(r'name="is_confidential"[^>]*checked', html)
    assert "Pilih ulang foto atau PDF" in html
    assert Report.objects.count() == 1
    # And once the hour is over, sending the same form again makes the report
    from django.core.cache import cache

    cache.clear()
    data["attachments"] = [SimpleUploadedFile("lubang.png", PNG, content_type="image/png")]
    data["form_token"] = _token(html)
    assert client.post("/lapor/", data).status_code == 302
    assert Report.objects.count() == 2


# Input a reader cannot see, dates nobody meant, numbers that are not numbers.


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"title": "\u200b" * 6}, "title", "Judul laporan harus 5 sampai 200 karakter"),
        ({"title": "\u200b\u2060\ufeff\u200c\u200d\u3164 x"}, "title", "Judul laporan harus"),
        ({"incident_date": "0001-01-01"}, "incident_date", "Tanggal kejadian paling awal"),
        ({"contact_phone": "abcdefgh"}, "contact_phone", "Nomor telepon tidak valid"),
        ({"contact_phone": "1111 1111"}, "contact_phone", "Nomor telepon tidak valid"),
    ],
)
def test_input_a_reader_would_not_accept_is_refused_at_its_field(
    client, regency, typed, field, message
):
    response = client.post("/lapor/", _form(client, regency, **typed))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html and message in html
    assert Report.objects.count() == 0


def test_a_phone_number_is_stored_in_one_form(client, regency):
    data = _form(client, regency, contact_email="", contact_phone="0812-3456-7890")
    assert client.post("/lapor/", data).status_code == 302
    assert Report.objects.get().contact_phone == "+6281234567890"


# An upload cut short: nothing is made from half a form.


def _multipart(client: Client, data: dict, cut=lambda body: body):  # type: ignore[no-untyped-def]
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = cut(encode_multipart(BOUNDARY, data))
    return client.generic("POST", "/lapor/", body, content_type=MULTIPART_CONTENT)


def _with_photo_last(client: Client, regency) -> dict:  # type: ignore[no-untyped-def]
    data = _form(client, regency)
    data["attachments"] = SimpleUploadedFile("lubang.png", PNG, content_type="image/png")
    return data


def _without_closing_boundary(body: bytes) -> bytes:
    from django.test.client import BOUNDARY

    closing = f"--{BOUNDARY}--\r\n".encode()
    assert body.endswith(closing)
    return body[: -len(closing)]


def test_an_upload_missing_its_closing_boundary_creates_nothing(client, regency):
    # Given a form whose photo is its last part, sent without the closing boundary
    response = _multipart(client, _with_photo_last(client, regency), _without_closing_boundary)
    # Then no report is made without its photo, and the citizen is told to send again
    html = response.content.decode()
    assert response.status_code == 400
    assert Report.objects.count() == 0
    assert "Unggahan terputus, kirim ulang" in html
    assert "Jalan berlubang di Jalan Sultan Fatah" in html


def test_an_upload_cut_in_the_middle_of_a_photo_creates_nothing(client, regency):
    # Given the photo sent before the privacy choices, the body cut inside the photo: the
    # "Anonim" and "Rahasia" boxes never arrived, which reads as "unchecked"
    data = _form(client, regency)
    privacy = {name: data.pop(name) for name in ("is_anonymous", "is_confidential")}
    data["attachments"] = SimpleUploadedFile("lubang.png", PNG, content_type="image/png")
    data.update(privacy)
    response = _multipart(client, data, lambda body: body[: body.index(PNG) + 20])
    # Then nothing is made public, nothing is made at all, and the safe choices come back
    html = response.content.decode()
    assert response.status_code == 400 and Report.objects.count() == 0
    assert "Unggahan terputus, kirim ulang" in html
    assert re.search(r'name="is_anonymous"[^>]*checked', html)
    assert re.search(r'name="is_confidential"[^>]*checked', html)


def test_a_whole_upload_checked_for_csrf_keeps_its_photo_and_a_cut_one_does_not():
    # With the CSRF check on, as in production, where the check reads the form first
    from tests.factories import RegencyFactory as Regency

    regency = Regency()
    client = Client(enforce_csrf_checks=True)
    html = page(client, "/lapor/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert csrf

    def form() -> dict:  # type: ignore[type-arg]
        return {"csrfmiddlewaretoken": csrf[1], **_with_photo_last(client, regency)}

    cut = _multipart(client, form(), _without_closing_boundary)
    assert cut.status_code == 400 and Report.objects.count() == 0
    whole = _multipart(client, form())
    assert whole.status_code == 302
    assert Report.objects.get().attachments.count() == 1


def test_the_date_picker_offers_only_dates_the_service_accepts(client, regency):
    from datetime import date

    html = page(client, "/lapor/")
    picker = re.search(r'<input type="date" name="incident_date"[^>]*>', html)
    assert picker is not None
    earliest = re.search(r'min="(\d{4}-\d\d-\d\d)"', picker[0])
    latest = re.search(r'max="(\d{4}-\d\d-\d\d)"', picker[0])
    assert earliest and latest
    assert date.fromisoformat(latest[1]).year - date.fromisoformat(earliest[1]).year == 10
