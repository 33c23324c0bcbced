"""Submitting a report, and the confirmation page that shows the tracking ID and secret."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lapor.categories.models import Category
from lapor.core.errors import LaporError
from lapor.portal import tokens
from lapor.portal.forms import attach_error
from lapor.portal.forms.submit import SubmitForm
from lapor.portal.limits import over_limit, too_many
from lapor.portal.models import SubmitToken
from lapor.portal.reporter_session import remember_secret
from lapor.regions.models import Region
from lapor.reports.models import Report
from lapor.reports.selectors import similar_open_reports
from lapor.reports.services import Upload, report_submit


def _region(form: SubmitForm) -> Region | None:
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


def _step_form(request: HttpRequest, guest: bool) -> SubmitForm:
    """The same form again, unvalidated, after "show the kecamatan": everything typed is kept."""
    initial: dict[str, Any] = request.POST.dict()
    initial["is_anonymous"] = "is_anonymous" in request.POST
    initial["is_confidential"] = "is_confidential" in request.POST
    initial.pop("attachments", None)
    return SubmitForm(initial=initial, guest=guest)


def _render(request: HttpRequest, form: SubmitForm, **extra: Any) -> HttpResponse:
    return render(request, "portal/submit.html", {"form": form, **extra})


def submit(request: HttpRequest) -> HttpResponse:
    guest = not request.user.is_authenticated
    if request.method != "POST":
        form = SubmitForm(initial={"form_token": tokens.issue(request)}, guest=guest)
        return _render(request, form)
    if request.POST.get("step") in ("district", "similar"):
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
        return _render(request, form, expired=True, files_dropped=bool(request.FILES))
    if over_limit(request, "submit"):
        return too_many(request)
    if form.is_valid():
        try:
            return _create(request, form, token)
        except LaporError as exc:
            attach_error(form, exc, {"channel": "type"})
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
            )
            row.report = submitted.report
            row.sealed_secret = tokens.seal(submitted.secret, token) if submitted.secret else ""
            row.save(update_fields=["report", "sealed_secret"])
    except IntegrityError:
        # The same form was sent twice at once and the other request made the report.
        if not SubmitToken.objects.filter(token=token, report__isnull=False).exists():
            raise
    return redirect("portal:submitted", token=token)


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
    context = {"report": found.report, "secret": secret, "guest": found.report.reporter_id is None}
    return render(request, "portal/submitted.html", context)
