"""Which partner gets which message, written with the event: only partners whose agencies
hold the report, only the types they subscribe to, never their own doing, and never anything
personal; secrets are kept encrypted."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from lapor.api.partners import partner_create
from lapor.api.webhooks import signing
from lapor.api.webhooks.models import WebhookDelivery, WebhookEndpoint
from lapor.api.webhooks.services import endpoint_create, endpoint_rotate_secret
from lapor.core.errors import NotAllowed, ValidationFailed
from lapor.reports import services
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from lapor.reports.sweep import run_sweep
from tests.factories import AgencyFactory, officer, submit
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db
URL = "https://mitra.contoh.id/hooks"


def test_only_partners_covering_the_report_and_subscribing_get_a_row(kab, unit, partner, admin):
    # Given the partner's endpoint, another agency's partner, and one subscribing elsewhere
    mine, _ = endpoint_create(partner=partner, url=URL, actor=admin)
    other = partner_create(
        code="elapor-kudus", name="e-LAPOR! Kudus", agencies=[AgencyFactory()], actor=admin
    )
    endpoint_create(partner=other, url=URL, actor=admin)
    picky, _ = endpoint_create(
        partner=partner, url=URL + "/selesai", event_types=["report.completed"], actor=admin
    )
    # When a report is disposed to the partner's agency, then to a unit below it
    report = submit().report
    services.report_dispose(report=report, to_agency=kab, actor=None)
    services.report_dispose_unit(report=report, unit=unit, actor=officer(kab))
    # Then only the partner's subscribing endpoint has the two messages
    rows = WebhookDelivery.objects.order_by("report_seq")
    assert [(d.endpoint_id, d.report_seq, d.event_type) for d in rows] == [
        (mine.pk, 2, "report.disposed"),
        (mine.pk, 3, "report.disposed"),
    ]
    assert picky.deliveries.count() == 0


def test_a_partners_own_action_is_not_echoed_back(kab, partner, admin):
    endpoint_create(partner=partner, url=URL, actor=admin)
    report, _ = report_in(Status.DISPOSED, agency=kab)
    # When the partner itself hands the report to a unit of its agency
    unit = AgencyFactory(code="pemkab-3321-dpu", kind="unit", parent=kab)
    services.report_dispose_unit(report=report, unit=unit, actor=partner.user)
    # Then it gets no webhook for it
    assert WebhookDelivery.objects.count() == 0


def test_the_sla_sweep_writes_rows_for_overdue_reports(kab, partner, admin):
    endpoint_create(partner=partner, url=URL, actor=admin)
    report, _ = report_in(Status.DISPOSED, agency=kab)
    Report.objects.filter(pk=report.pk).update(due_at=timezone.now() - timedelta(days=1))
    # When the sweep marks it overdue
    run_sweep(now=timezone.now(), requeue=False)
    # Then the partner has a report.overdue message for it
    row = WebhookDelivery.objects.get(event_type="report.overdue")
    assert row.report_id == report.pk and row.payload["data"]["status"] == Status.DISPOSED


@pytest.mark.parametrize("anonymous", [True, False])
def test_payloads_carry_no_reporter_identity_or_report_text(kab, partner, admin, anonymous):
    endpoint_create(partner=partner, url=URL, actor=admin)
    report = submit(
        contact_name="Siti Aminah",
        contact_email="siti@contoh.id",
        contact_phone="+6281234567890",
        is_anonymous=anonymous,
        is_confidential=anonymous,
    ).report
    services.report_dispose(report=report, to_agency=kab, actor=None)
    text = json.dumps(WebhookDelivery.objects.get().payload)
    for personal in ("Siti", "siti@contoh.id", "6281234567890", report.title, report.body[:20]):
        assert personal not in text
    assert report.tracking_id in text


def test_secrets_are_stored_encrypted_and_shown_only_once(partner, admin):
    # Given a new endpoint
    endpoint, secret = endpoint_create(partner=partner, url=URL, actor=admin)
    assert secret.startswith("whsec_")
    # Then neither the secret nor its key bytes are in the database
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {WebhookEndpoint._meta.db_table}")  # noqa: S608
        dump = repr(cursor.fetchall())
    assert secret not in dump and secret.removeprefix("whsec_") not in dump
    assert signing.decrypt(endpoint.secret_encrypted) == secret
    # And a tampered value is refused
    stored = endpoint.secret_encrypted
    tampered = stored[:-6] + ("AAAAAA" if not stored.endswith("AAAAAA") else "BBBBBB")
    with pytest.raises(signing.SecretUnreadable):
        signing.decrypt(tampered)
    # When it is rotated, the new secret signs and the old one no longer does
    new = endpoint_rotate_secret(endpoint=endpoint, actor=admin)
    assert new != secret and signing.decrypt(endpoint.secret_encrypted) == new


def test_a_rotated_secret_key_keeps_secrets_readable_through_fallbacks(partner, admin, settings):
    endpoint, secret = endpoint_create(partner=partner, url=URL, actor=admin)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert signing.decrypt(endpoint.secret_encrypted) == secret


def test_only_national_admins_set_endpoints_and_urls_must_be_web_addresses(partner, kab, admin):
    with pytest.raises(NotAllowed):
        endpoint_create(partner=partner, url=URL, actor=officer(kab))
    with pytest.raises(ValidationFailed) as refused:
        endpoint_create(partner=partner, url="ftp://mitra.contoh.id", actor=admin)
    assert refused.value.field == "url"
    with pytest.raises(ValidationFailed):
        endpoint_create(partner=partner, url=URL, event_types=["report.eaten"], actor=admin)
