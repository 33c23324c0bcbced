"""SLA limits are data per agency and category, versioned: a change applies to new reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lapor.categories.models import SlaPolicy
from lapor.core.workdays import working_days_between
from lapor.reports import services
from lapor.reports.sla import policy_for
from tests.factories import AgencyFactory, CategoryFactory, national_admin, submit

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 09.00 WIB


def test_defaults_three_five_ten_sixty():
    report = submit(at=MONDAY).report
    policy = report.sla_policy
    assert (policy.verify_days, policy.followup_days, policy.autoclose_days) == (3, 5, 10)
    assert policy.completion_days == 60
    assert working_days_between(MONDAY, report.verify_due_at, "Asia/Jakarta") == 3
    assert report.completion_due_at - MONDAY == timedelta(days=60)


def test_most_specific_policy_wins_and_new_versions_apply_to_new_reports():
    health = CategoryFactory(code="kesehatan", name="Kesehatan")
    bpjs = CategoryFactory(code="bpjs", name="BPJS", parent=health)
    agency = AgencyFactory(code="bpjs-kesehatan", name="BPJS Kesehatan")
    national = policy_for(None, None, MONDAY)
    SlaPolicy.objects.create(category=health, verify_days=2, effective_from=MONDAY)
    agency_cat = SlaPolicy.objects.create(
        agency=agency, category=health, followup_days=3, effective_from=MONDAY
    )
    # A sub-category inherits its parent's policy; agency+category beats category alone
    assert policy_for(None, bpjs, MONDAY + timedelta(hours=1)).verify_days == 2
    assert policy_for(agency, bpjs, MONDAY + timedelta(hours=1)) == agency_cat
    assert policy_for(AgencyFactory(), None, MONDAY) == national

    # Given a report submitted under version 1
    old = submit(category=bpjs, at=MONDAY + timedelta(hours=1)).report
    # When the category's policy gets a version 2 the next day
    SlaPolicy.objects.create(
        category=health, version=2, verify_days=1, effective_from=MONDAY + timedelta(days=1)
    )
    new = submit(category=bpjs, at=MONDAY + timedelta(days=1, hours=1)).report
    # Then the old report keeps its limits and the new one gets the new limits
    assert old.sla_policy.version == 1 and old.sla_policy.verify_days == 2
    assert new.sla_policy.version == 2 and new.sla_policy.verify_days == 1
    # And disposing the old report to BPJS applies BPJS's own policy in force at submission
    services.report_dispose(report=old, to_agency=agency, actor=national_admin())
    assert old.sla_policy == agency_cat
    assert working_days_between(old.disposed_at, old.followup_due_at, agency.timezone) == 3


def test_clock_counts_in_the_agency_zone():
    # Friday 2026-11-13 20.00 WIT is 18.00 WIB: the same instant, the same local day here,
    # but a deadline ends at 23.59 local time of the office whose clock it is
    friday_evening = datetime(2026, 11, 13, 11, 0, tzinfo=UTC)
    papua = AgencyFactory(
        code="pemprov-94", name="Pemerintah Provinsi Papua", timezone="Asia/Jayapura"
    )
    report = submit(at=friday_evening).report
    services.report_dispose(report=report, to_agency=papua, actor=national_admin())
    due_local = report.followup_due_at.astimezone(ZoneInfo("Asia/Jayapura"))
    assert (due_local.hour, due_local.minute) == (23, 59)
    assert working_days_between(report.disposed_at, report.followup_due_at, "Asia/Jayapura") == 5
