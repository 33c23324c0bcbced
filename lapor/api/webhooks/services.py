"""Writing webhook deliveries with the events, and the admins' changes to endpoints.

``deliveries_for_events`` is registered with ``reports.hooks`` (``ApiConfig.ready``): every
event written, by a service or the SLA sweep, gets its delivery rows and their job in the same
transaction, so a rolled-back change sends nothing and a committed one is never forgotten.

A partner hears of an event when one of its active ``partner`` memberships covers the agency
now holding the report (the unit, else the agency, within the membership's subtree), its
endpoint is active and subscribes to the event's type, and the event was not its own doing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency, Membership
from lapor.api.webhooks import payloads, signing
from lapor.api.webhooks.models import (
    EVENT_TYPES,
    TYPE_OF_ACTION,
    WebhookDelivery,
    WebhookEndpoint,
)
from lapor.core.error_codes import CoreErrorCode
from lapor.core.errors import NotAllowed, ValidationFailed
from lapor.reports.models import Report, ReportEvent

if TYPE_CHECKING:
    from lapor.accounts.models import User
    from lapor.api.models import Partner

S = WebhookDelivery.Status


def deliveries_for_events(pairs: Sequence[tuple[Report, ReportEvent]]) -> list[WebhookDelivery]:
    """Write the deliveries the events owe partners, and enqueue their job (inside the caller's
    transaction). One query when no endpoint is active."""
    pairs = [(r, e) for r, e in pairs if e.action in TYPE_OF_ACTION]
    if not pairs:
        return []
    endpoints = list(WebhookEndpoint.objects.filter(is_active=True, partner__is_active=True))
    if not endpoints:
        return []
    partner_user = dict(
        WebhookEndpoint.objects.filter(pk__in=[e.pk for e in endpoints]).values_list(
            "partner_id", "partner__user_id"
        )
    )
    scopes: dict[int, list[str]] = defaultdict(list)  # partner id → agency paths
    for partner_id, path in Membership.objects.filter(
        role=Membership.Role.PARTNER,
        is_active=True,
        user__partner__in=set(partner_user),
    ).values_list("user__partner", "agency__path"):
        scopes[partner_id].append(path)
    agency_ids = {i for r, _ in pairs for i in (r.agency_id, r.unit_id) if i}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids).only("code", "path")}
    codes = {pk: a.code for pk, a in agencies.items()}
    rows = []
    for report, event in pairs:
        handler = agencies.get(report.unit_id or report.agency_id or 0)
        if handler is None:
            continue
        event_type = TYPE_OF_ACTION[event.action]
        for endpoint in endpoints:
            if event_type not in endpoint.event_types:
                continue
            if event.actor_id is not None and event.actor_id == partner_user[endpoint.partner_id]:
                continue  # the partner's own doing: it knows
            if not any(handler.path.startswith(p) for p in scopes[endpoint.partner_id]):
                continue
            rows.append(
                WebhookDelivery(
                    endpoint=endpoint,
                    report=report,
                    report_seq=event.seq,
                    event_type=event_type,
                    webhook_id=signing.new_webhook_id(),
                    payload=payloads.build(
                        event_type=event_type, report=report, event=event, codes=codes
                    ),
                )
            )
    if not rows:
        return []
    created = WebhookDelivery.objects.bulk_create(rows)
    schedule()
    return created


def schedule() -> None:
    """Enqueue the delivery job (with the caller's transaction, when there is one)."""
    from lapor.api.webhooks.tasks import deliver_webhooks

    deliver_webhooks.enqueue()


def _national_admin(actor: User | None) -> None:
    if actor is None or not (
        actor.is_superuser
        or actor.memberships.filter(role=Membership.Role.NATIONAL_ADMIN, is_active=True).exists()
    ):
        raise NotAllowed(
            _("Hanya admin nasional yang dapat mengatur webhook sistem mitra."),
            code=CoreErrorCode.FORBIDDEN,
        )


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    schemes = {"https"} if settings.CONFIG.production else {"https", "http"}
    if parts.scheme not in schemes or not parts.hostname or len(url) > 500:
        raise ValidationFailed(
            _("Masukkan URL lengkap yang diawali https:// (alamat penerima webhook mitra)."),
            code=CoreErrorCode.INVALID,
            field="url",
        )
    return url


def _check_types(event_types: Iterable[str] | None) -> list[str]:
    chosen = list(EVENT_TYPES) if event_types is None else list(dict.fromkeys(event_types))
    if not chosen or any(t not in EVENT_TYPES for t in chosen):
        raise ValidationFailed(
            _("Pilih paling sedikit satu jenis peristiwa dari daftar."),
            code=CoreErrorCode.INVALID,
            field="event_types",
        )
    return chosen


def endpoint_create(
    *, partner: Partner, url: str, event_types: Iterable[str] | None = None, actor: User
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (``whsec_...``), which is shown this once."""
    _national_admin(actor)
    secret = signing.new_secret()
    endpoint = WebhookEndpoint.objects.create(
        partner=partner,
        url=_check_url(url),
        event_types=_check_types(event_types),
        secret_encrypted=signing.encrypt(secret),
    )
    return endpoint, secret


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint, actor: User) -> str:
    """A new secret, used from the next attempt on (retries of older messages included)."""
    _national_admin(actor)
    secret = signing.new_secret()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        secret_encrypted=signing.encrypt(secret), secret_rotated_at=timezone.now()
    )
    endpoint.refresh_from_db()
    return secret


def endpoint_enable(*, endpoint: WebhookEndpoint, actor: User) -> None:
    """Switch a disabled endpoint back on: its waiting deliveries are due at once."""
    _national_admin(actor)
    now = timezone.now()
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            is_active=True, disabled_at=None, disabled_reason="", consecutive_failures=0
        )
        WebhookDelivery.objects.filter(endpoint=endpoint, status__in=[S.PENDING, S.FAILED]).update(
            next_attempt_at=now
        )
        schedule()
    endpoint.refresh_from_db()


def delivery_redeliver(*, delivery: WebhookDelivery, actor: User) -> None:
    """Send one delivery again (delivered or abandoned): it is pending once more, with the same
    ``webhook-id``, so a receiver that has it already can drop it."""
    _national_admin(actor)
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).exclude(status=S.SENDING).update(
            status=S.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
        )
        schedule()
    delivery.refresh_from_db()
