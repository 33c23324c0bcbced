from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import User
from lapor.accounts.services import find_user, split_identifier

IDENTIFIER_HELP = _("Alamat surel, atau nomor telepon seluler seperti 0812 3456 7890.")


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    identifier = forms.CharField(
        label=_("Surel atau nomor telepon"), max_length=254, help_text=IDENTIFIER_HELP
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Paling sedikit 8 karakter, jangan hanya angka."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_identifier(self) -> str:
        value = self.cleaned_data["identifier"]
        email, _phone = split_identifier(value)
        if email:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(_("Alamat surel tidak valid.")) from None
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif p1:
            email, phone = split_identifier(data.get("identifier", ""))
            probe = User(username=email or phone, email=email, first_name=data.get("name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("Surel atau nomor telepon"), max_length=254, help_text=IDENTIFIER_HELP
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any]:
        """The password hasher runs once whether or not the address has an account, so the
        time of the answer does not tell (Django's ModelBackend does the same for unknown
        user names)."""
        data = super().clean() or {}
        found = find_user(data.get("identifier", ""))
        password = data.get("password") or ""
        if found is not None and password:
            self.user = authenticate(self.request, username=found.username, password=password)
        elif password:
            User().set_password(password)
        if self.user is None:
            raise forms.ValidationError(
                _("Surel/nomor telepon atau kata sandi salah. Periksa lagi, lalu coba masuk.")
            )
        return data

    def account(self) -> str:
        """The address tried, as the sign-in limits count it."""
        email, phone = split_identifier(self.data.get("identifier", ""))
        return email or phone
