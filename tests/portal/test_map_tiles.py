"""The tile server setting: refused at start-up with its name when unusable, none by default;
the map pages allow exactly its origin, and other pages nothing more."""

from __future__ import annotations

import re

import pytest

from lapor.config import ConfigError
from lapor.portal.map_tiles import Tiles, read_tiles

TILE_URL = "https://ubin.contoh.id:8443/peta/{z}/{x}/{y}.png"


def test_no_tile_server_by_default():
    assert read_tiles({}) == Tiles()
    assert Tiles().origin == ""


def test_a_tile_server_and_its_origin():
    tiles = read_tiles({"MAP_TILE_URL": TILE_URL, "MAP_TILE_ATTRIBUTION": "© Pemda"})
    assert tiles == Tiles(url=TILE_URL, attribution="© Pemda")
    assert tiles.origin == "https://ubin.contoh.id:8443"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"MAP_TILE_URL": TILE_URL}, "MAP_TILE_ATTRIBUTION"),
        ({"MAP_TILE_ATTRIBUTION": "© Pemda"}, "MAP_TILE_URL"),
        (
            {"MAP_TILE_URL": "ubin.contoh.id/{z}/{x}/{y}.png", "MAP_TILE_ATTRIBUTION": "x"},
            "MAP_TILE_URL",
        ),
        (
            {"MAP_TILE_URL": "ftp://ubin.contoh.id/{z}/{x}/{y}.png", "MAP_TILE_ATTRIBUTION": "x"},
            "MAP_TILE_URL",
        ),
        (
            {"MAP_TILE_URL": "https://ubin.contoh.id/{z}/{x}.png", "MAP_TILE_ATTRIBUTION": "x"},
            "MAP_TILE_URL",
        ),
        (
            {"MAP_TILE_URL": "https://{s}.ubin.id/{z}/{x}/{y}.png", "MAP_TILE_ATTRIBUTION": "x"},
            "MAP_TILE_URL",
        ),
    ],
)
def test_an_unusable_setting_is_refused_naming_it(env, named):
    with pytest.raises(ConfigError, match=named):
        read_tiles(env)


def test_production_asks_for_https():
    env = {"MAP_TILE_URL": "http://ubin.contoh.id/{z}/{x}/{y}.png", "MAP_TILE_ATTRIBUTION": "x"}
    assert read_tiles(env).url
    with pytest.raises(ConfigError, match="MAP_TILE_URL must start with https://"):
        read_tiles(env, production=True)


def _img_src(response) -> list[str]:  # type: ignore[no-untyped-def]
    found = re.search(r"img-src ([^;]+)", response["Content-Security-Policy"])
    assert found
    return found[1].split()


@pytest.mark.django_db
def test_map_pages_allow_exactly_the_tile_server(client, settings):
    assert _img_src(client.get("/laporan/peta/")) == ["'self'", "data:"]
    assert _img_src(client.get("/lapor/")) == ["'self'", "data:"]
    settings.MAP_TILE_URL = TILE_URL
    settings.MAP_TILE_ATTRIBUTION = "© Pemda"
    for path in ("/laporan/peta/", "/en/laporan/peta/", "/lapor/"):
        response = client.get(path)
        assert _img_src(response) == ["'self'", "data:", "https://ubin.contoh.id:8443"], path
        assert f'data-tiles="{TILE_URL}"' in response.content.decode()
    # every other page keeps the site's own policy
    assert _img_src(client.get("/laporan/")) == ["'self'", "data:"]
    data = client.get("/laporan/peta/data/")
    assert data["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
