"""SLA dates: weekends, national holidays, cuti bersama and the agency's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from lapor.core.workdays import add_working_days, is_working_day, working_days_between
from lapor.regions.models import WIB, WIT, WITA


def at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


def local(moment: datetime, zone: str) -> tuple[str, str]:
    value = moment.astimezone(ZoneInfo(zone))
    return value.date().isoformat(), value.strftime("%H:%M:%S")


def test_weekend_is_skipped():
    # Given a report disposed on Friday 2026-02-06 in Jakarta
    start = at(WIB, 2026, 2, 6, 10, 0)
    # When the agency has 3 working days
    due = add_working_days(start, 3, WIB)
    # Then the deadline is the end of Wednesday, local time (Mon, Tue, Wed)
    assert local(due, WIB) == ("2026-02-11", "23:59:59")


def test_lunar_new_year_and_its_joint_holiday_are_skipped():
    # Given Friday 2026-02-13; Monday 16th is cuti bersama, Tuesday 17th Imlek
    start = at(WIB, 2026, 2, 13, 9, 0)
    assert not is_working_day(datetime(2026, 2, 16).date())
    assert not is_working_day(datetime(2026, 2, 17).date())
    # When 3 working days are counted
    due = add_working_days(start, 3, WIB)
    # Then they are Wed 18, Thu 19, Fri 20
    assert local(due, WIB)[0] == "2026-02-20"


def test_eid_al_fitr_long_weekend_differs_by_zone():
    # Given one instant: Friday 2026-03-13 00:30 in Jayapura (WIT) is still Thursday
    # 2026-03-12 22:30 in Jakarta (WIB). Nyepi (18-19 March) and Idulfitri with its cuti
    # bersama (20-24 March) follow.
    instant = at(WIT, 2026, 3, 13, 0, 30)
    assert local(instant, WIB) == ("2026-03-12", "22:30:00")
    # When both offices count 3 working days from that instant
    due_wit = add_working_days(instant, 3, WIT)
    due_wib = add_working_days(instant, 3, WIB)
    # Then Jakarta counts Fri 13, Mon 16, Tue 17 ...
    assert local(due_wib, WIB) == ("2026-03-17", "23:59:59")
    # ... and Jayapura counts Mon 16, Tue 17, then nothing until Wednesday 25 March
    assert local(due_wit, WIT) == ("2026-03-25", "23:59:59")


def test_friday_evening_wit_ends_at_local_midnight_not_jakarta_midnight():
    # Given Friday 2026-03-13 20:00 WIT (18:00 WIB: the same day in both zones)
    instant = at(WIT, 2026, 3, 13, 20, 0)
    # When 3 working days are counted in each zone
    due_wit = add_working_days(instant, 3, WIT)
    due_wib = add_working_days(instant, 3, WIB)
    # Then both end on Wednesday 25 March, at each office's own end of day: two hours apart
    assert local(due_wit, WIT) == ("2026-03-25", "23:59:59")
    assert local(due_wib, WIB) == ("2026-03-25", "23:59:59")
    assert due_wit.astimezone(UTC) == datetime(2026, 3, 25, 14, 59, 59, tzinfo=UTC)
    assert due_wib.astimezone(UTC) == datetime(2026, 3, 25, 16, 59, 59, tzinfo=UTC)


def test_wita_agency_over_ascension_joint_holiday():
    # Given Wednesday 2026-05-13 in Makassar; Thu 14 Kenaikan, Fri 15 cuti bersama
    start = at(WITA, 2026, 5, 13, 16, 0)
    # When 2 working days are counted
    due = add_working_days(start, 2, WITA)
    # Then they are Mon 18 and Tue 19
    assert local(due, WITA) == ("2026-05-19", "23:59:59")


def test_naive_start_is_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 3, 13, 9, 0), 3, WIB)


def test_working_days_between_counts_only_working_days():
    # Given Thursday before Nyepi and Wednesday after Idulfitri's cuti bersama
    before = at(WIB, 2026, 3, 12, 9, 0)
    after = at(WIB, 2026, 3, 25, 9, 0)
    # Then only Fri 13, Mon 16, Tue 17 and Wed 25 lie between them
    assert working_days_between(before, after, WIB) == 4
    # And the other way round it is as many days late
    assert working_days_between(after, before, WIB) == -4
    assert working_days_between(before, before, WIB) == 0


def test_working_days_between_uses_the_zone_of_the_office():
    # Given an instant that is Friday in WIT but Thursday in WIB, and Monday noon
    start = at(WIT, 2026, 2, 6, 1, 0)
    end = at(WIB, 2026, 2, 9, 12, 0)
    # Then WIB counts Fri and Mon, WIT only Mon
    assert working_days_between(start, end, WIB) == 2
    assert working_days_between(start, end, WIT) == 1
