"""The public API, endpoint by endpoint, as a client without an account sees it."""

from __future__ import annotations

import pytest

from lapor.reports.services import report_support
from lapor.routing.duplicates import index_report
from tests.factories import AgencyFactory, CategoryFactory, ProvinceFactory, RegencyFactory

pytestmark = pytest.mark.django_db


def test_categories_list_the_active_ones_in_the_request_language(api):
    # given a main category with an English name and an inactive one
    CategoryFactory(code="infrastruktur", name="Infrastruktur", name_en="Infrastructure")
    CategoryFactory(code="lama", name="Kategori lama", is_active=False)

    # when a client lists categories in Indonesian and in English
    in_id = api.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="id").json()
    in_en = api.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="en").json()

    # then each language names it its own way, and the inactive one is absent
    assert [c["name"] for c in in_id] == ["Infrastruktur"]
    assert [c["name"] for c in in_en] == ["Infrastructure"]


def test_regions_start_at_provinces_and_descend_by_parent(api):
    # given a province with a regency
    RegencyFactory(code="33.21", name="Kabupaten Demak")

    # when a client lists regions, then the children of the province
    provinces = api.get("/api/v1/regions/").json()
    regencies = api.get("/api/v1/regions/", {"parent": "33"}).json()

    # then
    assert [(r["code"], r["level"]) for r in provinces] == [("33", "provinsi")]
    assert [(r["code"], r["parent"]) for r in regencies] == [("33.21", "33")]


def test_unknown_parent_region_is_a_404_naming_the_field(api):
    ProvinceFactory()
    response = api.get("/api/v1/regions/", {"parent": "99.99"})
    assert response.status_code == 404
    assert response.json()["field"] == "parent"


def test_agencies_are_searchable_by_name(api):
    # given two agencies
    parent = AgencyFactory(code="pemkab-demak", name="Pemerintah Kabupaten Demak")
    AgencyFactory(code="dinkes-demak", name="Dinas Kesehatan Demak", parent=parent)
    AgencyFactory(code="pln", name="PT PLN (Persero)")

    # when a client searches "kesehatan"
    body = api.get("/api/v1/agencies/", {"q": "kesehatan"}).json()

    # then only the matching agency comes, with its parent's code
    assert [(a["code"], a["parent"]) for a in body["results"]] == [("dinkes-demak", "pemkab-demak")]
    assert body["next"] is None


def test_report_list_filters_like_the_portal(api, public_report):
    # given two public reports in different categories
    roads = CategoryFactory(code="jalan", name="Jalan")
    water = CategoryFactory(code="air", name="Air bersih")
    road = public_report(title="Jalan rusak di pasar", category=roads)
    public_report(title="Air PDAM mati", body="Air tidak mengalir tiga hari.", category=water)

    # when a client filters by category
    body = api.get("/api/v1/reports/", {"category": "jalan"}).json()

    # then only that category's report is listed, with what a list row shows
    assert [r["tracking_id"] for r in body["results"]] == [road.tracking_id]
    row = body["results"][0]
    assert row["category"]["code"] == "jalan"
    assert row["region"] == {"code": "33.21", "name": "Kabupaten Demak"}
    assert "body" not in row and "reporter_name" not in row


def test_report_list_full_text_search(api, public_report):
    public_report(title="Lampu jalan mati", body="Lampu perempatan mati seminggu.")
    public_report(title="Sampah menumpuk", body="Sampah pasar tidak diangkut.")
    body = api.get("/api/v1/reports/", {"q": "sampah"}).json()
    assert [r["title"] for r in body["results"]] == ["Sampah menumpuk"]


def test_report_list_refuses_a_date_beyond_the_platform_years(api):
    # given a date typed into the address far in the future (it would overflow the arithmetic)
    response = api.get("/api/v1/reports/", {"until": "9999-12-31"})

    # then a field error, not a 500
    assert response.status_code == 400
    assert response.json()["field"] == "until"
    assert response.json()["code"] == "out_of_range"


def test_report_list_is_bounded_in_queries(api, public_report, django_assert_max_num_queries):
    # given many public reports
    for i in range(12):
        public_report(title=f"Jalan rusak nomor {i}")

    # when a client reads a page of them, then a constant number of queries answers it
    with django_assert_max_num_queries(3):
        body = api.get("/api/v1/reports/", {"limit": 10}).json()
    assert len(body["results"]) == 10


def test_agency_list_is_bounded_in_queries(api, django_assert_max_num_queries):
    parent = AgencyFactory()
    for _ in range(8):
        AgencyFactory(parent=parent)
    with django_assert_max_num_queries(2):
        body = api.get("/api/v1/agencies/").json()
    assert len(body["results"]) == 9


def test_report_detail_shows_the_public_page(api, public_report):
    # given a public report with a supporter
    report = public_report(title="Jembatan retak", body="Jembatan desa retak di tengah.")
    report_support(report=report, contact_email="warga@contoh.id")

    # when a client asks for it (the tracking ID typed in lower case with a dash)
    tid = report.tracking_id
    response = api.get(f"/api/v1/reports/{tid[:4].lower()}-{tid[4:].lower()}/")

    # then its text, reporter's public name, history and support count come
    body = response.json()
    assert response.status_code == 200
    assert body["tracking_id"] == tid
    assert body["body"] == "Jembatan desa retak di tengah."
    assert body["reporter_name"] == "Siti Aminah"
    assert body["support_count"] >= 0
    assert [e["action"] for e in body["timeline"]][:1] == ["submit"]
    assert body["attachments"] == []


def test_anonim_reporter_is_named_anonim(api, public_report):
    report = public_report(is_anonymous=True)
    body = api.get(f"/api/v1/reports/{report.tracking_id}/").json()
    assert body["reporter_name"] == "Anonim"
    assert "Siti" not in str(body)


def test_rahasia_report_answers_as_a_missing_one(api, public_report):
    # given a rahasia report
    secret = public_report(is_confidential=True)

    # when a client asks for it and for a tracking ID that does not exist
    hidden = api.get(f"/api/v1/reports/{secret.tracking_id}/")
    missing = api.get("/api/v1/reports/ZZZZZZZZZZ/")

    # then both answers are the same 404
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_track_shows_steps_of_a_rahasia_report_but_not_its_content(api, public_report):
    # given a rahasia report
    report = public_report(is_confidential=True, title="Pungli di kantor desa")

    # when a visitor holding only its tracking ID tracks it
    body = api.get(f"/api/v1/track/{report.tracking_id}/").json()

    # then the status and steps come, the title and text do not
    assert body["status"] == report.status
    assert body["is_public"] is False
    assert body["title"] is None and body["body"] is None
    assert [e["action"] for e in body["timeline"]][:1] == ["submit"]
    assert "Pungli" not in str(body) and "Siti" not in str(body)


def test_track_shows_content_of_a_public_report(api, public_report):
    report = public_report(title="Jalan berlubang")
    body = api.get(f"/api/v1/track/{report.tracking_id}/").json()
    assert body["title"] == "Jalan berlubang"


def test_track_unknown_id_is_404_in_the_error_shape(api, db):
    response = api.get("/api/v1/track/ZZZZZZZZZZ/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_similar_reports_find_an_open_public_report_and_never_a_rahasia_one(api, public_report):
    # given an open public report and a rahasia one of the same text
    text = (
        "Jalan di depan pasar berlubang besar sejak dua bulan, membahayakan pengendara "
        "motor setiap malam karena lampu jalan juga mati."
    )
    shown = public_report(title="Jalan rusak di depan pasar", body=text)
    hidden = public_report(title="Jalan rusak di depan pasar", body=text, is_confidential=True)
    for report in (shown, hidden):
        index_report(report)  # the routing job's work

    # when a citizen types the same text (GET and POST)
    got = api.get(
        "/api/v1/reports/similar/", {"region": "33.21", "title": shown.title, "text": text}
    )
    posted = api.post(
        "/api/v1/reports/similar/", {"region": "33.21", "title": shown.title, "text": text}
    )

    # then the public one is offered, and only it
    assert got.status_code == posted.status_code == 200, got.json()
    assert [r["tracking_id"] for r in got.json()] == [shown.tracking_id]
    assert posted.json() == got.json()
    assert got.json()[0]["similarity"] > 0.5


def test_similar_reports_need_a_text(api, db):
    response = api.get("/api/v1/reports/similar/", {"region": "33.21"})
    assert response.status_code == 400
    assert response.json()["field"] == "text"
    assert response.json()["code"] == "required"


def test_a_nul_byte_in_a_query_is_answered_not_a_server_error(api):
    # PostgreSQL refuses NUL in text: found by schemathesis as a 500 on /regions/?parent=
    region = api.get("/api/v1/regions/", {"parent": "33\x00"})
    agencies = api.get("/api/v1/agencies/", {"q": "Demak\x00"})

    assert (region.status_code, region.json()["field"]) == (404, "parent")
    assert agencies.status_code == 200
