"""The optional desa/kelurahan level of the submit form, after the kecamatan, without
JavaScript; and what the form says when the level is missing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lapor.regions.models import Region
from lapor.reports.models import Report
from tests.factories import RegencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demak():  # type: ignore[no-untyped-def]
    demak = RegencyFactory(code="33.21", name="Kabupaten Demak")
    for code, name in (("33.21.01", "Mranggen"), ("33.21.02", "Karangawen")):
        Region.objects.create(
            code=code, name=name, level="kecamatan", kind="kecamatan", parent=demak
        )
    mranggen = Region.objects.get(code="33.21.01")
    for code, name in (("33.21.01.2001", "Banyumeneng"), ("33.21.01.2006", "Mranggen")):
        Region.objects.create(code=code, name=name, level="desa", kind="desa", parent=mranggen)
    return demak


def _token(client: Client) -> str:
    html = client.get("/lapor/").content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def _post(client: Client, **data: str) -> str:
    return client.post("/lapor/", data).content.decode()


def test_the_village_step_lists_the_desa_of_the_chosen_kecamatan(client, demak):
    token = _token(client)
    html = _post(client, step="district", region="33.21", form_token=token, title="Jalan rusak")
    assert "Tampilkan desa/kelurahan" in html  # offered once a kecamatan picker is shown
    html = _post(
        client,
        step="village",
        region="33.21",
        district="33.21.01",
        form_token=token,
        title="Jalan rusak",
    )
    assert '<option value="33.21.01.2001">Banyumeneng</option>' in html
    assert 'value="Jalan rusak"' in html  # what was typed is kept
    assert "village-missing" not in html


def test_a_kecamatan_without_desa_data_says_so(client, demak):
    html = _post(
        client, step="village", region="33.21", district="33.21.02", form_token=_token(client)
    )
    assert 'id="village-missing"' in html and "belum tersedia" in html


def test_without_any_desa_the_form_says_so_up_front(client):
    demak = RegencyFactory(code="33.21", name="Kabupaten Demak")
    Region.objects.create(
        code="33.21.01", name="Mranggen", level="kecamatan", kind="kecamatan", parent=demak
    )
    html = _post(client, step="district", region="33.21", form_token=_token(client))
    assert 'id="village-missing"' in html and "Tampilkan desa/kelurahan" not in html


def test_the_chosen_desa_is_the_report_s_place(client, demak):
    data = {
        "type": "pengaduan",
        "title": "Jalan desa berlubang",
        "body": "Jalan desa di depan balai desa berlubang besar sejak dua bulan lalu.",
        "region": "33.21",
        "district": "33.21.01",
        "village": "33.21.01.2001",
        "contact_email": "warga@contoh.id",
        "is_anonymous": "on",
        "form_token": _token(client),
    }
    assert client.post("/lapor/", data).status_code == 302
    assert Report.objects.get().region_id == "33.21.01.2001"


def test_a_desa_of_another_kecamatan_is_not_taken(client, demak):
    Region.objects.create(
        code="33.21.02.2001",
        name="Wonosekar",
        level="desa",
        kind="desa",
        parent=Region.objects.get(code="33.21.02"),
    )
    data = {
        "type": "pengaduan",
        "title": "Jalan desa berlubang",
        "body": "Jalan desa di depan balai desa berlubang besar sejak dua bulan lalu.",
        "region": "33.21",
        "district": "33.21.01",
        "village": "33.21.02.2001",  # a list left from another kecamatan
        "contact_email": "warga@contoh.id",
        "is_anonymous": "on",
        "form_token": _token(client),
    }
    response = client.post("/lapor/", data)
    # the choice is not in the kecamatan's list: the form asks again, nothing is filed elsewhere
    assert response.status_code == 200 and not Report.objects.exists()
