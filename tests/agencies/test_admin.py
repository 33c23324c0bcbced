"""The agency tree in the admin, as a national admin uses it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lapor.agencies.models import Agency, Membership
from tests.accounts.signed_in import admin_session
from tests.factories import UserFactory, national_admin

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:agencies_agency_changelist"


@pytest.fixture
def staff_client(client: Client, country: None) -> Client:
    user = national_admin()
    user.is_staff = True
    user.save()
    admin_session(client, user)
    return client


def test_search_finds_an_agency_by_the_alias_people_use(staff_client: Client) -> None:
    # When a national admin searches the agency list for "Disdukcapil Demak"
    response = staff_client.get(reverse(CHANGELIST), {"q": "Disdukcapil Demak"})

    # Then the Dinas Kependudukan dan Pencatatan Sipil of Kabupaten Demak is listed
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Demak" in page
    assert "Kabupaten Jepara" not in page


def test_filters_by_province_and_unit_type(staff_client: Client) -> None:
    response = staff_client.get(reverse(CHANGELIST), {"provinsi": "51", "unit_type": "rsud"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rumah Sakit Umum Daerah Kota Denpasar" in page
    assert "Rumah Sakit Umum Daerah Kabupaten Demak" not in page


def test_the_subtree_link_lists_an_agency_and_its_units(staff_client: Client) -> None:
    demak = Agency.objects.get(code="pemkab-3321")
    response = staff_client.get(reverse(CHANGELIST), {"path__startswith": demak.path})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dinas Kesehatan Kabupaten Demak" in page
    assert "Dinas Kesehatan Kabupaten Kudus" not in page


def test_moving_an_agency_moves_its_units_with_it(staff_client: Client) -> None:
    # Given Kemenkeu with DJP below it, and a national admin moving DJP's parent to the root
    djp = Agency.objects.get(code="kemenkeu-djp")
    root = Agency.objects.get(code="kemenpanrb")
    child = Agency.objects.create(code="kemenkeu-djp-kpp", name="KPP", kind="unit", parent=djp)
    url = reverse("admin:agencies_agency_change", args=[djp.pk])
    data = {
        "code": djp.code,
        "name": djp.name,
        "short_name": djp.short_name,
        "kind": djp.kind,
        "unit_type": djp.unit_type,
        "aliases": '["Ditjen Pajak"]',
        "parent": root.pk,
        "timezone": djp.timezone,
        "topics": list(djp.topics.values_list("pk", flat=True)),
        "is_active": "on",
        "accepts_reports": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }

    response = staff_client.post(url, data)

    # Then DJP and the office below it have their new paths
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Agency.objects.get(pk=djp.pk).path == "/kemenpanrb/kemenkeu-djp/"
    assert Agency.objects.get(pk=child.pk).path == "/kemenpanrb/kemenkeu-djp/kemenkeu-djp-kpp/"

    # And an agency cannot be put under its own unit
    data["parent"] = child.pk
    refused = staff_client.post(url, data)
    assert refused.status_code == 200
    assert "tidak boleh instansi ini sendiri" in refused.content.decode()


def test_staff_roles_are_given_on_the_agency_page(staff_client: Client) -> None:
    # Given an officer account and the Demak government
    officer = UserFactory(username="petugas.demak")
    demak = Agency.objects.get(code="pemkab-3321")
    url = reverse("admin:agencies_agency_change", args=[demak.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("path",)}
    data["aliases"] = '["Pemkab Demak"]'
    data["jurisdiction_regions"] = list(demak.jurisdiction_regions.values_list("pk", flat=True))
    data["topics"] = list(demak.topics.values_list("pk", flat=True))
    data["parent"] = demak.parent_id
    data["is_active"] = "on"
    data["accepts_reports"] = "on"
    data.update(
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": officer.pk,
            "memberships-0-role": Membership.Role.AGENCY_ADMIN,
            "memberships-0-is_active": "on",
        }
    )

    # When a national admin adds the officer as admin instansi in the inline and saves
    response = staff_client.post(url, data)

    # Then the officer holds that role for Demak
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.filter(
        user=officer, agency=demak, role=Membership.Role.AGENCY_ADMIN
    ).exists()


def test_an_ordinary_staff_account_cannot_configure_agencies(client: Client, country: None) -> None:
    user = UserFactory(username="staf.biasa", is_staff=True)
    admin_session(client, user)
    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_every_reference_page_opens_for_a_national_admin(staff_client: Client) -> None:
    # The list, a search and the add form of each reference model answer without error
    for name in [
        "regions_region",
        "agencies_agency",
        "agencies_membership",
        "categories_category",
        "categories_slapolicy",
    ]:
        changelist = reverse(f"admin:{name}_changelist")
        assert staff_client.get(changelist).status_code == 200, name
        assert staff_client.get(changelist, {"q": "demak"}).status_code == 200, name
        # New regions come only from the loaders: adding one by hand is for superusers
        expected_add = 403 if name == "regions_region" else 200
        assert staff_client.get(reverse(f"admin:{name}_add")).status_code == expected_add, name
    demak = Agency.objects.get(code="pemkab-3321")
    change = staff_client.get(reverse("admin:agencies_agency_change", args=[demak.pk]))
    assert "lihat instansi dan unitnya" in change.content.decode()
