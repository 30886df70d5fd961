"""In a real browser (Chromium via Playwright): sign in, see the first page, sign out; a wrong
password's message; screenshots of the sign-in and health pages (tests/artifacts/web-*.png)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from intake.store.ledger import Store
from tests.web.conftest import ensure_user

pytestmark = pytest.mark.browser


def test_sign_in_see_the_first_page_and_sign_out(
    page: Page,
    signed_in_page: Callable[..., Any],
    shot: Callable[[Any, str], Path],
    live_store: Store,
) -> None:
    live_store.record_poll("cspoc", "INBOX", error=None, exists=0)
    page.goto("/login")
    expect(page.get_by_label("Name")).to_be_visible()
    shot(page, "login")
    signed_in_page(page, "team")
    assert "/login" not in page.url
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/health")
    expect(page.get_by_role("heading", name="Health", exact=True)).to_be_visible()
    expect(page.locator("#next-report")).to_be_visible()
    shot(page, "health")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    page.goto("/health")
    page.wait_for_url("**/login?next=/health")


def test_wrong_password_says_so(page: Page, live_store: Store, shot: Callable[..., Path]) -> None:
    name = ensure_user(live_store, "viewer")
    page.goto("/login")
    page.fill("#username", name)
    page.fill("#password", "not the password at all")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong name or password")
    expect(page.locator("#password")).to_have_value("")
    live_store.users.clear_failures(f"user:{name}")
    live_store.users.clear_failures("addr:127.0.0.1")


def test_users_page_in_the_browser_breaks_no_content_security_rule(
    page: Page, signed_in_page: Callable[..., Any], shot: Callable[[Any, str], Path]
) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    signed_in_page(page, "admin")
    page.goto("/users")
    expect(page.get_by_role("heading", name="Users", exact=True)).to_be_visible()
    page.get_by_label("Name (lower-case letters").fill("X")
    page.get_by_role("button", name="Add user").click()
    expect(page.locator("#name-error")).to_be_visible()
    expect(page.locator("#password-error")).to_be_visible()
    shot(page, "users")
    assert violations == []
