"""Every officer role is scoped to its agency subtree."""

from __future__ import annotations

import pytest

from lapor.agencies.models import Membership
from lapor.core.errors import NotAllowed
from lapor.reports.lifecycle import Action, Status
from lapor.reports.permissions import authorize, roles_over
from tests.factories import AgencyFactory, UnitFactory, national_admin, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def tree():
    tangerang_kab = AgencyFactory(code="pemkab-3603", name="Pemerintah Kabupaten Tangerang")
    tangerang_kota = AgencyFactory(code="pemkot-3671", name="Pemerintah Kota Tangerang")
    return {
        "kab": tangerang_kab,
        "kab_dinkes": UnitFactory(code="pemkab-3603-dinkes", parent=tangerang_kab),
        "kab_pupr": UnitFactory(code="pemkab-3603-pupr", parent=tangerang_kab, unit_type="pupr"),
        "kota": tangerang_kota,
    }


def test_agency_admin_acts_inside_its_subtree_only(tree):
    inside, _ = report_in(Status.DISPOSED, agency=tree["kab"])
    outside, _ = report_in(Status.DISPOSED, agency=tree["kota"])
    admin = officer(tree["kab"])
    assert authorize(admin, inside, Action.FOLLOW_UP) == Role.AGENCY_ADMIN
    with pytest.raises(NotAllowed):
        authorize(admin, outside, Action.FOLLOW_UP)
    assert roles_over(admin, outside) == []


def test_unit_officer_only_on_reports_given_to_its_unit(tree):
    pic = officer(tree["kab_dinkes"], Role.UNIT_OFFICER)
    mine, _ = report_in(Status.IN_PROGRESS, agency=tree["kab"], unit=tree["kab_dinkes"])
    sibling, _ = report_in(Status.IN_PROGRESS, agency=tree["kab"], unit=tree["kab_pupr"])
    at_agency, _ = report_in(Status.DISPOSED, agency=tree["kab"])
    assert authorize(pic, mine, Action.FOLLOW_UP) == Role.UNIT_OFFICER
    for report in (sibling, at_agency):
        with pytest.raises(NotAllowed):
            authorize(pic, report, Action.FOLLOW_UP)
    # A unit officer cannot dispose, archive or forward even its own reports
    for action in (Action.DISPOSE_UNIT, Action.ARCHIVE, Action.FORWARD):
        with pytest.raises(NotAllowed):
            authorize(pic, mine, action)


def test_triage_belongs_to_national_admins(tree):
    waiting, _ = report_in(Status.TRIAGE, agency=tree["kab"])
    with pytest.raises(NotAllowed):
        authorize(officer(tree["kab"]), waiting, Action.DISPOSE)
    assert authorize(national_admin(), waiting, Action.DISPOSE) == Role.NATIONAL_ADMIN


def test_inspector_reads_but_does_not_act(tree):
    inspector = officer(tree["kab"], Role.INSPECTOR)
    report, _ = report_in(Status.DISPOSED, agency=tree["kab"])
    assert authorize(inspector, report, Action.VIEW_CONFIDENTIAL) == Role.INSPECTOR
    with pytest.raises(NotAllowed):
        authorize(inspector, report, Action.FOLLOW_UP)


def test_inactive_membership_gives_nothing(tree):
    admin = officer(tree["kab"])
    admin.memberships.update(is_active=False)
    report, _ = report_in(Status.DISPOSED, agency=tree["kab"])
    with pytest.raises(NotAllowed):
        authorize(admin, report, Action.FOLLOW_UP)
