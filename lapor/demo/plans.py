"""The life each demo report will have: a scenario per final status, as timed steps.

A scenario is a list of ``(step kind, who acts, hours after the previous step)``; officers act
in office hours on working days of the report's zone. ``place`` anchors a scenario in time so
it ends before now (recent scenarios end within the last few days, so the SLA sweep has not yet
closed or resumed them).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from lapor.core.workdays import is_working_day
from lapor.demo.texts import Topic
from lapor.demo.world import Route
from lapor.reports.lifecycle import Status

# who acts: "citizen" (the reporter), "system", "national", "admin" (agency admin),
# "desk" (the unit PIC when the report is at a unit, else the agency admin).
OFFICERS = {"national", "admin", "desk"}
Spec = tuple[str, str, float, float]  # kind, who, min hours, max hours after previous

_IN = [("submit", "citizen", 0, 0), ("triage", "system", 0.05, 0.5), ("dispose", "national", 3, 40)]
_UNIT = [*_IN, ("dispose_unit", "admin", 2, 30)]
_ANSWER = [*_UNIT, ("follow_up", "desk", 20, 120)]
_DONE = [*_ANSWER, ("complete", "admin", 24, 100)]

# name: (final status, weight, recent?, steps)
SCENARIOS: dict[str, tuple[str, int, bool, list[Spec]]] = {
    "submitted_new": (Status.SUBMITTED, 1, True, [("submit", "citizen", 0, 0)]),
    "submitted_old": (Status.SUBMITTED, 2, False, [("submit", "citizen", 0, 0)]),
    "triage_new": (Status.TRIAGE, 2, True, _IN[:2]),
    "triage_old": (Status.TRIAGE, 3, False, _IN[:2]),
    "disposed_new": (Status.DISPOSED, 4, True, _IN),
    "disposed_old": (Status.DISPOSED, 2, False, _IN),
    "appeal_pending": (
        Status.DISPOSED,
        1,
        True,
        [*_DONE, ("rate_poor", "citizen", 5, 60), ("reopen", "citizen", 1, 30)],
    ),
    "in_progress_new": (Status.IN_PROGRESS, 7, True, _UNIT),
    "in_progress_old": (Status.IN_PROGRESS, 2, False, _UNIT),
    "in_progress_rerouted": (
        Status.IN_PROGRESS,
        2,
        True,
        [
            *_IN[:2],
            ("dispose_wrong", "national", 3, 40),
            ("not_authority", "admin", 4, 60),
            ("dispose", "national", 2, 30),
            ("dispose_unit", "admin", 2, 30),
        ],
    ),
    "on_hold": (Status.ON_HOLD, 3, True, [*_UNIT, ("hold_long", "admin", 20, 80)]),
    "awaiting": (Status.AWAITING_REPORTER, 4, True, [*_UNIT, ("request_info", "desk", 4, 50)]),
    "answered": (Status.ANSWERED, 7, True, _ANSWER),
    "answered_again": (
        Status.ANSWERED,
        2,
        True,
        [*_ANSWER, ("reply_unhappy", "citizen", 5, 80), ("follow_up", "desk", 20, 100)],
    ),
    "completed": (Status.COMPLETED, 14, False, [*_DONE, ("rate_good", "citizen", 2, 120)]),
    "completed_unrated": (Status.COMPLETED, 4, False, _DONE),
    "completed_forwarded": (
        Status.COMPLETED,
        3,
        False,
        [
            *_IN[:2],
            ("dispose_wrong", "national", 3, 40),
            ("forward", "admin", 4, 50),
            ("dispose_unit", "admin", 2, 30),
            ("follow_up", "desk", 20, 120),
            ("complete", "admin", 24, 100),
            ("rate_good", "citizen", 2, 100),
        ],
    ),
    "completed_after_hold": (
        Status.COMPLETED,
        3,
        False,
        [
            *_UNIT,
            ("hold", "admin", 10, 50),
            ("resume", "admin", 40, 150),
            ("follow_up", "desk", 20, 100),
            ("complete", "admin", 24, 90),
        ],
    ),
    "completed_clarified": (
        Status.COMPLETED,
        3,
        False,
        [
            *_UNIT,
            ("request_info", "desk", 4, 50),
            ("reply_info", "citizen", 2, 60),
            ("follow_up", "desk", 20, 100),
            ("complete", "admin", 24, 90),
            ("rate_good", "citizen", 2, 80),
        ],
    ),
    "completed_appealed": (
        Status.COMPLETED,
        2,
        False,
        [
            *_DONE,
            ("rate_poor", "citizen", 5, 60),
            ("reopen", "citizen", 1, 30),
            ("dispose_unit", "admin", 2, 30),
            ("follow_up", "desk", 20, 100),
            ("complete", "admin", 24, 90),
            ("rate_good", "citizen", 2, 80),
        ],
    ),
    "completed_poor": (Status.COMPLETED, 4, False, [*_DONE, ("rate_poor", "citizen", 5, 90)]),
    # Closed by the SLA sweep ten working days after the follow-up, then (sometimes) rated.
    "closed": (Status.CLOSED, 7, False, [*_ANSWER, ("rate_after_close", "citizen", 600, 700)]),
    "closed_unrated": (Status.CLOSED, 4, False, [*_ANSWER, ("wait_close", "system", 480, 500)]),
    "archived": (Status.ARCHIVED, 3, False, [*_IN[:2], ("archive_triage", "national", 4, 60)]),
    "archived_silent": (
        Status.ARCHIVED,
        2,
        False,
        [*_UNIT, ("request_info", "desk", 4, 50), ("archive", "admin", 200, 300)],
    ),
}
MERGED_SHARE = 0.05  # of all reports: duplicates merged into an earlier report


@dataclass
class Step:
    kind: str
    who: str
    at: datetime
    case: Case
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Case:
    """One demo report and everything that will happen to it."""

    n: int
    scenario: str
    topic: Topic
    route: Route
    type: str
    channel: str
    reporter: Any  # User | None
    contact: dict[str, str]
    is_anonymous: bool
    is_confidential: bool
    steps: list[Step] = field(default_factory=list)
    report: Any = None  # the Report once submitted
    title: str = ""  # the templates of its title and body, chosen to agree with each other
    body: str = ""
    secret: str = ""

    @property
    def final(self) -> str:
        return SCENARIOS[self.scenario][0] if self.scenario in SCENARIOS else Status.MERGED

    @property
    def zone(self) -> str:
        return self.route.region.timezone


def office_time(moment: datetime, zone: str, rng: random.Random) -> datetime:
    """``moment`` or the next office-hours moment (08:00-15:30 local, working days)."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    day = local.date()
    if is_working_day(day) and time(8) <= local.time() <= time(15, 30):
        return moment
    if local.time() > time(15, 30) or not is_working_day(day):
        day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    start = datetime.combine(day, time(8), tzinfo=tz)
    return start + timedelta(minutes=rng.randint(0, 420))


def citizen_time(moment: datetime, zone: str, rng: random.Random) -> datetime:
    local = moment.astimezone(ZoneInfo(zone))
    if 6 <= local.hour < 23:
        return moment
    return moment + timedelta(hours=7, minutes=rng.randint(0, 120))


def materialize(case: Case, specs: list[Spec], start: datetime, rng: random.Random) -> None:
    case.steps = []
    at = start
    for kind, who, low, high in specs:
        at = at + timedelta(hours=rng.uniform(low, high))
        if who in OFFICERS:
            at = office_time(at, case.zone, rng)
        elif who == "citizen":
            at = citizen_time(at, case.zone, rng)
        case.steps.append(Step(kind=kind, who=who, at=at, case=case))


def place(case: Case, now: datetime, rng: random.Random, *, horizon_days: int) -> None:
    """Materialise the case's scenario so it ends before ``now``: recent scenarios end in the
    last five days, others start anywhere in the horizon (old ones at least two weeks ago)."""
    _, _, recent, specs = SCENARIOS[case.scenario]
    materialize(case, specs, now, rng)
    length = case.steps[-1].at - now
    if recent:
        start = now - length - timedelta(hours=rng.uniform(2, 110))
    else:
        low = 15 if case.scenario.endswith("_old") else 1
        age = timedelta(days=rng.uniform(low, horizon_days))
        start = now - max(age, length + timedelta(days=rng.uniform(1, 20)))
    for _attempt in range(20):
        materialize(case, specs, start, rng)
        if case.steps[-1].at < now - timedelta(hours=1):
            return
        start -= timedelta(days=7)
    raise RuntimeError(f"cannot place scenario {case.scenario}")


def open_until(case: Case) -> datetime | None:
    """When the case stops being open (first follow-up, archive or merge); None: never."""
    for step in case.steps:
        if step.kind in {"follow_up", "archive", "archive_triage", "merge"}:
            return step.at
    return None
