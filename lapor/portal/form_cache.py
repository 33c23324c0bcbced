"""The empty submit form (``/lapor/``) rendered once per language and day and kept in the cache
every app process shares: building its choices (every kabupaten/kota grouped by province, every
category) and rendering them is most of the page's cost, and it is the same for every guest.

Only a guest's plain ``GET`` of ``/lapor/`` with nothing private may use it: no account signed
in (the form then leaves out the contact fields and names the account), no pending message, no
query (``?instansi=`` names an agency in advance). A kept page holds two random placeholders,
where the CSRF token and the form token go; each response gets its own visitor's of both, so no
token is ever stored or handed to another visitor, and each form shown is one report
(``tokens``). The date picker's limits depend on the day, so the day is in the key; reference
data (a kabupaten/kota or category added) shows at the latest after ``FORM_SECONDS``. No
``ETag``: a browser revalidating would keep an old form token, and a second report sent from it
would be taken for a resend of the first."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from lapor.portal import tokens, track_cache

log = logging.getLogger(__name__)

FORM_SECONDS = 600
_SOURCES = (
    "portal/templates/portal/base.html",
    "portal/templates/portal/submit.html",
    "portal/templates/portal/_field.html",
    "portal/templates/portal/_village.html",
    "portal/templates/portal/_map_pick.html",
    "portal/templates/portal/_map_attrs.html",
    "portal/templates/portal/_requested_agency.html",
    "portal/templates/portal/_language_switch.html",
    "privacy/templates/privacy/_notice_link.html",
    "wbs/templates/wbs/_offer.html",
    "portal/templatetags/portal.py",
    "portal/forms/submit.py",
    "portal/views/submit.py",
    "portal/selectors.py",
    "portal/agency_choice.py",
    "portal/form_cache.py",
    "portal/track_cache.py",  # how a page is stored (``Kept``)
    "locale/en/LC_MESSAGES/django.mo",
)


@dataclass(frozen=True)
class FormPage(track_cache.Page):
    token_placeholder: str = ""


pages = track_cache.Kept(FormPage, FORM_SECONDS, log, "submit form")


def release() -> str:
    return track_cache.digest_of(_SOURCES)


def key(language: str, day: date) -> str:
    """Per release, language and day, and the settings the form shows (the map's tiles, the
    attachment limits)."""
    shown = (
        settings.MAP_TILE_URL,
        settings.MAP_TILE_ATTRIBUTION,
        settings.LAPOR_MAX_ATTACHMENTS,
        settings.LAPOR_MAX_UPLOAD_BYTES,
    )
    raw = f"{release()}:{language}:{day.isoformat()}:{shown}"
    return "form:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def is_public_visit(request: HttpRequest) -> bool:
    """No query: ``?instansi=`` names an agency in advance."""
    return track_cache.nothing_private(
        request, query_allowed=False, canonical=True, guest_secret_of=None
    )


def new_token_placeholder() -> str:
    return "form" + secrets.token_hex(14)  # as long as a form token (64 characters)


def get(page_key: str) -> FormPage | None:
    return pages.get(page_key)


def put(page_key: str, page: FormPage) -> None:
    pages.put(page_key, page)


def respond(request: HttpRequest, page: FormPage) -> HttpResponse:
    """The form with this visitor's own CSRF token and a fresh form token in place of the
    placeholders."""
    html = page.html.replace(page.token_placeholder, tokens.issue(request)).replace(
        page.placeholder, get_token(request)
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response
