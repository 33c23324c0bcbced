"""API secrets never reach the logs (``lapor.api.logs.RedactSecrets`` on the console handler)."""

from __future__ import annotations

import logging
from logging.config import dictConfig

import pytest
from django.conf import settings

from lapor.api.logs import RedactSecrets, redact

TOKEN = "lpr_" + "A" * 43


def test_redacts_bearer_tokens_and_client_secrets():
    line = f"Authorization: Bearer {TOKEN} client_secret=s3cr3t&api_key=k.v refresh: {TOKEN}"
    clean = redact(line)
    assert TOKEN not in clean and "s3cr3t" not in clean and "k.v" not in clean
    assert "Authorization: Bearer" in clean and "client_secret=" in clean


def test_a_failed_request_logged_with_its_headers_shows_no_token(rf, capsys):
    # given the site's logging, and a request carrying a token that fails in a view
    dictConfig(settings.LOGGING)
    request = rf.get("/api/v1/x/", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    # when Django logs it with the request attached (as django.request does for a 500) and a
    # handler prints the request's headers
    logger = logging.getLogger("django.request")
    logger.error(
        "Internal Server Error: %s %s",
        request.path,
        request.META["HTTP_AUTHORIZATION"],
        extra={"request": request},
    )

    # then the token is in neither the message nor the request the handlers see
    printed = capsys.readouterr().err
    assert "Internal Server Error: /api/v1/x/ Bearer" in printed
    assert TOKEN not in printed
    assert TOKEN not in request.META["HTTP_AUTHORIZATION"]


@pytest.mark.parametrize("handler", ["console"])
def test_every_handler_has_the_filter(handler):
    assert "redact_secrets" in settings.LOGGING["handlers"][handler]["filters"]
    assert isinstance(RedactSecrets(), logging.Filter)
