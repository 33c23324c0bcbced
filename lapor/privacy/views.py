"""The reporter's rights as pages: the privacy notice and terms, the copy of one's data, and
erasing one's identity. An account acts on all its reports at once; a guest on the one report
their secret (entered on the track page) proves."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapor.accounts.models import User
from lapor.core.errors import LaporError
from lapor.portal.forms import attach_error
from lapor.portal.limits import over_limit, too_many
from lapor.portal.reporter_session import audience_for, secret_for
from lapor.privacy import export
from lapor.privacy.notice import NOTICE_EFFECTIVE, NOTICE_VERSION
from lapor.privacy.retention import retention_days
from lapor.privacy.services import account_erase, is_officer
from lapor.reports.models import Report
from lapor.reports.privacy import Audience
from lapor.reports.selectors import tracked_report
from lapor.reports.services import report_erase_identity

LOGIN = "portal:accounts:login"


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Saya mengerti: identitas saya dihapus untuk selamanya dan tidak dapat dipulihkan."
        ),
        error_messages={"required": gettext_lazy("Centang kotak ini untuk melanjutkan.")},
    )


def notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/notice.html",
        {"version": NOTICE_VERSION, "effective": NOTICE_EFFECTIVE, "days": retention_days()},
    )


def terms(request: HttpRequest) -> HttpResponse:
    return render(
        request, "privacy/terms.html", {"version": NOTICE_VERSION, "effective": NOTICE_EFFECTIVE}
    )


def _download(document: dict[str, object], name: str) -> HttpResponse:
    response = HttpResponse(export.as_json(document), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- an account -------------------------------------------------------------------------


@login_required(login_url=LOGIN)
def my_data(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "privacy/my_data.html",
        {"officer": is_officer(user), "report_count": Report.objects.filter(reporter=user).count()},
    )


@require_POST
@login_required(login_url=LOGIN)
def my_data_download(request: HttpRequest) -> HttpResponse:
    if over_limit(request, "account"):
        return too_many(request)
    user: User = request.user  # type: ignore[assignment]
    return _download(export.for_account(user), "lapor-data-saya.json")


@login_required(login_url=LOGIN)
def my_data_erase(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if over_limit(request, "account"):
            return too_many(request)
        if form.is_valid():
            try:
                count = account_erase(user=user)
            except LaporError as exc:
                attach_error(form, exc)
            else:
                logout(request)
                messages.success(
                    request,
                    _(
                        "Akun Anda sudah dihapus. Nama dan kontak Anda telah dihapus dari "
                        "%(count)d laporan; laporannya tetap ada sebagai laporan anonim."
                    )
                    % {"count": count},
                )
                return redirect("portal:home")
    return render(
        request,
        "privacy/erase.html",
        {"form": form, "account": True, "officer": is_officer(user), "report": None},
    )


# --- a guest's report -------------------------------------------------------------------


def _own_report(request: HttpRequest, tracking_id: str) -> Report | HttpResponse:
    """The report if this browser proves its reporter; else back to the track page, which
    asks for the secret."""
    report = tracked_report(tracking_id)
    if report is None:
        raise Http404(_("Laporan tidak ditemukan."))
    if audience_for(request, report) != Audience.REPORTER:
        messages.error(
            request,
            _(
                "Masukkan dulu kode rahasia laporan ini (atau masuk dengan akun Anda) untuk "
                "mengunduh atau menghapus data Anda."
            ),
        )
        return redirect("portal:track_report", tracking_id=report.tracking_id)
    return report


@require_POST
def report_download(request: HttpRequest, tracking_id: str) -> HttpResponse:
    if over_limit(request, "follow"):
        return too_many(request)
    report = _own_report(request, tracking_id)
    if isinstance(report, HttpResponse):
        return report
    user = request.user if request.user.is_authenticated else None
    return _download(
        export.for_report(report, user=user),
        f"lapor-data-saya-{report.tracking_id}.json",
    )


def report_erase(request: HttpRequest, tracking_id: str) -> HttpResponse:
    report = _own_report(request, tracking_id)
    if isinstance(report, HttpResponse):
        return report
    if report.reporter_id is not None:
        # An account's identity is the account's: erased as a whole, on its own page.
        return redirect("portal:privacy:my_data_erase")
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if over_limit(request, "follow"):
            return too_many(request)
        if form.is_valid():
            try:
                report_erase_identity(report=report, secret=secret_for(request, report.tracking_id))
            except LaporError as exc:
                attach_error(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Nama dan kontak Anda sudah dihapus dari laporan ini. Kami tidak dapat "
                        "lagi mengabari Anda; pantau laporan ini dengan nomor pelacakan dan kode "
                        "rahasianya."
                    ),
                )
                return redirect("portal:track_report", tracking_id=report.tracking_id)
    return render(
        request,
        "privacy/erase.html",
        {"form": form, "account": False, "officer": False, "report": report},
    )
