"""Bulk disposition from the national triage queue: one service call per report, each in its
own transaction, so one refusal never undoes the others."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from lapor.accounts.models import User
from lapor.agencies.models import Agency
from lapor.backoffice.access import officer_required
from lapor.backoffice.views.common import officer_of
from lapor.core.errors import LaporError
from lapor.reports import services
from lapor.reports.lifecycle import TransitionError
from lapor.reports.selectors_backoffice import officer_reports

MAX_BULK = 100


def dispose_targets() -> list[tuple[str, str]]:
    return list(
        Agency.objects.filter(is_active=True, accepts_reports=True)
        .exclude(kind__in=[Agency.Kind.UNIT, Agency.Kind.NATIONAL])
        .values_list("code", "name")
        .order_by("name")
    )


@require_POST
@officer_required
def bulk_dispose(request: HttpRequest) -> HttpResponse:
    officer = officer_of(request)
    if not officer.is_national:
        raise Http404
    back = redirect("backoffice:queue", slug="triase")
    ids = request.POST.getlist("reports")[:MAX_BULK]
    agency = Agency.objects.filter(code=request.POST.get("to_agency", "")).first()
    if not ids or agency is None:
        messages.error(request, "Pilih laporan dan instansi tujuan, lalu ulangi.")
        return back
    user: User = request.user  # type: ignore[assignment]
    done, failed = [], []
    for report in officer_reports(officer.memberships).filter(tracking_id__in=ids):
        try:
            services.report_dispose(report=report, to_agency=agency, actor=user)
        except (LaporError, TransitionError) as exc:
            failed.append(f"{report.tracking_id} ({getattr(exc, 'message', str(exc))})")
        else:
            done.append(report.tracking_id)
    messages.success(request, f"{len(done)} laporan didisposisikan ke {agency.name}.")
    if failed:
        messages.error(request, "Tidak dapat didisposisikan: " + "; ".join(failed))
    return back
