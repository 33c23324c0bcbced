"""The portal's forms: fields, labels and help in Bahasa Indonesia (translated to English).

Forms only shape the input; the rules live in ``reports.services``, whose ``ValidationFailed``
is shown next to the field it names (``attach_error``)."""

from __future__ import annotations

from django import forms

from lapor.core.errors import LaporError


def attach_error(
    form: forms.Form, error: LaporError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service error next to its field (or at the top when the form has no such field)."""
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)
