"""The two answer formats of GeoReport v2, chosen by the URL's suffix: XML (required by the spec,
built with the standard library) and JSON (optional), with the spec's error list."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpResponse

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}

# Element name of one item of each list the spec nests in XML ("<services><service>…").
ITEM = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            _fill(ET.SubElement(element, ITEM[element.tag]), item)
    elif value is not None:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    """``value`` under ``<root>``: a list becomes the spec's repeated items, ``None`` an empty
    element; ElementTree escapes the text."""
    element = ET.Element(root)
    _fill(element, value)
    return bytes(ET.tostring(element, encoding="utf-8", xml_declaration=True))


def respond(fmt: str, root: str, value: Any, status: int = 200) -> HttpResponse:
    """``value`` in ``fmt``: in JSON the bare value (the spec's JSON has no root), in XML under
    ``root``."""
    body = json.dumps(value, ensure_ascii=False).encode() if fmt == "json" else to_xml(root, value)
    return HttpResponse(body, status=status, content_type=FORMATS[fmt])


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error answer: a list of ``{code, description}``, the code being the HTTP
    status."""
    listed: Sequence[dict[str, Any]] = [{"code": status, "description": d} for d in descriptions]
    return respond(fmt, "errors", listed, status=status)
