"""The API's one parser: JSON, at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes.

DRF's ``JSONParser`` reads the request stream directly, past Django's own body limit (which
only ``request.body`` applies): without this check a client could make the server hold any
amount in memory. A larger body is answered 413 ``too_large`` (``errors.exception_handler``)."""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.parsers import JSONParser


class LimitedJSONParser(JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            raise RequestDataTooBig("body larger than DATA_UPLOAD_MAX_MEMORY_SIZE")
        return super().parse(stream, media_type, parser_context)
