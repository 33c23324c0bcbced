"""Unwrapped keys held while someone works, split between the server and their browser.

An inspector's private key (after their passphrase) and a whistleblower's case key (after their
receipt) are kept in the server-side session only as ciphertext, under a random per-session key
that lives in a cookie of its own (``wbs_k``: HttpOnly, SameSite=Strict, Secure in production,
gone when the browser closes; the session cookie is made to end with the browser too). Neither
the session table nor the cookie alone opens anything: a database dump holds no usable key, and
a stolen cookie without the session is useless. A held key expires after ``IDLE_SECONDS``
without use, and "lock" drops it at once."""

from __future__ import annotations

import base64
import time

import nacl.utils
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from lapor.wbs import crypto

COOKIE = "wbs_k"
IDLE_SECONDS = 15 * 60
PERSON = "person"
WHISTLEBLOWER = "wb"


def _cookie_key(request: HttpRequest) -> bytes | None:
    fresh = getattr(request, "_wbs_new_key", None)
    if fresh is not None:
        return bytes(fresh)
    raw = request.COOKIES.get(COOKIE, "")
    try:
        key = base64.urlsafe_b64decode(raw.encode())
    except ValueError:
        return None
    return key if len(key) == 32 else None


def hold(request: HttpRequest, response: HttpResponse, name: str, secret: bytes) -> None:
    key = _cookie_key(request)
    if key is None:
        key = nacl.utils.random(32)
        request._wbs_new_key = key  # type: ignore[attr-defined]
        response.set_cookie(
            COOKIE,
            base64.urlsafe_b64encode(key).decode(),
            httponly=True,
            samesite="Strict",
            secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        )
    request.session.set_expiry(0)  # the session cookie too ends with the browser
    request.session[f"wbs:{name}"] = base64.b64encode(crypto.box_encrypt(key, secret)).decode()
    request.session[f"wbs:{name}:at"] = time.time()


def held(request: HttpRequest, name: str) -> bytes | None:
    """The key held under ``name``, or None (never held, expired, or the cookie is gone)."""
    stored = request.session.get(f"wbs:{name}")
    at = request.session.get(f"wbs:{name}:at")
    key = _cookie_key(request)
    if not stored or at is None or key is None:
        return None
    if time.time() - float(at) > IDLE_SECONDS:
        drop(request, name)
        return None
    try:
        secret = crypto.box_decrypt(key, base64.b64decode(stored))
    except crypto.Tampered:
        drop(request, name)
        return None
    request.session[f"wbs:{name}:at"] = time.time()
    return secret


def drop(request: HttpRequest, name: str) -> None:
    request.session.pop(f"wbs:{name}", None)
    request.session.pop(f"wbs:{name}:at", None)
