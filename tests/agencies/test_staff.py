"""Admin nasional and is_staff: granting the role makes the account staff (the Django admin needs
it), revoking it takes staff status away unless the account is a superuser; through the service
and through every admin page that edits memberships."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership
from lapor.agencies.staff import grant_membership, revoke_membership
from tests.accounts.signed_in import admin_session
from tests.factories import AgencyFactory, UserFactory, national_admin

pytestmark = pytest.mark.django_db
NATIONAL = Membership.Role.NATIONAL_ADMIN
AGENCY = Membership.Role.AGENCY_ADMIN


@pytest.fixture
def root() -> Agency:
    return AgencyFactory(code="kemenpanrb", name="Kementerian PANRB", kind=Agency.Kind.NATIONAL)


def _staff(user: User) -> bool:
    user.refresh_from_db()
    return user.is_staff


def test_granting_admin_nasional_makes_staff_and_revoking_undoes_it(root):
    user = UserFactory(username="admin.baru")
    membership = grant_membership(user=user, agency=root, role=NATIONAL)
    assert user.is_staff and _staff(user)
    revoke_membership(membership=membership)
    assert not _staff(user)
    membership.refresh_from_db()
    assert membership.is_active is False  # the row stays, as history
    # granted again: the same row comes back to life
    assert grant_membership(user=user, agency=root, role=NATIONAL).pk == membership.pk
    assert _staff(user)


def test_a_superuser_stays_staff_and_other_roles_do_not_touch_it(root):
    root_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    revoke_membership(membership=grant_membership(user=root_user, agency=root, role=NATIONAL))
    assert _staff(root_user)
    # an agency role neither grants staff status nor takes it from a staff account
    kab = AgencyFactory()
    plain = UserFactory(username="petugas")
    revoke_membership(membership=grant_membership(user=plain, agency=kab, role=AGENCY))
    assert not _staff(plain)
    helper = UserFactory(username="staf.lain", is_staff=True)
    revoke_membership(membership=grant_membership(user=helper, agency=kab, role=AGENCY))
    assert _staff(helper)


def test_staff_status_stays_while_another_national_membership_is_active(root):
    user = UserFactory(username="dua.peran")
    other = AgencyFactory(code="ksp", name="Kantor Staf Presiden", kind=Agency.Kind.NATIONAL)
    first = grant_membership(user=user, agency=root, role=NATIONAL)
    grant_membership(user=user, agency=other, role=NATIONAL)
    revoke_membership(membership=first)
    assert _staff(user)


# --- the admin pages -----------------------------------------------------------------------


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = national_admin()
    user.is_staff = True
    user.save()
    admin_session(client, user)
    return client


def test_the_membership_admin_sets_and_clears_is_staff(admin_client, root):
    user = UserFactory(username="calon.admin")
    response = admin_client.post(
        reverse("admin:agencies_membership_add"),
        {"user": user.pk, "agency": root.pk, "role": NATIONAL, "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _staff(user)
    membership = Membership.objects.get(user=user, role=NATIONAL)
    change = reverse("admin:agencies_membership_change", args=[membership.pk])
    # unticking "aktif" revokes it
    response = admin_client.post(change, {"user": user.pk, "agency": root.pk, "role": NATIONAL})
    assert response.status_code == 302
    assert not _staff(user)
    # ticking it again, then deleting the row
    admin_client.post(
        change, {"user": user.pk, "agency": root.pk, "role": NATIONAL, "is_active": "on"}
    )
    assert _staff(user)
    # deleting rows stays with Django's permissions (a superuser): staff status goes with it
    delete = reverse("admin:agencies_membership_delete", args=[membership.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert _staff(user)
    admin_session(admin_client, UserFactory(username="root", is_staff=True, is_superuser=True))
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not _staff(user)


def test_changing_the_role_away_from_admin_nasional_clears_is_staff(admin_client, root):
    user = UserFactory(username="turun.peran")
    membership = grant_membership(user=user, agency=root, role=NATIONAL)
    admin_client.post(
        reverse("admin:agencies_membership_change", args=[membership.pk]),
        {"user": user.pk, "agency": root.pk, "role": AGENCY, "is_active": "on"},
    )
    assert not _staff(user)


def _inline_post(page: Any, prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The change form as the admin page filled it in, with the staff inline's rows."""
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("path",)}
    for name, value in list(data.items()):
        if isinstance(value, datetime):  # the admin's split date and time widget
            del data[name]
            data[f"{name}_0"], data[f"{name}_1"] = value.strftime("%Y-%m-%d %H:%M:%S").split()
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
            else:
                del data[name]
        elif isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
    initial = [r for r in rows if "id" in r]
    data.update(
        {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(initial))}
    )
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{n}-{key}"] = value
    return data


def test_the_agency_page_staff_inline_sets_and_clears_is_staff(admin_client, root):
    user = UserFactory(username="lewat.instansi")
    url = reverse("admin:agencies_agency_change", args=[root.pk])
    data = _inline_post(
        admin_client.get(url),
        "memberships",
        [{"user": user.pk, "role": NATIONAL, "is_active": "on"}],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _staff(user)
    # then the same row is made inactive on the same page
    membership = Membership.objects.get(user=user, agency=root)
    row = {"id": membership.pk, "agency": root.pk, "user": user.pk, "role": NATIONAL}
    response = admin_client.post(url, _inline_post(admin_client.get(url), "memberships", [row]))
    assert response.status_code == 302, response.content.decode()[:3000]
    membership.refresh_from_db()
    assert membership.is_active is False
    assert not _staff(user)


def test_the_user_page_staff_inline_sets_and_clears_is_staff(client, root):
    admin_session(client, UserFactory(username="root", is_staff=True, is_superuser=True))
    user = UserFactory(username="lewat.akun")
    membership = grant_membership(user=user, agency=root, role=NATIONAL)
    assert _staff(user)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    page = client.get(url)
    data = _inline_post(
        page,
        "memberships",
        [{"id": membership.pk, "user": user.pk, "agency": root.pk, "role": NATIONAL}],
    )  # "aktif" unticked
    data["is_staff"] = "on"  # even with the box still ticked, losing the role ends staff status
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset.forms],
    )
    assert not _staff(user)
