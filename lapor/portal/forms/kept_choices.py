"""Choices a form field takes as they are, without Django walking them again.

Assigning a list to ``ChoiceField.choices`` normalises it (``django.utils.choices.
normalize_choices``) on every form made: for the submit form's ~1,400 kabupaten/kota grouped by
province that walk was a third of a guest's whole submission (9.4 of 28.9 ms in a profile of
200 POSTs on the 1 M data set, bench/README.md "portal_intake.py"). The choices the selectors
keep per process are already in the normal form (value, label) or (group, [(value, label), …]),
so they are handed over inside a choice iterator, which Django takes as it is."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator


class KeptChoices(BaseChoiceIterator):
    """Choices in Django's normal form, iterated as they are as often as a field asks."""

    def __init__(self, choices: Sequence[Any]) -> None:
        self.choices = choices

    def __iter__(self) -> Iterator[Any]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


def set_choices(field: forms.Field, choices: Sequence[Any]) -> None:
    """Give ``field`` (a choice field) ``choices``, already normal, without walking them."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = KeptChoices(choices)
