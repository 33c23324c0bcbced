"""The reporter's privacy choices on their own track page (``report_privacy_consent``).

The form remembers the settings the reporter saw (``seen``): lifting a protection needs their
explicit agreement, and a choice made on settings that changed meanwhile is asked again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lapor.reports.models import Report


def state_of(report: Report) -> str:
    """``"11"``: anonim and rahasia as the page showed them."""
    return f"{int(report.is_anonymous)}{int(report.is_confidential)}"


class ConsentForm(forms.Form):
    is_anonymous = forms.BooleanField(
        label=_("Anonim: sembunyikan nama dan kontak saya"),
        required=False,
        help_text=_(
            "Nama dan kontak Anda tidak terlihat oleh publik maupun oleh instansi yang "
            "menangani. Bila dilepas, nama Anda tampil di halaman publik laporan (bila laporan "
            "tidak rahasia), dan instansi dapat melihat nama, surel, dan telepon Anda."
        ),
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia: jangan tampilkan laporan kepada publik"),
        required=False,
        help_text=_(
            "Laporan tidak muncul di daftar, pencarian, maupun beranda. Bila dilepas, siapa "
            "pun dapat membaca judul, isi, dan tanggapan instansi atas laporan ini."
        ),
    )
    agree = forms.BooleanField(
        label=_("Saya mengerti dan setuju melepas perlindungan yang tidak saya centang."),
        required=False,
    )
    seen = forms.RegexField(regex=r"^[01]{2}$", widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen = data.get("seen")
        if seen is None:
            return data
        was_anonymous, was_confidential = seen[0] == "1", seen[1] == "1"
        lifts = (was_anonymous and not data.get("is_anonymous")) or (
            was_confidential and not data.get("is_confidential")
        )
        if lifts and not data.get("agree"):
            self.add_error(
                "agree",
                _(
                    "Centang persetujuan bila Anda yakin ingin melepas perlindungan. Bila "
                    "ragu, biarkan laporan tetap terlindungi."
                ),
            )
        return data
