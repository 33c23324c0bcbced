"""Public reports: the searchable list, one report's page with "dukung", an agency's page.

Every read here goes through ``reports.selectors`` built on ``privacy.public_reports``: a rahasia
report is not on any of these pages, not even as a 404 that differs from a missing one."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lapor.agencies.models import Agency
from lapor.core import ids
from lapor.core.errors import LaporError
from lapor.portal import list_cache, report_cache, track_cache
from lapor.portal.directory import directory
from lapor.portal.forms import attach_error
from lapor.portal.forms.browse import BrowseForm, SupportForm
from lapor.portal.limits import over_limit, too_many
from lapor.portal.requested_view import requested_summary
from lapor.reports import privacy
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report
from lapor.reports.selectors import (
    agency_stats,
    public_list,
    public_page,
    public_report,
    report_events,
    tracked_report,
)
from lapor.reports.services import report_support, report_support_confirm

PAGE_SIZE = 20
ROW_RELATED = ("region", "agency", "unit")
LAST_PAGE = 50  # deeper than 1,000 reports, the filters narrow better than paging


def page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), LAST_PAGE)
    except ValueError:
        return 1


def reports(request: HttpRequest) -> HttpResponse:
    """The public list: kept rendered for a visit with nothing private (``list_cache``), every
    row re-checked; else rendered. No total is counted: a page reads its own rows and one more
    (is there a next page?)."""
    if not list_cache.is_public_visit(request):
        return render(request, "portal/reports.html", _list_context(request))
    page_key = list_cache.key(get_language(), request.get_full_path())
    kept = list_cache.get(page_key)
    if (
        kept is not None
        and not list_cache.due(page_key, kept)
        and list_cache.rows_unchanged(kept.rows)
    ):
        return track_cache.respond(request, kept, page_key)
    made = time.time()
    placeholder = track_cache.new_placeholder()
    context = {**_list_context(request), "csrf_token": placeholder}
    html = render_to_string("portal/reports.html", context, request=request)
    kept = list_cache.ListPage(placeholder, html, list_cache.rows_of(context["rows"]), made)
    list_cache.put(page_key, kept)
    return track_cache.respond(request, kept, page_key)


def _list_context(request: HttpRequest) -> dict[str, Any]:
    form = BrowseForm(request.GET or None)
    number = page_number(request.GET.get("page"))
    start = (number - 1) * PAGE_SIZE
    # A row names its region, its agency or unit and the time in that office's zone: only
    # those are joined (fewer tables to plan than the API's rows).
    wanted = form.to_filter()
    shown = public_list(wanted).select_related(None).select_related(*ROW_RELATED)
    found = public_page(shown, start, PAGE_SIZE + 1, searched=bool(wanted.q.strip()))
    rows = found[:PAGE_SIZE]
    query = request.GET.copy()
    query.pop("page", None)
    # A list narrowed to one agency (its page's link) says so, and how to see every report.
    code = form.cleaned_data.get("agency", "") if form.is_bound else ""
    filtered_by = Agency.objects.filter(code=code).first() if code else None
    unfiltered = query.copy()
    unfiltered.pop("agency", None)
    return {
        "form": form,
        "rows": rows,
        "number": number,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if len(found) > PAGE_SIZE and number < LAST_PAGE else None,
        "last_page": number == LAST_PAGE and len(found) > PAGE_SIZE,
        "query": query.urlencode(),
        "filtered_by": filtered_by,
        "unfiltered": unfiltered.urlencode(),
        "feed_query": urlencode(
            {
                name: value
                for name in ("region", "agency", "category", "status")
                if (value := form.cleaned_data.get(name, "") if form.is_bound else "")
            }
        ),
    }


def report(request: HttpRequest, tracking_id: str) -> HttpResponse:
    normalized = ids.normalize(tracking_id)
    if report_cache.is_public_visit(request, normalized, tracking_id):
        return _kept_report_page(request, normalized)
    found = public_report(normalized)
    if found is None:
        raise Http404(_("Laporan tidak ditemukan atau tidak untuk publik."))
    support_form = SupportForm()
    if request.method == "POST":
        if over_limit(request, "support"):
            return too_many(request)
        support_form = SupportForm(request.POST)
        if support_form.is_valid():
            user = request.user if request.user.is_authenticated else None
            try:
                report_support(
                    report=found,
                    user=user,
                    absolute_url=request.build_absolute_uri,
                    **support_form.cleaned_data,
                )
                messages.success(request, _thanks(user is not None))
                return redirect("portal:report", tracking_id=found.tracking_id)
            except LaporError as exc:
                attach_error(support_form, exc)
    return render(request, "portal/report.html", _report_context(request, found, support_form))


def _kept_report_page(request: HttpRequest, tracking_id: str) -> HttpResponse:
    """A visit with nothing private: the page of this version of the report from the shared
    cache, else rendered once and kept (``report_cache``)."""
    language, host = get_language(), request.get_host()

    def render(found: Report, placeholder: str) -> str:
        context = {**_report_context(request, found, SupportForm()), "csrf_token": placeholder}
        return render_to_string("portal/report.html", context, request=request)

    return track_cache.serve(
        request,
        version=report_cache.public_version(tracking_id),
        key_for=lambda version: report_cache.key(tracking_id, language, host, version),
        load=lambda: public_report(tracking_id),
        render=render,
        missing=_("Laporan tidak ditemukan atau tidak untuk publik."),
    )


def _report_context(
    request: HttpRequest, found: Report, support_form: SupportForm
) -> dict[str, Any]:
    events = report_events(found)
    answers = [e for e in events if e.action == Action.FOLLOW_UP and not e.is_internal]
    return {
        "report": found,
        "reporter_name": privacy.reporter_name(found, privacy.Audience.PUBLIC),
        "requested": requested_summary(found, privacy.Audience.PUBLIC),
        "audience": privacy.Audience.PUBLIC,
        "timeline": privacy.timeline(found, events, privacy.Audience.PUBLIC),
        "attachments": privacy.public_attachments(found),
        "answers": answers,
        "support_form": support_form,
        "can_support": found.is_open,
        "share_url": request.build_absolute_uri(reverse("portal:report", args=[found.tracking_id])),
    }


def _thanks(by_account: bool) -> str:
    """After "dukung". A guest hears the same whether or not their address supported before."""
    if by_account:
        return _(
            "Terima kasih atas dukungan Anda. Anda akan dikabari perkembangan laporan ini "
            "yang terbuka untuk publik."
        )
    return _(
        "Terima kasih. Bila alamat ini belum terdaftar sebagai pendukung laporan ini, kami "
        "mengirim tautan konfirmasi ke sana. Buka tautan itu untuk mulai menerima kabar; tanpa "
        "konfirmasi, alamat ini tidak akan menerima kabar apa pun."
    )


@require_http_methods(["GET", "POST"])
def support_confirm(request: HttpRequest, tracking_id: str, token: str) -> HttpResponse:
    """The link sent to a guest supporter. Opening it only shows a button (so a mail scanner
    following links confirms nothing); pressing it confirms the address."""
    found = tracked_report(ids.normalize(tracking_id))
    if found is None:
        raise Http404(_("Laporan tidak ditemukan."))
    error = ""
    if request.method == "POST":
        if over_limit(request, "support"):
            return too_many(request)
        try:
            report_support_confirm(report=found, token=token)
        except LaporError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _(
                    "Dukungan Anda terkonfirmasi. Anda akan dikabari perkembangan laporan ini "
                    "yang terbuka untuk publik."
                ),
            )
            if privacy.is_public(found):
                return redirect("portal:report", tracking_id=found.tracking_id)
            return redirect("portal:home")
    context = {"report": found, "error": error}
    return render(request, "portal/support_confirm.html", context, status=400 if error else 200)


def agency(request: HttpRequest, code: str) -> HttpResponse:
    found = get_object_or_404(Agency.objects.select_related("region"), code=code, is_active=True)
    topics = list(found.topics.filter(is_active=True).order_by("name")[:20])
    context = {"agency": found, "stats": agency_stats(found), "topics": topics}
    return render(request, "portal/agency.html", context)


def agencies(request: HttpRequest) -> HttpResponse:
    """The agency directory (``/instansi/``): search, or browse by level and province."""
    query = request.GET.get("q", "")[:100]
    context = {"query": query, "directory": directory(query)}
    return render(request, "portal/agencies.html", context)
