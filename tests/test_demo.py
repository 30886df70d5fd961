"""`intake demo`'s choices that the end-to-end run in test_cli.py cannot pin down."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from intake import synthetic
from intake.config import LimitSettings, Settings
from intake.demo import DEMO_DAYS, _window_start, run_demo


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


def test_the_demo_ends_by_writing_the_days_report(tmp_path: Path) -> None:
    """GIVEN a fresh directory WHEN the demo runs for Wednesday 25 November 2026 THEN it writes
    that day's report (HTML, CSV and text) to the out directory and its summary names the HTML
    file; the report lists the demo's open exceptions and never a full child's name."""
    out = tmp_path / "out"
    settings = Settings(limits=LimitSettings(parse_workers=0))
    summary = run_demo(tmp_path / "demo", settings, today=dt.date(2026, 11, 25), out_dir=out)
    html = out / "report-2026-11-25.html"
    assert f"Report:       {html} (" in summary
    assert {p.name for p in out.iterdir()} == {
        "report-2026-11-25.html",
        "report-2026-11-25.csv",
        "report-2026-11-25.txt",
    }
    text = (out / "report-2026-11-25.txt").read_text(encoding="utf-8")
    assert "EXCEPTIONS STILL OPEN" in text and "EX-" in text
    assert "demo: in folders" in text  # the demo's import, in the reconciliation
    assert "neglect-no-gcp" in html.read_text(encoding="utf-8")
