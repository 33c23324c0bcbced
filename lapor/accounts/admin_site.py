"""The Django admin behind the same door as the back office: password plus authenticator code,
with the same throttling and lockout (``backoffice.signin``).

A password alone (say, typed on the citizen login) opens nothing here: every admin page needs
a session verified with a TOTP device of the signed-in account, as django-otp's
``OTPAdminSite`` does, checked the way the back office checks it (no middleware needed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

FAILED = _(
    "Nama pengguna, kata sandi atau kode autentikator salah, atau akun ini bukan akun staf. "
    "Periksa lalu coba lagi; setelah 5 kali gagal dari perangkat yang sama, akun dikunci dari "
    "perangkat ini selama 15 menit."
)


class AdminLoginForm(AdminAuthenticationForm):
    """User name, password and the code of the account's authenticator app."""

    otp_token = forms.CharField(
        label=_("Kode autentikator (6 angka)"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    wait = 0

    def clean(self) -> dict[str, Any]:
        from lapor.accounts import throttle
        from lapor.backoffice import signin

        data = self.cleaned_data
        assert self.request is not None  # the admin's login view always passes it
        if not (data.get("username") and data.get("password") and data.get("otp_token")):
            raise forms.ValidationError(FAILED, code="invalid_login")
        outcome = signin.check_staff(
            self.request,
            scope="admin",
            username=data["username"],
            password=data["password"],
            token=data["otp_token"],
            may_enter=lambda user: user.is_staff,
        )
        if outcome.wait:
            self.wait = outcome.wait
            raise forms.ValidationError(throttle.wait_message(outcome.wait), code="throttled")
        if outcome.user is None:
            raise forms.ValidationError(FAILED, code="invalid_login")
        outcome.user.otp_device = outcome.device  # type: ignore[attr-defined]  # django_otp logs it in
        self.user_cache = outcome.user
        return data


class LaporAdminSite(OTPAdminSite):
    login_form = AdminLoginForm
    login_template = "admin/lapor_login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        from lapor.backoffice.access import session_device

        user: Any = request.user
        return bool(user.is_active and user.is_staff) and session_device(request) is not None

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        from lapor.accounts import throttle

        response: HttpResponse = super().login(request, extra_context)
        form = getattr(response, "context_data", {}).get("form")
        wait = getattr(form, "wait", 0)
        return throttle.refused(response, wait) if wait else response
