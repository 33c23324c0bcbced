"""POST requests.{xml,json}: a partner's citizen report becomes a lapor report."""

from __future__ import annotations

import pytest

from lapor.reports.models import Report
from lapor.reports.privacy import is_public
from tests.api.open311.conftest import json_of, xml_of

pytestmark = pytest.mark.django_db


def test_post_creates_a_partner_report_in_the_coordinates_region_kept_private(
    post_request, partner, demak
):
    # When a partner posts a complete request
    response = post_request("json")
    # Then the answer is the spec's list with the new report's tracking ID
    assert response.status_code == 200
    [answer] = json_of(response)
    report = Report.objects.get(tracking_id=answer["service_request_id"])
    assert answer["account_id"] is None
    assert report.tracking_id in answer["service_notice"]
    # And the report came through the partner channel, from the partner's account
    assert report.channel == Report.Channel.PARTNER
    event = report.events.get()
    assert event.actor_id == partner.partner.user_id and event.actor_role == "mitra"
    # and the citizen stays a guest: the partner's account gains no reporter rights
    assert report.reporter is None and report.guest_secret_hash
    # In Demak, found from the coordinates, with the citizen's contact kept
    assert report.region == demak
    assert report.contact_email == "warga@contoh.id" and report.contact_name == "Siti Aminah"
    # And anonim + rahasia: the safe defaults (Open311 cannot ask for less)
    assert report.is_anonymous and report.is_confidential and not is_public(report)
    assert report.type == Report.Type.PENGADUAN and report.title.startswith("Jalan di depan")


def test_post_in_xml_answers_the_spec_elements(post_request):
    root = xml_of(post_request("xml"))
    assert root.tag == "service_requests"
    [request] = list(root)
    assert request.tag == "request"
    assert [c.tag for c in request] == ["service_request_id", "service_notice", "account_id"]


def test_report_type_attribute_is_taken(post_request):
    [answer] = json_of(post_request(**{"attribute[report_type]": "aspirasi"}))
    assert Report.objects.get(tracking_id=answer["service_request_id"]).type == "aspirasi"


@pytest.mark.parametrize("api_key", [None, "", "mk_uji0001.salah", "tanpa-titik", "mk_lain.x"])
def test_a_missing_or_wrong_api_key_is_a_403_in_the_spec_format(post_request, api_key):
    response = post_request("xml", api_key=api_key)
    assert response.status_code == 403
    root = xml_of(response)
    assert root.tag == "errors"
    [error] = list(root)
    assert error.tag == "error" and [c.tag for c in error] == ["code", "description"]
    assert error.findtext("code") == "403" and "api_key" in (error.findtext("description") or "")
    assert not Report.objects.exists()


def test_a_revoked_key_or_inactive_partner_is_refused(post_request, partner):
    from django.utils import timezone

    partner.key.revoked_at = timezone.now()
    partner.key.save()
    assert post_request().status_code == 403
    partner.key.revoked_at = None
    partner.key.save()
    partner.partner.is_active = False
    partner.partner.save()
    assert post_request().status_code == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"service_code": None}, "service_code wajib"),
        ({"service_code": "tidak-ada"}, "service_code tidak ditemukan"),
        ({"lat": None, "long": None}, "Lokasi wajib"),
        ({"lat": None, "long": None, "address_id": "12"}, "address_id tidak didukung"),
        ({"lat": "utara", "long": "110"}, "angka desimal"),
        ({"lat": "48.85", "long": "2.35"}, "tidak dapat dipetakan"),
        ({"description": None}, "description wajib"),
        ({"description": "Rusak."}, "Isi laporan terlalu pendek"),
        ({"attribute[report_type]": "lain"}, "attribute[report_type]"),
        ({"phone": "12"}, "Nomor telepon tidak valid"),
    ],
)
def test_a_bad_request_is_a_400_saying_what_to_fix(post_request, fields, words):
    response = post_request("json", **fields)
    assert response.status_code == 400
    [error] = json_of(response)
    assert error["code"] == 400 and words in error["description"]
    assert not Report.objects.exists()


def test_an_address_string_naming_the_kabupaten_is_a_location(post_request, demak):
    [answer] = json_of(post_request(lat=None, long=None, address_string="Kabupaten Demak"))
    report = Report.objects.get(tracking_id=answer["service_request_id"])
    assert report.region == demak and report.latitude is None


def test_a_resend_creates_a_second_report(post_request):
    # Open311 has no idempotency key: the same request sent twice is two reports
    # (routing's duplicate detection lets an officer merge them; docs/open311.md says so).
    first = json_of(post_request())[0]["service_request_id"]
    second = json_of(post_request())[0]["service_request_id"]
    assert first != second and Report.objects.count() == 2


def test_partner_posts_are_rate_limited_per_key(post_request, settings):
    settings.LAPOR_RATE_OPEN311_WRITE = "1/h"
    assert post_request().status_code == 200
    response = post_request("xml")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert xml_of(response).findtext("error/code") == "429"


def test_post_needs_no_csrf_token(post_request, client):
    client.handler.enforce_csrf_checks = True
    assert post_request().status_code == 200
