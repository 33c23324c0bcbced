"""Handling a case: who may open it, reading, messages both ways, stages, sharing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.models import User
from lapor.core.errors import NotFound, ValidationFailed
from lapor.wbs import crypto, events, recipients
from lapor.wbs.error_codes import WbsErrorCode
from lapor.wbs.models import Case, CaseKey, Message, Outcome, PersonKey, Stage
from lapor.wbs.services._common import (
    INSPECTOR,
    WHISTLEBLOWER,
    lock_case,
    notify_recipients,
    refresh_case,
)
from lapor.wbs.services.submit import stage_deadline

NEXT: dict[str, set[str]] = {
    Stage.RECEIVED: {Stage.VERIFICATION, Stage.CONCLUDED},
    Stage.VERIFICATION: {Stage.INVESTIGATION, Stage.CONCLUDED},
    Stage.INVESTIGATION: {Stage.CONCLUDED},
    Stage.CONCLUDED: set(),
}


def recipient_case(*, public_id: str, user: User) -> Case:
    """The case if ``user`` is one of its recipients and still inspects for its level; else
    ``NotFound`` (a 404: others cannot even learn it exists)."""
    case = Case.objects.filter(public_id=public_id).first()
    if (
        case is None
        or not CaseKey.objects.filter(case=case, user=user).exists()
        or not recipients.may_handle(user, case.handled_by_id)
    ):
        raise NotFound(_("Laporan tidak ditemukan."), code=WbsErrorCode.CASE_NOT_FOUND)
    return case


def case_private_key(*, case: Case, user: User, person_private: bytes) -> bytes:
    row = CaseKey.objects.get(case=case, user=user)
    return crypto.unseal(person_private, bytes(row.sealed))


@transaction.atomic
def case_read(*, case: Case, user: User) -> None:
    """Record that ``user`` opened the case, and that they have seen its messages."""
    locked = lock_case(case)
    now = timezone.now()
    events.record(locked, "read", actor_id=user.pk, role=INSPECTOR, at=now)
    locked.save(update_fields=["event_count", "last_event_hash"])
    CaseKey.objects.filter(case=locked, user=user).update(seen_messages=locked.messages.count())
    refresh_case(case, locked)


@transaction.atomic
def whistleblower_opened(*, case: Case) -> None:
    locked = lock_case(case)
    events.record(locked, "opened_by_receipt", actor_id=None, role=WHISTLEBLOWER, at=timezone.now())
    locked.save(update_fields=["event_count", "last_event_hash"])
    refresh_case(case, locked)


@transaction.atomic
def message_send(*, case: Case, text: str, user: User | None = None) -> Message:
    """A message from the inspector ``user`` or, with no user, from the whistleblower; sealed to
    the case so both sides (and only they) can read it."""
    text = text.strip()
    if not text:
        raise ValidationFailed(
            _("Tulis pesan Anda terlebih dahulu."), code=WbsErrorCode.MESSAGE_EMPTY, field="text"
        )
    locked = lock_case(case)
    if locked.stage == Stage.CONCLUDED:
        raise ValidationFailed(
            _("Laporan ini sudah selesai ditangani; pesan tidak dapat dikirim lagi."),
            code=WbsErrorCode.STAGE_INVALID,
        )
    now = timezone.now()
    author = Message.Author.INSPECTOR if user else Message.Author.WHISTLEBLOWER
    message = Message.objects.create(
        case=locked,
        author=author,
        sealed=crypto.seal_json(bytes(locked.public_key), {"text": text}),
        created_at=now,
    )
    events.record(
        locked,
        "message",
        actor_id=user.pk if user else None,
        role=INSPECTOR if user else WHISTLEBLOWER,
        at=now,
        data={"message": message.pk},
    )
    locked.updated_at = now
    locked.save()
    if user is None:
        notify_recipients(
            [k.user for k in CaseKey.objects.filter(case=locked).select_related("user")]
        )
    else:
        CaseKey.objects.filter(case=locked, user=user).update(seen_messages=locked.messages.count())
    refresh_case(case, locked)
    return message


@transaction.atomic
def stage_change(*, case: Case, user: User, to: str, outcome: str = "") -> None:
    """Move the case to its next stage; concluding names the outcome."""
    locked = lock_case(case)
    if to not in NEXT.get(locked.stage, set()) or (to == Stage.CONCLUDED) != bool(outcome):
        raise ValidationFailed(
            _("Tahap ini tidak dapat dipilih sekarang. Muat ulang halaman lalu coba lagi."),
            code=WbsErrorCode.STAGE_INVALID,
        )
    if outcome and outcome not in Outcome.values:
        raise ValidationFailed(_("Pilih hasil penanganan."), code=WbsErrorCode.STAGE_INVALID)
    now = timezone.now()
    events.record(
        locked,
        "concluded" if to == Stage.CONCLUDED else "stage",
        actor_id=user.pk,
        role=INSPECTOR,
        at=now,
        data={"from": locked.stage, "to": to, "outcome": outcome},
    )
    locked.stage = to
    locked.outcome = outcome
    locked.deadline_at = stage_deadline(to, now, locked.agency)
    locked.updated_at = now
    locked.save()
    refresh_case(case, locked)


def record_file_read(*, case: Case, user: User, file_id: int) -> None:
    with transaction.atomic():
        locked = lock_case(case)
        events.record(
            locked,
            "file_read",
            actor_id=user.pk,
            role=INSPECTOR,
            at=timezone.now(),
            data={"file": file_id},
        )
        locked.save(update_fields=["event_count", "last_event_hash"])
        refresh_case(case, locked)


def share_candidates(case: Case) -> list[User]:
    """Inspectors of the case's level, with a key, not yet recipients and not working inside
    the agency concerned: those a recipient may share the case with."""
    holders = set(CaseKey.objects.filter(case=case).values_list("user_id", flat=True))
    people = recipients.inspectors_at(case.handled_by, recipients.concerned(case.agency))
    return [p for p in people if p.pk not in holders]


@transaction.atomic
def case_share(*, case: Case, user: User, person_private: bytes, to: User) -> None:
    """Seal the case to a colleague of the same inspectorate (one who set up a key after the
    case arrived, or joined later): only a recipient who can open the case can do it."""
    if to not in share_candidates(case):
        raise ValidationFailed(
            _("Laporan ini hanya dapat dibagikan kepada inspektur lain di inspektorat yang sama."),
            code=WbsErrorCode.NO_RECIPIENT,
        )
    private = case_private_key(case=case, user=user, person_private=person_private)
    locked = lock_case(case)
    key = PersonKey.objects.get(user=to)
    CaseKey.objects.create(case=locked, user=to, sealed=crypto.seal(bytes(key.public_key), private))
    events.record(
        locked, "shared", actor_id=user.pk, role=INSPECTOR, at=timezone.now(), data={"to": to.pk}
    )
    locked.save(update_fields=["event_count", "last_event_hash"])
    notify_recipients([to])
    refresh_case(case, locked)
