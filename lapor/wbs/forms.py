"""The WBS forms: fields and labels in Bahasa Indonesia (translated to English)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency
from lapor.wbs.models import Accused, Outcome, Stage


def agency_choices() -> list[tuple[str, Any]]:
    agencies = Agency.objects.filter(is_active=True).exclude(kind=Agency.Kind.UNIT)
    return [("", _("— pilih instansi —"))] + [
        (a.code, a.name) for a in agencies.order_by("name").only("code", "name")
    ]


class SubmitForm(forms.Form):
    """4W+1H, the agency concerned, who is accused, and an optional identity."""

    agency = forms.ChoiceField(label=_("Instansi yang dilaporkan"))
    accused = forms.ChoiceField(
        label=_("Siapa yang diduga melakukan pelanggaran?"),
        choices=Accused.choices,
        initial=Accused.STAFF,
        widget=forms.RadioSelect,
        help_text=_(
            "Bila pimpinan instansi atau inspektoratnya sendiri yang diduga, laporan Anda "
            "ditangani inspektorat satu tingkat di atasnya."
        ),
    )
    what = forms.CharField(
        label=_("Apa yang terjadi?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    who = forms.CharField(
        label=_("Siapa yang terlibat (nama, jabatan)?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    where = forms.CharField(label=_("Di mana?"), max_length=500)
    when = forms.CharField(label=_("Kapan?"), max_length=200)
    how = forms.CharField(
        label=_("Bagaimana kejadiannya?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    name = forms.CharField(
        label=_("Nama Anda"),
        max_length=200,
        required=False,
        help_text=_("Tidak wajib. Bila diisi, hanya inspektorat yang menangani dapat membacanya."),
    )
    contact = forms.CharField(
        label=_("Kontak Anda (surel atau telepon)"), max_length=200, required=False
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices()  # type: ignore[attr-defined]


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Nomor resi (16 angka)"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Pesan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Frasa sandi WBS"),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class NewPassphraseForm(forms.Form):
    new_passphrase = forms.CharField(
        label=_("Frasa sandi WBS baru"),
        min_length=12,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 12 karakter; beberapa kata yang mudah Anda ingat."),
    )
    again = forms.CharField(
        label=_("Ulangi frasa sandi baru"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_passphrase") and data.get("new_passphrase") != data.get("again"):
            self.add_error("again", _("Kedua frasa sandi tidak sama. Ketik ulang keduanya."))
        return data


class ChangePassphraseForm(PassphraseForm, NewPassphraseForm):
    pass


class RecoverForm(NewPassphraseForm):
    recovery_key = forms.CharField(label=_("Kunci pemulihan"), max_length=120)


class StageForm(forms.Form):
    to = forms.ChoiceField(label=_("Tahap berikutnya"), choices=Stage.choices)
    outcome = forms.ChoiceField(
        label=_("Hasil (bila selesai)"),
        choices=[("", "—"), *Outcome.choices],
        required=False,
    )
