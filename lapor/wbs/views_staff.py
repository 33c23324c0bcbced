"""The inspectors' pages: their WBS key (set up, change, recover), unlocking it for the session,
the list of cases sealed to them, and a case. Signed in as an officer (password + TOTP, the
back office's ``officer_required``) with an active inspector membership; to anyone else every
page is a 404, so nobody learns that a case exists."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lapor.accounts.models import User
from lapor.agencies.models import Membership
from lapor.backoffice.access import officer_required
from lapor.core.errors import LaporError, NotFound
from lapor.portal.forms import attach_error
from lapor.wbs import crypto, keyring, limits, selectors, services
from lapor.wbs.forms import (
    ChangePassphraseForm,
    MessageForm,
    NewPassphraseForm,
    PassphraseForm,
    RecoverForm,
    StageForm,
)
from lapor.wbs.models import Case, EvidenceFile, PersonKey, Stage


def inspector_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @officer_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if Membership.Role.INSPECTOR not in request.officer.roles:  # type: ignore[attr-defined]
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _has_key(user: User) -> bool:
    return PersonKey.objects.filter(user=user).exists()


@inspector_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "has_key": _has_key(user),
        "unlocked": keyring.held(request, keyring.PERSON) is not None,
        "cases": selectors.inbox(user),
        "unlock_form": PassphraseForm(),
        "next": request.GET.get("next", ""),
    }
    return render(request, "wbs/staff/inbox.html", context)


def _recovery_page(request: HttpRequest, recovery: str) -> HttpResponse:
    return render(request, "wbs/staff/recovery_key.html", {"recovery_key": recovery})


@inspector_required
def key_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if _has_key(user):
        return redirect("wbs:key_change")
    form = NewPassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery = services.person_key_create(
                user=user, passphrase=form.cleaned_data["new_passphrase"]
            )
        except LaporError as exc:
            attach_error(form, exc, {"passphrase": "new_passphrase"})
        else:
            return _recovery_page(request, recovery)
    return render(request, "wbs/staff/key_setup.html", {"form": form})


def _rekey(
    request: HttpRequest, form: forms.Form, template: str, rekey: Callable[[dict[str, Any]], str]
) -> HttpResponse:
    """A form that gives the inspector's key a new passphrase (``rekey`` with the cleaned
    data returns the new recovery key), counted against the unlock limit."""
    if request.method == "POST" and form.is_valid():
        if limits.over_limit(request, "unlock", subject=str(request.user.pk)):
            form.add_error(None, _limited_text())
        else:
            try:
                recovery = rekey(form.cleaned_data)
            except LaporError as exc:
                attach_error(form, exc)
            else:
                return _recovery_page(request, recovery)
    return render(request, template, {"form": form})


@inspector_required
def key_change(request: HttpRequest) -> HttpResponse:
    return _rekey(
        request,
        ChangePassphraseForm(request.POST or None),
        "wbs/staff/key_change.html",
        lambda d: services.person_key_change(
            user=_user(request), passphrase=d["passphrase"], new_passphrase=d["new_passphrase"]
        ),
    )


@inspector_required
def key_recover(request: HttpRequest) -> HttpResponse:
    return _rekey(
        request,
        RecoverForm(request.POST or None),
        "wbs/staff/key_recover.html",
        lambda d: services.person_key_recover(
            user=_user(request),
            recovery_key=d["recovery_key"],
            new_passphrase=d["new_passphrase"],
        ),
    )


def _limited_text() -> str:
    from django.utils.translation import gettext as _

    return _("Terlalu banyak percobaan. Tunggu satu jam, lalu coba lagi.")


@require_POST
@inspector_required
def unlock(request: HttpRequest) -> HttpResponse:
    """Open the inspector's private key with their passphrase and hold it for this session."""
    form = PassphraseForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    user = _user(request)
    error = ""
    if limits.over_limit(request, "unlock", subject=str(user.pk)):
        error = _limited_text()
    elif form.is_valid():
        try:
            private = services.person_unlock(user=user, passphrase=form.cleaned_data["passphrase"])
        except LaporError as exc:
            error = exc.message
        else:
            response = redirect(target or reverse("wbs:inbox"))
            keyring.hold(request, response, keyring.PERSON, private)
            return response
    context = {
        "has_key": _has_key(user),
        "unlocked": False,
        "cases": selectors.inbox(user),
        "unlock_form": form,
        "unlock_error": error,
        "next": target,
    }
    return render(request, "wbs/staff/inbox.html", context, status=400)


@require_POST
@inspector_required
def lock(request: HttpRequest) -> HttpResponse:
    keyring.drop(request, keyring.PERSON)
    return redirect("wbs:inbox")


def _open(request: HttpRequest, public_id: str) -> tuple[Case, bytes] | HttpResponse:
    """The case and its private key, or a redirect to unlock; 404 for anyone not a recipient."""
    user = _user(request)
    try:
        case = services.recipient_case(public_id=public_id, user=user)
    except NotFound:
        raise Http404 from None
    person = keyring.held(request, keyring.PERSON)
    if person is None:
        back = reverse("wbs:staff_case", args=[case.public_id])  # a page, even after a POST
        return redirect(f"{reverse('wbs:inbox')}?next={back}")
    return case, services.case_private_key(case=case, user=user, person_private=person)


@inspector_required
def case(request: HttpRequest, public_id: str) -> HttpResponse:
    opened = _open(request, public_id)
    if isinstance(opened, HttpResponse):
        return opened
    case, private = opened
    services.case_read(case=case, user=_user(request))
    return _render_case(request, case, private)


def _render_case(
    request: HttpRequest,
    case: Case,
    private: bytes,
    *,
    message_form: MessageForm | None = None,
    stage_form: StageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    try:
        view = selectors.recipient_view(case, private)
    except crypto.Tampered:
        return render(request, "wbs/staff/tampered.html", {"case": case}, status=500)
    context = {
        "case": case,
        "message_form": message_form or MessageForm(),
        "stage_form": stage_form or StageForm(),
        "colleagues": services.share_candidates(case),
        "next_stages": [
            (value, label)
            for value, label in Stage.choices
            if value in services.NEXT.get(case.stage, set())
        ],
        **view,
    }
    return render(request, "wbs/staff/case.html", context, status=status)


@require_POST
@inspector_required
def message(request: HttpRequest, public_id: str) -> HttpResponse:
    opened = _open(request, public_id)
    if isinstance(opened, HttpResponse):
        return opened
    case, private = opened
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_send(case=case, user=_user(request), text=form.cleaned_data["text"])
            return redirect("wbs:staff_case", public_id=case.public_id)
        except LaporError as exc:
            attach_error(form, exc)
    return _render_case(request, case, private, message_form=form, status=400)


@require_POST
@inspector_required
def stage(request: HttpRequest, public_id: str) -> HttpResponse:
    opened = _open(request, public_id)
    if isinstance(opened, HttpResponse):
        return opened
    case, private = opened
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.stage_change(
                case=case,
                user=_user(request),
                to=form.cleaned_data["to"],
                outcome=form.cleaned_data["outcome"],
            )
            return redirect("wbs:staff_case", public_id=case.public_id)
        except LaporError as exc:
            form.add_error(None, exc.message)
    return _render_case(request, case, private, stage_form=form, status=400)


@inspector_required
def evidence(request: HttpRequest, public_id: str, file_id: int) -> HttpResponse:
    """A file, decrypted chunk by chunk as it is sent; always a download, never shown inline."""
    opened = _open(request, public_id)
    if isinstance(opened, HttpResponse):
        return opened
    case, private = opened
    try:
        meta, chunks = selectors.open_file(case, private, file_id)
    except (EvidenceFile.DoesNotExist, crypto.Tampered):
        raise Http404 from None
    services.record_file_read(case=case, user=_user(request), file_id=file_id)
    response = StreamingHttpResponse(chunks, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, meta.name)
    response["Content-Length"] = str(meta.size)
    response["X-Content-Type-Options"] = "nosniff"
    # A streaming response where the decorators expect an HttpResponse: Django treats both alike.
    return cast(HttpResponse, response)


@require_POST
@inspector_required
def share(request: HttpRequest, public_id: str) -> HttpResponse:
    """Seal the case to a colleague of the same inspectorate."""
    opened = _open(request, public_id)
    if isinstance(opened, HttpResponse):
        return opened
    case, private = opened
    person = keyring.held(request, keyring.PERSON)
    to = User.objects.filter(pk=request.POST.get("to") or 0).first()
    if person is not None and to is not None:
        try:
            services.case_share(case=case, user=_user(request), person_private=person, to=to)
            return redirect("wbs:staff_case", public_id=case.public_id)
        except LaporError:
            pass
    return _render_case(request, case, private, status=400)
