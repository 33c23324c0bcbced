"""Building blocks of every audience's API: the one way to add an endpoint.

An endpoint is a class-based view in ``lapor/api/<audience>/views.py`` deriving from
``ApiView`` (or DRF's generic views with the same attributes), with:

- ``permission_classes`` named (the default denies everyone): ``AllowAny`` for public reads,
  ``IsCitizen``/``IsOfficer``/``IsPartner`` (``lapor.api.permissions``) otherwise;
- input through a ``StrictSerializer`` (an unknown field is an error, not silently dropped),
  output through the audience's own serializer (never shared between a public and a private
  shape);
- reads through ``reports.selectors``/``reports.privacy``, writes through one
  ``lapor.reports.services`` function: its ``LaporError`` becomes the error shape by itself;
- lists paginated with ``pagination.KeysetPagination``; public reads cached with ``caching``;
- ``@extend_schema`` where the document cannot guess (query parameters, responses);

and a ``path`` in ``lapor/api/<audience>/urls.py`` (included from ``lapor/api/urls.py``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import APIView

from lapor.core.dates import FIRST_DAY, last_day


class JsonNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, decided at once for what nearly every client sends (no ``Accept``,
    ``*/*`` or ``application/json``, no ``?format=``) when the view renders one type: parsing
    the header cost a cached public answer more than finding its version. Anything else is
    negotiated by DRF as before (``406 not_acceptable`` for a type the API does not speak)."""

    PLAIN = frozenset({"", "*/*", "application/json"})

    def select_renderer(
        self, request: Any, renderers: list[Any], format_suffix: str | None = None
    ) -> Any:
        if (
            len(renderers) == 1
            and format_suffix is None
            and request.META.get("HTTP_ACCEPT", "") in self.PLAIN
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class ApiView(APIView):
    """An API view: JSON in and out, errors in the one shape, deny unless told otherwise."""

    content_negotiation_class = JsonNegotiation


class StrictSerializer(serializers.Serializer[Any]):
    """An input serializer refusing fields it does not know (a typo is answered, not ignored)."""

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            refuse_unknown_names(data.keys(), set(self.fields))
        return super().to_internal_value(data)


class BoundedDateField(serializers.DateField):
    """A date within the years the platform holds (``lapor.core.dates``): a far date would
    overflow the arithmetic of a filter."""

    def to_internal_value(self, value: Any) -> Any:
        day = super().to_internal_value(value)
        last = last_day()
        if not FIRST_DAY <= day <= last:
            raise serializers.ValidationError(
                _("Isi tanggal antara %(first)s dan %(last)s.")
                % {
                    "first": formats.date_format(FIRST_DAY, "j F Y"),
                    "last": formats.date_format(last, "j F Y"),
                },
                code="out_of_range",
            )
        return day


class StrictCharField(serializers.CharField):
    """A text field refusing a number or a boolean (DRF's ``CharField`` would turn ``0`` into
    ``"0"``): a JSON client sending the wrong type hears of it."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class StrictSerializerScheme(OpenApiSerializerExtension):
    """In the OpenAPI document a ``StrictSerializer`` admits no other property
    (``additionalProperties: false``), as it behaves."""

    target_class = "lapor.api.base.StrictSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "additionalProperties": False}


def refuse_unknown_names(names: Iterable[str], allowed: set[str]) -> None:
    """A field (or multipart part) the API does not know is an error, named, not ignored."""
    unknown = sorted(set(names) - allowed)
    if unknown:
        raise serializers.ValidationError(
            {
                name: [
                    serializers.ErrorDetail(
                        _("Kolom ini tidak dikenal. Periksa ejaannya di dokumentasi API."),
                        code="unknown_field",
                    )
                ]
                for name in unknown
            }
        )
