"""The providers' webhooks. A delivery with a bad signature gets 401 and nothing is stored; one
not in the provider's shape gets 400 and is stored raw, marked failed; every message of a good
delivery is stored and acted on, and a provider's resend of one is answered 200 without effect
(gateways retry for hours until they get a 200)."""

from __future__ import annotations

import base64
import hmac
import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lapor.channels import inbound, sms, whatsapp
from lapor.channels.models import Channel
from lapor.channels.signatures import shared_secret, valid_hmac

SMS_SIGNATURE_HEADER = "X-Lapor-Signature"
# Headers worth keeping with a message (never the credentials).
KEPT_HEADERS = ("Content-Type", "User-Agent", "X-Forwarded-For", "X-Request-Id")


def kept_headers(request: HttpRequest) -> dict[str, str]:
    return {name: request.headers[name] for name in KEPT_HEADERS if name in request.headers}


@csrf_exempt
@require_POST
def sms_webhook(request: HttpRequest, provider: str) -> HttpResponse:
    if not settings.LAPOR_CHANNEL_SMS or provider not in (sms.GENERIC, sms.INFOBIP):
        raise Http404
    if not shared_secret(request, settings.LAPOR_CHANNEL_SMS_SECRET, SMS_SIGNATURE_HEADER):
        return JsonResponse({"error": "signature"}, status=401)
    body = request.body
    headers = kept_headers(request)
    try:
        messages = sms.read_delivery(provider, body)
    except sms.Malformed as exc:
        inbound.store_failed(
            channel=Channel.SMS,
            provider=provider,
            message_id=sms.fallback_id(body),
            raw=body,
            headers=headers,
            error=str(exc),
        )
        return JsonResponse({"error": "malformed", "detail": str(exc)}, status=400)
    accepted = duplicates = 0
    for message in messages:
        received = inbound.receive(
            channel=Channel.SMS,
            provider=provider,
            message_id=message.message_id,
            payload=json.dumps(message.raw, ensure_ascii=False),
            headers=headers,
        )
        duplicates += received.duplicate
        accepted += not received.duplicate
    return JsonResponse({"accepted": accepted, "duplicates": duplicates})


# The mail services whose inbound webhooks are taken (django-anymail parses their formats;
# each proves itself with HTTP Basic authentication).
def _anymail_views() -> dict[str, Any]:
    from anymail.webhooks.postmark import PostmarkInboundWebhookView

    # The credentials are checked before (401) and handed to anymail's own check as well.
    class Postmark(PostmarkInboundWebhookView):
        warn_if_no_basic_auth = False

    return {"postmark": Postmark}


def mail_size_limit() -> int:
    """The largest mail-service delivery read: every attachment at its size limit, base64
    encoded (4/3), plus 2 MiB of text and headers."""
    files = settings.LAPOR_MAX_ATTACHMENTS * settings.LAPOR_MAX_UPLOAD_BYTES
    return files * 4 // 3 + (2 << 20)


def _basic_password(request: HttpRequest) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        return base64.b64decode(value.strip(), validate=True).decode().partition(":")[2]
    except ValueError:
        return ""


@csrf_exempt
@require_POST
def email_webhook(request: HttpRequest, esp: str) -> HttpResponse:
    """A mail service's inbound webhook: our Basic authentication check first (401), then
    django-anymail parses the service's format and sends its ``inbound`` signal
    (``lapor.channels.signals``), which stores and acts on the message."""
    views = _anymail_views()
    if not settings.LAPOR_CHANNEL_EMAIL or esp not in views:
        raise Http404
    secret = settings.LAPOR_CHANNEL_EMAIL_SECRET
    if not secret or not hmac.compare_digest(_basic_password(request).encode(), secret.encode()):
        return JsonResponse({"error": "signature"}, status=401)
    # A mail with its attachments is larger than Django's limit for a form (which would answer
    # 400 and lose the mail): up to the attachments' limits, base64-encoded, is read.
    limit = mail_size_limit()
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        return JsonResponse({"error": "too_large"}, status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return JsonResponse({"error": "too_large"}, status=413)
    request._body = body  # what ``request.body`` would hold, read past the form limit
    view = views[esp].as_view(basic_auth=[_anymail_secret(request)])
    try:
        return view(request)
    except Exception as exc:  # not the service's shape: keep it raw for an operator
        inbound.store_failed(
            channel=Channel.EMAIL,
            provider=f"anymail:{esp}",
            message_id=sms.fallback_id(body),
            raw=body,
            headers=kept_headers(request),
            error=f"{type(exc).__name__}: {exc}",
        )
        return JsonResponse({"error": "malformed"}, status=400)


def _anymail_secret(request: HttpRequest) -> str:
    """The ``user:password`` pair the request carried (already checked above)."""
    value = request.headers["Authorization"].partition(" ")[2].strip()
    return base64.b64decode(value).decode()


@csrf_exempt
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    """The Cloud API's webhook: GET is the subscription handshake (the verify token, answered
    with the challenge); POST carries batched entries signed with ``X-Hub-Signature-256``
    (HMAC-SHA256 of the raw body with the app secret)."""
    if not settings.LAPOR_CHANNEL_WHATSAPP:
        raise Http404
    if request.method == "GET":
        token = settings.LAPOR_WHATSAPP_VERIFY_TOKEN
        given = request.GET.get("hub.verify_token", "")
        if (
            request.GET.get("hub.mode") == "subscribe"
            and token
            and hmac.compare_digest(given.encode(), token.encode())
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse(status=403)
    if request.method != "POST":
        return HttpResponse(status=405)
    body = request.body
    if not valid_hmac(
        settings.LAPOR_WHATSAPP_APP_SECRET, body, request.headers.get("X-Hub-Signature-256", "")
    ):
        return JsonResponse({"error": "signature"}, status=401)
    headers = kept_headers(request)
    try:
        messages = whatsapp.read_delivery(body)
    except whatsapp.Malformed as exc:
        inbound.store_failed(
            channel=Channel.WHATSAPP,
            provider=whatsapp.PROVIDER,
            message_id=sms.fallback_id(body),
            raw=body,
            headers=headers,
            error=str(exc),
        )
        return JsonResponse({"error": "malformed", "detail": str(exc)}, status=400)
    accepted = duplicates = 0
    for item in messages:
        received = inbound.receive(
            channel=Channel.WHATSAPP,
            provider=whatsapp.PROVIDER,
            message_id=str(item["message"]["id"]),
            payload=json.dumps(item, ensure_ascii=False),
            headers=headers,
        )
        duplicates += received.duplicate
        accepted += not received.duplicate
    return JsonResponse({"accepted": accepted, "duplicates": duplicates})
