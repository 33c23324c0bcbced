"""The router: where, what and who, with reasons, before any training data exists."""

from __future__ import annotations

import pytest

from lapor.routing.router import route

pytestmark = pytest.mark.usefixtures("country")


def test_ktp_in_kabupaten_demak_goes_to_its_disdukcapil():
    # Given a reporter in Central Java writing about an ID card in Kab. Demak
    # When the report is routed
    routing = route(
        title="KTP blm jadi",
        body="Sdh 3 bln rekam KTP di kec. Mranggen Kab. Demak tp blm jadi jg, mohon dibantu pak",
        region_code="33",
    )
    # Then Disdukcapil Kabupaten Demak is first, confidently, with the rule and the place
    best = routing.best
    assert best is not None and best.agency == "pemkab-3321-disdukcapil"
    assert routing.confident
    assert routing.region == "33.21"
    assert any("kependudukan" in r for r in best.reasons)
    assert any("Demak" in r for r in best.reasons)


def test_national_road_goes_to_the_ministry():
    routing = route(
        title="Jalan nasional berlubang",
        body="Jalan nasional jalur pantura di Kabupaten Batang berlubang besar, banyak korban",
        region_code="33.25",
    )
    assert routing.best is not None and routing.best.agency == "kemenpu"
    assert routing.confident


def test_bpjs_goes_to_bpjs_kesehatan_wherever_it_happens():
    routing = route(
        title="Kartu BPJS tidak aktif",
        body="Kartu BPJS Kesehatan saya tdk aktif padahal iuran bpjs sdh dibayar tiap bulan",
        region_code="33.74",
    )
    assert routing.best is not None and routing.best.agency == "bpjs-kesehatan"
    assert routing.confident


def test_vague_report_is_not_confident_but_still_suggests_the_local_government():
    routing = route(
        title="Mohon perhatian",
        body="Mohon perhatiannya pak untuk masalah di tempat kami yg tdk kunjung selesai",
        region_code="33.21",
    )
    assert not routing.confident
    assert routing.best is not None and routing.best.agency == "pemkab-3321"


def test_typo_and_short_province_name_still_find_the_place():
    routing = route(
        title="Jalan desa rusak",
        body="Jalan desa di kab demakk jateng rusak parah dan berlubang, mohon diperbaiki",
        region_code=None,
    )
    assert routing.region == "33.21"
    assert routing.best is not None and routing.best.agency == "pemkab-3321-pupr"


def test_the_auto_dispose_threshold_is_the_models_and_the_rules_keep_theirs(settings):
    from lapor.routing.router import Routing, Suggestion

    def routing(confidence: float, model: str) -> Routing:
        return Routing([Suggestion("pln", "PLN", confidence)], None, [], model=model)

    # A trained model's routing disposes by itself from 0.95 (ADR 0018) ...
    assert not routing(0.94, "v1").confident and routing(0.95, "v1").confident
    # ... the rules alone, before any model, from 0.8 as always
    assert routing(0.8, "").confident and not routing(0.79, "").confident
    # And an operator's lower setting applies to both, a higher one to the model's only
    settings.LAPOR_ROUTING_AUTO_DISPOSE_AT = 0.7
    assert routing(0.7, "v1").confident and routing(0.7, "").confident
    settings.LAPOR_ROUTING_AUTO_DISPOSE_AT = 0.99
    assert not routing(0.98, "v1").confident and routing(0.8, "").confident
