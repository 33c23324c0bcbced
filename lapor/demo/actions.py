"""Carrying out one planned step through the real service functions.

The clock has already been moved to the step's time (``time_machine``), so every service
stamps its event with that time; ``report_submit`` is also given ``at`` explicitly.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from lapor.accounts.models import User
from lapor.agencies.models import Agency
from lapor.core.errors import ValidationFailed
from lapor.core.timefmt import MONTHS_ID
from lapor.demo import texts
from lapor.demo.accounts import Accounts
from lapor.demo.plans import Case, Step
from lapor.reports import services as s


class Executor:
    def __init__(self, accounts: Accounts, rng: random.Random, now: datetime) -> None:
        self.accounts = accounts
        self.rng = rng
        self.now = now
        self.handlers: dict[str, Callable[[Step], object]] = {
            "submit": self.submit,
            "triage": lambda st: s.report_send_to_triage(
                report=st.case.report, reason="Menunggu verifikasi admin nasional."
            ),
            "dispose": lambda st: self._dispose(st, st.case.route.agency),
            "dispose_wrong": lambda st: self._dispose(
                st, st.case.route.wrong or st.case.route.agency
            ),
            "dispose_unit": self.dispose_unit,
            "not_authority": lambda st: s.report_not_authority(
                report=st.case.report,
                actor=self.admin(st.case),
                reason=self.rng.choice(texts.NOT_AUTHORITY),
                suggested_agency=st.case.route.agency,
            ),
            "forward": lambda st: s.report_forward(
                report=st.case.report,
                to_agency=st.case.route.agency,
                actor=self.admin(st.case),
                reason="Lokasi kejadian berada di wilayah kewenangan "
                f"{st.case.route.agency.name}; laporan kami teruskan.",
            ),
            "hold": lambda st: self._hold(st, days=self.rng.uniform(14, 30)),
            "hold_long": self.hold_long,
            "resume": lambda st: s.report_resume(
                report=st.case.report,
                actor=self.admin(st.case),
                reason="Survei lapangan telah selesai; penanganan dilanjutkan.",
            ),
            "request_info": lambda st: s.report_request_info(
                report=st.case.report,
                actor=self.desk(st.case),
                question=self.rng.choice(texts.QUESTIONS),
            ),
            "reply_info": lambda st: self._reply(
                st, self._fill(st, self.rng.choice(texts.CLARIFICATIONS))
            ),
            "reply_unhappy": lambda st: self._reply(st, self.rng.choice(texts.REPLIES_UNHAPPY)),
            "follow_up": self.follow_up,
            "complete": lambda st: s.report_complete(
                report=st.case.report,
                actor=self.admin(st.case),
                message="Laporan dinyatakan selesai ditindaklanjuti.",
            ),
            "rate_good": lambda st: self._rate(
                st, self.rng.choice([3, 4, 4, 5, 5, 5]), texts.GOOD_COMMENTS
            ),
            "rate_poor": lambda st: self._rate(st, self.rng.choice([1, 2]), texts.POOR_COMMENTS),
            "rate_after_close": lambda st: self._rate(
                st, self.rng.choice([2, 3, 4, 5]), texts.GOOD_COMMENTS
            ),
            "wait_close": lambda st: None,
            "reopen": lambda st: s.report_reopen(
                report=st.case.report, reason=texts.APPEALS[0], **self._who(st.case)
            ),
            "archive_triage": lambda st: s.report_archive(
                report=st.case.report,
                actor=self.accounts.national,
                reason=self.rng.choice(texts.ARCHIVE_REASONS),
            ),
            "archive": lambda st: s.report_archive(
                report=st.case.report, actor=self.admin(st.case), reason=texts.ARCHIVE_REASONS[0]
            ),
            "merge": lambda st: s.report_merge(
                report=st.case.report,
                into=st.data["into"].report,
                actor=self.accounts.national,
                reason=texts.MERGE_NOTE,
            ),
            "support": self.support,
        }

    def run(self, step: Step) -> None:
        self.handlers[step.kind](step)

    # who acts
    def admin(self, case: Case) -> User:
        agency = case.report.agency
        return self.accounts.admin_of(agency) if agency else self.accounts.national

    def desk(self, case: Case) -> User:
        unit = case.report.unit
        return self.accounts.pic_of(unit) if unit else self.admin(case)

    @staticmethod
    def _who(case: Case) -> dict:
        if case.reporter is not None:
            return {"user": case.reporter}
        return {"secret": case.secret}

    def _fill(self, step: Step, template: str) -> str:
        local = step.at.astimezone(ZoneInfo(step.case.zone))
        return texts.fill(
            template,
            self.rng,
            wilayah=step.case.route.region.name,
            instansi=step.case.route.agency.name,
            tanggal=f"{local.day} {MONTHS_ID[local.month - 1]} {local.year}",
            kecamatan=step.case.route.kecamatan,
        )

    # steps
    def submit(self, step: Step) -> None:
        case = step.case
        title = self._fill(step, case.title or self.rng.choice(case.topic.titles))
        body = self._fill(step, case.body or self.rng.choice(case.topic.bodies))
        incident = (step.at - timedelta(days=self.rng.randint(0, 20))).date()
        done = s.report_submit(
            type=case.type,
            title=title[:200],
            body=body,
            region=case.route.region,
            channel=case.channel,
            category=case.route.category,
            reporter=case.reporter,
            is_anonymous=case.is_anonymous,
            is_confidential=case.is_confidential,
            incident_date=incident if self.rng.random() < 0.6 else None,
            at=step.at,
            contact_name=case.contact.get("contact_name", ""),
            contact_email=case.contact.get("contact_email", ""),
            contact_phone=case.contact.get("contact_phone", ""),
        )
        case.report, case.secret = done.report, done.secret

    def _dispose(self, step: Step, agency: Agency) -> None:
        s.report_dispose(
            report=step.case.report,
            to_agency=agency,
            actor=self.accounts.national,
            note="Laporan telah diverifikasi dan diteruskan.",
        )

    def dispose_unit(self, step: Step) -> None:
        case = step.case
        unit = case.route.unit
        if unit is None or case.report.agency_id != case.route.agency.pk:
            unit = None
        if unit is None:
            raise SkipStep("no unit under the handling agency")
        s.report_dispose_unit(
            report=case.report,
            unit=unit,
            actor=self.admin(case),
            note="Mohon segera ditindaklanjuti sesuai tugas dan fungsi.",
        )

    def _hold(self, step: Step, *, days: float) -> None:
        s.report_hold(
            report=step.case.report,
            actor=self.admin(step.case),
            until=step.at + timedelta(days=days),
            reason=self.rng.choice(texts.HOLD_REASONS),
        )

    def hold_long(self, step: Step) -> None:
        # Some holds end just before now, so the first live sweep resumes them.
        soon = self.now - timedelta(hours=self.rng.uniform(1, 12))
        if self.rng.random() < 0.25 and soon > step.at + timedelta(hours=2):
            days = (soon - step.at).total_seconds() / 86400
        else:
            days = self.rng.uniform(30, 60)
        self._hold(step, days=days)

    def _reply(self, step: Step, message: str) -> None:
        s.report_reply(report=step.case.report, message=message, **self._who(step.case))

    def follow_up(self, step: Step) -> None:
        s.report_follow_up(
            report=step.case.report,
            actor=self.desk(step.case),
            message=self._fill(step, self.rng.choice(step.case.topic.answers)),
        )

    def _rate(self, step: Step, rating: int, comments: tuple[str, ...]) -> None:
        if step.case.report.rating is not None:
            raise SkipStep("already rated")
        s.report_rate(
            report=step.case.report,
            rating=rating,
            comment=self.rng.choice(comments),
            **self._who(step.case),
        )

    def support(self, step: Step) -> None:
        user = step.data.get("user")
        if user is not None and user.pk == step.case.report.reporter_id:
            raise SkipStep("own report")
        try:
            s.report_support(
                report=step.case.report, user=user, contact_email=step.data.get("email", "")
            )
        except ValidationFailed as exc:  # already a supporter
            raise SkipStep(str(exc)) from None


class SkipStep(Exception):
    """A planned step that does not apply after all (not a failure of the service)."""
