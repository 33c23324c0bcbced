"""National admins manage a partner's webhooks in the back office: create (secret shown once),
read the delivery log, redeliver, re-enable, rotate the secret. Other officers cannot."""

from __future__ import annotations

import pytest
from django.test import Client

from lapor.api.partners import partner_deactivate
from lapor.api.webhooks import signing
from lapor.api.webhooks.delivery import deliver_due
from lapor.api.webhooks.models import WebhookDelivery, WebhookEndpoint
from lapor.reports import services
from tests.backoffice.conftest import sign_in
from tests.factories import officer, submit

pytestmark = pytest.mark.django_db
BASE = "/kantor/mitra/elapor-demak/webhook/"


def test_an_admin_creates_an_endpoint_and_sees_the_secret_once(partner, admin):
    client = sign_in(Client(), admin)
    # When the admin adds an endpoint
    page = client.post(
        BASE, {"url": "https://mitra.contoh.id/hooks", "event_types": ["report.disposed"]}
    )
    # Then the page shows the secret the endpoint signs with
    endpoint = WebhookEndpoint.objects.get()
    secret = signing.decrypt(endpoint.secret_encrypted)
    assert page.status_code == 200 and secret in page.content.decode()
    assert endpoint.event_types == ["report.disposed"]
    # And the list page never shows it again
    listed = client.get(BASE).content.decode()
    assert "https://mitra.contoh.id/hooks" in listed and secret not in listed


def test_a_wrong_url_is_refused_with_what_to_do(partner, admin):
    client = sign_in(Client(), admin)
    page = client.post(BASE, {"url": "mitra.contoh.id", "event_types": ["report.disposed"]})
    assert page.status_code == 400
    assert "https://" in page.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_log_shows_deliveries_and_an_admin_redelivers_and_re_enables(
    kab, endpoint, partner, admin
):
    report = submit().report
    services.report_dispose(report=report, to_agency=kab, actor=None)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.ABANDONED, attempts=11, last_status_code=500
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False, disabled_reason="HTTP 410 Gone"
    )
    client = sign_in(Client(), admin)
    log = f"{BASE}{endpoint.pk}/"
    # The log shows the delivery, its status and last answer
    text = client.get(log).content.decode()
    assert report.tracking_id in text and "HTTP 500" in text and "HTTP 410 Gone" in text
    # When the admin redelivers it and enables the endpoint again
    assert client.post(f"{log}kirim-ulang/{delivery.pk}/").status_code == 302
    assert client.post(f"{log}aktifkan/").status_code == 302
    # Then the delivery waits to be sent and the endpoint is active
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 0
    assert endpoint.is_active


def test_enabling_an_endpoint_of_a_deactivated_partner_is_refused_with_the_reason(
    endpoint, partner, admin
):
    partner_deactivate(partner=partner, actor=admin)
    client = sign_in(Client(), admin)
    log = f"{BASE}{endpoint.pk}/"
    answer = client.post(f"{log}aktifkan/", follow=True)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "sudah dinonaktifkan" in answer.content.decode()


def test_rotating_shows_a_new_secret(endpoint, admin, receiver):
    client = sign_in(Client(), admin)
    page = client.post(f"{BASE}{endpoint.pk}/rahasia/")
    endpoint.refresh_from_db()
    new = signing.decrypt(endpoint.secret_encrypted)
    assert new != receiver.secret and new in page.content.decode()


def test_agency_officers_cannot_see_partner_webhooks(kab, endpoint):
    client = sign_in(Client(), officer(kab))
    assert client.get(BASE).status_code == 404
    assert client.get(f"{BASE}{endpoint.pk}/").status_code == 404


def test_the_log_says_waiting_messages_are_held_while_the_endpoint_is_off(
    kab, unit, endpoint, receiver, admin
):
    # Given a receiver that answers 410 Gone to the first of two messages of a report
    report = submit().report
    services.report_dispose(report=report, to_agency=kab, actor=None)
    services.report_dispose_unit(report=report, unit=unit, actor=officer(kab))
    receiver.script = ["410"]
    deliver_due()
    # When the admin opens the log of the endpoint it disabled
    text = sign_in(Client(), admin).get(f"{BASE}{endpoint.pk}/").content.decode()
    # Then the waiting messages say they are held, not a retry date far away
    assert "ditahan sampai webhook diaktifkan kembali" in text
    assert "9999" not in text
