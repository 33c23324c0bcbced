from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lapor.core import ids
from lapor.portal.forms.submit import MultipleFileField, MultipleFileInput


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


def _photos() -> MultipleFileField:
    return MultipleFileField(
        label=_("Foto atau PDF"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
        help_text=_(
            "Misalnya foto keadaan terbaru. Data lokasi dan kamera dihapus dari foto sebelum "
            "disimpan."
        ),
    )


class ReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Tanggapan atau informasi tambahan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    attachments = _photos()


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
    attachments = _photos()


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan menarik laporan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_(
            "Misalnya: masalahnya sudah selesai sendiri, atau laporan terkirim dua kali. "
            "Laporan yang ditarik diarsipkan dan tidak dapat dibuka lagi."
        ),
    )
