"""Per-domain error codes with messages a citizen or officer can act on.

The message is an Indonesian msgid wrapped in ``gettext`` where the error is raised, so it is in
the language of the request (English under ``/en/``); the ``code`` is the same in every language
and is what API clients and tests compare: a member of a domain's ``StrEnum``
(``lapor.core.error_codes``), a ``str`` like any other."""

from __future__ import annotations

from lapor.core.error_codes import CoreErrorCode


class LaporError(Exception):
    """Base of every error the service answers to its callers with a code and a message."""

    code: str = CoreErrorCode.ERROR
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field


class ValidationFailed(LaporError):
    code = CoreErrorCode.INVALID


class NotAllowed(LaporError):
    code = CoreErrorCode.FORBIDDEN
    status = 403


class NotFound(LaporError):
    code = CoreErrorCode.NOT_FOUND
    status = 404


class Conflict(LaporError):
    """Somebody else changed the same thing at the same moment; reload and try again."""

    code = CoreErrorCode.CONFLICT
    status = 409


class IdempotencyMismatch(LaporError):
    """An idempotency key sent again with a different request: the client reused a key it
    meant for another report. Nothing is written; the first request's result stands."""

    code = CoreErrorCode.IDEMPOTENCY_KEY_REUSED
    status = 422
