"""The mailboxes page: settings without secrets, how the polls went, and "Test connection"
against the private Dovecot (a good and a wrong password)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from intake.config import MailboxSettings, Settings
from intake.store.ledger import Store
from intake.web.app import create_app
from tests.support.dovecot import DovecotServer
from tests.support.settings import PASSWORD_ENV, mailbox_for
from tests.web.conftest import Clock, Login, settings_for

CsrfOf = Callable[[TestClient], str]


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    """These page tests run on SQLite (the store's queries are tested on both databases)."""
    path = tmp_path / "intake.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def app_with(database_url: str, store: Store, clock: Clock, *boxes: MailboxSettings) -> FastAPI:
    base = settings_for(database_url)
    settings = Settings(database=base.database, web=base.web, mailboxes=boxes)
    return create_app(settings, store, clock=clock)


def try_connection(app: FastAPI, login: Login, csrf: CsrfOf) -> tuple[Response, Response]:
    """As an administrator, open the mailboxes page and press "Test connection" for cspoc."""
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        login(client, "admin")
        page = client.get("/mailboxes")
        tested = client.post("/mailboxes/cspoc/test", data={"csrf_token": csrf(client)})
    return page, tested


@pytest.fixture
def offline_client(database_url: str, web_store: Store, clock: Clock) -> Iterator[TestClient]:
    """A mailbox that is never reached: its settings and polls are only shown."""
    box = MailboxSettings(
        name="cspoc",
        host="imap.council.example.gov.uk",
        username="cspoc-intake",
        password_file="/nonexistent/intake-password",
        folders=("INBOX", "Referrals"),
        post_action="flag",
    )
    app = app_with(database_url, web_store, clock, box)
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        yield client


def test_the_settings_and_polls_are_shown_without_secrets(
    offline_client: TestClient, login: Login, web_store: Store
) -> None:
    """GIVEN a configured mailbox whose password file is missing, one folder polled fine and
    one whose last poll failed
    WHEN an administrator opens the mailboxes page
    THEN it shows host, port, TLS, username, folders, schedule and post-action; says the
    password file cannot be read; and shows each folder's last successful poll and last error."""
    web_store.record_poll("cspoc", "INBOX", exists=12)
    web_store.record_poll("cspoc", "Referrals", error="mailbox cspoc: folder Referrals: gone")
    login(offline_client, "admin")
    page = offline_client.get("/mailboxes")
    assert page.status_code == 200
    for text in (
        "imap.council.example.gov.uk:993",
        "implicit",
        "cspoc-intake",
        "INBOX, Referrals",
        "*/5 * * * *",
        "flag",
        "password_file /nonexistent/intake-password cannot be read",
        "mailbox cspoc: folder Referrals: gone",
        '<td class="num">12</td>',
    ):
        assert text in page.text, text


@pytest.mark.dovecot
def test_a_connection_test_logs_in_lists_folders_and_is_audited(
    dovecot: DovecotServer,
    database_url: str,
    web_store: Store,
    clock: Clock,
    login: Login,
    csrf: CsrfOf,
    tmp_path: Path,
) -> None:
    """GIVEN the mailbox on the private Dovecot, its password in a file, two messages in INBOX
    and a watched folder the server does not have
    WHEN an administrator presses "Test connection"
    THEN the page says it logged in, lists the server's folders, which watched folders exist
    and how many messages INBOX holds; the password never appears; the test is audited."""
    dovecot.create_folder("Processed")
    for index in range(2):
        dovecot.append("INBOX", f"Subject: test {index}\r\n\r\nbody\r\n".encode())
    secret = tmp_path / "password"
    secret.write_text(dovecot.password + "\n", encoding="utf-8")
    box = mailbox_for(dovecot, password_file=str(secret), folders=("INBOX", "Missing"))
    page, tested = try_connection(app_with(database_url, web_store, clock, box), login, csrf)
    assert f"set (in password_file {secret})" in page.text
    assert tested.status_code == 200
    assert "Connected and logged in" in tested.text
    assert "<li>Processed</li>" in tested.text
    assert "no: polls of it will fail" in tested.text  # Missing
    assert '<td class="num">2</td>' in tested.text  # INBOX
    assert dovecot.password not in tested.text and dovecot.password not in page.text
    (entry,) = web_store.audit_log("mailbox")
    assert (entry.actor, entry.key, entry.action) == ("web:admin1", "cspoc", "test-connection")
    assert entry.after is not None and entry.after["ok"] is True
    assert entry.after["missing"] == ["Missing"]


@pytest.mark.dovecot
def test_a_wrong_password_is_reported_in_one_line(
    dovecot: DovecotServer,
    database_url: str,
    web_store: Store,
    clock: Clock,
    login: Login,
    csrf: CsrfOf,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN the mailbox on the private Dovecot with a wrong password in the environment
    WHEN the connection is tested
    THEN the page says the login failed, in one line with no traceback, and it is audited."""
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password")
    app = app_with(database_url, web_store, clock, mailbox_for(dovecot))
    page, tested = try_connection(app, login, csrf)
    assert f"set (environment variable {PASSWORD_ENV})" in page.text
    assert tested.status_code == 200
    assert "The connection test failed: mailbox cspoc: LOGIN failed" in tested.text
    assert "Traceback" not in tested.text and "not-the-password" not in tested.text
    (entry,) = web_store.audit_log("mailbox")
    assert entry.after is not None and entry.after["ok"] is False
    assert "LOGIN failed" in str(entry.after["error"])


def test_an_unset_password_and_an_unknown_mailbox(
    database_url: str,
    web_store: Store,
    clock: Clock,
    login: Login,
    csrf: CsrfOf,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN a mailbox with no password set
    WHEN the page is opened and the connection tested, and a test is posted for a mailbox
    that is not configured
    THEN the page says how to set the password, the test says so in one line, and the unknown
    mailbox is 404."""
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    box = MailboxSettings(name="cspoc", host="127.0.0.1", port=1, tls="plain", username="u")
    app = app_with(database_url, web_store, clock, box)
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        login(client, "admin")
        assert f"not set: set {PASSWORD_ENV} or password_file" in client.get("/mailboxes").text
        tested = client.post("/mailboxes/cspoc/test", data={"csrf_token": csrf(client)})
        assert "The connection test failed: config mailboxes.cspoc: no password" in tested.text
        missing = client.post("/mailboxes/other/test", data={"csrf_token": csrf(client)})
        assert missing.status_code == 404


@pytest.mark.parametrize("role", ["team", "viewer"])
def test_only_administrators_see_or_test_mailboxes(
    offline_client: TestClient, login: Login, csrf: CsrfOf, web_store: Store, role: str
) -> None:
    """GIVEN a team member or viewer WHEN they open the page or post a test THEN 403."""
    login(offline_client, role)
    assert offline_client.get("/mailboxes").status_code == 403
    tested = offline_client.post("/mailboxes/cspoc/test", data={"csrf_token": csrf(offline_client)})
    assert tested.status_code == 403
    assert web_store.audit_log("mailbox") == []
