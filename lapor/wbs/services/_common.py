"""What the WBS services share: Argon2id cost, the server key, locking and notifying."""

from __future__ import annotations

from hashlib import blake2b

from django.conf import settings

from lapor.accounts.models import User
from lapor.notifications.models import Notification
from lapor.notifications.services import schedule_delivery
from lapor.wbs import crypto
from lapor.wbs.models import Case

WHISTLEBLOWER = "pelapor"
INSPECTOR = "inspektur"


def kdf_cost() -> crypto.KdfCost:
    """Argon2id cost of new passphrases and receipts (``LAPOR_WBS_KDF``: interactive|minimum;
    minimum is for tests only)."""
    if getattr(settings, "LAPOR_WBS_KDF", "interactive") == "minimum":
        return crypto.MINIMUM
    return crypto.INTERACTIVE


def escrow_key() -> bytes | None:
    """The national escrow public key (``WBS_ESCROW_PUBLIC_KEY``), or None: no escrow."""
    import base64

    raw = str(getattr(settings, "LAPOR_WBS_ESCROW_PUBLIC_KEY", "") or "")
    return base64.b64decode(raw) if raw else None


def index_key() -> bytes:
    """The server key of receipt indexes and rate-limit keys (``LAPOR_WBS_INDEX_KEY``, else
    derived from SECRET_KEY). Changing it makes every receipt unfindable."""
    secret = str(getattr(settings, "LAPOR_WBS_INDEX_KEY", "") or settings.SECRET_KEY)
    return blake2b(secret.encode(), digest_size=32, person=b"lapor-wbs-key").digest()


# --- recipients' keys ---------------------------------------------------------------------


def lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def refresh_case(stale: Case, fresh: Case) -> None:
    for field in Case._meta.concrete_fields:
        setattr(stale, field.attname, getattr(fresh, field.attname))


def notify_recipients(people: list[User]) -> None:
    """Tell recipients there is something to read: never what, never which case."""
    from lapor.wbs.texts import notice

    rows = []
    for person in people:
        subject, body = notice()
        if person.email:
            rows.append(
                Notification(
                    kind="wbs_new",
                    channel=Notification.Channel.EMAIL,
                    recipient=person.email,
                    subject=subject,
                    body=body,
                )
            )
    if rows:
        created = Notification.objects.bulk_create(rows)
        schedule_delivery([n.pk for n in created])


# --- opening a case ---------------------------------------------------------------------------
