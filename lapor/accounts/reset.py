"""Password reset by a link sent to the account's own e-mail address (a phone number gets a code
by SMS instead: ``accounts.sms_reset``).

Asking answers the same whether or not the address has an account (and hashes a password
either way, so the timing does not tell); the link is Django's password-reset token, which
stops working once the password changes or the person signs in, and after
``PASSWORD_RESET_TIMEOUT``. Opening the link only shows the form: a mail scanner following it
changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from lapor.accounts import texts
from lapor.accounts.error_codes import AccountErrorCode
from lapor.accounts.models import User
from lapor.accounts.services import find_user, split_identifier
from lapor.core.errors import NotFound
from lapor.notifications.models import Notification
from lapor.notifications.services import schedule_delivery

RESET = "portal:accounts:password_reset_confirm"
DUMMY_PASSWORD = "lapor-reset-dummy"  # noqa: S105 - hashed only to spend the same time


def password_reset_request(*, identifier: str, absolute_url: Callable[[str], str]) -> None:
    """Send a reset link to ``identifier`` when an active account has it; else nothing."""
    email, phone = split_identifier(identifier)
    user = find_user(identifier) if (email or phone) else None
    make_password(DUMMY_PASSWORD)  # the same work on both paths
    if user is None or not user.has_usable_password():
        return
    path = reverse(
        RESET,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    link = absolute_url(path)
    by_email = bool(email)
    notification = Notification.objects.create(
        kind="password_reset",
        channel=Notification.Channel.EMAIL if by_email else Notification.Channel.SMS,
        recipient=user.email if by_email else user.phone,
        subject=texts.RESET_SUBJECT,
        body=(texts.RESET if by_email else texts.RESET_SMS).format(link=link),
    )
    schedule_delivery([notification.pk])


def _invalid() -> NotFound:
    return NotFound(
        _(
            "Tautan pengaturan ulang ini tidak berlaku: mungkin sudah dipakai, sudah lewat masa "
            "berlakunya, atau tidak tersalin utuh. Minta tautan baru dari halaman Lupa kata "
            "sandi."
        ),
        code=AccountErrorCode.RESET_LINK_INVALID,
    )


def reset_user(uidb64: str, token: str) -> User:
    """The account a reset link is for, or ``NotFound`` when the link is not (or no longer)
    valid."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        raise _invalid() from None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise _invalid()
    return user


def password_reset_complete(*, uidb64: str, token: str, password: str) -> User:
    """Set the new password (already validated by the form); the link stops working."""
    with transaction.atomic():
        user = reset_user(uidb64, token)
        user = User.objects.select_for_update().get(pk=user.pk)
        if not default_token_generator.check_token(user, token):
            raise _invalid()
        user.set_password(password)
        user.save(update_fields=["password"])
    return user
