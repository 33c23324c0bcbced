"""Template helpers of the back office."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from lapor.backoffice import html
from lapor.backoffice.agency_picker import Picker

register = template.Library()


@register.simple_tag
def agency_options_many(picker: Picker, selected: Iterable[str] | str = ()) -> SafeString:
    """The options of a multiple agency picker, every code in ``selected`` marked selected."""
    return html.options_many(picker.options, [selected] if isinstance(selected, str) else selected)


@register.simple_tag
def agency_options(picker: Picker, selected: object = "") -> SafeString:
    """The ``<option>`` elements of the agency picker (the one matching ``selected`` marked
    so), built in Python: the national triage queue lists every agency, ~700 options that a
    template loop takes ~10 ms to render."""
    return html.options(picker.options, None if selected is None else str(selected))
