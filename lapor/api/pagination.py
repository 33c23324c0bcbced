"""Keyset (cursor) pagination: ``?limit=`` (default 20, at most 100) and ``?cursor=``.

A page is the rows after the last one of the previous page in the list's order, a (sort key,
id) pair, never an offset: a report filed between two requests does not shift the next page
(no row is shown twice or skipped), and the query uses the index whatever the depth. The cursor
is opaque (base64url of that pair); a client only follows ``next``. Lists are ordered by one
key, descending or ascending, then ``id`` in the same direction.

Use: ``pagination_class = KeysetPagination`` (``ordering`` on the view, e.g.
``("-submitted_at", "-id")``), or a subclass setting ``ordering``."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def encode_cursor(key: Any, pk: Any) -> str:
    value = key.isoformat() if isinstance(key, datetime) else key
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise ValidationError(
            {"cursor": [_("Kursor tidak dikenal. Mulai lagi dari halaman pertama.")]},
            code="invalid_cursor",
        ) from exc
    return key, pk


class KeysetPagination(BasePagination):
    ordering: tuple[str, str] = ("-submitted_at", "-id")

    def _limit(self, request: Request) -> int:
        raw = request.query_params.get("limit")
        if raw in (None, ""):
            return DEFAULT_LIMIT
        try:
            limit = int(raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_LIMIT:
            raise ValidationError(
                {"limit": [_("Isi limit antara 1 dan %(max)d.") % {"max": MAX_LIMIT}]},
                code="out_of_range",
            )
        return limit

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        ordering = getattr(view, "ordering", None) or self.ordering
        key_field = ordering[0].lstrip("-")
        descending = ordering[0].startswith("-")
        self.request, self.key_field = request, key_field
        self.limit = self._limit(request)
        cursor = request.query_params.get("cursor")
        qs = queryset.order_by(*ordering)
        if cursor:
            key, pk = decode_cursor(cursor)
            if isinstance(key, str) and (when := parse_datetime(key)) is not None:
                key = when
            op = "lt" if descending else "gt"
            qs = qs.filter(
                Q(**{f"{key_field}__{op}": key}) | Q(**{key_field: key, f"pk__{op}": pk})
            )
        rows = list(qs[: self.limit + 1])
        self.has_next = len(rows) > self.limit
        self.page = rows[: self.limit]
        return self.page

    def next_cursor(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        last: Model = self.page[-1]
        return encode_cursor(getattr(last, self.key_field), last.pk)

    def get_next_link(self) -> str | None:
        cursor = self.next_cursor()
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, "cursor"), "cursor", cursor)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "Halaman berikutnya / the next page (null: the last page)",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "Kursor dari `next` / the opaque cursor from `next`",
                "schema": {"type": "string"},
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": f"Baris per halaman / rows per page (1-{MAX_LIMIT})",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_LIMIT,
                    "default": DEFAULT_LIMIT,
                },
            },
        ]
