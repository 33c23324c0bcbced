"""Form tokens for the submit form: one report per form, however often it is sent.

The guest secret of a fresh report waits in the token's row, sealed with a key derived from the
site's secret key and the token (which only the submitting browser holds), until the
confirmation page shows it once."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "portal_submit_tokens"
KEEP = 20


def issue(request: HttpRequest) -> str:
    token = secrets.token_hex(16)
    issued = [*request.session.get(SESSION_KEY, []), token][-KEEP:]
    request.session[SESSION_KEY] = issued
    return token


def was_issued(request: HttpRequest, token: str) -> bool:
    return bool(token) and token in request.session.get(SESSION_KEY, [])


def _pad(token: str, length: int) -> bytes:
    key = hmac.new(settings.SECRET_KEY.encode(), f"submit:{token}".encode(), hashlib.sha256)
    return key.digest()[:length]


def seal(secret: str, token: str) -> str:
    raw = secret.encode()
    return bytes(a ^ b for a, b in zip(raw, _pad(token, len(raw)), strict=True)).hex()


def unseal(sealed: str, token: str) -> str:
    raw = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(raw, _pad(token, len(raw)), strict=True)).decode()
