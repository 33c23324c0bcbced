"""The queue filters' FastSelect renders what Django's Select renders (same HTML semantics)."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from lapor.backoffice.widgets import FastSelect

CHOICES = [("", "Semua"), ("a", "A & b <x>"), (1, "satu"), ("a", "duplikat")]


def pair(required: bool) -> type[forms.Form]:
    class Pair(forms.Form):
        slow = forms.ChoiceField(choices=CHOICES, required=required)
        fast = forms.ChoiceField(choices=CHOICES, required=required, widget=FastSelect)

    return Pair


@pytest.mark.parametrize("required", [False, True])
@pytest.mark.parametrize("value", [None, "a", "1", "tidak-ada"])
def test_fast_select_renders_the_same_html_as_djangos_select(required, value):
    form = pair(required)(None if value is None else {"slow": value, "fast": value})
    if value is not None:
        form.is_valid()
    slow = str(form["slow"]).replace("slow", "fast")
    fast = str(form["fast"])
    assert parse_html(fast) == parse_html(slow)
    assert fast.count(" selected") == (0 if value == "tidak-ada" else 1)
    if value == "tidak-ada":
        assert 'aria-invalid="true"' in fast


def test_agency_options_escape_and_mark_only_the_selected_agency():
    from django.template import Context, Template

    from lapor.backoffice.agency_picker import Picker

    picker = Picker(
        options=[("a-1", "Dinas <PU> & Tata Ruang"), ("b-2", "Dinas Kesehatan")],
        query="",
        more=False,
        mode="all",
    )
    template = Template("{% load backoffice %}{% agency_options picker selected %}")
    chosen = template.render(Context({"picker": picker, "selected": "b-2"}))
    assert chosen == (
        '<option value="a-1">Dinas &lt;PU&gt; &amp; Tata Ruang</option>'
        '<option value="b-2" selected>Dinas Kesehatan</option>'
    )
    assert " selected" not in template.render(Context({"picker": picker}))
