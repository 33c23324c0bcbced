"""Every page carries a Content-Security-Policy without inline script or style; production
redirects to HTTPS and sends HSTS for the subdomains too; pages showing a secret, a reporter's
own data or anything of the back office are never kept by a cache."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from lapor.core import ids
from tests.backoffice.conftest import sign_in
from tests.core.test_config import SAFE
from tests.factories import (
    AgencyFactory,
    RegencyFactory,
    UnitFactory,
    UserFactory,
    national_admin,
    officer,
    submit,
)

LAPOR = Path(__file__).resolve().parents[2] / "lapor"


def _policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response.headers.get("Content-Security-Policy", "")
    assert header, response.request["PATH_INFO"]
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def _assert_strict(response) -> None:  # type: ignore[no-untyped-def]
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/en/", "/lapor/", "/laporan/", "/lacak/", "/kantor/masuk/", "/admin/login/"]
)
def test_every_kind_of_page_carries_a_strict_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    _assert_strict(response)


@pytest.mark.django_db
def test_admin_pages_of_a_signed_in_superuser_carry_the_policy_and_render(client):
    sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    for url in ("/admin/", "/admin/reports/report/", "/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response)


INLINE = [
    ("inline <script>", re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)),
    ("<style> block", re.compile(r"<style\b", re.I)),
    ("style= attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("on*= handler", re.compile(r"\son[a-z]+\s*=", re.I)),
]


def test_no_template_holds_inline_script_or_style():
    # CSP forbids them: they would silently not run (script) or not apply (style).
    found = []
    for template in sorted(LAPOR.glob("**/templates/**/*")):
        if not template.is_file():
            continue
        text = template.read_text(encoding="utf-8")
        found += [
            f"{template.relative_to(LAPOR)}: {what}"
            for what, pattern in INLINE
            if pattern.search(text)
        ]
    assert found == []


def _production_settings(tmp_path: Path, *names: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in SAFE and k != "DEBUG"}
    env.update(SAFE)
    env.setdefault("ATTACHMENT_ACCEL_PREFIX", "off")  # streamed from the app: no proxy location
    env["LAPOR_VAR_DIR"] = str(tmp_path)
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "lapor.settings"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_production_redirects_to_https_and_sends_hsts_for_subdomains(tmp_path):
    found = _production_settings(
        tmp_path,
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    )
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert int(found["SECURE_HSTS_SECONDS"]) >= 31536000  # type: ignore[call-overload]
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


@pytest.mark.django_db
def test_https_redirect_and_hsts_as_a_browser_meets_them(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    plain = client.get("/laporan/", HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/laporan/"
    secure = client.get("/laporan/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert "includeSubDomains" in secure["Strict-Transport-Security"]


# Cache-Control: no-store where a page holds a secret or someone's personal data.


def _no_store(response) -> bool:  # type: ignore[no-untyped-def]
    return "no-store" in response.headers.get("Cache-Control", "")


@pytest.mark.django_db
def test_the_confirmation_page_with_the_guest_secret_is_never_stored(client):
    region = RegencyFactory()  # before the form: its choices are kept a while
    html = client.get("/lapor/").content.decode()
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', html)
    assert token
    sent = client.post(
        "/lapor/",
        {
            "form_token": token.group(1),
            "type": "pengaduan",
            "title": "Jalan berlubang di Jalan Sultan Fatah",
            "body": "Lubang besar di tengah jalan sudah dua minggu, banyak pengendara jatuh.",
            "region": region.code,
            "is_anonymous": "on",
            "is_confidential": "on",
            "contact_email": "siti@contoh.id",
        },
    )
    assert sent.status_code == 302
    confirmation = client.get(sent["Location"])
    assert 'id="guest-secret"' in confirmation.content.decode()
    assert _no_store(confirmation)


@pytest.mark.django_db
def test_my_reports_is_never_stored(client):
    client.force_login(UserFactory())
    response = client.get("/akun/laporan-saya/")
    assert response.status_code == 200 and _no_store(response)


@pytest.mark.django_db
def test_the_track_page_is_never_stored_for_its_reporter_but_revalidated_for_the_public():
    # given a report and its guest secret
    sub = submit(title="Pungli di kantor kecamatan", contact_name="Siti Aminah")
    url = f"/lacak/{sub.report.tracking_id}/"
    stranger, reporter = Client(), Client()
    # when a stranger with only the tracking ID looks
    public = stranger.get(url)
    # then the public page keeps its own caching (revalidated by ETag, not no-store)
    assert public.status_code == 200 and not _no_store(public)
    assert public.headers.get("ETag") and "no-cache" in public["Cache-Control"]
    # when the reporter opens it with the secret
    assert reporter.post(url, {"action": "secret", "secret": sub.secret}).status_code == 302
    private = reporter.get(url)
    assert "Siti Aminah" in private.content.decode()
    assert _no_store(private) and not private.headers.get("ETag")


@pytest.mark.django_db
def test_a_wrong_secret_leaves_the_visitor_a_stranger(client):
    sub = submit()
    url = f"/lacak/{sub.report.tracking_id}/"
    client.post(url, {"action": "secret", "secret": ids.new_secret()})
    assert not _no_store(client.get(url))


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["", "/en"])
def test_the_back_office_login_page_is_never_stored(client, lang):
    response = client.get(f"{lang}/kantor/masuk/")
    assert response.status_code == 200 and _no_store(response)


@pytest.mark.django_db
def test_every_back_office_page_is_never_stored(client):
    sign_in(client, national_admin())
    colleague = officer(AgencyFactory())
    pages = [
        client.get("/kantor/antrean/triase/"),
        client.get("/kantor/petugas/"),
        client.post(f"/kantor/petugas/{colleague.pk}/autentikator/"),  # the TOTP secret and QR
    ]
    assert [r.status_code for r in pages] == [200, 200, 200]
    assert all(_no_store(r) for r in pages)
    assert "<svg" in pages[-1].content.decode()
    # and the QR code, inline SVG, carries no style attribute CSP would refuse
    assert not [w for r in pages for w, p in INLINE if p.search(r.content.decode())]


@pytest.mark.django_db
def test_the_admin_agency_tree_is_indented_without_an_inline_style(client):
    # given an agency with a unit below it
    parent = AgencyFactory(name="Pemerintah Kabupaten Demak")
    UnitFactory(parent=parent, name="Dinas Pekerjaan Umum")
    sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    # when the admin lists agencies
    response = client.get("/admin/agencies/agency/")
    html = response.content.decode()
    # then the unit is indented by a class of the admin's own stylesheet, which CSP lets apply
    assert response.status_code == 200 and "Dinas Pekerjaan Umum" in html
    assert 'class="tree-depth-1"' in html and "agencies/admin" in html
    assert not [what for what, pattern in INLINE if pattern.search(html)]


@pytest.mark.django_db
def test_a_json_answer_carries_the_fixed_api_policy_and_pages_the_full_one(client):
    # when a client reads the JSON API and an HTML page
    answer = client.get("/api/v1/categories/", HTTP_ACCEPT="application/json")
    page = client.get("/")

    # then the JSON is neither loadable nor frameable; the page keeps the site's policy
    assert answer["Content-Type"].startswith("application/json")
    assert answer["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert "script-src 'self'" in page["Content-Security-Policy"]
