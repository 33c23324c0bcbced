"""Hot pages render with a constant number of queries and stay light for a slow phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.factories import AgencyFactory, CategoryFactory, submit
from tests.portal.conftest import answered

pytestmark = pytest.mark.django_db
BUDGET = 150 * 1024  # first load, without user images


def _reports(n: int) -> list:  # type: ignore[type-arg]
    agency = AgencyFactory(code="pemkab-3321")
    category = CategoryFactory(code="jalan")
    made = [
        submit(title=f"Jalan rusak nomor {i}", is_confidential=False, category=category).report
        for i in range(n)
    ]
    answered(made[0], agency)
    return made


@pytest.mark.parametrize(
    ("url", "limit"),
    # a search on PostgreSQL adds its time budget: a savepoint, the setting, its rollback
    [("/", 3), ("/laporan/", 5), ("/laporan/?q=jalan&status=open&region=33", 8)],
)
def test_lists_take_a_constant_number_of_queries(client, url, limit, django_assert_max_num_queries):
    _reports(25)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_report_and_track_pages_take_few_queries(client, django_assert_max_num_queries):
    report = _reports(3)[0]
    with django_assert_max_num_queries(4):  # the version, then the page (kept afterwards)
        assert client.get(f"/laporan/{report.tracking_id}/").status_code == 200
    with django_assert_max_num_queries(1):  # the version: the page is kept
        assert client.get(f"/laporan/{report.tracking_id}/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(f"/lacak/{report.tracking_id}/").status_code == 200


def _all_regencies() -> int:
    """Every province and kabupaten/kota of the shipped reference list, as the submit page
    shows them in production."""
    from lapor.regions.models import Region

    path = Path(settings.BASE_DIR) / "lapor" / "regions" / "data" / "regions.tsv"
    rows = [
        line.split("\t")
        for line in path.read_text().splitlines()
        if line and not line.startswith(("#", "code\t"))
    ]
    for code, name, kind, tz in rows:
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "timezone": tz,
                "level": "provinsi" if kind == "provinsi" else "kabupaten_kota",
                "parent_id": code.split(".")[0] if "." in code else None,
            },
        )
    return len(rows)


def test_first_load_is_under_150_kb(client):
    css = finders.find("portal/site.css")
    assert css
    with open(css, "rb") as fh:
        css_size = len(fh.read())
    assert _all_regencies() > 500
    report = _reports(25)[0]
    for url in ("/", "/lapor/", "/laporan/", f"/laporan/{report.tracking_id}/", "/lacak/"):
        html = client.get(url).content
        assert len(html) + css_size < BUDGET, (url, len(html), css_size)
