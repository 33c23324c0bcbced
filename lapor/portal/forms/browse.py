from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lapor.core.dates import BoundedDateField
from lapor.portal.selectors import main_category_choices, province_choices
from lapor.reports.selectors import PublicFilter

STATUS_CHOICES = [
    ("", _("Semua")),
    ("open", _("Dalam proses")),
    ("finished", _("Selesai")),
]


class BrowseForm(forms.Form):
    """Search and filters of the public list; every field is optional."""

    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    region = forms.ChoiceField(label=_("Provinsi"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    since = BoundedDateField(
        label=_("Sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = BoundedDateField(
        label=_("Sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    agency = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def _set_choices(self, name: str, choices: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_choices("region", [("", _("Semua")), *province_choices()])
        self._set_choices("category", [("", _("Semua")), *main_category_choices()])

    def to_filter(self) -> PublicFilter:
        """The valid filters; a field in error (shown with its message) is left out."""
        if not self.is_bound:
            return PublicFilter()
        self.is_valid()
        valid = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return PublicFilter(**valid)


class SupportForm(forms.Form):
    contact_email = forms.EmailField(label=_("Surel"), required=False)
    contact_phone = forms.CharField(label=_("Nomor telepon"), required=False, max_length=32)
