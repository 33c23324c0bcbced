"""A generated history of reports for the rollup tests, and the counts read straight from the
report tables (the "direct count" the rollups must equal)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

import time_machine
from django.utils import timezone

from lapor.analytics.facts import COMPLETION_DAYS, Key, Metric, hour_bucket, local_day
from lapor.analytics.models import CurrentCount, DailyCount
from lapor.reports import services
from lapor.reports.lifecycle import FINISHED, OPEN, Action
from lapor.reports.models import Report, ReportEvent
from lapor.reports.sweep import run_sweep
from tests.factories import (
    AgencyFactory,
    CategoryFactory,
    ProvinceFactory,
    RegencyFactory,
    national_admin,
    officer,
    submit,
)

ANSWER = "Petugas telah memperbaiki jalan yang rusak pada hari ini; mohon dicek kembali."
START = datetime(2026, 9, 1, 2, 0, tzinfo=timezone.get_fixed_timezone(0))


def world() -> dict:
    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    jatim = ProvinceFactory(code="35", name="Jawa Timur")
    regions = [
        RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng),
        RegencyFactory(code="33.74", name="Kota Semarang", parent=jateng, kind="kota"),
        RegencyFactory(code="35.78", name="Kota Surabaya", parent=jatim, kind="kota"),
    ]
    agencies = [AgencyFactory(code=f"pemda-{n}", name=f"Pemda {n}") for n in range(2)]
    categories = [CategoryFactory(code=f"kat-{n}", name=f"Kategori {n}") for n in range(3)]
    return {
        "regions": regions,
        "agencies": agencies,
        "categories": categories,
        "admin": national_admin(),
        "officers": {a.pk: officer(a) for a in agencies},
    }


def generate(w: dict, count: int, seed: int = 1) -> list[Report]:
    """``count`` reports over about three weeks, each taken a random way through its life."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        at = START + timedelta(hours=rng.randint(0, 24 * 20), minutes=n)
        with time_machine.travel(at, tick=False):
            sub = submit(
                region=rng.choice(w["regions"]),
                category=rng.choice(w["categories"]),
                type=rng.choice(["pengaduan", "aspirasi", "informasi"]),
                channel=rng.choice(["web", "sms", "app"]),
                is_confidential=rng.random() < 0.3,
                at=at,
            )
        _live(w, sub.report, sub.secret, at, rng)
        made.append(sub.report)
    return made


def _live(w: dict, report: Report, secret: str, at: datetime, rng: random.Random) -> None:
    admin = w["admin"]
    steps = rng.randint(0, 6)
    moment = at

    def later(hours: int) -> time_machine.travel:
        nonlocal moment
        moment = moment + timedelta(hours=hours)
        return time_machine.travel(moment, tick=False)

    if steps == 0:
        return
    agency = rng.choice(w["agencies"])
    with later(rng.randint(1, 60)):
        services.report_dispose(report=report, to_agency=agency, actor=admin)
    if rng.random() < 0.2:
        with later(rng.randint(1, 30)):
            services.report_change_category(
                report=report, actor=admin, category=rng.choice(w["categories"])
            )
    if rng.random() < 0.2:
        with later(rng.randint(1, 30)):
            services.report_not_authority(
                report=report,
                actor=w["officers"][agency.pk],
                reason="Urusan ini bukan kewenangan instansi kami.",
            )
        agency = rng.choice(w["agencies"])
        with later(rng.randint(1, 30)):
            services.report_dispose(report=report, to_agency=agency, actor=admin)
    if rng.random() < 0.3:
        with later(24 * rng.randint(6, 12)):
            run_sweep(now=moment, requeue=False)
        report.refresh_from_db()
    if steps == 1:
        return
    with later(rng.randint(1, 200)):
        services.report_follow_up(report=report, actor=w["officers"][agency.pk], message=ANSWER)
    if rng.random() < 0.15 and not report.is_confidential:
        with later(2):
            services.report_set_privacy(
                report=report,
                actor=admin,
                is_anonymous=True,
                is_confidential=True,
                reason="Laporan menyebut nama orang.",
            )
    if steps == 2:
        return
    with later(rng.randint(1, 100)):
        services.report_complete(report=report, actor=w["officers"][agency.pk])
    if steps == 3:
        return
    rating = rng.randint(1, 5)
    with later(5):
        services.report_rate(report=report, rating=rating, secret=secret)
    if rating <= 2 and steps >= 5:
        with later(5):
            services.report_reopen(
                report=report, reason="Jalan masih rusak, belum diperbaiki.", secret=secret
            )


def direct_counts() -> Counter[Key]:
    """The counts straight from the report and event tables, by another path than the fill."""
    out: Counter[Key] = Counter()
    events: dict[int, list[ReportEvent]] = {}
    for e in ReportEvent.objects.order_by("report_id", "seq"):
        events.setdefault(e.report_id, []).append(e)
    for r in Report.objects.all():
        if r.is_confidential:
            dims: tuple = ("", "", 0, 0, "", "")
        else:
            code = r.region_id
            dims = (code[:2], code[:5], r.agency_id or 0, r.category_id or 0, r.type, r.channel)

        def add(day, metric, value=1, bucket=0, dims=dims):  # type: ignore[no-untyped-def]
            out[(day, *dims, metric, bucket)] += value

        trail = events[r.pk]
        day = local_day(r.submitted_at)
        add(day, Metric.SUBMITTED)
        if r.reopen_count:
            add(day, Metric.REOPENED)
        if any(e.action in (Action.NOT_AUTHORITY, Action.FORWARD) for e in trail):
            add(day, Metric.NOT_AUTHORITY)
        answers = [e for e in trail if e.action == Action.FOLLOW_UP]
        if answers:
            first = answers[0]
            add(local_day(first.created_at), Metric.ANSWERED)
            late = any(e.action == Action.MARK_OVERDUE and e.seq < first.seq for e in trail)
            if not late:
                add(local_day(first.created_at), Metric.ANSWERED_SLA)
            bucket = hour_bucket(r.submitted_at, first.created_at)
            add(local_day(first.created_at), Metric.ANSWER_HOURS, bucket=bucket)
        finished = [e for e in trail if e.to_status in FINISHED]
        if finished:
            end = finished[0].created_at
            add(local_day(end), Metric.FINISHED)
            if end - r.submitted_at <= timedelta(days=COMPLETION_DAYS):
                add(local_day(end), Metric.FINISHED_SLA)
            add(local_day(end), Metric.FINISH_HOURS, bucket=hour_bucket(r.submitted_at, end))
        if r.rating is not None:
            assert r.rated_at is not None
            add(local_day(r.rated_at), Metric.RATED)
            add(local_day(r.rated_at), Metric.RATING_SUM, r.rating)
        add(None, Metric.ALL)
        if r.status in OPEN:
            add(None, Metric.OPEN)
            if r.overdue_since is not None:
                add(None, Metric.OVERDUE)
        elif r.status in FINISHED:
            add(None, Metric.DONE)
    return +out


def rollup_counts() -> Counter[Key]:
    out: Counter[Key] = Counter()
    fields = ["province", "kabkota", "agency", "category", "type", "channel", "metric", "bucket"]
    for row in DailyCount.objects.values_list("day", *fields, "value"):
        out[row[:-1]] += row[-1]
    for row in CurrentCount.objects.values_list(*fields, "value"):
        out[(None, *row[:-1])] += row[-1]
    return +out
