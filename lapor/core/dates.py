"""Dates typed into filters, kept within the years the platform can hold.

A filter date goes into arithmetic (the day after "until", midnight of a day in the platform's
zone, converted to UTC). Python's ``datetime`` ends at 0001-01-01 and 9999-12-31, so such a date
typed into an address would overflow there and answer 500. ``BoundedDateField`` accepts only
days from ``FIRST_DAY`` (before the platform held any report) to ``YEARS_AHEAD`` years after
today, and tells the citizen or officer the range in their language otherwise."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

FIRST_DAY = date(2000, 1, 1)
YEARS_AHEAD = 10


def last_day(today: date | None = None) -> date:
    """The last day a filter may name: 31 December, ``YEARS_AHEAD`` years from now."""
    today = today or timezone.localdate()
    return date(today.year + YEARS_AHEAD, 12, 31)


class BoundedDateField(forms.DateField):
    """A ``DateField`` refusing days outside ``FIRST_DAY`` … ``last_day()`` with a field error."""

    default_error_messages = {
        "out_of_range": _("Isi tanggal antara %(first)s dan %(last)s."),
    }

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        last = last_day()
        if not FIRST_DAY <= value <= last:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={
                    "first": formats.date_format(FIRST_DAY, "j F Y"),
                    "last": formats.date_format(last, "j F Y"),
                },
            )
