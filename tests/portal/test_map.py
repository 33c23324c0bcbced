"""The public map (``/laporan/peta/``) and its data: only what the public selector lets through,
rounded, bounded, cached, cheap, in both languages."""

from __future__ import annotations

import json
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

from lapor.core.ids import display
from lapor.portal.map import MAX_PINS
from tests.factories import CategoryFactory, ProvinceFactory, RegencyFactory, submit

pytestmark = pytest.mark.django_db
DATA = "/laporan/peta/data/"
# Exact points, each with six decimals nobody may read back from a public surface.
PUBLIC_POINT = (Decimal("-6.894123"), Decimal("110.638456"))
RAHASIA_POINT = (Decimal("-6.901987"), Decimal("110.612345"))
BAD_BOX = (
    "Parameter bbox harus berupa barat,selatan,timur,utara dalam derajat, "
    "misalnya 110.3,-7.1,110.5,-6.9."
)
PRIVACY = (
    "Hanya laporan publik yang diberi titik oleh pelapornya yang tampil. Titik dibulatkan "
    "sekitar 100 meter agar tidak menunjuk rumah siapa pun; laporan rahasia tidak pernah tampil."
)


def _report(point, *, confidential=False, **kw):  # type: ignore[no-untyped-def]
    lat, lon = point
    return submit(latitude=lat, longitude=lon, is_confidential=confidential, **kw).report


def shown(report) -> str:  # type: ignore[no-untyped-def]
    return display(report.tracking_id)


def _data(client, query: str = "", lang: str = ""):  # type: ignore[no-untyped-def]
    response = client.get(f"{lang}{DATA}{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_only_public_reports_appear_rounded_to_about_100_m(client):
    public = _report(PUBLIC_POINT, title="Jalan berlubang di depan pasar")
    rahasia = _report(RAHASIA_POINT, confidential=True, title="Pungutan di kantor kelurahan")
    _report((None, None), title="Lampu jalan padam tanpa titik")
    data = _data(client)
    assert [p["id"] for p in data["pins"]] == [shown(public)]
    pin = data["pins"][0]
    assert (pin["lat"], pin["lon"]) == (-6.894, 110.638)
    assert pin["url"] == f"/laporan/{public.tracking_id}/"
    body = json.dumps(data)
    for secret in (
        rahasia.tracking_id,
        shown(rahasia),
        "Pungutan",
        "6.894123",
        "110.638456",
        "6.901987",
        "110.612345",
        "6.902",
        "110.612",
    ):
        assert secret not in body, secret


def test_a_report_made_rahasia_later_leaves_the_map(client):
    report = _report(PUBLIC_POINT)
    assert len(_data(client)["pins"]) == 1
    report.is_confidential = True
    report.save(update_fields=["is_confidential"])
    from django.core.cache import cache

    cache.clear()  # the cached answer lives CACHE_SECONDS; a new one reads the database again
    assert _data(client)["pins"] == []
    assert _data(client)["regions"] == []


def test_the_box_limits_the_pins_and_is_widened_to_hundredths(client):
    _report(PUBLIC_POINT)
    far = _report((Decimal("-7.801000"), Decimal("110.364000")), title="Drainase tersumbat di kota")
    inside = _data(client, "?bbox=110.60,-6.92,110.70,-6.85")
    assert [p["id"] for p in inside["pins"]] != [shown(far)]
    assert len(inside["pins"]) == 1
    # An edge drawn between the exact point and its rounded value tells nothing: the box is
    # widened to 0.01° first, so both sides of such an edge give the same answer.
    west_of = _data(client, "?bbox=110.6385,-6.92,110.70,-6.85")
    east_of = _data(client, "?bbox=110.6384,-6.92,110.70,-6.85")
    assert west_of == east_of
    assert len(_data(client, "?bbox=110.0,-8.0,111.0,-6.0")["pins"]) == 2


@pytest.mark.parametrize(
    "bbox", ["1,2,3", "a,b,c,d", "110,-6,109,-5", "nan,-7,111,-6", "0,-100,1,0", "1e400,0,2,1"]
)
def test_a_malformed_box_is_a_400_that_says_what_to_send(client, bbox):
    response = client.get(f"{DATA}?bbox={bbox}")
    assert response.status_code == 400
    assert "barat,selatan,timur,utara" in response.json()["error"]
    english = client.get(f"/en{DATA}?bbox={bbox}")
    with translation.override("en"):
        assert english.json()["error"] == translation.gettext(BAD_BOX)


def test_at_most_the_limit_newest_first_and_says_there_are_more(client):
    made = [_report(PUBLIC_POINT, title=f"Jalan rusak nomor {i}") for i in range(4)]
    data = _data(client, "?limit=2")
    assert [p["id"] for p in data["pins"]] == [shown(r) for r in made[:-3:-1]]
    assert data["truncated"] is True
    assert _data(client, "?limit=4")["truncated"] is False
    assert _data(client, "?limit=99999") == _data(client, f"?limit={MAX_PINS}")


def test_filters_like_the_public_list(client):
    road = CategoryFactory(code="jalan", name="Jalan")
    light = CategoryFactory(code="lampu", name="Lampu")
    jakarta = RegencyFactory(
        code="31.71",
        name="Kota Jakarta Pusat",
        parent=ProvinceFactory(code="31", name="DKI Jakarta"),
        kind="kota",
    )
    demak = _report(PUBLIC_POINT, category=road)
    _report((Decimal("-6.175000"), Decimal("106.827000")), category=light, region=jakarta)
    assert [p["id"] for p in _data(client, "?category=jalan")["pins"]] == [shown(demak)]
    assert [p["id"] for p in _data(client, "?region=33")["pins"]] == [shown(demak)]
    labels = _data(client)["regions"]
    assert {r["name"] for r in labels} == {"Kabupaten Demak", "Kota Jakarta Pusat"}
    demak_label = next(r for r in labels if r["name"] == "Kabupaten Demak")
    assert (demak_label["lat"], demak_label["lon"], demak_label["count"]) == (-6.89, 110.64, 1)


def test_answers_are_cached_and_public(client, django_assert_num_queries):
    _report(PUBLIC_POINT)
    response = client.get(f"{DATA}?bbox=110,-8,111,-6")
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    with django_assert_num_queries(0):
        assert client.get(f"{DATA}?bbox=110,-8,111,-6").status_code == 200


def test_the_data_takes_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for i in range(30):
        _report((Decimal("-6.89") - Decimal(i) / 100, Decimal("110.63")), title=f"Jalan {i} rusak")
    with django_assert_max_num_queries(2):  # the pins, the names of their kabupaten/kota
        assert len(_data(client)["pins"]) == 30


def test_the_page_takes_few_queries_and_is_light(client, django_assert_max_num_queries):
    for i in range(25):
        _report(PUBLIC_POINT, title=f"Jalan rusak nomor {i}")
    with django_assert_max_num_queries(3):
        page = client.get("/laporan/peta/?region=33&status=open")
    assert page.status_code == 200
    own = [finders.find(p) for p in ("portal/site.css", "portal/map.css", "portal/map.js")]
    assert all(own)
    size = len(page.content) + sum(Path(str(p)).stat().st_size for p in own)
    data = client.get(DATA).content
    # First load without the map library (loaded by map.js when the map is shown): the page,
    # the site's CSS, the map's CSS and script, and the pins' data.
    assert size + len(data) < 150 * 1024, (len(page.content), size, len(data))


def test_the_submit_page_with_its_map_stays_light(client):
    from tests.portal.test_weight_and_queries import _all_regencies

    assert _all_regencies() > 500  # every kabupaten/kota in the picker, as in production
    html = client.get("/lapor/").content
    assert b'data-map="pick"' in html and b"js_lib_leaflet/leaflet.js" in html
    files = ("portal/site.css", "portal/map.css", "portal/map.js", "portal/location.js")
    found = [finders.find(p) for p in files]
    assert all(found)
    size = len(html) + sum(Path(str(p)).stat().st_size for p in found)
    # First load: the page, the site's CSS, the map's CSS and script and the location script;
    # Leaflet (147 KB of script, 14 KB of CSS) comes only when "Pilih di peta" is pressed.
    assert size < 150 * 1024, (len(html), size)


@pytest.mark.parametrize(("prefix", "lang"), [("", "id"), ("/en", "en")])
def test_the_page_in_both_languages_links_back_to_the_list(client, prefix, lang):
    RegencyFactory()
    html = client.get(f"{prefix}/laporan/peta/?category=&region=33").content.decode()
    assert f'<html lang="{lang}">' in html
    with translation.override(lang):  # the English of new texts comes with the next catalogue
        text = unescape(html)  # {% translate %} leaves a literal's apostrophe as it is
        assert translation.gettext("Peta laporan publik") in text
        assert translation.gettext(PRIVACY) in text
    assert f'href="{prefix}/laporan/?region=33"' in html
    assert f'data-data-url="{prefix}/laporan/peta/data/?region=33"' in html


def test_the_public_list_links_to_the_map_with_its_filters(client):
    RegencyFactory()
    html = client.get("/laporan/?region=33&q=jalan").content.decode()
    assert 'href="/laporan/peta/?region=33"' in html


def test_status_labels_follow_the_language(client):
    _report(PUBLIC_POINT)
    assert _data(client)["pins"][0]["status"] == "Diterima"
    assert _data(client, lang="/en")["pins"][0]["status"] == "Received"
