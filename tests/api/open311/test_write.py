"""POST requests.{xml,json}: a partner's citizen report becomes a lapor report."""

from __future__ import annotations

import pytest

from lapor.core import ids
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


def test_a_resend_answers_the_report_the_first_request_made(post_request):
    # A partner retrying after a lost answer sends the same request again (Open311 has no key)
    first = json_of(post_request())[0]
    again = [json_of(post_request())[0] for _ in range(2)]
    # Then every answer names the one report, and the secret was given only the first time
    assert Report.objects.count() == 1
    assert {a["service_request_id"] for a in again} == {first["service_request_id"]}
    report = Report.objects.get()
    secret = first["service_notice"].split("kode rahasia ")[1].split(" ")[0]
    assert ids.secret_matches(secret, report.guest_secret_hash)
    assert all("kode rahasia" not in a["service_notice"] for a in again)
    # And a request that differs in any field is another report
    json_of(post_request(description="Jalan di depan pasar Demak berlubang dan tergenang air."))
    assert Report.objects.count() == 2


def test_the_idempotency_key_header_is_honoured_and_guards_its_content(post_request, client):
    headers = {"HTTP_IDEMPOTENCY_KEY": '"a1b2c3"'}
    first = json_of(post_request(_headers=headers))[0]["service_request_id"]
    second = json_of(post_request(_headers=headers))[0]["service_request_id"]
    assert first == second and Report.objects.count() == 1
    # the same key with another request: 422 in the spec's format, nothing filed
    other = post_request(
        "xml", description="Lampu jalan di alun-alun Demak mati sejak seminggu.", _headers=headers
    )
    assert other.status_code == 422 and xml_of(other).findtext("error/code") == "422"
    assert Report.objects.count() == 1
    # a malformed key: 400, nothing filed
    bad = post_request(_headers={"HTTP_IDEMPOTENCY_KEY": '"tanpa tutup'})
    assert bad.status_code == 400 and Report.objects.count() == 1


def test_partner_posts_are_rate_limited_per_key(post_request, settings):
    settings.LAPOR_RATE_OPEN311_WRITE = "1/h"
    assert post_request().status_code == 200
    response = post_request("xml")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert xml_of(response).findtext("error/code") == "429"


def test_post_needs_no_csrf_token(post_request, client):
    client.handler.enforce_csrf_checks = True
    assert post_request().status_code == 200
