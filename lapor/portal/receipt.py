"""The receipt (tracking ID and guest secret) sent to the reporter's own address.

Only to the contact the report was filed with (never an address typed on the page, so the
form cannot mail anyone else), only from the browser that holds the secret (the session of the
confirmation page), and the message is written like the other outgoing messages."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from lapor.core import ids
from lapor.core.timefmt import format_local
from lapor.notifications.models import Notification
from lapor.notifications.services import schedule_delivery
from lapor.reports import sla
from lapor.reports.models import Report

SUBJECT = "[LAPOR!] Bukti laporan {tid}"
BODY = (
    "Simpan pesan ini: inilah bukti laporan Anda di LAPOR!.\n\n"
    "Nomor pelacakan: {tid}\nKode rahasia: {secret}\nDikirim: {when}\n\n"
    "Buka {link} dan masukkan kode rahasia untuk membaca tanggapan, menjawab pertanyaan "
    "petugas, dan memberi nilai. Jangan berikan kode rahasia kepada siapa pun; petugas LAPOR! "
    "tidak pernah memintanya."
)
SMS = "LAPOR! Bukti laporan {tid}, kode rahasia {secret}. Lacak: {link}"


def masked(address: str) -> str:
    """``s***@contoh.id`` / ``+62******7890``: enough for the reporter to recognise it."""
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return address[:3] + "*" * max(0, len(address) - 7) + address[-4:]


def receipt_address(report: Report) -> tuple[str, str]:
    """(channel, address) the receipt may go to: the guest's own contact, else nothing."""
    if report.contact_email:
        return Notification.Channel.EMAIL, report.contact_email
    if report.contact_phone:
        return Notification.Channel.SMS, report.contact_phone
    return "", ""


def send_receipt(report: Report, secret: str) -> Notification | None:
    channel, address = receipt_address(report)
    if not address or not secret:
        return None
    tid = ids.display(report.tracking_id)
    link = settings.LAPOR_PUBLIC_URL + reverse("portal:track_report", args=[report.tracking_id])
    when = format_local(report.submitted_at, sla.clock_zone(report))
    body = (BODY if channel == Notification.Channel.EMAIL else SMS).format(
        tid=tid, secret=secret, when=when, link=link
    )
    note = Notification.objects.create(
        report=report,
        kind="receipt",
        channel=channel,
        recipient=address,
        subject=SUBJECT.format(tid=tid),
        body=body,
    )
    schedule_delivery([note.pk])
    return note
