"""England and Wales working days: weekends and bank holidays (from the `holidays` library)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays for ``year``, one-off days included."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def working_days(start: dt.date, count: int) -> list[dt.date]:
    """The first ``count`` weekdays from ``start`` on that are not bank holidays."""
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5 and day not in bank_holidays(day.year):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def next_working_day(day: dt.date) -> dt.date:
    """The first working day after ``day``."""
    return working_days(day + dt.timedelta(days=1), 1)[0]
