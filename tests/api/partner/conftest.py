"""Fixtures of the partner API's tests: a partner speaking for one kabupaten (``partner``),
its client credentials (``credentials``), a partner client holding a fresh token
(``partner_api``), a report disposed to its agency (``disposed``) and the JSON body of a pushed
report (``inbound``)."""

from __future__ import annotations

from typing import Any

import pytest

from lapor.agencies.models import Agency
from lapor.api.models import Partner
from lapor.api.partners import partner_create, partner_issue_key
from lapor.api.tokens import Audience, token_issue
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from tests.api.conftest import ApiClient
from tests.factories import AgencyFactory, RegencyFactory, national_admin
from tests.reports.states import report_in


@pytest.fixture
def admin(db: None) -> Any:
    return national_admin()


@pytest.fixture
def kab(db: None) -> Agency:
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


@pytest.fixture
def other_agency(db: None) -> Agency:
    return AgencyFactory(code="pemkot-3374", name="Pemerintah Kota Semarang")


@pytest.fixture
def partner(kab: Agency, admin: Any) -> Partner:
    return partner_create(code="elapor-demak", name="e-LAPOR! Demak", agencies=[kab], actor=admin)


@pytest.fixture
def credentials(partner: Partner, admin: Any) -> tuple[str, str]:
    return partner_issue_key(partner=partner, actor=admin)


@pytest.fixture
def partner_api(partner: Partner) -> ApiClient:
    access, _refresh = token_issue(user=partner.user, audience=Audience.PARTNER, partner=partner)
    return ApiClient().as_token(access)


@pytest.fixture
def disposed(kab: Agency) -> Report:
    report, _secret = report_in(Status.DISPOSED, agency=kab)
    return report


@pytest.fixture
def inbound(db: None) -> dict[str, Any]:
    region = RegencyFactory()
    return {
        "external_id": "DMK-2026-0042",
        "external_url": "https://elapor.demakkab.go.id/aduan/42",
        "type": "pengaduan",
        "title": "Lampu jalan mati di Jalan Sultan Fatah",
        "body": "Sudah dua minggu lampu jalan di depan masjid mati, jalan gelap dan rawan.",
        "region": region.code,
        "contact": {"name": "Ahmad Fauzi", "email": "ahmad@contoh.id"},
    }
