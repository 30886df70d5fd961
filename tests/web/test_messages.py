"""The ledger pages: every message with its status (failures with their reason), one message's
metadata, attachments and route, and reprocessing (administrators only, audited)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from intake.config import LimitSettings, Settings
from intake.store.ledger import Store
from intake.store.records import Failure
from tests.web.conftest import Login, settings_for
from tests.web.test_exceptions import add_messages, seed_case

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def web_settings(database_url: str) -> Settings:
    """The test settings, parsing in this process (no sandboxed workers to start)."""
    settings = settings_for(database_url)
    return dataclasses.replace(settings, limits=LimitSettings(parse_workers=0))


def message_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<th scope="row"><a href="/messages/(\d+)">', page)]


def fail(store: Store, pk: int, reason: str = "malformed: no header block") -> None:
    store.mark_failed(
        pk,
        Failure(reason, "intake.errors.MalformedMessage", "Traceback ...", transient=False),
        max_attempts=3,
        backoff=dt.timedelta(minutes=5),
    )


def test_the_ledger_lists_messages_newest_first_and_filters_by_status(
    client: TestClient, login: Login, web_store: Store
) -> None:
    """GIVEN 60 messages seen in mailbox cspoc, two of them failed
    WHEN a viewer opens /messages, page 2, and ?status=failed
    THEN 50 then 10 are listed newest first with their source; the failed ones with their
    reason; the counts by status link to each status."""
    add_messages(web_store, 60)
    fail(web_store, 7)
    fail(web_store, 42, "too large: 30000000 bytes")
    login(client, "viewer")
    first = client.get("/messages")
    assert first.status_code == 200
    assert message_ids(first.text) == list(range(60, 10, -1))
    assert "imap:cspoc/INBOX" in first.text or "cspoc" in first.text
    assert message_ids(client.get("/messages?page=2").text) == list(range(10, 0, -1))
    failed = client.get("/messages?status=failed")
    assert message_ids(failed.text) == [42, 7]
    assert "too large: 30000000 bytes" in failed.text
    assert "malformed: no header block" in failed.text
    assert 'href="/messages?status=failed"' in failed.text
    assert "Reprocess every failed" not in failed.text  # viewers do not reprocess
    assert client.get("/messages?status=lost").status_code == 422


@SQLITE_ONLY
def test_a_message_shows_its_metadata_attachments_route_and_exceptions(
    client: TestClient, login: Login, web_store: Store, database_url: str, tmp_path: Path
) -> None:
    """GIVEN Ellis's referral imported and checked
    WHEN a team member opens its ledger entry
    THEN it shows the Message-ID, sender, subject, status, route, where it was seen, until when
    the raw copy is kept, its attachment with kind and fields, and its exception; no reprocess
    button for the team."""
    ident = seed_case(web_store, database_url, tmp_path)
    login(client, "team")
    page = client.get("/messages/1")
    assert page.status_code == 200
    text = page.text
    assert "OFFICIAL-SENSITIVE: Request for Service" in text
    assert "referral" in text and "kept until" in text
    assert "RFS form completed.docx" in text and "southend-rfs" in text
    assert f'href="/exceptions/{ident}"' in text
    assert "Reprocess message" not in text
    assert client.get("/messages/999").status_code == 404


@SQLITE_ONLY
def test_an_administrator_reprocesses_a_message_and_every_failed_one(
    client: TestClient,
    login: Login,
    csrf: Callable[[TestClient], str],
    web_store: Store,
    database_url: str,
    tmp_path: Path,
) -> None:
    """GIVEN Ellis's referral, then marked failed
    WHEN a team member tries to reprocess it, and an administrator reprocesses it, then every
    failed message
    THEN the team member gets 403; the administrator's reprocess reads it again (it is checked
    once more), with a notice, and both are in the audit log as message reprocess."""
    seed_case(web_store, database_url, tmp_path)
    fail(web_store, 1)
    login(client, "team")
    assert (
        client.post("/messages/1/reprocess", data={"csrf_token": csrf(client)}).status_code == 403
    )
    client.cookies.clear()
    login(client, "admin")
    token = csrf(client)
    page = client.get("/messages/1")
    assert "Reprocess message #1" in page.text
    done = client.post("/messages/1/reprocess", data={"csrf_token": token})
    assert done.status_code == 303
    assert done.headers["location"] == "/messages/1?reprocessed=1"
    assert web_store.ledger(ids=[1])[0].status == "checked"
    assert "it is now <strong>checked</strong>" in client.get(done.headers["location"]).text
    fail(web_store, 1)
    listed = client.get("/messages")
    assert "Reprocess every failed and dead message (1)" in listed.text
    every = client.post("/messages/reprocess-failed", data={"csrf_token": token})
    assert every.headers["location"] == "/messages?reprocessed=1"
    assert web_store.ledger(ids=[1])[0].status == "checked"
    audit = [(e.actor, e.key, e.action) for e in web_store.audit_log("message")]
    assert audit == [("web:admin1", "failed", "reprocess"), ("web:admin1", "1", "reprocess")]
