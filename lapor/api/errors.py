"""The one error shape of the API: ``{"code", "message", "field"}`` for every error.

``exception_handler`` (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``) turns every exception a view
raises into that shape: DRF's own (validation, malformed JSON, 401/403/404/405/406/415, 429 with
``Retry-After``), Django's ``Http404``/``PermissionDenied``/``RequestDataTooBig`` and the
services' ``lapor.core.errors.LaporError`` (its status, code, message and field). The message is
an Indonesian msgid translated to the request's language (``Accept-Language``); the ``code`` is
the same in every language and is what clients compare. A validation error also lists every
field error in ``errors``.

The codes are published in the OpenAPI document as the ``Error`` component's ``code`` enum
(``add_error_component``): ``API_ERROR_CODES`` here plus, when present,
``lapor.core.error_codes.all_error_codes()`` (the services' codes).

``json_error`` is for code outside DRF (the site's 404/500 handlers under ``/api/``)."""

from __future__ import annotations

import functools
import importlib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.response import Response

from lapor.core.errors import LaporError
from lapor.core.views import max_request_bytes

FILE_TOO_LARGE = "file_too_large"  # core.files: answered 413, as a body over the limit is

# The codes the API itself answers with (the services add theirs, see ``all_codes``).
API_ERROR_CODES: tuple[str, ...] = (
    "invalid",
    "required",
    "null",
    "blank",
    "max_length",
    "min_length",
    "max_value",
    "min_value",
    "invalid_choice",
    "unknown_field",
    "out_of_range",
    "invalid_cursor",
    "malformed_json",
    "unsupported_media_type",
    "not_acceptable",
    "not_authenticated",
    "authentication_failed",
    "token_expired",
    "token_revoked",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "conflict",
    "too_large",
    "throttled",
    "server_error",
    "error",
)


@functools.cache
def all_codes() -> list[str]:
    """Every error code a client may meet: the API's and the services' (when listed)."""
    codes = set(API_ERROR_CODES)
    try:  # the services' list, lapor/core/error_codes.py
        module = importlib.import_module("lapor.core.error_codes")
        codes.update(module.all_error_codes())
    except (ImportError, AttributeError):
        pass
    return sorted(codes)


def body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": str(message), "field": field, **extra}


def json_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(body(code, message), status=status)


def too_large_body() -> JsonResponse:
    """413 for a body over ``core.views.max_request_bytes``, naming the limits."""
    total = max_request_bytes()
    message = _(
        "Isi permintaan terlalu besar: paling besar %(total)s, yaitu %(count)d berkas "
        "masing-masing paling besar %(size)s beserta datanya. Perkecil foto atau kirim lebih "
        "sedikit berkas."
    ) % {
        "total": filesizeformat(total),
        "count": settings.LAPOR_MAX_ATTACHMENTS,
        "size": filesizeformat(settings.LAPOR_MAX_UPLOAD_BYTES),
    }
    return JsonResponse(body("too_large", message, limit=total), status=413)


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, Any]]:
    """DRF's nested ``{field: [ErrorDetail]}`` as a flat list of field errors."""
    out: list[dict[str, Any]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if not prefix else f"{prefix}.{key}"
            out += _flatten(value, name)
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            name = prefix if not isinstance(value, (dict, list)) else f"{prefix}.{i}"
            out += _flatten(value, name)
    else:
        field = None if prefix in ("", "non_field_errors") else prefix
        code = getattr(detail, "code", None) or "invalid"
        if code not in all_codes():  # one of DRF's many fine codes: the published enum holds
            code = "invalid"
        out.append(body(code, str(detail), field))
    return out


def _validation(exc: exceptions.ValidationError) -> dict[str, Any]:
    errors = _flatten(exc.detail) or [body("invalid", _("Data yang dikirim tidak valid."))]
    first = errors[0]
    return body(first["code"], first["message"], first["field"], errors=errors)


# DRF's exceptions → our code and message (the message in the request's language).
def _simple(exc: exceptions.APIException) -> tuple[str, str]:
    if isinstance(exc, exceptions.ParseError):
        return "malformed_json", _(
            "Isi permintaan bukan JSON yang sah. Periksa tanda kutip dan kurung."
        )
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return "unsupported_media_type", _(
            "Kirim isi permintaan sebagai JSON (Content-Type: application/json)."
        )
    if isinstance(exc, exceptions.NotAcceptable):
        return "not_acceptable", _("API ini hanya menjawab dalam JSON (Accept: application/json).")
    if isinstance(exc, exceptions.NotAuthenticated):
        return "not_authenticated", _("Sertakan token akses: Authorization: Bearer <token>.")
    if isinstance(exc, exceptions.AuthenticationFailed):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "authentication_failed"
        if code not in ("token_expired", "token_revoked"):
            code = "authentication_failed"
        return str(code), str(exc.detail)
    if isinstance(exc, exceptions.PermissionDenied):
        return "forbidden", _("Anda tidak berwenang melakukan ini.")
    if isinstance(exc, exceptions.NotFound):
        return "not_found", _("Tidak ditemukan.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "method_not_allowed", _("Metode HTTP ini tidak diterima di alamat ini.")
    if isinstance(exc, exceptions.Throttled):
        seconds = max(1, int(exc.wait or 1))
        message = ngettext(
            "Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.",
            "Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.",
            seconds,
        )
        return "throttled", message % {"seconds": seconds}
    return "error", str(exc.detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every error in the one shape; anything else (a bug) is left
    to Django, whose 500 handler answers JSON under ``/api/`` (``lapor.core.views``)."""
    headers: dict[str, str] = {}
    if isinstance(exc, LaporError):
        if exc.code == FILE_TOO_LARGE:  # its message names the limit
            limit = settings.LAPOR_MAX_UPLOAD_BYTES
            return Response(body(exc.code, exc.message, exc.field, limit=limit), status=413)
        return Response(body(exc.code, exc.message, exc.field), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = _(
            "Isi permintaan terlalu besar: data JSON atau isian paling besar %(limit)s. Kirim "
            "berkas sebagai multipart/form-data, bukan base64."
        ) % {"limit": filesizeformat(limit)}
        return Response(body("too_large", message, limit=limit), status=413)
    if not isinstance(exc, exceptions.APIException):
        return None
    is_validation = isinstance(exc, exceptions.ValidationError)
    data = _validation(exc) if is_validation else body(*_simple(exc))
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
        status = 401
    else:
        status = exc.status_code
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait)))
    return Response(data, status=status, headers=headers)


ERROR_SCHEMA_REF = {"$ref": "#/components/schemas/Error"}


def add_error_component(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: the ``Error`` schema with every code, and the
    error responses (400, 401, 403, 404, 405, 415, 429) on every operation."""
    properties: dict[str, Any] = {
        "code": {"type": "string", "enum": all_codes()},
        "message": {"type": "string"},
        "field": {"type": "string", "nullable": True},
    }
    field_error = {"type": "object", "properties": properties, "required": [*properties]}
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        **field_error,
        "description": "Galat / error: code (stable), message (in the request's language), field.",
        "properties": {
            **properties,
            "errors": {"type": "array", "items": field_error},
        },
    }
    ref = {"content": {"application/json": {"schema": ERROR_SCHEMA_REF}}}
    descriptions = {
        "400": "Permintaan tidak valid / invalid request",
        "401": "Tanpa token atau token tidak berlaku / no or invalid token",
        "403": "Tidak berwenang / forbidden",
        "404": "Tidak ditemukan / not found",
        "405": "Metode tidak diterima / method not allowed",
        "406": "Hanya JSON / JSON only",
        "413": "Terlalu besar / too large",
        "415": "Hanya JSON / JSON only",
        "429": "Terlalu banyak permintaan / throttled (Retry-After)",
    }
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in descriptions.items():
                operation["responses"].setdefault(status, {"description": description, **ref})
    return result
