"""Accounts in the admin: the phone number and the staff roles of a user."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lapor.agencies.models import Membership
from tests.accounts.signed_in import admin_session
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, national_admin

pytestmark = pytest.mark.django_db


def test_a_superuser_finds_a_user_by_phone_and_sees_their_roles(client: Client) -> None:
    # Given an officer with a phone number and a role at Kabupaten Demak
    officer = UserFactory(username="budi", phone="081234567890")
    demak = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    MembershipFactory(user=officer, agency=demak, role=Membership.Role.UNIT_OFFICER)
    admin_session(client, UserFactory(username="root", is_staff=True, is_superuser=True))

    # When the superuser searches the users for the phone number
    found = client.get(reverse("admin:accounts_user_changelist"), {"q": "0812345"})

    # Then the officer is listed, and their page shows the phone and the role
    assert found.status_code == 200 and "budi" in found.content.decode()
    page = client.get(reverse("admin:accounts_user_change", args=[officer.pk])).content.decode()
    assert "081234567890" in page
    assert "Pemerintah Kabupaten Demak" in page


def test_a_national_admin_without_user_permissions_cannot_edit_accounts(client: Client) -> None:
    user = national_admin()
    user.is_staff = True
    user.save()
    admin_session(client, user)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
