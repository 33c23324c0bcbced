"""The submit form's optional desa/kelurahan level, under the chosen kecamatan, without
JavaScript: "Tampilkan desa/kelurahan" shows the form again with the kecamatan's desa."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lapor.portal.selectors import village_choices, villages_loaded


class VillageFields(forms.Form):
    village = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)

    def setup_village(self, regency: str, has_districts: bool) -> None:
        source = self.data if self.is_bound else self.initial
        district = str(source.get("district") or "")
        if not (regency and district.startswith(regency + ".")):
            district = ""  # a kecamatan of another kabupaten/kota (the regency was changed)
        villages = village_choices(district)
        field = self.fields["village"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *villages]
        self.has_villages = bool(villages)
        self.district_chosen = bool(district)
        # Only below a kecamatan picker: the desa level needs its kecamatan first.
        self.offers_villages = has_districts
        self.village_missing = bool(district) and not villages
        self.villages_loaded = has_districts and (self.village_missing or villages_loaded())
