"""Which channel the answers to a reporter take, where it is not e-mail or SMS: a report that
came in by WhatsApp is answered on WhatsApp (``notifications.services`` asks here)."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from lapor.channels.models import Channel, ChannelReport
from lapor.notifications.models import Notification
from lapor.reports.models import Report


def reply_channels(
    reports: Sequence[Report], found: dict[int, tuple[str, str] | None]
) -> dict[int, tuple[str, str]]:
    """Per report that came in by WhatsApp and still has its number: ("whatsapp", number)."""
    if not settings.LAPOR_CHANNEL_WHATSAPP:
        return {}
    candidates = [r for r in reports if r.channel == Report.Channel.WHATSAPP and r.contact_phone]
    if not candidates:
        return {}
    linked = set(
        ChannelReport.objects.filter(
            report_id__in=[r.pk for r in candidates], channel=Channel.WHATSAPP
        ).values_list("report_id", flat=True)
    )
    return {
        r.pk: (Notification.Channel.WHATSAPP, r.contact_phone) for r in candidates if r.pk in linked
    }
