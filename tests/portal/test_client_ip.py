"""Behind the reverse proxy every request comes from the proxy's address: the rate limits per
IP count the citizen's own address, from the header the proxy sets (CLIENT_IP_HEADER)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from lapor.portal.limits import client_ip

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


@pytest.fixture
def behind_proxy(settings):  # type: ignore[no-untyped-def]
    settings.LAPOR_CLIENT_IP_META = "HTTP_X_REAL_IP"
    settings.LAPOR_RATE_TRACK = "2/m"
    return settings


def _look_up(client, address: str | None) -> int:  # type: ignore[no-untyped-def]
    headers = {"REMOTE_ADDR": PROXY}
    if address is not None:
        headers["HTTP_X_REAL_IP"] = address
    return int(client.get("/lacak/", {"id": "ABCD-EFGH-JKLM"}, **headers).status_code)


def test_each_citizen_behind_the_proxy_has_a_limit_of_their_own(client, behind_proxy):
    # Given one citizen who used up the track look-ups of this minute
    assert [_look_up(client, "36.80.1.1") for _ in range(2)] == [200, 200]
    assert _look_up(client, "36.80.1.1") == 429
    # Then another citizen, through the same proxy, is not refused
    assert _look_up(client, "114.4.2.2") == 200


def test_without_the_setting_everyone_behind_the_proxy_shares_one_limit(client, settings):
    # The failure CLIENT_IP_HEADER exists for (production refuses to start without it).
    settings.LAPOR_RATE_TRACK = "2/m"
    assert [_look_up(client, "36.80.1.1") for _ in range(2)] == [200, 200]
    assert _look_up(client, "114.4.2.2") == 429


def test_a_list_counts_the_address_the_proxy_added_last(behind_proxy):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="6.6.6.6, 36.80.1.1")
    assert client_ip(request) == "36.80.1.1"


def test_a_missing_or_forged_header_falls_back_to_the_connection(behind_proxy, caplog):
    missing = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    forged = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_REAL_IP="<script>")
    assert client_ip(missing) == "10.1.2.3"
    assert client_ip(forged) == "10.1.2.3"
    assert "holds no address" in caplog.text


def test_a_request_without_a_usable_address_is_still_answered(client, behind_proxy):
    assert _look_up(client, "not-an-address") == 200
