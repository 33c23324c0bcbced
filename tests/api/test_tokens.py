"""Bearer tokens: issue, refresh rotation, reuse detection, revocation, and what is re-checked
at every request (expiry, the user's activity, an officer's membership)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import path
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

from lapor.api.base import ApiView
from lapor.api.permissions import IsCitizen, IsOfficer
from lapor.api.tokens import (
    PREFIX,
    ApiToken,
    Audience,
    TokenInvalid,
    hash_token,
    token_issue,
    token_refresh,
    token_revoke,
)
from lapor.urls import urlpatterns as site_patterns
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


class WhoAmI(ApiView):
    permission_classes = [IsCitizen]

    def get(self, request: Request) -> Response:
        return Response({"user": request.user.username, "token": request.auth.pk})


class OfficerOnly(WhoAmI):
    permission_classes = [IsOfficer]


class Deny(ApiView):  # names no permission: the default denies
    def get(self, request: Request) -> Response:
        return Response({})


urlpatterns = [
    path("api/v1/test/me/", WhoAmI.as_view()),
    path("api/v1/test/officer/", OfficerOnly.as_view()),
    path("api/v1/test/deny/", Deny.as_view()),
    *site_patterns,
]


@pytest.fixture(autouse=True)
def _test_urls(settings):  # type: ignore[no-untyped-def]
    settings.ROOT_URLCONF = __name__


def test_issued_tokens_are_opaque_and_only_their_hash_is_stored(citizen):
    access, refresh = token_issue(user=citizen, audience=Audience.CITIZEN)
    assert access.startswith(PREFIX) and refresh and refresh.startswith(PREFIX)
    assert len(access) > 40 and access != refresh
    stored = set(ApiToken.objects.values_list("token_hash", flat=True))
    assert stored == {hash_token(access), hash_token(refresh)}
    assert access not in str(list(ApiToken.objects.values()))


def test_access_token_authenticates_and_is_request_auth(api, citizen, citizen_token):
    response = api.as_token(citizen_token).get("/api/v1/test/me/")
    assert response.status_code == 200
    assert response.json()["user"] == citizen.username
    token = ApiToken.objects.get(pk=response.json()["token"])
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(api, citizen_token, django_assert_num_queries):
    api.as_token(citizen_token).get("/api/v1/test/me/")
    with django_assert_num_queries(1):  # the token's row only, no update
        api.get("/api/v1/test/me/")


def test_no_token_is_401_with_bearer_challenge(api):
    response = api.get("/api/v1/test/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


def test_unknown_token_is_401(api, db):
    response = api.as_token(PREFIX + "x" * 43).get("/api/v1/test/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_view_without_permission_denies_everyone(api, citizen_token):
    assert api.as_token(citizen_token).get("/api/v1/test/deny/").status_code == 403


def test_citizen_token_is_not_an_officer_token(api, citizen_token):
    response = api.as_token(citizen_token).get("/api/v1/test/officer/")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_expired_access_token_is_401(api, citizen_token):
    ApiToken.objects.filter(token_hash=hash_token(citizen_token)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = api.as_token(citizen_token).get("/api/v1/test/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_refresh_rotates_and_the_old_pair_stops_working(api, citizen):
    # given a login
    access, refresh = token_issue(user=citizen, audience=Audience.CITIZEN)

    # when the client refreshes
    new_access, new_refresh = token_refresh(refresh=refresh)

    # then the new access works, the old access and the old refresh do not
    assert api.as_token(new_access).get("/api/v1/test/me/").status_code == 200
    assert api.as_token(access).get("/api/v1/test/me/").status_code == 401
    assert new_refresh != refresh
    with pytest.raises(TokenInvalid):
        token_refresh(refresh=refresh)


def test_reuse_of_a_rotated_refresh_token_revokes_the_family(api, citizen):
    # given a refresh token rotated once (the legitimate client holds the new pair)
    _access, stolen = token_issue(user=citizen, audience=Audience.CITIZEN)
    new_access, new_refresh = token_refresh(refresh=stolen)

    # when the old refresh token is presented again (a copy)
    with pytest.raises(TokenInvalid):
        token_refresh(refresh=stolen)

    # then the whole family is revoked: the new access and refresh tokens too
    assert api.as_token(new_access).get("/api/v1/test/me/").json()["code"] == "token_revoked"
    with pytest.raises(TokenInvalid):
        token_refresh(refresh=new_refresh)


def test_expired_refresh_token_is_refused(citizen):
    _access, refresh = token_issue(user=citizen, audience=Audience.CITIZEN)
    ApiToken.objects.filter(token_hash=hash_token(refresh)).update(expires_at=timezone.now())
    with pytest.raises(TokenInvalid):
        token_refresh(refresh=refresh)


def test_revoke_logs_out_the_whole_login(api, citizen):
    access, refresh = token_issue(user=citizen, audience=Audience.CITIZEN)
    token_revoke(token=access)
    assert api.as_token(access).get("/api/v1/test/me/").status_code == 401
    with pytest.raises(TokenInvalid):
        token_refresh(refresh=refresh or "")


def test_deactivated_user_is_401_at_the_next_request(api, citizen, citizen_token):
    citizen.is_active = False
    citizen.save()
    assert api.as_token(citizen_token).get("/api/v1/test/me/").status_code == 401


def test_officer_token_dies_with_the_membership(api, officer_token):
    # given an officer with a token that works
    user, access = officer_token(AgencyFactory())
    assert api.as_token(access).get("/api/v1/test/officer/").status_code == 200

    # when the admin revokes the membership
    user.memberships.update(is_active=False)

    # then the token is refused at the next request
    response = api.get("/api/v1/test/officer/")
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_refresh_token_is_not_an_access_token(api, citizen):
    _access, refresh = token_issue(user=citizen, audience=Audience.CITIZEN)
    assert api.as_token(refresh or "").get("/api/v1/test/me/").status_code == 401
