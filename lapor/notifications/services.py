"""Telling reporters and supporters what happened to their report.

Messages are written as ``Notification`` rows in the same transaction as the change (nothing is
lost if the process dies) and delivered by a background job after the commit."""

from __future__ import annotations

from django.db import transaction

from lapor.core.ids import display
from lapor.notifications.models import Notification
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report, ReportEvent, Supporter

# What the reporter hears about, and how it is told (Bahasa Indonesia).
TELLS_REPORTER: dict[str, str] = {
    Action.SUBMIT: "Laporan Anda {tid} telah kami terima.",
    Action.DISPOSE: "Laporan {tid} telah diverifikasi dan diteruskan ke {agency}.",
    Action.FORWARD: "Laporan {tid} diteruskan ke {agency}, instansi yang berwenang.",
    Action.NOT_AUTHORITY: "Laporan {tid} sedang diverifikasi ulang untuk instansi yang tepat.",
    Action.HOLD: "Penanganan laporan {tid} ditunda: {message}",
    Action.REQUEST_INFO: "Instansi meminta klarifikasi atas laporan {tid}: {message}",
    Action.FOLLOW_UP: "Laporan {tid} mendapat tindak lanjut dari {agency}: {message}",
    Action.COMPLETE: "Laporan {tid} dinyatakan selesai. Beri penilaian Anda.",
    Action.AUTO_CLOSE: "Laporan {tid} ditutup karena tidak ada tanggapan. Anda masih dapat "
    "memberi penilaian.",
    Action.ARCHIVE: "Laporan {tid} diarsipkan: {message}",
    Action.MERGE: "Laporan {tid} digabung dengan laporan serupa {into}; Anda tetap akan "
    "menerima kabar penanganannya.",
    Action.REOPEN: "Banding atas laporan {tid} diterima dan diteruskan kembali ke {agency}.",
}
SUBJECT = "[LAPOR!] Kabar laporan {tid}"


def _recipients(report: Report) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    email = report.contact_email or (report.reporter.email if report.reporter else "")
    phone = report.contact_phone or (report.reporter.phone if report.reporter else "")
    if email:
        found.append((Notification.Channel.EMAIL, email))
    elif phone:
        found.append((Notification.Channel.SMS, phone))
    for s in Supporter.objects.filter(report=report).select_related("user"):
        s_email = s.contact_email or (s.user.email if s.user else "")
        s_phone = s.contact_phone or (s.user.phone if s.user else "")
        if s_email:
            found.append((Notification.Channel.EMAIL, s_email))
        elif s_phone:
            found.append((Notification.Channel.SMS, s_phone))
    return list(dict.fromkeys(found))


def notify_report_event(report: Report, event: ReportEvent) -> list[Notification]:
    """Queue the messages an event owes the reporter and supporters (inside the transaction)."""
    template = TELLS_REPORTER.get(event.action)
    if template is None or event.is_internal:
        return []
    handler = report.unit or report.agency
    text = template.format(
        tid=display(report.tracking_id),
        agency=handler.name if handler else "instansi terkait",
        message=event.message[:300],
        into=display(event.data.get("into", "")) if event.data.get("into") else "",
    )
    rows = [
        Notification(
            report=report,
            kind=event.action,
            channel=channel,
            recipient=address,
            subject=SUBJECT.format(tid=display(report.tracking_id)),
            body=text,
        )
        for channel, address in _recipients(report)
    ]
    created = Notification.objects.bulk_create(rows)
    schedule_delivery([n.pk for n in created])
    return created


def schedule_delivery(ids: list[int]) -> None:
    if not ids:
        return
    from lapor.notifications.tasks import deliver_notifications

    transaction.on_commit(lambda: deliver_notifications.enqueue(ids))
