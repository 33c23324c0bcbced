"""WhatsApp over the Cloud API webhook, against a local fake of the Cloud API on a real port:
the handshake, signatures, batched entries, a whole guided conversation with a photo, answers
in and outside the 24-hour window, and nothing of a rahasia report to a stranger."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from lapor.channels.models import ChannelReport, Conversation, InboundMessage
from lapor.channels.signatures import hmac_hex
from lapor.core import ids
from lapor.notifications.delivery import deliver
from lapor.notifications.models import Notification
from lapor.reports.models import Report
from tests.factories import RegencyFactory

pytestmark = pytest.mark.django_db
APP_SECRET = "rahasia-aplikasi-whatsapp-0123456789"
NUMBER = "6281234567890"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 10)).save(out, "JPEG")
    return out.getvalue()


class CloudApi:
    """A fake of the Cloud API: the media endpoint, the media download, the messages call."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.auth: list[str] = []
        self.photo = jpeg()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _json(self, data: Any) -> None:
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                api.auth.append(self.headers.get("Authorization", ""))
                if self.path.startswith("/download/"):
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.send_header("Content-Length", str(len(api.photo)))
                    self.end_headers()
                    self.wfile.write(api.photo)
                    return
                media_id = self.path.strip("/").split("/")[-1]
                self._json(
                    {
                        "messaging_product": "whatsapp",
                        "url": f"{api.base}/download/{media_id}",
                        "mime_type": "image/jpeg",
                        "sha256": "x",
                        "file_size": len(api.photo),
                        "id": media_id,
                    }
                )

            def do_POST(self) -> None:
                api.auth.append(self.headers.get("Authorization", ""))
                length = int(self.headers["Content-Length"])
                api.sent.append({"path": self.path, **json.loads(self.rfile.read(length))})
                self._json({"messaging_product": "whatsapp", "messages": [{"id": "wamid.out"}]})

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def texts(self) -> list[str]:
        return [
            m["text"]["body"]
            if m["type"] == "text"
            else m["template"]["components"][0]["parameters"][0]["text"]
            for m in self.sent
        ]


@pytest.fixture
def cloud(settings: Any) -> Iterator[CloudApi]:
    api = CloudApi()
    settings.LAPOR_CHANNEL_WHATSAPP = True
    settings.LAPOR_WHATSAPP_APP_SECRET = APP_SECRET
    settings.LAPOR_WHATSAPP_VERIFY_TOKEN = "token-verifikasi"
    settings.LAPOR_WHATSAPP_ACCESS_TOKEN = "token-akses"
    settings.LAPOR_WHATSAPP_API_URL = api.base
    settings.LAPOR_WHATSAPP_PHONE_NUMBER_ID = "1098765"
    settings.LAPOR_PUBLIC_URL = "https://lapor.example.id"
    RegencyFactory()
    yield api
    api.server.shutdown()
    api.server.server_close()


_seq = iter(range(1, 10_000))


def message(
    text: str = "", *, sender: str = NUMBER, kind: str = "text", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "from": sender,
        "id": f"wamid.in{next(_seq)}",
        "timestamp": "1796620800",
        "type": kind,
    }
    if kind == "text":
        body["text"] = {"body": text}
    body.update(extra)
    return body


def delivery(*messages: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "1708",
                                "phone_number_id": "1098765",
                            },
                            "contacts": [
                                {"profile": {"name": "Rahmat Hidayat"}, "wa_id": m["from"]}
                                for m in messages
                            ],
                            "messages": list(messages),
                        },
                    }
                ],
            }
        ],
    }


def post(client: Client, payload: Any, secret: str = APP_SECRET) -> Any:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post(
        "/kanal/whatsapp/",
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": "sha256=" + hmac_hex(secret, body)},
    )


def say(client: Client, cloud: CloudApi, text: str = "", **kw: Any) -> str:
    """The citizen sends a message; what the platform answers (delivered to the fake API)."""
    before = len(cloud.sent)
    assert post(client, delivery(message(text, **kw))).status_code == 200
    deliver(Notification.objects.filter(status="pending").values_list("pk", flat=True))
    return "\n".join(cloud.texts()[before:])


def test_verification_handshake(client: Client, cloud: CloudApi) -> None:
    ok = client.get(
        "/kanal/whatsapp/",
        {
            "hub.mode": "subscribe",
            "hub.verify_token": "token-verifikasi",
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    bad = client.get(
        "/kanal/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": "salah", "hub.challenge": "1"},
    )
    assert bad.status_code == 403


def test_signature_and_shape(client: Client, cloud: CloudApi) -> None:
    assert (
        post(client, delivery(message("halo")), secret="bukan-rahasia-aplikasi-ini").status_code
        == 401
    )
    assert InboundMessage.objects.count() == 0
    assert post(client, b'{"entry": 5}').status_code == 400
    assert InboundMessage.objects.get().status == "failed"
    statuses = {
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"value": {"statuses": [{"id": "wamid.s"}]}}]}],
    }
    assert post(client, statuses).json() == {"accepted": 0, "duplicates": 0}


def test_a_whole_conversation_with_a_photo(client: Client, cloud: CloudApi) -> None:
    assert "Ceritakan apa yang terjadi" in say(client, cloud, "Halo")
    assert "Di mana kejadiannya" in say(
        client, cloud, "Jembatan desa ambruk sejak minggu lalu, anak sekolah harus memutar jauh."
    )
    photo = {"id": "MEDIA-777", "mime_type": "image/jpeg", "sha256": "x", "caption": ""}
    assert say(client, cloud, kind="image", image=photo) == ""  # a photo: kept, nothing asked
    answer = say(client, cloud, "kab demak")
    assert "Pilih privasi" in answer and "Kabupaten Demak" in answer
    assert "Privasi: rahasia dan anonim" in say(client, cloud, "1")
    assert Report.objects.count() == 0
    assert Conversation.objects.get().step == "confirm"
    filed = say(client, cloud, "Ya")
    report = Report.objects.get()
    assert ids.display(report.tracking_id) in filed and "Kode rahasia" in filed
    assert report.is_anonymous and report.is_confidential and report.contact_name == ""
    assert report.channel == "whatsapp" and report.contact_phone == "+6281234567890"
    assert ChannelReport.objects.get(report=report).channel == "whatsapp"
    assert report.attachments.count() == 1
    assert Conversation.objects.get().step == "done"
    assert report.status == "submitted"  # the conversation's steps never touched it
    assert all(a == "Bearer token-akses" for a in cloud.auth)
    assert cloud.sent[-1]["to"] == NUMBER and cloud.sent[-1]["type"] == "text"
    # Following and replying on WhatsApp.
    status = say(client, cloud, f"lacak {report.tracking_id}")
    assert "Diterima" in status


def test_privacy_choice_and_duplicate_delivery(client: Client, cloud: CloudApi) -> None:
    say(client, cloud, "Pungutan liar di kantor kelurahan Kab. Demak saat mengurus surat pindah.")
    say(client, cloud, "3")
    repeated = delivery(message("YA"))
    post(client, repeated)
    post(client, repeated)  # the Cloud API delivers again
    report = Report.objects.get()
    assert not report.is_anonymous and not report.is_confidential
    assert report.contact_name == "Rahmat Hidayat"


def test_lacak_from_another_whatsapp_number_reveals_nothing(
    client: Client, cloud: CloudApi
) -> None:
    say(client, cloud, "Pungutan liar di kantor kelurahan Kab. Demak saat mengurus surat pindah.")
    say(client, cloud, "1")
    say(client, cloud, "ya")
    report = Report.objects.get()
    answer = say(client, cloud, f"LACAK {report.tracking_id}", sender="6281234567899")
    assert "tidak ditemukan atau tidak dapat ditampilkan" in answer
    assert "Pungutan" not in answer and "Rahmat" not in answer and NUMBER not in answer


def test_answers_outside_24_hours_use_the_template(client: Client, cloud: CloudApi) -> None:
    say(client, cloud, "Pungutan liar di kantor kelurahan Kab. Demak saat mengurus surat pindah.")
    say(client, cloud, "1")
    say(client, cloud, "ya")
    report = Report.objects.get()
    InboundMessage.objects.update(received_at=timezone.now() - timedelta(hours=30))
    from lapor.reports.services import report_archive
    from tests.factories import national_admin

    report_archive(
        report=report, actor=national_admin(), reason="Laporan ini sudah ditangani di laporan lain."
    )
    deliver(Notification.objects.filter(status="pending").values_list("pk", flat=True))
    last = cloud.sent[-1]
    assert last["type"] == "template" and last["template"]["name"] == "lapor_kabar"
    assert (
        ids.display(report.tracking_id)
        in last["template"]["components"][0]["parameters"][0]["text"]
    )
    assert Notification.objects.filter(report=report, kind="archive", channel="whatsapp").exists()


def test_batal_and_batched_entries(client: Client, cloud: CloudApi) -> None:
    answer = post(client, delivery(message("Halo"), message("Halo", sender="6281234567891")))
    assert answer.json() == {"accepted": 2, "duplicates": 0}
    assert Conversation.objects.count() == 2
    assert "dibatalkan" in say(client, cloud, "batal")
    assert Conversation.objects.filter(step="cancelled").count() == 1


def test_balas_and_nilai_on_whatsapp(client: Client, cloud: CloudApi) -> None:
    say(client, cloud, "Pungutan liar di kantor kelurahan Kab. Demak saat mengurus surat pindah.")
    say(client, cloud, "1")
    say(client, cloud, "ya")
    report = Report.objects.get()
    Report.objects.filter(pk=report.pk).update(status="answered")
    assert "diteruskan ke petugas" in say(
        client, cloud, f"BALAS {report.tracking_id} pungutan masih terjadi minggu ini"
    )
    Report.objects.filter(pk=report.pk).update(status="completed")
    assert "nilai 4" in say(client, cloud, f"NILAI {report.tracking_id} 4")
    report.refresh_from_db()
    assert report.rating == 4 and report.events.filter(action="reporter_reply").exists()


def test_a_photo_before_the_story(client: Client, cloud: CloudApi) -> None:
    photo = {"id": "MEDIA-1", "mime_type": "image/jpeg", "sha256": "x"}
    assert "Foto diterima" in say(client, cloud, kind="image", image=photo)
    answer = say(
        client, cloud, "Sampah menumpuk di pasar Kab. Demak sudah dua minggu tidak diangkut."
    )
    assert "Pilih privasi" in answer
    say(client, cloud, "1")
    say(client, cloud, "ya")
    assert Report.objects.get().attachments.count() == 1
