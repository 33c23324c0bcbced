"""Option lists built in Python for the back office's long selects.

``format_html`` per option costs more than the rest of a queue page; one ``html.escape`` per
value (what Django's ``escape`` does, without its lazy-string wrapper) keeps the same output."""

from __future__ import annotations

import html
from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe


def _text(value: object) -> str:
    """Escaped text of ``value``, left as is when it is already safe HTML (as in templates)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def options(choices: Iterable[tuple[object, object]], selected: str | None) -> SafeString:
    """``<option>`` elements; the first whose value equals ``selected`` is marked selected
    (none when ``selected`` is None)."""
    found = selected is None
    parts = []
    for value, label in choices:
        value = "" if value is None else str(value)
        mark = ""
        if not found and value == selected:
            mark, found = " selected", True
        parts.append(f'<option value="{_text(value)}"{mark}>{_text(label)}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above


def options_many(choices: Iterable[tuple[object, object]], selected: Iterable[str]) -> SafeString:
    """``<option>`` elements of a multiple select; every value in ``selected`` marked selected."""
    chosen = {str(v) for v in selected}
    parts = []
    for value, label in choices:
        value = "" if value is None else str(value)
        mark = " selected" if value in chosen else ""
        parts.append(f'<option value="{_text(value)}"{mark}>{_text(label)}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above
