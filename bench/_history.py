"""One generated report with its whole history, as rows ready for COPY.

The fields change exactly as the report services change them (``reports.services`` and
``reports.sla``), and each event is hash-chained exactly as ``reports.events.build_event``
does (``canonical`` replicated for speed; ``check_canonical`` proves it byte for byte against
the real function before a run).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from hashlib import sha256
from typing import Any
from zoneinfo import ZoneInfo

from lapor.core.ids import new_tracking_id
from lapor.core.workdays import add_working_days
from lapor.demo import places, texts

GENESIS = "0" * 64
NATIONAL, AGENCY_ADMIN, REPORTER, SYSTEM = "admin_nasional", "admin_instansi", "reporter", "system"
VERIFY, FOLLOWUP, AUTOCLOSE, COMPLETION = 3, 5, 10, 60  # the national default policy
# Final statuses: 90 % finished over the year, 10 % open (recent).
FINISHED = {"completed": 60, "closed": 20, "archived": 10}
OPEN = {"submitted": 5, "triage": 15, "disposed": 20, "in_progress": 30, "on_hold": 5,
        "awaiting_reporter": 5, "answered": 20}  # fmt: skip
TRIAGE_NOTE = "Menunggu verifikasi admin nasional."
DISPOSE_NOTE = "Laporan telah diverifikasi dan diteruskan."
UNIT_NOTE = "Mohon segera ditindaklanjuti sesuai tugas dan fungsi."
AUTOCLOSE_NOTE = "Tidak ada tanggapan pelapor sampai batas waktu; laporan ditutup otomatis."


def canonical(tid: str, seq: int, action: str, frm: str, to: str, actor: int | None,
              role: str, agency: int | None, message: str, internal: bool,
              data: dict[str, Any], at: datetime) -> bytes:  # fmt: skip
    content = {
        "report": tid, "seq": seq, "action": action, "from": frm, "to": to, "actor": actor,
        "role": role, "agency": agency, "message": message, "internal": internal, "data": data,
        "at": at.astimezone(UTC).isoformat(),
    }  # fmt: skip
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def check_canonical() -> None:
    """Fail loudly if the replicated canonical form drifts from ``reports.events``."""
    from lapor.reports.events import canonical as real
    from lapor.reports.models import ReportEvent

    at = datetime(2026, 3, 1, 2, 3, 4, 567, tzinfo=UTC)
    event = ReportEvent(seq=2, action="dispose", from_status="triage", to_status="disposed",
                        actor_id=7, actor_role=NATIONAL, agency_id=9, message="Catatan ü",
                        is_internal=False, data={"to": "pemkab-3321"}, created_at=at)  # fmt: skip
    mine = canonical("ABCDEFGHJKM0", 2, "dispose", "triage", "disposed", 7, NATIONAL, 9,
                     "Catatan ü", False, {"to": "pemkab-3321"}, at)  # fmt: skip
    assert mine == real(event, "ABCDEFGHJKM0"), "bench canonical() differs from reports.events"


@lru_cache(maxsize=65536)
def _awd(local_day: date, days: int, zone: str) -> datetime:
    start = datetime(local_day.year, local_day.month, local_day.day, 12, tzinfo=ZoneInfo(zone))
    return add_working_days(start, days, zone)


def working_days(at: datetime, days: int, zone: str) -> datetime:
    """``add_working_days`` (it depends only on the local day), cached."""
    return _awd(at.astimezone(ZoneInfo(zone)).date(), days, zone)


@dataclass(frozen=True)
class Place:
    region: str
    agency: int
    agency_code: str
    zone: str
    unit: int | None
    unit_code: str


class DayChains:
    """The platform-wide per-UTC-day chains, advanced in the order events are generated."""

    def __init__(self) -> None:
        self.heads: dict[date, list[Any]] = {}

    def link(self, at: datetime, event_hash: str) -> tuple[date, int, str]:
        day = at.astimezone(UTC).date()
        head = self.heads.setdefault(day, [0, GENESIS])
        head[0] += 1
        head[1] = sha256((head[1] + event_hash).encode()).hexdigest()
        return day, head[0], head[1]


class Generator:
    def __init__(self, *, rng: random.Random, now: datetime, places_: list[Place],
                 categories: list[int], policy: int, national: int, admins: dict[int, int],
                 citizens: list[int], days: int, overdue_share: float) -> None:  # fmt: skip
        self.rng, self.now, self.places, self.categories = rng, now, places_, categories
        self.policy, self.national, self.admins, self.citizens = policy, national, admins, citizens
        self.days, self.overdue_share = days, overdue_share
        self.chains = DayChains()
        self.event_id = 0
        self.tids: set[str] = set()
        self.titles = [texts.fill(t, rng, wilayah="") for tp in texts.TOPICS for t in tp.titles]
        self.bodies = [texts.fill(b, rng, wilayah="Kabupaten") for tp in texts.TOPICS
                       for b in tp.bodies for _ in range(5)]  # fmt: skip
        self.answers = [texts.fill(a, rng, wilayah="", tanggal="01/03/2026")
                        for tp in texts.TOPICS for a in tp.answers]  # fmt: skip
        self.finished = self._pool(FINISHED)
        self.open = self._pool(OPEN)

    def _pool(self, weights: dict[str, int]) -> list[str]:
        return [status for status, w in weights.items() for _ in range(w)]

    def _tid(self) -> str:
        while True:
            tid = new_tracking_id()
            if tid not in self.tids:
                self.tids.add(tid)
                return tid

    def report(self, pk: int, *, open_: bool) -> tuple[dict[str, Any], list[tuple]]:
        """The report row (as a dict of changed fields) and its event rows."""
        rng = self.rng
        status = rng.choice(self.open if open_ else self.finished)
        place = rng.choice(self.places)
        reporter = rng.choice(self.citizens) if rng.random() < 0.4 else None
        name = places.person(rng)
        r: dict[str, Any] = {
            "id": pk, "tracking_id": self._tid(), "type": "pengaduan",
            "title": rng.choice(self.titles)[:200], "body": rng.choice(self.bodies),
            "category_id": rng.choice(self.categories), "region_id": place.region,
            "is_anonymous": rng.random() < 0.5, "is_confidential": rng.random() < 0.4,
            "reporter_id": reporter, "channel": rng.choice(("web", "web", "app", "sms")),
            "contact_name": "" if reporter else name,
            "contact_email": "" if reporter else places.email_for(name, rng),
            "guest_secret_hash": "" if reporter else sha256(str(pk).encode()).hexdigest(),
            "sla_policy_id": self.policy, "status": "submitted",
        }  # fmt: skip
        events: list[tuple] = []
        chain = [GENESIS]

        def event(action: str, to: str, at: datetime, *, actor: int | None, role: str,
                  agency: int | None = None, message: str = "", internal: bool = False,
                  data: dict[str, Any] | None = None) -> None:  # fmt: skip
            data = data or {}
            seq = len(events) + 1
            frm = "" if action == "submit" else r["status"]
            h = sha256(chain[0].encode() + canonical(
                r["tracking_id"], seq, action, frm, to, actor, role, agency, message, internal,
                data, at)).hexdigest()  # fmt: skip
            day, day_seq, day_hash = self.chains.link(at, h)
            self.event_id += 1
            events.append((self.event_id, pk, seq, action, frm, to, actor, role, agency, message,
                           internal, json.dumps(data, ensure_ascii=False), at, chain[0], h, day,
                           day_seq, day_hash))  # fmt: skip
            chain[0] = h
            r["status"] = to
            r["updated_at"] = at

        plan = _timeline(status, rng)
        start = self._start(status, plan, open_, place.zone)
        at = start
        admin = self.admins.get(place.agency, self.national)
        for action, hours in plan:
            at = at + timedelta(hours=hours)
            if action == "auto_close":  # the sweep closes it just after the deadline
                at = r["autoclose_at"] + timedelta(minutes=rng.uniform(1, 5))
            if action == "submit":
                r["submitted_at"] = at
                r["verify_due_at"] = due = working_days(at, VERIFY, place.zone)
                r["completion_due_at"] = at + timedelta(days=COMPLETION)
                r["due_at"] = due
                event(
                    "submit",
                    "submitted",
                    at,
                    actor=reporter,
                    role=REPORTER,
                    data={"channel": r["channel"], "attachments": 0},
                )
            elif action == "triage":
                event(
                    "triage",
                    "triage",
                    at,
                    actor=None,
                    role=SYSTEM,
                    message=TRIAGE_NOTE,
                    internal=True,
                )
            elif action == "dispose":
                r.update(agency_id=place.agency, disposed_at=at)
                r["followup_due_at"] = r["due_at"] = working_days(at, FOLLOWUP, place.zone)
                event(
                    "dispose",
                    "disposed",
                    at,
                    actor=self.national,
                    role=NATIONAL,
                    agency=place.agency,
                    message=DISPOSE_NOTE,
                    data={"to": place.agency_code},
                )
            elif action == "dispose_unit":
                r["unit_id"] = place.unit
                r["followup_due_at"] = r["due_at"] = working_days(at, FOLLOWUP, place.zone)
                event(
                    "dispose_unit",
                    "in_progress",
                    at,
                    actor=admin,
                    role=AGENCY_ADMIN,
                    agency=place.unit,
                    message=UNIT_NOTE,
                    data={"to": place.unit_code},
                )
            elif action == "follow_up":
                r.update(status_before=r["status"], answered_at=at, due_at=None)
                r["autoclose_at"] = working_days(at, AUTOCLOSE, place.zone)
                event(
                    "follow_up",
                    "answered",
                    at,
                    actor=admin,
                    role=AGENCY_ADMIN,
                    agency=place.unit or place.agency,
                    message=rng.choice(self.answers),
                )
            elif action in ("complete", "auto_close"):
                closed_by = "complete" if action == "complete" else "auto_close"
                note = "Laporan dinyatakan selesai ditindaklanjuti." if closed_by == "complete" \
                    else AUTOCLOSE_NOTE  # fmt: skip
                data = {} if closed_by == "complete" else {"autoclose_at": r["autoclose_at"]
                                                           .isoformat()}  # fmt: skip
                r.update(closed_at=at, autoclose_at=None, status_before="")
                if closed_by == "complete":
                    event("complete", "completed", at, actor=admin, role=AGENCY_ADMIN, message=note)
                else:
                    event(
                        "auto_close",
                        "closed",
                        at,
                        actor=None,
                        role=SYSTEM,
                        agency=r.get("agency_id"),
                        message=note,
                        data=data,
                    )
            elif action == "rate":
                rating = rng.choice((1, 2, 3, 4, 4, 5, 5, 5))
                r.update(rating=rating, rated_at=at)
                event(
                    "rate",
                    r["status"],
                    at,
                    actor=reporter,
                    role=REPORTER,
                    message=rng.choice(texts.GOOD_COMMENTS),
                    data={"rating": rating},
                )
            elif action == "archive":
                reason = texts.ARCHIVE_REASONS[0]
                r.update(archive_reason=reason, closed_at=at, status_before="", due_at=None)
                event("archive", "archived", at, actor=self.national, role=NATIONAL, message=reason)
            elif action == "hold":
                until = self._hold_until(at)
                r.update(status_before=r["status"], hold_until=until, due_at=None)
                event(
                    "hold",
                    "on_hold",
                    at,
                    actor=admin,
                    role=AGENCY_ADMIN,
                    message=texts.HOLD_REASONS[0],
                    data={"until": until.isoformat()},
                )
            elif action == "request_info":
                r.update(status_before=r["status"], due_at=None)
                event(
                    "request_info",
                    "awaiting_reporter",
                    at,
                    actor=admin,
                    role=AGENCY_ADMIN,
                    message=texts.QUESTIONS[0],
                )
        r["event_count"] = len(events)
        r["last_event_hash"] = chain[0]
        return r, events

    def _hold_until(self, at: datetime) -> datetime:
        if self.rng.random() < self.overdue_share:
            return max(at + timedelta(hours=1), self.now - timedelta(minutes=30))
        return at + timedelta(days=self.rng.uniform(20, 40))

    def _start(self, status: str, plan: list[tuple[str, float]], open_: bool,
               zone: str) -> datetime:  # fmt: skip
        length = timedelta(hours=sum(h for _, h in plan))
        if not open_:
            age = timedelta(days=self.rng.uniform(0, self.days))
            return self.now - length - timedelta(days=30) - age
        # Open: the running deadline lies ahead, except for a small backlog just past due
        # (what one missed sweep leaves), which the benchmarked sweep must catch.
        late = self.rng.random() < self.overdue_share
        days = {"answered": AUTOCLOSE, "submitted": VERIFY, "triage": VERIFY}.get(
            status, FOLLOWUP)  # fmt: skip
        for _ in range(30):
            end = self.now - timedelta(hours=self.rng.uniform(0.5, days * 36 + 72))
            due = working_days(end, days, zone)
            if status in ("on_hold", "awaiting_reporter") or (due < self.now) == late:
                return end - length
        return self.now - timedelta(hours=1) - length


def _timeline(status: str, rng: random.Random) -> list[tuple[str, float]]:
    """Actions and the hours before each, for a report ending in ``status``."""
    u = rng.uniform
    steps = [("submit", 0.0), ("triage", u(0.01, 0.3))]
    if status in ("submitted",):
        return steps[:1]
    if status == "triage":
        return steps
    if status == "archived":
        return [*steps, ("archive", u(4, 60))]
    steps.append(("dispose", u(3, 50)))
    if status == "disposed":
        return steps
    steps.append(("dispose_unit", u(2, 30)))
    if status == "in_progress":
        return steps
    if status in ("on_hold", "awaiting_reporter"):
        return [*steps, ("hold" if status == "on_hold" else "request_info", u(5, 40))]
    steps.append(("follow_up", u(20, 110)))
    if status == "answered":
        return steps
    if status == "closed":
        steps.append(("auto_close", u(340, 420)))
    else:
        steps.append(("complete", u(24, 100)))
    if rng.random() < 0.6:
        steps.append(("rate", u(2, 90)))
    return steps
