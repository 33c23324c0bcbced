"""The public page of a report is kept per report version, language and host: a later visit
costs one query, a change shows at once, a report that stops being public answers 404 at once,
and a signed-in visitor's page is never kept."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from lapor.portal import report_cache, track_cache
from lapor.reports import services
from lapor.reports.models import Report
from tests.factories import AgencyFactory, UserFactory, national_admin, submit
from tests.portal.conftest import ANSWER, answered, page

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _public() -> Report:
    return submit(is_confidential=False, is_anonymous=False).report


def _url(report: Report) -> str:
    return f"/laporan/{report.tracking_id}/"


def test_a_second_visit_costs_one_query_with_the_visitors_own_token(django_assert_num_queries):
    report = _public()
    first = page(Client(), _url(report))
    version = report_cache.public_version(report.tracking_id)
    assert version is not None
    assert cache.get(report_cache.key(report.tracking_id, "id", "testserver", version))
    with django_assert_num_queries(1):  # the version and privacy, by the unique index
        second = page(Client(), _url(report))
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    assert TOKEN.findall(first) != TOKEN.findall(second)


def test_support_and_answers_show_at_once():
    report = _public()
    assert 'id="support-count">0<' in page(Client(), _url(report))
    services.report_support(report=report, user=UserFactory())
    assert 'id="support-count">1<' in page(Client(), _url(report))
    answered(report, AgencyFactory(name="Dinas Pekerjaan Umum Demak"))
    assert ANSWER in page(Client(), _url(report))


def test_a_report_made_rahasia_or_merged_answers_404_at_once():
    report, other, target = _public(), _public(), _public()
    for r in (report, other):
        assert page(Client(), _url(r))  # kept
    services.report_set_privacy(
        report=report, actor=national_admin(), is_anonymous=True, is_confidential=True
    )
    assert Client().get(_url(report)).status_code == 404
    for r in (other, target):
        services.report_send_to_triage(report=r)
    services.report_merge(report=other, into=target, actor=national_admin())
    assert Client().get(_url(other)).status_code == 404


def test_a_signed_in_visit_is_rendered_for_them_and_never_kept():
    report = _public()
    signed_in = Client()
    signed_in.force_login(UserFactory())
    assert "Keluar" in page(signed_in, _url(report))
    track_cache.recent.clear()
    version = report_cache.public_version(report.tracking_id)
    assert version is not None
    assert cache.get(report_cache.key(report.tracking_id, "id", "testserver", version)) is None
    assert "Keluar" not in page(Client(), _url(report))


def test_a_phone_checking_again_gets_304_until_the_report_changes():
    report = _public()
    phone = Client()
    first = phone.get(_url(report))
    tag = first["ETag"]
    assert phone.get(_url(report), headers={"if-none-match": tag}).status_code == 304
    services.report_support(report=report, user=UserFactory())
    again = phone.get(_url(report), headers={"if-none-match": tag})
    assert again.status_code == 200 and again["ETag"] != tag


def test_the_release_digest_reads_every_file_it_names():
    missing = [n for n in report_cache._SOURCES if not (track_cache._PACKAGE / n).exists()]
    assert missing == []
