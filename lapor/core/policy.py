"""The Content-Security-Policy of every answer.

Pages get django-csp's policy from ``CONTENT_SECURITY_POLICY`` (no inline script or style; see
settings). A JSON answer is never rendered as a document, so it gets the fixed policy OWASP
recommends for REST APIs instead: ``default-src 'none'; frame-ancestors 'none'`` (nothing may
load, nothing may frame it), stricter than the pages' and a constant, where building the pages'
policy costs measurable time on the API's busiest reads (bench/README.md)."""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponseBase

JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"
HEADER = "Content-Security-Policy"


class PolicyMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("application/json"):
            if HEADER not in response:
                response[HEADER] = JSON_POLICY
            return response
        return super().process_response(request, response)
