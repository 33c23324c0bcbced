"""A select widget rendered in Python: the same HTML as Django's ``Select``, without a template
per option (a queue's category filter holds ~190 options, ~20 ms through the templates)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString

from lapor.backoffice import html


class FastSelect(forms.Select):
    """``Select`` for flat choices, rendered without the per-option templates.

    Attributes (``id``, ``required``, ``aria-invalid``, ``aria-describedby``) are built as
    Django builds them; the first option whose value matches is marked ``selected``. Grouped
    choices fall back to Django's rendering."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _, label in choices):
            return super().render(name, value, attrs, renderer)
        final = self.build_attrs(self.attrs, attrs)
        values = self.format_value(value)
        body = html.options(choices, values[0] if values else None)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), body)
