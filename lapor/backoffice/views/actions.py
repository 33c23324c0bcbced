"""Each action form posts here; the view reads the form and calls the one report service.

A refusal (invalid input, a move the lifecycle forbids, another officer acting first) is shown
next to the form, in the page's language, with what to do next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.accounts.models import User
from lapor.agencies.models import Agency
from lapor.backoffice.access import officer_required
from lapor.backoffice.agency_picker import chosen_agency, receiving_agencies
from lapor.backoffice.error_codes import BackofficeErrorCode
from lapor.backoffice.sla_state import zone_of
from lapor.backoffice.views.common import officer_of
from lapor.backoffice.views.detail import reachable_report, render_detail
from lapor.categories.models import Category
from lapor.core import ids
from lapor.core.errors import Conflict, LaporError, ValidationFailed
from lapor.reports import services
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.lifecycle import Action
from lapor.reports.models import Attachment, Report
from lapor.reports.selectors_backoffice import officer_report

# The report, the form, the officer, the request, and the version the form saw (None: any).
Handler = Callable[[Report, QueryDict, User, HttpRequest, int | None], object]


def _unit(code: str) -> Agency:
    agency = Agency.objects.filter(code=code.strip()).first() if code.strip() else None
    if agency is None:
        raise ValidationFailed(
            _("Pilih unit kerja dari daftar."), code=BackofficeErrorCode.UNIT_REQUIRED, field="unit"
        )
    return agency


def _suggested(report: Report, code: str) -> Agency | None:
    """Bukan wewenang's hint to national triage: none, or a receiving agency other than the
    report's own (routing learns from it, so an unknown code is refused, not dropped)."""
    code = code.strip()
    if not code:
        return None
    agency = receiving_agencies(units=True).filter(code=code).first()
    if agency is None:
        raise ValidationFailed(
            _(
                "Instansi yang disarankan tidak ada di daftar. Pilih dari daftar (cari dengan "
                "nama, singkatan atau nama daerahnya), atau kosongkan pilihan bila Anda tidak "
                "tahu."
            ),
            code=BackofficeErrorCode.SUGGESTED_UNKNOWN,
            field="suggested",
        )
    if report.agency is not None and agency.is_within(report.agency):
        raise ValidationFailed(
            _(
                "Instansi yang disarankan adalah instansi Anda sendiri. Pilih instansi lain yang "
                "berwenang, atau kosongkan pilihan."
            ),
            code=BackofficeErrorCode.SUGGESTED_SELF,
            field="suggested",
        )
    return agency


def _until(report: Report, value: str) -> datetime:
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(
            _("Isi tanggal akhir penundaan (hari/bulan/tahun)."),
            code=BackofficeErrorCode.UNTIL_REQUIRED,
            field="until",
        ) from None
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(zone_of(report)))


def _merge(
    report: Report, p: QueryDict, user: User, request: HttpRequest, version: int | None
) -> None:
    into = officer_report(officer_of(request).memberships, p.get("into", "").strip().upper())
    if into is None:
        raise ValidationFailed(
            _("Laporan tujuan tidak ditemukan di wilayah kerja Anda. Periksa nomor pelacakannya."),
            code=BackofficeErrorCode.MERGE_TARGET_MISSING,
            field="into",
        )
    services.report_merge(
        report=report,
        into=into,
        actor=user,
        reason=p.get("reason", ""),
        expected_version=version,
    )


def _attachment(report: Report, pk: str) -> Attachment:
    found = report.attachments.filter(pk=int(pk)).first() if pk.isdigit() else None
    if found is None:
        raise ValidationFailed(
            _("Pilih foto laporan ini yang ingin disembunyikan."),
            code=BackofficeErrorCode.ATTACHMENT_REQUIRED,
            field="attachment",
        )
    return found


def _category(
    report: Report, p: QueryDict, user: User, request: HttpRequest, version: int | None
) -> None:
    category = Category.objects.filter(code=p.get("category", "")).first()
    if category is None:
        raise ValidationFailed(
            _("Pilih kategori dari daftar."), code=BackofficeErrorCode.CATEGORY_REQUIRED
        )
    services.report_change_category(
        report=report, actor=user, category=category, expected_version=version
    )


HANDLERS: dict[str, Handler] = {
    Action.TRIAGE: lambda r, p, u, q, v: services.report_send_to_triage(
        report=r, expected_version=v, actor=u, reason=p.get("reason", "")
    ),
    Action.DISPOSE: lambda r, p, u, q, v: services.report_dispose(
        report=r,
        expected_version=v,
        to_agency=chosen_agency(p.get("to_agency", ""), "to_agency"),
        actor=u,
        note=p.get("note", ""),
    ),
    Action.DISPOSE_UNIT: lambda r, p, u, q, v: services.report_dispose_unit(
        report=r, expected_version=v, unit=_unit(p.get("unit", "")), actor=u, note=p.get("note", "")
    ),
    Action.HOLD: lambda r, p, u, q, v: services.report_hold(
        report=r,
        expected_version=v,
        actor=u,
        until=_until(r, p.get("until", "")),
        reason=p.get("reason", ""),
    ),
    Action.RESUME: lambda r, p, u, q, v: services.report_resume(
        report=r, expected_version=v, actor=u, reason=p.get("reason", "")
    ),
    Action.NOT_AUTHORITY: lambda r, p, u, q, v: services.report_not_authority(
        report=r,
        expected_version=v,
        actor=u,
        reason=p.get("reason", ""),
        suggested_agency=_suggested(r, p.get("suggested", "")),
    ),
    Action.FORWARD: lambda r, p, u, q, v: services.report_forward(
        report=r,
        expected_version=v,
        to_agency=chosen_agency(p.get("to_agency", ""), "to_agency", outside=r.agency),
        actor=u,
        reason=p.get("reason", ""),
    ),
    Action.REQUEST_INFO: lambda r, p, u, q, v: services.report_request_info(
        report=r, expected_version=v, actor=u, question=p.get("question", "")
    ),
    Action.FOLLOW_UP: lambda r, p, u, q, v: services.report_follow_up(
        report=r, expected_version=v, actor=u, message=p.get("message", "")
    ),
    Action.COMPLETE: lambda r, p, u, q, v: services.report_complete(
        report=r, expected_version=v, actor=u, message=p.get("message", "")
    ),
    Action.NOTE: lambda r, p, u, q, v: services.report_add_note(
        report=r, expected_version=v, actor=u, note=p.get("note", "")
    ),
    Action.CHANGE_CATEGORY: _category,
    # The form offers only adding (a protection already on is sent as a hidden field); the
    # service refuses any lifting, which takes the reporter's own consent.
    Action.SET_PRIVACY: lambda r, p, u, q, v: services.report_set_privacy(
        report=r,
        expected_version=v,
        actor=u,
        is_anonymous=bool(p.get("is_anonymous")),
        is_confidential=bool(p.get("is_confidential")),
        reason=p.get("reason", ""),
    ),
    Action.MERGE: _merge,
    # Hiding a shown photo only: showing one is the reporter's choice (services.photos).
    Action.PHOTO_VISIBILITY: lambda r, p, u, q, v: services.attachment_set_public(
        attachment=_attachment(r, p.get("attachment", "")), is_public=False, officer=u
    ),
    Action.ARCHIVE: lambda r, p, u, q, v: services.report_archive(
        report=r, expected_version=v, actor=u, reason=p.get("reason", "")
    ),
}


def version_of(report: Report) -> str:
    """What the form saw: the report's ``event_count`` (ADR 0002), sent back as ``version``."""
    return str(report.event_count)


STALE = Conflict("", code=ReportErrorCode.REPORT_CHANGED)


def _expected_version(seen: str, action: str) -> int | None:
    """The version the form was filled in on, for the service to compare under the lock; none
    for a note (a note never conflicts) or a post without one. A version that is not a number
    was not written by this page: it counts as stale."""
    if not seen or action == Action.NOTE:
        return None
    if not seen.isdigit():
        raise STALE
    return int(seen)


def _stale_message() -> str:
    return _(
        "Laporan ini baru saja diubah oleh petugas lain. Periksa riwayat di bawah, lalu "
        "ulangi tindakan Anda bila masih perlu."
    )


@require_POST
@officer_required
def act(request: HttpRequest, tracking_id: str, action: str) -> HttpResponse:
    report = reachable_report(request, tracking_id)
    handler = HANDLERS.get(action)
    if handler is None:
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    try:
        version = _expected_version(request.POST.get("version", ""), action)
        handler(report, request.POST, user, request, version)
    except LaporError as exc:  # TransitionError included: a LaporError like the others
        report.refresh_from_db()
        stale = isinstance(exc, Conflict) and exc.code == ReportErrorCode.REPORT_CHANGED
        return render_detail(
            request,
            report,
            errors={action: _stale_message() if stale else exc.message},
            values=request.POST.dict(),
            error_fields={action: exc.field or ""},
            status=400,
        )
    messages.success(request, f"{Action(action).label}: {ids.display(report.tracking_id)}.")
    if officer_report(officer_of(request).memberships, report.tracking_id) is None:
        return redirect("backoffice:home")  # the report has left the officer's subtree
    return redirect("backoffice:report", tracking_id=report.tracking_id)
