"""Webhook secrets: made, kept encrypted at rest, and used to sign (Standard Webhooks).

A secret must stay recoverable to sign, so it cannot be hashed like a partner's key. It is
encrypted with Fernet (the ``cryptography`` package: AES-128-CBC + HMAC-SHA256, authenticated,
with a timestamp and a random IV each time) under a key derived from ``SECRET_KEY`` (ADR 0011).
A database dump without the ``SECRET_KEY`` reveals no secret and a tampered value is refused.
``SECRET_KEY_FALLBACKS`` keep old values readable while the ``SECRET_KEY`` is rotated
(``MultiFernet``); ``endpoint_rotate_secret`` re-encrypts."""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from standardwebhooks import Webhook

PREFIX = "whsec_"
CONTEXT = b"lapor.api.webhooks.secret"


class SecretUnreadable(Exception):
    """The stored value was not encrypted under this ``SECRET_KEY`` (or its fallbacks)."""


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_webhook_id() -> str:
    """The ``webhook-id`` of one message, the same on every retry of it."""
    return "msg_" + secrets.token_urlsafe(18)


def _fernet(secret_key: str) -> Fernet:
    """A Fernet key of its own for this purpose, derived from ``secret_key``."""
    digest = hashlib.sha256(CONTEXT + b"\0" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _cipher() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(k) for k in keys])


def encrypt(plain: str) -> str:
    return _cipher().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    try:
        return _cipher().decrypt(stored.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("not encrypted under this SECRET_KEY") from None


def headers(*, secret: str, webhook_id: str, at: datetime, body: bytes) -> dict[str, str]:
    """The request headers of one attempt: the three Standard Webhooks headers and the type."""
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, at, body),
        "content-type": "application/json",
    }
