"""The submit form's optional "which agency should act" fields (``portal.agency_choice``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import cached_property
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
        """Fill the select: the search's matches, else the chosen kabupaten/kota's agencies.
        Read only when the form is shown (its one query): a submission that goes through, the
        usual case, never shows it, and ``report_submit`` checks the posted code itself."""
        source: Any = self.data if self.is_bound else self.initial
        self._agency_wanted = (
            str(source.get("agency_query") or ""),
            regency,
            str(source.get("requested_agency") or ""),
        )
        widget = self.fields["requested_agency"].widget
        assert isinstance(widget, forms.Select)
        # A callable: Django calls it when the select is rendered, not before.
        widget.choices = self._agency_choices  # type: ignore[assignment]
        self.agency_searched = bool(self._agency_wanted[0].strip())

    @cached_property
    def agency_options(self) -> list[tuple[str, str]]:
        query, regency, chosen = self._agency_wanted
        return agency_options(query, region_code=regency, chosen=chosen)

    def _agency_choices(self) -> list[tuple[str, Any]]:
        return [("", _("— biarkan LAPOR! yang menentukan —")), *self.agency_options]
