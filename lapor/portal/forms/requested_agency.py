"""The submit form's optional "which agency should act" fields (``portal.agency_choice``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lapor.portal.agency_choice import agency_options


class RequestedAgencyFields(forms.Form):
    requested_agency = forms.CharField(
        label=_("Instansi yang Anda tuju"),
        required=False,
        max_length=64,
        widget=forms.Select,
        help_text=_(
            "Tahu instansi mana yang berwenang? Pilih di sini. Kami tetap memeriksanya: bila "
            "urusan ini wewenang instansi lain, laporan diteruskan ke sana dan Anda diberi tahu "
            "alasannya di halaman lacak."
        ),
    )
    agency_query = forms.CharField(
        label=_("Cari instansi"),
        required=False,
        max_length=100,
        help_text=_('Ketik nama atau singkatan, misalnya "Disdukcapil Demak" atau "PLN".'),
    )

    def setup_requested_agency(self, regency: str) -> None:
        """Fill the select: the search's matches, else the chosen kabupaten/kota's agencies."""
        source: Any = self.data if self.is_bound else self.initial
        query = str(source.get("agency_query") or "")
        chosen = str(source.get("requested_agency") or "")
        options = agency_options(query, region_code=regency, chosen=chosen)
        widget = self.fields["requested_agency"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [("", _("— biarkan LAPOR! yang menentukan —")), *options]
        self.agency_searched = bool(query.strip())
        self.agency_options = options
