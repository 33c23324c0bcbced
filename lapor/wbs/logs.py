"""A logging filter (``LOGGING["filters"]["forget_wbs"]``) for records written while a WBS
request is handled, or about one: the request attached to the record (Django's ``django.request``
and ``django.server`` loggers attach it) is replaced by nothing, and anything that looks like an
IP address is masked in the message. The middleware already removed the address, browser and
referrer from the request; this filter is the second lock, for handlers that format requests
(error trackers, the admin e-mail handler)."""

from __future__ import annotations

import ipaddress
import logging
import re
from contextvars import ContextVar

in_wbs: ContextVar[bool] = ContextVar("in_wbs", default=False)
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# Anything made of hex digits and at least two colons; masked when it parses as an IPv6 address
# (a clock's 10:06:33 does not).
IPV6_CANDIDATE = re.compile(r"(?<![\w:])[0-9A-Fa-f]*:[0-9A-Fa-f:]*:[0-9A-Fa-f.]*(?![\w:])")
HIDDEN = "[wbs]"


def _v6(match: re.Match[str]) -> str:
    try:
        ipaddress.IPv6Address(match.group(0))
    except ValueError:
        return match.group(0)
    return HIDDEN


def mask_addresses(text: str) -> str:
    return IPV6_CANDIDATE.sub(_v6, IPV4.sub(HIDDEN, text))


def _about_wbs(record: logging.LogRecord) -> bool:
    from lapor.wbs.middleware import WBS_PATH

    if in_wbs.get():
        return True
    request = getattr(record, "request", None)
    path = getattr(request, "path", None)
    if isinstance(path, str) and WBS_PATH.match(path):
        return True
    try:
        return "/wbs/" in record.getMessage()
    except Exception:
        return False


class ForgetWbsRequests(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not _about_wbs(record):
            return True
        if hasattr(record, "request"):
            record.request = None
        try:
            message = record.getMessage()
        except Exception:
            return True
        record.msg, record.args = mask_addresses(message), None
        return True
