"""Working days: Monday to Friday, less Indonesia's national holidays and cuti bersama.

The holiday list comes from the ``holidays`` package (public holidays plus the ``government``
category, which holds cuti bersama). Deadlines are counted in the zone of the office whose clock
it is (WIB, WITA or WIT): a limit of N working days ends at the close of the N-th working day
after the day the clock started, local time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

END_OF_DAY = time(23, 59, 59)


@lru_cache(maxsize=64)
def _holidays_for(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return frozenset(calendar.keys())


def is_holiday(day: date) -> bool:
    return day in _holidays_for(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def local_date(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


def add_working_days(start: datetime, days: int, tz: str) -> datetime:
    """The end (23:59:59 local) of the ``days``-th working day after ``start``'s local day."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    zone = ZoneInfo(tz)
    day = start.astimezone(zone).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return datetime.combine(day, END_OF_DAY, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def working_days_between(start: datetime, end: datetime, tz: str) -> int:
    """Working days from ``start``'s local day to ``end``'s (negative if ``end`` is earlier):
    how many working days remain before a deadline, or how late it is."""
    zone = ZoneInfo(tz)
    a, b = start.astimezone(zone).date(), end.astimezone(zone).date()
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return sign * count
