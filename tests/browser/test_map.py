"""The maps in Chromium, at 360 px and 1366 px, in both languages: the place picked on the
submit form's map is stored; the form submits without JavaScript; the public map shows public
pins and no rahasia one; a configured tile server is asked for tiles, and with none no request
leaves this site."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest

from lapor.reports.models import Report
from tests.browser.conftest import ARTIFACTS, PHONE, fits_phone, shot
from tests.factories import RegencyFactory, submit
from tests.portal.conftest import PNG

pytestmark = pytest.mark.django_db(transaction=True)
DESKTOP = {"width": 1366, "height": 900}
SIZES = [pytest.param(PHONE, "id", id="360-id"), pytest.param(DESKTOP, "en", id="1366-en")]
LOCAL = {"localhost", "127.0.0.1"}
WATCH = """() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
}"""


def _open(chromium: Any, live_server: Any, viewport: dict, lang: str, **context: Any) -> Any:
    ctx = chromium.new_context(
        viewport=viewport, base_url=live_server.url, locale=f"{lang}-ID", **context
    )
    page = ctx.new_page()
    page.set_default_timeout(15000)
    page.requested = []  # every URL the page asked for
    page.on("request", lambda r: page.requested.append(r.url))
    if context.get("java_script_enabled", True):
        page.add_init_script(f"({WATCH})()")
    return page


def _prefix(lang: str) -> str:
    return "" if lang == "id" else f"/{lang}"


def _fill_report(page: Any) -> None:
    page.locator("#id_title").fill("Jalan berlubang di depan pasar")
    page.locator("#id_body").fill(
        "Jalan di depan pasar berlubang besar sejak dua bulan dan membahayakan pengendara."
    )
    page.locator("#id_region").select_option("33.21")
    page.locator("#id_contact_email").fill("siti@contoh.id")


def _hosts(page: Any) -> set[str]:
    return {urlsplit(url).hostname or "" for url in page.requested if not url.startswith("data:")}


@pytest.mark.parametrize(("viewport", "lang"), SIZES)
def test_a_click_on_the_map_sets_the_place_and_the_report_keeps_it(
    chromium, live_server, viewport, lang
):
    from playwright.sync_api import expect

    # A public report with a point in Kabupaten Demak: without tiles its name is a landmark
    submit(latitude=Decimal("-6.894123"), longitude=Decimal("110.638456"), is_confidential=False)
    page = _open(chromium, live_server, viewport, lang)
    page.goto(f"{_prefix(lang)}/lapor/")
    _fill_report(page)
    # Given the map is opened (Leaflet loads only now) with Kabupaten Demak chosen above
    assert not page.locator("#peta-pilih").is_visible()
    page.locator("[data-map-pick-open]").click()
    expect(page.locator("#peta-pilih.leaflet-container")).to_be_visible()
    assert any("js_lib_leaflet/leaflet.js" in url for url in page.requested)
    # When the citizen clicks a place on it
    box = page.locator("#peta-pilih").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.45)
    # Then the coordinates are filled, a pin marks the place, and the status says so
    expect(page.locator("#id_latitude")).not_to_have_value("")
    lat = page.locator("#id_latitude").input_value()
    lon = page.locator("#id_longitude").input_value()
    assert re.fullmatch(r"-?\d+\.\d{6}", lat) and re.fullmatch(r"-?\d+\.\d{6}", lon)
    # the map opened on the chosen kabupaten/kota's label, so the click fell in Demak
    assert abs(float(lat) + 6.89) < 0.3 and abs(float(lon) - 110.64) < 0.3, (lat, lon)
    expect(page.locator("#peta-pilih .map-label")).to_have_text(["Kabupaten Demak"])
    expect(page.locator("#peta-pilih-status")).to_contain_text(f"{lat}, {lon}")
    expect(page.locator("#peta-pilih .map-picked")).to_have_count(1)
    assert fits_phone(page)
    shot(page, f"map-pick-{viewport['width']}-{lang}")
    # And the submitted report has that place
    page.locator("form button[type=submit]:not([name])").last.click()
    page.locator("#tracking-id").wait_for()
    report = Report.objects.latest("pk")
    assert (str(report.latitude), str(report.longitude)) == (lat, lon)
    assert page.evaluate("window.__violations") == []
    assert _hosts(page) <= LOCAL  # no tile server set: nothing asked of anyone else
    page.context.close()


@pytest.mark.parametrize(("viewport", "lang"), SIZES)
def test_without_javascript_the_form_submits_with_typed_coordinates(
    chromium, live_server, viewport, lang
):
    RegencyFactory()
    page = _open(chromium, live_server, viewport, lang, java_script_enabled=False)
    page.goto(f"{_prefix(lang)}/lapor/")
    assert not page.locator("[data-map-pick-open]").is_visible()
    assert not page.locator("#peta-pilih").is_visible()
    _fill_report(page)
    page.locator("#id_latitude").fill("-6.894123")
    page.locator("#id_longitude").fill("110.638456")
    # (a full-page screenshot here, with JavaScript off, would leave Chromium's clicks astray)
    name = f"map-pick-nojs-{viewport['width']}-{lang}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#id_latitude").locator("xpath=ancestor::fieldset").screenshot(
        path=str(ARTIFACTS / f"{name}.png")
    )
    page.locator("form button[type=submit]:not([name])").last.click()
    page.locator("#tracking-id").wait_for()
    shot(page, f"{name}-sent")
    report = Report.objects.get()
    assert (str(report.latitude), str(report.longitude)) == ("-6.894123", "110.638456")
    assert not any("leaflet" in url for url in page.requested)
    page.context.close()


def _reports() -> tuple[list[Report], Report]:
    public = [
        submit(
            title=f"Jalan berlubang nomor {i}",
            latitude=Decimal("-6.894123") + Decimal(i) / 100,
            longitude=Decimal("110.638456"),
            is_confidential=False,
        ).report
        for i in range(3)
    ]
    rahasia = submit(
        title="Pungutan liar di kantor kelurahan",
        latitude=Decimal("-6.910000"),
        longitude=Decimal("110.600000"),
        is_confidential=True,
    ).report
    return public, rahasia


@pytest.mark.parametrize(("viewport", "lang"), SIZES)
def test_the_public_map_shows_public_pins_and_no_rahasia_one(chromium, live_server, viewport, lang):
    from playwright.sync_api import expect

    public, rahasia = _reports()
    page = _open(chromium, live_server, viewport, lang)
    # Given the public list, its link to the map
    page.goto(f"{_prefix(lang)}/laporan/")
    page.locator("#on-map").click()
    # Then the map shows one pin per public report with a point, and the region's name
    expect(page.locator("#peta[data-loaded]")).to_have_attribute("data-loaded", "3")
    expect(page.locator("#peta path.map-pin")).to_have_count(3)
    expect(page.locator("#peta .map-label")).to_have_text(["Kabupaten Demak"])
    # And a pin opens the report's public page
    page.locator("#peta path.map-pin").first.click(force=True)
    link = page.locator("#peta .leaflet-popup-content a")
    expect(link).to_have_text(re.compile(r"Jalan berlubang nomor \d"))
    assert link.get_attribute("href") in {
        f"{_prefix(lang)}/laporan/{r.tracking_id}/" for r in public
    } | {f"/laporan/{r.tracking_id}/" for r in public}
    assert fits_phone(page)
    shot(page, f"map-browse-{viewport['width']}-{lang}")
    content = page.content()
    assert "Pungutan" not in content and rahasia.tracking_id not in content
    assert page.evaluate("window.__violations") == []
    assert _hosts(page) <= LOCAL
    link.click()
    page.wait_for_url(re.compile(r"/laporan/[A-Z0-9]+/$"))
    page.context.close()


class _Tiles(BaseHTTPRequestHandler):
    asked: list[str] = []

    def do_GET(self) -> None:
        type(self).asked.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def tile_server() -> Iterator[str]:
    """A real tile server on another origin than the site (127.0.0.1 vs localhost)."""
    _Tiles.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("viewport", "lang"), SIZES)
def test_a_configured_tile_server_is_asked_for_tiles(
    chromium, live_server, settings, tile_server, viewport, lang
):
    from playwright.sync_api import expect

    settings.MAP_TILE_URL = tile_server + "/ubin/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Peta Uji <b>tebal</b>"
    _reports()
    page = _open(chromium, live_server, viewport, lang)
    response = page.goto(f"{_prefix(lang)}/laporan/peta/")
    img_src = re.search(r"img-src ([^;]+)", response.headers["content-security-policy"])
    assert img_src and img_src[1].split() == ["'self'", "data:", tile_server]
    expect(page.locator("#peta img.leaflet-tile-loaded").first).to_be_visible()
    assert any(re.fullmatch(r"/ubin/\d+/\d+/\d+\.png", path) for path in _Tiles.asked)
    # the attribution is shown as text, never as the operator's HTML
    expect(page.locator("#peta .leaflet-control-attribution")).to_contain_text("<b>tebal</b>")
    expect(page.locator("#peta .map-label")).to_have_count(0)  # tiles carry the names
    assert page.evaluate("window.__violations") == []
    assert _hosts(page) <= LOCAL  # the test's tile server is local too
    shot(page, f"map-tiles-{viewport['width']}-{lang}")
    # and the pick on the submit form uses the same tiles
    RegencyFactory()
    before = len(_Tiles.asked)
    page.goto(f"{_prefix(lang)}/lapor/")
    page.locator("[data-map-pick-open]").click()
    expect(page.locator("#peta-pilih img.leaflet-tile-loaded").first).to_be_visible()
    assert len(_Tiles.asked) > before
    assert page.evaluate("window.__violations") == []
    page.context.close()
