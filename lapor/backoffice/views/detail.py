"""One report at the officer's desk: everything they may read, and the forms of the actions
the lifecycle allows now and their role permits."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency, Membership
from lapor.backoffice import agency_picker
from lapor.backoffice.access import officer_required
from lapor.backoffice.models import AnswerTemplate
from lapor.backoffice.sla_state import sla_state, zone_of
from lapor.backoffice.views.common import officer_of, page
from lapor.categories.models import Category
from lapor.core import ids
from lapor.core.timefmt import format_local
from lapor.portal.selectors import category_label
from lapor.reports.lifecycle import Action, allowed_actions
from lapor.reports.models import AccessRecord, Report
from lapor.reports.permissions import ROLE_ACTIONS, roles_over
from lapor.reports.privacy import Audience, reporter_contact, reporter_name
from lapor.reports.selectors_backoffice import officer_report, similar_reports
from lapor.reports.services import record_access, report_record_confidential_view

# The actions an officer takes from the detail page, in the order the forms appear.
FORM_ACTIONS = [
    Action.TRIAGE,
    Action.DISPOSE,
    Action.DISPOSE_UNIT,
    Action.REQUEST_INFO,
    Action.FOLLOW_UP,
    Action.COMPLETE,
    Action.HOLD,
    Action.RESUME,
    Action.NOT_AUTHORITY,
    Action.FORWARD,
    Action.NOTE,
    Action.CHANGE_CATEGORY,
    Action.SET_PRIVACY,
    Action.MERGE,
    Action.ARCHIVE,
]


def reachable_report(request: HttpRequest, tracking_id: str) -> Report:
    """The report if the officer's subtree holds it; otherwise 404, never a hint of it."""
    report = officer_report(officer_of(request).memberships, ids.normalize(tracking_id))
    if report is None:
        raise Http404
    return report


def actions_for(request: HttpRequest, report: Report) -> list[str]:
    roles = roles_over(request.user, report)  # type: ignore[arg-type]
    permitted = set().union(*(ROLE_ACTIONS[r] for r in roles)) if roles else set()
    now_allowed = set(allowed_actions(report.status))
    return [a for a in FORM_ACTIONS if a in now_allowed and a in permitted]


def answer_templates(report: Report) -> list[AnswerTemplate]:
    """National templates and those of the handling agency or any agency above it."""
    handler = report.unit or report.agency
    parts = handler.path.strip("/").split("/") if handler else []
    above = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]
    return list(
        AnswerTemplate.objects.filter(is_active=True).filter(
            Q(agency__isnull=True) | Q(agency__path__in=above)
        )
    )


def _timeline(report: Report, tz: str) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The whole history, internal steps included, and the latest routing suggestion."""
    entries = []
    routing = None
    for event in report.events.select_related("agency", "actor").order_by("seq"):
        if isinstance(event.data, dict) and isinstance(event.data.get("routing"), dict):
            routing = event.data["routing"]
        if event.actor_role == "reporter":
            who = reporter_name(report, Audience.OFFICER)
        elif event.actor is not None:
            who = event.actor.display_name()
        else:
            who = _("Sistem")
        entries.append(
            {
                "seq": event.seq,
                "label": Action(event.action).label,
                "at": format_local(event.created_at, tz),
                "who": who,
                "message": event.message,
                # A reporter's step (a reply, an appeal) is theirs, not the agency's it goes to.
                "agency": event.agency.name
                if event.agency and event.actor_role != "reporter"
                else "",
                "internal": event.is_internal,
            }
        )
    return entries, routing


def render_detail(
    request: HttpRequest,
    report: Report,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    error_fields: dict[str, str] | None = None,
    status: int = 200,
    show_contact: bool = False,
) -> HttpResponse:
    from django.utils import timezone

    actions = actions_for(request, report)
    tz = zone_of(report)
    timeline, routing = _timeline(report, tz)
    suggestions = []
    for s in (routing or {}).get("suggestions", [])[:5]:
        suggestions.append({**s, "percent": round(100 * float(s.get("confidence", 0)))})
    memberships = officer_of(request).memberships
    contact = {k: v for k, v in reporter_contact(report, Audience.OFFICER).items() if v}
    context: dict[str, Any] = {
        "report": report,
        "actions": actions,
        "errors": errors or {},
        "version": report.event_count,  # sent back as the service's expected_version
        # A refusal of an action that has no form here (not allowed now, or not for this role).
        "orphan_errors": [m for a, m in (errors or {}).items() if a not in actions],
        "values": values or {},
        "sla": sla_state(report, timezone.now()),
        "submitted": format_local(report.submitted_at, tz),
        "due": format_local(report.due_at, tz) if report.due_at else "",
        "reporter_name": reporter_name(report, Audience.OFFICER),
        # Contact details only after "Lihat kontak pelapor" (recorded, and listed to the
        # reporter); the name of a reporter who is not anonim is shown.
        "contact": contact if show_contact else {},
        "contact_hidden": bool(contact) and not show_contact,
        "attachments": list(report.attachments.all()),
        "timeline": timeline,
        "suggestions": suggestions,
        # the best suggestion a report can be disposed to (not an imported history agency)
        "suggested": agency_picker.first_receiving(s.get("agency", "") for s in suggestions),
        "similar": similar_reports(memberships, report) if report.is_open else [],
    }
    if {Action.DISPOSE, Action.FORWARD, Action.NOT_AUTHORITY} & set(actions):
        # The officer's search, kept through a refused POST in a hidden field of the form.
        values = context["values"]
        chosen = values.get("to_agency") or context["suggested"]
        context["picker"] = agency_picker.pick(
            values.get(agency_picker.PARAM) or request.GET.get(agency_picker.PARAM, ""),
            show_all=bool(request.GET.get(agency_picker.ALL_PARAM)),
            near=[s.get("agency", "") for s in suggestions],
            region_code=report.region_id,
            chosen=[chosen, values.get("suggested", "")],
            # Forwarding and bukan wewenang point away from the agency holding the report.
            outside=report.agency.path if report.agency is not None else "",
        )
        picker_action = Action.DISPOSE if Action.DISPOSE in actions else Action.FORWARD
        context["picker_anchor"] = f"act-{picker_action}"
        context["picker_chosen"] = chosen
        # A refusal of the chosen agency is shown at the select and tied to it.
        fields = error_fields or {}
        if fields.get(picker_action) == "to_agency":
            context["picker_error"] = context["errors"].get(picker_action, "")
        if fields.get(Action.NOT_AUTHORITY) == "suggested":
            context["suggested_error"] = context["errors"].get(Action.NOT_AUTHORITY, "")
    if Action.DISPOSE_UNIT in actions and report.agency is not None:
        # What report_dispose_unit accepts: the receiving agencies below the report's agency
        # (its units; for a ministry, also its missions abroad), never another agency's.
        context["units"] = list(
            Agency.objects.filter(
                path__startswith=report.agency.path, is_active=True, accepts_reports=True
            )
            .exclude(pk=report.agency.pk)
            .values_list("code", "name")
            .order_by("name")
        )
    if Action.FOLLOW_UP in actions:
        context["answer_templates"] = answer_templates(report)
        chosen = request.GET.get("jawaban", "")
        picked = next((t for t in context["answer_templates"] if str(t.pk) == chosen), None)
        if picked is not None and not context["values"].get("message"):
            context["values"] = {**context["values"], "message": picked.body}
    if Action.CHANGE_CATEGORY in actions:
        context["categories"] = sorted(
            ((c.code, category_label(c)) for c in Category.objects.filter(is_active=True)),
            key=lambda pair: pair[1],
        )
    return page(request, "backoffice/report.html", context, status=status)


def acting_agency(request: HttpRequest, report: Report) -> Agency | None:
    """The agency the officer acts for on ``report``: their most specific membership whose
    subtree holds it, else (a national admin) the agency of their national membership."""
    handler_paths = [a.path for a in (report.agency, report.unit) if a is not None]
    best: Agency | None = None
    national: Agency | None = None
    for m in officer_of(request).memberships:
        if m.role == Membership.Role.NATIONAL_ADMIN:
            national = national or m.agency
        if any(path.startswith(m.agency.path) for path in handler_paths) and (
            best is None or len(m.agency.path) > len(best.path)
        ):
            best = m.agency
    return best or national


@officer_required
def report_detail(request: HttpRequest, tracking_id: str) -> HttpResponse:
    report = reachable_report(request, tracking_id)
    if report.is_confidential:
        report_record_confidential_view(
            report=report,
            actor=request.user,  # type: ignore[arg-type]
            agency=acting_agency(request, report),
        )
    if request.method == "POST" and request.POST.get("show") == "contact":
        return _show_contact(request, report)
    return render_detail(request, report)


def _show_contact(request: HttpRequest, report: Report) -> HttpResponse:
    """The reporter's contact details, shown once per press and recorded (UU PDP): the reporter
    sees who, at which agency, read them."""
    shown = bool(any(reporter_contact(report, Audience.OFFICER).values()))
    if shown:
        record_access(
            report=report,
            actor=request.user,  # type: ignore[arg-type]
            kind=AccessRecord.Kind.CONTACT,
            agency=acting_agency(request, report),
        )
    response = render_detail(request, report, show_contact=shown)
    response["Cache-Control"] = "no-store"
    return response
