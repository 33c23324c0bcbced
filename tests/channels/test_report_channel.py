"""A report keeps the exact channel it came in by (WhatsApp, the walk-in desk, the call
centre), so statistics and the officers' filter count it right; reports filed before the report
knew these channels are corrected from their channel link."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client
from drf_spectacular.validation import validate_schema

from lapor.backoffice.views.queues import FilterForm
from lapor.channels.intake import REPORT_CHANNEL
from lapor.channels.models import Channel, ChannelReport
from lapor.channels.replies import OUTBOX
from lapor.notifications.models import Notification
from lapor.reports.models import Report
from tests.factories import submit

backfill = importlib.import_module("lapor.channels.migrations.0002_report_channel_backfill")


def test_every_channel_is_a_report_channel_of_the_same_name() -> None:
    # given the channels a message or an officer can file a report by
    for channel in Channel:
        # then the report is stored under its own value, which the field can hold
        assert REPORT_CHANNEL[channel] == channel.value
        assert channel.value in Report.Channel.values
        assert len(channel.value) <= Report._meta.get_field("channel").max_length
    assert Report.Channel.WHATSAPP.label == "WhatsApp"
    assert {Report.Channel.LOKET.label, Report.Channel.TELEPON.label} == {
        "Loket layanan",
        "Telepon (pusat panggilan)",
    }


def test_every_outbound_channel_is_a_notification_channel() -> None:
    # the outbox rows a channel writes name a channel the Notification field lists and can hold
    limit = Notification._meta.get_field("channel").max_length
    for outbox in OUTBOX.values():
        assert outbox in Notification.Channel.values and len(outbox) <= limit
    assert Notification.Channel.WHATSAPP == "whatsapp"


@pytest.mark.django_db
def test_the_officers_filter_offers_the_new_channels() -> None:
    choices = dict(FilterForm().fields["channel"].choices)
    assert {"whatsapp", "loket", "telepon"} <= set(choices)
    assert FilterForm({"channel": "telepon"}).is_valid()


@pytest.mark.django_db
def test_the_migration_corrects_reports_filed_before() -> None:
    # given reports stored the old way: WhatsApp as social, walk-in and call centre as web
    old = {}
    for exact, before in (("whatsapp", "social"), ("loket", "web"), ("telepon", "web")):
        report = submit(channel=before).report
        ChannelReport.objects.create(
            report=report, channel=exact, address="+6281234567890", created_at=report.submitted_at
        )
        old[report.pk] = (before, exact)
    web = submit(channel="web").report  # a web report has no channel link
    social = submit(channel="social").report  # nor has one from social media

    # when the migration runs
    backfill.forwards(apps, None)

    # then each linked report has its exact channel, the others are untouched
    for pk, (_before, exact) in old.items():
        assert Report.objects.get(pk=pk).channel == exact
    assert Report.objects.get(pk=web.pk).channel == "web"
    assert Report.objects.get(pk=social.pk).channel == "social"

    # and undoing it restores what was stored
    backfill.backwards(apps, None)
    for pk, (before, _exact) in old.items():
        assert Report.objects.get(pk=pk).channel == before


@pytest.mark.django_db
def test_the_api_document_lists_the_channels_and_stays_valid(client: Client) -> None:
    # when a client fetches the OpenAPI document
    doc = client.get("/api/v1/openapi.json").json()

    # then it is valid and the report's channel enum names every channel
    validate_schema(doc)
    enum = doc["components"]["schemas"]["ChannelEnum"]["enum"]
    assert set(Report.Channel.values) == set(enum)
    assert {"whatsapp", "loket", "telepon"} <= set(enum)
