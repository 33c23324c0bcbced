"""E-mail in, from a corpus of real-shaped messages: raw MIME by the command and through a
mail service's webhook (django-anymail), signed reply-to addresses, automatic mail ignored."""

from __future__ import annotations

import base64
import io
import json
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.test import Client
from PIL import Image

from lapor.channels import email as email_channel
from lapor.channels.models import ChannelReport, InboundMessage
from lapor.core import ids
from lapor.notifications.delivery import deliver
from lapor.notifications.models import Notification
from lapor.reports.models import Report
from tests.factories import ProvinceFactory, RegencyFactory, submit

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).parent / "mail"
SECRET = "rahasia-surel-lapor-0123456789"


@pytest.fixture(autouse=True)
def email_on(settings: Any) -> None:
    settings.LAPOR_CHANNEL_EMAIL = True
    settings.LAPOR_CHANNEL_EMAIL_ADDRESS = "lapor@lapor.example.id"
    settings.LAPOR_CHANNEL_EMAIL_SECRET = SECRET
    settings.LAPOR_PUBLIC_URL = "https://lapor.example.id"
    RegencyFactory()
    RegencyFactory(code="33.74", name="Kota Semarang", kind="kota", parent=ProvinceFactory())


def pipe(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("channels_email_receive", stdout=out)
    return out.getvalue()


def mails_to(address: str) -> list[Notification]:
    return list(Notification.objects.filter(channel="email", recipient=address).order_by("pk"))


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, "JPEG")
    return out.getvalue()


def multipart(attachments: list[tuple[str, str, bytes]] | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "Dewi Lestari <dewi@contoh.id>"
    message["To"] = "LAPOR! <lapor@lapor.example.id>"
    message["Subject"] = "Sampah menumpuk di pasar Kab. Demak"
    message["Message-ID"] = "<multi-001@contoh.id>"
    message.set_content(
        "Sampah di pasar Kab. Demak tidak diangkut sejak dua minggu, baunya sampai ke rumah warga."
    )
    message.add_alternative(
        "<p>Sampah di pasar <b>Kab. Demak</b> tidak diangkut.</p>", subtype="html"
    )
    for name, kind, content in attachments or [("sampah.jpg", "image/jpeg", photo())]:
        maintype, subtype = kind.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_multipart_with_a_photo_files_a_report(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "processed" in pipe(multipart(), monkeypatch)
    report = Report.objects.get()
    assert report.channel == "email" and report.contact_email == "dewi@contoh.id"
    assert report.title == "Sampah menumpuk di pasar Kab. Demak"
    assert report.body.startswith("Sampah di pasar Kab. Demak tidak diangkut sejak dua minggu")
    assert report.is_anonymous and report.is_confidential
    assert report.attachments.count() == 1
    assert ChannelReport.objects.get().channel == "email"
    receipt = mails_to("dewi@contoh.id")
    assert len(receipt) == 1 and "Kode rahasia" in receipt[0].body
    assert ids.display(report.tracking_id) in receipt[0].subject


def test_the_same_message_piped_twice_is_one_report(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe(multipart(), monkeypatch)
    assert "duplikat" in pipe(multipart(), monkeypatch)
    assert Report.objects.count() == 1 and InboundMessage.objects.count() == 1


def test_refused_attachments_are_named_and_the_report_kept(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.LAPOR_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)  # a 20 MB attachment
    raw = multipart(
        [
            ("besar.pdf", "application/pdf", big),
            ("virus.exe", "application/octet-stream", b"MZ\x90\x00" * 10),
        ]
    )
    pipe(raw, monkeypatch)
    report = Report.objects.get()
    assert report.attachments.count() == 0
    body = mails_to("dewi@contoh.id")[0].body
    assert "besar.pdf" in body and "terlalu besar" in body and "virus.exe" in body


def test_html_only_latin1(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe((CORPUS / "html_only_latin1.eml").read_bytes(), monkeypatch)
    report = Report.objects.get()
    assert report.title == "Pelayanan puskesmas lambat di Kab. Demak (antre ± 5 jam)"
    assert "Café di depan puskesmas" in report.body
    assert "color:red" not in report.body and "<p>" not in report.body
    assert report.contact_email == "ani.wijaya@contoh.id"


def test_forwarded_utf8_keeps_the_forwarded_story(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe((CORPUS / "forwarded_utf8.eml").read_bytes(), monkeypatch)
    report = Report.objects.get()
    assert report.title == "Pungutan liar di kantor kecamatan \u2014 Kota Semarang"
    assert "Rp200.000 tanpa kuitansi" in report.body
    assert report.region.code == "33.74"


@pytest.mark.parametrize("name", ["auto_reply.eml", "bounce.eml"])
def test_auto_replies_and_bounces_are_stored_and_never_answered(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    pipe((CORPUS / name).read_bytes(), monkeypatch)
    message = InboundMessage.objects.get()
    assert message.status == "ignored"
    assert Report.objects.count() == 0 and Notification.objects.count() == 0


def _reply(report: Report, sig: str | None = None) -> bytes:
    raw = (CORPUS / "reply_gmail.eml").read_text()
    address = email_channel.reply_address(report.tracking_id)
    signature = sig or address.split(".", 1)[1].split("@")[0]
    return (
        raw.replace("{tid_lower}", report.tracking_id.lower())
        .replace("{sig}", signature)
        .replace("{tid_display}", ids.display(report.tracking_id))
        .encode()
    )


def _answered(report: Report) -> Report:
    Report.objects.filter(pk=report.pk).update(status="answered")
    report.refresh_from_db()
    return report


def test_signed_reply_becomes_the_reporters_reply_stripped(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _answered(submit(contact_email="siti@contoh.id").report)
    pipe(_reply(report), monkeypatch)
    event = report.events.get(action="reporter_reply")
    assert (
        event.message
        == "Jalannya masih berlubang, belum ada perbaikan sama sekali sampai hari ini."
    )
    assert "diteruskan ke petugas" in mails_to("siti@contoh.id")[-1].body


def test_forged_signature_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _answered(submit(contact_email="siti@contoh.id").report)
    pipe(_reply(report, sig="0" * 20), monkeypatch)
    assert not report.events.filter(action="reporter_reply").exists()
    assert InboundMessage.objects.get().status == "ignored"
    assert Notification.objects.filter(kind="channel_reply").count() == 0


def test_signed_reply_from_another_address_reveals_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _answered(submit(contact_email="siti@contoh.id", title="Rahasia dinas").report)
    raw = _reply(report).replace(
        b"From: Siti Aminah <siti@contoh.id>", b"From: Orang Lain <lain@contoh.id>"
    )
    pipe(raw, monkeypatch)
    assert not report.events.filter(action="reporter_reply").exists()
    answer = mails_to("lain@contoh.id")[-1]
    assert ids.display(report.tracking_id) not in answer.body + answer.subject
    assert "Rahasia dinas" not in answer.body and "siti" not in answer.body


def test_notifications_to_an_email_reporter_carry_the_signed_reply_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pipe(multipart(), monkeypatch)
    report = Report.objects.get()
    deliver(Notification.objects.values_list("pk", flat=True))
    sent = django_mail.outbox if hasattr(django_mail, "outbox") else []
    assert sent, "the test mail backend keeps what was sent"
    assert sent[-1].reply_to == [email_channel.reply_address(report.tracking_id)]
    assert email_channel.reply_address(report.tracking_id).startswith(
        f"lapor+{report.tracking_id.lower()}."
    )


def test_too_short_or_no_place_is_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (
        multipart()
        .replace(b"Kab. Demak", b"pasar kami")
        .replace(b"Subject: Sampah menumpuk di pasar pasar kami", b"Subject: Sampah")
    )
    pipe(raw, monkeypatch)
    assert Report.objects.count() == 0
    assert "kabupaten/kota" in mails_to("dewi@contoh.id")[-1].body


def _basic(password: str) -> str:
    return "Basic " + base64.b64encode(f"lapor:{password}".encode()).decode()


def postmark(message_id: str = "pm-0001") -> dict[str, Any]:
    """An inbound message as Postmark's webhook posts it (JSON)."""
    return {
        "FromName": "Dewi Lestari",
        "From": "dewi@contoh.id",
        "FromFull": {"Email": "dewi@contoh.id", "Name": "Dewi Lestari", "MailboxHash": ""},
        "To": "lapor@lapor.example.id",
        "ToFull": [{"Email": "lapor@lapor.example.id", "Name": "LAPOR!", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "OriginalRecipient": "lapor@lapor.example.id",
        "Subject": "Sampah menumpuk di pasar Kab. Demak",
        "MessageID": message_id,
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Mon, 7 Dec 2026 08:00:00 +0700",
        "TextBody": "Sampah di pasar Kab. Demak tidak diangkut sejak dua minggu, bau sekali.",
        "HtmlBody": "<p>Sampah di pasar Kab. Demak tidak diangkut sejak dua minggu.</p>",
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [{"Name": "X-Spam-Status", "Value": "No"}],
        "Attachments": [
            {
                "Name": "sampah.jpg",
                "Content": base64.b64encode(photo()).decode(),
                "ContentType": "image/jpeg",
                "ContentLength": len(photo()),
            }
        ],
    }


def test_anymail_webhook_postmark(client: Client) -> None:
    answer = client.post(
        "/kanal/surel/postmark/",
        data=postmark(),
        content_type="application/json",
        headers={"Authorization": _basic(SECRET)},
    )
    assert answer.status_code == 200
    report = Report.objects.get()
    assert report.contact_email == "dewi@contoh.id"
    assert report.attachments.count() == 1
    stored = InboundMessage.objects.get()
    assert (
        stored.provider == "anymail:postmark" and stored.provider_message_id == "postmark:pm-0001"
    )
    again = client.post(
        "/kanal/surel/postmark/",
        data=postmark(),
        content_type="application/json",
        headers={"Authorization": _basic(SECRET)},
    )
    assert again.status_code == 200 and Report.objects.count() == 1


def test_anymail_webhook_bad_credentials_and_malformed(client: Client) -> None:
    bad = client.post(
        "/kanal/surel/postmark/",
        data=postmark(),
        content_type="application/json",
        headers={"Authorization": _basic("salah")},
    )
    assert bad.status_code == 401
    assert InboundMessage.objects.count() == 0
    malformed = client.post(
        "/kanal/surel/postmark/",
        data=b"{not json",
        content_type="application/json",
        headers={"Authorization": _basic(SECRET)},
    )
    assert malformed.status_code == 400
    assert InboundMessage.objects.get().status == "failed"
    assert Report.objects.count() == 0


def test_channel_off(client: Client, settings: Any) -> None:
    settings.LAPOR_CHANNEL_EMAIL = False
    answer = client.post(
        "/kanal/surel/postmark/",
        data=postmark(),
        content_type="application/json",
        headers={"Authorization": _basic(SECRET)},
    )
    assert answer.status_code == 404


def test_nilai_in_a_signed_reply_rates_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    report = submit(contact_email="siti@contoh.id").report
    Report.objects.filter(pk=report.pk).update(status="completed")
    raw = _reply(report).replace(
        b"Jalannya masih berlubang, belum ada perbaikan sama sekali sampai hari ini.",
        b"Nilai 5 terima kasih, sudah diperbaiki.",
    )
    pipe(raw, monkeypatch)
    report.refresh_from_db()
    assert report.rating == 5
    assert "Nilai 5" in mails_to("siti@contoh.id")[-1].body


def test_a_large_mail_is_read_past_the_form_limit(client: Client, settings: Any) -> None:
    """A 3 MB photo is over Django's 2 MB form limit, within the attachment limits."""
    big = Image.effect_noise((1400, 1400), 100).convert("RGB")
    out = io.BytesIO()
    big.save(out, "PNG")
    payload = postmark("pm-big")
    payload["Attachments"] = [
        {
            "Name": "foto.png",
            "Content": base64.b64encode(out.getvalue()).decode(),
            "ContentType": "image/png",
            "ContentLength": len(out.getvalue()),
        }
    ]
    body = json.dumps(payload).encode()
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    answer = client.post(
        "/kanal/surel/postmark/",
        data=body,
        content_type="application/json",
        headers={"Authorization": _basic(SECRET)},
    )
    assert answer.status_code == 200
    assert Report.objects.get().attachments.count() == 1, mails_to("dewi@contoh.id")[0].body
