"""How a message leaves the platform: one small interface, one implementation per channel.

``send(notification)`` returns when the message was handed over and raises otherwise;
``PermanentError`` means trying again cannot help (the gateway refused the address)."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from lapor.notifications.models import Notification

if TYPE_CHECKING:
    from lapor.reports.models import Report

logger = logging.getLogger("lapor.notifications")


class DeliveryError(Exception):
    """The message was not handed over; another attempt may succeed."""


class PermanentError(DeliveryError):
    """The message can never be delivered as it is (bad address, refused by the gateway)."""


class Sender(Protocol):
    def send(self, notification: Notification) -> None: ...


# What other packages add, registered from their AppConfig.ready() so that this package never
# imports them: a sender per extra channel, and Reply-To addresses of an e-mail.
SENDERS: dict[str, Callable[[], Sender]] = {}
REPLY_TO: list[Callable[[Report | None, str], list[str]]] = []


def register_sender(channel: str, factory: Callable[[], Sender]) -> None:
    SENDERS[channel] = factory


def register_reply_to(hook: Callable[[Report | None, str], list[str]]) -> None:
    if hook not in REPLY_TO:
        REPLY_TO.append(hook)


class EmailSender:
    """Through Django's mail API: SMTP in production, files in development."""

    def send(self, notification: Notification) -> None:
        message = EmailMessage(
            subject=notification.subject or "[LAPOR!]",
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient],
            # The reporter's reply reaches the report through a signed address (channels).
            reply_to=[
                a for hook in REPLY_TO for a in hook(notification.report, notification.recipient)
            ],
        )
        if message.send(fail_silently=False) != 1:
            raise DeliveryError("surel tidak diterima oleh server pengirim")


class HttpSmsSender:
    """POST ``{"to", "message"}`` as JSON to the SMS gateway with a bearer token."""

    def __init__(self, url: str, token: str, timeout: float) -> None:
        if not url.startswith(("http://", "https://")):
            raise PermanentError("LAPOR_SMS_GATEWAY_URL harus berupa alamat http(s)")
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, notification: Notification) -> None:
        payload = json.dumps({"to": notification.recipient, "message": notification.body})
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self.url,
            data=payload.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                answer.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode(errors="replace")
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise PermanentError(f"gateway SMS menolak ({exc.code}): {detail}") from exc
            raise DeliveryError(f"gateway SMS gagal ({exc.code}): {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"gateway SMS tidak dapat dihubungi: {exc}") from exc


class FileSmsSender:
    """Development: append each SMS as one JSON line to ``LAPOR_SMS_FILE_PATH``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def send(self, notification: Notification) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {
                "to": notification.recipient,
                "message": notification.body,
                "at": timezone.now().isoformat(),
            },
            ensure_ascii=False,
        )
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")


class ConsoleSmsSender:
    def send(self, notification: Notification) -> None:
        logger.info("SMS to %s: %s", notification.recipient, notification.body)


def sms_sender() -> Sender:
    backend = settings.LAPOR_SMS_BACKEND
    if backend == "http":
        return HttpSmsSender(
            settings.LAPOR_SMS_GATEWAY_URL,
            settings.LAPOR_SMS_GATEWAY_TOKEN,
            float(settings.LAPOR_SMS_TIMEOUT_SECONDS),
        )
    if backend == "file":
        return FileSmsSender(settings.LAPOR_SMS_FILE_PATH)
    if backend == "console":
        return ConsoleSmsSender()
    raise PermanentError(f"LAPOR_SMS_BACKEND tidak dikenal: {backend!r} (http, file, console)")


def sender_for(channel: str) -> Sender:
    if channel == Notification.Channel.EMAIL:
        return EmailSender()
    if channel == Notification.Channel.SMS:
        return sms_sender()
    factory = SENDERS.get(channel)  # a channel package's own (lapor.channels: WhatsApp)
    if factory is not None:
        return factory()
    raise PermanentError(f"kanal tidak dikenal: {channel!r}")
