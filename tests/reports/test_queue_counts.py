"""The navigation's queue counts are kept briefly per officer scope, never shared across
scopes."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from lapor.agencies.models import Membership
from lapor.reports.lifecycle import Status
from lapor.reports.selectors_backoffice import queue_counts
from tests.factories import AgencyFactory, national_admin, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts_kept(settings):
    settings.LAPOR_QUEUE_COUNT_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def memberships(user) -> list[Membership]:  # type: ignore[no-untyped-def]
    return list(user.memberships.filter(is_active=True))


def test_counts_are_kept_for_the_window_then_fresh(counts_kept):
    demak = AgencyFactory(code="pemkab-3321")
    admin = national_admin()
    report_in(Status.TRIAGE, agency=demak)
    assert queue_counts(memberships(admin))["triase"] == 1
    # A new report within the window does not cost a new count...
    report_in(Status.TRIAGE, agency=demak)
    assert queue_counts(memberships(admin))["triase"] == 1
    # ...and once the window has passed the count is current
    cache.clear()
    assert queue_counts(memberships(admin))["triase"] == 2


def test_each_scope_has_its_own_counts(counts_kept):
    demak, kudus = AgencyFactory(code="pemkab-3321"), AgencyFactory(code="pemkab-3319")
    report_in(Status.DISPOSED, agency=demak)
    report_in(Status.DISPOSED, agency=demak)
    report_in(Status.DISPOSED, agency=kudus)
    assert queue_counts(memberships(officer(demak)))["masuk"] == 2
    assert queue_counts(memberships(officer(kudus)))["masuk"] == 1
    assert queue_counts(memberships(national_admin()))["masuk"] == 3
