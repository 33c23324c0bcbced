from __future__ import annotations

from html import unescape

import pytest

from lapor.core import ids
from lapor.reports import services
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from tests.factories import AgencyFactory, UserFactory, national_admin, officer, submit
from tests.portal.conftest import ANSWER, answered, page

pytestmark = pytest.mark.django_db


def _swap(tracking_id: str) -> str:
    for i in range(len(tracking_id) - 1):
        a, b = tracking_id[i], tracking_id[i + 1]
        if a != b:
            return tracking_id[:i] + b + a + tracking_id[i + 2 :]
    raise AssertionError("no two different neighbours")


def test_tracking_id_is_normalised_and_found(client):
    report = submit().report
    typed = ids.display(report.tracking_id).lower().replace("-", " ")
    response = client.get("/lacak/", {"id": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{report.tracking_id}/"


def test_a_typo_is_caught_by_the_check_symbol(client):
    report = submit().report
    html = client.get("/lacak/", {"id": _swap(report.tracking_id)}).content.decode()
    assert "tidak cocok dengan tanda periksanya" in html
    assert 'id="id_id_error"' in html and 'aria-invalid="true"' in html


def test_a_short_id_says_how_long_it_should_be(client):
    html = client.get("/lacak/", {"id": "7KQM-3XPA"}).content.decode()
    assert "12 huruf dan angka; yang Anda ketik 8" in html


def test_a_valid_but_unknown_id_says_so(client):
    html = client.get("/lacak/", {"id": ids.new_tracking_id()}).content.decode()
    assert "Tidak ada laporan dengan nomor pelacakan" in html


def test_without_the_secret_a_rahasia_report_shows_status_but_no_content(client):
    sub = submit(title="Pungli di kantor kecamatan", contact_name="Siti Aminah")
    html = page(client, f"/lacak/{sub.report.tracking_id}/")
    assert "Diterima" in html
    assert "Pungli di kantor kecamatan" not in html
    assert "Siti Aminah" not in html and "siti@contoh.id" not in html
    assert 'name="secret"' in html


def test_the_secret_opens_the_private_details_once_per_session(client):
    sub = submit(title="Pungli di kantor kecamatan", contact_name="Siti Aminah")
    url = f"/lacak/{sub.report.tracking_id}/"
    wrong = client.post(url, {"action": "secret", "secret": ids.new_secret()}).content.decode()
    assert "Kode rahasia tidak cocok" in wrong and 'id="id_secret_error"' in wrong
    assert client.post(url, {"action": "secret", "secret": sub.secret}).status_code == 302
    html = page(client, url)
    assert "Pungli di kantor kecamatan" in html
    assert "Siti Aminah" in html and "siti@contoh.id" in html
    client.post(url, {"action": "forget"})
    assert "Siti Aminah" not in page(client, url)


def test_clarification_request_is_shown_only_to_the_reporter(client):
    sub = submit()
    agency = AgencyFactory()
    services.report_dispose(report=sub.report, to_agency=agency, actor=national_admin())
    question = "Mohon kirim foto lokasi lubang yang lebih jelas."
    services.report_request_info(report=sub.report, actor=officer(agency), question=question)
    url = f"/lacak/{sub.report.tracking_id}/"
    assert question not in page(client, url)
    client.post(url, {"action": "secret", "secret": sub.secret})
    html = page(client, url)
    assert question in html and "meminta klarifikasi" in html
    client.post(url, {"action": "reply", "message": "Foto sudah saya kirim lewat surel."})
    assert Report.objects.get().status == Status.DISPOSED


def test_a_reply_to_the_answer_stops_the_automatic_close(client):
    sub = submit()
    answered(sub.report)
    report = Report.objects.get()
    assert report.autoclose_at is not None
    url = f"/lacak/{report.tracking_id}/"
    client.post(url, {"action": "secret", "secret": sub.secret})
    html = page(client, url)
    assert ANSWER in html and "tidak akan ditutup otomatis" in html
    response = client.post(url, {"action": "reply", "message": "Lubangnya belum ditambal."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.autoclose_at is None and report.status == Status.DISPOSED
    assert "Lubangnya belum ditambal." in page(client, url)


def test_poor_rating_then_reopen(client):
    sub = submit()
    agency = answered(sub.report)
    report = Report.objects.get()
    services.report_complete(report=report, actor=officer(agency))
    url = f"/lacak/{report.tracking_id}/"
    client.post(url, {"action": "secret", "secret": sub.secret})
    assert 'name="rating"' in page(client, url)
    client.post(url, {"action": "rate", "rating": "1", "comment": "Tidak ada perbaikan."})
    html = page(client, url)
    assert "Ajukan banding" in html
    short = client.post(url, {"action": "reopen", "reason": "belum"}).content.decode()
    assert "Jelaskan mengapa tindak lanjut belum menyelesaikan masalah." in short
    assert 'id="id_reason_error"' in short
    client.post(url, {"action": "reopen", "reason": "Jalan masih berlubang dan berbahaya."})
    report.refresh_from_db()
    assert report.status == Status.DISPOSED and report.reopen_count == 1


def test_a_stranger_cannot_reply(client):
    sub = submit()
    answered(sub.report)
    url = f"/lacak/{sub.report.tracking_id}/"
    assert 'value="reply"' not in page(client, url)
    html = client.post(url, {"action": "reply", "message": "Saya bukan pelapornya."}).content
    assert "Hanya pelapor yang dapat melakukan ini" in html.decode()
    assert Report.objects.get().status == Status.ANSWERED


def test_logged_in_reporter_sees_private_details_without_secret(client):
    user = UserFactory(first_name="Budi")
    report = submit(reporter=user, contact_email="").report
    client.force_login(user)
    html = page(client, f"/lacak/{report.tracking_id}/")
    assert "Budi" in html and "Jalan rusak di depan pasar" in html


def test_track_page_in_english(client):
    report = submit().report
    html = page(client, f"/lacak/{report.tracking_id}/", "en")
    assert "Received" in html and "Are you the reporter?" in html


def test_a_refused_appeal_is_explained_in_the_language_of_the_page(client):
    # given a reporter who rated the answer to a completed report as poor
    sub = submit()
    agency = answered(sub.report)
    report = Report.objects.get()
    services.report_complete(report=report, actor=officer(agency))
    services.report_rate(report=report, rating=1, secret=sub.secret)
    for prefix, said, not_said in (
        ("/en", "Explain why the follow-up has not solved the problem.", "Jelaskan mengapa"),
        ("", "Jelaskan mengapa tindak lanjut belum menyelesaikan masalah.", "Explain why"),
    ):
        url = f"{prefix}/lacak/{report.tracking_id}/"
        client.post(url, {"action": "secret", "secret": sub.secret})
        # when the appeal's reason is too short, then the service's refusal is in the
        # page's language, under the reason field
        response = client.post(url, {"action": "reopen", "reason": "belum"})
        html = unescape(response.content.decode())
        assert response.status_code == 200
        assert said in html and not_said not in html
        assert 'id="id_reason_error"' in html
    report.refresh_from_db()
    assert report.status == Status.COMPLETED and report.reopen_count == 0


def test_a_stranger_is_refused_in_english(client):
    sub = submit()
    answered(sub.report)
    response = client.post(
        f"/en/lacak/{sub.report.tracking_id}/",
        {"action": "reply", "message": "I am not the reporter."},
    )
    html = unescape(response.content.decode())
    assert "Only the reporter can do this. Log in with your account" in html
    assert "Hanya pelapor" not in html
    assert Report.objects.get().status == Status.ANSWERED


def test_a_form_left_open_while_the_report_moved_on_is_answered_not_crashed(client):
    # given the reporter's page with the reply form, and the agency completing meanwhile
    sub = submit()
    agency = answered(sub.report)
    report = Report.objects.get()
    url = f"/en/lacak/{report.tracking_id}/"
    client.post(url, {"action": "secret", "secret": sub.secret})
    assert 'value="reply"' in page(client, f"/lacak/{report.tracking_id}/", "en")
    services.report_complete(report=report, actor=officer(agency))
    # when the reply is sent, then the page says why in English (no server error)
    response = client.post(url, {"action": "reply", "message": "The hole is still there."})
    assert response.status_code == 200
    assert (
        "The action 'Reporter's reply' cannot be taken on a report with the status "
        "'Completed'." in unescape(response.content.decode())
    )
    assert Report.objects.get().status == Status.COMPLETED
