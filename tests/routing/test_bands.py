"""The band table keeps the rows of open reports only: closed reports' rows are pruned (and no
longer crowd a key's newest rows), a reopened report is offered again, signatures all stay."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lapor.reports import services
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from lapor.routing import duplicates
from lapor.routing.bands import prune_bands, restore_missing_bands
from lapor.routing.duplicates import WINDOW, index_report, lookup
from lapor.routing.models import DuplicateBand, DuplicateSignature
from lapor.routing.tasks import prune_duplicate_bands
from tests.factories import AgencyFactory, RegencyFactory, national_admin, officer, submit

pytestmark = pytest.mark.django_db

TITLE = "Jalan desa rusak parah"
BODY = (
    "Jalan penghubung desa kami menuju pasar rusak parah, berlubang sedalam lutut sejak musim "
    "hujan. Sudah tiga kali ada pengendara motor jatuh. Mohon segera diperbaiki."
)
TEXT = duplicates.report_text(TITLE, BODY)
RETYPED = duplicates.report_text(TITLE, "Selamat pagi. " + BODY.replace("parah", "prah"))
ANSWER = "Lubang sudah ditambal oleh Dinas PUPR pada hari Senin; mohon dicek kembali."


def _indexed(
    *, days_ago: float = 1, status: str | None = None, body: str = BODY, **fields: object
) -> Report:
    """A report submitted ``days_ago`` and indexed while open (as the routing job does), then
    put in ``status`` (with ``fields``) directly."""
    report = submit(
        title=TITLE, body=body, region=RegencyFactory(), at=timezone.now() - timedelta(days_ago)
    ).report
    index_report(report)
    if status is not None:
        Report.objects.filter(pk=report.pk).update(status=status, **fields)
    return report


def _bands(report: Report) -> int:
    return DuplicateBand.objects.filter(report=report).count()


def _found(text: str = TEXT, **kw) -> list[int]:  # type: ignore[no-untyped-def]
    return [m.report_id for m in lookup(text, region_code="33.21", limit=20, **kw)]


def test_prune_removes_rows_of_reports_no_longer_open_and_keeps_open_ones_and_signatures():
    # Given open reports, recent and older than the window, and reports closed in every way
    recent = _indexed(days_ago=1)
    old_open = _indexed(days_ago=100)
    ended = [
        _indexed(days_ago=2, status=Status.COMPLETED),
        _indexed(days_ago=3, status=Status.CLOSED),
        _indexed(days_ago=4, status=Status.MERGED, merged_into=recent),
        _indexed(days_ago=5, status=Status.ARCHIVED),
        _indexed(days_ago=120, status=Status.COMPLETED),
    ]
    assert all(_bands(r) > 0 for r in [recent, old_open, *ended])
    expected = sum(_bands(r) for r in ended)
    # When the bands are pruned, two reports per DELETE
    removed = prune_bands(batch=2)
    # Then every row of the ended reports is gone, and only those
    assert removed == expected
    assert [_bands(r) for r in ended] == [0] * 5
    assert _bands(recent) == _bands(old_open) > 0
    # And every report keeps its signature
    assert DuplicateSignature.objects.count() == 7
    # And the open duplicate is still found by the citizen's lookup
    assert _found(RETYPED) == [recent.pk]


def test_an_old_open_report_stays_findable_from_an_open_report_of_its_time():
    # Given two open reports of the same complaint, both submitted long before the window
    first = _indexed(days_ago=110)
    second = _indexed(days_ago=100)
    prune_bands()
    # Then the back office list of one (60 days before it on) still offers the other
    since = second.submitted_at - WINDOW
    assert _found(since=since, exclude=[second.pk]) == [first.pk]
    # While the citizen's form (the last 60 days) offers neither
    assert _found() == []


def test_closed_reports_no_longer_push_an_open_duplicate_out_of_the_candidates(monkeypatch):
    # Given a key reads only 3 newest rows and 3 candidates are kept
    monkeypatch.setattr(duplicates, "PER_KEY", 3)
    monkeypatch.setattr(duplicates, "CANDIDATES", 3)
    # And an open report of the complaint, then four closed copies of it filed after it
    # (retyped with a consonant typo: a vowel typo keeps the consonant skeleton minhash signs,
    # and with it every band)
    still_open = _indexed(
        days_ago=10, body="Selamat pagi. " + BODY.replace("berlubang", "berlubamg")
    )
    for days in (4, 3, 2, 1):
        _indexed(days_ago=days, status=Status.COMPLETED)
    # Then before pruning the closed copies fill every key's newest rows: nothing is offered
    assert _found() == []
    # And after pruning the open report is offered
    prune_bands()
    assert _found() == [still_open.pk]


@pytest.fixture
def answered():  # type: ignore[no-untyped-def]
    """An answered, completed report rated 2 (so it may be appealed), and its secret."""
    agency = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    sub = submit(title=TITLE, body=BODY, region=RegencyFactory())
    report = sub.report
    index_report(report)
    agency_admin = officer(agency)
    services.report_dispose(report=report, to_agency=agency, actor=national_admin())
    services.report_follow_up(report=report, actor=agency_admin, message=ANSWER)
    services.report_complete(report=report, actor=agency_admin)
    services.report_rate(report=report, rating=2, secret=sub.secret)
    return report, sub.secret


def _appeal(report: Report, secret: str, capture) -> None:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        services.report_reopen(
            report=report, reason="Jalan masih berlubang, belum diperbaiki.", secret=secret
        )


def test_a_reopened_report_is_offered_again(answered, django_capture_on_commit_callbacks):
    report, secret = answered
    # Given the completed report's rows were pruned
    prune_bands()
    assert _bands(report) == 0 and _found() == []
    # When the reporter appeals and the report opens again
    _appeal(report, secret, django_capture_on_commit_callbacks)
    # Then its rows are back (from the stored signature) and it is offered again
    assert report.status == Status.DISPOSED
    assert _bands(report) > 0
    assert _found(RETYPED) == [report.pk]


def test_a_reopened_report_without_a_current_signature_is_indexed_afresh(
    answered, django_capture_on_commit_callbacks
):
    report, secret = answered
    prune_bands()
    DuplicateSignature.objects.filter(report=report).update(scheme=duplicates.SCHEME - 1)
    _appeal(report, secret, django_capture_on_commit_callbacks)
    assert DuplicateSignature.objects.get(report=report).scheme == duplicates.SCHEME
    assert _found(RETYPED) == [report.pk]


def test_an_open_report_that_lost_its_rows_is_banded_again_by_the_periodic_job():
    # Given an open report whose rows are missing (a reopen whose on-commit step was lost)
    report = _indexed()
    count = _bands(report)
    DuplicateBand.objects.filter(report=report).delete()
    closed = _indexed(status=Status.COMPLETED)
    # When the periodic job runs
    result = prune_duplicate_bands.call()
    # Then the closed report's rows went and the open report's came back
    assert result == {"removed": count, "restored": 1}
    assert _bands(report) == count and _bands(closed) == 0
    # And a second run has nothing left to do
    assert prune_duplicate_bands.call() == {"removed": 0, "restored": 0}
    assert restore_missing_bands() == 0


def test_the_prune_command_prints_how_many_rows_it_removed_and_a_second_run_removes_none():
    kept = _indexed()
    closed = [_indexed(status=Status.COMPLETED) for _ in range(3)]
    expected = sum(_bands(r) for r in closed)
    out = StringIO()
    call_command("duplicates_prune", "--batch", "2", stdout=out)
    assert f"Dihapus {expected} baris pita; 0 laporan terbuka dipasang kembali" in out.getvalue()
    before = _bands(kept)
    out = StringIO()
    call_command("duplicates_prune", stdout=out)
    assert "Dihapus 0 baris pita; 0 laporan terbuka dipasang kembali" in out.getvalue()
    assert _bands(kept) == before > 0
    assert DuplicateSignature.objects.count() == 4


def test_indexing_stores_rows_for_open_reports_only():
    # Given a completed report indexed again (as after a change of the MinHash scheme)
    done = _indexed(status=Status.COMPLETED)
    still_open = _indexed()
    call_command("duplicates_index", "--again", stdout=StringIO())
    # Then both have a signature, and only the open one has band rows
    assert DuplicateSignature.objects.filter(report__in=[done, still_open]).count() == 2
    assert _bands(done) == 0 and _bands(still_open) > 0
