"""Public reports: the searchable list, one report's page with "dukung", an agency's page.

Every read here goes through ``reports.selectors`` built on ``privacy.public_reports``: a rahasia
report is not on any of these pages, not even as a 404 that differs from a missing one."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency
from lapor.core import ids
from lapor.core.errors import LaporError
from lapor.portal.forms import attach_error
from lapor.portal.forms.browse import BrowseForm, SupportForm
from lapor.portal.limits import over_limit, too_many
from lapor.reports import privacy
from lapor.reports.lifecycle import Action
from lapor.reports.selectors import (
    agency_stats,
    public_list,
    public_report,
    report_events,
)
from lapor.reports.services import report_support

PAGE_SIZE = 20


def reports(request: HttpRequest) -> HttpResponse:
    form = BrowseForm(request.GET or None)
    paginator = Paginator(public_list(form.to_filter()), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "portal/reports.html", context)


def report(request: HttpRequest, tracking_id: str) -> HttpResponse:
    found = public_report(ids.normalize(tracking_id))
    if found is None:
        raise Http404(_("Laporan tidak ditemukan atau tidak untuk publik."))
    support_form = SupportForm()
    if request.method == "POST":
        if over_limit(request, "support"):
            return too_many(request)
        support_form = SupportForm(request.POST)
        if support_form.is_valid():
            try:
                report_support(
                    report=found,
                    user=request.user if request.user.is_authenticated else None,
                    **support_form.cleaned_data,
                )
                messages.success(
                    request, _("Terima kasih. Anda akan dikabari setiap perkembangan laporan ini.")
                )
                return redirect("portal:report", tracking_id=found.tracking_id)
            except LaporError as exc:
                attach_error(support_form, exc)
    events = report_events(found)
    answers = [e for e in events if e.action == Action.FOLLOW_UP and not e.is_internal]
    context = {
        "report": found,
        "reporter_name": privacy.reporter_name(found, privacy.Audience.PUBLIC),
        "timeline": privacy.timeline(found, events, privacy.Audience.PUBLIC),
        "answers": answers,
        "support_form": support_form,
        "can_support": found.is_open,
    }
    return render(request, "portal/report.html", context)


def agency(request: HttpRequest, code: str) -> HttpResponse:
    found = get_object_or_404(Agency.objects.select_related("region"), code=code, is_active=True)
    topics = list(found.topics.filter(is_active=True).order_by("name")[:20])
    context = {"agency": found, "stats": agency_stats(found), "topics": topics}
    return render(request, "portal/agency.html", context)
