"""Fixtures of the Open311 tests: Demak (its province and kabupaten, so coordinates there find
a region), a service (category), a partner with an ``api_key`` made row by row (the partner
services are another area's), and the XML/JSON readers of the answers."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import HttpResponse

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership
from lapor.api.models import Partner, PartnerKey
from lapor.categories.models import Category
from lapor.regions.models import Region
from tests.factories import AgencyFactory, CategoryFactory, RegencyFactory

DEMAK = ("-6.894", "110.638")  # the town of Demak, Central Java
SECRET = "rahasia-mitra-uji-0123456789abcdefghijklmnop"


@dataclass
class PartnerWithKey:
    partner: Partner
    key: PartnerKey
    api_key: str


@pytest.fixture
def demak(db: None) -> Region:
    return RegencyFactory()


@pytest.fixture
def kab(db: None) -> Agency:
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


@pytest.fixture
def service(db: None) -> Category:
    parent = CategoryFactory(code="infrastruktur", name="Infrastruktur")
    return CategoryFactory(
        code="jalan-rusak",
        name="Jalan rusak",
        parent=parent,
        keywords=["jalan", "lubang"],
    )


@pytest.fixture
def partner(kab: Agency) -> PartnerWithKey:
    user = User.objects.create_user(username="mitra-kota-uji", first_name="Aplikasi Kota Uji")
    user.set_unusable_password()
    user.save()
    partner = Partner.objects.create(code="kota-uji", name="Aplikasi Kota Uji", user=user)
    Membership.objects.create(user=user, agency=kab, role=Membership.Role.PARTNER)
    key = PartnerKey.objects.create(
        partner=partner,
        key_id="mk_uji0001",
        secret_hash=hashlib.sha256(SECRET.encode()).hexdigest(),
    )
    return PartnerWithKey(partner, key, f"{key.key_id}.{SECRET}")


def xml_of(response: HttpResponse) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(response.content)  # noqa: S314 - our own answer, parsed in a test


def json_of(response: HttpResponse) -> Any:
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


@pytest.fixture
def post_request(
    client: Any, partner: PartnerWithKey, service: Category, demak: Region
) -> Callable[..., HttpResponse]:
    """POST requests.<fmt> with a complete, valid form; keyword arguments replace fields
    (``None`` leaves one out)."""

    def post(
        fmt: str = "json", _headers: dict[str, str] | None = None, **fields: str | None
    ) -> HttpResponse:
        form: dict[str, str | None] = {
            "api_key": partner.api_key,
            "service_code": service.code,
            "lat": DEMAK[0],
            "long": DEMAK[1],
            "description": "Jalan di depan pasar Demak berlubang besar dan membahayakan.",
            "email": "warga@contoh.id",
            "first_name": "Siti",
            "last_name": "Aminah",
            **fields,
        }
        data = {k: v for k, v in form.items() if v is not None}
        return client.post(  # type: ignore[no-any-return]
            f"/open311/v2/requests.{fmt}", data, **(_headers or {})
        )

    return post
