"""The API's documentation page (/api/v1/docs/) in a real browser: Swagger UI starts from its
separate script URL under the site's strict CSP, and lists the public endpoints."""

from __future__ import annotations

import pytest

from tests.browser.test_csp import _violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_render_under_the_policy(page):
    # when a developer opens the documentation page
    violations = _violations(page, "/api/v1/docs/")

    # then no rule of the CSP is broken, and Swagger UI has read the document and lists the
    # public operations with the Error schema
    assert violations == []
    page.locator(".opblock-summary-path", has_text="/api/v1/reports/").first.wait_for()
    assert page.locator(".info .title", has_text="LAPOR! API").is_visible()
    page.locator("section.models", has_text="Error").first.wait_for()
    assert page.evaluate("window.__violations") == []
