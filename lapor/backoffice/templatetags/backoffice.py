"""Template helpers of the back office."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from lapor.backoffice import html
from lapor.backoffice.agency_picker import Picker
from lapor.categories.models import Category
from lapor.core import ids
from lapor.portal.selectors import category_label

register = template.Library()


@register.filter
def category_name(category: Category | None) -> str:
    """A category in the page's language (its English name on English pages, where the
    taxonomy has one)."""
    return category_label(category) if category is not None else ""


@register.filter
def tracking(value: str) -> str:
    """A tracking ID as the reporter sees it on the portal (``ZPGK-MPSD-GTJS``)."""
    return ids.display(value)


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
