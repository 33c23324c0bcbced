"""The way from a channel into the report services, for messages that are not web forms.

A message gives free text and a sender's address; the web form's checks stay as they are
(``report_submit`` validates like the form), and what a form asks for is made from the text:
the title from its first words, the region from the places it names (the routing gazetteer).
What cannot be made (too short a story, no place named) is asked for in a conversation
(``Missing``) instead of refused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils import timezone

from lapor.channels.models import Channel, ChannelReport, InboundMessage
from lapor.core.text import clean, visible_length
from lapor.regions.models import Region
from lapor.reports.models import Report
from lapor.reports.services import Submitted, Upload, report_submit

if TYPE_CHECKING:
    from lapor.accounts.models import User

MIN_BODY = 20  # report_submit's own minimum: checked here first to ask instead of refusing
TITLE_MAX = 80

# The report's own channel (what statistics count by); ChannelReport adds the address.
REPORT_CHANNEL = {
    Channel.SMS: Report.Channel.SMS,
    Channel.EMAIL: Report.Channel.EMAIL,
    Channel.WHATSAPP: Report.Channel.WHATSAPP,
    Channel.LOKET: Report.Channel.LOKET,
    Channel.TELEPON: Report.Channel.TELEPON,
}


class Missing(StrEnum):
    WHAT = "what"
    WHERE = "where"


def title_from(text: str) -> str:
    """The first sentence (or line) of ``text``, cut at a word to at most ``TITLE_MAX``."""
    first = re.split(r"(?<=[.!?])\s|\n", clean(text).strip(), maxsplit=1)[0].strip()
    first = " ".join(first.split())
    if len(first) > TITLE_MAX:
        cut = first[: TITLE_MAX - 3].rsplit(" ", 1)[0]
        first = (cut or first[: TITLE_MAX - 3]) + "..."
    return first


def region_from(text: str) -> Region | None:
    """The region the text names, as the router would read it; None when it names none."""
    from lapor.routing.gazetteer import locate

    found = locate(text=text, region_code=None).region
    if found is None:
        return None
    return Region.objects.filter(code=found.code).first()


def missing(text: str, region: Region | None) -> Missing | None:
    if visible_length(text) < MIN_BODY:
        return Missing.WHAT
    if region is None:
        return Missing.WHERE
    return None


@dataclass(frozen=True)
class Filed:
    submitted: Submitted
    link: ChannelReport


def file_report(
    *,
    channel: Channel,
    text: str,
    region: Region,
    address: str,
    contact_phone: str = "",
    contact_email: str = "",
    contact_name: str = "",
    is_anonymous: bool = True,
    is_confidential: bool = True,
    title: str = "",
    attachments: list[Upload] | tuple[Upload, ...] = (),
    inbound: InboundMessage | None = None,
    actor: User | None = None,
    actor_role: str = "reporter",
) -> Filed:
    """File the report through ``report_submit`` and link it to its channel and address.

    The privacy defaults hold (anonim and rahasia) unless the citizen chose otherwise."""
    title = title or title_from(text)
    if visible_length(title) < 5:
        title = f"Laporan melalui {Channel(channel).label}"
    submitted = report_submit(
        type=Report.Type.PENGADUAN,
        title=title,
        body=text,
        region=region,
        channel=REPORT_CHANNEL[channel],
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        is_anonymous=is_anonymous,
        is_confidential=is_confidential,
        attachments=attachments,
        actor=actor,
        actor_role=actor_role,
    )
    link = ChannelReport.objects.create(
        report=submitted.report,
        channel=channel,
        address=address,
        inbound=inbound,
        recorded_by=actor,
        created_at=timezone.now(),
    )
    if inbound is not None:
        inbound.report = submitted.report
    return Filed(submitted=submitted, link=link)
