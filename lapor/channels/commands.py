"""What a text message asks for (``grammar``), done through the report services, answered on
the same channel. The sender's address is their identity: a report filed from it (on any
channel, the web included) is theirs to follow, reply to and rate; anyone else learns only
what the public page shows, and of a rahasia report not even that it exists."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lapor.channels import intake, replies, texts
from lapor.channels.grammar import Command, Parsed, parse
from lapor.channels.models import Channel, Conversation, InboundMessage
from lapor.core.errors import LaporError, NotAllowed
from lapor.core.ids import display
from lapor.reports import privacy
from lapor.reports.models import Report
from lapor.reports.services import is_reporter, report_rate, report_reply

# A story waiting for its missing part is forgotten after this long.
DRAFT_HOURS = 24


def handle_text(message: InboundMessage, text: str) -> None:
    """Act on ``text`` from ``message.sender`` and answer it on ``message.channel``."""
    parsed = parse(text)
    sender = message.sender
    if parsed.command is Command.REPORT:
        _story(message, parsed.text)
    elif parsed.command is Command.CANCEL:
        _cancel(message)
    elif parsed.problem:
        _explain(message, parsed)
    else:
        report = Report.objects.filter(tracking_id=parsed.tracking_id).first()
        if report is None:
            _say(message, texts.NOT_FOUND, parsed.tracking_id)
        elif parsed.command is Command.TRACK:
            _track(message, report)
        elif not is_reporter(report, contact=sender):
            # Of a rahasia report a stranger learns not even that it exists.
            refusal = texts.NOT_REPORTER if privacy.is_public(report) else texts.NOT_FOUND
            _say(message, refusal, parsed.tracking_id)
        else:
            _act(message, report, parsed)


def _say(message: InboundMessage, template: str, tracking_id: str = "", **extra: object) -> None:
    body = template.format(
        tid=display(tracking_id) if tracking_id else "",
        link=texts.track_link(tracking_id) if tracking_id else "",
        **extra,
    )
    replies.send(channel=message.channel, to=message.sender, body=body)


def _track(message: InboundMessage, report: Report) -> None:
    """The status for the reporter; for anyone else only a public report's public status."""
    if is_reporter(report, contact=message.sender):
        handler = report.unit or report.agency
        agency = f", {handler.name}" if handler else ""
    elif privacy.is_public(report):
        agency = ""
    else:
        _say(message, texts.NOT_FOUND, report.tracking_id)
        return
    _say(
        message, texts.STATUS, report.tracking_id, status=texts.status_label(report), agency=agency
    )


def _act(message: InboundMessage, report: Report, parsed: Parsed) -> None:
    try:
        if parsed.command is Command.REPLY:
            report_reply(report=report, message=parsed.text, contact=message.sender)
            _say(message, texts.REPLIED, report.tracking_id)
        else:
            assert parsed.rating is not None
            report_rate(
                report=report, rating=parsed.rating, comment=parsed.text, contact=message.sender
            )
            _say(message, texts.RATED, report.tracking_id, rating=parsed.rating)
    except NotAllowed:
        _say(message, texts.NOT_REPORTER, report.tracking_id)
    except LaporError as refused:
        # The service's own message, in the citizen's language: what to do next.
        _say(message, texts.REFUSED, report.tracking_id, reason=refused.message)
    message.report = report


def _explain(message: InboundMessage, parsed: Parsed) -> None:
    if parsed.problem == "id":
        _say(message, texts.HELP_ID)
    elif parsed.problem == "rating":
        _say(message, texts.HELP_RATING, parsed.tracking_id)
    else:
        _say(message, texts.HELP_TEXT, parsed.tracking_id)


def _open_draft(message: InboundMessage) -> Conversation | None:
    """The sender's open conversation; one left for longer than ``DRAFT_HOURS`` is ended."""
    draft = (
        Conversation.objects.select_for_update()
        .filter(channel=message.channel, sender=message.sender)
        .exclude(step__in=[Conversation.Step.DONE, Conversation.Step.CANCELLED])
        .first()
    )
    if draft is not None and draft.updated_at < timezone.now() - timedelta(hours=DRAFT_HOURS):
        draft.step = Conversation.Step.CANCELLED
        draft.save(update_fields=["step"])
        return None
    return draft


def _cancel(message: InboundMessage) -> None:
    draft = _open_draft(message)
    if draft is None:
        _say(message, texts.NOTHING_TO_CANCEL)
        return
    draft.step = Conversation.Step.CANCELLED
    draft.updated_at = timezone.now()
    draft.save(update_fields=["step", "updated_at"])
    _say(message, texts.CANCELLED)


def _story(message: InboundMessage, text: str) -> None:
    """Free text: a new report, or the missing part of one being put together."""
    now = timezone.now()
    draft = _open_draft(message)
    story = f"{draft.data.get('text', '')}\n{text}".strip() if draft else text
    region = intake.region_from(story)
    lacking = intake.missing(story, region)
    if lacking is not None:
        step = Conversation.Step.WHAT if lacking is intake.Missing.WHAT else Conversation.Step.WHERE
        if draft is None:
            Conversation.objects.create(
                channel=message.channel,
                sender=message.sender,
                step=step,
                data={"text": story},
                started_at=now,
                updated_at=now,
            )
        else:
            draft.step, draft.data, draft.updated_at = step, {"text": story}, now
            draft.save(update_fields=["step", "data", "updated_at"])
        _say(message, texts.ASK_WHAT if step == Conversation.Step.WHAT else texts.ASK_WHERE)
        return
    assert region is not None
    filed = intake.file_report(
        channel=Channel(message.channel),
        text=story,
        region=region,
        address=message.sender,
        contact_phone=message.sender,
        inbound=message,
    )
    if draft is not None:
        draft.step, draft.report, draft.updated_at = (
            Conversation.Step.DONE,
            filed.submitted.report,
            now,
        )
        draft.save(update_fields=["step", "report", "updated_at"])
    report = filed.submitted.report
    replies.replace_receipt(
        channel=message.channel,
        report=report,
        to=message.sender,
        body=texts.filed(report.tracking_id, filed.submitted.secret),
    )
