"""Demo texts, categories and places agree: no street lights filed under railways, no
kecamatan of Makassar in a report from Demak."""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

import pytest

from lapor.demo.loader import load_demo
from lapor.demo.texts import TOPICS, best_match
from lapor.regions.models import Region
from lapor.reports.models import Report

pytestmark = pytest.mark.django_db
DEMAK_KECAMATAN = ["Mranggen", "Karangawen", "Sayung", "Bonang"]


def test_a_title_picks_the_category_that_fits_it() -> None:
    pool = [
        SimpleNamespace(name="Kereta api"),
        SimpleNamespace(name="Penerangan jalan umum"),
        SimpleNamespace(name="Parkir"),
    ]
    for seed in range(20):
        chosen = best_match("Lampu jalan padam", pool, lambda c: c.name, random.Random(seed))
        assert chosen.name == "Penerangan jalan umum"


def test_every_body_has_a_title_about_the_same_thing() -> None:
    rng = random.Random(1)
    jalan = next(t for t in TOPICS if t.key == "jalan")
    bridge = next(b for b in jalan.bodies if b.startswith("Jembatan"))
    assert best_match(bridge, jalan.titles, str, rng).startswith("Jembatan")


def test_places_in_demo_texts_belong_to_the_report_region(demo_world) -> None:  # type: ignore[no-untyped-def]
    demak = Region.objects.get(name="Kabupaten Demak")
    for i, name in enumerate(DEMAK_KECAMATAN, start=1):
        Region.objects.create(
            code=f"33.21.{i:02d}", name=name, level="kecamatan", kind="kecamatan", parent=demak
        )
    load_demo(count=60, seed=3)
    named = 0
    for report in Report.objects.select_related("region"):
        text = f"{report.title} {report.body}"
        for found in re.findall(r"(?:Kec\.|[Kk]ecamatan) ([A-Z][\w ]*?)(?=[,.\s]|$)", text):
            named += 1
            if report.region.name == "Kabupaten Demak":
                assert any(found.startswith(k) for k in DEMAK_KECAMATAN), (found, text)
            else:  # no kecamatan loaded there: the regency's own name, never another island's
                short = re.sub(r"^(Kabupaten|Kota) ", "", report.region.name)
                assert found.startswith(short.split()[0]), (found, text)
    assert named > 0
