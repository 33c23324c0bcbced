"""The citizen's "Cek laporan serupa" finds an open complaint about the same problem in the same
street even when it is worded quite differently; never a rahasia one, never another problem of
that street, never the same street name in another kabupaten/kota."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.reports.models import Report
from lapor.reports.selectors import similar_open_reports
from lapor.routing import minhash
from lapor.routing.duplicates import index_report, lookup, report_text
from tests.factories import RegencyFactory, submit
from tests.portal.test_submit import _similar_section

pytestmark = pytest.mark.django_db

FILED = (
    "Jalan Sultan Fatah rusak berat",
    "Aspal di Jalan Sultan Fatah depan SD sudah hancur, lubangnya dalam dan lebar, kalau hujan "
    "tergenang air. Sudah dua kali saya hampir jatuh dari motor.",
)
# Another citizen, the same street and the same broken road, in her own words.
TYPED = {
    "title": "Mohon perbaikan jl sultan fatah",
    "body": "Tolong pak, jalan sultan fatah berlubang banyak sekali, tiap malam ada pengendara "
    "terperosok. Sudah lama tidak ditambal.",
}


def _filed(title: str, body: str, **kw) -> Report:  # type: ignore[no-untyped-def]
    report = submit(title=title, body=body, **{"is_confidential": False, **kw}).report
    index_report(report)
    return report


def test_the_pair_is_worded_too_differently_for_duplicate_detection(regency):
    # the premise: the texts alone are no duplicates, so only the second pass can find it
    typed = report_text(TYPED["title"], TYPED["body"])
    assert not minhash.is_duplicate(report_text(*FILED), typed)
    _filed(*FILED)
    assert lookup(typed, region_code=regency.code) == []


def test_a_same_street_complaint_worded_differently_is_offered(client, regency):
    # given an open public report about the broken surface of Jalan Sultan Fatah in Demak
    filed = _filed(*FILED)
    # when a citizen of Demak types her own words about the same street's holes
    similar = _similar_section(client, regency, **TYPED)
    # then it is offered for "dukung", marked as the same street and problem, not "mirip N%"
    assert f"/laporan/{filed.tracking_id}/#dukung" in similar
    assert "jalan/desa dan masalah yang sama, kata-katanya lain" in similar
    assert "mirip" not in similar


def test_a_rahasia_same_street_complaint_is_never_offered(client, regency):
    # given the same-street complaint filed only as rahasia
    hidden = _filed(*FILED, is_confidential=True)
    # when a citizen types hers
    similar = _similar_section(client, regency, **TYPED)
    # then nothing of it is offered
    assert hidden.tracking_id not in similar and "Sultan Fatah rusak berat" not in similar
    assert "Belum ada laporan serupa" in similar
    found = similar_open_reports(region_code=regency.code, **TYPED)
    assert found == []


def test_another_problem_of_the_street_or_the_street_elsewhere_is_not_offered(regency):
    # given a street-light complaint of the same street, the same road complaint naming the
    # street in another kabupaten, an old one and a completed one
    _filed(
        "Lampu jalan Sultan Fatah mati",
        "Lampu penerangan di Jalan Sultan Fatah mati semua sejak sebulan, malam gelap gulita.",
    )
    _filed(*FILED, region=RegencyFactory(code="33.22", name="Kabupaten Semarang"))
    _filed(*FILED, at=timezone.now() - timedelta(days=90))
    done = _filed(*FILED)
    Report.objects.filter(pk=done.pk).update(status="completed")
    # when the citizen of Demak checks hers
    found = similar_open_reports(region_code=regency.code, **TYPED)
    # then none is offered
    assert found == []


def test_another_rt_of_the_street_is_another_place(regency):
    _filed(FILED[0], FILED[1].replace("depan SD", "RT 04 depan SD"))
    typed = {**TYPED, "body": TYPED["body"].replace("berlubang", "RT 07 berlubang")}
    assert similar_open_reports(region_code=regency.code, **typed) == []
    same_rt = {**TYPED, "body": TYPED["body"].replace("berlubang", "RT 4 berlubang")}
    assert len(similar_open_reports(region_code=regency.code, **same_rt)) == 1


def test_duplicates_come_first_then_the_same_street(regency):
    # given a near-verbatim repeat and a differently worded same-street report
    worded = _filed(*FILED)
    repeat = _filed(TYPED["title"], TYPED["body"] + " Terima kasih.")
    # then the repeat comes first (with its similarity), the other after it
    found = similar_open_reports(region_code=regency.code, **TYPED)
    assert [r.pk for r in found] == [repeat.pk, worded.pk]
    assert not found[0].same_street and found[0].similarity >= 0.9
    assert found[1].same_street
