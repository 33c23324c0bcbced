"""The WhatsApp Business Cloud API, the two calls the platform makes: fetch a medium a
citizen sent (its URL by ID, then its bytes, both with the access token), and send a message,
as free text inside the 24-hour customer-service window, else as the approved template."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from lapor.notifications.models import Notification
from lapor.notifications.senders import DeliveryError, PermanentError

TIMEOUT = 15
WINDOW = timedelta(hours=24)
# The approved message template for answers outside the window: one body parameter.
TEMPLATE = "lapor_kabar"
TEMPLATE_LANGUAGE = "id"
TEMPLATE_TEXT_MAX = 1000


def _call(url: str, *, data: dict[str, Any] | None = None) -> bytes:
    if not url.startswith(("http://", "https://")):
        raise PermanentError("WHATSAPP_API_URL harus berupa alamat http(s)")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(data).encode() if data is not None else None,
        method="POST" if data is not None else "GET",
        headers={
            "Authorization": f"Bearer {settings.LAPOR_WHATSAPP_ACCESS_TOKEN}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
            return bytes(answer.read())
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode(errors="replace")
        if 400 <= exc.code < 500 and exc.code not in (408, 429):
            raise PermanentError(f"WhatsApp API menolak ({exc.code}): {detail}") from exc
        raise DeliveryError(f"WhatsApp API gagal ({exc.code}): {detail}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"WhatsApp API tidak dapat dihubungi: {exc}") from exc


def fetch_media(media_id: str, max_bytes: int) -> tuple[bytes, str]:
    """The bytes and MIME type of a medium, through the media endpoint."""
    meta = json.loads(_call(f"{settings.LAPOR_WHATSAPP_API_URL}/{media_id}"))
    if int(meta.get("file_size") or 0) > max_bytes:
        raise PermanentError("berkas terlalu besar")
    content = _call(str(meta["url"]))
    return content[: max_bytes + 1], str(meta.get("mime_type", ""))


def within_window(number: str) -> bool:
    """Whether the citizen wrote to us in the last 24 hours (free text may be sent)."""
    from lapor.channels.models import Channel, InboundMessage

    return InboundMessage.objects.filter(
        channel=Channel.WHATSAPP, sender=number, received_at__gte=timezone.now() - WINDOW
    ).exists()


def message_payload(to: str, body: str, *, window: bool) -> dict[str, Any]:
    digits = to.lstrip("+")
    if window:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": digits,
            "type": "text",
            "text": {"preview_url": False, "body": body[:4096]},
        }
    text = " ".join(body.split())
    if len(text) > TEMPLATE_TEXT_MAX:
        text = text[: TEMPLATE_TEXT_MAX - 3] + "..."
    return {
        "messaging_product": "whatsapp",
        "to": digits,
        "type": "template",
        "template": {
            "name": TEMPLATE,
            "language": {"code": TEMPLATE_LANGUAGE},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": text}]}],
        },
    }


class WhatsAppSender:
    """The notifications sender for the ``whatsapp`` outbox channel."""

    def send(self, notification: Notification) -> None:
        url = (
            f"{settings.LAPOR_WHATSAPP_API_URL}/{settings.LAPOR_WHATSAPP_PHONE_NUMBER_ID}/messages"
        )
        window = within_window(notification.recipient)
        _call(url, data=message_payload(notification.recipient, notification.body, window=window))
