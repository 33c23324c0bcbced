"""National admins register partner systems in the back office (``/kantor/mitra/``): create
one for chosen agencies, issue a key whose secret is shown once on a page no cache keeps, revoke
it, deactivate the partner. Any other officer gets 404."""

from __future__ import annotations

import pytest
from django.test import Client

from lapor.api.models import Partner, PartnerKey
from lapor.api.partners import partner_authenticate
from tests.backoffice.conftest import sign_in
from tests.factories import officer

pytestmark = pytest.mark.django_db


def test_a_national_admin_registers_a_partner_for_an_agency(admin, kab):
    client = sign_in(Client(), admin)
    assert client.get("/kantor/mitra/").status_code == 200
    response = client.post(
        "/kantor/mitra/",
        {"name": "Aplikasi Kota Demak", "code": "app-demak", "agencies": [kab.code]},
    )
    partner = Partner.objects.get(code="app-demak")
    assert response.status_code == 302 and response["Location"] == "/kantor/mitra/app-demak/"
    assert list(partner.user.memberships.values_list("agency__code", flat=True)) == [kab.code]
    page = client.get("/kantor/mitra/app-demak/").content.decode()
    assert "Pemerintah Kabupaten Demak" in page


def test_a_partner_without_an_agency_is_refused_with_the_reason(admin, kab):
    client = sign_in(Client(), admin)
    response = client.post("/kantor/mitra/", {"name": "Tanpa instansi", "code": "kosong"})
    assert response.status_code == 400
    assert not Partner.objects.filter(code="kosong").exists()


def test_a_new_keys_secret_is_shown_once_and_works(admin, partner):
    client = sign_in(Client(), admin)
    response = client.post(f"/kantor/mitra/{partner.code}/kunci/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = PartnerKey.objects.get(partner=partner)
    page = response.content.decode()
    secret = page.split('id="client-secret">')[1].split("<")[0]
    assert partner_authenticate(key_id=key.key_id, secret=secret) == partner
    assert secret not in client.get(f"/kantor/mitra/{partner.code}/").content.decode()


def test_revoking_a_key_and_deactivating_the_partner(admin, partner, credentials):
    client = sign_in(Client(), admin)
    key_id, secret = credentials
    client.post(f"/kantor/mitra/{partner.code}/kunci/{key_id}/cabut/")
    assert partner_authenticate(key_id=key_id, secret=secret) is None
    client.post(f"/kantor/mitra/{partner.code}/nonaktifkan/")
    partner.refresh_from_db()
    assert not partner.is_active


def test_other_officers_do_not_find_the_pages(kab, partner):
    client = sign_in(Client(), officer(kab))
    assert client.get("/kantor/mitra/").status_code == 404
    assert client.get(f"/kantor/mitra/{partner.code}/").status_code == 404
    assert client.post(f"/kantor/mitra/{partner.code}/kunci/").status_code == 404
    assert not PartnerKey.objects.filter(partner=partner).exists()


def test_the_national_admin_changes_the_agencies_a_partner_speaks_for(
    admin, kab, other_agency, partner, partner_api, disposed
):
    client = sign_in(Client(), admin)
    # the page offers the change with the agencies held now already chosen
    page = client.get(f"/kantor/mitra/{partner.code}/").content.decode()
    assert f'<option value="{kab.code}" selected>' in page
    assert f'<option value="{other_agency.code}">' in page
    # the partner moves from the kabupaten to the city
    assert partner_api.get(f"/api/v1/partner/reports/{disposed.tracking_id}").status_code == 200
    response = client.post(
        f"/kantor/mitra/{partner.code}/instansi/", {"agencies": [other_agency.code]}
    )
    assert response.status_code == 302 and response["Location"] == f"/kantor/mitra/{partner.code}/"
    held = partner.user.memberships.filter(is_active=True).values_list("agency__code", flat=True)
    assert list(held) == [other_agency.code]
    # its token, issued before, no longer reaches the kabupaten's report
    assert partner_api.get(f"/api/v1/partner/reports/{disposed.tracking_id}").status_code == 404
    page = client.get(f"/kantor/mitra/{partner.code}/").content.decode()
    assert "Pemerintah Kota Semarang" in page.split('id="partner-agencies"')[1].split("</ul>")[0]


def test_a_partner_left_without_agencies_is_refused_and_keeps_its_own(admin, kab, partner):
    client = sign_in(Client(), admin)
    response = client.post(f"/kantor/mitra/{partner.code}/instansi/", {"agencies": []})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    held = partner.user.memberships.filter(is_active=True).values_list("agency__code", flat=True)
    assert list(held) == [kab.code]


def test_other_officers_cannot_change_a_partners_agencies(kab, other_agency, partner):
    client = sign_in(Client(), officer(kab))
    response = client.post(
        f"/kantor/mitra/{partner.code}/instansi/", {"agencies": [other_agency.code]}
    )
    assert response.status_code == 404
    held = partner.user.memberships.filter(is_active=True).values_list("agency__code", flat=True)
    assert list(held) == [kab.code]
