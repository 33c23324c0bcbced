"""The OpenAPI document: valid, listing the Error schema with every code, and the public
endpoints behaving as it says (schemathesis, in process over WSGI)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from lapor.api.errors import API_ERROR_CODES
from tests.factories import AgencyFactory, CategoryFactory, RegencyFactory, submit

pytestmark = pytest.mark.django_db


def test_document_is_valid_and_publishes_the_error_codes(api):
    # when a client fetches the document
    response = api.get("/api/v1/openapi.json")
    doc = response.json()

    # then it is valid OpenAPI 3 with the Error schema listing every code
    assert response.status_code == 200
    validate_schema(doc)
    error = doc["components"]["schemas"]["Error"]
    assert set(API_ERROR_CODES) <= set(error["properties"]["code"]["enum"])
    assert {"/api/v1/reports/", "/api/v1/track/{tracking_id}/"} <= set(doc["paths"])
    listed = doc["paths"]["/api/v1/reports/"]["get"]["responses"]
    assert listed["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


def test_docs_page_loads_its_script_from_a_url_under_the_strict_csp(api):
    # when a browser opens the documentation page
    page = api.get("/api/v1/docs/", HTTP_ACCEPT="text/html")
    html = page.content.decode()

    # then every script and style is a file of this site: no inline code, CSP unrelaxed
    assert page.status_code == 200
    assert "<style" not in html and "<script>" not in html
    assert "swagger-ui-bundle.js" in html and "/static/" in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    script = api.get("/api/v1/docs/?script=", HTTP_ACCEPT="*/*")
    assert script.status_code == 200
    assert "/api/v1/openapi.json" in script.content.decode()


# The served document, loaded through the real WSGI app (building it reads no database).
# ``schemathesis.pytest.from_fixture`` is not used: it fails under pytest 9 (``_nodeid``).
public_api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    path_regex="^/api/v1/(categories|regions|agencies|reports|track)"
)


@pytest.fixture
def some_reports(db):  # type: ignore[no-untyped-def]
    """A few rows for the endpoints to read: a public report, a rahasia one, an agency."""
    category = CategoryFactory(code="jalan", name="Jalan")
    AgencyFactory(code="pemkab-demak", name="Pemerintah Kabupaten Demak")
    RegencyFactory()
    submit(is_confidential=False, is_anonymous=False, category=category)
    submit(is_confidential=True)
    # As Django's test client does: the WSGI handler must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@public_api.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_public_endpoints_never_fail_and_match_the_document(case, some_reports):  # type: ignore[no-untyped-def]
    # Not "schema-valid request accepted": the document cannot say everything refused (a NUL
    # character in a text, a cursor not from ``next``, a date beyond the platform's years).
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
