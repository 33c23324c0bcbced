"""The pages of the SMS reset code (``accounts.sms_reset``): the code and the new password."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lapor.accounts import sms_reset, throttle
from lapor.accounts.services import normalize_phone
from lapor.core.errors import LaporError
from lapor.portal.forms import attach_error
from lapor.portal.limits import over_limit, too_many
from lapor.portal.receipt import masked

# The number typed on "Lupa kata sandi" (normalised), whether or not an account has it.
SESSION_KEY = "lapor.accounts.sms_reset.phone"


def start(request: HttpRequest, identifier: str) -> HttpResponse:
    """A phone number was typed on "Lupa kata sandi": ask for a code, go to the code page."""
    phone = normalize_phone(identifier)
    sms_reset.request_code(phone=phone)
    request.session[SESSION_KEY] = phone
    return redirect("portal:accounts:password_reset_code")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_lazy("Kode dari SMS (6 angka)"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    new_password1 = forms.CharField(
        label=_lazy("Kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_lazy("Ulangi kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_code(request: HttpRequest) -> HttpResponse:
    """Type the code and the new password. The code is checked first; Django's password rules
    only once it is right (so they tell a stranger nothing about the account)."""
    phone = str(request.session.get(SESSION_KEY, ""))
    if not phone:
        return redirect("portal:accounts:password_reset")
    form = CodeForm(request.POST or None)
    wait, error = 0, ""
    if request.method == "POST":
        if over_limit(request, "account"):
            return too_many(request)
        wait = sms_reset.wait_seconds(phone)
        if wait:
            form = CodeForm()  # the code is not even checked
            error = throttle.wait_message(wait)
        elif form.is_valid():
            response = _try(request, form, phone)
            if response is not None:
                return response
    context = {"form": form, "to": masked(phone), "error": error}
    response = render(request, "accounts/password_reset_code.html", context)
    return throttle.refused(response, wait) if wait else response


def _try(request: HttpRequest, form: CodeForm, phone: str) -> HttpResponse | None:
    code = form.cleaned_data["code"]
    try:
        row = sms_reset.check_code(phone=phone, code=code)
    except LaporError as exc:
        sms_reset.record_failure(phone)
        attach_error(form, exc)
        return None
    passwords = SetPasswordForm(
        row.user,
        {
            "new_password1": form.cleaned_data["new_password1"],
            "new_password2": form.cleaned_data["new_password2"],
        },
    )
    if not passwords.is_valid():
        for field in ("new_password1", "new_password2"):
            for error in passwords.errors.get(field, []):
                form.add_error(field, error)
        return None
    try:
        sms_reset.reset_with_code(
            row=row, code=code, password=passwords.cleaned_data["new_password1"]
        )
    except LaporError as exc:
        attach_error(form, exc)
        return None
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("Kata sandi baru tersimpan. Silakan masuk."))
    return redirect("portal:accounts:login")
