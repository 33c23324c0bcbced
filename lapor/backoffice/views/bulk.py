"""Bulk disposition from the national triage queue, and bulk forwarding to a unit from the
agency inbox: one service call per report, each in its
own transaction, so one refusal never undoes the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership
from lapor.backoffice.access import Officer, officer_required
from lapor.backoffice.agency_picker import receiving_agencies
from lapor.backoffice.views.common import officer_of
from lapor.core.errors import LaporError
from lapor.reports import services
from lapor.reports.lifecycle import TransitionError
from lapor.reports.models import Report
from lapor.reports.selectors_backoffice import officer_reports

MAX_BULK = 100
Role = Membership.Role


def back_to_queue(
    request: HttpRequest, slug: str, *, extra: dict[str, list[str]] | None = None, anchor: str = ""
) -> HttpResponseRedirect:
    """The queue with the filters and page the officer had (the form's ``back`` field, read
    as a query string and written again, so nothing but parameters reaches the address)."""
    kept = QueryDict(request.POST.get("back", ""), mutable=True)
    for name in ("reports", "instansi", "semua_instansi"):
        kept.pop(name, None)
    for name, values in (extra or {}).items():
        kept.setlist(name, values)
    query = kept.urlencode()
    url = reverse("backoffice:queue", kwargs={"slug": slug})
    return HttpResponseRedirect(f"{url}{'?' + query if query else ''}{anchor}")


def own_units(officer: Officer) -> list[tuple[str, str]]:
    """The units below the agencies an officer administers (for bulk forwarding)."""
    paths = [m.agency.path for m in officer.memberships if m.role == Role.AGENCY_ADMIN]
    if not paths:
        return []
    match = Q()
    for path in paths:
        match |= Q(path__startswith=path)
    return list(
        Agency.objects.filter(match, kind=Agency.Kind.UNIT, is_active=True, accepts_reports=True)
        .values_list("code", "name")
        .order_by("name")
    )


def _each(
    request: HttpRequest,
    reports: Iterable[Report],
    act: Callable[[Report], object],
    *,
    done: Callable[[int], str],
    refused: str,
) -> None:
    """Act on each report in its own transaction and tell the officer what passed (``done`` of
    their count) and what was refused (``refused`` with %(reports)s), with each reason."""
    passed, failed = 0, []
    for report in reports:
        try:
            act(report)
        except (LaporError, TransitionError) as exc:
            failed.append(f"{report.tracking_id} ({getattr(exc, 'message', str(exc))})")
        else:
            passed += 1
    messages.success(request, done(passed))
    if failed:
        messages.error(request, refused % {"reports": "; ".join(failed)})


@require_POST
@officer_required
def bulk_unit(request: HttpRequest) -> HttpResponse:
    """Agency admins: forward several reports of the inbox to one unit."""
    officer = officer_of(request)
    units = dict(own_units(officer))
    if not units:
        raise Http404
    back = back_to_queue(request, "masuk")
    ids = request.POST.getlist("reports")[:MAX_BULK]
    code = request.POST.get("unit", "")
    unit = Agency.objects.filter(code=code).first() if code in units else None
    if not ids or unit is None:
        messages.error(request, _("Pilih laporan dan unit kerja tujuan, lalu ulangi."))
        return back
    user: User = request.user  # type: ignore[assignment]
    _each(
        request,
        officer_reports(officer.memberships).filter(tracking_id__in=ids),
        lambda report: services.report_dispose_unit(report=report, unit=unit, actor=user),
        done=lambda n: (
            ngettext(
                "%(n)d laporan diteruskan ke %(unit)s.", "%(n)d laporan diteruskan ke %(unit)s.", n
            )
            % {"n": n, "unit": unit.name}
        ),
        refused=_("Tidak dapat diteruskan: %(reports)s"),
    )
    return back


@require_POST
@officer_required
def bulk_dispose(request: HttpRequest) -> HttpResponse:
    officer = officer_of(request)
    if not officer.is_national:
        raise Http404
    back = back_to_queue(request, "triase")
    ids = request.POST.getlist("reports")[:MAX_BULK]
    if request.POST.get("step") == "search":
        # The agency search inside the bulk form: back to the queue with the ticks kept.
        query = next((q for q in request.POST.getlist("instansi") if q.strip()), "")
        return back_to_queue(
            request,
            "triase",
            extra={"instansi": [query] if query else [], "reports": ids},
            anchor="#bulk-agency",
        )
    agency = receiving_agencies().filter(code=request.POST.get("to_agency", "")).first()
    if not ids or agency is None:
        messages.error(request, _("Pilih laporan dan instansi tujuan, lalu ulangi."))
        return back
    user: User = request.user  # type: ignore[assignment]
    _each(
        request,
        officer_reports(officer.memberships).filter(tracking_id__in=ids),
        lambda report: services.report_dispose(report=report, to_agency=agency, actor=user),
        done=lambda n: (
            ngettext(
                "%(n)d laporan didisposisikan ke %(agency)s.",
                "%(n)d laporan didisposisikan ke %(agency)s.",
                n,
            )
            % {"n": n, "agency": agency.name}
        ),
        refused=_("Tidak dapat didisposisikan: %(reports)s"),
    )
    return back
