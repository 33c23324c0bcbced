"""Every error of the API answers the one shape ``{"code", "message", "field"}``, in the
request's language."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

SIMILAR = "/api/v1/reports/similar/"


def shape(response):  # type: ignore[no-untyped-def]
    body = response.json()
    assert {"code", "message", "field"} <= set(body), body
    assert response["Content-Type"] == "application/json"
    return body


def test_malformed_json_is_named_in_the_request_language(api):
    # when a client sends a broken JSON body, in Indonesian and in English
    in_id = api.post(SIMILAR, '{"text": "x",', HTTP_ACCEPT_LANGUAGE="id")
    in_en = api.post(SIMILAR, '{"text": "x",', HTTP_ACCEPT_LANGUAGE="en")

    # then a 400 malformed_json, the message in each language
    assert in_id.status_code == in_en.status_code == 400
    assert shape(in_id)["code"] == shape(in_en)["code"] == "malformed_json"
    assert "JSON" in in_id.json()["message"]
    assert in_id["Content-Language"] == "id" and in_en["Content-Language"] == "en"


def test_unknown_field_is_refused_naming_it(api):
    response = api.post(SIMILAR, {"region": "33.21", "text": "jalan rusak", "txet": "typo"})
    assert response.status_code == 400
    body = shape(response)
    assert (body["code"], body["field"]) == ("unknown_field", "txet")


def test_wrong_type_names_the_field_and_lists_every_error(api):
    # given two wrong fields
    response = api.post(SIMILAR, {"region": ["33"], "text": {"a": 1}})

    # then the first is the answer's field, and both are listed
    body = shape(response)
    assert response.status_code == 400
    assert body["code"] == "invalid"
    assert {e["field"] for e in body["errors"]} == {"region", "text"}


def test_unknown_address_under_api_is_json_404(api):
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert shape(response)["code"] == "not_found"


def test_method_not_allowed(api):
    response = api.post("/api/v1/categories/", {})
    assert response.status_code == 405
    assert shape(response)["code"] == "method_not_allowed"


def test_form_body_is_unsupported_media_type(api):
    response = api.post(SIMILAR, "text=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert shape(response)["code"] == "unsupported_media_type"


def test_oversized_json_body_is_413_not_read(api, settings):
    # given a body larger than the JSON limit
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    text = "jalan " * 400

    # when a client sends it
    response = api.post(SIMILAR, {"region": "33.21", "text": text})

    # then 413 in the error shape (DRF's parser alone would have read it all)
    assert response.status_code == 413
    assert shape(response)["code"] == "too_large"


def test_body_beyond_the_site_limit_is_413_json(api, settings):
    # given a body over the whole site's limit (refused by the middleware before any view)
    settings.LAPOR_MAX_ATTACHMENTS = 0
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    response = api.post(SIMILAR, {"region": "33.21", "text": "jalan rusak di pasar"})
    assert response.status_code == 413
    assert shape(response)["code"] == "too_large"


def test_too_many_requests_is_429_with_retry_after(api, monkeypatch):
    from lapor.api import throttling

    monkeypatch.setattr(throttling.IpRateThrottle, "THROTTLE_RATES", {"ip": "2/min"})
    for _ in range(2):
        assert api.get("/api/v1/categories/").status_code == 200
    response = api.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert shape(response)["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["message"] and response["Content-Language"] == "en"


def test_a_bug_under_api_answers_json_500_not_the_html_page(monkeypatch):
    # given a view that fails unexpectedly
    from lapor.api.public.views import CategoryList

    from .conftest import ApiClient

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")

    monkeypatch.setattr(CategoryList, "get", broken)

    # when a client calls it
    response = ApiClient(raise_request_exception=False).get("/api/v1/categories/")

    # then a JSON 500 in the error shape
    assert response.status_code == 500
    assert shape(response)["code"] == "server_error"


def test_service_error_keeps_its_status_code_and_field(rf):
    from lapor.api.errors import exception_handler
    from lapor.core.errors import Conflict

    response = exception_handler(Conflict("Diubah orang lain.", field="status"), {})
    assert response is not None
    assert response.status_code == 409
    assert response.data == {"code": "conflict", "message": "Diubah orang lain.", "field": "status"}


def test_missing_token_is_401_with_www_authenticate(rf):
    from rest_framework.exceptions import NotAuthenticated

    from lapor.api.errors import exception_handler

    response = exception_handler(NotAuthenticated(), {})
    assert response is not None
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.data["code"] == "not_authenticated"


def test_a_partners_limit_holds_across_its_tokens_and_a_cache_outage_lets_through(api, monkeypatch):
    from django.core.cache import cache

    from lapor.api import throttling
    from lapor.api.models import Partner
    from lapor.api.tokens import Audience, token_issue
    from tests.factories import UserFactory

    # given a partner allowed three requests a minute, asking with two different tokens
    monkeypatch.setattr(throttling.ClientRateThrottle, "THROTTLE_RATES", {"client": "3/min"})
    user = UserFactory(username="mitra-uji")
    partner = Partner.objects.create(code="uji", name="Mitra uji", user=user)
    first, _ = token_issue(user=user, audience=Audience.PARTNER, partner=partner)
    second, _ = token_issue(user=user, audience=Audience.PARTNER, partner=partner)
    changes = "/api/v1/partner/changes"
    codes = [api.as_token(t).get(changes).status_code for t in (first, second, first)]
    assert 429 not in codes
    # when it asks a fourth time, with either token: refused, with the wait
    refused = api.as_token(second).get(changes)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1

    # when the shared cache is down, requests are let through rather than refused
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", down)
    assert api.as_token(first).get(changes).status_code != 429
