"""A partner that was down catches up with ``/changes``: every event of the reports in its
agencies after its cursor, each exactly once across pages, a ``next_cursor`` even on an empty
page, and nothing of who an anonim reporter is, nor other desks' internal events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.reports import services
from lapor.reports.lifecycle import Status
from lapor.reports.models import ReportEvent
from tests.factories import officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

CHANGES = "/api/v1/partner/changes"


def _all(partner_api, cursor: str, limit: int = 2) -> tuple[list[dict], str]:  # type: ignore[no-untyped-def]
    seen: list[dict] = []
    while True:
        answer = partner_api.get(CHANGES, {"cursor": cursor, "limit": limit}).json()
        seen += answer["results"]
        if not answer["results"]:
            return seen, answer["next_cursor"]
        cursor = answer["next_cursor"]


def test_every_event_after_the_cursor_comes_exactly_once_across_pages(partner_api, kab):
    # given a cursor taken now (an empty page still gives one)
    start = partner_api.get(CHANGES).json()
    assert start["results"] == [] and start["next_cursor"]
    # when five reports are disposed to the partner's agency and one is answered
    reports = [report_in(Status.DISPOSED, agency=kab)[0] for _ in range(5)]
    desk = officer(kab)
    services.report_follow_up(
        report=reports[0], actor=desk, message="Sudah kami perbaiki, terima kasih atas laporannya."
    )
    # then following next_cursor two at a time gives every one of their events once, in order
    seen, end = _all(partner_api, start["next_cursor"])
    expected = list(
        ReportEvent.objects.filter(report__in=reports).order_by("pk").values_list("pk", flat=True)
    )
    assert [(e["tracking_id"], e["version"]) for e in seen] == [
        (ev.report.tracking_id, ev.seq)
        for ev in ReportEvent.objects.filter(pk__in=expected)
        .select_related("report")
        .order_by("pk")
    ]
    assert seen[-1]["action"] == "follow_up"
    # and the last cursor gives nothing more, until something happens
    assert partner_api.get(CHANGES, {"cursor": end}).json()["results"] == []


def test_other_agencies_reports_and_other_desks_notes_are_left_out(partner_api, kab, other_agency):
    start = partner_api.get(CHANGES).json()["next_cursor"]
    elsewhere, _ = report_in(Status.DISPOSED, agency=other_agency)
    mine, _ = report_in(Status.DISPOSED, agency=kab)
    services.report_add_note(
        report=mine, actor=officer(kab), note="Catatan internal petugas kabupaten."
    )
    seen, _end = _all(partner_api, start, limit=100)
    assert elsewhere.tracking_id not in {e["tracking_id"] for e in seen}
    assert "note" not in {e["action"] for e in seen}


def test_changes_never_show_who_an_anonim_reporter_is(partner_api, kab):
    start = partner_api.get(CHANGES).json()["next_cursor"]
    report_in(Status.DISPOSED, agency=kab, is_anonymous=True)
    seen, _ = _all(partner_api, start, limit=100)
    text = str(seen)
    assert seen and "Siti" not in text and "siti@contoh.id" not in text
    assert all("actor" not in e and "data" not in e for e in seen)


def test_since_starts_the_first_call_at_a_time(partner_api, kab):
    report, _ = report_in(Status.DISPOSED, agency=kab)
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    answer = partner_api.get(CHANGES, {"since": since, "limit": 100}).json()
    assert report.tracking_id in {e["tracking_id"] for e in answer["results"]}
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    assert partner_api.get(CHANGES, {"since": later}).json()["results"] == []


def test_a_bad_cursor_is_answered_in_the_error_shape(partner_api):
    response = partner_api.get(CHANGES, {"cursor": "nonsense!"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"
