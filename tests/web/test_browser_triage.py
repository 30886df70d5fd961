"""The triage pages in Chromium, as a duty team member uses them between calls: finding an
exception and resolving it with a note, logging a call, uploading a call log, the ledger. Each
saves a screenshot under tests/artifacts/."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from intake.store.ledger import Store
from tests.web.test_exceptions import seed_case

pytestmark = pytest.mark.browser

CSV_WITH_A_BAD_ROW = (
    "called_at,caller_name,child_forenames,child_surname,child_dob,urgent\n"
    "2026-03-03 09:15,Bronwen Tallis,Tegan,Pollexfen,2017-01-20,yes\n"
    "2026-03-03 10:30,Idris Penhallow,Arwel,Quenby,31/02/2016,yes\n"
)


@pytest.fixture(scope="module")
def ellis(live_store: Store, live_database: str) -> Iterator[int]:
    """Ellis's open neglect-no-gcp exception in the live server's database."""
    with tempfile.TemporaryDirectory(prefix="w2-browser-") as folder:
        yield seed_case(live_store, live_database, Path(folder))


def test_find_an_exception_and_resolve_it_with_a_note(
    page: Page,
    ellis: int,
    live_store: Store,
    signed_in_page: Callable[..., Any],
    shot: Callable[[Any, str], Path],
) -> None:
    """GIVEN Ellis's open exception
    WHEN a team member filters the list by its rule, opens it, resolves it without a note, then
    with one
    THEN the list shows it; the empty note is refused beside the field; the note resolves it and
    the page says so, with the note on the timeline."""
    signed_in_page(page, "team")
    page.goto("/exceptions")
    page.select_option("#rule", "neglect-no-gcp")
    page.get_by_role("button", name="Show").click()
    row = page.locator("#exceptions tbody tr", has_text="Marchbank")
    expect(row).to_have_count(1)
    shot(page, "exceptions")
    row.get_by_role("link", name="neglect-no-gcp").click()
    expect(page).to_have_url(re.compile(rf"/exceptions/{ellis}$"))
    page.get_by_role("button", name=re.compile("Resolve exception")).click()
    expect(page.locator("#note-error")).to_have_text("Write a note saying what was done")
    expect(page.locator("#note")).to_have_attribute("aria-describedby", "note-error")
    page.fill("#note", "Phoned the school: the GCP is coming on Friday")
    page.get_by_role("button", name=re.compile("Resolve exception")).click()
    expect(page.locator("#done")).to_contain_text("now resolved")
    expect(page.locator("#status")).to_have_text("resolved")
    expect(page.locator("#timeline")).to_contain_text("web:team1")
    shot(page, "exception-detail")
    assert live_store.cases.exceptions(ids=[ellis])[0].status == "resolved"


def test_log_a_call_with_a_bad_date_and_correct_it(
    page: Page,
    live_store: Store,
    signed_in_page: Callable[..., Any],
    shot: Callable[[Any, str], Path],
) -> None:
    """GIVEN a team member on "Log a call"
    WHEN they give the child's date of birth as 30/02/2019, then correct it to 28/02/2019
    THEN the reason is shown beside the field with the other values kept; then the call is
    recorded and the list says so."""
    signed_in_page(page, "team")
    page.goto("/calls")
    page.get_by_role("link", name="Log a call").click()
    page.fill("#called_at", "2026-03-04 14:05")
    page.select_option("#urgent", "yes")
    page.fill("#caller_name", "Carys Mould")
    page.fill("#caller_agency", "Pier Nursery")
    page.fill("#child_forenames", "Wren")
    page.fill("#child_surname", "Attwater")
    page.fill("#child_dob", "30/02/2019")
    page.get_by_role("button", name="Record the call").click()
    expect(page.locator("#child_dob-error")).to_contain_text("No such date")
    expect(page.locator("#caller_name")).to_have_value("Carys Mould")
    shot(page, "calls-new")
    page.fill("#child_dob", "28/02/2019")
    page.get_by_role("button", name="Record the call").click()
    expect(page.locator(".notice").first).to_contain_text("recorded")
    expect(page.locator("#calls")).to_contain_text("Attwater")
    assert any(
        c.child_surname == "Attwater" and c.source == "web" for c in live_store.cases.calls()
    )


def test_upload_a_call_log_with_a_bad_row(
    page: Page,
    live_store: Store,
    signed_in_page: Callable[..., Any],
    shot: Callable[[Any, str], Path],
) -> None:
    """GIVEN a call log whose line 3 has no such date of birth
    WHEN a team member uploads it
    THEN the check page lists line 3 with the reason and says nothing has been stored; nothing
    is stored."""
    signed_in_page(page, "team")
    page.goto("/calls/upload")
    page.set_input_files(
        "#file",
        files=[
            FilePayload(name="calls.csv", mimeType="text/csv", buffer=CSV_WITH_A_BAD_ROW.encode())
        ],
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#problems")).to_contain_text("line 3")
    expect(page.locator("#problems")).to_contain_text("child_dob: no such date")
    expect(page.get_by_text("Nothing has been stored yet.")).to_be_visible()
    shot(page, "calls-upload")
    assert not any(c.child_surname in ("Pollexfen", "Quenby") for c in live_store.cases.calls())


def test_the_ledger(
    page: Page,
    ellis: int,
    signed_in_page: Callable[..., Any],
    shot: Callable[[Any, str], Path],
) -> None:
    """GIVEN Ellis's referral in the ledger WHEN a viewer opens Messages THEN it is listed."""
    signed_in_page(page, "viewer")
    page.goto("/messages")
    expect(page.locator("#messages")).to_contain_text("checked")
    shot(page, "messages")
