"""The privacy notice and the terms, in both languages, linked from every form and the
footer; the version the reporter accepted is stored with the report."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lapor.privacy.notice import NOTICE_VERSION
from lapor.reports.models import Report
from tests.factories import submit
from tests.portal.conftest import page

pytestmark = pytest.mark.django_db

NOTICE = "/kebijakan-privasi/"
TERMS = "/syarat-dan-ketentuan/"


def test_notice_says_what_is_kept_who_sees_it_for_how_long_and_the_rights(client, settings):
    settings.LAPOR_CONTACT_RETENTION_DAYS = 180
    html = page(client, NOTICE)
    assert NOTICE_VERSION in html
    for said in (
        "Data yang kami simpan",
        "Siapa yang melihat data Anda",
        "180 hari setelah laporan selesai",  # the period in force, from the setting
        "Lihat kontak pelapor",
        "Unduh data saya",
        "Hapus nama dan kontak saya",
    ):
        assert said in html, said
    assert "Syarat dan Ketentuan" in page(client, TERMS)


@pytest.mark.parametrize("url", [NOTICE, TERMS, "/", "/lapor/", "/akun/daftar/", "/akun/masuk/"])
def test_every_page_and_form_links_the_notice_and_terms(client, regency, url):
    html = page(client, url)
    assert f'href="{NOTICE}"' in html and f'href="{TERMS}"' in html


def test_the_track_and_support_forms_link_the_notice(client):
    sub = submit(is_confidential=False)
    track = page(client, f"/lacak/{sub.report.tracking_id}/")
    secret_form = track.split('value="secret"', 1)[1].split("</form>", 1)[0]
    assert f'href="{NOTICE}"' in secret_form
    public = page(client, f"/laporan/{sub.report.tracking_id}/")
    support_form = public.split('id="dukung"', 1)[1].split("</form>", 1)[0]
    assert f'href="{NOTICE}"' in support_form


def test_notice_and_terms_in_english(client, regency):
    assert "Privacy" in page(client, NOTICE, lang="en")
    assert "Terms" in page(client, TERMS, lang="en")


def test_a_report_sent_from_the_web_records_the_notice_version_accepted(client: Client, regency):
    form = page(client, "/lapor/")
    assert "Dengan mengirim, Anda menyetujui" in form
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', form)
    assert token
    response = client.post(
        "/lapor/",
        {
            "form_token": token.group(1),
            "type": "pengaduan",
            "title": "Jalan berlubang di Jalan Sultan Fatah",
            "body": "Lubang besar di tengah jalan sudah dua minggu, banyak pengendara jatuh.",
            "region": regency.code,
            "is_anonymous": "on",
            "is_confidential": "on",
            "contact_email": "siti@contoh.id",
        },
    )
    assert response.status_code == 302
    assert Report.objects.get().consent_version == NOTICE_VERSION


def test_a_report_from_another_channel_records_no_consent_it_never_gave():
    assert submit().report.consent_version == ""
