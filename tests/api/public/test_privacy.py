"""No public endpoint shows a rahasia report or an anonim reporter's name, in either language
(the privacy crawler, tests/privacy_crawl/, also walks these endpoints)."""

from __future__ import annotations

import json

import pytest

from lapor.routing.duplicates import index_report

pytestmark = pytest.mark.django_db

TEXT = (
    "Jalan di depan pasar berlubang besar sejak dua bulan, membahayakan pengendara motor "
    "setiap malam karena lampu jalan juga mati."
)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_rahasia_and_anonim_never_appear(api, public_report, lang):
    # given a rahasia report, a public report of an anonim reporter, and a public one
    rahasia = public_report(
        title="Jalan rusak rahasiaxq",
        body=TEXT,
        contact_name="Rahmat Rahasia",
        is_confidential=True,
    )
    anonim = public_report(
        title="Jalan rusak anonimxq", body=TEXT, is_anonymous=True, contact_name="Ani Anonimwati"
    )
    shown = public_report(title="Jalan rusak terbukaxq", body=TEXT)
    for report in (rahasia, anonim, shown):
        index_report(report)

    # when a visitor reads every public endpoint, in this language
    paths = [
        "/api/v1/reports/",
        "/api/v1/reports/?q=rahasiaxq",
        "/api/v1/reports/?q=jalan",
        f"/api/v1/reports/{anonim.tracking_id}/",
        f"/api/v1/reports/{shown.tracking_id}/",
        f"/api/v1/reports/{rahasia.tracking_id}/",
        f"/api/v1/track/{anonim.tracking_id}/",
        f"/api/v1/reports/similar/?region=33.21&text={TEXT}",
    ]
    seen = {p: api.get(p, HTTP_ACCEPT_LANGUAGE=lang) for p in paths}
    text = {p: json.dumps(r.json()) for p, r in seen.items()}

    # then the rahasia report is nowhere (a 404 for its own address), the anonim name nowhere
    for path, body in text.items():
        assert "Ani Anonimwati" not in body, path
        assert "Rahmat Rahasia" not in body, path
        if path != f"/api/v1/reports/{rahasia.tracking_id}/":
            assert rahasia.tracking_id not in body and "rahasiaxq" not in body, path
    assert seen[f"/api/v1/reports/{rahasia.tracking_id}/"].status_code == 404
    # and the public ones are there (the checks above looked at real answers)
    assert anonim.tracking_id in text["/api/v1/reports/"]
    assert shown.tracking_id in text[f"/api/v1/reports/similar/?region=33.21&text={TEXT}"]
    assert (
        json.loads(text[f"/api/v1/reports/{shown.tracking_id}/"])["reporter_name"] == "Siti Aminah"
    )
