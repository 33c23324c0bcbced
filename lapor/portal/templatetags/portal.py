"""Template helpers: times in the office's zone, tracking IDs, accessible form fields."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.forms import BoundField
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.translation import get_language

from lapor.categories.models import Category
from lapor.core import ids
from lapor.core.timefmt import format_local, in_zone
from lapor.portal.selectors import category_label
from lapor.regions.models import ZONE_LABELS
from lapor.reports import sla
from lapor.reports.models import Report

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[tuple[str, str, str]]:
    """(code, name, this page's address in that language) for every language. The address
    is translated here, while the page's own language is active: Django's set_language cannot
    translate an /en/ address back once the switch request runs in the default language."""
    path = context["request"].get_full_path()
    return [(code, str(name), translate_url(path, code)) for code, name in settings.LANGUAGES]


@register.filter
def zone_of(report: Report) -> str:
    return sla.clock_zone(report)


@register.simple_tag
def local_time(moment: datetime | None, report: Report) -> str:
    """A stored UTC time in the zone of the office handling ``report`` (WIB/WITA/WIT)."""
    if moment is None:
        return "-"
    tz = sla.clock_zone(report)
    if get_language() == "en":
        local = in_zone(moment, tz)
        return f"{local.day} {local:%B %Y %H:%M} {ZONE_LABELS.get(tz, tz)}"
    return format_local(moment, tz)


@register.filter
def tracking(value: str) -> str:
    return ids.display(value)


@register.filter
def days(value: timedelta | None) -> str:
    """Days with one decimal in the page's language: "7,0" in Indonesian, "7.0" in English."""
    if value is None:
        return "-"
    return number_format(value.total_seconds() / 86400, 1)


@register.filter
def category_name(category: Category | None) -> str:
    """A category (or agency topic) in the page's language, where a translation exists."""
    return category_label(category) if category is not None else ""


@register.filter
def described(field: BoundField) -> str:
    """Render a field's widget tied to its help text and errors (aria-describedby)."""
    refs = []
    attrs: dict[str, str | bool] = {}
    if field.help_text:
        refs.append(f"{field.auto_id}_help")
    if field.errors:
        refs.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if refs:
        attrs["aria-describedby"] = " ".join(refs)
    return field.as_widget(attrs=attrs)
