"""Writing webhook deliveries with the events, and the admins' changes to endpoints.

``deliveries_for_events`` is registered with ``reports.hooks`` (``ApiConfig.ready``): every
event written, by a service or the SLA sweep, gets its delivery rows and their job in the same
transaction, so a rolled-back change sends nothing and a committed one is never forgotten.

A partner hears of an event when one of its active ``partner`` memberships covers the agency
now holding the report (the unit, else the agency, within the membership's subtree), its
endpoint is active and subscribes to the event's type, and the event was not its own doing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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
    transaction). One query when no endpoint is active; one more to write them, and one for
    the handling agencies only when the reports have not loaded them already."""
    pairs = [(r, e) for r, e in pairs if e.action in TYPE_OF_ACTION]
    if not pairs:
        return []
    endpoints = _listening()
    if not endpoints:
        return []
    agencies = _handlers([r for r, _ in pairs])
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
            if event.actor_id is not None and event.actor_id == endpoint.partner_user_id:
                continue  # the partner's own doing: it knows
            if not any(handler.path.startswith(p) for p in endpoint.scopes):
                continue
            rows.append(
                WebhookDelivery(
                    endpoint_id=endpoint.pk,
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


@dataclass
class _Listening:
    """An active endpoint of an active partner, with what decides who hears what."""

    pk: int
    event_types: list[str]
    partner_user_id: int | None
    scopes: list[str] = field(default_factory=list)  # the partner's agency paths


def _listening() -> list[_Listening]:
    """Every active endpoint of an active partner with its partner's active ``partner``
    memberships, in one query (an endpoint whose partner speaks for no agency hears nothing)."""
    found: dict[int, _Listening] = {}
    rows = WebhookEndpoint.objects.filter(
        is_active=True,
        partner__is_active=True,
        partner__user__memberships__role=Membership.Role.PARTNER,
        partner__user__memberships__is_active=True,
    ).values_list(
        "pk", "event_types", "partner__user_id", "partner__user__memberships__agency__path"
    )
    for pk, event_types, user_id, path in rows:
        found.setdefault(pk, _Listening(pk, event_types, user_id)).scopes.append(path)
    return list(found.values())


def _handlers(reports: list[Report]) -> dict[int, Agency]:
    """The agency and unit of each report, by id, with their code and path: the rows the
    report has loaded already (the service read them), else read here."""
    found: dict[int, Agency] = {}
    for report in reports:
        for name in ("agency", "unit"):
            row = report._state.fields_cache.get(name)
            if isinstance(row, Agency) and "code" in row.__dict__ and "path" in row.__dict__:
                found[row.pk] = row
    ids = {i for r in reports for i in (r.agency_id, r.unit_id) if i} - set(found)
    if ids:
        found.update(Agency.objects.filter(pk__in=ids).only("code", "path").in_bulk())
    return found


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
    """Switch a disabled endpoint back on: its waiting deliveries are due at once. Refused for
    an endpoint of a deactivated partner: that partner hears nothing more."""
    _national_admin(actor)
    if not endpoint.partner.is_active:
        raise ValidationFailed(
            _("Sistem mitra ini sudah dinonaktifkan; webhook-nya tidak dapat diaktifkan lagi."),
            code=CoreErrorCode.INVALID,
        )
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
