"""The front door's working calendar and the deadline policies built on it.

The rules, in brief:

* Time is kept in one zone (Europe/London by default, with its clock changes). Every datetime
  handed back is timezone-aware and in that zone; a naive datetime is refused.
* A working day is a day with opening hours (by default Mon-Thu 09:00-17:30, Fri 09:00-16:30,
  closed at weekends) that is neither an England and Wales bank holiday nor a local closure day.
  The office is open from its opening time up to, but not including, its closing time.
* A referral counts towards the working day it arrives on if it arrives before that day's
  closing time (early-morning arrivals included); otherwise it counts towards the next working
  day. So a referral at 18:00 on a Friday counts towards Monday, or Tuesday after a bank holiday
  Monday.
* Deadline policies, as written in the configuration:

  - ``same_day``: the last second (23:59:59) of the local calendar day the referral arrived on;
  - ``same_working_day``: closing time of the working day the referral counts towards;
  - ``working_hours:N`` (N from 1 to 200): N hours of opening time, counted from arrival, or
    from the next opening when it arrives outside opening hours. Hours are real elapsed hours,
    so a day spanning a clock change is an hour shorter or longer.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import zoneinfo
from dataclasses import dataclass, field
from typing import Literal, TypeAlias, get_args

import holidays

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)

PolicyKind: TypeAlias = Literal["same_day", "same_working_day", "working_hours"]
DayHours: TypeAlias = tuple[dt.time, dt.time]
# A working day's opening and closing as moments in UTC.
_Span: TypeAlias = tuple[dt.datetime, dt.datetime]

_POLICY_KINDS: tuple[str, ...] = get_args(PolicyKind)
_MAX_POLICY_HOURS = 200
_SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_END_OF_DAY = dt.time(23, 59, 59)
_ONE_DAY = dt.timedelta(days=1)
# How far ahead to look for the next working day before deciding the closure days leave none.
_SEARCH_DAYS = 3660
# Working days remembered per calendar before the memory is cleared (about 270 years of days).
_SPAN_MEMORY = 100_000

_HOURS_FIX = 'write HH:MM-HH:MM, e.g. "09:00-17:30", or "closed"'
_POLICY_FIX = (
    'write "same_day", "same_working_day" or "working_hours:N" with N from 1 to '
    f'{_MAX_POLICY_HOURS}, e.g. "working_hours:4"'
)
_RANGE = re.compile(r"([0-9]{1,2}):([0-9]{2})\s*[-\u2013\u2014\u2212]\s*([0-9]{1,2}):([0-9]{2})")


def parse_hours(text: str) -> DayHours | None:
    """One day's opening hours: ``"09:00-17:30"`` -> (09:00, 17:30); ``"closed"`` or ``""`` -> None.

    Accepts a single-digit hour ("9:00-17:30"), spaces around the dash and an en dash. Raises
    ValueError, saying what to write instead, for anything else or when the day does not open
    before it closes.
    """
    cleaned = text.strip()
    if not cleaned or cleaned.lower() == "closed":
        return None
    match = _RANGE.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"{text!r} is not a time range; {_HOURS_FIX}")
    opens = _clock(text, match.group(1), match.group(2))
    closes = _clock(text, match.group(3), match.group(4))
    if opens == closes:
        raise ValueError(
            f"{text!r} opens and closes at the same time; give the opening time first, "
            'e.g. "09:00-17:30", or write "closed" for a day without opening hours'
        )
    if opens > closes:
        raise ValueError(
            f"{text!r} closes before it opens; give the opening time first, e.g. "
            '"09:00-17:30" (opening hours cannot run past midnight)'
        )
    return opens, closes


def _clock(text: str, hour_text: str, minute_text: str) -> dt.time:
    hour, minute = int(hour_text), int(minute_text)
    if hour == 24 and minute == 0:
        raise ValueError(
            f'{text!r} uses 24:00; for opening hours that run to midnight write "23:59", '
            'e.g. "09:00-23:59"'
        )
    if hour > 23 or minute > 59:
        raise ValueError(
            f"{text!r} has {hour_text}:{minute_text}, which is not a time of day; hours run "
            f"00-23 and minutes 00-59, so {_HOURS_FIX}"
        )
    return dt.time(hour, minute)


@dataclass(frozen=True)
class DeadlinePolicy:
    """How long the front door has to act on a referral; see the module docstring."""

    kind: PolicyKind
    hours: int = 0  # only for working_hours

    def __post_init__(self) -> None:
        if self.kind not in _POLICY_KINDS:
            raise ValueError(f"{self.kind!r} is not a deadline policy; {_POLICY_FIX}")
        if self.kind == "working_hours":
            if (
                isinstance(self.hours, bool)
                or not isinstance(self.hours, int)
                or not 1 <= self.hours <= _MAX_POLICY_HOURS
            ):
                raise ValueError(
                    f"working_hours cannot be {self.hours!r} hours; give a whole number from 1 "
                    f'to {_MAX_POLICY_HOURS}, e.g. "working_hours:4"'
                )
        elif self.hours != 0:
            raise ValueError(
                f"the {self.kind} policy takes no hours (got {self.hours!r}); leave the hours "
                'out, or use "working_hours:N" for a deadline in working hours'
            )

    def __str__(self) -> str:
        if self.kind == "working_hours":
            return f"working_hours:{self.hours}"
        return self.kind


def parse_policy(text: str) -> DeadlinePolicy:
    """``"same_day"``, ``"same_working_day"`` or ``"working_hours:N"`` (N from 1 to 200).

    Case and surrounding spaces are ignored. Raises ValueError, saying what to write instead.
    """
    cleaned = text.strip().lower()
    if cleaned == "same_day":
        return DeadlinePolicy("same_day")
    if cleaned == "same_working_day":
        return DeadlinePolicy("same_working_day")
    name, colon, number = cleaned.partition(":")
    if name.strip() != "working_hours":
        raise ValueError(f"{text!r} is not a deadline policy; {_POLICY_FIX}")
    number = number.strip()
    if not colon or not number:
        raise ValueError(
            f'{text!r} does not say how many working hours; write "working_hours:N" with N '
            f'from 1 to {_MAX_POLICY_HOURS}, e.g. "working_hours:4"'
        )
    if not (number.isascii() and number.isdigit()):
        raise ValueError(
            f"{text!r} needs a whole number of hours after the colon; write "
            f'"working_hours:N" with N from 1 to {_MAX_POLICY_HOURS}, e.g. "working_hours:4"'
        )
    hours = int(number)
    if not 1 <= hours <= _MAX_POLICY_HOURS:
        raise ValueError(
            f"{text!r} asks for {hours} working hours; N must be from 1 to "
            f'{_MAX_POLICY_HOURS}, e.g. "working_hours:4"'
        )
    return DeadlinePolicy("working_hours", hours)


@functools.cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays in one year, substitute days included."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def _clock_text(time: dt.time) -> str:
    return time.strftime("%H:%M:%S" if time.second else "%H:%M")


@dataclass(frozen=True)
class WorkingCalendar:
    """When the front door is open, and the deadlines that follow from it.

    ``hours`` has seven entries, Monday first: (opening, closing) or None for a closed day.
    ``closures`` are local closure days on top of the bank holidays; ``bank_holidays=False``
    ignores bank holidays altogether.
    """

    zone: zoneinfo.ZoneInfo
    hours: tuple[DayHours | None, ...]
    closures: frozenset[dt.date] = frozenset()
    bank_holidays: bool = True
    # Opening and closing of each day looked at so far; deadlines are worked out many times a
    # run, mostly over the same few weeks.
    _spans: dict[dt.date, _Span | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        hours = tuple(self.hours)
        if len(hours) != len(WEEKDAYS):
            raise ValueError(
                f"opening hours have {len(hours)} entries; give one for each of the "
                f"{len(WEEKDAYS)} days of the week, Monday first"
            )
        for name, entry in zip(WEEKDAYS, hours, strict=True):
            if entry is not None and entry[0] >= entry[1]:
                raise ValueError(
                    f"{name} opens at {_clock_text(entry[0])} but closes at "
                    f'{_clock_text(entry[1])}; give the opening time first, e.g. "09:00-17:30"'
                )
        if all(entry is None for entry in hours):
            raise ValueError(
                "every day of the week is closed; give at least one day opening hours, "
                'e.g. "09:00-17:30"'
            )
        closures = frozenset(self.closures)
        for day in closures:
            if isinstance(day, dt.datetime):
                raise ValueError(
                    f"closure day {day.isoformat()} has a time; give the date only, e.g. 2026-12-29"
                )
        object.__setattr__(self, "hours", hours)
        object.__setattr__(self, "closures", closures)

    @classmethod
    def default(cls) -> WorkingCalendar:
        """Europe/London; Mon-Thu 09:00-17:30, Fri 09:00-16:30; England and Wales bank holidays."""
        long_day = (dt.time(9, 0), dt.time(17, 30))
        friday = (dt.time(9, 0), dt.time(16, 30))
        return cls(
            zone=zoneinfo.ZoneInfo("Europe/London"),
            hours=(long_day, long_day, long_day, long_day, friday, None, None),
        )

    # Days -------------------------------------------------------------------------------

    def is_bank_holiday(self, day: dt.date) -> bool:
        return self.bank_holidays and day in _bank_holidays(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        """The day has opening hours and is neither a bank holiday nor a closure day."""
        return self._span(day) is not None

    def opening(self, day: dt.date) -> dt.datetime | None:
        """When the office opens on ``day``; None when it is not a working day."""
        span = self._span(day)
        return None if span is None else span[0].astimezone(self.zone)

    def closing(self, day: dt.date) -> dt.datetime | None:
        """When the office closes on ``day``; None when it is not a working day."""
        span = self._span(day)
        return None if span is None else span[1].astimezone(self.zone)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self._next_working(day)[0]

    # Moments ----------------------------------------------------------------------------

    def is_open(self, at: dt.datetime) -> bool:
        """``at`` falls on a working day, at or after opening and before closing."""
        local = self._local(at)
        span = self._span(local.date())
        return span is not None and span[0] <= local.astimezone(dt.UTC) < span[1]

    def working_day_of(self, at: dt.datetime) -> dt.date:
        """The working day ``at`` counts towards.

        Its own local date when that is a working day and ``at`` is before closing (an arrival
        at 07:00 counts towards that day); otherwise the next working day.
        """
        return self._counting_day(self._local(at))[0]

    def end_of_working_day(self, at: dt.datetime) -> dt.datetime:
        """Closing time of the working day ``at`` counts towards."""
        return self._counting_day(self._local(at))[1][1].astimezone(self.zone)

    def end_of_day(self, at: dt.datetime) -> dt.datetime:
        """23:59:59 local time on ``at``'s local calendar day."""
        return dt.datetime.combine(self._local(at).date(), _END_OF_DAY, tzinfo=self.zone)

    def add_working_hours(self, at: dt.datetime, hours: float) -> dt.datetime:
        """The moment ``hours`` of opening time have passed since ``at``.

        Only time inside opening hours counts; from outside opening hours the count starts at
        the next opening. A count that runs out exactly at a closing time ends at that closing
        time.
        """
        if not math.isfinite(hours) or hours < 0:
            raise ValueError(f"cannot add {hours!r} working hours; give a number from 0 upwards")
        remaining = dt.timedelta(hours=hours)
        local = self._local(at)
        moment = local.astimezone(dt.UTC)
        day, (opens, closes) = self._counting_day(local)
        start = max(moment, opens)
        # Counted in UTC, so a day spanning a clock change counts its real length.
        while remaining > closes - start:
            remaining -= closes - start
            day, (start, closes) = self._next_working(day)
        return (start + remaining).astimezone(self.zone)

    def deadline(self, at: dt.datetime, policy: DeadlinePolicy) -> dt.datetime:
        """When a referral that arrived at ``at`` is due under ``policy``."""
        if policy.kind == "same_day":
            return self.end_of_day(at)
        if policy.kind == "same_working_day":
            return self.end_of_working_day(at)
        return self.add_working_hours(at, policy.hours)

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """How many working days ``end`` is after ``start``, by local date.

        The number of working days after ``start``'s local date up to and including ``end``'s:
        0 on the same day, 1 on the next working day, and so on; 0 when ``end`` is not after
        ``start``.
        """
        first = self._local(start)
        last = self._local(end)
        # Compare in UTC: within one zone Python compares wall-clock times, which would get
        # the repeated hour of the autumn clock change wrong.
        if last.astimezone(dt.UTC) <= first.astimezone(dt.UTC):
            return 0
        return self._count_working_days(first.date() + _ONE_DAY, last.date())

    def describe(self) -> str:
        """One line for people, e.g. "Mon-Thu 09:00-17:30, Fri 09:00-16:30; England and Wales
        bank holidays; 2 closure days"."""
        runs: list[str] = []
        first = 0
        while first < len(self.hours):
            entry = self.hours[first]
            last = first
            while last + 1 < len(self.hours) and self.hours[last + 1] == entry:
                last += 1
            if entry is not None:
                days = _SHORT_DAYS[first]
                if last > first:
                    days += f"-{_SHORT_DAYS[last]}"
                runs.append(f"{days} {_clock_text(entry[0])}-{_clock_text(entry[1])}")
            first = last + 1
        parts = [", ".join(runs)]
        parts.append(
            "England and Wales bank holidays" if self.bank_holidays else "no bank holidays"
        )
        if self.closures:
            count = len(self.closures)
            parts.append(f"{count} closure day{'' if count == 1 else 's'}")
        return "; ".join(parts)

    # Helpers ----------------------------------------------------------------------------

    def _local(self, at: dt.datetime) -> dt.datetime:
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(
                f"{at.isoformat()} has no time zone; pass an aware datetime, e.g. "
                f"dt.datetime.now(ZoneInfo({self.zone.key!r}))"
            )
        return at.astimezone(self.zone)

    def _span(self, day: dt.date) -> _Span | None:
        """Opening and closing of ``day`` in UTC; None when it is not a working day."""
        try:
            return self._spans[day]
        except KeyError:
            pass
        entry = self.hours[day.weekday()]
        span: _Span | None = None
        if entry is not None and day not in self.closures and not self.is_bank_holiday(day):
            opens, closes = (
                dt.datetime.combine(day, time, tzinfo=self.zone).astimezone(dt.UTC)
                for time in entry
            )
            span = (opens, closes)
        if len(self._spans) >= _SPAN_MEMORY:
            self._spans.clear()
        self._spans[day] = span
        return span

    def _next_working(self, day: dt.date) -> tuple[dt.date, _Span]:
        candidate = day
        for _ in range(_SEARCH_DAYS):
            candidate += _ONE_DAY
            span = self._span(candidate)
            if span is not None:
                return candidate, span
        raise ValueError(
            f"no working day in the {_SEARCH_DAYS} days after {day.isoformat()}; "
            "check the closure days and opening hours"
        )

    def _counting_day(self, local: dt.datetime) -> tuple[dt.date, _Span]:
        """The working day ``local`` counts towards, with its opening and closing."""
        day = local.date()
        span = self._span(day)
        if span is not None and local.astimezone(dt.UTC) < span[1]:
            return day, span
        return self._next_working(day)

    def _count_working_days(self, first: dt.date, last: dt.date) -> int:
        """Working days from ``first`` to ``last``, both included."""
        if last < first:
            return 0
        open_weekdays = [entry is not None for entry in self.hours]
        weeks, extra = divmod((last - first).days + 1, 7)
        count = weeks * sum(open_weekdays)
        start_weekday = first.weekday()
        count += sum(open_weekdays[(start_weekday + offset) % 7] for offset in range(extra))
        closed = {day for day in self.closures if first <= day <= last}
        if self.bank_holidays:
            for year in range(first.year, last.year + 1):
                closed.update(day for day in _bank_holidays(year) if first <= day <= last)
        return count - sum(open_weekdays[day.weekday()] for day in closed)
