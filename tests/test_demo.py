"""`intake demo`'s choices that the end-to-end run in test_cli.py cannot pin down."""

from __future__ import annotations

import datetime as dt

import pytest

from intake import synthetic
from intake.demo import DEMO_DAYS, _window_start


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (dt.date(2026, 11, 25), dt.date(2026, 11, 19), dt.date(2026, 11, 25)),  # a Wednesday
        (dt.date(2026, 11, 29), dt.date(2026, 11, 23), dt.date(2026, 11, 27)),  # a Sunday
        (dt.date(2026, 12, 28), dt.date(2026, 12, 18), dt.date(2026, 12, 24)),  # bank holiday
    ],
)
def test_the_demo_mail_ends_today_or_on_the_last_working_day_before(
    today: dt.date, first: dt.date, last: dt.date
) -> None:
    """GIVEN a weekday, a Sunday and a bank holiday WHEN the demo picks its working days
    THEN they end on that day or the last working day before it: no mail from the future."""
    start = _window_start(today, DEMO_DAYS)
    days = synthetic.working_days(start, DEMO_DAYS)
    assert (days[0], days[-1]) == (first, last)
