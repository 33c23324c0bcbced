from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from tests.factories import ProvinceFactory, RegencyFactory

# A real 1x1 PNG: the service checks uploads by their content.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_language() -> Iterator[None]:
    """Rate-limit counters live in the cache: every test starts with none used. A request to
    an English page leaves English active in the thread; later tests expect Bahasa Indonesia."""
    cache.clear()
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def regency():  # type: ignore[no-untyped-def]
    return RegencyFactory()


@pytest.fixture
def papua_regency():  # type: ignore[no-untyped-def]
    province = ProvinceFactory(code="94", name="Papua", timezone="Asia/Jayapura")
    return RegencyFactory(
        code="94.71", name="Kota Jayapura", parent=province, kind="kota", timezone="Asia/Jayapura"
    )


@pytest.fixture
def client_en() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    return client


def page(client: Client, url: str, lang: str = "id") -> str:
    """The HTML of ``url`` in ``lang`` (English pages live under /en/)."""
    prefix = "/en" if lang == "en" else ""
    response = client.get(prefix + url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


ANSWER = "Dinas PUPR telah menambal lubang jalan pada 12 Maret; mohon dicek kembali hasilnya."


def answered(report, agency=None):  # type: ignore[no-untyped-def]
    """Dispose ``report`` to an agency and answer it, as the officers would."""
    from lapor.reports import services
    from tests.factories import AgencyFactory, national_admin, officer

    agency = agency or AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    services.report_dispose(report=report, to_agency=agency, actor=national_admin())
    services.report_follow_up(report=report, actor=officer(agency), message=ANSWER)
    return agency
