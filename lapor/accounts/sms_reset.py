"""Password reset by a 6-digit code sent by SMS to the account's own phone number.

An account's phone number is proven: it is set only by registering with it (the activation
link went to it by SMS) or by the contact check of ``accounts.verify``. So whoever receives the
code at that number holds the account's phone.

- **No enumeration**: asking for a code does the same work whatever number is typed: one
  indexed look-up, one cache count, one job row (``tasks.send_reset_code``, given the account's
  id or 0); the page answers the same. The job, after the answer has gone, decides whether a
  code is made and sent. Typing a code answers one message for every failure (wrong, expired,
  used, replaced, no account), and the per-number limits count unknown numbers alike.
- **Only a hash is kept**: the row holds an HMAC of the code keyed with ``SECRET_KEY``, bound
  to the account and a per-code nonce, so a copy of the database alone cannot test guesses.
  The outbox message that carried the code is blanked once the code is spent.
- **Short-lived, single use**: 15 minutes; spent when the new password is set (under the row
  lock, so two parallel answers set it once), when a newer code is sent, or after 5 wrong tries.
- **Throttled**: per number typed, 3 codes asked an hour and 10 wrong codes an hour (a 429 with
  ``Retry-After`` beyond); per account, 3 codes an hour (in the job) and 5 tries per code; per
  client address, the portal's ``account`` rate limit on every form sent.
- The SMS is in Bahasa Indonesia, or English when the account's language is English
  (``User.language``, kept from the pages it last signed in with)."""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from lapor.accounts.error_codes import AccountErrorCode
from lapor.accounts.models import PasswordResetCode, User
from lapor.core.errors import ValidationFailed
from lapor.notifications.models import Notification
from lapor.notifications.services import schedule_delivery

log = logging.getLogger(__name__)

CODE_TTL = timedelta(minutes=15)
MAX_ATTEMPTS = 5  # wrong codes per code
CODES_PER_HOUR = 3  # codes made per account an hour
PHONE_REQUESTS_PER_HOUR = 3  # codes asked per number typed an hour (any number)
PHONE_FAILURES_PER_HOUR = 10  # wrong codes per number typed an hour (any number)
HOUR = 3600
SALT = "lapor.accounts.sms_reset"
KIND = "password_reset_code"
SPENT = "(kode atur ulang kata sandi sudah dipakai atau diganti)"
DUMMY_NONCE = "0" * 32

SMS = {
    "id": (
        "LAPOR! Kode atur ulang kata sandi: {code}. Berlaku 15 menit. Jangan berikan kepada "
        "siapa pun, termasuk petugas. Abaikan bila Anda tidak memintanya."
    ),
    "en": (
        "LAPOR! Password reset code: {code}. Valid for 15 minutes. Do not share it with anyone, "
        "officers included. Ignore this if you did not ask for it."
    ),
}


def _digest(user_pk: int, nonce: str, code: str) -> str:
    return salted_hmac(SALT, f"{user_pk}\n{nonce}\n{code}", algorithm="sha256").hexdigest()


def _key(kind: str, phone: str) -> tuple[str, int]:
    """The cache key of this hour's counter of ``kind`` for ``phone``; seconds left in it."""
    now = time.time()
    digest = hashlib.sha256(f"{SALT}\n{phone}".encode()).hexdigest()[:32]
    window = int(now // HOUR)
    return f"lapor.reset.{kind}.{digest}.{window}", math.ceil((window + 1) * HOUR - now)


def _count(kind: str, phone: str) -> int:
    """Count one more of ``kind`` for ``phone`` this hour; the count (0 if the cache is down:
    let through and logged, as the portal's limits do)."""
    key, left = _key(kind, phone)
    try:
        if cache.add(key, 1, timeout=left + 60):
            return 1
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=left + 60)
        return 1
    except Exception:
        log.warning("reset throttle %s not counted", kind, exc_info=True)
        return 0


def _read(kind: str, phone: str) -> tuple[int, int]:
    key, left = _key(kind, phone)
    try:
        return int(cache.get(key) or 0), left
    except Exception:
        log.warning("reset throttle %s not read", kind, exc_info=True)
        return 0, 0


def wait_seconds(phone: str) -> int:
    """Seconds before another code may be typed for ``phone``; 0: go ahead."""
    failures, left = _read("fail", phone)
    return left if failures >= PHONE_FAILURES_PER_HOUR else 0


def record_failure(phone: str) -> None:
    _count("fail", phone)


def request_code(*, phone: str) -> None:
    """Someone asks for a code for ``phone`` (normalised, ``accounts.services.normalize_phone``).
    Nothing returned, nothing raised: the same work and answer for any number."""
    from lapor.accounts.tasks import send_reset_code

    user = User.objects.filter(phone=phone, is_active=True).only("pk", "password").first()
    usable = user is not None and bool(phone) and user.has_usable_password()
    within = _count("ask", phone) <= PHONE_REQUESTS_PER_HOUR
    send_reset_code.enqueue(int(user.pk) if user is not None and usable and within else 0)


def send_code(user_id: int) -> int | None:
    """The job: make and send a code to the account ``user_id`` (0: nobody, nothing is done);
    the new row's id, or None when nothing was sent (no such account, no password to reset,
    or its 3 codes this hour already sent). Earlier codes of the account stop working."""
    if not user_id:
        return None
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None or not user.phone or not user.has_usable_password():
            return None
        recent = user.reset_codes.filter(created_at__gt=now - timedelta(hours=1)).count()
        if recent >= CODES_PER_HOUR:
            return None
        for earlier in user.reset_codes.filter(spent_at__isnull=True):
            _spend(earlier, now)
        code = f"{secrets.randbelow(10**6):06d}"
        nonce = secrets.token_hex(16)
        language = "en" if user.language.startswith("en") else "id"
        notification = Notification.objects.create(
            kind=KIND,
            channel=Notification.Channel.SMS,
            recipient=user.phone,
            body=SMS[language].format(code=code),
        )
        row = PasswordResetCode.objects.create(
            user=user,
            code_hash=_digest(int(user.pk), nonce, code),
            nonce=nonce,
            created_at=now,
            expires_at=now + CODE_TTL,
            notification_id=notification.pk,
        )
        schedule_delivery([notification.pk])
    return int(row.pk)


def _invalid() -> ValidationFailed:
    return ValidationFailed(
        _(
            "Kode salah atau sudah tidak berlaku. Periksa SMS terbaru dari LAPOR!, atau minta "
            "kode baru (kode berlaku 15 menit dan hanya untuk satu kali)."
        ),
        code=AccountErrorCode.RESET_CODE_WRONG,
        field="code",
    )


def _live(phone: str) -> PasswordResetCode | None:
    now = timezone.now()
    return (
        PasswordResetCode.objects.select_related("user")
        .filter(
            user__phone=phone,
            user__is_active=True,
            spent_at__isnull=True,
            expires_at__gt=now,
            attempts__lt=MAX_ATTEMPTS,
        )
        .order_by("-created_at")
        .first()
    )


def check_code(*, phone: str, code: str) -> PasswordResetCode:
    """The live code row of ``phone`` when ``code`` is its code; else ``ValidationFailed``
    (one message for every failure) and the wrong try counted against the code. Spends
    nothing: the new password is set by ``reset_with_code``."""
    typed = "".join(code.split())
    row = _live(phone) if phone else None
    user_pk, nonce, expected = (
        (int(row.user_id), row.nonce, row.code_hash) if row else (0, DUMMY_NONCE, "")
    )
    right = constant_time_compare(_digest(user_pk, nonce, typed), expected)  # the same work
    if row is None or not right or not typed.isdigit():
        if row is not None:
            PasswordResetCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
            if row.attempts + 1 >= MAX_ATTEMPTS:
                _spend(row, timezone.now())
        raise _invalid()
    return row


def reset_with_code(*, row: PasswordResetCode, code: str, password: str) -> User:
    """Set ``password`` (already validated) on the account of ``row``, checked again under the
    row lock; the code is spent, so a second answer with it fails."""
    with transaction.atomic():
        locked = PasswordResetCode.objects.select_for_update().filter(pk=row.pk).first()
        now = timezone.now()
        if (
            locked is None
            or locked.spent_at is not None
            or locked.expires_at <= now
            or locked.attempts >= MAX_ATTEMPTS
            or not constant_time_compare(
                _digest(int(locked.user_id), locked.nonce, "".join(code.split())),
                locked.code_hash,
            )
        ):
            raise _invalid()
        user = User.objects.select_for_update().get(pk=locked.user_id)
        user.set_password(password)
        user.save(update_fields=["password"])
        _spend(locked, now)
    return user


def _spend(row: PasswordResetCode, now: object) -> None:
    """The code works no more; the message that carried it is blanked (sent) or given up."""
    PasswordResetCode.objects.filter(pk=row.pk, spent_at__isnull=True).update(spent_at=now)
    if row.notification_id:
        rows = Notification.objects.filter(pk=row.notification_id)
        rows.filter(status=Notification.Status.SENT).update(body=SPENT)
        rows.filter(status=Notification.Status.PENDING).update(
            status=Notification.Status.FAILED, body=SPENT, last_error=SPENT
        )
