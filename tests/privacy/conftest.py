"""Helpers of the privacy tests: a reporter with recognisable identity, and a search for it in
every table of the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client

from tests.factories import AgencyFactory

NAME = "Markonah Zulfikarsyah"
EMAIL = "markonah.zulfikar@contoh.id"
PHONE = "081299887766"
MARKERS = ("Markonah", "Zulfikarsyah", "markonah.zulfikar", "81299887766")
IDENTITY = {"contact_name": NAME, "contact_email": EMAIL, "contact_phone": PHONE}


@pytest.fixture
def kab():  # type: ignore[no-untyped-def]
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


def enter_secret(client: Client, tracking_id: str, secret: str) -> None:
    """The guest proves they are the reporter on the track page, as they would."""
    response = client.post(f"/lacak/{tracking_id}/", {"action": "secret", "secret": secret})
    assert response.status_code == 302, response.content.decode()[:500]


def _text_fields(model: type[models.Model]) -> list[str]:
    kinds = (models.CharField, models.TextField, models.JSONField)
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]


def found_in_models(markers: tuple[str, ...] = MARKERS) -> list[tuple[str, str, Any]]:
    """(model, field, value) of every text column of every model holding one of ``markers``."""
    found = []
    for model in apps.get_models():
        fields = _text_fields(model)
        if not fields:
            continue
        for row in model._default_manager.values_list("pk", *fields):
            for name, value in zip(fields, row[1:], strict=True):
                text = str(value).lower()
                if any(m.lower() in text for m in markers):
                    found.append((model._meta.label, name, value))
    return found


def found_in_tables(markers: tuple[str, ...] = MARKERS) -> list[tuple[str, Any]]:
    """(table, row) of every row of every table, models or not (the SQLite full-text index
    and its shadow tables among them), holding one of ``markers`` in any column."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(
                    v.decode("utf-8", "replace") if isinstance(v, bytes | memoryview) else str(v)
                    for v in (bytes(c) if isinstance(c, memoryview) else c for c in row)
                ).lower()
                if any(m.lower() in text for m in markers):
                    found.append((table, row))
    return found


@pytest.fixture
def regency():  # type: ignore[no-untyped-def]
    from tests.factories import RegencyFactory

    return RegencyFactory()
