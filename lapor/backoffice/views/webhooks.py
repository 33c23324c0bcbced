"""National admins: a partner's webhook endpoints, their delivery logs, redelivery, re-enabling
a disabled endpoint, and new secrets (shown once). Pages under ``/kantor/mitra/<partner>/webhook/``;
every change goes through ``lapor.api.webhooks.services``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapor.api.models import Partner
from lapor.api.webhooks import services
from lapor.api.webhooks.models import EVENT_TYPES, WebhookDelivery, WebhookEndpoint
from lapor.backoffice import access
from lapor.backoffice.views.common import officer_of, page
from lapor.core.errors import LaporError

LOG_ROWS = 100


class EndpointForm(forms.Form):
    url = forms.CharField(label=gettext_lazy("URL penerima (https://...)"), max_length=500)
    event_types = forms.MultipleChoiceField(
        label=gettext_lazy("Jenis peristiwa"),
        choices=[(t, t) for t in EVENT_TYPES],
        initial=list(EVENT_TYPES),
        widget=forms.CheckboxSelectMultiple,
    )


def _partner(request: HttpRequest, code: str) -> Partner:
    if not officer_of(request).is_national:
        raise Http404
    return get_object_or_404(Partner, code=code)


def _endpoint(partner: Partner, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, pk=endpoint_id, partner=partner)


def _list(
    request: HttpRequest, partner: Partner, form: EndpointForm, status: int = 200
) -> HttpResponse:
    endpoints = partner.webhook_endpoints.order_by("-is_active", "pk")
    return page(
        request,
        "backoffice/webhooks.html",
        {"partner": partner, "endpoints": endpoints, "form": form},
        status=status,
    )


@access.officer_required
def endpoints(request: HttpRequest, partner: str) -> HttpResponse:
    """The partner's endpoints, and the form adding one (its secret is shown once)."""
    found = _partner(request, partner)
    if request.method != "POST":
        return _list(request, found, EndpointForm())
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(
                partner=found,
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except LaporError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return _secret_page(request, found, endpoint, secret)
    return _list(request, found, form, status=400)


def _secret_page(
    request: HttpRequest, partner: Partner, endpoint: WebhookEndpoint, secret: str
) -> HttpResponse:
    return page(
        request,
        "backoffice/webhook_secret.html",
        {"partner": partner, "endpoint": endpoint, "secret": secret},
    )


@access.officer_required
def endpoint_log(request: HttpRequest, partner: str, endpoint_id: int) -> HttpResponse:
    """The endpoint's latest deliveries: status, attempts, last answer."""
    found = _partner(request, partner)
    endpoint = _endpoint(found, endpoint_id)
    deliveries = (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("report")
        .only(
            "report__tracking_id",
            "report_seq",
            "event_type",
            "webhook_id",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
        )
        .order_by("-created_at", "-pk")[:LOG_ROWS]
    )
    return page(
        request,
        "backoffice/webhook_log.html",
        {"partner": found, "endpoint": endpoint, "deliveries": deliveries},
    )


@require_POST
@access.officer_required
def rotate(request: HttpRequest, partner: str, endpoint_id: int) -> HttpResponse:
    found = _partner(request, partner)
    endpoint = _endpoint(found, endpoint_id)
    secret = services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user)  # type: ignore[arg-type]
    return _secret_page(request, found, endpoint, secret)


@require_POST
@access.officer_required
def enable(request: HttpRequest, partner: str, endpoint_id: int) -> HttpResponse:
    found = _partner(request, partner)
    endpoint = _endpoint(found, endpoint_id)
    try:
        services.endpoint_enable(endpoint=endpoint, actor=request.user)  # type: ignore[arg-type]
    except LaporError as exc:  # the partner was deactivated: its endpoints stay off
        messages.error(request, exc.message)
    return redirect("backoffice:webhook_log", partner=found.code, endpoint_id=endpoint.pk)


@require_POST
@access.officer_required
def redeliver(
    request: HttpRequest, partner: str, endpoint_id: int, delivery_id: int
) -> HttpResponse:
    found = _partner(request, partner)
    endpoint = _endpoint(found, endpoint_id)
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_id, endpoint=endpoint)
    services.delivery_redeliver(delivery=delivery, actor=request.user)  # type: ignore[arg-type]
    return redirect("backoffice:webhook_log", partner=found.code, endpoint_id=endpoint.pk)
