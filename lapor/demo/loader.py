"""``load_demo``: thousands of realistic reports, every one made through the report services.

Each report gets a scenario (``plans.SCENARIOS``) that ends in one lifecycle status; all steps
of all reports run in time order with the clock moved to each step's moment (``time_machine``),
and the SLA sweep runs once a simulated day, so histories, day chains, overdue marks and
automatic closes look as they would have on a live platform. The whole load is one
transaction: it lands completely or not at all.

Background jobs enqueued during the load (routing, notification delivery) are discarded, and
the notifications the history wrote are marked sent at the moment they were written, as a live
worker would have done: thousands of stale e-mails must not go out when the demo starts.

``lapor demo`` loads a first batch before it serves the site, then the rest in batches
(``load_demo_rest``) beside the running site: each batch is its own transaction, short enough
that the site's own writes wait for it only a few seconds on SQLite.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import time_machine
from django.db import transaction
from django.db.models import F, Max, Sum
from django.test import override_settings
from django.utils import timezone

from lapor.core.errors import LaporError
from lapor.demo import places, plans
from lapor.demo.accounts import Accounts
from lapor.demo.actions import Executor, SkipStep
from lapor.demo.models import DemoLoad
from lapor.demo.plans import SCENARIOS, Case, Step
from lapor.demo.texts import best_match
from lapor.demo.world import World
from lapor.notifications.models import Notification
from lapor.reports.lifecycle import TransitionError
from lapor.reports.models import Report, ReportEvent
from lapor.reports.sweep import run_sweep
from lapor.routing.duplicates import index_reports

log = logging.getLogger(__name__)
DISCARD_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
CHANNELS = {"web": 50, "app": 25, "sms": 8, "email": 7, "social": 6, "partner": 4}
GUEST_ONLY = {"sms", "email", "social", "partner"}
# (anonim, rahasia): public and named, anonymous, confidential, both (the safe default).
PRIVACY = {(False, False): 35, (True, False): 25, (False, True): 15, (True, True): 25}


@dataclass
class LoadResult:
    skipped: bool = False
    reports: int = 0
    events: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    sweeps: int = 0


BATCH = 100


def demo_loaded() -> bool:
    return DemoLoad.objects.exists()


def demo_requested() -> int:
    """How many demo reports the batches loaded so far were asked for."""
    return DemoLoad.objects.aggregate(n=Sum("requested"))["n"] or 0


def load_demo_rest(
    *, count: int, seed: int = 2024, batch: int = BATCH, say: Callable[[str], None] | None = None
) -> int:
    """Top the demo up to ``count`` reports in batches of ``batch``; returns how many batches
    ran. Safe to stop and start again: each batch is one transaction and is counted once."""
    batches = 0
    while (missing := count - demo_requested()) > 0:
        number = DemoLoad.objects.count()
        result = load_demo(count=min(batch, missing), seed=seed + number, force=True)
        batches += 1
        if say is not None:
            say(f"{demo_requested()}/{count} ({result.seconds:.1f} s)")
    return batches


def load_demo(
    *,
    count: int = 3000,
    seed: int = 2024,
    force: bool = False,
    now: datetime | None = None,
    horizon_days: int = 150,
) -> LoadResult:
    """Load ``count`` demo reports unless a demo load exists already (``force`` loads again)."""
    if demo_loaded() and not force:
        return LoadResult(skipped=True)
    started = time.perf_counter()
    rng = random.Random(seed)
    now = now or timezone.now()
    result = LoadResult()
    events_before = ReportEvent.objects.count()
    with override_settings(TASKS=DISCARD_TASKS), transaction.atomic():
        accounts = Accounts(rng)
        world = World(rng)
        cases = _cases(count, world, accounts, rng, now, horizon_days)
        steps = sorted((st for c in cases for st in c.steps), key=lambda st: st.at)
        first_new = Notification.objects.aggregate(m=Max("pk"))["m"] or 0
        _run(
            steps,
            Executor(accounts, rng, now),
            now,
            result,
            delivered=lambda: _mark_delivered(first_new, before=now - timedelta(minutes=30)),
        )
        ids = [c.report.pk for c in cases if c.report is not None]
        result.reports = len(ids)
        result.statuses = Counter(
            Report.objects.filter(pk__in=ids).values_list("status", flat=True)
        )
        result.events = ReportEvent.objects.count() - events_before
        # The routing job (discarded above) indexes each new report for duplicate lookup; the
        # demo indexes its reports in bulk, so "dukung" suggestions and the officers' similar
        # reports work from the start.
        index_reports(Report.objects.filter(pk__in=ids))
        result.seconds = time.perf_counter() - started
        DemoLoad.objects.create(
            reports=result.reports,
            requested=count,
            events=result.events,
            seed=seed,
            seconds=round(result.seconds, 1),
        )
    return result


def _cases(
    count: int,
    world: World,
    accounts: Accounts,
    rng: random.Random,
    now: datetime,
    horizon_days: int,
) -> list[Case]:
    names = list(SCENARIOS)
    weights = [SCENARIOS[n][1] for n in names]
    merged = max(1, round(count * plans.MERGED_SHARE))
    cases: list[Case] = []
    for n in range(count - merged):
        scenario = names[n] if n < len(names) else rng.choices(names, weights)[0]
        case = _case(n, scenario, world, accounts, rng)
        plans.place(case, now, rng, horizon_days=horizon_days)
        cases.append(case)
    masters = [
        c
        for c in cases
        if c.final in {"in_progress", "completed", "answered", "disposed", "on_hold"}
    ]
    made = 0
    for _attempt in range(merged * 20):
        duplicate = _duplicate(len(cases), rng.choice(masters), world, accounts, rng, now)
        if duplicate is not None:
            cases.append(duplicate)
            made += 1
        if made == merged:
            break
    for case in rng.sample(cases, k=len(cases) // 12):
        _supporters(case, accounts, rng, now)
    return cases


def _case(n: int, scenario: str, world: World, accounts: Accounts, rng: random.Random) -> Case:
    topic = world.topic()
    specs = SCENARIOS[scenario][3] if scenario in SCENARIOS else []
    needs_unit = any(kind == "dispose_unit" for kind, *_ in specs)
    route = world.route(topic)
    for _attempt in range(10):
        if route.unit is not None or not needs_unit:
            break
        route = world.route(topic)
    channel = rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0]
    reporter = None
    contact: dict[str, str] = {}
    if channel not in GUEST_ONLY and rng.random() < 0.45:
        reporter = accounts.citizen()
    else:
        name = places.person(rng)
        contact["contact_name"] = name
        if channel == "sms" or rng.random() < 0.25:
            contact["contact_phone"] = places.phone(rng)
        else:
            contact["contact_email"] = places.email_for(name, rng)
    anonymous, confidential = rng.choices(list(PRIVACY), weights=list(PRIVACY.values()))[0]
    # Text first, then the title and category that fit it: titles, bodies and categories agree.
    body = rng.choice(topic.bodies)
    title = best_match(body, topic.titles, str, rng)
    route.category = world.category(topic, f"{title} {body}") or route.category
    return Case(
        title=title,
        body=body,
        n=n,
        scenario=scenario,
        topic=topic,
        route=route,
        type=rng.choice(topic.types),
        channel=channel,
        reporter=reporter,
        contact=contact,
        is_anonymous=anonymous,
        is_confidential=confidential,
    )


def _duplicate(
    n: int, master: Case, world: World, accounts: Accounts, rng: random.Random, now: datetime
) -> Case | None:
    """The same problem reported again a few days later, merged into ``master`` at triage."""
    case = _case(n, "merged", world, accounts, rng)
    case.topic, case.route = master.topic, master.route
    case.title, case.body = master.title, master.body
    start = master.steps[0].at
    specs = [
        ("submit", "citizen", 4, 72),
        ("triage", "system", 0.05, 0.5),
        ("merge", "national", 3, 30),
    ]
    plans.materialize(case, specs, start, rng)
    case.steps[-1].data["into"] = master
    closes = plans.open_until(master)
    merge_at = case.steps[-1].at
    if merge_at > now - timedelta(hours=1) or (closes and merge_at > closes - timedelta(hours=2)):
        return None
    return case


def _supporters(case: Case, accounts: Accounts, rng: random.Random, now: datetime) -> None:
    start = case.steps[0].at + timedelta(hours=1)
    end = plans.open_until(case) or now - timedelta(hours=1)
    if (
        case.final
        not in {
            "submitted",
            "triage",
            "disposed",
            "in_progress",
            "answered",
            "completed",
            "closed",
            "on_hold",
            "awaiting_reporter",
        }
        or end <= start
    ):
        return
    for _ in range(rng.randint(1, 4)):
        at = start + (end - start) * rng.random()
        data: dict[str, Any]
        if rng.random() < 0.5:
            data = {"user": accounts.citizen()}
        else:
            data = {"email": places.email_for(places.person(rng), rng)}
        case.steps.append(Step(kind="support", who="citizen", at=at, case=case, data=data))


def _sweep_times(steps: list[Step], now: datetime) -> list[datetime]:
    """Midnight WIB of every simulated day, up to a day before now (the live sweep does the
    rest, so a fresh demo shows it at work)."""
    if not steps:
        return []
    at = steps[0].at.replace(hour=17, minute=0, second=0, microsecond=0)
    times = []
    while at < now - timedelta(days=1):
        times.append(at)
        at += timedelta(days=1)
    return times


def _mark_delivered(after_pk: int, *, before: datetime) -> None:
    """Mark the history's notifications sent; every step ends an hour before now, so a live
    notification written beside a background batch (after ``before``) is left to the worker."""
    S = Notification.Status
    Notification.objects.filter(pk__gt=after_pk, status=S.PENDING, created_at__lt=before).update(
        status=S.SENT, sent_at=F("created_at"), attempts=1
    )


def _run(
    steps: list[Step],
    executor: Executor,
    now: datetime,
    result: LoadResult,
    delivered: Callable[[], None],
) -> None:
    sweeps = _sweep_times(steps, now)
    timeline: list[tuple[datetime, int, Step | None]] = [(st.at, 1, st) for st in steps]
    timeline += [(at, 0, None) for at in sweeps]
    timeline.sort(key=lambda item: (item[0], item[1]))
    by_report: dict[int, Case] = {}
    broken: set[int] = set()
    with time_machine.travel(timeline[0][0], tick=False) as traveller:
        for at, _order, step in timeline:
            traveller.move_to(at)
            if step is None:
                delivered()
                run_sweep(now=at, requeue=False)  # the load's jobs are discarded anyway
                result.sweeps += 1
                # The sweep stamps what it changed with its time: re-read only those.
                for pk in Report.objects.filter(updated_at=at).values_list("pk", flat=True):
                    if pk in by_report:
                        by_report[pk].report.refresh_from_db()
                continue
            case = step.case
            if case.n in broken or (step.kind != "submit" and case.report is None):
                continue
            try:
                executor.run(step)
            except SkipStep:
                result.failures[f"skipped {step.kind}"] += 1
            except (LaporError, TransitionError) as exc:
                broken.add(case.n)
                status = case.report.status if case.report else "-"
                result.failures[f"{case.scenario}: {step.kind} in {status}: {exc}"] += 1
                log.warning("demo step %s of %s failed: %s", step.kind, case.scenario, exc)
            if step.kind == "submit" and case.report is not None:
                by_report[case.report.pk] = case
    delivered()
