"""The audit-log page (admin and viewer), and the store queries behind the admin pages (on
SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from intake.mailrules import Condition, Rule
from intake.store import admin as admin_store
from intake.store.ledger import Store
from intake.web.audit import PAGE_SIZE
from tests.web.conftest import Login

CsrfOf = Callable[[TestClient], str]


def seed(store: Store, count: int, entity: str = "exception") -> None:
    for index in range(count):
        store.audit(
            actor="cli:duty",
            entity=entity,
            key=str(index + 1),
            action="resolve",
            before={"status": "open"},
            after={"status": "resolved", "note_chars": index},
        )


def test_the_admin_queries_page_filter_and_find(store: Store) -> None:
    """GIVEN audit entries of two kinds, two rules and two folder cursors
    WHEN the admin pages' queries run
    THEN the audit log comes a page at a time, newest first, filtered by kind, with the total;
    rules are found by row id; each folder's last poll and error are read."""
    seed(store, 7)
    seed(store, 3, entity="mailbox")
    first = admin_store.audit_page(store, entity=None, offset=0, limit=4)
    assert first.total == 10 and len(first.entries) == 4
    assert [e.entity for e in first.entries] == ["mailbox"] * 3 + ["exception"]
    assert first.entries[0].key == "3"
    rest = admin_store.audit_page(store, entity="exception", offset=4, limit=4)
    assert rest.total == 7 and [e.key for e in rest.entries] == ["3", "2", "1"]
    assert admin_store.audit_page(store, entity="user", offset=0, limit=4).total == 0

    for name in ("alpha", "beta"):
        store.rules.add(Rule(name, (Condition("subject", "contains", name),)), actor="test")
    ids = admin_store.rule_ids(store)
    assert set(ids) == {"alpha", "beta"}
    assert admin_store.rule_name(store, ids["beta"]) == "beta"
    assert admin_store.rule_name(store, max(ids.values()) + 1) is None

    store.record_poll("cspoc", "INBOX", exists=4)
    store.record_poll("cspoc", "Junk", error="mailbox cspoc: folder Junk: gone")
    polls = {poll.folder: poll for poll in admin_store.folder_polls(store)}
    assert polls["INBOX"].exists == 4 and polls["INBOX"].last_success_at is not None
    assert polls["Junk"].last_error == "mailbox cspoc: folder Junk: gone"
    assert polls["Junk"].last_success_at is None


def test_the_viewer_reads_the_log_newest_first_a_page_at_a_time(
    client: TestClient, login: Login, web_store: Store
) -> None:
    """GIVEN more entries than fit on a page, of two kinds
    WHEN the viewer (the read-only auditor) opens the audit log, filters it and pages on
    THEN entries come newest first with who, what, which and the changed fields
    (before → after); the filter and the pages narrow them."""
    seed(web_store, PAGE_SIZE + 3)
    seed(web_store, 2, entity="mailbox")
    login(client, "viewer")
    page = client.get("/audit")
    assert page.status_code == 200
    total = PAGE_SIZE + 3 + 2 + 1  # and the viewer's own account being created
    assert f"{total} entries; page 1 of 2." in page.text
    rows = re.findall(r"<tr>\s*<th scope=\"row\">", page.text)
    assert len(rows) == PAGE_SIZE
    assert page.text.index("mailbox</span> 2") < page.text.index("exception</span> 53")
    assert "cli:duty" in page.text and "resolve" in page.text
    assert "<del>&#34;open&#34;</del>" in page.text and "<ins>&#34;resolved&#34;</ins>" in page.text

    filtered = client.get("/audit?entity=exception&page=2")
    assert f"{PAGE_SIZE + 3} entries; page 2 of 2." in filtered.text
    assert "exception</span> 1<" in filtered.text and "mailbox</span>" not in filtered.text
    assert 'href="/audit?entity=exception&amp;page=1" rel="prev"' in filtered.text
    odd = client.get("/audit?entity=<script>&page=x")
    assert odd.status_code == 200 and "<script>" not in odd.text


def test_rule_changes_made_on_the_web_appear_in_the_log(
    client: TestClient, login: Login, csrf: CsrfOf, web_store: Store
) -> None:
    """GIVEN an administrator who disables a rule on the web
    WHEN they open the audit log for mailbox rules
    THEN the change shows web:admin1, the action and enabled: true → false."""
    web_store.rules.add(Rule("junk", (Condition("folder", "equals", "Junk"),)), actor="cli:root")
    login(client, "admin")
    rule_id = admin_store.rule_ids(web_store)["junk"]
    assert (
        client.post(f"/rules/{rule_id}/disable", data={"csrf_token": csrf(client)}).status_code
        == 303
    )
    page = client.get("/audit?entity=mailbox-rule")
    assert "2 entries." in page.text
    assert "web:admin1" in page.text and "disable" in page.text
    assert "enabled</span>:" in page.text and "<del>true</del>" in page.text
    assert "<ins>false</ins>" in page.text


def test_the_team_role_may_not_read_the_audit_log(client: TestClient, login: Login) -> None:
    """GIVEN a team member WHEN they open the audit log THEN 403."""
    login(client, "team")
    page = client.get("/audit")
    assert page.status_code == 403
