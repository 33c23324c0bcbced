"""Numbers, addresses and words kept no longer than the reports keep them."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string

from lapor.channels.models import ChannelReport, Conversation, InboundMessage
from lapor.channels.tasks import channels_purge
from lapor.jobs.scheduler import PERIODIC
from lapor.reports.models import Report
from tests.channels.conftest import post_sms, sms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_on", "demak")]
STORY = "Jalan di Kab. Demak depan pasar berlubang besar sejak dua bulan, bahaya untuk motor."


def test_purge_empties_old_messages_and_erased_reporters_addresses(
    client: Client, settings: Any
) -> None:
    settings.LAPOR_CONTACT_RETENTION_DAYS = 30
    post_sms(client, sms(STORY, mid="old"))
    post_sms(client, sms(STORY, sender="081234567891", mid="new"))
    post_sms(client, sms("jalan rusak", sender="081234567892", mid="draft"))
    post_sms(client, sms("batal", sender="081234567892", mid="draft-end"))
    InboundMessage.objects.filter(provider_message_id__in=["old", "draft", "draft-end"]).update(
        received_at=timezone.now() - timedelta(days=31)
    )
    Conversation.objects.update(updated_at=timezone.now() - timedelta(days=31))
    erased = Report.objects.get(contact_phone="+6281234567891")
    Report.objects.filter(pk=erased.pk).update(identity_erased_at=timezone.now(), contact_phone="")
    out = StringIO()
    call_command("channels_purge", "--dry-run", stdout=out)
    assert "4 pesan masuk, 1 alamat kanal, 1 percakapan akan dihapus" in out.getvalue()
    assert InboundMessage.objects.exclude(payload="").count() == 4
    call_command("channels_purge", stdout=StringIO())
    assert list(InboundMessage.objects.exclude(payload="").values_list("pk", flat=True)) == []
    assert set(InboundMessage.objects.values_list("sender", flat=True)) == {""}
    assert ChannelReport.objects.get(report=erased).address == ""
    assert ChannelReport.objects.exclude(report=erased).get().address == "+6281234567890"
    assert Conversation.objects.count() == 0
    # The rows stay: a very late resend is still a duplicate.
    again = post_sms(client, sms(STORY, mid="old"))
    assert again.json() == {"accepted": 0, "duplicates": 1}


def test_the_worker_runs_the_purge_daily() -> None:
    # the worker's schedule holds the purge, once a day whatever its --sweep-interval
    job = next(p for p in PERIODIC if p.name == "channels_purge")
    assert job.task_path == "lapor.channels.tasks.channels_purge"
    assert job.interval() == 86400 and not job.follows_sweep
    assert import_string(job.task_path) is channels_purge


def test_the_scheduled_task_purges_like_the_command(client: Client, settings: Any) -> None:
    # given a message past the retention period and a fresh one
    settings.LAPOR_CONTACT_RETENTION_DAYS = 30
    post_sms(client, sms(STORY, mid="old"))
    post_sms(client, sms(STORY, sender="081234567891", mid="new"))
    InboundMessage.objects.filter(provider_message_id="old").update(
        received_at=timezone.now() - timedelta(days=31)
    )
    # when the worker runs the daily job
    emptied = channels_purge.call()
    # then only the old message is emptied, and a second run has nothing left to do
    assert emptied == 1
    old = InboundMessage.objects.get(provider_message_id="old")
    assert old.sender == "" and old.payload == "" and old.headers == {}
    assert InboundMessage.objects.get(provider_message_id="new").sender == "+6281234567891"
    assert channels_purge.call() == 0
