"""Answers on the channel a message came in by, as rows of the notifications outbox: written
in the same transaction as the inbound message, delivered by the job queue after commit."""

from __future__ import annotations

from lapor.channels import gsm
from lapor.channels.models import Channel
from lapor.notifications.models import Notification
from lapor.notifications.services import schedule_delivery
from lapor.reports.models import Report

# The outbox channel of each inbound channel (the notifications sender for it).
OUTBOX = {
    Channel.SMS: Notification.Channel.SMS,
    Channel.EMAIL: Notification.Channel.EMAIL,
    Channel.WHATSAPP: Notification.Channel.WHATSAPP,
}


def send(
    *,
    channel: str,
    to: str,
    body: str,
    report: Report | None = None,
    kind: str = "channel_reply",
    subject: str = "",
) -> list[Notification]:
    """Queue ``body`` to ``to`` on ``channel``; an SMS longer than one segment goes as
    numbered parts."""
    outbox = OUTBOX[Channel(channel)]
    bodies = gsm.split(body) if outbox == "sms" else [body]
    rows = Notification.objects.bulk_create(
        [
            Notification(
                report=report,
                kind=kind,
                channel=outbox,
                recipient=to,
                subject=subject[:200],
                body=part,
            )
            for part in bodies
        ]
    )
    schedule_delivery([n.pk for n in rows])
    return rows


def replace_receipt(*, channel: str, report: Report, to: str, body: str, subject: str = "") -> None:
    """Send the receipt of a new report (its tracking ID, secret and link) in place of the
    general "received" notice the submit queued to the same address, so the citizen gets one
    message, not two. Both are rows of the same uncommitted transaction: a receipt of one
    message takes over the notice's row (and its delivery job), a longer one replaces it."""
    outbox = OUTBOX[Channel(channel)]
    bodies = gsm.split(body) if outbox == "sms" else [body]
    notice = Notification.objects.filter(
        report=report,
        kind="submit",
        recipient=to,
        status=Notification.Status.PENDING,
        channel=outbox,
    )
    if len(bodies) == 1 and notice.update(body=bodies[0], subject=subject[:200]) == 1:
        return
    notice.delete()
    send(channel=channel, to=to, body=body, report=report, kind="submit", subject=subject)
