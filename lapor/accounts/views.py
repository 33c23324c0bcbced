"""Register, activate, log in and out, change the password, and see one's own reports.

Signing in and changing the password are limited per address and per account
(``accounts.throttle``); registering answers the same whether or not the address is taken."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lapor.accounts import sms_reset_views, throttle
from lapor.accounts.forms import LoginForm, RegisterForm
from lapor.accounts.models import User
from lapor.accounts.reset import password_reset_complete, password_reset_request, reset_user
from lapor.accounts.services import (
    normalize_phone,
    remember_language,
    user_activate,
    user_register,
)
from lapor.accounts.verify import pending, verify_confirm, verify_send
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
                user_register(
                    name=d["name"],
                    identifier=d["identifier"],
                    password=d["password1"],
                    absolute_url=request.build_absolute_uri,
                )
            except LaporError as exc:
                attach_error(form, exc)
            else:
                return redirect("portal:accounts:register_sent")
    return render(request, "accounts/register.html", {"form": form, "next": _next(request)})


def register_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/register_sent.html")


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link sent on registration. Opening it only shows a button (a mail scanner following
    links activates nothing); pressing it activates the account and signs in."""
    error = ""
    if request.method == "POST":
        if over_limit(request, "account"):
            return too_many(request)
        try:
            user = user_activate(uidb64=uidb64, token=token)
        except LaporError as exc:
            error = exc.message
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            remember_language(user, get_language())
            messages.success(request, _("Akun Anda sudah aktif dan Anda sudah masuk."))
            return redirect("portal:accounts:my_reports")
    return render(request, "accounts/activate.html", {"error": error})


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None, request=request)
    wait, error = 0, ""
    if request.method == "POST":
        if over_limit(request, "account"):
            return too_many(request)
        account = form.account()
        wait = throttle.wait_seconds(request, scope="login", account=account)
        if wait:  # the password is not even checked
            form = LoginForm(initial={"identifier": request.POST.get("identifier", "")})
            error = throttle.wait_message(wait)
        elif form.is_valid() and form.user is not None:
            throttle.clear(request, scope="login", account=account)
            login(request, form.user)
            remember_language(form.user, get_language())
            return redirect(_next(request))
        elif form.non_field_errors():
            throttle.record_failure(request, scope="login", account=account)
    context = {"form": form, "next": _next(request), "error": error}
    response = render(request, "accounts/login.html", context)
    return throttle.refused(response, wait) if wait else response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("Anda sudah keluar."))
    return redirect("portal:home")


@never_cache  # a reporter's own reports: never kept by a browser or proxy cache
@login_required(login_url="portal:accounts:login")
def my_reports(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/my_reports.html", {"reports": reports_of(int(request.user.pk or 0))}
    )


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_lazy("Nomor telepon atau alamat surel"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_lazy("Kode verifikasi (6 angka)"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@never_cache
@login_required(login_url="portal:accounts:login")
@require_http_methods(["GET", "POST"])
def verify_contact(request: HttpRequest) -> HttpResponse:
    """Prove a phone number or e-mail address with a code sent to it, then claim the reports
    filed from it as a guest (``accounts.verify``). Sending and checking both count against the
    ``account`` rate limit."""
    user = request.user
    assert isinstance(user, User)
    contact_form, code_form = ContactForm(), CodeForm()
    if request.method == "POST":
        if over_limit(request, "account"):
            return too_many(request)
        try:
            if "code" in request.POST:
                code_form = CodeForm(request.POST)
                if code_form.is_valid():
                    _contact, claimed = verify_confirm(
                        session=request.session, user=user, code=code_form.cleaned_data["code"]
                    )
                    messages.success(request, claimed_message(len(claimed)))
                    return redirect("portal:accounts:my_reports")
            else:
                contact_form = ContactForm(request.POST)
                if contact_form.is_valid():
                    verify_send(
                        session=request.session,
                        user=user,
                        contact=contact_form.cleaned_data["contact"],
                    )
                    return redirect("portal:accounts:verify_contact")
        except LaporError as exc:
            attach_error(code_form if exc.field == "code" else contact_form, exc)
    state = pending(request.session)
    context = {
        "contact_form": contact_form,
        "code_form": code_form,
        "pending": state["contact"] if state else "",
    }
    return render(request, "accounts/verify.html", context)


def claimed_message(count: int) -> str:
    if not count:
        return _("Kontak terverifikasi. Tidak ada laporan tamu lain yang dikirim dari kontak itu.")
    return ngettext(
        "Kontak terverifikasi. %(count)d laporan kini tampil di Laporan saya.",
        "Kontak terverifikasi. %(count)d laporan kini tampil di Laporan saya.",
        count,
    ) % {"count": count}


class PasswordChange(PasswordChangeView):
    """Changing the password asks for the old one: wrong guesses count like failed sign-ins,
    per account and per address."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:accounts:my_reports")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = f"user:{request.user.pk}"
        wait = throttle.wait_seconds(request, scope="password", account=account)
        if wait:  # the old password is not even checked
            context = self.get_context_data(
                form=self.form_class(user=request.user),  # type: ignore[arg-type]
                error=throttle.wait_message(wait),
            )
            return throttle.refused(self.render_to_response(context), wait)
        response = super().post(request, *args, **kwargs)
        form = getattr(response, "context_data", {}).get("form")
        if form is not None and "old_password" in form.errors:
            throttle.record_failure(request, scope="password", account=account)
        return response

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        messages.success(self.request, _("Kata sandi Anda sudah diganti."))
        return super().form_valid(form)


password_change = login_required(PasswordChange.as_view(), login_url="portal:accounts:login")


class ForgotForm(forms.Form):
    identifier = forms.CharField(
        label=_lazy("Surel atau nomor telepon akun Anda"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


def password_reset(request: HttpRequest) -> HttpResponse:
    """ "Lupa kata sandi": a link to the account's own address; the page answers the same
    whether or not an account has the address."""
    form = ForgotForm(request.POST or None)
    if request.method == "POST":
        if over_limit(request, "account"):
            return too_many(request)
        if form.is_valid():
            identifier = form.cleaned_data["identifier"]
            if "@" not in identifier:  # a phone number: a code by SMS (``sms_reset``)
                if 8 <= len(normalize_phone(identifier)) <= 15:
                    return sms_reset_views.start(request, identifier)
                form.add_error(
                    "identifier", _("Isi alamat surel atau nomor telepon (8 sampai 15 angka).")
                )
                return render(request, "accounts/password_reset.html", {"form": form})
            password_reset_request(identifier=identifier, absolute_url=request.build_absolute_uri)
            return render(request, "accounts/password_reset_sent.html")
    return render(request, "accounts/password_reset.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link: a form for the new password; its button sets it. Django's password rules
    apply (``SetPasswordForm``)."""
    if over_limit(request, "account"):
        return too_many(request)
    try:
        user = reset_user(uidb64, token)
    except LaporError as exc:
        return render(request, "accounts/password_reset_confirm.html", {"error": exc.message})
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_complete(
                uidb64=uidb64, token=token, password=form.cleaned_data["new_password1"]
            )
        except LaporError as exc:
            return render(request, "accounts/password_reset_confirm.html", {"error": exc.message})
        messages.success(request, _("Kata sandi baru tersimpan. Silakan masuk."))
        return redirect("portal:accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})
