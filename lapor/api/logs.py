"""A logging filter keeping API secrets out of the logs (``LOGGING["filters"]``).

Django logs a failed request (``django.request``) with the request attached; a handler that
formats it (the admin e-mail handler, an error tracker) would write its headers, among them
``Authorization``. ``RedactSecrets`` rewrites, in every record on the handlers it is set on,
the bearer token of ``Authorization`` headers, ``lpr_…`` tokens and ``api_key``/``client_secret``
/``refresh`` values in messages, and drops the request's ``HTTP_AUTHORIZATION`` from the record's
copy of the request metadata. Add it to any new handler."""

from __future__ import annotations

import logging
import re

SECRET = re.compile(
    r"(?i)(bearer\s+|basic\s+)[^\s'\",]+"
    r"|lpr_[A-Za-z0-9_\-]+"
    r"|((?:api_key|client_secret|refresh|access_token|refresh_token)[\"']?\s*[=:]\s*[\"']?)"
    r"[^\s&'\",}]+"
)
REDACTED = "[disembunyikan]"


def redact(text: str) -> str:
    return SECRET.sub(lambda m: (m.group(1) or m.group(2) or "") + REDACTED, text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logged as it is
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        request = getattr(record, "request", None)
        meta = getattr(request, "META", None)
        if isinstance(meta, dict) and "HTTP_AUTHORIZATION" in meta:
            meta["HTTP_AUTHORIZATION"] = REDACTED
        return True
