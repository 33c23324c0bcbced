"""Form tokens for the submit form: one report per form, however often it is sent.

A token is a random nonce and an HMAC of it with the site's secret key and the browser's CSRF
secret (the cookie Django's CSRF protection sets): only a token this site issued to *this*
browser passes ``was_issued``, as when the tokens were kept in the session, but issuing one
writes nothing on the server, so the form page can be served from a cache (``form_cache``). A
browser whose CSRF secret changed (it signed in, or its cookie was cleared) gets the form again
with a new token, as for an expired form.

The guest secret of a fresh report waits in the token's row, sealed with a key derived from the
site's secret key and the token (which only the submitting browser holds), until the
confirmation page shows it once."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token

NONCE = 32  # hex characters


def _mac(request: HttpRequest, nonce: str) -> str:
    get_token(request)  # the browser's CSRF secret, made (and sent as a cookie) if it has none
    browser = request.META.get("CSRF_COOKIE", "")
    message = f"submit-form:{nonce}:{browser}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:NONCE]


def issue(request: HttpRequest) -> str:
    nonce = secrets.token_hex(NONCE // 2)
    return nonce + _mac(request, nonce)


def was_issued(request: HttpRequest, token: str) -> bool:
    if len(token) != 2 * NONCE:
        return False
    return hmac.compare_digest(token[NONCE:], _mac(request, token[:NONCE]))


def _pad(token: str, length: int) -> bytes:
    key = hmac.new(settings.SECRET_KEY.encode(), f"submit:{token}".encode(), hashlib.sha256)
    return key.digest()[:length]


def seal(secret: str, token: str) -> str:
    raw = secret.encode()
    return bytes(a ^ b for a, b in zip(raw, _pad(token, len(raw)), strict=True)).hex()


def unseal(sealed: str, token: str) -> str:
    raw = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(raw, _pad(token, len(raw)), strict=True)).decode()
