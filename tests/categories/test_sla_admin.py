"""SLA policies in the admin: saving a change writes a new version, never edits the old one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lapor.accounts.models import User
from lapor.categories.loader import load_default_sla
from lapor.categories.models import SlaPolicy
from tests.accounts.signed_in import admin_session
from tests.factories import CategoryFactory, national_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_national(client: Client) -> tuple[Client, User]:
    user = national_admin()
    user.is_staff = True
    user.save()
    admin_session(client, user)
    return client, user


def form_data(policy: SlaPolicy, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "verify_days": policy.verify_days,
        "followup_days": policy.followup_days,
        "autoclose_days": policy.autoclose_days,
        "completion_days": policy.completion_days,
        "escalate_after_days": policy.escalate_after_days,
        "appeal_window_days": policy.appeal_window_days,
        "effective_from_0": policy.effective_from.strftime("%Y-%m-%d"),
        "effective_from_1": policy.effective_from.strftime("%H:%M:%S"),
        "initial-effective_from_0": policy.effective_from.strftime("%Y-%m-%d"),
        "initial-effective_from_1": policy.effective_from.strftime("%H:%M:%S"),
        "note": policy.note,
    }
    data.update(changes)
    return data


def test_changing_a_policy_saves_version_two_and_keeps_version_one(
    admin_client_national: tuple[Client, User],
) -> None:
    # Given the national default policy, version 1
    client, user = admin_client_national
    v1, _ = load_default_sla()
    url = reverse("admin:categories_slapolicy_change", args=[v1.pk])
    assert client.get(url).status_code == 200

    # When a national admin changes the verification limit to 2 days and saves
    response = client.post(url, form_data(v1, verify_days=2, note="SOP baru"))

    # Then a new row is written as version 2 for the same (national) scope
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SlaPolicy.objects.count() == 2
    v2 = SlaPolicy.objects.get(version=2)
    assert (v2.agency_id, v2.category_id, v2.verify_days, v2.note) == (None, None, 2, "SOP baru")
    assert v2.created_by == user
    assert v2.effective_from > v1.effective_from
    # And version 1 is exactly as it was, for the reports that already point at it
    v1_after = SlaPolicy.objects.get(pk=v1.pk)
    assert (v1_after.version, v1_after.verify_days, v1_after.note) == (1, 3, v1.note)


def test_a_category_scoped_policy_versions_within_its_own_scope(
    admin_client_national: tuple[Client, User],
) -> None:
    # Given the national default and a policy added for one category
    client, _ = admin_client_national
    v1, _ = load_default_sla()
    category = CategoryFactory(code="kesehatan", name="Kesehatan")
    add = client.post(
        reverse("admin:categories_slapolicy_add"),
        {**form_data(v1, verify_days=1), "category": category.pk},
    )
    assert add.status_code == 302, add.content.decode()[:2000]
    scoped = SlaPolicy.objects.get(category=category)
    assert scoped.version == 1

    # When that policy is changed
    url = reverse("admin:categories_slapolicy_change", args=[scoped.pk])
    client.post(url, form_data(scoped, completion_days=30))

    # Then its scope has versions 1 and 2; the national default is untouched
    versions = list(
        SlaPolicy.objects.filter(category=category)
        .order_by("version")
        .values_list("version", "completion_days")
    )
    assert versions == [(1, 60), (2, 30)]
    assert list(SlaPolicy.objects.filter(category=None).values_list("version", flat=True)) == [1]


def test_saving_without_changes_writes_no_new_version(
    admin_client_national: tuple[Client, User],
) -> None:
    client, _ = admin_client_national
    v1, _ = load_default_sla()
    client.post(reverse("admin:categories_slapolicy_change", args=[v1.pk]), form_data(v1))
    assert SlaPolicy.objects.count() == 1
