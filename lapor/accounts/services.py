"""Creating a reporter's account. Identity is an e-mail address or a phone number."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lapor.accounts.models import User
from lapor.core.errors import ValidationFailed


def normalize_phone(raw: str) -> str:
    """``+62 812-3456-7890`` and ``0812 3456 7890`` are the same number: ``081234567890``."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def split_identifier(raw: str) -> tuple[str, str]:
    """(email, phone) from what a person typed in the one "e-mail or phone" box."""
    value = raw.strip()
    if "@" in value:
        return value.lower(), ""
    return "", normalize_phone(value)


def find_user(identifier: str) -> User | None:
    email, phone = split_identifier(identifier)
    if email:
        return User.objects.filter(email__iexact=email, is_active=True).first()
    if phone:
        return User.objects.filter(phone=phone, is_active=True).first()
    return None


def user_register(*, name: str, identifier: str, password: str) -> User:
    email, phone = split_identifier(identifier)
    if phone and not 8 <= len(phone) <= 15:
        raise ValidationFailed(
            _("Isi alamat surel atau nomor telepon (8 sampai 15 angka)."),
            code="invalid_identifier",
            field="identifier",
        )
    with transaction.atomic():
        if (
            find_user(identifier) is not None
            or User.objects.filter(username=email or phone).exists()
        ):
            raise ValidationFailed(
                _(
                    "Sudah ada akun dengan surel atau nomor telepon ini. Silakan masuk, atau "
                    "pakai yang lain."
                ),
                code="identifier_taken",
                field="identifier",
            )
        first, _space, last = name.strip().partition(" ")
        return User.objects.create_user(
            username=email or phone,
            email=email,
            phone=phone,
            password=password,
            first_name=first[:150],
            last_name=last[:150],
        )
