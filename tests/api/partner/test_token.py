"""A partner gets a one-hour bearer token for its client credentials (OAuth2 client
credentials), as form fields or HTTP Basic; a wrong secret, a revoked key or a deactivated
partner gets ``invalid_client``; two keys work side by side while it rotates."""

from __future__ import annotations

import base64
import logging
from urllib.parse import urlencode

import pytest
from django.test import Client

from lapor.api.partners import partner_deactivate, partner_issue_key, partner_revoke_key
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/partner/token"
CHANGES = "/api/v1/partner/changes"


FORM = "application/x-www-form-urlencoded"


def _form(client_id: str, secret: str) -> dict[str, str]:
    return {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}


def _post(data: dict[str, str], **extra: str):  # type: ignore[no-untyped-def]
    return Client().post(TOKEN, urlencode(data), content_type=FORM, **extra)


def _token(client_id: str, secret: str) -> tuple[int, dict]:
    response = _post(_form(client_id, secret))
    return response.status_code, response.json()


def test_client_credentials_as_form_fields_give_a_token_that_opens_the_partner_api(credentials):
    # given a partner's key
    key_id, secret = credentials
    # when it asks for a token with its credentials in the form
    response = _post(_form(key_id, secret))
    # then it gets a one-hour bearer token, not to be cached, that opens the partner API
    assert response.status_code == 200
    answer = response.json()
    assert answer["token_type"] == "Bearer" and answer["expires_in"] == 3600
    assert response["Cache-Control"] == "no-store"
    assert ApiClient().as_token(answer["access_token"]).get(CHANGES).status_code == 200


def test_client_credentials_in_http_basic_give_a_token(credentials):
    key_id, secret = credentials
    basic = base64.b64encode(f"{key_id}:{secret}".encode()).decode()
    response = _post({"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200 and response.json()["access_token"].startswith("lpr_")


def test_json_body_is_accepted_too(credentials):
    key_id, secret = credentials
    response = ApiClient().post(TOKEN, _form(key_id, secret))
    assert response.status_code == 200


def test_a_wrong_secret_is_invalid_client_in_both_error_shapes(credentials, caplog):
    key_id, secret = credentials
    with caplog.at_level(logging.DEBUG):
        status, answer = _token(key_id, secret[:-2] + "xx")
    assert status == 401
    assert answer["error"] == answer["code"] == "invalid_client"
    assert answer["message"] == answer["error_description"] and answer["field"] is None
    assert secret[:-2] not in caplog.text  # the secret is never logged


def test_an_unknown_key_is_invalid_client(credentials):
    assert _token("mk_unknown", "whatever")[0] == 401


def test_a_revoked_key_no_longer_gets_a_token(credentials, partner, admin):
    key_id, secret = credentials
    partner_revoke_key(partner=partner, key_id=key_id, actor=admin)
    status, answer = _token(key_id, secret)
    assert status == 401 and answer["code"] == "invalid_client"


def test_a_deactivated_partner_gets_no_token_and_its_tokens_stop(credentials, partner, admin):
    key_id, secret = credentials
    _status, answer = _token(key_id, secret)
    partner_deactivate(partner=partner, actor=admin)
    assert _token(key_id, secret)[0] == 401
    assert ApiClient().as_token(answer["access_token"]).get(CHANGES).status_code == 401


def test_two_keys_work_at_once_while_rotating_and_a_third_retires_the_first(
    credentials, partner, admin
):
    # given the first key, and a second issued for the rotation
    first = credentials
    second = partner_issue_key(partner=partner, actor=admin)
    # then both get tokens
    assert _token(*first)[0] == 200 and _token(*second)[0] == 200
    # when a third is issued, the oldest stops
    third = partner_issue_key(partner=partner, actor=admin)
    assert _token(*first)[0] == 401
    assert _token(*second)[0] == 200 and _token(*third)[0] == 200


def test_another_grant_type_is_refused_by_name(credentials):
    key_id, secret = credentials
    response = _post({**_form(key_id, secret), "grant_type": "password"})
    assert response.status_code == 400 and response.json()["error"] == "unsupported_grant_type"
    response = _post({"client_id": key_id, "client_secret": secret})
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_a_partner_token_is_not_an_officer_token(partner_api, disposed):
    # a citizen's or officer's endpoints are not the partner's; and the partner's need its token
    assert ApiClient().get(CHANGES).status_code == 401
