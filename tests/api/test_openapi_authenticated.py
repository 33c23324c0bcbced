"""The authenticated endpoints behave as the served document says (schemathesis, in process over
WSGI), each audience with a real bearer token of its own: a citizen who filed a report, an
agency admin holding reports, a partner speaking for that agency. Whatever schemathesis sends,
the answer is never a 5xx and always matches the document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from lapor.agencies.models import Membership
from lapor.api.models import Partner
from lapor.api.tokens import Audience, token_issue
from lapor.reports.lifecycle import Status
from tests.factories import AgencyFactory, UserFactory, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

served = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
citizen_api = served.include(path_regex="^/api/v1/citizen/")
officer_api = served.include(path_regex="^/api/v1/officer/")
partner_api = served.include(path_regex="^/api/v1/partner/")

SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def tokens(db: None) -> Iterator[dict[str, str]]:
    """A bearer token per audience, over a world with reports for each to read and act on."""
    agency = AgencyFactory(code="pemkab-demak", name="Pemerintah Kabupaten Demak")
    citizen = UserFactory()
    report_in(Status.DISPOSED, agency=agency, reporter=citizen)
    report_in(Status.DISPOSED, agency=agency, is_anonymous=False, is_confidential=False)
    desk = officer(agency, Membership.Role.AGENCY_ADMIN)
    system = UserFactory(username="mitra-demak")
    system.set_unusable_password()
    system.save()
    partner = Partner.objects.create(code="demak", name="e-LAPOR! Demak", user=system)
    Membership.objects.create(user=system, agency=agency, role=Membership.Role.PARTNER)
    found = {
        "citizen": token_issue(user=citizen, audience=Audience.CITIZEN)[0],
        "officer": token_issue(user=desk, audience=Audience.OFFICER)[0],
        "partner": token_issue(user=system, audience=Audience.PARTNER, partner=partner)[0],
    }
    # As Django's test client does: the WSGI handler must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield found
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _check(case, token: str) -> None:  # type: ignore[no-untyped-def]
    # Not "schema-valid request accepted": the document cannot say everything refused (a state
    # the report is not in, a version that moved on, a secret that does not match).
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
    )


@citizen_api.parametrize()
@SETTINGS
def test_citizen_endpoints_never_fail_and_match_the_document(case, tokens):  # type: ignore[no-untyped-def]
    _check(case, tokens["citizen"])


@officer_api.parametrize()
@SETTINGS
def test_officer_endpoints_never_fail_and_match_the_document(case, tokens):  # type: ignore[no-untyped-def]
    _check(case, tokens["officer"])


@partner_api.parametrize()
@SETTINGS
def test_partner_endpoints_never_fail_and_match_the_document(case, tokens):  # type: ignore[no-untyped-def]
    _check(case, tokens["partner"])
