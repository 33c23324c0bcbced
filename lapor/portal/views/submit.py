"""Submitting a report, and the confirmation page that shows the tracking ID and secret."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from lapor.categories.models import Category
from lapor.core.errors import LaporError
from lapor.portal import form_cache, tokens, track_cache
from lapor.portal.agency_choice import FORM_STEPS, preset_agency, requested
from lapor.portal.forms import attach_error
from lapor.portal.forms.submit import SubmitForm
from lapor.portal.limits import give_back, over_limit, too_many
from lapor.portal.models import SubmitToken
from lapor.portal.multipart import BodyWatch
from lapor.portal.receipt import masked, receipt_address, send_receipt
from lapor.portal.reporter_session import remember_secret, secret_for
from lapor.privacy.notice import NOTICE_VERSION
from lapor.regions.models import WIT, Region
from lapor.reports.models import Report
from lapor.reports.selectors import similar_open_reports
from lapor.reports.services import Upload, report_submit
from lapor.wbs.detect import offers_wbs


def _region(form: SubmitForm) -> Region | None:
    village = _village(form)
    if village is not None:
        return village
    code = form.cleaned_data.get("district") or form.cleaned_data.get("region")
    region = Region.objects.filter(code=code).first() if code else None
    regency = form.cleaned_data.get("region")
    if (
        region is not None
        and region.level == Region.Level.KECAMATAN
        and region.parent_id != regency
    ):
        return Region.objects.filter(code=regency).first()
    return region


def _village(form: SubmitForm) -> Region | None:
    """The desa/kelurahan chosen, only if it lies in the chosen kecamatan and kabupaten/kota
    (a list left from an earlier choice is ignored, never a place elsewhere)."""
    code = form.cleaned_data.get("village") or ""
    district = form.cleaned_data.get("district") or ""
    regency = form.cleaned_data.get("region") or ""
    if not (code and district.startswith(regency + ".") and code.startswith(district + ".")):
        return None
    return Region.objects.filter(code=code, level=Region.Level.DESA).first()


def _step_form(request: HttpRequest, guest: bool) -> SubmitForm:
    """The same form again, unvalidated, after "show the kecamatan": everything typed is kept."""
    initial: dict[str, Any] = request.POST.dict()
    initial["is_anonymous"] = "is_anonymous" in request.POST
    initial["is_confidential"] = "is_confidential" in request.POST
    initial.pop("attachments", None)
    return SubmitForm(initial=initial, guest=guest)


def _render(
    request: HttpRequest, form: SubmitForm, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(request, "portal/submit.html", {"form": form, **extra}, status=status)


def _limited(request: HttpRequest, form: SubmitForm) -> HttpResponse:
    """429 with the form as the citizen filled it (files must be chosen again), and the wait."""
    context = {"form": form, "limited": True, "files_dropped": bool(request.FILES)}
    return too_many(request, "portal/submit.html", context)


def _cut_short(request: HttpRequest, guest: bool) -> HttpResponse:
    """The upload stopped before the end of the form: what arrived is shown again, nothing is
    created. The privacy choices may be among what was lost (an unchecked box sends nothing),
    so they come back at their safe defaults."""
    form = _step_form(request, guest)
    form.initial["is_anonymous"] = form.initial["is_confidential"] = True
    if not tokens.was_issued(request, form.initial.get("form_token", "")):
        form.initial["form_token"] = tokens.issue(request)
    if over_limit(request, "submit_invalid"):
        return _limited(request, form)
    return _render(request, form, truncated=True, status=400)


def _kept_form(request: HttpRequest) -> HttpResponse:
    """A guest's empty form: from the shared cache, else rendered once (with placeholders for
    the two tokens) and kept (``form_cache``)."""
    day = timezone.localdate(timezone=ZoneInfo(WIT))  # the date picker's limits (``SubmitForm``)
    page_key = form_cache.key(get_language(), day)
    kept = form_cache.get(page_key)
    if kept is None:
        placeholder = track_cache.new_placeholder()
        token_placeholder = form_cache.new_token_placeholder()
        form = SubmitForm(initial={"form_token": token_placeholder}, guest=True)
        context = {"form": form, "csrf_token": placeholder}
        html = render_to_string("portal/submit.html", context, request=request)
        kept = form_cache.FormPage(placeholder, html, token_placeholder)
        form_cache.put(page_key, kept)
    return form_cache.respond(request, kept)


@csrf_exempt  # checked by ``_submit``, once the body is watched
def submit(request: HttpRequest) -> HttpResponse:
    """The submit form. The body is watched from its first byte (``multipart``): the CSRF check
    reads the form, so it runs here, after the watch is in place, and not in the middleware."""
    upload = BodyWatch(request) if request.method == "POST" else None
    return _submit(request, upload)


@csrf_protect
def _submit(request: HttpRequest, upload: BodyWatch | None) -> HttpResponse:
    guest = not request.user.is_authenticated
    if upload is None and form_cache.is_public_visit(request):
        return _kept_form(request)
    if request.method != "POST" or upload is None:
        # "Laporkan ke instansi ini" on an agency's page names it in advance (``?instansi=``).
        initial = {"form_token": tokens.issue(request), **preset_agency(request)}
        form = SubmitForm(initial=initial, guest=guest)
        return _render(request, form)
    step = request.POST.get("step")  # reads the body to its end
    if not upload.arrived_whole:
        return _cut_short(request, guest)
    if step in ("district", "similar", *FORM_STEPS):
        if over_limit(request, "submit_step"):
            return _limited(request, _step_form(request, guest))
        if step in FORM_STEPS:  # the agency search, the desa list: the form again, kept
            return _render(request, _step_form(request, guest), files_dropped=bool(request.FILES))
        body = request.POST.get("body", "")
        region = request.POST.get("region", "")
        district = request.POST.get("district", "")
        similar = similar_open_reports(
            region_code=district if region and district.startswith(region + ".") else region,
            title=request.POST.get("title", ""),
            body=body,
        )
        return _render(
            request,
            _step_form(request, guest),
            files_dropped=bool(request.FILES),
            similar=similar,
            similar_checked=True,
            similar_needs_body=not body.strip(),
        )
    form = SubmitForm(request.POST, request.FILES, guest=guest)
    token = request.POST.get("form_token", "")
    done = SubmitToken.objects.filter(token=token, report__isnull=False).first()
    if done is not None and tokens.was_issued(request, token):
        return redirect("portal:submitted", token=token)
    if not tokens.was_issued(request, token):
        form = _step_form(request, guest)
        form.initial["form_token"] = tokens.issue(request)
        if over_limit(request, "submit_invalid"):
            return _limited(request, form)
        return _render(request, form, expired=True, files_dropped=bool(request.FILES))
    if form.is_valid():
        if offers_wbs(request.POST, form.cleaned_data):  # abuse of authority: the WBS first
            return _render(request, form, wbs_offer=True, files_dropped=bool(request.FILES))
        # The report's place in the hour is taken before it is made, so parallel requests
        # cannot all slip under the limit; it is given back if the service refuses the report.
        if over_limit(request, "submit"):
            return _limited(request, form)
        try:
            return _create(request, form, token)
        except LaporError as exc:
            give_back(request, "submit")
            attach_error(form, exc, {"channel": "type"})
    if over_limit(request, "submit_invalid"):
        return _limited(request, form)
    return _render(request, form, files_dropped=bool(request.FILES))


def _create(request: HttpRequest, form: SubmitForm, token: str) -> HttpResponse:
    data = form.cleaned_data
    category = Category.objects.filter(code=data["category"]).first() if data["category"] else None
    user = request.user if request.user.is_authenticated else None
    try:
        with transaction.atomic():
            row = SubmitToken.objects.create(token=token)
            submitted = report_submit(
                type=data["type"],
                title=data["title"],
                body=data["body"],
                region=_region(form),
                category=category,
                channel=Report.Channel.WEB,
                reporter=user,
                contact_name=data.get("contact_name", ""),
                contact_email=data.get("contact_email", ""),
                contact_phone=data.get("contact_phone", ""),
                is_anonymous=data["is_anonymous"],
                is_confidential=data["is_confidential"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                incident_date=data["incident_date"],
                attachments=[Upload(name=f.name, content=f) for f in data["attachments"]],
                consent_version=NOTICE_VERSION,  # shown by the form (privacy/_notice_link.html)
                requested_agency=requested(data.get("requested_agency", "")),
            )
            row.report = submitted.report
            row.sealed_secret = tokens.seal(submitted.secret, token) if submitted.secret else ""
            row.save(update_fields=["report", "sealed_secret"])
    except IntegrityError:
        # The same form was sent twice at once and the other request made the report.
        if not SubmitToken.objects.filter(token=token, report__isnull=False).exists():
            raise
    return redirect("portal:submitted", token=token)


@never_cache  # the guest secret: never kept by a browser or proxy cache
def submitted(request: HttpRequest, token: str) -> HttpResponse:
    """The tracking ID, the guest secret (shown once), how to keep them, what happens next."""
    if not tokens.was_issued(request, token):
        raise Http404(_("Halaman konfirmasi ini tidak tersedia."))
    row = SubmitToken.objects.select_related("report", "report__region").filter(token=token)
    found = row.first()
    if found is None or found.report is None:
        raise Http404(_("Halaman konfirmasi ini tidak tersedia."))
    secret = ""
    if found.sealed_secret:
        secret = tokens.unseal(found.sealed_secret, token)
        SubmitToken.objects.filter(pk=found.pk).update(sealed_secret="")
        remember_secret(request, found.report.tracking_id, secret)
    report = found.report
    guest = report.reporter_id is None
    sent = ""
    if request.method == "POST" and guest:
        # The receipt to the reporter's own address, from the browser holding the secret.
        if over_limit(request, "receipt"):
            return too_many(request)
        note = send_receipt(report, secret_for(request, report.tracking_id))
        sent = masked(note.recipient) if note else ""
    _channel, address = receipt_address(report)
    context = {
        "report": report,
        "secret": secret,
        "guest": guest,
        "receipt_to": masked(address) if guest and address else "",
        "receipt_sent": sent,
        # The PDF and the offline copy: from this browser only (``portal.receipt_copy``).
        "token": token,
        "can_keep": not guest or bool(secret_for(request, report.tracking_id)),
    }
    return render(request, "portal/submitted.html", context)
