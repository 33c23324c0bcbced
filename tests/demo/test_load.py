"""``lapor demo load``: realistic reports in every status, made through the services."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lapor.demo.accounts import DEMO_PASSWORD, NATIONAL_ADMIN
from lapor.demo.loader import load_demo
from lapor.notifications.models import Notification
from lapor.reports.audit import verify
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, ReportEvent, Supporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo_world):  # type: ignore[no-untyped-def]
    return load_demo(count=80, seed=7)


def test_demo_covers_every_status_without_a_failed_step(loaded) -> None:
    # given a small reference world, when 80 demo reports are loaded
    statuses = set(Report.objects.values_list("status", flat=True))
    # then a visitor finds reports in every lifecycle status, and no planned step failed
    assert statuses == set(Status.values)
    assert loaded.reports == 80
    assert not [f for f in loaded.failures if not f.startswith("skipped")]


def test_every_demo_chain_is_intact(loaded) -> None:
    # when the audit trail of the demo data is verified (lapor audit verify)
    result = verify()
    # then every report chain and every day chain is intact
    assert result.ok, result.problems[:3]
    assert ReportEvent.objects.count() == loaded.events > 80


def test_demo_history_is_backdated_and_lived_in(loaded) -> None:
    now = timezone.now()
    reports = Report.objects.all()
    # then reports arrived over weeks, not all at load time
    assert reports.filter(submitted_at__lt=now - timedelta(days=30)).exists()
    assert reports.filter(submitted_at__gt=now - timedelta(days=7)).exists()
    # the sweep ran in the simulated past: overdue marks and automatic closes are in history
    events = ReportEvent.objects.all()
    for action in (
        Action.MARK_OVERDUE,
        Action.AUTO_CLOSE,
        Action.REOPEN,
        Action.MERGE,
        Action.REPORTER_REPLY,
        Action.NOT_AUTHORITY,
        Action.FORWARD,
        Action.HOLD,
    ):
        assert events.filter(action=action).exists(), action
    # poor and good ratings, guests and account holders, every privacy mix
    assert reports.filter(rating__lte=2).exists() and reports.filter(rating__gte=4).exists()
    assert reports.filter(reporter__isnull=True).exists()
    assert reports.filter(reporter__isnull=False).exists()
    mixes = set(reports.values_list("is_anonymous", "is_confidential"))
    assert len(mixes) == 4
    assert len(set(reports.values_list("channel", flat=True))) >= 3
    # merged duplicates joined their master as supporters
    merged = reports.filter(status=Status.MERGED).first()
    assert merged is not None and merged.merged_into is not None
    assert Supporter.objects.filter(source_report=merged, report=merged.merged_into).exists()
    # the history's notifications count as delivered; none waits to flood the outbox
    assert not Notification.objects.filter(status=Notification.Status.PENDING).exists()


def test_a_second_load_does_nothing(loaded) -> None:
    # given the demo data is loaded, when `lapor demo load` runs again
    out = StringIO()
    call_command("demo_load", "--count", "30", stdout=out)
    # then nothing is added and the operator is told so
    assert Report.objects.count() == 80
    assert "sudah ada" in out.getvalue()


def test_force_loads_again(loaded) -> None:
    out = StringIO()
    call_command("demo_load", "--count", "30", "--force", "--seed", "8", stdout=out)
    assert Report.objects.count() == 110
    assert DEMO_PASSWORD in out.getvalue()


def test_demo_officers_can_log_in(loaded, client) -> None:  # type: ignore[no-untyped-def]
    # then the documented demo logins work
    assert client.login(username=NATIONAL_ADMIN, password=DEMO_PASSWORD)
    assert client.login(username="warga.budi", password=DEMO_PASSWORD)


def test_demo_reports_are_indexed_for_duplicate_lookup(loaded) -> None:
    from lapor.reports.lifecycle import OPEN
    from lapor.reports.privacy import public_reports
    from lapor.routing.duplicates import lookup, report_text
    from lapor.routing.models import DuplicateSignature

    # every demo report has its signature, as the routing job would have stored it
    assert DuplicateSignature.objects.count() == Report.objects.count()
    # and a citizen retyping a recent open public demo report is offered it for "dukung"
    recent = timezone.now() - timedelta(days=30)
    report = (
        public_reports()
        .filter(status__in=OPEN, region__isnull=False, submitted_at__gte=recent)
        .first()
    )
    assert report is not None
    typed = "Selamat pagi. " + report_text(report.title, report.body)
    found = lookup(typed, region_code=report.region_id, within=public_reports(), limit=50)
    assert report.pk in [m.report_id for m in found]


def test_the_rest_of_the_demo_loads_in_batches_and_resumes(demo_world) -> None:  # type: ignore[no-untyped-def]
    from lapor.demo.loader import demo_requested, load_demo_rest
    from lapor.demo.models import DemoLoad

    # given the first batch `lapor demo` loads before it serves the site
    load_demo(count=20, seed=5)
    # when the background loader tops it up to 70 in batches of 25
    lines: list[str] = []
    assert load_demo_rest(count=70, seed=5, batch=25, say=lines.append) == 2
    # then each batch was its own load with its own seed, and progress was told
    assert demo_requested() == 70
    assert sorted(DemoLoad.objects.values_list("seed", flat=True)) == [5, 6, 7]
    assert lines[-1].startswith("70/70")
    assert Report.objects.count() >= 65  # a merge attempt may come out short
    # and no stale message from the history waits for the worker
    assert not Notification.objects.filter(status=Notification.Status.PENDING).exists()
    # and a loader started again (after Ctrl-C, or a second `lapor demo`) has nothing to do
    assert load_demo_rest(count=70, seed=5, batch=25) == 0
