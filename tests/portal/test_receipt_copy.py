"""The receipt as a real PDF and as a copy kept offline (``portal.receipt_copy``): made on
request, never stored or cached, and only for the browser that submitted the report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfReader

from lapor import portal
from lapor.core import ids
from tests.factories import UserFactory
from tests.portal.conftest import page
from tests.portal.test_submit import _form

pytestmark = pytest.mark.django_db


def _submitted(client: Client, regency, **overrides) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """(confirmation URL, its HTML, the guest secret shown)."""
    done = client.post("/lapor/", _form(client, regency, **overrides))
    url = done["Location"]
    html = client.get(url).content.decode()
    found = re.search(r'id="guest-secret">([0-9A-Z]+)<', html)
    return url, html, found.group(1) if found else ""


def _text(pdf: bytes) -> str:
    import io

    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_guest_saves_the_receipt_as_a_pdf(client, regency):
    url, html, secret = _submitted(client, regency)
    assert 'id="receipt-pdf"' in html and f'href="{url}bukti.pdf"' in html
    response = client.get(url + "bukti.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith(b"%PDF-")
    text = _text(response.content)
    tracking = re.search(r'id="tracking-id">([0-9A-Z-]+)<', html).group(1)
    assert tracking in text and secret in text and "Bukti laporan" in text
    # made again on request (nothing stored): the same receipt a second time
    assert secret in _text(client.get(url + "bukti.pdf").content)


def test_the_pdf_in_english(client, regency):
    url, _html, secret = _submitted(client, regency)
    response = client.get("/en" + url + "bukti.pdf")
    text = _text(response.content)
    assert "Tracking number" in text and "Nomor pelacakan" not in text
    assert secret in text


def test_nobody_else_gets_the_pdf_or_the_copy(client, regency):
    url, _html, _secret = _submitted(client, regency)
    for path in ("bukti.pdf", "simpan/"):
        # another browser, even knowing the confirmation address
        assert Client().get(url + path).status_code == 404
        # a made-up token
        assert client.get(f"/lapor/terkirim/tidak-ada/{path}").status_code == 404
    # the reporter who forgot the secret in this browser no longer gets it either
    tracking_id = ids.normalize(re.search(r"/lacak/([0-9A-Z]+)/", page(client, url)).group(1))
    client.post(f"/lacak/{tracking_id}/", {"action": "forget"})
    assert client.get(url + "bukti.pdf").status_code == 404
    assert client.get(url + "simpan/").status_code == 404


def test_an_accounts_receipt_has_no_secret_and_needs_the_account(client, regency):
    user = UserFactory()
    client.force_login(user)
    url, html, secret = _submitted(client, regency, contact_email="", contact_name="")
    assert secret == "" and 'id="receipt-pdf"' in html
    response = client.get(url + "bukti.pdf")
    assert response.status_code == 200 and "Kode rahasia" not in _text(response.content)
    client.logout()  # a new session: the token was issued to the old one
    assert client.get(url + "bukti.pdf").status_code == 404


def test_the_offline_copy_and_its_worker(client, regency):
    url, html, secret = _submitted(client, regency)
    assert 'id="offline"' in html and "portal/receipt.js" in html
    assert f'data-scope="{url}"' in html and f'data-copy="{url}simpan/"' in html
    copy = client.get(url + "simpan/")
    assert copy.status_code == 200 and "no-store" in copy["Cache-Control"]
    body = copy.content.decode()
    assert secret in body and 'id="offline-copy"' in body
    worker = client.get("/lapor/terkirim/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert b"caches.match" in worker.content
    assert Client().get("/en/lapor/terkirim/sw.js").status_code == 200


def test_the_confirmation_page_stays_light(client, regency):
    _url, html, _secret = _submitted(client, regency)
    script = (Path(portal.__file__).parent / "static" / "portal" / "receipt.js").read_bytes()
    worker = client.get("/lapor/terkirim/sw.js")
    size = len(html.encode()) + len(script) + len(worker.content)
    assert size < 20 * 1024, size


def test_the_copy_and_the_pdf_take_few_queries(client, regency, django_assert_max_num_queries):
    url, _html, _secret = _submitted(client, regency)
    with django_assert_max_num_queries(3):  # the session, the submit token with its report
        assert client.get(url + "simpan/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(url + "bukti.pdf").status_code == 200
