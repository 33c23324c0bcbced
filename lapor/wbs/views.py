"""The whistleblower's pages: what the WBS is, the form, the receipt (shown once), and following
a case with the receipt. Every address is under ``/wbs/``, so ``WbsPrivacyMiddleware`` has
removed the address, browser and referrer before these views run."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from lapor.agencies.models import Agency
from lapor.core.errors import LaporError
from lapor.portal.forms import attach_error
from lapor.wbs import keyring, limits, selectors, services
from lapor.wbs.forms import MessageForm, ReceiptForm, SubmitForm
from lapor.wbs.models import Case
from lapor.wbs.uploads import EncryptedUploadedFile, EncryptingUploadHandler

TOKENS = "wbs:form_tokens"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "wbs/home.html", {"receipt_form": ReceiptForm()})


def _issue(request: HttpRequest) -> str:
    """A one-use form token, kept in a session whose cookie ends with the browser (no
    identifier outlives the visit)."""
    request.session.set_expiry(0)
    token = secrets.token_urlsafe(16)
    issued = request.session.get(TOKENS, [])[-9:]
    request.session[TOKENS] = [*issued, token]
    return token


def _limited(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["limited"] = _(
        "Terlalu banyak percobaan dari sambungan ini. Tunggu satu jam, lalu coba lagi."
    )
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(limits.WINDOW)
    return response


@csrf_exempt  # checked in ``_submit``, once the encrypting upload handler is in place
@never_cache
def submit(request: HttpRequest) -> HttpResponse:
    handler = EncryptingUploadHandler(request)
    if request.method == "POST":
        request.upload_handlers = [handler]
    return _submit(request, handler)


@csrf_protect
def _submit(request: HttpRequest, handler: EncryptingUploadHandler) -> HttpResponse:
    if request.method != "POST":
        form = SubmitForm(initial={"form_token": _issue(request), "accused": "pegawai"})
        return render(request, "wbs/submit.html", {"form": form})
    form = SubmitForm(request.POST)
    files = [f for f in request.FILES.getlist("evidence") if isinstance(f, EncryptedUploadedFile)]
    context: dict[str, Any] = {"form": form}
    if handler.refused:
        form.add_error(
            None,
            _(
                "Berkas %(names)s melebihi %(mb)d MB dan tidak dikirim. Perkecil atau pisahkan "
                "berkasnya, lalu pilih lagi."
            )
            % {
                "names": ", ".join(handler.refused),
                "mb": int(getattr(settings, "LAPOR_MAX_UPLOAD_BYTES", 10 << 20)) >> 20,
            },
        )
    max_files = int(getattr(settings, "LAPOR_MAX_ATTACHMENTS", 5))
    if len(files) > max_files:
        form.add_error(None, _("Paling banyak %(n)d berkas bukti.") % {"n": max_files})
    if not form.is_valid() or form.errors:
        context["files_dropped"] = bool(files)
        return render(request, "wbs/submit.html", context, status=400)
    token = form.cleaned_data["form_token"]
    issued = request.session.get(TOKENS, [])
    if token not in issued:
        return render(request, "wbs/submit.html", {"form": form, "already_sent": True}, status=400)
    if limits.over_limit(request, "submit"):
        return _limited(request, "wbs/submit.html", context)
    data = form.cleaned_data
    agency = Agency.objects.filter(code=data["agency"]).first()
    identity = None
    if data["name"].strip() or data["contact"].strip():
        identity = {"name": data["name"].strip(), "contact": data["contact"].strip()}
    try:
        submitted = services.case_submit(
            agency=agency,  # type: ignore[arg-type]
            accused=data["accused"],
            content={k: data[k] for k in ("what", "who", "where", "when", "how")},
            identity=identity,
            files=[f.upload for f in files if f.upload.size > 0],
        )
    except LaporError as exc:
        attach_error(form, exc)
        return render(request, "wbs/submit.html", context, status=400)
    finally:
        for f in files:
            f.close()
    request.session[TOKENS] = [t for t in issued if t != token]
    receipt = submitted.receipt
    grouped = " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))
    return render(request, "wbs/receipt.html", {"receipt": grouped})


@never_cache
def follow(request: HttpRequest) -> HttpResponse:
    """Enter the receipt; the case key it opens is held for this browser session."""
    if request.method != "POST":
        return render(request, "wbs/follow.html", {"form": ReceiptForm()})
    form = ReceiptForm(request.POST)
    if limits.over_limit(request, "receipt"):
        return _limited(request, "wbs/follow.html", {"form": form})
    if not form.is_valid():
        return render(request, "wbs/follow.html", {"form": form}, status=400)
    try:
        case, private = services.case_open_by_receipt(receipt=form.cleaned_data["receipt"])
    except LaporError as exc:
        form.add_error("receipt", exc.message)
        return render(request, "wbs/follow.html", {"form": form}, status=400)
    services.whistleblower_opened(case=case)
    response = redirect("wbs:case")
    request.session.cycle_key()
    keyring.hold(
        request,
        response,
        keyring.WHISTLEBLOWER,
        json.dumps({"case": case.pk, "key": private.hex()}).encode(),
    )
    return response


def _whistleblower_case(request: HttpRequest) -> tuple[Case, bytes] | None:
    held = keyring.held(request, keyring.WHISTLEBLOWER)
    if held is None:
        return None
    data = json.loads(held)
    case = Case.objects.filter(pk=data["case"]).first()
    return (case, bytes.fromhex(data["key"])) if case is not None else None


@never_cache
def case(request: HttpRequest) -> HttpResponse:
    """The whistleblower's view: the stage and the messages, nothing else."""
    opened = _whistleblower_case(request)
    if opened is None:
        return redirect("wbs:follow")
    case, private = opened
    form = MessageForm()
    status = 200
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.message_send(case=case, text=form.cleaned_data["text"])
                return redirect("wbs:case")
            except LaporError as exc:
                attach_error(form, exc)
        status = 400
    context = {"case": case, "form": form, **selectors.whistleblower_view(case, private)}
    return render(request, "wbs/case.html", context, status=status)


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    keyring.drop(request, keyring.WHISTLEBLOWER)
    response = redirect("wbs:home")
    response.delete_cookie(keyring.COOKIE)
    return response
