"""Per-domain error codes with messages a citizen or officer can act on.

The message is an Indonesian msgid wrapped in ``gettext`` where the error is raised, so it is in
the language of the request (English under ``/en/``); the ``code`` is the same in every language
and is what API clients and tests compare."""

from __future__ import annotations


class LaporError(Exception):
    """Base of every error the service answers to its callers with a code and a message."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field


class ValidationFailed(LaporError):
    code = "invalid"


class NotAllowed(LaporError):
    code = "forbidden"
    status = 403


class NotFound(LaporError):
    code = "not_found"
    status = 404


class Conflict(LaporError):
    """Somebody else changed the same thing at the same moment; reload and try again."""

    code = "conflict"
    status = 409
