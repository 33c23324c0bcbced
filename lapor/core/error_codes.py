"""Every error code the service answers with, listed per domain.

A ``LaporError``'s ``code`` is what API clients and tests compare, the same in every language,
so each domain lists its codes in a ``StrEnum`` (a member is a ``str``: comparing it with a
plain string keeps working) in its own ``error_codes`` module, registered here with
``register``. ``all_error_codes`` gathers them all for the API's schema: it imports the
``error_codes`` module of every installed app first, so core never imports a domain and no
domain is missed. A test (``tests/reports/test_error_codes.py``) fails on a code raised anywhere
in ``lapor/`` that no enum lists."""

from __future__ import annotations

import importlib
import importlib.util
from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=type[StrEnum])
_DOMAINS: dict[str, type[StrEnum]] = {}


def register(codes: E) -> E:
    """Add a domain's enum to the list (use as a class decorator)."""
    _DOMAINS[f"{codes.__module__}.{codes.__qualname__}"] = codes
    return codes


@register
class CoreErrorCode(StrEnum):
    """The generic codes of ``lapor.core.errors``: a subclass's default when no code is given."""

    ERROR = "error"
    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"


@register
class FileErrorCode(StrEnum):
    """An uploaded file refused by ``lapor.core.files``."""

    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE_HEIC = "file_type_heic"
    FILE_TYPE_REFUSED = "file_type_refused"
    IMAGE_TOO_MANY_PIXELS = "image_too_many_pixels"
    IMAGE_UNREADABLE = "image_unreadable"


def domains() -> list[type[StrEnum]]:
    """Every registered enum, once each installed app's ``error_codes`` module is imported."""
    from django.apps import apps

    for config in apps.get_app_configs():
        name = f"{config.name}.error_codes"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    return list(_DOMAINS.values())


def all_error_codes() -> list[str]:
    """Every code any domain may answer with, sorted, each once."""
    return sorted({str(code) for enum in domains() for code in enum})
