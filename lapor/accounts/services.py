"""Creating a reporter's account. Identity is an e-mail address or a phone number, proven by
opening the link sent to it; nothing here tells whether an address already has an account."""

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
from lapor.accounts.models import User
from lapor.core.errors import NotFound, ValidationFailed
from lapor.notifications.models import Notification
from lapor.notifications.services import schedule_delivery

LOGIN = "portal:accounts:login"
ACTIVATE = "portal:accounts:activate"


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


def user_register(
    *, name: str, identifier: str, password: str, absolute_url: Callable[[str], str]
) -> None:
    """Ask to create an account for ``identifier``; the answer never tells whether it is taken.

    A free address gets an inactive account and one message with the link that activates it
    (``user_activate``): whoever registers must hold the address. A taken one gets a message
    saying it already has an account and where to sign in; nothing changes. Both paths hash
    the password once and write one message, so neither the page nor its timing tells them
    apart. Registering again before activating replaces the name and password and sends a
    fresh link (the earlier one stops working: it is bound to the password)."""
    email, phone = split_identifier(identifier)
    if phone and not 8 <= len(phone) <= 15:
        raise ValidationFailed(
            _("Isi alamat surel atau nomor telepon (8 sampai 15 angka)."),
            code="invalid_identifier",
            field="identifier",
        )
    username = email or phone
    first, _space, last = name.strip().partition(" ")
    with transaction.atomic():
        taken = find_user(identifier) or User.objects.filter(username=username).first()
        if taken is not None and not _pending(taken):
            make_password(password)  # the same work as the free path
            _send(email, phone, "account_exists", absolute_url(reverse(LOGIN)))
            return
        user = taken or User(username=username, email=email, phone=phone, is_active=False)
        user.first_name, user.last_name = first[:150], last[:150]
        user.set_password(password)
        user.save()
        path = reverse(
            ACTIVATE,
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        _send(email, phone, "account_confirm", absolute_url(path))


def _pending(user: User) -> bool:
    """Registered, never activated (an account switched off after use stays taken)."""
    return not user.is_active and user.last_login is None


def _send(email: str, phone: str, kind: str, link: str) -> None:
    if kind == "account_confirm":
        subject, text, sms = texts.CONFIRM_SUBJECT, texts.CONFIRM, texts.CONFIRM_SMS
    else:
        subject, text, sms = texts.EXISTS_SUBJECT, texts.EXISTS, texts.EXISTS_SMS
    channel = Notification.Channel.EMAIL if email else Notification.Channel.SMS
    notification = Notification.objects.create(
        kind=kind,
        channel=channel,
        recipient=email or phone,
        subject=subject,
        body=(text if email else sms).format(link=link),
    )
    schedule_delivery([notification.pk])


def user_activate(*, uidb64: str, token: str) -> User:
    """The link sent on registration was opened and its button pressed: the account is active.
    The link works once (signing in changes what it was made from)."""
    invalid = NotFound(
        _(
            "Tautan aktivasi ini tidak berlaku: mungkin sudah dipakai, sudah lewat 3 hari, atau "
            "tidak tersalin utuh. Daftar sekali lagi untuk menerima tautan baru, atau masuk bila "
            "akun Anda sudah aktif."
        ),
        code="activation_link_invalid",
    )
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        raise invalid from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=pk).first()
        if user is None or not _pending(user):
            raise invalid
        if not default_token_generator.check_token(user, token):
            raise invalid
        other = find_user(user.email or user.phone)
        if other is not None and other.pk != user.pk:  # activated elsewhere meanwhile
            raise invalid
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def remember_language(user: User, language: str | None) -> None:
    """Keep the language of the pages the person signed in with, for messages sent while they
    are away (an SMS reset code)."""
    value = (language or "")[:8]
    if value and user.language != value:
        User.objects.filter(pk=user.pk).update(language=value)
        user.language = value
