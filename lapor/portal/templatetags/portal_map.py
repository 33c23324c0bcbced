"""``{% map_tiles as tiles %}``: the configured tile server (or none) for a map's template."""

from __future__ import annotations

from django import template

from lapor.portal.map_tiles import Tiles

register = template.Library()


@register.simple_tag
def map_tiles() -> Tiles:
    from lapor.portal.views.map import tiles

    return tiles()
