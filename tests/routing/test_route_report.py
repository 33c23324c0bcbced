"""Submit → background job → disposed (confident) or triaged with ranked suggestions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.jobs.runner import run_pending
from lapor.regions.models import Region
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import ReportEvent
from lapor.reports.sweep import run_sweep
from lapor.reports.tasks import ROUTE_STALE_AFTER, route_report
from tests.factories import submit

pytestmark = pytest.mark.usefixtures("country")


def _submit_and_run(**fields):  # type: ignore[no-untyped-def]
    # The routing job is queued by the submit itself (no on-commit step to wait for).
    report = submit(**fields).report
    run_pending()
    report.refresh_from_db()
    return report


def test_confident_report_is_disposed_with_its_reasons():
    # Given a citizen's report about a KTP in Kabupaten Demak
    report = _submit_and_run(
        title="KTP belum jadi",
        body="Sudah tiga bulan rekam KTP di Disdukcapil Kab. Demak tapi blm jadi juga.",
        region=Region.objects.get(code="33.21"),
    )
    # Then the background job disposed it to Disdukcapil Kabupaten Demak by itself
    assert report.status == Status.DISPOSED
    assert report.agency is not None and report.agency.code == "pemkab-3321-disdukcapil"
    event = ReportEvent.objects.get(report=report, action=Action.DISPOSE)
    assert event.actor_id is None
    assert event.data["routing"]["suggestions"][0]["agency"] == "pemkab-3321-disdukcapil"
    assert "kependudukan" in event.message


def test_unsure_report_waits_in_triage_with_ranked_suggestions():
    # Given a report that names no recognisable topic
    report = _submit_and_run(
        title="Mohon ditindaklanjuti",
        body="Mohon perhatiannya untuk masalah di lingkungan kami yang tak kunjung selesai.",
        region=Region.objects.get(code="33.21"),
    )
    # Then it waits for a national admin, who sees what the router suggests and why
    assert report.status == Status.TRIAGE and report.agency is None
    event = ReportEvent.objects.get(report=report, action=Action.TRIAGE)
    suggestions = event.data["routing"]["suggestions"]
    assert suggestions[0]["agency"] == "pemkab-3321"
    assert suggestions[0]["reasons"]
    assert "Saran perutean" in event.message


def test_routing_twice_changes_nothing():
    # Given a report already routed by the job
    report = _submit_and_run(
        title="Kartu BPJS tidak aktif",
        body="Kartu BPJS Kesehatan saya tidak aktif padahal iuran BPJS sudah dibayar.",
        region=Region.objects.get(code="33.74"),
    )
    assert report.status == Status.DISPOSED and report.agency.code == "bpjs-kesehatan"
    count = report.events.count()
    # When the job runs again (a retry)
    route_report.call(report.pk)
    # Then nothing more happens
    report.refresh_from_db()
    assert report.events.count() == count and report.agency.code == "bpjs-kesehatan"


def test_a_repeated_report_is_flagged_to_officers_with_the_open_original():
    # Given an open report about a broken road in Demak
    demak = Region.objects.get(code="33.21")
    body = "Jalan desa Karangrejo menuju Mranggen rusak parah dan berlubang dalam sejak Januari."
    first = _submit_and_run(title="Jalan desa rusak", body=body, region=demak)
    # When another citizen sends the same complaint with a greeting and a typo
    second = _submit_and_run(
        title="Jalan desa rusak",
        body="Selamat pagi pak. " + body.replace("parah", "prah"),
        region=demak,
    )
    # Then the routing event names the open original for the officer to merge
    event = second.events.filter(action__in=[Action.DISPOSE, Action.TRIAGE]).get()
    assert [d["tracking_id"] for d in event.data["duplicates"]] == [first.tracking_id]
    # And a report elsewhere in the country is not matched against it
    third = _submit_and_run(
        title="Jalan desa rusak",
        body=body,
        region=Region.objects.get(code="35.78"),
    )
    event = third.events.filter(action__in=[Action.DISPOSE, Action.TRIAGE]).get()
    assert "duplicates" not in event.data


def test_two_repeats_routed_at_the_same_time_find_each_other(monkeypatch):
    # Given the same complaint submitted twice, both waiting for their routing jobs
    demak = Region.objects.get(code="33.21")
    body = "Jalan desa Karangrejo menuju Mranggen rusak parah dan berlubang dalam sejak Januari."
    first = submit(title="Jalan desa rusak", body=body, region=demak).report
    second = submit(title="Jalan desa rusak", body="Selamat pagi. " + body, region=demak).report
    # When two workers run the jobs at once: the second job runs whole while the first one
    # is between its own steps, right after its lookup
    from lapor.routing import duplicates

    real = duplicates.find_duplicates
    interleaved = []

    def lookup_then_other_job(report, **kw):  # type: ignore[no-untyped-def]
        found = real(report, **kw)
        if report.pk == first.pk and not interleaved:
            interleaved.append(True)
            route_report.call(second.pk)
        return found

    monkeypatch.setattr(duplicates, "find_duplicates", lookup_then_other_job)
    route_report.call(first.pk)
    assert interleaved
    # Then the job that looked up last names the other as the open original
    flagged = ReportEvent.objects.filter(
        report__in=[first, second], action__in=[Action.DISPOSE, Action.TRIAGE]
    )
    assert flagged.count() == 2
    named = {e.report_id: [d["tracking_id"] for d in e.data.get("duplicates", [])] for e in flagged}
    assert named[second.pk] == [first.tracking_id]


def test_a_report_whose_routing_failed_is_routed_after_the_next_sweep():
    # Given a report about a KTP whose routing job failed (a lost database connection)
    report = submit(
        title="KTP belum jadi",
        body="Sudah tiga bulan rekam KTP di Disdukcapil Kab. Demak tapi blm jadi juga.",
        region=Region.objects.get(code="33.21"),
    ).report
    DBTaskResult.objects.filter(task_path=route_report.module_path).update(status="FAILED")
    assert run_pending() == 1  # only the "laporan diterima" message
    # When the sweep runs some minutes later, and the worker after it
    later = timezone.now() + ROUTE_STALE_AFTER + timedelta(minutes=1)
    assert run_sweep(now=later).routing_requeued == 1
    run_pending()
    # Then the report is disposed as it would have been
    report.refresh_from_db()
    assert report.status == Status.DISPOSED
    assert report.agency is not None and report.agency.code == "pemkab-3321-disdukcapil"
