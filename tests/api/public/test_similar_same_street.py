"""The API's similar reports say why each was offered: a near repeat carries its text
similarity, a same-street report worded otherwise carries ``same_street`` (its similarity is low
and means nothing), and a rahasia one is never offered either way."""

from __future__ import annotations

from collections.abc import Callable

from lapor.reports.models import Report
from lapor.routing.duplicates import index_report
from tests.portal.test_similar_same_street import FILED, TYPED

URL = "/api/v1/reports/similar/"


def _filed(public_report: Callable[..., Report], title: str, body: str, **kw: object) -> Report:
    report = public_report(title=title, body=body, **kw)
    index_report(report)  # the routing job's work
    return report


def test_a_same_street_report_is_flagged_and_a_near_repeat_is_not(api, public_report):
    # given a differently worded same-street report and a near-verbatim repeat of the text typed
    worded = _filed(public_report, *FILED)
    repeat = _filed(public_report, TYPED["title"], TYPED["body"] + " Terima kasih.")
    query = {"region": worded.region_id, "title": TYPED["title"], "text": TYPED["body"]}

    # when an app asks for similar reports (GET and POST)
    got = api.get(URL, query)
    posted = api.post(URL, query)

    # then the repeat comes first with its similarity, the other flagged as the same street
    assert got.status_code == posted.status_code == 200, got.json()
    assert got.json() == posted.json()
    rows = {r["tracking_id"]: r for r in got.json()}
    assert list(rows) == [repeat.tracking_id, worded.tracking_id]
    assert rows[repeat.tracking_id]["same_street"] is False
    assert rows[repeat.tracking_id]["similarity"] >= 0.9
    assert rows[worded.tracking_id]["same_street"] is True
    assert rows[worded.tracking_id]["same_kabkota"] is True


def test_a_rahasia_same_street_report_is_never_offered(api, public_report):
    hidden = _filed(public_report, *FILED, is_confidential=True)
    query = {"region": hidden.region_id, "title": TYPED["title"], "text": TYPED["body"]}

    response = api.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.json() == []
    assert hidden.tracking_id not in response.content.decode()


def test_the_document_lists_the_flag(api, db):
    document = api.get("/api/v1/openapi.json").json()
    shape = document["components"]["schemas"]["SimilarReport"]
    assert shape["properties"]["same_street"]["type"] == "boolean"
    assert "same_street" in shape["required"]
