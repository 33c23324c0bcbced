"""Indonesian labels for third-party models in the admin (django-otp's TOTP devices,
django-tasks-db's task rows), whose models we cannot give verbose names: their fields are
shown through display functions carrying the label, and their app and model names are set once
at start-up (``name_third_party``). The models' migration state is untouched (Django builds it
from each model's declared ``Meta``, not from these attributes), so no migration follows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import display_for_field
from django.db import models


def name_third_party(app_label: str, app_name: Any, models_named: dict[str, tuple]) -> None:
    """Set the admin's names of a third-party app and of its models (``model_name`` →
    (singular, plural))."""
    config = apps.get_app_config(app_label)
    config.verbose_name = app_name
    for model_name, (singular, plural) in models_named.items():
        opts = config.get_model(model_name)._meta
        opts.verbose_name, opts.verbose_name_plural = singular, plural


def labelled(model: type[models.Model], labels: dict[str, Any]) -> dict[str, Callable]:
    """Display functions ``<field>_label`` showing each field as the admin would, under an
    Indonesian label, sortable by the field: ``list_display`` and ``readonly_fields`` name them
    instead of the field."""
    made: dict[str, Callable] = {}
    for name, label in labels.items():
        field = model._meta.get_field(name)
        is_bool = isinstance(field, models.BooleanField)

        def show(
            self: admin.ModelAdmin, obj: Any, _field: Any = field, _bool: bool = is_bool
        ) -> Any:
            value = getattr(obj, _field.name)
            if _bool:
                return value
            return display_for_field(value, _field, self.get_empty_value_display())

        made[f"{name}_label"] = admin.display(description=label, ordering=name, boolean=is_bool)(
            show
        )
    return made
