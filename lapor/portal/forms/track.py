from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lapor.core import ids


class TrackForm(forms.Form):
    id = forms.CharField(
        label=_("Nomor pelacakan"),
        max_length=40,
        help_text=_("12 huruf dan angka, misalnya 7KQM-3XPA-R9TC. Tanda hubung boleh diabaikan."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_id(self) -> str:
        raw = self.cleaned_data["id"]
        value = ids.normalize(raw)
        if len(value) != ids.LENGTH:
            raise forms.ValidationError(
                _("Nomor pelacakan terdiri dari 12 huruf dan angka; yang Anda ketik %(n)s.")
                % {"n": len(value)}
            )
        if not ids.is_valid(value):
            raise forms.ValidationError(
                _(
                    "Nomor pelacakan ini tidak cocok dengan tanda periksanya: mungkin ada huruf "
                    "yang salah ketik atau tertukar. Periksa lagi dengan catatan Anda."
                )
            )
        return value


class SecretForm(forms.Form):
    secret = forms.CharField(
        label=_("Kode rahasia"),
        max_length=40,
        help_text=_("Kode 16 huruf dan angka yang ditampilkan saat Anda mengirim laporan."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class ReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Tanggapan atau informasi tambahan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Nilai tindak lanjut"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = sangat buruk, 5 = sangat baik."),
    )
    comment = forms.CharField(
        label=_("Komentar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa masalahnya belum selesai?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
