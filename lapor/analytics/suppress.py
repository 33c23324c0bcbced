"""Small-cell suppression: the one place that decides how a public figure is shown.

A count from 1 to 4 is shown as "< 5". In a column whose total is shown elsewhere, a single
suppressed cell could be worked out from the others, so the next smallest cell is suppressed too
(secondary suppression). A rate is shown only when its denominator is at least 5 and its
numerator is 0 or at least 5 (else the numerator could be worked out); a median only from at
least 5 values. Every public page, CSV and JSON export goes through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MIN_CELL = 5
SMALL = "< 5"


@dataclass(frozen=True)
class Cell:
    """A public figure: ``value`` is None when suppressed; ``text`` is what is shown."""

    value: float | None
    text: str

    @property
    def suppressed(self) -> bool:
        return self.value is None and self.text == SMALL

    def export(self) -> int | float | str | None:
        """The value in CSV and JSON: the number, "< 5", or None when there is no figure."""
        if self.value is not None:
            return self.value
        return SMALL if self.suppressed else None


EMPTY = Cell(None, "—")


def count(n: int) -> Cell:
    if 0 < n < MIN_CELL:
        return Cell(None, SMALL)
    return Cell(n, str(intcomma(n)))


def column(values: list[int]) -> list[Cell]:
    """Counts that may be summed to a total shown elsewhere: with secondary suppression."""
    small = [i for i, n in enumerate(values) if 0 < n < MIN_CELL]
    hidden = set(small)
    others = sorted((n, i) for i, n in enumerate(values) if n and i not in hidden)
    if len(small) == 1 and others:
        # With no other non-zero cell the total equals the hidden one and is hidden as well.
        hidden.add(others[0][1])
    return [Cell(None, SMALL) if i in hidden else count(n) for i, n in enumerate(values)]


def rate(numerator: int, denominator: int) -> Cell:
    if denominator < MIN_CELL or 0 < numerator < MIN_CELL:
        return EMPTY
    share = 100 * numerator / denominator
    return Cell(round(share, 1), f"{number_format(share, 1)}%")


def mean(total: int, n: int, places: int = 2) -> Cell:
    if n < MIN_CELL:
        return EMPTY
    value = total / n
    return Cell(round(value, places), str(number_format(value, places)))


def hours(value: float | None, n: int) -> Cell:
    """A duration (hours) shown in days or hours, from at least ``MIN_CELL`` values."""
    if value is None or n < MIN_CELL:
        return EMPTY
    if value < 48:
        return Cell(round(value, 1), _("%(n)s jam") % {"n": number_format(value, 1)})
    return Cell(round(value, 1), _("%(n)s hari") % {"n": number_format(value / 24, 1)})
