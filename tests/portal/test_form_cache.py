"""The guest's empty submit form is kept rendered: a later guest's form costs no query, each
guest gets their own CSRF token and a fresh form token bound to their browser, and signed-in
or pre-filled forms are never kept."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from lapor.portal import form_cache, tokens
from lapor.reports.models import Report
from tests.factories import AgencyFactory, UserFactory
from tests.portal.conftest import page
from tests.portal.test_submit import _form, _token

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _kept() -> object:
    from zoneinfo import ZoneInfo

    from lapor.regions.models import WIT

    return cache.get(form_cache.key("id", timezone.localdate(timezone=ZoneInfo(WIT))))


def _without_tokens(html: str) -> str:
    return CSRF.sub("", re.sub(r'name="form_token" value="[0-9a-f]+"', "", html))


def test_a_later_guest_gets_the_kept_form_with_tokens_of_their_own(
    regency, django_assert_max_num_queries
):
    first = page(Client(), "/lapor/")
    assert _kept() is not None
    with django_assert_max_num_queries(0):
        second = page(Client(), "/lapor/")
    assert _without_tokens(first) == _without_tokens(second)
    assert _token(first) != _token(second) and len(_token(first)) == 64
    assert CSRF.findall(first) != CSRF.findall(second)
    assert "form" not in _token(second)  # never the placeholder
    assert regency.name in second


def test_a_form_token_passes_only_in_the_browser_it_was_issued_to(regency):
    guest, stranger = Client(), Client()
    data = _form(guest, regency)
    page(stranger, "/lapor/")  # the stranger has a CSRF cookie of their own
    taken = stranger.post("/lapor/", data)
    assert taken.status_code == 200 and "kedaluwarsa" in taken.content.decode()
    assert Report.objects.count() == 0
    sent = guest.post("/lapor/", data)
    assert sent.status_code == 302 and Report.objects.count() == 1
    assert stranger.get(sent["Location"]).status_code == 404  # the secret is not theirs
    assert guest.get(sent["Location"]).status_code == 200


def test_two_forms_from_one_browser_are_two_reports_and_a_resend_is_one(regency):
    guest = Client()
    one, two = _form(guest, regency), _form(guest, regency, title="Lampu jalan padam di pasar")
    assert one["form_token"] != two["form_token"]
    first = guest.post("/lapor/", one)
    assert guest.post("/lapor/", one)["Location"] == first["Location"]  # a resend
    guest.post("/lapor/", two)
    assert Report.objects.count() == 2


def test_signed_in_and_pre_filled_forms_are_rendered_not_kept(regency):
    user = UserFactory()
    signed_in = Client()
    signed_in.force_login(user)
    html = page(signed_in, "/lapor/")
    assert "Anda mengirim sebagai" in html and 'name="contact_email"' not in html
    assert _kept() is None
    agency = AgencyFactory(code="pemkab-3321", name="Pemkab Demak")
    page(Client(), "/lapor/")  # kept now
    preset = page(Client(), f"/lapor/?instansi={agency.code}")
    assert 'value="pemkab-3321"' in preset
    assert 'value="pemkab-3321"' not in page(Client(), "/lapor/")
    assert 'name="contact_email"' in page(Client(), "/lapor/")


def test_a_token_of_another_length_or_mac_is_refused(rf):
    request = rf.get("/lapor/")
    token = tokens.issue(request)
    assert tokens.was_issued(request, token)
    assert not tokens.was_issued(request, token[:-1] + ("0" if token[-1] != "0" else "1"))
    assert not tokens.was_issued(request, token[:32])
    assert not tokens.was_issued(request, "")
