"""The reporter shows or hides one of their photos on the public page (``services.photos``)."""

from __future__ import annotations

from django import forms


class PhotoForm(forms.Form):
    attachment = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    public = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
