"""The queues: what waits for the officer, filtered, searched and sorted by deadline."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Membership
from lapor.backoffice import agency_picker
from lapor.backoffice.access import officer_required
from lapor.backoffice.sla_state import sla_state
from lapor.backoffice.views.bulk import own_units
from lapor.backoffice.views.common import officer_of, page
from lapor.backoffice.widgets import FastSelect
from lapor.categories.models import Category
from lapor.core.dates import BoundedDateField
from lapor.portal.selectors import category_label
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, ReportEvent
from lapor.reports.selectors_backoffice import QUEUE_BY_SLUG, QueueFilter, queue_reports

PER_PAGE = 25
BLANK = [("", _("Semua"))]
# Steps that are not anybody's turn: the queue flags the last step a person took.
NOT_A_TURN = [
    Action.MARK_OVERDUE,
    Action.ESCALATE,
    Action.SUPPORT,
    Action.VIEW_CONFIDENTIAL,
    Action.NOTE,
]


def with_last_step(qs: QuerySet[Report]) -> QuerySet[Report]:
    """Each report with the action of its latest step taken by a person (``last_step``), so a
    row can flag a reporter's reply or an appeal: one correlated subquery on the events'
    (report, seq) index, not a query per row."""
    latest = (
        ReportEvent.objects.filter(report=OuterRef("pk"))
        .exclude(action__in=NOT_A_TURN)
        .order_by("-seq")
        .values("action")[:1]
    )
    return qs.annotate(last_step=Subquery(latest))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Cari judul atau isi"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=BLANK + Status.choices, widget=FastSelect
    )
    category = forms.ChoiceField(label=_("Kategori"), required=False, widget=FastSelect)
    region = forms.CharField(label=_("Kode wilayah"), required=False, max_length=13)
    channel = forms.ChoiceField(
        label=_("Kanal"),
        required=False,
        choices=BLANK + Report.Channel.choices,
        widget=FastSelect,
    )
    due_by = BoundedDateField(
        label=_("Batas waktu sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    privacy = forms.ChoiceField(
        label=_("Kerahasiaan"),
        required=False,
        choices=[
            *BLANK,
            ("anonim", _("Anonim")),
            ("rahasia", _("Rahasia")),
            ("publik", _("Publik")),
        ],
        widget=FastSelect,
    )
    sort = forms.ChoiceField(
        label=_("Urutkan"),
        required=False,
        choices=[
            ("due", _("Batas waktu terdekat")),
            ("-due", _("Batas waktu terjauh")),
            ("new", _("Terbaru")),
            ("old", _("Terlama")),
        ],
        widget=FastSelect,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        categories = sorted(
            ((c.code, category_label(c)) for c in Category.objects.filter(is_active=True)),
            key=lambda pair: pair[1],
        )
        self.fields["category"].choices = BLANK + categories  # type: ignore[attr-defined]

    def to_filter(self) -> QueueFilter:
        """The valid filters; a field in error (shown with its message) is left out."""
        if not self.is_bound:
            return QueueFilter()
        self.is_valid()
        d = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return QueueFilter(**d)


HOME_QUEUE: dict[str, str] = {
    Membership.Role.NATIONAL_ADMIN: "triase",
    Membership.Role.AGENCY_ADMIN: "masuk",
    Membership.Role.UNIT_OFFICER: "tugas",
    Membership.Role.INSPECTOR: "masuk",
}


@officer_required
def home(request: HttpRequest) -> HttpResponse:
    officer = officer_of(request)
    order = list(HOME_QUEUE)
    role = min(officer.roles, key=order.index)
    return redirect("backoffice:queue", slug=HOME_QUEUE[role])


@officer_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = QUEUE_BY_SLUG.get(slug)
    if chosen is None:
        raise Http404
    officer = officer_of(request)
    form = FilterForm(request.GET or None)
    qs = with_last_step(queue_reports(officer.memberships, chosen, form.to_filter()))
    current = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(report, sla_state(report, now)) for report in current]
    bulk, targets, bulk_url, picker = False, [], "", None
    if rows and chosen.slug == "triase" and officer.is_national:
        bulk, bulk_url = True, "backoffice:bulk_dispose"
        picker = agency_picker.pick(
            request.GET.get(agency_picker.PARAM, ""),
            show_all=True,  # a batch has no one region: without a search, every agency
        )
    elif rows and chosen.slug == "masuk":
        targets = own_units(officer)
        bulk, bulk_url = bool(targets), "backoffice:bulk_unit"
    params = request.GET.copy()
    params.pop("page", None)
    # The agency search keeps the queue's filters and page (hidden fields of its GET form).
    kept = request.GET.copy()
    for name in (agency_picker.PARAM, agency_picker.ALL_PARAM, "reports"):
        kept.pop(name, None)
    params.pop("reports", None)
    return page(
        request,
        "backoffice/queue.html",
        {
            "queue": chosen,
            "form": form,
            "rows": rows,
            "page_obj": current,
            "params": params.urlencode(),
            "bulk": bulk,
            "targets": targets,
            "bulk_url": bulk_url,
            "picker": picker,
            "kept": [(k, v) for k in kept for v in kept.getlist(k)],
            "kept_query": kept.urlencode(),
            "ticked": set(request.GET.getlist("reports")),
        },
    )
