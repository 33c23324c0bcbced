"""Fixtures shared by the API's tests (each audience adds its own in its folder's conftest.py).

- ``api``: Django's test client speaking JSON (``api.get(path)``, ``api.post(path, data)``
  sends a JSON body), with an optional bearer token: ``api.as_token(raw)``.
- ``citizen``, ``citizen_token``: a citizen account and a fresh access token for it.
- ``officer_token(agency, role=…)``: an officer of ``agency`` (an active membership) and an
  access token; returns ``(user, raw_token)``.
- ``public_report(**overrides)``: a public report (not rahasia, named reporter) through the
  real ``report_submit``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership
from lapor.api.tokens import Audience, token_issue
from lapor.reports.models import Report
from tests.factories import UserFactory, officer, submit


class ApiClient(Client):
    """A test client whose requests are JSON and may carry ``Authorization: Bearer``."""

    def __init__(self, **defaults: Any) -> None:
        super().__init__(HTTP_ACCEPT="application/json", **defaults)
        self.token = ""

    def as_token(self, raw: str) -> ApiClient:
        self.token = raw
        return self

    def _auth(self, extra: dict[str, Any]) -> dict[str, Any]:
        if self.token and "HTTP_AUTHORIZATION" not in extra:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return extra

    def get(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        return super().get(path, data, **self._auth(extra))

    def post(  # type: ignore[override]
        self, path: str, data: Any = None, content_type: str = "application/json", **extra: Any
    ) -> Any:
        if content_type == "application/json" and not isinstance(data, (str, bytes)):
            data = json.dumps(data if data is not None else {})
        return super().post(path, data, content_type=content_type, **self._auth(extra))


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()


@pytest.fixture
def citizen(db: None) -> User:
    return UserFactory(first_name="Budi", last_name="Santoso")


@pytest.fixture
def citizen_token(citizen: User) -> str:
    access, _refresh = token_issue(user=citizen, audience=Audience.CITIZEN)
    return access


@pytest.fixture
def officer_token(db: None) -> Callable[..., tuple[User, str]]:
    def make(agency: Agency, role: str = Membership.Role.AGENCY_ADMIN) -> tuple[User, str]:
        user = officer(agency, role)
        access, _refresh = token_issue(user=user, audience=Audience.OFFICER)
        return user, access

    return make


@pytest.fixture
def public_report(db: None) -> Callable[..., Report]:
    def make(**overrides: Any) -> Report:
        fields = {"is_confidential": False, "is_anonymous": False, **overrides}
        return submit(**fields).report

    return make
