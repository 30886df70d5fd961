"""The report's HTML in a real browser (Debian's Chromium driven by Playwright, offline), with a
screenshot of each case in tests/artifacts/report-<case>.png for a person to look at.

Skipped when Chromium is missing, except in CI (INTAKE_TEST_REQUIRE_SERVICES=1), where that
fails. See shared/recipes/browser-tests.md for the flags.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intake import service, synthetic
from intake.config import MailboxSettings, ReportSettings
from intake.report import build, render
from tests.report.conftest import MON, FrontDoor, at, days
from tests.report.test_build import a_week
from tests.support.browser import launch_args

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
TUE = MON + days(1)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    args = launch_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**args)
        yield browser
        browser.close()


def show(chromium: Any, html: str, case: str) -> Any:
    """Open ``html`` in a new page, screenshot it, and return the page (no network used)."""
    page = chromium.new_page(viewport={"width": 1200, "height": 800})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_content(html, wait_until="load")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-{case}.png"), full_page=True)
    assert requests == [], requests
    return page


def test_a_busy_day_with_a_mailbox_in_trouble(chromium: Any, door: FrontDoor) -> None:
    """GIVEN Tuesday's report with every section filled and a stale mailbox holding a dead
    message WHEN it is opened in Chromium THEN the title and totals are visible, the mailbox row
    is drawn in red above the new exceptions, and the page loads nothing from anywhere."""
    a_week(door)
    box = MailboxSettings(name="cspoc", host="imap.example.net", username="intake")
    settings = dataclasses.replace(door.settings, mailboxes=(box,))
    (door.folder / "a.eml").write_bytes(synthetic.malformed_emails()["binary_garbage"])
    service.import_paths(settings, door.store, [door.folder / "a.eml"], "cspoc")
    door.store.record_poll("cspoc", "INBOX", exists=1)
    now = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    html = render(build(settings, door.store, TUE, now=now), "C-SPOC daily exceptions report").html
    page = show(chromium, html, "busy-day")
    try:
        assert page.locator("#title").is_visible()
        assert page.locator("#title").inner_text() == "C-SPOC daily exceptions report — 2026-12-01"
        assert page.locator("#totals").is_visible()
        cell = page.locator('td[data-mailbox="cspoc"]')
        assert cell.is_visible()
        colour = cell.evaluate("el => getComputedStyle(el).backgroundColor")
        assert colour == "rgb(253, 226, 226)"
        mailbox_top = cell.bounding_box()["y"]
        new_top = page.get_by_text("New exceptions since the previous report").bounding_box()["y"]
        assert mailbox_top < new_top
    finally:
        page.close()


def test_referrer_text_cannot_run_in_the_browser(chromium: Any, door: FrontDoor) -> None:
    """GIVEN a child named <script>window.pwned=1</script> and an agency =HYPERLINK(...)
    WHEN the report (full names) is opened THEN the script never runs, both are shown as text,
    and there is no link to click."""
    kid = door.child(forenames="<script>window.pwned=1</script>", surname="Test")
    call = door.call(at(MON, 10), kid, '=HYPERLINK("http://evil.example/","open me")')
    door.raise_(
        "phone-no-same-day-email", at(MON, 23, 59), kid, due_at=at(MON, 23, 59), call_pk=call
    )
    settings = dataclasses.replace(
        door.settings, report=ReportSettings(identify="full", out_dir=str(door.folder))
    )
    html = render(build(settings, door.store, TUE, now=at(TUE, 8)), "subject").html
    page = show(chromium, html, "escaping")
    try:
        assert page.evaluate("() => window.pwned === undefined")
        assert page.get_by_text("<script>window.pwned=1</script> Test").first.is_visible()
        assert page.get_by_text('=HYPERLINK("http://evil.example/","open me")').first.is_visible()
        assert page.locator("a").count() == 0 and page.locator("script").count() == 0
    finally:
        page.close()


def test_a_day_with_no_data(chromium: Any, door: FrontDoor) -> None:
    """GIVEN nothing happened WHEN the report is opened THEN it says so, plainly and visibly."""
    html = render(build(door.settings, door.store, TUE, now=at(TUE, 8)), "subject").html
    page = show(chromium, html, "no-data")
    try:
        assert page.locator("#no-data").is_visible()
        assert page.locator("#no-data").inner_text() == "No exceptions and no mail for this period."
    finally:
        page.close()
