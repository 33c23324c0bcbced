"""The agency's own performance index in the back office: the components with their figures,
the trend, the place among peers, the weak components' queues and reports; the agency's subtree
only (404 elsewhere), a bounded number of queries."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lapor.analytics.facts import Metric
from lapor.analytics.fill import add_counts
from lapor.analytics.selectors import period
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, UnitFactory, national_admin, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db
MAX_QUERIES = 30


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    _since, until = period(12)
    demak = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak", kind="pemkab")
    dpu = UnitFactory(parent=demak, code="pemkab-3321-dpu", name="Dinas PU Demak")
    kudus = AgencyFactory(code="pemkab-3319", name="Pemerintah Kabupaten Kudus", kind="pemkab")
    flows = {
        demak: {
            Metric.SUBMITTED: 40,
            Metric.ANSWERED: 20,
            Metric.ANSWERED_SLA: 8,  # 40 %: weak
            Metric.FINISHED: 10,
            Metric.FINISHED_SLA: 9,
            Metric.RATED: 10,
            Metric.RATING_SUM: 20,  # mean 2 → 25 %: weak
        },
        kudus: {Metric.SUBMITTED: 40, Metric.ANSWERED: 20, Metric.ANSWERED_SLA: 20},
    }
    # Counts added as the fill adds them: the daily counts and the per-scope sums together
    delta: Counter = Counter()
    for agency, figures in flows.items():
        for m, v in figures.items():
            delta[(until, "33", "33.21", agency.pk, 0, "", "", m, 0)] += v
    delta[(None, "33", "33.21", demak.pk, 0, "", "", Metric.OPEN, 0)] += 10
    add_counts(delta)
    inside, _ = report_in(Status.COMPLETED, agency=demak, unit=dpu, title="Lampu jalan mati")
    Report.objects.filter(pk=inside.pk).update(rating=1)
    outside, _ = report_in(Status.COMPLETED, agency=kudus, title="Pasar Kudus becek")
    Report.objects.filter(pk=outside.pk).update(rating=1)
    return {"demak": demak, "dpu": dpu, "kudus": kudus, "inside": inside}


def test_an_agency_admin_sees_how_its_own_index_is_computed(world):
    client = sign_in(Client(), officer(world["demak"]))
    # The menu's "Kinerja" leads to the officer's own agency
    response = client.get(reverse("backoffice:performance_own"))
    assert response["Location"] == reverse("backoffice:performance", args=["pemkab-3321"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200 and len(queries) <= MAX_QUERIES, len(queries)
    assert len(response.content) < 60_000 and "<script" not in html
    # The components with the figures they come from: 8 of 20 answered in time
    assert "8 dari 20 laporan yang ditanggapi pertama kali" in html
    assert "Jumlah nilai 20 dari 10 penilaian" in html
    # 25·0.4 + 20·0.9 + 20·0.25 + 10·1 + 10·1 + 15·1 = 10 + 18 + 5 + 10 + 10 + 15 = 68
    found = re.search(r'id="skor">(\d+[,.]\d)<', html)
    assert found is not None and found.group(1) == "68,0"
    # The weak components link to the queues that hold their reports, and list the low ratings
    assert 'id="komponen-answered_sla" class="weak"' in html
    assert reverse("backoffice:queue", args=["terlambat"]) + "?sort=due" in html
    assert "Lampu jalan mati" in html and "Pasar Kudus becek" not in html
    # The trend and the place among peers (Kudus, 100, first of two)
    assert 'id="tren"' in html and "<svg" in html
    assert "Peringkat 2 dari 2" in html
    assert "Pemerintah Kabupaten Kudus" in html  # a peer's public score, by name


@pytest.mark.parametrize(
    "who, code, status",
    [
        ("demak_admin", "pemkab-3319", 404),  # another agency
        ("dpu_officer", "pemkab-3321", 404),  # a unit's officer: not the parent's index
        ("dpu_officer", "pemkab-3321-dpu", 200),  # its own unit
        ("demak_admin", "pemkab-3321-dpu", 200),  # a unit of its own subtree
        ("national", "pemkab-3319", 200),
        ("national", "tidak-ada", 404),
    ],
)
def test_only_the_subtree_is_reachable(world, who, code, status):
    user = {
        "demak_admin": lambda: officer(world["demak"]),
        "dpu_officer": lambda: officer(world["dpu"], "unit_officer"),
        "national": national_admin,
    }[who]()
    client = sign_in(Client(), user)
    response = client.get(reverse("backoffice:performance", args=[code]))
    assert response.status_code == status
    if status == 404:
        assert "Indeks kinerja" not in response.content.decode()


def test_visitors_are_sent_to_sign_in(world, client):
    response = client.get(reverse("backoffice:performance", args=["pemkab-3321"]))
    assert response.status_code == 302 and response["Location"].startswith("/kantor/masuk/")


def test_a_national_admin_gets_every_scored_agency(world):
    client = sign_in(Client(), national_admin())
    response = client.get(reverse("backoffice:performance_own"))
    html = response.content.decode()
    assert response.status_code == 200
    # Kudus 100 first, Demak 68 second, each leading to its detail
    assert html.index("Pemerintah Kabupaten Kudus") < html.index("Pemerintah Kabupaten Demak")
    assert reverse("backoffice:performance", args=["pemkab-3321"]) in html
