"""Redis down: the shared cache only saves work and counts, so nothing a citizen or an officer
does may fail with it. A real Redis client against an address where nothing listens."""

from __future__ import annotations

import pytest

from lapor.reports.models import Report
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, officer
from tests.portal.test_submit import _form
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

DOWN = {
    "default": {
        "BACKEND": "lapor.core.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def cache_down(settings):  # type: ignore[no-untyped-def]
    settings.CACHES = DOWN


def test_a_report_is_accepted_while_the_rate_limit_cache_is_down(
    client, regency, cache_down, caplog
):
    response = client.post("/lapor/", _form(client, regency))
    assert response.status_code == 302
    assert Report.objects.count() == 1
    assert "rate limit submit not counted" in caplog.text


def test_the_back_office_counts_its_queues_while_the_cache_is_down(client, regency, cache_down):
    report, _ = report_in("disposed", agency=AgencyFactory())
    user = officer(report.agency, "admin_instansi")
    sign_in(client, user)
    response = client.get("/kantor/antrean/masuk/")
    assert response.status_code == 200
    assert report.tracking_id in response.content.decode()
