"""GET endpoints: discovery, services, definitions and the public reports as requests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.reports import services as report_services
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from tests.api.open311.conftest import json_of, xml_of
from tests.factories import national_admin, officer, submit

pytestmark = pytest.mark.django_db

ANSWER = "Dinas PUPR telah menambal lubang jalan pada 12 Maret; mohon dicek kembali hasilnya."
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def _public(service, **overrides) -> Report:
    fields = {
        "category": service,
        "is_confidential": False,
        "is_anonymous": True,
        "contact_name": "Siti Aminah",
        "contact_email": "siti@contoh.id",
        **overrides,
    }
    return submit(**fields).report


def test_discovery_in_both_formats(client):
    root = xml_of(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    assert [c.tag for c in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]
    data = json_of(client.get("/open311/v2/discovery.json"))
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]


def test_services_list_the_active_categories(client, service):
    from tests.factories import CategoryFactory

    CategoryFactory(code="lama", name="Lama", is_active=False)
    root = xml_of(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert "jalan-rusak" in codes and "lama" not in codes
    [xml_service] = [s for s in root if s.findtext("service_code") == "jalan-rusak"]
    assert [c.tag for c in xml_service] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert xml_service.findtext("metadata") == "true"
    assert xml_service.findtext("type") == "realtime"
    assert xml_service.findtext("group") == "Infrastruktur"
    [json_service] = [
        s
        for s in json_of(client.get("/open311/v2/services.json"))
        if s["service_code"] == "jalan-rusak"
    ]
    assert json_service["metadata"] is True and json_service["keywords"] == "jalan, lubang"


def test_service_definition_offers_the_report_type(client, service):
    root = xml_of(client.get("/open311/v2/services/jalan-rusak.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "jalan-rusak"
    attribute = root.find("attributes/attribute")
    assert attribute is not None and attribute.findtext("code") == "report_type"
    assert attribute.findtext("datatype") == "singlevaluelist"
    keys = [v.findtext("key") for v in attribute.findall("values/value")]
    assert keys == ["pengaduan", "aspirasi", "informasi"]
    data = json_of(client.get("/open311/v2/services/jalan-rusak.json"))
    assert data["attributes"][0]["required"] is False


def test_unknown_service_definition_is_a_404_in_the_spec_format(client, service):
    response = client.get("/open311/v2/services/tidak-ada.json")
    assert response.status_code == 404
    assert json_of(response)[0]["code"] == 404


def test_unknown_format_suffix_is_a_404(client):
    response = client.get("/open311/v2/services.html")
    assert response.status_code == 404
    assert xml_of(response).tag == "errors"


def test_a_public_report_as_a_request_without_its_reporter(client, service, kab):
    report = _public(service, latitude=-6.894, longitude=110.638)
    report_services.report_dispose(report=report, to_agency=kab, actor=national_admin())
    report_services.report_follow_up(report=report, actor=officer(kab), message=ANSWER)
    response = client.get(f"/open311/v2/requests/{report.tracking_id}.xml")
    root = xml_of(response)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [c.tag for c in request] == REQUEST_FIELDS
    assert request.findtext("service_request_id") == report.tracking_id
    assert request.findtext("status") == "open"
    assert request.findtext("status_notes") == ANSWER
    assert request.findtext("agency_responsible") == kab.name
    assert request.findtext("address") == "Kabupaten Demak, Jawa Tengah"
    assert request.findtext("lat") == "-6.894" and request.findtext("long") == "110.638"
    assert request.findtext("expected_datetime")
    # The anonim reporter's name and contact appear nowhere
    for secret in (b"Siti", b"siti@contoh.id"):
        assert secret not in response.content
        assert secret not in client.get(f"/open311/v2/requests/{report.tracking_id}.json").content
        assert secret not in client.get("/open311/v2/requests.xml").content


def test_a_rahasia_report_never_appears(client, service):
    hidden = submit(category=service).report  # rahasia by default
    assert client.get(f"/open311/v2/requests/{hidden.tracking_id}.json").status_code == 404
    assert client.get(f"/open311/v2/tokens/{hidden.tracking_id}.json").status_code == 404
    listed = json_of(
        client.get(f"/open311/v2/requests.json?service_request_id={hidden.tracking_id}")
    )
    assert listed == []
    assert hidden.tracking_id.encode() not in client.get("/open311/v2/requests.xml").content


def test_an_unknown_request_id_is_a_404_in_the_spec_format(client, db):
    response = client.get("/open311/v2/requests/7KQM3XPAR9TC.xml")
    assert response.status_code == 404
    assert xml_of(response).findtext("error/code") == "404"


def test_token_gives_the_request_id(client, service):
    report = _public(service)
    [found] = json_of(client.get(f"/open311/v2/tokens/{report.tracking_id}.json"))
    assert found["service_request_id"] == report.tracking_id


def test_list_defaults_to_the_last_90_days(client, service):
    recent = _public(service)
    old = _public(service, at=timezone.now() - timedelta(days=91))
    ids = [r["service_request_id"] for r in json_of(client.get("/open311/v2/requests.json"))]
    assert ids == [recent.tracking_id]
    # An explicit window reaches further back, and service_request_id ignores the window
    start = (timezone.now() - timedelta(days=100)).date().isoformat()
    ids = [
        r["service_request_id"]
        for r in json_of(client.get(f"/open311/v2/requests.json?start_date={start}"))
    ]
    assert set(ids) == {recent.tracking_id, old.tracking_id}
    ids = [
        r["service_request_id"]
        for r in json_of(
            client.get(f"/open311/v2/requests.json?service_request_id={old.tracking_id}")
        )
    ]
    assert ids == [old.tracking_id]


def test_list_stops_at_1000(client, service, monkeypatch):
    from lapor.api.open311 import views

    monkeypatch.setattr(views, "MAX_REQUESTS", 2)  # the same cut, without 1,001 reports
    for _ in range(3):
        _public(service)
    assert len(json_of(client.get("/open311/v2/requests.json"))) == 2
    assert timedelta(days=90) == views.WINDOW


def test_status_filter_maps_lapor_statuses(client, service):
    open_report = _public(service)
    done = _public(service)
    Report.objects.filter(pk=done.pk).update(status=Status.COMPLETED)
    archived = _public(service)
    Report.objects.filter(pk=archived.pk).update(status=Status.ARCHIVED)

    def listed(query: str) -> set[str]:
        return {
            r["service_request_id"]
            for r in json_of(client.get(f"/open311/v2/requests.json?{query}"))
        }

    assert listed("status=open") == {open_report.tracking_id}
    assert listed("status=closed") == {done.tracking_id, archived.tracking_id}
    assert len(listed("status=open,closed")) == 3


@pytest.mark.parametrize(
    "query",
    [
        "start_date=kemarin",
        "end_date=2026-13-01",
        "start_date=2026-12-02&end_date=2026-12-01",
        "status=baru",
    ],
)
def test_malformed_list_parameters_are_a_400(client, db, query):
    response = client.get(f"/open311/v2/requests.xml?{query}")
    assert response.status_code == 400
    assert xml_of(response).findtext("error/code") == "400"


def test_w3c_datetime_with_an_unencoded_plus_is_read(client, service):
    report = _public(service)
    response = client.get("/open311/v2/requests.json?start_date=2020-01-01T00:00:00+07:00")
    assert [r["service_request_id"] for r in json_of(response)] == [report.tracking_id]


def test_a_foreign_jurisdiction_is_a_404(client, db):
    assert client.get("/open311/v2/services.json?jurisdiction_id=contoh.org").status_code == 404
    assert client.get("/open311/v2/services.json?jurisdiction_id=testserver").status_code == 200


def test_a_public_point_is_rounded_as_on_the_public_map(client, service):
    """The exact point could be the reporter's house: Open311 gives it rounded to ~110 m, as
    the public map does (``privacy.public_coordinate``)."""
    report = _public(service, latitude="-6.894567", longitude="110.638123")
    [found] = json_of(client.get(f"/open311/v2/requests/{report.tracking_id}.json"))
    assert (found["lat"], found["long"]) == (-6.895, 110.638)
    text = client.get(f"/open311/v2/requests/{report.tracking_id}.xml").content
    assert b"894567" not in text and b"638123" not in text
