"""Checking that a webhook delivery comes from the provider that holds the shared secret."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.http import HttpRequest


def hmac_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def valid_hmac(secret: str, body: bytes, given: str, prefix: str = "sha256=") -> bool:
    """``given`` is ``sha256=<hex HMAC-SHA256 of body>`` (the prefix may be left out)."""
    if not secret or not given:
        return False
    value = given.strip()
    if value.startswith(prefix):
        value = value[len(prefix) :]
    return hmac.compare_digest(hmac_hex(secret, body), value.lower())


def shared_secret(request: HttpRequest, secret: str, header: str) -> bool:
    """The SMS gateway's proof: an HMAC of the body in ``header``, or the secret itself as a
    bearer token or as the password of HTTP Basic authentication (how gateways such as
    Infobip forward with credentials)."""
    if not secret:
        return False
    body = request.body
    if valid_hmac(secret, body, request.headers.get(header, "")):
        return True
    auth = request.headers.get("Authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer":
        return hmac.compare_digest(value.strip().encode(), secret.encode())
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except ValueError:
            return False
        _user, _, password = decoded.partition(":")
        return hmac.compare_digest(password.encode(), secret.encode())
    return False
