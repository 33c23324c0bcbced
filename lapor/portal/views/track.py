"""Tracking a report: status, timeline, agency and due dates for anyone holding the tracking ID;
private details and the follow-up forms only for the reporter (account or guest secret)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lapor.core import ids
from lapor.core.errors import LaporError
from lapor.portal import track_cache
from lapor.portal.forms import attach_error
from lapor.portal.forms.consent import ConsentForm, state_of
from lapor.portal.forms.photo import PhotoForm
from lapor.portal.forms.track import (
    RateForm,
    ReopenForm,
    ReplyForm,
    SecretForm,
    TrackForm,
    WithdrawForm,
)
from lapor.portal.limits import over_limit, too_many
from lapor.portal.reporter_session import (
    audience_for,
    forget_secret,
    remember_secret,
    secret_for,
)
from lapor.portal.requested_view import requested_summary
from lapor.reports import lifecycle, privacy
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report
from lapor.reports.selectors import report_events, tracked_report
from lapor.reports.services import (
    Upload,
    attachment_set_public,
    can_withdraw,
    is_reporter,
    report_privacy_consent,
    report_rate,
    report_reopen,
    report_reply,
    report_withdraw,
)


def track(request: HttpRequest) -> HttpResponse:
    """The tracking-ID form (GET, so it works from a bookmark and without JavaScript)."""
    form = TrackForm(request.GET or None)
    if form.is_bound:
        if over_limit(request, "track"):
            return too_many(request)
        if form.is_valid():
            tracking_id = form.cleaned_data["id"]
            if tracked_report(tracking_id) is not None:
                return redirect("portal:track_report", tracking_id=tracking_id)
            form.add_error(
                "id",
                _(
                    "Tidak ada laporan dengan nomor pelacakan %(id)s. Periksa lagi nomornya; "
                    "laporan yang baru dikirim langsung dapat dilacak."
                )
                % {"id": ids.display(tracking_id)},
            )
    return render(request, "portal/track_form.html", {"form": form})


FOLLOW_FORMS: dict[str, type[forms.Form]] = {
    "secret": SecretForm,
    "reply": ReplyForm,
    "rate": RateForm,
    "reopen": ReopenForm,
    "privacy": ConsentForm,
    "withdraw": WithdrawForm,
    "photo": PhotoForm,
}


def track_report(request: HttpRequest, tracking_id: str) -> HttpResponse:
    normalized = ids.normalize(tracking_id)
    if track_cache.is_public_visit(request, normalized, tracking_id):
        return _public_page(request, normalized)
    report = tracked_report(normalized)
    if report is None:
        raise Http404(_("Laporan tidak ditemukan."))
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "forget":
            forget_secret(request, report.tracking_id)
            return redirect("portal:track_report", tracking_id=report.tracking_id)
        if action not in FOLLOW_FORMS:
            raise Http404
        if over_limit(request, "follow"):
            return too_many(request)
        form = FOLLOW_FORMS[action](request.POST, request.FILES)
        if form.is_valid():
            try:
                _act(request, report, action, form.cleaned_data)
                return redirect("portal:track_report", tracking_id=report.tracking_id)
            except LaporError as exc:
                attach_error(
                    form,
                    exc,
                    {"rating": "rating", "reason": "reason", "attachments": "attachments"},
                )
        bound[action] = form
    context = _context(request, report, bound)
    response = render(request, "portal/track.html", context)
    if context["mine"]:  # the reporter's own details and forms: never kept by a cache
        add_never_cache_headers(response)
    return response


def _public_page(request: HttpRequest, tracking_id: str) -> HttpResponse:
    """The page of a visitor with nothing private: from the shared cache when this version of
    the report was rendered before (in this language), else rendered once and stored."""
    language = get_language()

    def render(report: Report, placeholder: str) -> str:
        context = {**_context(request, report, {}), "csrf_token": placeholder}
        return render_to_string("portal/track.html", context, request=request)

    return track_cache.serve(
        request,
        version=track_cache.version(tracking_id),
        key_for=lambda version: track_cache.key(tracking_id, language, version),
        load=lambda: tracked_report(tracking_id),
        render=render,
        missing=_("Laporan tidak ditemukan."),
    )


def _act(request: HttpRequest, report: Report, action: str, data: dict[str, Any]) -> None:
    user = request.user if request.user.is_authenticated else None
    secret = secret_for(request, report.tracking_id)
    if action == "secret":
        if not is_reporter(report, secret=data["secret"]):
            raise LaporError(
                _("Kode rahasia tidak cocok dengan laporan ini. Periksa lagi catatan Anda."),
                field="secret",
            )
        remember_secret(request, report.tracking_id, data["secret"])
        messages.success(request, _("Kode rahasia benar. Detail laporan Anda kini terlihat."))
    elif action == "reply":
        report_reply(
            report=report,
            message=data["message"],
            user=user,
            secret=secret,
            attachments=_uploads(data),
        )
        messages.success(request, _("Tanggapan Anda terkirim ke petugas."))
    elif action == "rate":
        report_rate(
            report=report,
            rating=data["rating"],
            comment=data["comment"],
            user=user,
            secret=secret,
        )
        messages.success(request, _("Terima kasih atas penilaian Anda."))
    elif action == "reopen":
        report_reopen(
            report=report,
            reason=data["reason"],
            user=user,
            secret=secret,
            attachments=_uploads(data),
        )
        messages.success(request, _("Laporan dibuka kembali dan dikirim lagi ke instansi."))
    elif action == "privacy":
        _privacy(request, report, data)
    elif action == "withdraw":
        report_withdraw(report=report, reason=data["reason"], user=user, secret=secret)
        messages.success(request, _("Laporan Anda telah ditarik dan diarsipkan."))
    elif action == "photo":
        _photo(request, report, data, user, secret)


def _photo(
    request: HttpRequest, report: Report, data: dict[str, Any], user: Any, secret: str
) -> None:
    """Show or hide one of the report's own photos on its public page."""
    attachment = report.attachments.filter(pk=data["attachment"]).first()
    if attachment is None:
        raise Http404
    attachment_set_public(attachment=attachment, is_public=data["public"], user=user, secret=secret)
    if data["public"]:
        messages.success(request, _("Foto ditampilkan di halaman publik laporan ini."))
    else:
        messages.success(request, _("Foto disembunyikan dari halaman publik."))


def _uploads(data: dict[str, Any]) -> list[Upload]:
    return [Upload(name=f.name, content=f) for f in data.get("attachments") or []]


def _privacy(request: HttpRequest, report: Report, data: dict[str, Any]) -> None:
    """The reporter's own privacy choice, made on the settings their page showed."""
    if data["seen"] != state_of(report):
        raise LaporError(
            _(
                "Pengaturan privasi laporan ini baru saja diubah. Periksa pengaturannya yang "
                "sekarang, lalu pilih lagi."
            ),
            code="privacy_changed",
        )
    report_privacy_consent(
        report=report,
        is_anonymous=data["is_anonymous"],
        is_confidential=data["is_confidential"],
        user=request.user if request.user.is_authenticated else None,
        secret=secret_for(request, report.tracking_id),
    )
    messages.success(
        request,
        _(
            "Pengaturan privasi laporan Anda disimpan. Kami mengirim konfirmasinya ke surel "
            "atau telepon Anda."
        ),
    )


# What the track page shows first, above the forms that reply to it: the agency's latest word.
ANSWER_ACTIONS = frozenset({Action.FOLLOW_UP, Action.REQUEST_INFO, Action.COMPLETE})
# Statuses in which the report is no longer handled on its own: no completion deadline.
NO_DEADLINE = frozenset({lifecycle.Status.MERGED, lifecycle.Status.ARCHIVED})


def _context(request: HttpRequest, report: Report, bound: dict[str, forms.Form]) -> dict[str, Any]:
    audience = audience_for(request, report)
    mine = audience == privacy.Audience.REPORTER
    can = set(lifecycle.allowed_actions(report.status)) if mine else set()
    poor = report.rating is not None and report.rating <= 2
    timeline = privacy.timeline(report, report_events(report), audience)
    latest_answer = next(
        (e for e in reversed(timeline) if e.action in ANSWER_ACTIONS and e.message), None
    )
    merged_into = (
        Report.objects.filter(pk=report.merged_into_id)
        .values_list("tracking_id", flat=True)
        .first()
        if report.merged_into_id
        else None
    )
    return {
        "report": report,
        "latest_answer": latest_answer,
        "image_types": privacy.PUBLIC_ATTACHMENT_TYPES,
        "merged_into": merged_into,
        "shows_deadline": report.status not in NO_DEADLINE,
        "audience": audience,
        "mine": mine,
        "shows_content": privacy.shows_content(report, audience),
        "requested": requested_summary(report, audience),
        "is_public": privacy.is_public(report),
        "reporter_name": privacy.reporter_name(report, audience) if mine else "",
        "contact": privacy.reporter_contact(report, audience) if mine else {},
        "timeline": timeline,
        "secret_form": bound.get("secret") or SecretForm(),
        "reply_form": (bound.get("reply") or ReplyForm()) if Action.REPORTER_REPLY in can else None,
        "rate_form": (bound.get("rate") or RateForm())
        if Action.RATE in can and report.rating is None
        else None,
        "reopen_form": (bound.get("reopen") or ReopenForm())
        if Action.REOPEN in can and poor
        else None,
        "withdraw_form": (bound.get("withdraw") or WithdrawForm())
        if mine and can_withdraw(report)
        else None,
        "form_errors": [e for f in bound.values() for e in f.non_field_errors()],
        "awaiting_me": report.status == lifecycle.Status.AWAITING_REPORTER,
        "privacy_form": (
            bound.get("privacy")
            or ConsentForm(
                initial={
                    "is_anonymous": report.is_anonymous,
                    "is_confidential": report.is_confidential,
                    "seen": state_of(report),
                }
            )
        )
        if mine
        else None,
    }
