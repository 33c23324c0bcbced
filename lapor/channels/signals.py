"""django-anymail's ``inbound`` signal: a mail service delivered an e-mail to the webhook."""

from __future__ import annotations

from email import encoders
from typing import Any

from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent

from lapor.channels import email, inbound
from lapor.channels.models import Channel


def _raw(message: AnymailInboundMessage) -> bytes:
    """The message as MIME bytes that parse back to the same content. A message anymail
    built from a service's JSON holds its attachments decoded, without a transfer encoding,
    and would be written as raw binary that a parser cannot restore: base64 them first."""
    for part in message.walk():
        if (
            not part.is_multipart()
            and part.get("Content-Transfer-Encoding") is None
            and part.get_content_maintype() not in ("text", "message")
        ):
            content = part.get_content_bytes()
            part.set_payload(content)
            encoders.encode_base64(part)
    return message.as_bytes()


def on_inbound(sender: Any, event: AnymailInboundEvent, esp_name: str, **kwargs: Any) -> None:
    raw = _raw(event.message) if event.message is not None else b""
    mail = email.parse(raw)
    esp = esp_name.lower()
    # The mail's own Message-ID, else the service's ID for it: a message rebuilt from a
    # service's JSON has new MIME boundaries each time, so its bytes are no key.
    key = (mail.get("Message-ID") or "").strip().strip("<>").strip()
    if not key and event.event_id:
        key = f"{esp}:{event.event_id}"
    inbound.receive(
        channel=Channel.EMAIL,
        provider=f"anymail:{esp}",
        message_id=key[:255] or email.message_id(mail, raw),
        raw=raw,
    )
