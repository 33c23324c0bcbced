"""Public reads: ETag/304 and shared caching, and keyset pages that hold still while new reports
arrive."""

from __future__ import annotations

import pytest

from lapor.reports.services import report_support

pytestmark = pytest.mark.django_db


def test_report_detail_answers_304_while_unchanged(api, public_report):
    # given a client that read a report once
    report = public_report()
    url = f"/api/v1/reports/{report.tracking_id}/"
    first = api.get(url)
    tag = first["ETag"]

    # when it asks again with If-None-Match
    again = api.get(url, HTTP_IF_NONE_MATCH=tag)

    # then 304 without a body, cacheable publicly for a minute, varying by language
    assert tag.startswith('W/"')
    assert again.status_code == 304 and again.content == b""
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert "Accept-Language" in first["Vary"]


def test_etag_changes_when_the_report_does_and_with_the_language(api, public_report, citizen):
    # given a client holding a report's ETag
    report = public_report()
    url = f"/api/v1/reports/{report.tracking_id}/"
    tag = api.get(url)["ETag"]
    assert api.get(url, HTTP_ACCEPT_LANGUAGE="en")["ETag"] != tag

    # when a citizen supports the report
    report_support(report=report, user=citizen)

    # then the client's copy is stale: the new count comes
    changed = api.get(url, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed.json()["support_count"] == 1


def test_list_page_answers_304_until_a_new_report_arrives(api, public_report):
    public_report(title="Pertama")
    tag = api.get("/api/v1/reports/")["ETag"]
    assert api.get("/api/v1/reports/", HTTP_IF_NONE_MATCH=tag).status_code == 304

    public_report(title="Kedua")
    assert api.get("/api/v1/reports/", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_pages_are_stable_when_new_reports_arrive_between_them(api, public_report):
    # given five public reports
    first_five = [public_report(title=f"Laporan {i}").tracking_id for i in range(5)]

    # when a client reads the first page of two, three new reports arrive, then it follows next
    page1 = api.get("/api/v1/reports/", {"limit": 2}).json()
    for i in range(3):
        public_report(title=f"Baru {i}")
    seen = [r["tracking_id"] for r in page1["results"]]
    url = page1["next"]
    while url:
        page = api.get(url).json()
        seen += [r["tracking_id"] for r in page["results"]]
        url = page["next"]

    # then it saw each of the original five exactly once, newest first, none of the new ones
    assert seen == list(reversed(first_five))


def test_limit_out_of_range_and_a_forged_cursor_are_field_errors(api, db):
    too_many = api.get("/api/v1/reports/", {"limit": 101}).json()
    forged = api.get("/api/v1/reports/", {"cursor": "not-a-cursor!"}).json()
    assert (too_many["code"], too_many["field"]) == ("out_of_range", "limit")
    assert (forged["code"], forged["field"]) == ("invalid_cursor", "cursor")


def test_a_report_rendered_once_is_answered_from_the_cache_until_it_changes(
    api, public_report, django_assert_num_queries
):
    # given a public report read once (rendered and stored)
    report = public_report()
    url = f"/api/v1/reports/{report.tracking_id}/"
    first = api.get(url)
    assert first.status_code == 200

    # when it is read again: one indexed read of its version, the rest from the cache
    with django_assert_num_queries(1):
        again = api.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]

    track = f"/api/v1/track/{report.tracking_id}/"
    assert api.get(track).json()["title"] == report.title  # stored too

    # when the national admin makes it rahasia (an event: a new version)
    from lapor.reports.services import report_set_privacy
    from tests.factories import national_admin

    report_set_privacy(
        report=report, actor=national_admin(), is_anonymous=True, is_confidential=True
    )

    # then the very next reads are the 404 and the tracker's view, not the stored answers
    assert api.get(url).status_code == 404
    assert api.get(track).json()["title"] is None
