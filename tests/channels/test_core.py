"""The common door: raw storage, replay after a crash, the modem path, the outbound gateway
over real HTTP, settings refused in production, the SMS text rules."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from lapor.channels import gsm, sms
from lapor.channels.grammar import Command, parse
from lapor.channels.models import InboundMessage
from lapor.config import ConfigError, check_production, read
from lapor.core import ids
from lapor.notifications.delivery import deliver
from lapor.notifications.models import Notification
from lapor.reports.models import Report
from tests.channels.conftest import post_sms
from tests.channels.conftest import sms as sms_payload

STORY = "Lampu jalan di Kab. Demak mati semua sejak seminggu, jalan gelap dan rawan begal."


@pytest.mark.django_db
@pytest.mark.usefixtures("sms_on", "demak")
def test_parser_crash_keeps_the_message_and_replay_processes_it(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("parser bug")

    monkeypatch.setattr("lapor.channels.sms.handle_text", crash)
    answer = post_sms(client, sms_payload(STORY, mid="crash-1"))
    assert answer.status_code == 200  # stored: the gateway must not resend it for hours
    message = InboundMessage.objects.get()
    assert message.status == "failed" and "parser bug" in message.error
    assert Report.objects.count() == 0 and Notification.objects.count() == 0
    # A resend is still a duplicate: the fix comes by replay, not by the provider.
    post_sms(client, sms_payload(STORY, mid="crash-1"))
    assert InboundMessage.objects.count() == 1
    monkeypatch.undo()
    out = StringIO()
    call_command("channels_replay", "--failed", stdout=out)
    assert "processed: 1" in out.getvalue()
    message.refresh_from_db()
    assert message.status == "processed" and message.attempts == 2
    assert Report.objects.get().body == STORY
    call_command("channels_replay", str(message.pk), stdout=StringIO())  # once processed: no-op
    assert Report.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("sms_on", "demak")
def test_a_failed_report_write_rolls_back_with_its_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the message causes commits with it or not at all: a crash after the report was
    written leaves no report, no answer, and the message failed."""
    from lapor.channels import replies

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("outbox down")

    monkeypatch.setattr(replies, "replace_receipt", broken)
    post_sms(client, sms_payload(STORY, mid="rb-1"))
    assert InboundMessage.objects.get().status == "failed"
    assert Report.objects.count() == 0 and Notification.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("sms_on", "demak")
def test_gammu_run_on_receive(monkeypatch: pytest.MonkeyPatch) -> None:
    half = len(STORY) // 2
    env = {
        "SMS_MESSAGES": "2",
        "SMS_1_NUMBER": "+6281234567890",
        "SMS_1_TEXT": STORY[:half],
        "SMS_2_TEXT": STORY[half:],
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = StringIO()
    call_command("channels_sms_receive", "IN20261207_090000_00_+6281234567890_00.txt", stdout=out)
    call_command("channels_sms_receive", "IN20261207_090000_00_+6281234567890_00.txt", stdout=out)
    assert "duplikat" in out.getvalue()
    report = Report.objects.get()
    assert report.body == STORY and report.contact_phone == "+6281234567890"
    call_command(
        "channels_sms_receive",
        "--number",
        "0812-3456-7890",
        "--text",
        f"lacak {report.tracking_id}",
        stdout=out,
    )
    assert InboundMessage.objects.count() == 2


class Gateway:
    """An SMS gateway on a real local port: records what it was sent."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                gateway.received.append(
                    {"auth": self.headers["Authorization"], **json.loads(self.rfile.read(length))}
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()


@pytest.fixture
def gateway(settings: Any) -> Iterator[Gateway]:
    g = Gateway()
    settings.LAPOR_SMS_BACKEND = "http"
    settings.LAPOR_SMS_GATEWAY_URL = g.url
    settings.LAPOR_SMS_GATEWAY_TOKEN = "token-gateway"
    yield g
    g.server.shutdown()
    g.server.server_close()


@pytest.mark.django_db
@pytest.mark.usefixtures("sms_on", "demak")
def test_answers_leave_through_the_http_gateway(client: Client, gateway: Gateway) -> None:
    post_sms(client, sms_payload(STORY, mid="gw-1"))
    report = Report.objects.get()
    assert deliver(Notification.objects.values_list("pk", flat=True)) == 1
    assert len(gateway.received) == 1
    sent = gateway.received[0]
    assert sent["to"] == "+6281234567890" and sent["auth"] == "Bearer token-gateway"
    assert ids.display(report.tracking_id) in sent["message"]
    assert gsm.length(sent["message"]) <= 160 and gsm.gsm7(sent["message"]) == sent["message"]


@pytest.mark.django_db
def test_inbound_rows_are_unique_per_channel() -> None:
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    InboundMessage.objects.create(
        channel="sms", provider="generic", provider_message_id="x", received_at=timezone.now()
    )
    InboundMessage.objects.create(
        channel="email", provider="mime", provider_message_id="x", received_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        InboundMessage.objects.create(
            channel="sms", provider="infobip", provider_message_id="x", received_at=timezone.now()
        )


def test_production_refuses_a_channel_without_its_secret() -> None:
    base = {
        "LAPOR_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": "k" * 40,
        "ALLOWED_HOSTS": "lapor.go.id",
        "DATABASE_URL": "postgres://db/lapor",
        "CACHE_URL": "redis://cache:6379/0",
        "CLIENT_IP_HEADER": "X-Real-IP",
        "ATTACHMENT_ACCEL_PREFIX": "off",
        "SMS_GATEWAY_URL": "https://sms.example/send",
        "PUBLIC_URL": "https://lapor.go.id",
    }
    check_production(read(base))  # every channel off: nothing to refuse
    for channel, setting in [
        ("CHANNEL_SMS", "CHANNEL_SMS_SECRET"),
        ("CHANNEL_EMAIL", "CHANNEL_EMAIL_SECRET"),
        ("CHANNEL_WHATSAPP", "WHATSAPP_APP_SECRET"),
    ]:
        with pytest.raises(ConfigError, match=setting):
            check_production(read({**base, channel: "true"}))
    check_production(read({**base, "CHANNEL_SMS": "true", "CHANNEL_SMS_SECRET": "s" * 32}))
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        check_production(
            read({**base, "CHANNEL_SMS": "true", "CHANNEL_SMS_SECRET": "s" * 32, "PUBLIC_URL": ""})
        )
    assert read({}).channel_sms is False  # off by default


def test_gsm7_split_and_numbering() -> None:
    assert gsm.split("Halo \u201cwarga\u201d \u2026 caf\u00e9") == ['Halo "warga" ... café']
    long = " ".join(["kata"] * 100)
    parts = gsm.split(long)
    assert len(parts) == 4
    assert [p[:6] for p in parts] == ["(1/4) ", "(2/4) ", "(3/4) ", "(4/4) "]
    assert all(gsm.length(p) <= gsm.PART for p in parts)
    assert " ".join(p[6:] for p in parts) == long
    assert gsm.length("{}") == 4
    assert gsm.gsm7("Śląsk ✓") == "Slask "


def test_grammar() -> None:
    tid = ids.new_tracking_id()
    shown = ids.display(tid)
    assert parse(f"LACAK {shown}").command is Command.TRACK
    assert parse(f"lacak:{tid.lower()}").tracking_id == tid
    assert parse(f"Lacak {shown[:4]} {shown[5:9]} {shown[10:]}").tracking_id == tid
    reply = parse(f"balsa  {shown}   sudah   dua minggu")
    assert (reply.command, reply.text) == (Command.REPLY, "sudah dua minggu")
    assert parse(f"NILAI {shown} 5 bagus").rating == 5
    assert parse(f"NILAI {shown} 6").problem == "rating"
    assert parse("LACAK 1234").problem == "id"
    assert parse(f"BALAS {shown}").problem == "text"
    assert parse("Jalan rusak di Demak").command is Command.REPORT
    assert parse("batal").command is Command.CANCEL
    assert parse("Batal nikah karena KUA minta pungli di Kab. Demak").command is Command.REPORT
    wrong = tid[:-1] + ("0" if tid[-1] != "0" else "1")
    assert parse(f"LACAK {wrong}").problem == "id"  # the check symbol catches a slip


def test_sms_delivery_shapes() -> None:
    assert [
        m.message_id
        for m in sms.read_delivery(
            "generic", b'{"messages": [{"id": 1, "from": "0812", "text": "a"}]}'
        )
    ] == ["1"]
    with pytest.raises(sms.Malformed):
        sms.read_delivery("generic", b"[]")
    with pytest.raises(sms.Malformed):
        sms.read_delivery("infobip", b'{"results": []}')
