"""intake.calendar: the working calendar and the deadline policies.

Scenario tests pin the answers the front door's staff would give by hand (with the dates checked
against a real 2026/2027 calendar); property tests check the rules hold for any arrival time
from 2020 to 2030, in London time or UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.calendar import (
    WEEKDAYS,
    DeadlinePolicy,
    WorkingCalendar,
    parse_hours,
    parse_policy,
)

LONDON = ZoneInfo("Europe/London")
CAL = WorkingCalendar.default()
SAME_DAY = DeadlinePolicy("same_day")
SAME_WORKING_DAY = DeadlinePolicy("same_working_day")
FOUR_HOURS = DeadlinePolicy("working_hours", 4)


def london(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


# A calendar unlike the default: a closed Tuesday, a Saturday morning, a Sunday open almost round
# the clock (so its opening hours span the clock changes) and a few closure days.
ODD = WorkingCalendar(
    zone=LONDON,
    hours=(
        (t("08:00"), t("18:00")),
        None,
        (t("09:30"), t("12:15")),
        (t("09:00"), t("17:30")),
        (t("09:00"), t("16:30")),
        (t("10:00"), t("13:00")),
        (t("00:30"), t("23:30")),
    ),
    closures=frozenset({dt.date(2026, 3, 29), dt.date(2027, 1, 4), dt.date(2024, 7, 1)}),
)


# Scenarios: deadlines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (SAME_DAY, "2026-06-10T23:59:59+01:00"),
        (SAME_WORKING_DAY, "2026-06-10T17:30:00+01:00"),
        (FOUR_HOURS, "2026-06-10T14:00:00+01:00"),
        (DeadlinePolicy("working_hours", 8), "2026-06-11T09:30:00+01:00"),
    ],
)
def test_wednesday_morning_call_under_each_policy(policy: DeadlinePolicy, expected: str) -> None:
    """GIVEN a referral phoned in at 10:00 on Wednesday 10 June 2026
    WHEN its deadline is worked out under each policy
    THEN same_day is midnight's last second, same_working_day is 17:30 that day, and working hours
    run on from 10:00 (eight hours spill into Thursday morning)."""
    assert CAL.deadline(london(2026, 6, 10, 10), policy).isoformat() == expected


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (SAME_DAY, "2026-06-12T23:59:59+01:00"),
        (SAME_WORKING_DAY, "2026-06-15T17:30:00+01:00"),
        (FOUR_HOURS, "2026-06-15T13:00:00+01:00"),
    ],
)
def test_friday_after_closing_call(policy: DeadlinePolicy, expected: str) -> None:
    """GIVEN a referral at 16:45 on Friday 12 June 2026, after the 16:30 Friday close
    WHEN its deadline is worked out
    THEN same_day is still Friday night, while same_working_day and working hours move to
    Monday (the clock for four working hours starts at Monday's 09:00 opening)."""
    assert CAL.deadline(london(2026, 6, 12, 16, 45), policy).isoformat() == expected


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (SAME_DAY, "2026-08-28T23:59:59+01:00"),
        (SAME_WORKING_DAY, "2026-09-01T17:30:00+01:00"),
        (FOUR_HOURS, "2026-09-01T13:00:00+01:00"),
    ],
)
def test_friday_after_closing_before_bank_holiday_monday(
    policy: DeadlinePolicy, expected: str
) -> None:
    """GIVEN a referral at 16:45 on Friday 28 August 2026, before the late summer bank holiday
    WHEN its deadline is worked out
    THEN the working-day policies skip the weekend and the bank holiday to Tuesday 1 September."""
    assert CAL.is_bank_holiday(dt.date(2026, 8, 31))
    assert CAL.deadline(london(2026, 8, 28, 16, 45), policy).isoformat() == expected


def test_late_night_call() -> None:
    """GIVEN a referral at 23:50 on Wednesday 10 June 2026
    WHEN its deadline is worked out
    THEN same_day gives ten minutes (23:59:59 that day) and same_working_day gives Thursday's
    close."""
    at = london(2026, 6, 10, 23, 50)
    assert CAL.deadline(at, SAME_DAY).isoformat() == "2026-06-10T23:59:59+01:00"
    assert CAL.deadline(at, SAME_WORKING_DAY).isoformat() == "2026-06-11T17:30:00+01:00"
    assert CAL.deadline(at, FOUR_HOURS).isoformat() == "2026-06-11T13:00:00+01:00"


def test_early_morning_call_counts_towards_that_day() -> None:
    """GIVEN a referral at 07:00 on a working Wednesday, before the office opens
    WHEN its working day and deadlines are worked out
    THEN it counts towards that Wednesday, and working hours start at 09:00."""
    at = london(2026, 6, 10, 7)
    assert CAL.working_day_of(at) == dt.date(2026, 6, 10)
    assert CAL.deadline(at, SAME_WORKING_DAY).isoformat() == "2026-06-10T17:30:00+01:00"
    assert CAL.deadline(at, FOUR_HOURS).isoformat() == "2026-06-10T13:00:00+01:00"


def test_call_at_exactly_closing_time_counts_towards_the_next_day() -> None:
    """GIVEN a referral at 17:30:00 on a Wednesday, the moment the office closes
    WHEN its working day is worked out
    THEN the office is closed, so it counts towards Thursday."""
    at = london(2026, 6, 10, 17, 30)
    assert not CAL.is_open(at)
    assert CAL.is_open(at - dt.timedelta(seconds=1))
    assert CAL.is_open(london(2026, 6, 10, 9))
    assert CAL.working_day_of(at) == dt.date(2026, 6, 11)
    assert CAL.deadline(at, SAME_WORKING_DAY).isoformat() == "2026-06-11T17:30:00+01:00"


def test_working_hours_that_end_at_closing_time_end_there() -> None:
    """GIVEN a referral at 10:00 on a Wednesday
    WHEN 7.5 working hours are added (exactly what is left of the day)
    THEN the deadline is that day's 17:30 close, not Thursday's opening."""
    assert CAL.add_working_hours(london(2026, 6, 10, 10), 7.5) == london(2026, 6, 10, 17, 30)
    assert CAL.add_working_hours(london(2026, 6, 10, 10), 0) == london(2026, 6, 10, 10)
    assert CAL.add_working_hours(london(2026, 6, 10, 8), 0) == london(2026, 6, 10, 9)


def test_working_days_of_friday_evening_and_weekend() -> None:
    """GIVEN arrivals on Friday evening and over the weekend
    WHEN their working day is worked out
    THEN it is Monday, or Tuesday when Monday is a bank holiday."""
    assert CAL.working_day_of(london(2026, 6, 12, 18)) == dt.date(2026, 6, 15)
    assert CAL.working_day_of(london(2026, 6, 14, 12)) == dt.date(2026, 6, 15)
    assert CAL.working_day_of(london(2026, 8, 28, 18)) == dt.date(2026, 9, 1)
    assert CAL.next_working_day(dt.date(2026, 8, 28)) == dt.date(2026, 9, 1)
    assert CAL.next_working_day(dt.date(2026, 6, 10)) == dt.date(2026, 6, 11)


# Scenarios: clock changes --------------------------------------------------------------------


def test_saturday_call_before_spring_clock_change() -> None:
    """GIVEN a referral at 16:00 on Saturday 28 March 2026 (GMT); clocks go forward on Sunday
    WHEN its same_working_day deadline is worked out
    THEN it is Monday 30 March at 17:30 British Summer Time."""
    at = london(2026, 3, 28, 16)
    assert at.utcoffset() == dt.timedelta(0)
    due = CAL.deadline(at, SAME_WORKING_DAY)
    assert due.isoformat() == "2026-03-30T17:30:00+01:00"
    assert due.tzinfo is LONDON


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 28), "2026-03-28T23:59:59+00:00"),
        (dt.date(2026, 3, 29), "2026-03-29T23:59:59+01:00"),
        (dt.date(2026, 10, 24), "2026-10-24T23:59:59+01:00"),
        (dt.date(2026, 10, 25), "2026-10-25T23:59:59+00:00"),
    ],
)
def test_end_of_day_around_clock_changes(day: dt.date, expected: str) -> None:
    """GIVEN an arrival early on a day around a clock change (01:30, in the changing hour)
    WHEN the end of its day is worked out
    THEN it is 23:59:59 local time with that evening's offset."""
    at = dt.datetime.combine(day, t("01:30"), tzinfo=LONDON)
    assert CAL.end_of_day(at).isoformat() == expected
    assert CAL.deadline(at, SAME_DAY).isoformat() == expected


def test_end_of_day_in_the_repeated_autumn_hour() -> None:
    """GIVEN arrivals in both runs of 01:30 on 25 October 2026 (BST, then GMT)
    WHEN the end of their day is worked out
    THEN both are due at 23:59:59 GMT that day."""
    first = dt.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=0)
    second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=1)
    assert first.utcoffset() == dt.timedelta(hours=1)
    assert second.utcoffset() == dt.timedelta(0)
    assert CAL.end_of_day(first).isoformat() == "2026-10-25T23:59:59+00:00"
    assert CAL.end_of_day(second).isoformat() == "2026-10-25T23:59:59+00:00"


def test_working_hours_across_clock_changes() -> None:
    """GIVEN referrals at 15:00 on the Fridays before each 2026 clock change
    WHEN four working hours are added
    THEN 1.5 hours count on Friday and 2.5 on Monday, ending 11:30 in Monday's offset."""
    spring = CAL.deadline(london(2026, 3, 27, 15), FOUR_HOURS)
    assert spring.isoformat() == "2026-03-30T11:30:00+01:00"
    autumn = CAL.deadline(london(2026, 10, 23, 15), FOUR_HOURS)
    assert autumn.isoformat() == "2026-10-26T11:30:00+00:00"


def test_working_hours_on_a_day_that_spans_the_clock_change() -> None:
    """GIVEN a service open on Sundays from 00:30 to 23:30
    WHEN working hours are counted through a Sunday with a clock change
    THEN they are real hours: 22 on the spring Sunday and 24 on the autumn one."""
    sundays = WorkingCalendar(zone=LONDON, hours=(None,) * 6 + ((t("00:30"), t("23:30")),))
    spring = london(2026, 3, 29, 0, 30)
    assert sundays.add_working_hours(spring, 22).isoformat() == "2026-03-29T23:30:00+01:00"
    assert sundays.add_working_hours(spring, 23).isoformat() == "2026-04-05T01:30:00+01:00"
    autumn = london(2026, 10, 25, 0, 30)
    assert sundays.add_working_hours(autumn, 24).isoformat() == "2026-10-25T23:30:00+00:00"
    assert sundays.add_working_hours(autumn, 1).isoformat() == "2026-10-25T01:30:00+01:00"
    assert sundays.add_working_hours(autumn, 2).isoformat() == "2026-10-25T01:30:00+00:00"


def test_times_in_other_zones_are_converted() -> None:
    """GIVEN times given in UTC (as mail servers often stamp them)
    WHEN they are checked against London opening hours in summer
    THEN 08:30 UTC is 09:30 BST and open, and answers come back in London time."""
    assert CAL.is_open(dt.datetime(2026, 3, 30, 8, 30, tzinfo=dt.UTC))
    assert not CAL.is_open(london(2026, 3, 30, 8, 30))
    due = CAL.deadline(dt.datetime(2026, 6, 10, 22, 30, tzinfo=dt.UTC), SAME_DAY)
    assert due.isoformat() == "2026-06-10T23:59:59+01:00"
    late = CAL.deadline(dt.datetime(2026, 6, 10, 23, 30, tzinfo=dt.UTC), SAME_DAY)
    assert late.isoformat() == "2026-06-11T23:59:59+01:00"
    assert late.tzinfo is LONDON


# Scenarios: bank holidays and closures -------------------------------------------------------


def test_christmas_and_new_year_bank_holidays_from_the_library() -> None:
    """GIVEN the England and Wales bank holidays over Christmas 2026 and New Year 2027
    WHEN the calendar is asked about them
    THEN Christmas Day (Fri), Boxing Day (Sat) with its substitute Monday 28th, and New Year's
    Day (Fri) are bank holidays, and the days between are working days."""
    for day in ("2026-12-25", "2026-12-26", "2026-12-28", "2027-01-01"):
        assert CAL.is_bank_holiday(dt.date.fromisoformat(day)), day
    for day in ("2026-12-24", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-04"):
        assert not CAL.is_bank_holiday(dt.date.fromisoformat(day)), day
        assert CAL.is_working_day(dt.date.fromisoformat(day)), day
    assert not CAL.is_working_day(dt.date(2026, 12, 25))
    assert not CAL.is_working_day(dt.date(2026, 12, 28))
    assert CAL.opening(dt.date(2026, 12, 25)) is None
    assert CAL.closing(dt.date(2026, 12, 28)) is None


def test_christmas_eve_and_new_year_eve_calls() -> None:
    """GIVEN referrals after closing on Christmas Eve and New Year's Eve 2026
    WHEN their same_working_day deadlines are worked out
    THEN Christmas Eve's is due Tuesday 29 December (past Christmas, the weekend and the Boxing
    Day substitute) and New Year's Eve's is due Monday 4 January 2027."""
    christmas_eve = london(2026, 12, 24, 18)
    assert CAL.deadline(christmas_eve, SAME_WORKING_DAY).isoformat() == (
        "2026-12-29T17:30:00+00:00"
    )
    assert CAL.deadline(christmas_eve, FOUR_HOURS).isoformat() == "2026-12-29T13:00:00+00:00"
    new_year_eve = london(2026, 12, 31, 18)
    assert CAL.deadline(new_year_eve, SAME_WORKING_DAY).isoformat() == ("2027-01-04T17:30:00+00:00")
    # Before closing on Christmas Eve, the day itself still counts.
    assert CAL.deadline(london(2026, 12, 24, 16), SAME_WORKING_DAY).isoformat() == (
        "2026-12-24T17:30:00+00:00"
    )


def test_local_closure_days() -> None:
    """GIVEN a service that also closes from 29 to 31 December 2026
    WHEN a referral arrives after closing on Christmas Eve
    THEN it is due at the first day back, Monday 4 January 2027."""
    cal = WorkingCalendar(
        zone=LONDON,
        hours=CAL.hours,
        closures=frozenset({dt.date(2026, 12, 29), dt.date(2026, 12, 30), dt.date(2026, 12, 31)}),
    )
    assert not cal.is_working_day(dt.date(2026, 12, 30))
    assert not cal.is_bank_holiday(dt.date(2026, 12, 30))
    at = london(2026, 12, 24, 18)
    assert cal.deadline(at, SAME_WORKING_DAY).isoformat() == "2027-01-04T17:30:00+00:00"
    assert cal.working_day_of(london(2026, 12, 30, 10)) == dt.date(2027, 1, 4)
    assert not cal.is_open(london(2026, 12, 30, 10))


def test_single_closure_day_mid_week() -> None:
    """GIVEN a closure day on Wednesday 10 June 2026 (a staff training day)
    WHEN a referral arrives after closing on Tuesday
    THEN it is due on Thursday."""
    cal = WorkingCalendar(zone=LONDON, hours=CAL.hours, closures=frozenset({dt.date(2026, 6, 10)}))
    at = london(2026, 6, 9, 18)
    assert cal.deadline(at, SAME_WORKING_DAY).isoformat() == "2026-06-11T17:30:00+01:00"
    assert cal.deadline(at, FOUR_HOURS).isoformat() == "2026-06-11T13:00:00+01:00"


def test_bank_holidays_can_be_switched_off() -> None:
    """GIVEN a calendar without bank holidays
    WHEN asked about Christmas Day 2026, a Friday
    THEN it is an ordinary working Friday."""
    cal = WorkingCalendar(zone=LONDON, hours=CAL.hours, bank_holidays=False)
    assert not cal.is_bank_holiday(dt.date(2026, 12, 25))
    assert cal.is_working_day(dt.date(2026, 12, 25))
    assert cal.closing(dt.date(2026, 12, 25)) == london(2026, 12, 25, 16, 30)


def test_default_calendar() -> None:
    """GIVEN the built-in calendar
    WHEN its settings are read
    THEN it is London time, Mon-Thu 09:00-17:30, Fri 09:00-16:30, closed at weekends."""
    assert CAL.zone.key == "Europe/London"
    assert CAL.bank_holidays
    assert CAL.closures == frozenset()
    assert len(CAL.hours) == len(WEEKDAYS) == 7
    assert WEEKDAYS[0] == "monday"
    assert WEEKDAYS[-1] == "sunday"
    assert CAL.opening(dt.date(2026, 6, 8)) == london(2026, 6, 8, 9)
    assert CAL.closing(dt.date(2026, 6, 11)) == london(2026, 6, 11, 17, 30)
    assert CAL.closing(dt.date(2026, 6, 12)) == london(2026, 6, 12, 16, 30)
    assert CAL.opening(dt.date(2026, 6, 13)) is None
    assert CAL.opening(dt.date(2026, 6, 14)) is None


def test_describe() -> None:
    """GIVEN calendars with and without bank holidays and closure days
    WHEN described for people
    THEN the line names the hours, the bank holidays and how many closure days there are."""
    assert CAL.describe() == (
        "Mon-Thu 09:00-17:30, Fri 09:00-16:30; England and Wales bank holidays"
    )
    two = WorkingCalendar(
        zone=LONDON,
        hours=CAL.hours,
        closures=frozenset({dt.date(2026, 12, 29), dt.date(2026, 12, 30)}),
    )
    assert two.describe() == (
        "Mon-Thu 09:00-17:30, Fri 09:00-16:30; England and Wales bank holidays; 2 closure days"
    )
    one = WorkingCalendar(
        zone=LONDON,
        hours=CAL.hours,
        closures=frozenset({dt.date(2026, 6, 10)}),
        bank_holidays=False,
    )
    assert one.describe() == "Mon-Thu 09:00-17:30, Fri 09:00-16:30; no bank holidays; 1 closure day"
    assert ODD.describe() == (
        "Mon 08:00-18:00, Wed 09:30-12:15, Thu 09:00-17:30, Fri 09:00-16:30, Sat 10:00-13:00, "
        "Sun 00:30-23:30; England and Wales bank holidays; 3 closure days"
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (london(2026, 6, 10, 10), london(2026, 6, 10, 16), 0),
        (london(2026, 6, 10, 10), london(2026, 6, 11, 9), 1),
        (london(2026, 6, 10, 10), london(2026, 6, 12, 23), 2),
        (london(2026, 6, 12, 18), london(2026, 6, 15, 9), 1),
        (london(2026, 6, 13, 12), london(2026, 6, 15, 9), 1),
        (london(2026, 6, 12, 10), london(2026, 6, 14, 9), 0),
        (london(2026, 8, 28, 10), london(2026, 9, 1, 9), 1),
        (london(2026, 12, 24, 10), london(2026, 12, 29, 9), 1),
        (london(2026, 12, 24, 10), london(2027, 1, 4, 9), 4),
        (london(2026, 6, 11, 10), london(2026, 6, 10, 10), 0),
        (london(2026, 1, 1, 10), london(2027, 1, 1, 10), 253),
    ],
)
def test_working_days_between(start: dt.datetime, end: dt.datetime, expected: int) -> None:
    """GIVEN two moments
    WHEN the working days between them are counted by local date
    THEN weekends, bank holidays and a reversed pair count for nothing (2026 has 261 weekdays,
    8 of them bank holidays, and 1 January 2027 is one too)."""
    assert CAL.working_days_between(start, end) == expected


# Scenarios: validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00-17:30", (t("09:00"), t("17:30"))),
        ("9:00-17:30", (t("09:00"), t("17:30"))),
        (" 09:00 - 17:30 ", (t("09:00"), t("17:30"))),
        ("08:15\u201316:45", (t("08:15"), t("16:45"))),
        ("00:00-23:59", (t("00:00"), t("23:59"))),
        ("closed", None),
        (" Closed ", None),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_hours(text: str, expected: tuple[dt.time, dt.time] | None) -> None:
    assert parse_hours(text) == expected


def _assert_problem_then_fix(message: str) -> None:
    """The configuration shows the text before the first ';' as the problem and the rest as the
    fix, so every message must have both."""
    problem, _, fix = message.partition("; ")
    assert problem
    assert fix
    assert "e.g." in fix or "closed" in fix


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "9-5:30",
            r"""'9-5:30' is not a time range; write HH:MM-HH:MM, """
            r"""e\.g\. "09:00-17:30", or "closed\"""",
        ),
        ("9am-5pm", r"'9am-5pm' is not a time range; write HH:MM-HH:MM"),
        ("09:00", r"'09:00' is not a time range; write HH:MM-HH:MM"),
        ("shut", r"'shut' is not a time range; .*\"closed\""),
        ("25:00-26:00", r"'25:00-26:00' has 25:00, which is not a time of day; hours run 00-23"),
        ("09:60-17:00", r"'09:60-17:00' has 09:60, which is not a time of day"),
        ("09:00-24:00", r"'09:00-24:00' uses 24:00; .* write \"23:59\""),
        ("17:30-09:00", r"'17:30-09:00' closes before it opens; give the opening time first"),
        ("09:00-09:00", r"'09:00-09:00' opens and closes at the same time; .*\"closed\""),
    ],
)
def test_parse_hours_errors_say_how_to_fix(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_hours(text)
    _assert_problem_then_fix(str(caught.value))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("same_day", SAME_DAY),
        ("same_working_day", SAME_WORKING_DAY),
        ("working_hours:4", FOUR_HOURS),
        (" Working_Hours : 4 ", FOUR_HOURS),
        ("working_hours:1", DeadlinePolicy("working_hours", 1)),
        ("working_hours:200", DeadlinePolicy("working_hours", 200)),
    ],
)
def test_parse_policy(text: str, expected: DeadlinePolicy) -> None:
    policy = parse_policy(text)
    assert policy == expected
    assert parse_policy(str(policy)) == policy


def test_policy_str() -> None:
    assert str(SAME_DAY) == "same_day"
    assert str(SAME_WORKING_DAY) == "same_working_day"
    assert str(FOUR_HOURS) == "working_hours:4"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "next_day",
            r"'next_day' is not a deadline policy; write \"same_day\", \"same_working_day\" "
            r"or \"working_hours:N\" with N from 1 to 200",
        ),
        ("", r"'' is not a deadline policy; write"),
        ("same day", r"'same day' is not a deadline policy"),
        (
            "working_hours",
            r"'working_hours' does not say how many working hours; write \"working_hours:N\"",
        ),
        ("working_hours:", r"does not say how many working hours"),
        (
            "working_hours:four",
            r"'working_hours:four' needs a whole number of hours after the colon",
        ),
        ("working_hours:4.5", r"needs a whole number of hours"),
        ("working_hours:-4", r"needs a whole number of hours"),
        ("working_hours:0", r"'working_hours:0' asks for 0 working hours; N must be from 1 to 200"),
        (
            "working_hours:201",
            r"asks for 201 working hours; N must be from 1 to 200, e\.g\. \"working_hours:4\"",
        ),
    ],
)
def test_parse_policy_errors_say_how_to_fix(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_policy(text)
    _assert_problem_then_fix(str(caught.value))


def test_policy_checks_its_own_fields() -> None:
    with pytest.raises(ValueError, match="working_hours cannot be 0 hours; give a whole number"):
        DeadlinePolicy("working_hours")
    with pytest.raises(ValueError, match=r"cannot be 201 hours; .* from 1 to 200"):
        DeadlinePolicy("working_hours", 201)
    with pytest.raises(ValueError, match="the same_day policy takes no hours"):
        DeadlinePolicy("same_day", 4)
    with pytest.raises(ValueError, match="'tomorrow' is not a deadline policy"):
        DeadlinePolicy("tomorrow")  # type: ignore[arg-type]


def test_calendar_checks_its_hours() -> None:
    nine_to_five = (t("09:00"), t("17:00"))
    with pytest.raises(
        ValueError, match="opening hours have 6 entries; give one for each of the 7 days"
    ):
        WorkingCalendar(zone=LONDON, hours=(nine_to_five,) * 6)
    with pytest.raises(ValueError, match="every day of the week is closed"):
        WorkingCalendar(zone=LONDON, hours=(None,) * 7)
    with pytest.raises(ValueError, match="tuesday opens at 17:00 but closes at 09:00"):
        WorkingCalendar(zone=LONDON, hours=(nine_to_five, (t("17:00"), t("09:00"))) + (None,) * 5)
    with pytest.raises(ValueError, match="closure day 2026-12-29T00:00:00 has a time"):
        WorkingCalendar(
            zone=LONDON, hours=CAL.hours, closures=frozenset({dt.datetime(2026, 12, 29)})
        )


def test_calendar_is_hashable_and_compares_by_value() -> None:
    again = WorkingCalendar(zone=ZoneInfo("Europe/London"), hours=list(CAL.hours))  # type: ignore[arg-type]
    assert again == CAL
    assert hash(again) == hash(CAL)
    assert isinstance(again.hours, tuple)


def test_no_working_day_within_reach_is_an_error() -> None:
    every_day = frozenset(dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(4000))
    cal = WorkingCalendar(zone=LONDON, hours=CAL.hours, closures=every_day)
    with pytest.raises(ValueError, match="no working day in the 3660 days after 2026-01-01"):
        cal.next_working_day(dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    "call",
    [
        lambda at: CAL.is_open(at),
        lambda at: CAL.working_day_of(at),
        lambda at: CAL.end_of_working_day(at),
        lambda at: CAL.end_of_day(at),
        lambda at: CAL.add_working_hours(at, 4),
        lambda at: CAL.deadline(at, SAME_DAY),
        lambda at: CAL.working_days_between(at, london(2026, 6, 10)),
        lambda at: CAL.working_days_between(london(2026, 6, 10), at),
    ],
)
def test_naive_datetimes_are_refused(call: Callable[[dt.datetime], object]) -> None:
    with pytest.raises(ValueError, match="has no time zone; pass an aware datetime"):
        call(dt.datetime(2026, 6, 10, 10))


@pytest.mark.parametrize("hours", [-1.0, float("nan"), float("inf")])
def test_add_working_hours_refuses_nonsense(hours: float) -> None:
    with pytest.raises(ValueError, match="give a number from 0 upwards"):
        CAL.add_working_hours(london(2026, 6, 10, 10), hours)


# Properties ----------------------------------------------------------------------------------

# Arrival times as the mailbox sees them: whole seconds, in London time or UTC, 2020-2030.
moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1),
    max_value=dt.datetime(2030, 12, 31, 23, 59, 59),
    timezones=st.sampled_from([LONDON, dt.UTC]),
    allow_imaginary=False,
).map(lambda moment: moment.replace(microsecond=0))
calendars = st.sampled_from([CAL, ODD])
policies = st.one_of(
    st.just(SAME_DAY),
    st.just(SAME_WORKING_DAY),
    st.integers(1, 200).map(lambda n: DeadlinePolicy("working_hours", n)),
)
PROPERTY = settings(deadline=None, max_examples=200)


def instant(moment: dt.datetime) -> dt.datetime:
    """The moment in UTC. Python compares two datetimes in the same zone by wall clock alone,
    which gets the repeated hour of an autumn clock change wrong, so properties compare in UTC."""
    return moment.astimezone(dt.UTC)


def _working_seconds(cal: WorkingCalendar, start: dt.datetime, end: dt.datetime) -> float:
    """Opening time between two moments, added up day by day."""
    total = 0.0
    day = start.astimezone(cal.zone).date() - dt.timedelta(days=1)
    while day <= end.astimezone(cal.zone).date():
        opens, closes = cal.opening(day), cal.closing(day)
        if opens is not None and closes is not None:
            overlap = min(end.timestamp(), closes.timestamp()) - max(
                start.timestamp(), opens.timestamp()
            )
            total += max(overlap, 0.0)
        day += dt.timedelta(days=1)
    return total


@PROPERTY
@given(cal=calendars, at=moments, policy=policies)
def test_deadline_is_never_before_arrival(
    cal: WorkingCalendar, at: dt.datetime, policy: DeadlinePolicy
) -> None:
    due = cal.deadline(at, policy)
    assert instant(due) >= instant(at)
    assert due.tzinfo is cal.zone


@PROPERTY
@given(cal=calendars, at=moments)
def test_same_day_deadline_is_the_last_second_of_the_local_day(
    cal: WorkingCalendar, at: dt.datetime
) -> None:
    due = cal.deadline(at, SAME_DAY)
    local = at.astimezone(cal.zone)
    assert due.date() == local.date()
    assert due.time() == dt.time(23, 59, 59)
    assert due.tzinfo is cal.zone
    assert due.utcoffset() == cal.zone.utcoffset(dt.datetime.combine(due.date(), due.time()))
    assert due + dt.timedelta(seconds=1) == (
        dt.datetime.combine(due.date() + dt.timedelta(days=1), dt.time(), tzinfo=cal.zone)
    )


@PROPERTY
@given(cal=calendars, at=moments)
def test_same_working_day_deadline_is_the_next_closing(
    cal: WorkingCalendar, at: dt.datetime
) -> None:
    due = cal.deadline(at, SAME_WORKING_DAY)
    assert due.tzinfo is cal.zone
    assert cal.is_working_day(due.date())
    closing = cal.closing(due.date())
    assert closing is not None
    assert instant(due) == instant(closing)
    assert instant(due) > instant(at)
    day = at.astimezone(cal.zone).date()
    while day < due.date():
        closing = cal.closing(day)
        assert closing is None or instant(closing) <= instant(at), day
        day += dt.timedelta(days=1)


@PROPERTY
@given(cal=calendars, at=moments, hours=st.integers(1, 200))
def test_working_hours_deadline_lies_in_opening_hours(
    cal: WorkingCalendar, at: dt.datetime, hours: int
) -> None:
    due = cal.deadline(at, DeadlinePolicy("working_hours", hours))
    assert due.tzinfo is cal.zone
    assert instant(due) > instant(at)
    closing = cal.closing(due.date())
    assert cal.is_open(due) or (closing is not None and instant(due) == instant(closing))
    assert _working_seconds(cal, at, due) == hours * 3600


@PROPERTY
@given(
    cal=calendars,
    at=moments,
    first=st.floats(0, 200, allow_nan=False),
    second=st.floats(0, 200, allow_nan=False),
)
def test_add_working_hours_is_monotonic(
    cal: WorkingCalendar, at: dt.datetime, first: float, second: float
) -> None:
    low, high = sorted((first, second))
    sooner, later = cal.add_working_hours(at, low), cal.add_working_hours(at, high)
    assert instant(at) <= instant(sooner) <= instant(later)


@PROPERTY
@given(cal=calendars, at=moments)
def test_working_day_of_is_a_working_day_on_or_after_the_local_date(
    cal: WorkingCalendar, at: dt.datetime
) -> None:
    day = cal.working_day_of(at)
    assert cal.is_working_day(day)
    assert day >= at.astimezone(cal.zone).date()
    closing = cal.closing(day)
    assert closing is not None
    assert instant(at) < instant(closing)
    assert instant(cal.end_of_working_day(at)) == instant(closing)
    if cal.is_open(at):
        assert day == at.astimezone(cal.zone).date()
    assert cal.next_working_day(day) > day
    assert cal.is_working_day(cal.next_working_day(day))


@PROPERTY
@given(cal=calendars, start=moments, first=moments, second=moments)
def test_working_days_between_is_zero_at_start_and_grows_with_end(
    cal: WorkingCalendar, start: dt.datetime, first: dt.datetime, second: dt.datetime
) -> None:
    assert cal.working_days_between(start, start) == 0
    early, late = sorted((first, second), key=instant)
    assert cal.working_days_between(start, early) <= cal.working_days_between(start, late)


@PROPERTY
@given(cal=calendars, start=moments, days=st.integers(0, 60), seconds=st.integers(0, 86399))
def test_working_days_between_counts_working_dates(
    cal: WorkingCalendar, start: dt.datetime, days: int, seconds: int
) -> None:
    end = start + dt.timedelta(days=days, seconds=seconds)
    expected = 0
    if instant(end) > instant(start):
        day = start.astimezone(cal.zone).date() + dt.timedelta(days=1)
        while day <= end.astimezone(cal.zone).date():
            expected += cal.is_working_day(day)
            day += dt.timedelta(days=1)
    assert cal.working_days_between(start, end) == expected
