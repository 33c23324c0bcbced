"""A partner system acts on reports through its service account, like an officer of the
agencies it speaks for, and never as a person: no back-office sign-in, no staff lists or staff
messages. Its keys rotate with two working at once."""

from __future__ import annotations

import pytest
from django.test import Client

from lapor.agencies.models import Membership
from lapor.api.models import PartnerKey
from lapor.api.partners import (
    partner_create,
    partner_issue_key,
    partner_revoke_key,
    partner_set_agencies,
)
from lapor.backoffice.access import active_memberships
from lapor.core.errors import NotAllowed
from lapor.notifications.services import staff_of
from lapor.reports import services
from lapor.reports.lifecycle import Action, Status
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, national_admin, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

ANSWER = "Lubang sudah kami tambal pada hari Senin, terima kasih atas laporannya."


@pytest.fixture
def kab():  # type: ignore[no-untyped-def]
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


@pytest.fixture
def other():  # type: ignore[no-untyped-def]
    return AgencyFactory(code="pemkot-3374", name="Pemerintah Kota Semarang")


@pytest.fixture
def partner(kab):  # type: ignore[no-untyped-def]
    return partner_create(
        code="elapor-demak", name="e-LAPOR! Demak", agencies=[kab], actor=national_admin()
    )


def test_a_partner_is_a_service_account_with_partner_roles_only(partner, kab):
    user = partner.user
    assert user.username == "mitra-elapor-demak"
    assert not user.has_usable_password()
    assert list(user.memberships.values_list("agency__code", "role", "is_active")) == [
        ("pemkab-3321", "mitra", True)
    ]


def test_a_partner_follows_up_a_report_disposed_to_its_agency(partner, kab):
    # given a report at the partner's agency
    report, _ = report_in(Status.DISPOSED, agency=kab)
    # when the partner's system answers it
    services.report_follow_up(report=report, actor=partner.user, message=ANSWER)
    # then the report is answered, and its history names the partner's account and role
    report.refresh_from_db()
    assert report.status == Status.ANSWERED
    event = report.events.get(action=Action.FOLLOW_UP)
    assert event.actor_id == partner.user.pk
    assert event.actor_role == "mitra"


def test_a_partner_cannot_act_on_another_agencys_report(partner, other):
    report, _ = report_in(Status.DISPOSED, agency=other)
    with pytest.raises(NotAllowed):
        services.report_follow_up(report=report, actor=partner.user, message=ANSWER)
    assert not report.events.filter(action=Action.FOLLOW_UP).exists()


@pytest.mark.parametrize(
    ("action", "call"),
    [
        (
            "set_privacy",
            lambda r, u: services.report_set_privacy(
                report=r, actor=u, is_anonymous=True, is_confidential=True
            ),
        ),
        (
            "view_confidential",
            lambda r, u: services.report_record_confidential_view(report=r, actor=u),
        ),
        (
            "archive",
            lambda r, u: services.report_archive(report=r, actor=u, reason="Laporan ganda."),
        ),
    ],
)
def test_a_partner_cannot_do_what_takes_a_persons_judgement(partner, kab, action, call):
    report, _ = report_in(Status.DISPOSED, agency=kab, is_anonymous=False, is_confidential=False)
    with pytest.raises(NotAllowed):
        call(report, partner.user)


def test_a_partner_never_enters_the_back_office(partner, client: Client):
    # given the partner's account with a session as complete as an officer's
    assert active_memberships(partner.user) == []
    sign_in(client, partner.user)
    # when it opens the back office, it is sent to the sign-in page
    response = client.get("/kantor/")
    assert response.status_code == 302
    assert "/kantor/masuk/" in response["Location"]


def test_a_partner_is_not_listed_or_messaged_as_staff(partner, kab, client: Client):
    # given an officer of the same agency and a national admin looking at the staff list
    person = officer(kab)
    admin = national_admin()
    sign_in(client, admin)
    html = client.get("/kantor/petugas/").content.decode()
    # then the partner is not among the officers, and staff messages go to people only
    assert "mitra-elapor-demak" not in html
    assert person.username in html
    assert staff_of([kab.pk], Membership.Role.PARTNER) == {}
    assert partner.user not in staff_of([kab.pk], Membership.Role.AGENCY_ADMIN)[kab.pk]


def test_rotating_keys_keeps_two_working(partner):
    admin = national_admin()
    first, _ = partner_issue_key(partner=partner, actor=admin)
    second, _ = partner_issue_key(partner=partner, actor=admin)
    # when a third key is issued, the oldest stops and the two newest work
    third, secret = partner_issue_key(partner=partner, actor=admin)
    active = set(
        PartnerKey.objects.filter(partner=partner, revoked_at__isnull=True).values_list(
            "key_id", flat=True
        )
    )
    assert active == {second, third}
    # only the secret's hash is stored
    assert secret not in PartnerKey.objects.get(key_id=third).secret_hash
    # and revoking stops a key at once
    assert partner_revoke_key(partner=partner, key_id=second, actor=admin)
    assert not partner_revoke_key(partner=partner, key_id=first, actor=admin)
    assert PartnerKey.objects.filter(partner=partner, revoked_at__isnull=True).count() == 1


def test_the_agencies_a_partner_speaks_for_can_change(partner, kab, other):
    partner_set_agencies(partner=partner, agencies=[other], actor=national_admin())
    held = Membership.objects.filter(user=partner.user, role="mitra")
    assert {(m.agency.code, m.is_active) for m in held} == {
        ("pemkab-3321", False),
        ("pemkot-3374", True),
    }
    report, _ = report_in(Status.DISPOSED, agency=kab)
    with pytest.raises(NotAllowed):
        services.report_add_note(report=report, actor=partner.user, note="catatan")


def test_only_a_national_admin_registers_partners(kab):
    with pytest.raises(NotAllowed):
        partner_create(code="x", name="X", agencies=[kab], actor=officer(kab))
