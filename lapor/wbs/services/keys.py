"""Recipients' WBS keys: create, unlock, change the passphrase, recover with the recovery key."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.models import User
from lapor.core.errors import ValidationFailed
from lapor.wbs import crypto
from lapor.wbs.error_codes import WbsErrorCode
from lapor.wbs.models import PersonKey
from lapor.wbs.services._common import kdf_cost

MIN_PASSPHRASE = 12


def _wrapped(row: PersonKey) -> crypto.WrappedKey:
    return crypto.WrappedKey(
        public_key=bytes(row.public_key),
        salt=bytes(row.salt),
        cost=crypto.KdfCost(row.opslimit, row.memlimit),
        wrapped=bytes(row.wrapped),
        recovery_wrapped=bytes(row.recovery_wrapped),
    )


def _store(row: PersonKey, key: crypto.WrappedKey) -> None:
    row.public_key = key.public_key
    row.salt = key.salt
    row.opslimit = key.cost.opslimit
    row.memlimit = key.cost.memlimit
    row.wrapped = key.wrapped
    row.recovery_wrapped = key.recovery_wrapped


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationFailed(
            _("Frasa sandi WBS minimal %(n)d karakter. Pakai beberapa kata yang mudah Anda ingat.")
            % {"n": MIN_PASSPHRASE},
            code=WbsErrorCode.PASSPHRASE_WEAK,
            field="passphrase",
        )


def _wrong_passphrase() -> ValidationFailed:
    return ValidationFailed(
        _("Frasa sandi WBS salah. Periksa lalu coba lagi, atau pulihkan dengan kunci pemulihan."),
        code=WbsErrorCode.PASSPHRASE_WRONG,
        field="passphrase",
    )


@transaction.atomic
def person_key_create(*, user: User, passphrase: str) -> str:
    """Give ``user`` a WBS key pair; returns the recovery key, to show once."""
    _check_passphrase(passphrase)
    if PersonKey.objects.filter(user=user).exists():
        raise ValidationFailed(
            _("Anda sudah memiliki kunci WBS. Ganti frasa sandinya bila perlu."),
            code=WbsErrorCode.KEY_EXISTS,
        )
    key, recovery = crypto.new_person_key(passphrase, kdf_cost())
    row = PersonKey(user=user)
    _store(row, key)
    row.save()
    return recovery


def person_unlock(*, user: User, passphrase: str) -> bytes:
    """The user's private key, opened with their passphrase."""
    row = PersonKey.objects.filter(user=user).first()
    if row is None:
        raise ValidationFailed(_("Anda belum membuat kunci WBS."), code=WbsErrorCode.KEY_MISSING)
    try:
        return crypto.unwrap_with_passphrase(_wrapped(row), passphrase)
    except crypto.Tampered:
        raise _wrong_passphrase() from None


@transaction.atomic
def person_key_change(*, user: User, passphrase: str, new_passphrase: str) -> str:
    """A new passphrase (and a new recovery key, returned) for the same key pair: every case
    sealed to the user stays readable."""
    _check_passphrase(new_passphrase)
    private = person_unlock(user=user, passphrase=passphrase)
    return _rewrap(user, private, new_passphrase)


@transaction.atomic
def person_key_recover(*, user: User, recovery_key: str, new_passphrase: str) -> str:
    """A forgotten passphrase replaced with the recovery key; returns a new recovery key (the
    used one no longer works)."""
    _check_passphrase(new_passphrase)
    row = PersonKey.objects.filter(user=user).first()
    if row is None:
        raise ValidationFailed(_("Anda belum membuat kunci WBS."), code=WbsErrorCode.KEY_MISSING)
    try:
        private = crypto.unwrap_with_recovery(_wrapped(row), recovery_key)
    except crypto.Tampered:
        raise ValidationFailed(
            _("Kunci pemulihan tidak cocok. Salin persis seperti yang Anda terima."),
            code=WbsErrorCode.RECOVERY_KEY_WRONG,
            field="recovery_key",
        ) from None
    return _rewrap(user, private, new_passphrase)


def _rewrap(user: User, private: bytes, new_passphrase: str) -> str:
    row = PersonKey.objects.select_for_update().get(user=user)
    key, recovery = crypto.wrap_private(private, new_passphrase, kdf_cost())
    _store(row, key)
    row.rotated_at = timezone.now()
    row.save()
    return recovery


# --- submitting -----------------------------------------------------------------------------
