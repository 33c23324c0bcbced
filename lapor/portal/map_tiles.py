"""The map's tile server: an operator's setting, none by default (ADR 0021).

``MAP_TILE_URL`` is a tile URL template such as ``https://tiles.example.id/{z}/{x}/{y}.png``;
``MAP_TILE_ATTRIBUTION`` the credit its licence asks for (plain text), required with it. Without
a tile server the maps draw a base that needs no network (``static/portal/map.js``), so a page
of this site never makes a browser ask a third party for anything by default. The pages that
show a map allow exactly the tile server's origin in their ``img-src`` (``csp_update``) and no
other. This module reads only the environment: ``settings`` imports it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from lapor.config import ConfigError

PLACEHOLDERS = ("{z}", "{x}", "{y}")


@dataclass(frozen=True)
class Tiles:
    url: str = ""
    attribution: str = ""

    @property
    def origin(self) -> str:
        """``scheme://host[:port]`` of the tile server, the one source the CSP adds."""
        if not self.url:
            return ""
        parts = urlsplit(self.url.replace("{s}", "a"))
        return f"{parts.scheme}://{parts.netloc}"


def read_tiles(env: Mapping[str, str], *, production: bool = False) -> Tiles:
    """The tile server from the environment, refused with the setting's name when unusable."""
    url = env.get("MAP_TILE_URL", "").strip()
    attribution = env.get("MAP_TILE_ATTRIBUTION", "").strip()
    if not url:
        if attribution:
            raise ConfigError("MAP_TILE_ATTRIBUTION is set but MAP_TILE_URL is not")
        return Tiles()
    if "{s}" in url:
        raise ConfigError(
            "MAP_TILE_URL must name one host, without {s}: the pages allow exactly that host"
        )
    parts = urlsplit(url)
    schemes = ("https",) if production else ("https", "http")
    if parts.scheme not in schemes or not parts.hostname:
        need = "https://" if production else "http:// or https://"
        raise ConfigError(f"MAP_TILE_URL must start with {need} and name a host, not {url!r}")
    if any(p not in url for p in PLACEHOLDERS) or any(p in parts.netloc for p in PLACEHOLDERS):
        raise ConfigError(
            "MAP_TILE_URL must hold {z}, {x} and {y} in its path "
            f"(e.g. https://tiles.example.id/{{z}}/{{x}}/{{y}}.png), not {url!r}"
        )
    if not attribution:
        raise ConfigError(
            "MAP_TILE_ATTRIBUTION must give the credit the tiles' licence asks for "
            "(e.g. '© OpenStreetMap contributors') when MAP_TILE_URL is set"
        )
    return Tiles(url=url, attribution=attribution)
