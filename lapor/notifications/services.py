"""Telling reporters, supporters and officers what happened.

Messages are written as ``Notification`` rows in the same transaction as the change, with the
job that delivers them (nothing is lost if the process dies); the job runs once the transaction
has committed (``lapor.notifications.delivery``). Everything here works on many reports at
once, so the SLA sweep notifies a thousand reports with a handful of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership
from lapor.core.ids import display
from lapor.notifications import texts
from lapor.notifications.models import Notification
from lapor.reports import privacy
from lapor.reports.hooks import loaded_handler
from lapor.reports.models import Report, ReportEvent, Supporter

# Kept for callers that read the table; the texts live in ``notifications.texts``.
TELLS_REPORTER = texts.TELLS_REPORTER
SUBJECT = texts.SUBJECT
DELIVERY_CHUNK = 100  # notifications per delivery task

AddressHook = Callable[
    [Sequence[Report], dict[int, tuple[str, str] | None]], dict[int, tuple[str, str]]
]
# Registered by other packages from their AppConfig.ready() (this one never imports them):
# each may give a report's reporter another (channel, address) than their e-mail or phone.
ADDRESS_HOOKS: list[AddressHook] = []


def register_reporter_addresses(hook: AddressHook) -> None:
    if hook not in ADDRESS_HOOKS:
        ADDRESS_HOOKS.append(hook)


def _address(email: str, phone: str) -> tuple[str, str] | None:
    if email:
        return (Notification.Channel.EMAIL, email)
    if phone:
        return (Notification.Channel.SMS, phone)
    return None


def _reporter_addresses(reports: Sequence[Report]) -> dict[int, tuple[str, str] | None]:
    """Per report: (channel, address) of its reporter, or None when they left none."""
    user_ids = {r.reporter_id for r in reports if r.reporter_id}
    users = User.objects.only("email", "phone").in_bulk(user_ids) if user_ids else {}
    found: dict[int, tuple[str, str] | None] = {}
    for r in reports:
        user = users.get(r.reporter_id) if r.reporter_id else None
        found[r.pk] = _address(
            r.contact_email or (user.email if user else ""),
            r.contact_phone or (user.phone if user else ""),
        )
    # Answers go back on the channel the report came in by (lapor.channels: WhatsApp).
    for hook in ADDRESS_HOOKS:
        found.update(hook(reports, found))
    return found


def _supporter_addresses(report_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """Per report: (channel, address) of every supporter who confirmed their address (double
    opt-in; accounts and merged reporters are confirmed at once), without repeats."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    supporters = (
        Supporter.objects.filter(report_id__in=set(report_ids), confirmed_at__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    for s in supporters:
        address = _address(
            s.contact_email or (s.user.email if s.user else ""),
            s.contact_phone or (s.user.phone if s.user else ""),
        )
        if address and address not in found[s.report_id]:
            found[s.report_id].append(address)
    return found


def _handlers(reports: Sequence[Report]) -> dict[int, Agency]:
    """The agency (or unit) handling each report, by id: the one the report has loaded already
    (the service's permission check or its change read it), else read here."""
    found: dict[int, Agency] = {}
    for r in reports:
        handler = loaded_handler(r)
        if (
            handler is not None
            and handler.pk == (r.unit_id or r.agency_id)
            and "name" in handler.__dict__
            and "timezone" in handler.__dict__
        ):
            found[handler.pk] = handler
    ids = {r.unit_id or r.agency_id for r in reports if r.unit_id or r.agency_id} - set(found)
    if ids:
        found.update(Agency.objects.only("name", "timezone").in_bulk(ids))
    return found


def _reporter_text(
    report: Report, event: ReportEvent, handler: Agency | None, channel: str
) -> str | None:
    table = (
        texts.TELLS_REPORTER_SMS if channel == Notification.Channel.SMS else texts.TELLS_REPORTER
    )
    template = table.get(event.action)
    if template is None:
        return None
    sms = channel == Notification.Channel.SMS
    until = ""
    if event.action == "follow_up" and report.autoclose_at is not None:
        zone = handler.timezone if handler else "Asia/Jakarta"
        until = f" sebelum {texts.local_time(report.autoclose_at, zone)}"
    into = event.data.get("into", "")
    text = template.format(
        tid=display(report.tracking_id),
        agency=(texts.short_agency(handler.name) if sms else handler.name)
        if handler
        else "instansi terkait",
        message=event.message[: 120 if sms else 300],
        into=display(into) if into else "",
        until=until,
    )
    return texts.fit_sms(text) if sms else texts.with_footer(text, report.tracking_id)


def _supporter_text(
    report: Report, event: ReportEvent, handler: Agency | None, channel: str
) -> str | None:
    """What a supporter reads: the public step, with the text only of a public answer."""
    sms = channel == Notification.Channel.SMS
    template = (texts.TELLS_SUPPORTER_SMS if sms else texts.TELLS_SUPPORTER).get(event.action)
    if template is None:
        return None
    public_text = event.action in privacy.PUBLIC_MESSAGE_ACTIONS
    text = template.format(
        tid=display(report.tracking_id),
        agency=(texts.short_agency(handler.name) if sms else handler.name)
        if handler
        else "instansi terkait",
        message=event.message[:300] if public_text else "",
    )
    return (
        texts.fit_sms(text) if sms else texts.with_footer(text, report.tracking_id, supporter=True)
    )


def notify_report_events(pairs: Sequence[tuple[Report, ReportEvent]]) -> list[Notification]:
    """Queue the messages events owe the reporters and supporters (inside the transaction).

    The reporter hears of every step meant for them; a supporter only of what the public page
    shows, and nothing while the report is rahasia (``privacy.tells_supporters``)."""
    pairs = [(r, e) for r, e in pairs if not e.is_internal and e.action in texts.TELLS_REPORTER]
    if not pairs:
        return []
    reports = [r for r, _ in pairs]
    reporters = _reporter_addresses(reports)
    told = [r.pk for r, e in pairs if privacy.tells_supporters(r, e)]
    supporters = _supporter_addresses(told) if told else {}
    handlers = _handlers(reports)
    rows = []
    for report, event in pairs:
        handler = handlers.get(report.unit_id or report.agency_id or 0)
        reporter = reporters.get(report.pk)
        messages: list[tuple[str, str, str | None]] = []
        if reporter is not None:
            messages.append((*reporter, _reporter_text(report, event, handler, reporter[0])))
        if privacy.tells_supporters(report, event):
            for channel, address in supporters.get(report.pk, []):
                if (channel, address) != reporter:
                    body = _supporter_text(report, event, handler, channel)
                    messages.append((channel, address, body))
        for channel, address, body in messages:
            if body is None:
                continue
            rows.append(
                Notification(
                    report=report,
                    kind=event.action,
                    channel=channel,
                    recipient=address,
                    subject=texts.SUBJECT.format(tid=display(report.tracking_id)),
                    body=body,
                )
            )
    return _create(rows)


def notify_report_event(report: Report, event: ReportEvent) -> list[Notification]:
    """Queue the messages one event owes the reporter and supporters."""
    return notify_report_events([(report, event)])


def notify_privacy_change(report: Report, event: ReportEvent) -> list[Notification]:
    """Tell the reporter (only them) that the protection of their report changed: an officer
    adding anonim or rahasia, or their own consent (a confirmation, and a warning should it not
    have been them). The event's data holds the new settings, nothing personal."""
    address = _reporter_addresses([report]).get(report.pk)
    if address is None:
        return []
    channel, to = address
    sms = channel == Notification.Channel.SMS
    setting = (bool(event.data.get("anonymous")), bool(event.data.get("confidential")))
    by_reporter = event.actor_role == "reporter"
    if sms:
        template = texts.PRIVACY_BY_REPORTER_SMS if by_reporter else texts.PRIVACY_BY_OFFICER_SMS
        state = texts.PRIVACY_STATE_SMS[setting]
    else:
        template = texts.PRIVACY_BY_REPORTER if by_reporter else texts.PRIVACY_BY_OFFICER
        state = texts.PRIVACY_STATE[setting]
    body = template.format(tid=display(report.tracking_id), state=state)
    return _create(
        [
            Notification(
                report=report,
                kind=event.action,
                channel=channel,
                recipient=to,
                subject=texts.PRIVACY_SUBJECT.format(tid=display(report.tracking_id)),
                body=texts.fit_sms(body) if sms else body,
            )
        ]
    )


def notify_support_confirmation(
    *, report: Report, email: str, phone: str, link: str
) -> list[Notification]:
    """The one message an unconfirmed supporter's address gets: the link that confirms it."""
    address = _address(email, phone)
    if address is None:
        return []
    channel, to = address
    tid = display(report.tracking_id)
    if channel == Notification.Channel.SMS:
        body = texts.SUPPORT_CONFIRM_SMS.format(tid=tid, link=link)  # never cut: it holds a link
    else:
        body = texts.SUPPORT_CONFIRM.format(tid=tid, link=link)
    return _create(
        [
            Notification(
                report=report,
                kind="support_confirm",
                channel=channel,
                recipient=to,
                subject=texts.SUPPORT_CONFIRM_SUBJECT.format(tid=tid),
                body=body,
            )
        ]
    )


def staff_of(agency_ids: Iterable[int], role: str) -> dict[int, list[User]]:
    """Active staff with ``role`` at each agency (national admins: any agency). People only: a
    partner system's service account is told through its webhooks, never as staff."""
    found: dict[int, list[User]] = defaultdict(list)
    if role == Membership.Role.PARTNER:
        return found
    memberships = Membership.objects.filter(role=role, is_active=True, user__is_active=True)
    if role != Membership.Role.NATIONAL_ADMIN:
        memberships = memberships.filter(agency_id__in=set(agency_ids))
    for m in memberships.select_related("user").order_by("pk"):
        if m.user not in found[m.agency_id]:
            found[m.agency_id].append(m.user)
    return found


def national_admins() -> list[User]:
    users: dict[int, User] = {}
    for staff in staff_of([], Membership.Role.NATIONAL_ADMIN).values():
        for u in staff:
            users.setdefault(u.pk, u)
    return list(users.values())


def notify_staff_digest(
    *,
    kind: str,
    recipients: Sequence[User],
    reports: Sequence[Report],
    agency_name: str,
    deadlines: dict[int, Any] | None = None,
    zone: str = "Asia/Jakarta",
) -> list[Notification]:
    """One message per officer listing ``reports`` (an overdue or escalation digest)."""
    if not reports or not recipients:
        return []
    count = len(reports)
    lines = []
    for r in reports[: texts.DIGEST_LINES]:
        deadline = (deadlines or {}).get(r.pk)
        when = f" (batas {texts.local_time(deadline, zone)})" if deadline else ""
        lines.append(f"- {display(r.tracking_id)} · {r.title[:80]}{when}")
    if count > texts.DIGEST_LINES:
        lines.append(f"... dan {count - texts.DIGEST_LINES} laporan lainnya.")
    body = (
        texts.OFFICER_INTRO[kind].format(count=count, agency=agency_name)
        + "\n\n"
        + "\n".join(lines)
    )
    subject = texts.OFFICER_SUBJECT[kind].format(count=count)
    sms = texts.fit_sms(
        texts.OFFICER_SMS[kind].format(count=count, agency=texts.short_agency(agency_name))
    )
    rows = []
    for user in recipients:
        address = _address(user.email, user.phone)
        if address is None:
            continue
        channel, to = address
        rows.append(
            Notification(
                report=reports[0] if count == 1 else None,
                kind=kind,
                channel=channel,
                recipient=to,
                subject=subject,
                body=sms if channel == Notification.Channel.SMS else body,
            )
        )
    return _create(rows)


def _create(rows: list[Notification]) -> list[Notification]:
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    schedule_delivery([n.pk for n in created])
    return created


def schedule_delivery(ids: list[int]) -> None:
    """Enqueue delivery in chunks several workers can share. The queue is a table of the same
    database, so inside the caller's transaction the jobs commit (or roll back) with the
    notification rows; outside one they are written at once."""
    if not ids:
        return
    from lapor.notifications.tasks import deliver_notifications

    for i in range(0, len(ids), DELIVERY_CHUNK):
        deliver_notifications.enqueue(ids[i : i + DELIVERY_CHUNK])
