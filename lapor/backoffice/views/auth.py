"""Signing officers in and out, and the national admin's two-factor enrolment page."""

from __future__ import annotations

import time

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from lapor.accounts import throttle
from lapor.accounts.models import User
from lapor.agencies.models import Membership
from lapor.backoffice import access, signin
from lapor.backoffice.views.common import page


class LoginForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Nama pengguna"), max_length=150)
    password = forms.CharField(label=gettext_lazy("Kata sandi"), widget=forms.PasswordInput)
    token = forms.CharField(
        label=gettext_lazy("Kode autentikator (6 angka)"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("backoffice:home")


FAILED = gettext_lazy(
    "Nama pengguna, kata sandi atau kode autentikator salah. Periksa lalu coba lagi; setelah "
    "5 kali gagal dari perangkat yang sama, akun dikunci dari perangkat ini selama 15 menit."
)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error, wait = "", 0
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        outcome = signin.check_staff(
            request,
            scope="office",
            username=d["username"],
            password=d["password"],
            token=d["token"],
            may_enter=lambda user: bool(access.active_memberships(user)),
        )
        if outcome.user is not None and outcome.device is not None:
            login(request, outcome.user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, outcome.device)
            request.session[access.SEEN_KEY] = time.time()
            return redirect(_next(request))
        wait = outcome.wait
        error = throttle.wait_message(wait) if wait else str(FAILED)
    response = render(
        request, "backoffice/login.html", {"form": form, "error": error, "next": _next(request)}
    )
    return throttle.refused(response, wait) if wait else response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Anda sudah keluar dari kantor petugas."))
    return redirect("backoffice:login")


def _national(request: HttpRequest) -> None:
    if not request.officer.is_national:  # type: ignore[attr-defined]
        raise Http404


@access.officer_required
def staff(request: HttpRequest) -> HttpResponse:
    """National admins: every officer, and whether they have an authenticator."""
    _national(request)
    memberships = (
        Membership.objects.filter(is_active=True)
        .exclude(role=Membership.Role.PARTNER)  # systems, not officers
        .select_related("user", "agency")
        .order_by("agency__path", "user__username")[:500]
    )
    enrolled = set(
        access.TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)
    )
    return page(
        request, "backoffice/staff.html", {"memberships": memberships, "enrolled": enrolled}
    )


@require_POST
@access.officer_required
def enrol(request: HttpRequest, user_id: int) -> HttpResponse:
    """Enrol (or reset) an officer's authenticator; the secret is shown this once only."""
    _national(request)
    user = get_object_or_404(
        User.objects.exclude(partner__isnull=False), pk=user_id, memberships__is_active=True
    )
    device = access.enrol_totp(user)
    qr = segno.make(device.config_url, error="m")
    return page(
        request,
        "backoffice/enrolled.html",
        {
            "person": user,
            "secret": access.totp_secret(device),
            "qr_svg": qr.svg_inline(scale=4),
            "config_url": device.config_url,
        },
    )
