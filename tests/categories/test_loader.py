"""The project's topic taxonomy and the national SLA default."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lapor.categories.loader import load_categories, load_default_sla, read_taxonomy
from lapor.categories.models import Category, SlaPolicy
from lapor.reports.sla import policy_for

pytestmark = pytest.mark.django_db


def test_the_taxonomy_has_two_levels_with_names_in_both_languages() -> None:
    # When the categories are loaded
    result = load_categories()

    # Then there are 25-40 main categories, each with sub-categories
    mains = Category.objects.filter(parent__isnull=True)
    assert 25 <= mains.count() <= 40
    assert result.created == Category.objects.count()
    assert not mains.filter(children__isnull=True).exists()
    assert not Category.objects.filter(parent__parent__isnull=False).exists()
    # And the topics a citizen complains about most are there, named in Indonesian and English
    ktp = Category.objects.get(code="kependudukan-ktp-el")
    assert ktp.parent is not None and ktp.parent.name == "Kependudukan dan Pencatatan Sipil"
    assert ktp.name_en == "Electronic ID card" and "e-ktp" in ktp.keywords
    for code in [
        "kesehatan-jkn",
        "kesehatan-puskesmas",
        "pendidikan-penerimaan-murid",
        "pendidikan-kip-pip",
        "infrastruktur-jalan",
        "perhubungan",
        "lingkungan",
        "bantuan-sosial",
        "ketenagakerjaan",
        "pertanahan",
        "perpajakan",
        "energi",
        "air-bersih",
        "ketertiban",
        "korupsi-pungli",
        "pelayanan-publik",
        "lainnya",
    ]:
        assert Category.objects.filter(code=code).exists(), code
    assert all(c.name and c.name_en for c in Category.objects.exclude(code__startswith="lainnya"))


def test_codes_are_unique_and_a_second_load_writes_nothing() -> None:
    codes = [spec.code for spec in read_taxonomy()]
    assert len(codes) == len(set(codes))
    load_categories()
    Category.objects.filter(code="kesehatan").update(name="Kesehatan (lama)")

    again = load_categories()

    assert (again.created, again.updated) == (0, 1)
    assert Category.objects.get(code="kesehatan").name == "Kesehatan"
    assert load_categories().updated == 0


def test_the_national_default_sla_is_version_one_with_the_sop_limits() -> None:
    # When the default policy is loaded twice
    policy, created = load_default_sla()
    _, created_again = load_default_sla()

    # Then one row exists: 3/5/10 working days, 60 days to complete
    assert created and not created_again
    assert SlaPolicy.objects.count() == 1
    limits = (policy.verify_days, policy.followup_days, policy.autoclose_days)
    assert (policy.version, *limits, policy.completion_days) == (1, 3, 5, 10, 60)
    assert (policy.agency_id, policy.category_id) == (None, None)
    # And it applies to a report submitted any time since Perpres 76/2013
    assert policy_for(None, None, datetime(2020, 5, 1, tzinfo=UTC)) == policy
