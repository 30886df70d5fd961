"""England and Wales working days: weekends and bank holidays, computed without a data file."""

from __future__ import annotations

import datetime as dt


def _easter(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    la = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * la) // 451
    month, day = divmod(h + la - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _substitute(day: dt.date, taken: set[dt.date]) -> dt.date:
    while day.weekday() >= 5 or day in taken:
        day += dt.timedelta(days=1)
    return day


def bank_holidays(year: int) -> set[dt.date]:
    """England and Wales bank holidays for ``year`` (the regular rules; no one-off days)."""

    def first_monday(month: int) -> dt.date:
        day = dt.date(year, month, 1)
        return day + dt.timedelta(days=(7 - day.weekday()) % 7)

    def last_monday(month: int) -> dt.date:
        day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
        return day - dt.timedelta(days=day.weekday())

    easter = _easter(year)
    days = {
        easter - dt.timedelta(days=2),
        easter + dt.timedelta(days=1),
        first_monday(5),
        last_monday(5),
        last_monday(8),
    }
    days.add(_substitute(dt.date(year, 1, 1), days))
    christmas = _substitute(dt.date(year, 12, 25), days)
    days.add(christmas)
    days.add(_substitute(dt.date(year, 12, 26), days))
    return days


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
