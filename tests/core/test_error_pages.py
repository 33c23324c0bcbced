"""Error pages tell the citizen, in their language, what happened and what to do next; a body over
the size limit is answered with the limits in MB, never a bare 400 (DEBUG off, as in production)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import translation

from lapor.core.views import server_error
from tests.factories import RegencyFactory

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
FAILING = pytest.mark.urls("tests.core.error_urls")


@pytest.fixture(autouse=True)
def _production_like() -> Iterator[None]:
    assert not settings.DEBUG  # pytest-django turns DEBUG off: the pages a citizen would get
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


def _answer(client: Client, url: str, status: int, **extra: str) -> str:
    response = client.get(url, **extra)  # type: ignore[arg-type]
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "phrase", "lang"),
    [("", "Halaman tidak ditemukan", "id"), ("/en", "Page not found", "en")],
)
def test_404_in_both_languages(client, prefix, phrase, lang):
    html = _answer(client, f"{prefix}/tidak-ada-di-sini/", 404)
    assert phrase in html and f'<html lang="{lang}">' in html
    assert 'href="/static/portal/site.css"' in html or "site." in html  # the site's look


@pytest.mark.parametrize(
    ("prefix", "phrase"),
    [("", "Permintaan tidak dapat diproses"), ("/en", "The request could not be processed")],
)
def test_400_in_both_languages(client, prefix, phrase):
    html = _answer(client, f"{prefix}/laporan/", 400, HTTP_HOST="bukan-lapor.example")
    assert phrase in html


@FAILING
@pytest.mark.parametrize(("prefix", "phrase"), [("", "Akses ditolak"), ("/en", "Access denied")])
def test_403_in_both_languages(client, prefix, phrase):
    html = _answer(client, f"{prefix}/uji/terlarang/", 403)
    assert phrase in html


@pytest.mark.parametrize(
    ("prefix", "phrase"), [("", "Formulir kedaluwarsa"), ("/en", "The form has expired")]
)
def test_a_form_without_its_csrf_token_gets_the_expired_form_page(prefix, phrase):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{prefix}/lapor/", {"title": "Jalan rusak"})
    assert response.status_code == 403
    assert phrase in response.content.decode()


@FAILING
@pytest.mark.parametrize(
    ("prefix", "phrase"),
    [("", "Terlalu banyak permintaan dari Anda"), ("/en", "Too many requests from you")],
)
def test_another_throttle_answers_429_in_both_languages(client, prefix, phrase):
    html = _answer(client, f"{prefix}/uji/dibatasi/", 429)
    assert phrase in html


@FAILING
@pytest.mark.parametrize(
    ("prefix", "phrase", "lang"),
    [("", "Terjadi gangguan", "id"), ("/en", "Something went wrong", "en")],
)
def test_500_in_both_languages(client, prefix, phrase, lang):
    html = _answer(client, f"{prefix}/uji/rusak/", 500)
    assert phrase in html and f'<html lang="{lang}">' in html
    assert "Traceback" not in html and "RuntimeError" not in html


@pytest.mark.django_db(False)
def test_the_500_page_renders_without_database_session_or_context_processors():
    # given a request no middleware has touched (no session, no user) and no database access
    request = RequestFactory().get("/")
    # when the server-error handler answers it
    response = server_error(request)
    # then the page is whole: what happened and where to go next
    html = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi gangguan" in html and 'href="/lacak/"' in html


def _submit_form(client: Client) -> dict[str, object]:
    import re

    region = RegencyFactory()  # before the form: its choices are kept a while
    html = client.get("/lapor/").content.decode()
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', html)
    assert token
    return {
        "form_token": token.group(1),
        "type": "pengaduan",
        "title": "Jalan berlubang di Jalan Sultan Fatah",
        "body": "Lubang besar di tengah jalan sudah dua minggu, banyak pengendara motor jatuh.",
        "region": region.code,
        "contact_email": "siti@contoh.id",
    }


def test_a_submit_larger_than_every_attachment_together_gets_the_size_page(client, settings):
    # given at most 2 attachments of 1 MB each (plus 2 MB of form: 4 MB in all)
    settings.LAPOR_MAX_UPLOAD_BYTES = 1 * MB
    settings.LAPOR_MAX_ATTACHMENTS = 2
    data = _submit_form(client)
    data["attachments"] = [SimpleUploadedFile("video.png", b"\0" * (5 * MB), "image/png")]
    # when a citizen sends a 5 MB file
    response = client.post("/lapor/", data)
    # then the page names the limits in MB, and nothing was saved
    html = response.content.decode()
    assert response.status_code == 413
    assert "Kiriman terlalu besar" in html
    assert "paling besar 4 MB" in html and "2 berkas" in html and "1 MB" in html


def test_a_multipart_submit_with_too_much_form_data_gets_the_size_page_not_a_bare_400(client):
    # given the form fields over DATA_UPLOAD_MAX_MEMORY_SIZE (Django's RequestDataTooBig)
    data = _submit_form(client)
    data["body"] = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    data["attachments"] = [SimpleUploadedFile("foto.png", b"\x89PNG", "image/png")]
    response = client.post("/lapor/", data)
    html = response.content.decode()
    assert response.status_code == 413
    assert "Kiriman terlalu besar" in html and "10 MB" in html


def test_the_size_page_in_english(client, settings):
    settings.LAPOR_MAX_UPLOAD_BYTES = 1 * MB
    settings.LAPOR_MAX_ATTACHMENTS = 2
    big = SimpleUploadedFile("video.png", b"\0" * (5 * MB), "image/png")
    response = client.post("/en/lapor/", {"attachments": [big]})
    html = response.content.decode()
    assert response.status_code == 413
    assert "too large" in html and '<html lang="en">' in html
