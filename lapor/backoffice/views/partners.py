"""The national admin's partner systems (``/kantor/mitra/``): register one with the agencies it
speaks for, issue and revoke its client credentials, deactivate it. Every change goes through
``lapor.api.partners``; the secret of a new key is shown once, on a page no cache keeps.

Other officers get 404, as for the staff pages (nothing tells them the pages exist)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapor.agencies.models import Membership
from lapor.api.models import Partner
from lapor.api.partners import (
    partner_create,
    partner_deactivate,
    partner_issue_key,
    partner_revoke_key,
    partner_set_agencies,
)
from lapor.backoffice import access, agency_picker
from lapor.backoffice.views.common import officer_of, page
from lapor.core.errors import LaporError


class PartnerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama sistem"), max_length=200)
    code = forms.SlugField(
        label=gettext_lazy("Kode (huruf kecil, angka, tanda hubung)"), max_length=40
    )
    agencies = forms.MultipleChoiceField(label=gettext_lazy("Instansi yang diwakili"))


def _national(request: HttpRequest) -> None:
    if not request.officer.is_national:  # type: ignore[attr-defined]
        raise Http404


@access.officer_required
def partner_list(request: HttpRequest) -> HttpResponse:
    """Every partner system, and the form to register one."""
    _national(request)
    picker = agency_picker.pick(
        request.GET.get(agency_picker.PARAM, ""),
        show_all=bool(request.GET.get(agency_picker.ALL_PARAM)),
        chosen=request.POST.getlist("agencies"),
    )
    form = PartnerForm(request.POST or None)
    choices = form.fields["agencies"]
    assert isinstance(choices, forms.MultipleChoiceField)
    choices.choices = picker.options
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        agencies = agency_picker.receiving_agencies().filter(code__in=d["agencies"])
        try:
            partner = partner_create(
                code=d["code"],
                name=d["name"],
                agencies=list(agencies),
                actor=officer_of(request).user,
            )
        except LaporError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Sistem mitra terdaftar. Terbitkan kuncinya di sini."))
            return redirect("backoffice:partner", code=partner.code)
    partners = Partner.objects.select_related("user").order_by("name")
    return page(
        request,
        "backoffice/partners.html",
        {"partners": partners, "form": form, "picker": picker},
        status=400 if form.errors else 200,
    )


def _partner(code: str) -> Partner:
    return get_object_or_404(Partner.objects.select_related("user"), code=code)


class PartnerAgenciesForm(forms.Form):
    agencies = forms.MultipleChoiceField(label=gettext_lazy("Instansi yang diwakili"))


def _memberships(partner: Partner) -> list[Membership]:
    return list(
        Membership.objects.filter(user=partner.user, role=Membership.Role.PARTNER, is_active=True)
        .select_related("agency")
        .order_by("agency__name")
    )


@access.officer_required
def partner_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One partner: the agencies it speaks for (and the form to change them), its keys, a block
    for its webhooks. The agencies form posts to ``partner_agencies``."""
    _national(request)
    partner = _partner(code)
    memberships = _memberships(partner)
    held = [m.agency.code for m in memberships]
    return _detail_page(request, partner, memberships, PartnerAgenciesForm(), held)


def _detail_page(
    request: HttpRequest,
    partner: Partner,
    memberships: list[Membership],
    form: PartnerAgenciesForm,
    chosen: list[str],
    status: int = 200,
) -> HttpResponse:
    picker = agency_picker.pick(
        request.GET.get(agency_picker.PARAM, ""),
        show_all=bool(request.GET.get(agency_picker.ALL_PARAM)),
        chosen=chosen,
    )
    keys = partner.keys.order_by("-created_at")
    return page(
        request,
        "backoffice/partner.html",
        {
            "partner": partner,
            "memberships": memberships,
            "keys": keys,
            "agencies_form": form,
            "picker": picker,
            "chosen": chosen,
        },
        status=status,
    )


@require_POST
@access.officer_required
def partner_agencies(request: HttpRequest, code: str) -> HttpResponse:
    """The partner now speaks for exactly the agencies ticked: new ones granted, the others
    revoked (its tokens stop reaching their reports at once)."""
    _national(request)
    partner = _partner(code)
    if not partner.is_active:
        raise Http404
    chosen = request.POST.getlist("agencies")
    form = PartnerAgenciesForm(request.POST)
    field = form.fields["agencies"]
    assert isinstance(field, forms.MultipleChoiceField)
    field.choices = agency_picker.pick(chosen=chosen).options
    if form.is_valid():
        agencies = agency_picker.receiving_agencies().filter(code__in=form.cleaned_data["agencies"])
        try:
            partner_set_agencies(
                partner=partner, agencies=list(agencies), actor=officer_of(request).user
            )
        except LaporError as exc:
            form.add_error("agencies", exc.message)
        else:
            messages.success(request, _("Instansi yang diwakili sistem mitra ini diperbarui."))
            return redirect("backoffice:partner", code=partner.code)
    return _detail_page(request, partner, _memberships(partner), form, chosen, status=400)


@require_POST
@access.officer_required
def partner_key_issue(request: HttpRequest, code: str) -> HttpResponse:
    """A new key; its secret is on this page only (kept as a hash)."""
    _national(request)
    partner = _partner(code)
    if not partner.is_active:
        raise Http404
    key_id, secret = partner_issue_key(partner=partner, actor=officer_of(request).user)
    response = page(
        request,
        "backoffice/partner_key.html",
        {"partner": partner, "key_id": key_id, "secret": secret},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@access.officer_required
def partner_key_revoke(request: HttpRequest, code: str, key_id: str) -> HttpResponse:
    _national(request)
    partner = _partner(code)
    if partner_revoke_key(partner=partner, key_id=key_id, actor=officer_of(request).user):
        messages.success(
            request, _("Kunci %(key)s dicabut dan tidak berlaku lagi.") % {"key": key_id}
        )
    return redirect("backoffice:partner", code=partner.code)


@require_POST
@access.officer_required
def partner_deactivate_view(request: HttpRequest, code: str) -> HttpResponse:
    _national(request)
    partner = _partner(code)
    partner_deactivate(partner=partner, actor=officer_of(request).user)
    messages.success(
        request, _("Sistem mitra dinonaktifkan: kunci dan tokennya tidak berlaku lagi.")
    )
    return redirect("backoffice:partner", code=partner.code)
