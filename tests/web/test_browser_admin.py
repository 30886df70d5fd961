"""The administration pages in Chromium: a rule with a bad pattern, fixed, saved and tested;
the rules page refused to the team role; the mailboxes page with a connection test; the audit
log. Screenshots go to tests/artifacts/web-*.png.

Each test serves its own database (a live server of its own), so the mail and rules seeded
here never show up in the other browser tests' pages.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from intake.mailrules import Condition, Rule
from intake.store.ledger import Store
from tests.support.dovecot import DovecotServer
from tests.support.settings import PASSWORD_ENV, mailbox_for
from tests.web.conftest import PASSWORD, ensure_user, serve, settings_for
from tests.web.test_rules import seed_mail

pytestmark = pytest.mark.browser

Shot = Callable[[Any, str], Path]


@pytest.fixture
def own_database(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[str, Store]]:
    path = tmp_path / "intake.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    store = Store.open(url)
    yield url, store
    store.close()


def sign_in(page: Page, base: str, store: Store, role: str) -> None:
    name = ensure_user(store, role)
    page.goto(f"{base}/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_an_admin_fixes_saves_and_tests_a_rule(
    page: Page, own_database: tuple[str, Store], shot: Shot, tmp_path: Path
) -> None:
    """GIVEN stored mail and two rules
    WHEN an administrator adds a rule with a bad regular expression, fixes it, saves it and
    tests it
    THEN they see the error beside the condition, then the rule in the list, then the test's
    result table (ledger ids, no senders)."""
    url, store = own_database
    settings = settings_for(url)
    seed_mail(settings, store, tmp_path / "mail")
    store.rules.add(
        Rule("junk-folder", (Condition("folder", "equals", "Junk"),), action="ignore"),
        actor="cli:admin",
    )
    store.rules.add(
        Rule(
            "phoned-in",
            (Condition("subject", "contains", "phone call"),),
            action="call",
            post_action="keyword:Intake-Call",
        ),
        actor="cli:admin",
    )
    with serve(settings, store) as base:
        sign_in(page, base, store, "admin")
        page.goto(f"{base}/rules")
        page.get_by_role("link", name="Add a rule").click()
        page.fill("#name", "out-of-office")
        page.select_option("#c0-field", "subject")
        page.select_option("#c0-op", "regex")
        page.fill("#c0-value", "^(automatic reply|out of office")
        page.select_option("#action", "ignore")
        page.select_option("#post_kind", "keyword")
        page.fill("#post_arg", "Intake-Ignored")
        page.get_by_role("button", name="Save the rule").click()
        error = page.locator("#row-0-error")
        expect(error).to_contain_text("the pattern does not compile")
        expect(page.locator("#c0-value")).to_have_attribute("aria-describedby", "row-0-error")
        shot(page, "rule-edit-error")

        page.fill("#c0-value", "^(automatic reply|out of office)")
        page.get_by_role("button", name="Save the rule").click()
        page.wait_for_url(lambda u: "/rules?done=added" in u)
        expect(page.get_by_role("status").first).to_have_text("The rule was added.")
        expect(page.get_by_role("link", name="out-of-office", exact=True)).to_be_visible()
        shot(page, "rules")

        page.get_by_role("link", name="Test out-of-office").click()
        expect(page.locator("#results-summary")).to_contain_text("2 would match")
        expect(page.locator("table.results tbody tr")).to_have_count(2)
        expect(page.locator("table.results")).not_to_contain_text("hospital.example")
        shot(page, "rule-test")
    assert [rule.name for rule in store.rules.all()] == [
        "junk-folder",
        "phoned-in",
        "out-of-office",
    ]


def test_a_team_member_is_refused_the_rules_page(
    page: Page, own_database: tuple[str, Store]
) -> None:
    """GIVEN a signed-in team member WHEN they open /rules THEN they get the 403 page."""
    url, store = own_database
    with serve(settings_for(url), store) as base:
        sign_in(page, base, store, "team")
        response = page.goto(f"{base}/rules")
        assert response is not None and response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
        expect(page.get_by_role("link", name="Rules")).to_have_count(0)


@pytest.mark.dovecot
def test_an_admin_tests_a_mailbox_connection_and_reads_the_audit_log(
    page: Page,
    own_database: tuple[str, Store],
    dovecot: DovecotServer,
    shot: Shot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN the mailbox on the private Dovecot, polled once without error
    WHEN an administrator tests its connection and then opens the audit log
    THEN the page shows the folders found, and the log shows the test as web:admin1."""
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    dovecot.create_folder("Processed")
    url, store = own_database
    base_settings = settings_for(url)
    settings = dataclasses.replace(base_settings, mailboxes=(mailbox_for(dovecot),))
    store.record_poll("cspoc", "INBOX", exists=0)
    store.rules.add(
        Rule("junk-folder", (Condition("folder", "equals", "Junk"),), action="ignore"),
        actor="cli:admin",
    )
    with serve(settings, store) as base:
        sign_in(page, base, store, "admin")
        page.goto(f"{base}/mailboxes")
        page.get_by_role("button", name="Test connection to cspoc").click()
        expect(page.locator(".connection-test")).to_contain_text("Connected and logged in")
        expect(page.get_by_text(dovecot.password, exact=True)).to_have_count(0)
        shot(page, "mailboxes")
        page.get_by_role("link", name="Audit log").click()
        expect(page.locator("table.audit")).to_contain_text("test-connection")
        expect(page.locator("table.audit")).to_contain_text("web:admin1")
        shot(page, "audit")
