"""The day's striped chains and their seal: writers spread over stripes, a finished day is
sealed, and tampering with a stripe or a seal is named by ``lapor audit verify``."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from lapor.reports import services
from lapor.reports.audit import Kind, verify
from lapor.reports.events import STRIPES, chain_hash, seal_days, seal_hash, stripe_of
from lapor.reports.lifecycle import Action
from lapor.reports.models import AuditDayHead, AuditStripeHead, Report, ReportEvent
from tests.factories import national_admin, submit

# Each service call its own transaction, as in production: events spread over stripes.
pytestmark = pytest.mark.django_db(transaction=True)
TOMORROW = timezone.now().astimezone(UTC) + timedelta(days=1)


def _sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def reports() -> list[Report]:
    return [submit(contact_email=f"warga{i}@contoh.id").report for i in range(6)]


def _seal_today() -> AuditDayHead:
    assert (
        seal_days(
            now=datetime.combine(TOMORROW.date(), datetime.min.time(), UTC) + timedelta(hours=2)
        )
        >= 1
    )
    return AuditDayHead.objects.get(day=timezone.now().astimezone(UTC).date())


def test_each_reports_events_go_to_its_stripe_and_verify(reports):
    # Given six reports submitted, each in its own transaction
    # Then each report's events are in the stripe its id picks, several stripes are in use, and
    # each stripe counts 1..n on its own
    for report in reports:
        stripes = set(ReportEvent.objects.filter(report=report).values_list("stripe", flat=True))
        assert stripes == {stripe_of(report.pk)}
    used = set(AuditStripeHead.objects.values_list("stripe", flat=True))
    assert len(used) > 1 and max(used) < STRIPES
    for head in AuditStripeHead.objects.all():
        seqs = ReportEvent.objects.filter(day=head.day, stripe=head.stripe)
        assert sorted(seqs.values_list("day_seq", flat=True)) == list(range(1, head.count + 1))
    assert verify().ok


def test_a_transaction_on_two_reports_chains_into_one_stripe(reports):
    # Given two reports in triage whose ids pick different stripes
    duplicate, target = reports[0], reports[1]
    assert stripe_of(duplicate.pk) != stripe_of(target.pk)
    for r in (duplicate, target):
        services.report_send_to_triage(report=r)
    # When one is merged into the other (one transaction, an event on each)
    services.report_merge(report=duplicate, into=target, actor=national_admin())
    # Then both events went to one stripe (one stripe head locked by the transaction)
    merge = ReportEvent.objects.get(report=duplicate, action=Action.MERGE)
    support = ReportEvent.objects.get(report=target, action=Action.SUPPORT)
    assert merge.stripe == support.stripe == stripe_of(min(duplicate.pk, target.pk))
    assert verify().ok


def test_a_finished_day_is_sealed_once_and_verifies(reports):
    # Given today's events, when the seal runs while the day is still going, nothing is sealed
    assert seal_days() == 0
    # When it runs after the day ended (and the grace period passed)
    seal = _seal_today()
    # Then the seal names every stripe's head, counts every event, and hashes them together
    heads = {str(h.stripe): [h.count, h.last_hash] for h in AuditStripeHead.objects.all()}
    assert seal.stripes == heads and seal.count == ReportEvent.objects.count()
    assert seal.last_hash == seal_hash(seal.day, heads)
    # and a second run seals nothing again; the trail verifies
    assert seal_days(now=TOMORROW + timedelta(hours=2)) == 0
    assert verify().ok


def test_a_whole_stripe_removed_after_the_seal_is_named(reports):
    # Given a sealed day, then one stripe removed entirely: its events and its head
    seal = _seal_today()
    stripe = stripe_of(reports[0].pk)
    _sql("DELETE FROM reports_reportevent WHERE day = %s AND stripe = %s", seal.day, stripe)
    _sql("DELETE FROM reports_auditstripehead WHERE day = %s AND stripe = %s", seal.day, stripe)
    # When the day is verified
    problems = verify(day=seal.day).problems
    # Then the seal names the missing stripe
    assert [(p.chain, p.key, p.position, p.kind) for p in problems] == [
        ("seal", seal.day.isoformat(), stripe, Kind.MISSING)
    ]
    assert str(problems[0]).startswith(f"seal {seal.day.isoformat()} stripe {stripe}: missing")


def test_a_stripe_shortened_consistently_after_the_seal_is_named(reports):
    # Given a sealed day, then a stripe's newest event removed and its head rewritten to match
    seal = _seal_today()
    stripe = stripe_of(reports[-1].pk)
    events = ReportEvent.objects.filter(day=seal.day, stripe=stripe).order_by("day_seq")
    last = events.last()
    assert last is not None
    before = events.filter(day_seq=last.day_seq - 1).first()
    _sql("DELETE FROM reports_reportevent WHERE id = %s", last.pk)
    _sql(
        "UPDATE reports_auditstripehead SET count = %s, last_hash = %s "
        "WHERE day = %s AND stripe = %s",
        last.day_seq - 1, before.day_hash if before else "", seal.day, stripe,
    )  # fmt: skip
    # When the day is verified
    problems = verify(day=seal.day).problems
    # Then the stripe is named where the seal says its chain went on
    (problem,) = problems
    assert (problem.chain, problem.key, problem.position, problem.kind) == (
        "day", f"{seal.day.isoformat()} stripe {stripe}", last.day_seq, Kind.MISSING,
    )  # fmt: skip
    assert "seal counts" in problem.detail


def test_a_stripe_rewritten_after_the_seal_breaks_at_the_sealed_link(reports):
    # Given a sealed day, then a stripe's last event's day hash and head rewritten consistently
    seal = _seal_today()
    stripe = stripe_of(reports[2].pk)
    last = ReportEvent.objects.filter(day=seal.day, stripe=stripe).order_by("day_seq").last()
    assert last is not None
    forged = chain_hash("f" * 64, last.hash.encode())
    _sql("UPDATE reports_reportevent SET day_hash = %s WHERE id = %s", forged, last.pk)
    _sql(
        "UPDATE reports_auditstripehead SET last_hash = %s WHERE day = %s AND stripe = %s",
        forged, seal.day, stripe,
    )  # fmt: skip
    # When verified, then the stripe's rewritten link is named
    (problem,) = verify(day=seal.day).problems
    assert (problem.key, problem.position) == (
        f"{seal.day.isoformat()} stripe {stripe}",
        last.day_seq,
    )


def test_an_edited_seal_is_named(reports):
    # Given a sealed day whose seal was edited to hide a stripe
    seal = _seal_today()
    stripes = dict(seal.stripes)
    stripes.pop(str(stripe_of(reports[0].pk)))
    AuditDayHead.objects.filter(day=seal.day).update(stripes=stripes)
    # When verified, then the seal's own hash gives it away, and the hidden stripe too
    problems = verify(day=seal.day).problems
    kinds = {(p.chain, p.kind) for p in problems}
    assert ("seal", Kind.EDITED) in kinds and ("seal", Kind.INSERTED) in kinds


def test_the_migration_turns_each_day_head_into_stripe_zero():
    # Given a day head as written before the day was striped
    migration = importlib.import_module("lapor.reports.migrations.0009_striped_day_chains")
    day = datetime(2025, 3, 17, tzinfo=UTC).date()
    AuditDayHead.objects.create(day=day, count=42, last_hash="a" * 64)
    # When the data step of the migration runs
    migration.heads_to_stripes(apps, None)
    # Then its chain is stripe 0 of that day, and the day waits for its seal
    head = AuditStripeHead.objects.get(day=day)
    assert (head.stripe, head.count, head.last_hash) == (0, 42, "a" * 64)
    assert not AuditDayHead.objects.filter(day=day).exists()


def test_the_hourly_job_seals_finished_days(reports, monkeypatch):
    # Given today's events, and a clock moved past the end of the day and its grace period
    from lapor.reports import events, sweep

    later = datetime.combine(TOMORROW.date(), datetime.min.time(), UTC) + timedelta(hours=2)
    monkeypatch.setattr(events.timezone, "now", lambda: later)
    # When the periodic job runs, then it seals the day and the trail verifies
    assert sweep.audit_seal.call() == 1
    assert AuditDayHead.objects.filter(sealed_at=later).count() == 1
    assert verify().ok
