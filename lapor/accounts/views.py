"""Register, log in and out, change the password, and see one's own reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.accounts.forms import LoginForm, RegisterForm
from lapor.accounts.services import user_register
from lapor.core.errors import LaporError
from lapor.portal.forms import attach_error
from lapor.portal.limits import over_limit, too_many
from lapor.reports.selectors import reports_of


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return str(reverse_lazy("portal:accounts:my_reports"))


def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        if over_limit(request, "account"):
            return too_many(request)
        if form.is_valid():
            d = form.cleaned_data
            try:
                user = user_register(
                    name=d["name"], identifier=d["identifier"], password=d["password1"]
                )
            except LaporError as exc:
                attach_error(form, exc)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Akun Anda sudah dibuat dan Anda sudah masuk."))
                return redirect(_next(request))
    return render(request, "accounts/register.html", {"form": form, "next": _next(request)})


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None, request=request)
    if request.method == "POST":
        if over_limit(request, "account"):
            return too_many(request)
        if form.is_valid() and form.user is not None:
            login(request, form.user)
            return redirect(_next(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("Anda sudah keluar."))
    return redirect("portal:home")


@login_required(login_url="portal:accounts:login")
def my_reports(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/my_reports.html", {"reports": reports_of(int(request.user.pk or 0))}
    )


class PasswordChange(PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:accounts:my_reports")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        messages.success(self.request, _("Kata sandi Anda sudah diganti."))
        return super().form_valid(form)


password_change = login_required(PasswordChange.as_view(), login_url="portal:accounts:login")
