"""A signed-in citizen proves they hold a phone number or e-mail address, then claims the
reports filed from it as a guest (by SMS, e-mail, WhatsApp or at a desk).

A 6-digit code goes to the contact through the notifications outbox (SMS to a number, e-mail
to an address). What the account's session keeps is the contact, an HMAC of the code (keyed
with ``SECRET_KEY``, bound to the account, the contact and a fresh nonce, so the session table
never holds the code and a copy of the database alone cannot test guesses), when it expires
(15 minutes) and how many wrong codes were typed: the fifth wrong one ends the attempt, and
only a new code (asking counts against the ``account`` rate limit) opens another. The session
lives in the database, so the count cannot be reset by replaying an old cookie.

Once the code is right the reports are claimed (``reports.services.reports_claim_contact``)
and the outbox message that carried the code is blanked (or given up, if still unsent): the
code is spent and the database keeps no copy of it."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lapor.accounts.error_codes import AccountErrorCode
from lapor.core.errors import ValidationFailed
from lapor.core.phones import InvalidPhone
from lapor.notifications.models import Notification
from lapor.notifications.services import schedule_delivery
from lapor.reports.services.claim import normalize_contact, reports_claim_contact

if TYPE_CHECKING:
    from lapor.accounts.models import User

SESSION_KEY = "lapor.accounts.verify"
CODE_TTL = timedelta(minutes=15)
MAX_ATTEMPTS = 5
SALT = "lapor.accounts.verify"
KIND = "contact_verify"
SPENT = "(kode verifikasi sudah dipakai atau diganti)"

SUBJECT = "[LAPOR!] Kode verifikasi"
BODY = (
    "Kode verifikasi LAPOR! Anda: {code}\n\n"
    "Masukkan kode ini di halaman akun Anda dalam 15 menit untuk menautkan laporan yang "
    "dikirim dari alamat ini ke akun Anda. Jangan berikan kode ini kepada siapa pun, "
    "termasuk petugas.\n\n"
    "Bila Anda tidak memintanya, abaikan pesan ini: tidak ada yang berubah."
)
BODY_SMS = "LAPOR! Kode verifikasi: {code}. Berlaku 15 menit. Jangan berikan kepada siapa pun."


def _digest(user_pk: int, contact: str, nonce: str, code: str) -> str:
    value = f"{user_pk}\n{contact}\n{nonce}\n{code}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()


def pending(session: SessionBase) -> dict[str, Any] | None:
    """The attempt waiting for its code, or None (none asked, expired, or ended)."""
    state = session.get(SESSION_KEY)
    if not state or state["expires"] <= time.time() or state["attempts"] >= MAX_ATTEMPTS:
        return None
    return dict(state)


def _retire(notification_id: int | None) -> None:
    """The message that carried a code no longer needed: blanked if sent, given up if not."""
    if not notification_id:
        return
    rows = Notification.objects.filter(pk=notification_id)
    rows.filter(status=Notification.Status.SENT).update(body=SPENT)
    rows.filter(status=Notification.Status.PENDING).update(
        status=Notification.Status.FAILED, body=SPENT, last_error=SPENT
    )


def verify_send(*, session: SessionBase, user: User, contact: str) -> str:
    """Send a new code to ``contact`` (a phone number or e-mail address); the normalised
    contact. An earlier code stops working."""
    try:
        kind, value = normalize_contact(contact)
        if kind == "email":
            validate_email(value)
    except (InvalidPhone, DjangoValidationError):
        raise ValidationFailed(
            _(
                "Tulis nomor telepon (mis. 0812-3456-7890) atau alamat surel yang Anda pakai "
                "saat mengirim laporan."
            ),
            code=AccountErrorCode.INVALID_IDENTIFIER,
            field="contact",
        ) from None
    if not value:
        raise ValidationFailed(
            _("Tulis nomor telepon atau alamat surel yang ingin Anda verifikasi."),
            code=AccountErrorCode.INVALID_IDENTIFIER,
            field="contact",
        )
    code = f"{secrets.randbelow(10**6):06d}"
    nonce = secrets.token_hex(16)
    by_email = kind == "email"
    earlier = (session.get(SESSION_KEY) or {}).get("notification")
    with transaction.atomic():
        _retire(earlier)
        notification = Notification.objects.create(
            kind=KIND,
            channel=Notification.Channel.EMAIL if by_email else Notification.Channel.SMS,
            recipient=value,
            subject=SUBJECT if by_email else "",
            body=(BODY if by_email else BODY_SMS).format(code=code),
        )
        schedule_delivery([notification.pk])
    session[SESSION_KEY] = {
        "contact": value,
        "kind": kind,
        "nonce": nonce,
        "hash": _digest(int(user.pk), value, nonce, code),
        "expires": time.time() + CODE_TTL.total_seconds(),
        "attempts": 0,
        "notification": notification.pk,
    }
    return value


def _ended() -> ValidationFailed:
    return ValidationFailed(
        _(
            "Kode ini tidak berlaku lagi: sudah lewat 15 menit atau terlalu sering salah. Minta "
            "kode baru, lalu masukkan kode dari pesan terbaru."
        ),
        code=AccountErrorCode.VERIFY_CODE_EXPIRED,
        field="code",
    )


def verify_confirm(*, session: SessionBase, user: User, code: str) -> tuple[str, list[int]]:
    """Check ``code``; when right, claim the guest reports of the contact and remember the
    contact on the account where it has none. (The contact, the ids claimed)."""
    state = session.get(SESSION_KEY)
    if not state:
        raise _ended()
    if pending(session) is None:
        _retire(state.get("notification"))
        raise _ended()
    typed = "".join(code.split())
    expected = state["hash"]
    if not constant_time_compare(
        _digest(int(user.pk), state["contact"], state["nonce"], typed), expected
    ):
        state["attempts"] += 1
        session[SESSION_KEY] = state
        left = MAX_ATTEMPTS - state["attempts"]
        if left <= 0:
            _retire(state.get("notification"))
            raise _ended()
        raise ValidationFailed(
            ngettext(
                "Kode salah. Periksa pesan terbaru dari LAPOR!; Anda dapat mencoba %(left)d kali "
                "lagi.",
                "Kode salah. Periksa pesan terbaru dari LAPOR!; Anda dapat mencoba %(left)d kali "
                "lagi.",
                left,
            )
            % {"left": left},
            code=AccountErrorCode.VERIFY_CODE_WRONG,
            field="code",
        )
    contact, kind = state["contact"], state["kind"]
    with transaction.atomic():
        claimed = reports_claim_contact(user=user, contact=contact)
        _remember(user, kind, contact)
        _retire(state.get("notification"))
    del session[SESSION_KEY]
    return contact, claimed


def _remember(user: User, kind: str, contact: str) -> None:
    """Keep the verified contact on the account when it has none of that kind and no other
    account signs in with it (the contact is a sign-in name; accounts keep a phone number in
    their own form, ``accounts.services.normalize_phone``)."""
    from lapor.accounts.models import User
    from lapor.accounts.services import normalize_phone as account_phone

    if kind == "phone":
        phone = account_phone(contact)
        if not user.phone and not User.objects.filter(phone=phone).exists():
            User.objects.filter(pk=user.pk, phone="").update(phone=phone)
            user.phone = phone
    elif not user.email and not User.objects.filter(email__iexact=contact).exists():
        User.objects.filter(pk=user.pk, email="").update(email=contact)
        user.email = contact
