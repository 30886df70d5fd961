"""The mailbox-rules pages: list, add, edit (inline errors from the CLI's own checks), delete,
enable/disable, reorder, and testing a stored or unsaved rule on stored mail."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from intake import service
from intake.config import Settings
from intake.mailrules import Condition, Rule
from intake.store import admin as admin_store
from intake.store.ledger import Store
from intake.store.rules import ENTITY
from intake.web.app import create_app
from tests.support.dovecot import DovecotServer
from tests.support.settings import PASSWORD_ENV, mailbox_for
from tests.web.conftest import Clock, Login, settings_for

CsrfOf = Callable[[TestClient], str]

#: Synthetic senders and subjects only.
MAILS = (
    ("duty@seaview.example.sch.uk", "Referral: request for support", "Please see attached."),
    ("auto@hospital.example.nhs.uk", "Automatic reply: away until Monday", "I am away."),
    ("office@agency.example.org.uk", "Out of office", "Back soon."),
    ("duty@seaview.example.sch.uk", "Referral: second request", "Please call back."),
)


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    """These page tests run on SQLite (the store's queries are tested on both databases)."""
    path = tmp_path / "intake.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def rule_form(token: str, **values: Any) -> dict[str, Any]:
    """The add/edit form as a browser posts it: ticked boxes only, blank rows included."""
    data: dict[str, Any] = {
        "csrf_token": token,
        "name": "out-of-office",
        "enabled": "1",
        "stop": "1",
        "action": "ignore",
        "post_kind": "none",
        "post_arg": "",
        "position": "",
        "server_check": "1",
        "last": "50",
        "do": "save",
        "c0_field": "subject",
        "c0_op": "regex",
        "c0_value": "^(automatic reply|out of office)",
    }
    for index in range(1, 5):
        data.update({f"c{index}_field": "", f"c{index}_op": "contains", f"c{index}_value": ""})
    for key, value in values.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def seed_mail(settings: Settings, store: Store, folder: Path) -> list[int]:
    """Import :data:`MAILS` as .eml files (oldest first); returns the ledger ids, newest first."""
    folder.mkdir(exist_ok=True)
    for index, (sender, subject, body) in enumerate(MAILS):
        message = EmailMessage()
        message["From"] = sender
        message["To"] = "cspoc@council.example.gov.uk"
        message["Subject"] = subject
        message["Date"] = f"Mon, 16 Nov 2026 0{index + 1}:00:00 +0000"
        message["Message-ID"] = f"<web-rules-{index}@example.org.uk>"
        message.set_content(body)
        (folder / f"m{index}.eml").write_bytes(bytes(message))
    # In this process (no parse workers to start): four small messages need none.
    inline = dataclasses.replace(
        settings, limits=dataclasses.replace(settings.limits, parse_workers=0)
    )
    service.import_paths(inline, store, sorted(folder.glob("*.eml")))
    return [message.id for message in store.rules.recent(len(MAILS))]


def rule_id(store: Store, name: str) -> int:
    return admin_store.rule_ids(store)[name]


def test_an_admin_adds_a_rule_and_it_is_listed_and_audited(
    client: TestClient, login: Login, csrf: CsrfOf, web_store: Store
) -> None:
    """GIVEN an administrator signed in and no rules
    WHEN they open the empty list, then add a rule through the form
    THEN they are sent back to the list (303), which shows the rule with its position, state,
    conditions, action, post-action and stop; the audit log names them as web:admin1."""
    login(client, "admin")
    empty = client.get("/rules")
    assert empty.status_code == 200
    assert "every message is processed as a referral" in empty.text
    assert client.get("/rules/new").status_code == 200
    saved = client.post(
        "/rules/new", data=rule_form(csrf(client), post_kind="keyword", post_arg="Intake-Ignored")
    )
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"].startswith("/rules?done=added&rule=")
    page = client.get(saved.headers["location"])
    assert "The rule was added." in page.text
    assert "out-of-office" in page.text
    assert "subject regex &#39;^(automatic reply|out of office)&#39;" in page.text
    assert "keyword:Intake-Ignored" in page.text
    (rule,) = web_store.rules.all()
    assert rule == Rule(
        "out-of-office",
        (Condition("subject", "regex", "^(automatic reply|out of office)"),),
        action="ignore",
        post_action="keyword:Intake-Ignored",
        position=1,
    )
    (entry,) = web_store.audit_log(ENTITY)
    assert (entry.actor, entry.action, entry.key) == ("web:admin1", "add", "out-of-office")


def test_a_bad_regular_expression_is_shown_beside_its_row_and_nothing_is_saved(
    client: TestClient, login: Login, csrf: CsrfOf, web_store: Store
) -> None:
    """GIVEN an administrator on the add form
    WHEN they submit a rule whose second condition's pattern does not compile, with a bad
    keyword and an empty name
    THEN the form comes back (422) with each problem beside its own field (and linked from
    the summary at the top), the values they typed kept, and nothing is saved or audited."""
    login(client, "admin")
    data = rule_form(
        csrf(client),
        name="",
        c1_field="body",
        c1_op="regex",
        c1_value="(unclosed",
        post_kind="keyword",
        post_arg="two words",
    )
    page = client.post("/rules/new", data=data)
    assert page.status_code == 422
    row = re.search(r'<p class="error" id="row-1-error">(.*?)</p>', page.text, re.DOTALL)
    assert row is not None and "the pattern does not compile" in row.group(1)
    assert 'aria-describedby="row-1-error"' in page.text
    assert re.search(r'id="name-error">the rule has no name', page.text)
    assert re.search(r'id="post-error">keyword &#39;two words&#39; is not a valid', page.text)
    assert 'id="row-0-error"' not in page.text
    assert '<a href="#c1-value">condition 2: body regex: the pattern does not compile' in page.text
    assert '<a href="#name">the rule has no name' in page.text
    assert 'value="(unclosed"' in page.text
    assert web_store.rules.all() == [] and web_store.audit_log(ENTITY) == []


def test_the_form_explains_rules_without_conditions_and_duplicate_names(
    client: TestClient, login: Login, csrf: CsrfOf, web_store: Store
) -> None:
    """GIVEN a stored rule "out-of-office"
    WHEN another rule is added with no conditions, then one with the same name
    THEN the first is refused beside the conditions (it would match everything), the second
    beside the name; CLI option names are not shown."""
    login(client, "admin")
    token = csrf(client)
    assert client.post("/rules/new", data=rule_form(token)).status_code == 303
    bare = client.post("/rules/new", data=rule_form(token, name="bare", c0_field="", c0_value=""))
    assert bare.status_code == 422
    assert re.search(r'id="conditions-error">it has no conditions', bare.text)
    assert "--if" not in bare.text and "--match-all" not in bare.text
    again = client.post("/rules/new", data=rule_form(token))
    assert again.status_code == 422
    assert re.search(r'id="name-error">a rule with this name already exists', again.text)
    assert len(web_store.rules.all()) == 1


def test_editing_enabling_moving_and_deleting_are_audited_as_the_web_user(
    client: TestClient, login: Login, csrf: CsrfOf, web_store: Store
) -> None:
    """GIVEN three rules
    WHEN an administrator edits one, disables and re-enables it, moves it up, and deletes
    another after its confirmation page
    THEN each change is made and written to the audit log as web:admin1."""
    login(client, "admin")
    token = csrf(client)
    for name in ("first", "second", "third"):
        added = client.post("/rules/new", data=rule_form(token, name=name))
        assert added.status_code == 303
    third = rule_id(web_store, "third")
    form = client.get(f"/rules/{third}/edit")
    assert form.status_code == 200 and 'value="third"' in form.text
    edited = client.post(
        f"/rules/{third}/edit",
        data=rule_form(token, name="third-renamed", action="call", stop=None),
    )
    assert edited.status_code == 303
    assert web_store.rules.get("third-renamed").stop is False
    for change in ("disable", "enable"):
        assert (
            client.post(f"/rules/{third}/{change}", data={"csrf_token": token}).status_code == 303
        )
    moved = client.post(f"/rules/{third}/move", data={"csrf_token": token, "direction": "up"})
    assert moved.status_code == 303
    assert [r.name for r in web_store.rules.all()] == ["first", "third-renamed", "second"]
    first = rule_id(web_store, "first")
    confirm = client.get(f"/rules/{first}/delete")
    assert confirm.status_code == 200 and "Delete the rule" in confirm.text
    assert client.post(f"/rules/{first}/delete", data={"csrf_token": token}).status_code == 303
    assert [r.name for r in web_store.rules.all()] == ["third-renamed", "second"]
    assert client.get(f"/rules/{first}/edit").status_code == 404
    actions = [(e.action, e.actor) for e in reversed(web_store.audit_log(ENTITY))]
    assert [a for a, _ in actions] == [
        "add", "add", "add", "edit", "disable", "enable", "move", "remove",
    ]  # fmt: skip
    assert {actor for _, actor in actions} == {"web:admin1"}


def test_testing_a_stored_or_unsaved_rule_shows_results_and_changes_nothing(
    client: TestClient,
    login: Login,
    csrf: CsrfOf,
    web_store: Store,
    web_settings: Settings,
    tmp_path: Path,
) -> None:
    """GIVEN four stored messages (two automatic replies) and a stored rule
    WHEN an administrator tests the stored rule, with and without "show", and tests an
    unsaved edit of it from the form
    THEN the results list ledger ids, received times, which conditions held and what the
    rule would do; senders and subjects only when "show" is ticked; and the ledger, the rules
    and the audit log are exactly as before."""
    ids = seed_mail(web_settings, web_store, tmp_path / "mail")
    login(client, "admin")
    token = csrf(client)
    assert client.post("/rules/new", data=rule_form(token)).status_code == 303
    before = (web_store.ledger(), web_store.rules.all(), web_store.audit_log())
    number = rule_id(web_store, "out-of-office")

    page = client.get(f"/rules/{number}/test?last=4")
    assert page.status_code == 200
    assert "Of the last 4 stored messages:" in page.text and "<strong>2</strong>" in page.text
    assert f"#{ids[1]}" in page.text and f"#{ids[2]}" in page.text
    assert "would ignore" in page.text and "Nothing was changed." in page.text
    assert "Out of office" not in page.text and "hospital.example" not in page.text

    shown = client.get(f"/rules/{number}/test?last=4&show=1&all=1")
    assert "auto@hospital.example.nhs.uk: Automatic reply" in shown.text
    assert f"#{ids[0]}" in shown.text and "no match" in shown.text

    unsaved = client.post(
        f"/rules/{number}/edit",
        data=rule_form(token, do="test", c0_op="contains", c0_value="referral", last="4"),
    )
    assert unsaved.status_code == 200
    assert "<strong>2</strong> would match" in unsaved.text
    assert "Referral: second request" not in unsaved.text
    new = client.post("/rules/new", data=rule_form(token, name="", do="test", show="1"))
    assert new.status_code == 200 and "Automatic reply: away until Monday" in new.text
    assert (web_store.ledger(), web_store.rules.all(), web_store.audit_log()) == before


def test_a_test_of_an_invalid_unsaved_rule_shows_the_errors(
    client: TestClient, login: Login, csrf: CsrfOf, web_store: Store
) -> None:
    """GIVEN the add form WHEN "Test" is pressed with a pattern that does not compile
    THEN the error is shown beside the row (422) and no test is run."""
    login(client, "admin")
    page = client.post("/rules/new", data=rule_form(csrf(client), do="test", c0_value="(a"))
    assert page.status_code == 422
    assert 'id="row-0-error"' in page.text and "Test results" not in page.text


def test_folder_names_unchecked_without_a_mailbox_are_saved_with_a_warning(
    client: TestClient, login: Login, csrf: CsrfOf, web_store: Store
) -> None:
    """GIVEN no IMAP mailbox configured
    WHEN a rule with a folder condition is saved
    THEN it is saved, and the list warns that folder names were not checked."""
    login(client, "admin")
    data = rule_form(csrf(client), c0_field="folder", c0_op="equals", c0_value="Junk")
    saved = client.post("/rules/new", data=data)
    assert saved.status_code == 303 and "warn=unchecked" in saved.headers["location"]
    assert "Folder names were not checked" in client.get(saved.headers["location"]).text


@pytest.mark.dovecot
def test_folder_names_are_checked_on_the_mailbox_server(
    dovecot: DovecotServer,
    database_url: str,
    web_store: Store,
    clock: Clock,
    login: Login,
    csrf: CsrfOf,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN the configured mailbox on a real IMAP server with INBOX only
    WHEN a rule names a folder the server does not have, and one moves to it
    THEN each problem is shown beside its condition row or the post-action, as the CLI says
    it; with the server check unticked the rule is saved."""
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    settings = settings_for(database_url)
    app: FastAPI = create_app(
        Settings(database=settings.database, web=settings.web, mailboxes=(mailbox_for(dovecot),)),
        web_store,
        clock=clock,
    )
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        login(client, "admin")
        data = rule_form(
            csrf(client),
            c0_field="folder",
            c0_op="equals",
            c0_value="Nope",
            post_kind="move",
            post_arg="Done",
        )
        page = client.post("/rules/new", data=data)
        assert page.status_code == 422
        assert re.search(
            r'id="row-0-error">the mailbox server has no folder &#39;Nope&#39;', page.text
        )
        assert re.search(
            r'id="post-error">the mailbox server has no folder &#39;Done&#39;', page.text
        )
        assert "--no-server-check" not in page.text
        data.pop("server_check")
        assert client.post("/rules/new", data=data).status_code == 303
    assert [rule.name for rule in web_store.rules.all()] == ["out-of-office"]


@pytest.mark.parametrize("role", ["team", "viewer"])
def test_only_administrators_may_see_or_change_rules(
    client: TestClient, login: Login, csrf: CsrfOf, web_store: Store, role: str
) -> None:
    """GIVEN a signed-in team member or viewer
    WHEN they open the rules pages or post a change
    THEN they get the 403 page, and nothing changes."""
    login(client, role)
    for path in ("/rules", "/rules/new"):
        page = client.get(path)
        assert page.status_code == 403 and "Not allowed" in page.text
    assert client.post("/rules/new", data=rule_form(csrf(client))).status_code == 403
    assert web_store.rules.all() == []


def test_signed_out_and_forged_requests_are_refused(
    client: TestClient, login: Login, web_store: Store
) -> None:
    """GIVEN a signed-out visitor, then an administrator posting without the CSRF token
    WHEN they open or post to the rules pages
    THEN the visitor is sent to sign in (GET) or refused (401), the forged post gets 403."""
    page = client.get("/rules")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert client.post("/rules/new", data=rule_form("")).status_code == 401
    login(client, "admin")
    assert client.post("/rules/new", data=rule_form("forged")).status_code == 403
    assert web_store.rules.all() == []
