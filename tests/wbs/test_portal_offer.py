"""The portal offers the WBS when a complaint speaks of abuse of authority."""

from __future__ import annotations

import pytest
from django.test import Client

from lapor.reports.models import Report
from lapor.wbs.detect import is_abuse_of_authority, matched_terms
from tests.portal.test_submit import _form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "Ada pungli di kantor kelurahan",
        "Petugas minta uang pelicin untuk KTP",
        "Dugaan korupsi dana desa",
        "Kepala dinas menerima gratifikasi dari kontraktor",
        "Oknum menyalahgunakan wewenang untuk proyek keluarganya",
        "PUNGUTAN LIAR di sekolah",
        "Pejabat disuap agar izin keluar",
    ],
)
def test_abuse_of_authority_is_recognised(text):
    assert is_abuse_of_authority(text)


@pytest.mark.parametrize(
    "text",
    ["Jalan berlubang di depan pasar", "Lampu jalan mati sejak seminggu", "Sampah menumpuk"],
)
def test_ordinary_complaints_are_not(text):
    assert not is_abuse_of_authority(text)
    assert matched_terms(text) == []


def test_a_complaint_about_pungli_is_offered_the_wbs_then_sent_if_the_citizen_insists():
    from tests.factories import RegencyFactory

    regency = RegencyFactory()
    client = Client()
    data = _form(client, regency, body="Petugas loket meminta pungli Rp 50.000 untuk setiap KTP.")
    offered = client.post("/lapor/", data)
    html = offered.content.decode()
    assert offered.status_code == 200 and 'id="tawaran-wbs"' in html and "/wbs/lapor/" in html
    assert Report.objects.count() == 0
    # the citizen chooses the ordinary report: the form carries their choice and is sent
    sent = client.post("/lapor/", {**data, "wbs_declined": "1"})
    assert sent.status_code == 302 and Report.objects.count() == 1


def test_an_ordinary_complaint_is_not_interrupted():
    from tests.factories import RegencyFactory

    client = Client()
    response = client.post("/lapor/", _form(client, RegencyFactory()))
    assert response.status_code == 302 and Report.objects.count() == 1
