"""Factories for every model; reports are made through the real service functions."""

from __future__ import annotations

import factory
from django.utils import timezone

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership
from lapor.categories.models import Category
from lapor.regions.models import Region


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "33"
    name = "Jawa Tengah"
    level = Region.Level.PROVINSI
    kind = Region.Kind.PROVINSI
    timezone = "Asia/Jakarta"


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "33.21"
    name = "Kabupaten Demak"
    level = Region.Level.KABUPATEN_KOTA
    kind = Region.Kind.KABUPATEN
    parent = factory.SubFactory(ProvinceFactory)
    timezone = factory.LazyAttribute(lambda o: o.parent.timezone)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"instansi-{n}")
    name = factory.Sequence(lambda n: f"Instansi Uji {n}")
    kind = Agency.Kind.REGENCY
    timezone = "Asia/Jakarta"


class UnitFactory(AgencyFactory):
    kind = Agency.Kind.UNIT
    unit_type = "dinkes"
    parent = factory.SubFactory(AgencyFactory)
    timezone = factory.LazyAttribute(lambda o: o.parent.timezone)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"kategori-{n}")
    name = factory.Sequence(lambda n: f"Kategori {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"pengguna{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@contoh.go.id")
    password = factory.django.Password("rahasia-uji-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Membership.Role.AGENCY_ADMIN


def national_admin() -> User:
    root = AgencyFactory(code="kemenpanrb", name="Kementerian PANRB", kind=Agency.Kind.NATIONAL)
    return MembershipFactory(role=Membership.Role.NATIONAL_ADMIN, agency=root).user


def officer(agency: Agency, role: str = Membership.Role.AGENCY_ADMIN) -> User:
    return MembershipFactory(agency=agency, role=role).user


def submit(**overrides):  # type: ignore[no-untyped-def]
    """A report submitted by a guest through ``report_submit``; returns ``Submitted``."""
    from lapor.reports.services import report_submit

    fields = {
        "type": "pengaduan",
        "title": "Jalan rusak di depan pasar",
        "body": "Jalan di depan pasar berlubang besar sejak dua bulan, membahayakan pengendara.",
        "region": overrides.pop("region", None) or RegencyFactory(),
        "channel": "web",
        "contact_name": "Siti Aminah",
        "contact_email": "siti@contoh.id",
        "at": timezone.now(),
    }
    fields.update(overrides)
    return report_submit(**fields)
