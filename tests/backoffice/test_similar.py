"""The report page's similar reports: near-duplicates in the officer's reach, merged in a click."""

from __future__ import annotations

import re

import pytest

from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, Supporter
from lapor.routing.duplicates import index_report
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, RegencyFactory, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

TITLE = "Jembatan Tuntang retak parah"
BODY = (
    "Jembatan di Desa Tuntang retak memanjang di tengah dan bergoyang saat truk lewat. Warga "
    "takut jembatan ambruk. Mohon segera diperiksa dan diperbaiki."
)


@pytest.fixture
def kab():  # type: ignore[no-untyped-def]
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


def _open(agency, title=TITLE, body=BODY, **kw):  # type: ignore[no-untyped-def]
    report, _ = report_in(Status.DISPOSED, agency=agency, title=title, body=body, **kw)
    index_report(report)  # as the routing job indexes every new report
    return report


def _similar(client, report) -> str:  # type: ignore[no-untyped-def]
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    return html.split('id="similar"')[1].split("</section>")[0] if 'id="similar"' in html else ""


def _row(similar: str, report: Report) -> str:
    row = re.search(rf'<li id="similar-{report.tracking_id}">(.*?)</li>', similar, re.S)
    assert row is not None, f"{report.tracking_id} is not listed"
    return row[1]


def test_near_duplicates_in_reach_are_listed_with_their_similarity(client, kab):
    # given a report, the same complaint retyped (greeting, typo), the same complaint in
    # another kabupaten of the province, one outside the officer's reach, and an unrelated
    # report sharing title words
    report = _open(kab)
    twin = _open(
        kab, title="Jembatan Tuntang retak", body="Selamat pagi. " + BODY.replace("retak", "retk")
    )
    semarang = RegencyFactory(code="33.22", name="Kabupaten Semarang")
    neighbour = _open(kab, region=semarang)
    hidden = _open(AgencyFactory())
    unrelated = _open(
        kab,
        title="Jembatan Tuntang gelap",
        body="Lampu penerangan di atas jembatan mati sejak sebulan, pengendara kesulitan melihat.",
    )
    sign_in(client, officer(kab))
    # when the officer opens the report
    similar = _similar(client, report)
    # then the retyped copy comes first with its similarity, the neighbour after it
    assert similar.index(twin.tracking_id) < similar.index(neighbour.tracking_id)
    percent = re.search(r"mirip (\d+)%", similar)
    assert percent is not None and int(percent[1]) >= 70
    assert "kabupaten/kota lain" in _row(similar, neighbour)
    assert "kabupaten/kota lain" not in _row(similar, twin)
    # and nothing outside the officer's reach, nothing merely sharing words
    assert hidden.tracking_id not in similar and unrelated.tracking_id not in similar


def test_merge_from_the_similar_list_makes_the_reporter_a_supporter(client, kab):
    # given a report and its retyped copy, both open
    main = _open(kab)
    copy = _open(kab, body="Selamat siang pak. " + BODY)
    sign_in(client, officer(kab))
    similar = _similar(client, copy)
    # when the officer presses the merge button next to the original in the list
    form = re.search(
        r'<form method="post" action="([^"]+)"[^>]*>.*?name="version" value="([^"]+)".*?'
        r'name="into" value="([^"]+)"',
        similar,
    )
    assert form is not None and form[3] == main.tracking_id
    response = client.post(form[1], {"version": form[2], "into": form[3]})
    # then the copy is merged into the original, its reporter now supports the original
    assert response.status_code == 302
    copy.refresh_from_db()
    main.refresh_from_db()
    assert copy.status == Status.MERGED and copy.merged_into == main
    assert main.support_count == 1
    supporter = Supporter.objects.get(report=main)
    assert supporter.source_report == copy and supporter.contact_email == copy.contact_email
    assert main.events.filter(action=Action.SUPPORT).exists()
    # and the merged copy is no longer offered as a duplicate of the original
    assert copy.tracking_id not in _similar(client, main)
    assert Report.objects.filter(status=Status.MERGED).count() == 1


def test_no_merge_button_without_the_merge_action(client, kab):
    from lapor.agencies.models import Membership

    main = _open(kab)
    copy = _open(kab, body="Selamat siang pak. " + BODY)
    sign_in(client, officer(kab, role=Membership.Role.INSPECTOR))
    similar = _similar(client, copy)
    assert main.tracking_id in similar and 'name="into"' not in similar
