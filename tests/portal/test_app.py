"""The site's own icon and web app manifest: no 404 in every browser's log, installable."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_is_served(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header


@pytest.mark.parametrize(("prefix", "name"), [("", "Buat laporan"), ("/en", "Submit a report")])
def test_the_manifest_makes_the_site_installable(client, prefix, name):
    response = client.get(f"{prefix}/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["display"] == "standalone" and data["start_url"] == f"{prefix}/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in data["icons"]}
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])
    if prefix:  # the English manifest, once the catalogue has its translation
        assert data["lang"] == "en"
    else:
        assert data["shortcuts"][0]["name"] == name


def test_every_page_links_the_icon_and_the_manifest(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
