"""The exceptions pages: the triage list (filters, paging), one exception with its message,
forms, related records and timeline, the audited "show message text", and resolving or
reopening with a note.

Seeding: the real pipeline (tests.test_rulebook's FrontDoor: a synthetic referral email
imported, a call logged, the checks run) for one exception with everything beside it; bulk rows
through the store's tables for lists long enough to filter and page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import insert, update

from intake.store.ledger import Store
from intake.store.models import ExceptionRow, FormFieldRow, MessageRow, SightingRow
from tests.test_rulebook import ELLIS, MON, FrontDoor, days, on, referral, referral_email
from tests.web.conftest import Login

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
LONDON_NOV = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


# -- seeding -------------------------------------------------------------------------------------


def seed_case(store: Store, database_url: str, folder: Path) -> int:
    """An urgent call about Ellis at 09:00 on Monday 2 March 2026, then his neglect referral
    emailed at 10:00 without a Graded Care Profile; the checks run on Tuesday: one open
    ``neglect-no-gcp`` exception on the form, matched to the call. Returns its id."""
    door = FrontDoor(store, database_url, folder)
    door.call(on(MON, 9), ELLIS)
    door.receive(referral_email(referral(ELLIS, on(MON, 9, 40)), on(MON, 10)))
    door.check(on(MON + days(1), 12))
    return door.one("neglect-no-gcp").id


def add_messages(store: Store, count: int, *, mailbox: str = "cspoc", start: int = 1) -> None:
    """``count`` bare ledger messages (ids from ``start``), each seen once in ``mailbox``."""
    rows = []
    sightings = []
    for pk in range(start, start + count):
        at = LONDON_NOV + dt.timedelta(minutes=pk)
        sha = hashlib.sha256(f"w2-{pk}".encode()).hexdigest()
        rows.append(
            {
                "id": pk,
                "message_id": f"<m{pk}@example.net>",
                "sha256": sha,
                "raw_size": 1000,
                "received_at": at,
                "first_seen_at": at,
                "updated_at": at,
                "status": "checked",
                "attempts": 0,
                "quiet": False,
                "from_addr": f"sender{pk}@school.example.sch.uk",
                "subject": "Request for Service",
            }
        )
        sightings.append(
            {
                "message_pk": pk,
                "mailbox": mailbox,
                "folder": "INBOX",
                "uidvalidity": 1,
                "uid": pk,
                "path": None,
                "seen_at": at,
            }
        )
    with store.engine.begin() as conn:
        conn.execute(insert(MessageRow), rows)
        conn.execute(insert(SightingRow), sightings)


def add_exceptions(
    store: Store,
    count: int,
    *,
    rule: str = "neglect-no-gcp",
    severity: str = "exception",
    status: str = "open",
    first: dt.datetime = LONDON_NOV,
    message_pk: Callable[[int], int | None] = lambda n: None,
    forenames: str = "Robin",
) -> None:
    """``count`` exceptions raised an hour apart from ``first``."""
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "key": f"{rule}|test:{status}:{first.isoformat()}:{n}",
            "rule": rule,
            "severity": severity,
            "status": status,
            "raised_at": first + dt.timedelta(hours=n),
            "due_at": first + dt.timedelta(hours=n),
            "message_pk": message_pk(n),
            "child_forenames": forenames,
            "child_surname": f"Testcase{n}",
            "child_dob": "2019-03-04",
            "detail": f"{rule}: seeded",
            "late": status == "auto_resolved" or None,
            "updated_at": now,
        }
        for n in range(count)
    ]
    with store.engine.begin() as conn:
        conn.execute(insert(ExceptionRow), rows)


def ids_on(page: str) -> list[int]:
    """The exception ids a list page shows, in order."""
    return [int(n) for n in re.findall(r'<th scope="row"><a href="/exceptions/(\d+)">', page)]


# -- the list ------------------------------------------------------------------------------------


def test_the_list_shows_open_exceptions_newest_first_fifty_a_page(
    client: TestClient, login: Login, web_store: Store
) -> None:
    """GIVEN 120 open and 5 resolved exceptions, raised an hour apart
    WHEN a team member opens /exceptions, then ?page=2 and ?page=3
    THEN the open ones are listed newest first, 50, 50 and 20, each with rule, severity, status,
    child, raised and due; the resolved ones only with status=all; links keep the filter."""
    add_exceptions(web_store, 120)
    add_exceptions(web_store, 5, status="resolved", first=LONDON_NOV - dt.timedelta(days=30))
    login(client, "team")
    first = client.get("/exceptions")
    assert first.status_code == 200
    shown = ids_on(first.text)
    assert len(shown) == 50
    assert shown == sorted(shown, reverse=True)
    assert shown[0] == 120
    assert "Robin Testcase119" in first.text
    assert "(born Mon 04 Mar 2019)" in first.text
    assert "120 found; page 1 of 3" in first.text
    assert 'href="/exceptions?status=open&amp;page=2"' in first.text
    assert ids_on(client.get("/exceptions?page=2").text)[0] == 70
    assert len(ids_on(client.get("/exceptions?page=3").text)) == 20
    everything = client.get("/exceptions?status=all&page=3")
    assert "125 found" in everything.text
    assert ids_on(everything.text)[-5:] == [125, 124, 123, 122, 121]


def test_the_list_filters_by_rule_severity_status_dates_and_mailbox(
    client: TestClient, login: Login, web_store: Store
) -> None:
    """GIVEN open exceptions of three rules over three days, on messages seen in two mailboxes
    WHEN the list is filtered by rule, severity, raised dates (local) and mailbox
    THEN only the matching exceptions are shown; nothing is found for a status with none."""
    add_messages(web_store, 4, mailbox="cspoc")
    add_messages(web_store, 4, mailbox="schools", start=5)
    add_exceptions(web_store, 4, message_pk=lambda n: n + 1)  # 2 Nov 09:00-12:00 UTC, cspoc
    add_exceptions(
        web_store,
        4,
        rule="insecure-sender",
        severity="info",
        first=LONDON_NOV + dt.timedelta(days=1),
        message_pk=lambda n: n + 5,
    )
    add_exceptions(
        web_store, 3, rule="phone-no-same-day-email", first=LONDON_NOV + dt.timedelta(days=2)
    )
    login(client, "viewer")

    def found(query: str) -> int:
        response = client.get("/exceptions?" + query)
        assert response.status_code == 200, response.text
        match = re.search(r"(\d+) found", response.text)
        return int(match.group(1)) if match else 0

    assert found("") == 11
    assert found("rule=insecure-sender") == 4
    assert found("severity=exception") == 7
    assert found("severity=info&rule=neglect-no-gcp") == 0
    assert found("from=2026-11-03") == 7
    assert found("from=2026-11-03&to=2026-11-03") == 4
    assert found("to=2026-11-02") == 4
    assert found("mailbox=schools") == 4
    assert found("mailbox=cspoc&rule=neglect-no-gcp") == 4
    assert found("status=resolved") == 0
    page = client.get("/exceptions")
    assert '<option value="insecure-sender">' in page.text
    assert '<option value="schools">' in page.text


@SQLITE_ONLY
def test_a_bad_filter_date_is_refused_beside_its_field(client: TestClient, login: Login) -> None:
    """GIVEN a signed-in viewer
    WHEN the list is asked for raised from "23/11/2026" and an unknown status
    THEN 422, with each message beside its field."""
    login(client, "viewer")
    response = client.get("/exceptions?from=23/11/2026&status=closed")
    assert response.status_code == 422
    assert '<p class="error" id="from-error">Write the date as YYYY-MM-DD' in response.text
    assert 'aria-describedby="from-error"' in response.text
    assert '<p class="error" id="status-error">' in response.text


@SQLITE_ONLY
def test_the_pages_need_a_signed_in_user(client: TestClient) -> None:
    """GIVEN nobody signed in
    WHEN the list, an exception, or a resolve is asked for
    THEN the pages send to the sign-in page and the post gets 401."""
    assert client.get("/exceptions").status_code == 303
    assert client.get("/exceptions/1").headers["location"].startswith("/login?next=")
    assert client.post("/exceptions/1/resolve", data={"note": "x"}).status_code == 401


# -- one exception -------------------------------------------------------------------------------


def test_an_exception_shows_its_message_forms_related_call_and_timeline(
    client: TestClient, login: Login, web_store: Store, database_url: str, tmp_path: Path
) -> None:
    """GIVEN Ellis's neglect referral without a GCP, after an urgent call about him
    WHEN a viewer opens the exception
    THEN the page shows the rule, detail, status, raised and due; the message's ledger id,
    Message-ID, sender, subject, received, source and status; the form's fields with their
    confidence; the related call with the matching evidence; the timeline; and not the body."""
    ident = seed_case(web_store, database_url, tmp_path)
    login(client, "viewer")
    page = client.get(f"/exceptions/{ident}")
    assert page.status_code == 200
    text = page.text
    assert "neglect-no-gcp" in text
    assert "no Graded Care Profile attached" in text
    assert "Mon 02 Mar 2026 17:30" in text
    assert "OFFICIAL-SENSITIVE: Request for Service" in text
    assert "@seaview.school.example.sch.uk" in text
    assert "file:" in text  # the source: where the message was read from
    assert "RFS form completed.docx" in text
    assert "concern narrative" in text and "0.95" in text
    assert "call:1" in text and "dob: equal" in text and "surname: exact" in text
    assert "check:neglect-no-gcp" in text and "raised" in text
    assert 'id="message-body"' not in text
    assert f'href="/exceptions/{ident}?body=1"' in text
    assert "Resolve exception" not in text  # a viewer cannot triage
    # Names and dates of birth never appear in a link.
    assert not re.search(r'href="[^"]*(Ellis|Marchbank|2018-06-14)', text)


@SQLITE_ONLY
def test_a_low_confidence_value_is_marked_check(
    client: TestClient, login: Login, web_store: Store, database_url: str, tmp_path: Path
) -> None:
    """GIVEN the referral's child surname read with confidence 0.55
    WHEN the exception is shown
    THEN that row carries the class low-confidence and the word "check"."""
    ident = seed_case(web_store, database_url, tmp_path)
    with web_store.engine.begin() as conn:
        conn.execute(
            update(FormFieldRow).where(FormFieldRow.name == "child_surname").values(confidence=0.55)
        )
    login(client, "viewer")
    text = client.get(f"/exceptions/{ident}").text
    row = re.search(r'<tr class="low-confidence">(.*?)</tr>', text, re.S)
    assert row is not None
    assert "child surname" in row.group(1) and "0.55" in row.group(1)
    assert '<span class="check">check</span>' in row.group(1)
    assert text.count('class="low-confidence"') == 1


@SQLITE_ONLY
def test_showing_the_message_text_is_audited_and_says_when_it_has_expired(
    client: TestClient, login: Login, web_store: Store, database_url: str, tmp_path: Path
) -> None:
    """GIVEN Ellis's exception
    WHEN a viewer follows "Show message text", and again after the raw copy has expired
    THEN the body is shown and the viewing is in the audit log (message, view-body, web:viewer1);
    later the page says the copy has expired."""
    ident = seed_case(web_store, database_url, tmp_path)
    login(client, "viewer")
    shown = client.get(f"/exceptions/{ident}?body=1")
    assert shown.status_code == 200
    assert 'id="message-body"' in shown.text
    assert "Please find attached a Request for Service." in shown.text
    entries = web_store.audit_log("message")
    assert [(e.actor, e.action, e.after) for e in entries] == [
        ("web:viewer1", "view-body", {"exception": ident})
    ]
    web_store.expire_raw(dt.datetime.now(dt.UTC) + dt.timedelta(days=365))
    expired = client.get(f"/exceptions/{ident}?body=1")
    assert 'id="body-expired"' in expired.text
    assert 'id="message-body"' not in expired.text
    assert len(web_store.audit_log("message")) == 1


@SQLITE_ONLY
def test_an_unknown_exception_is_a_404_page(client: TestClient, login: Login) -> None:
    """GIVEN no exceptions WHEN /exceptions/99 is opened THEN 404 saying so."""
    login(client, "viewer")
    response = client.get("/exceptions/99")
    assert response.status_code == 404
    assert "no exception #99" in response.text


# -- resolving and reopening ---------------------------------------------------------------------


def test_resolving_needs_a_note_then_is_on_the_timeline_and_in_the_audit_log(
    client: TestClient,
    login: Login,
    csrf: Callable[[TestClient], str],
    web_store: Store,
    database_url: str,
    tmp_path: Path,
) -> None:
    """GIVEN Ellis's open exception and a team member signed in
    WHEN they resolve it with an empty note, then with a note, then reopen it with a note
    THEN the empty note is refused (422, the message beside the field, still open); the note
    resolves it (303 back, "resolved" shown) with web:team1 on the timeline and in the audit
    log; reopening makes it open again the same way."""
    ident = seed_case(web_store, database_url, tmp_path)
    login(client, "team")
    token = csrf(client)
    empty = client.post(f"/exceptions/{ident}/resolve", data={"csrf_token": token, "note": "   "})
    assert empty.status_code == 422
    assert '<p class="error" id="note-error">Write a note saying what was done</p>' in empty.text
    assert 'aria-describedby="note-error"' in empty.text
    assert web_store.cases.exceptions(ids=[ident])[0].status == "open"

    note = "Phoned the school; GCP to follow by Friday"
    done = client.post(f"/exceptions/{ident}/resolve", data={"csrf_token": token, "note": note})
    assert done.status_code == 303
    assert done.headers["location"] == f"/exceptions/{ident}?done=resolve"
    page = client.get(done.headers["location"])
    assert 'id="status">resolved</span>' in page.text
    assert note in page.text
    record = web_store.cases.exceptions(ids=[ident])[0]
    assert (record.status, record.resolved_by, record.resolution_note) == (
        "resolved",
        "web:team1",
        note,
    )
    events = web_store.cases.events(ident)
    assert (events[-1].action, events[-1].actor, events[-1].note) == ("resolved", "web:team1", note)

    again = client.post(
        f"/exceptions/{ident}/reopen", data={"csrf_token": token, "note": "GCP never came"}
    )
    assert again.status_code == 303
    assert web_store.cases.exceptions(ids=[ident])[0].status == "open"
    audit = [
        (e.actor, e.key, e.action, e.before, e.after) for e in web_store.audit_log("exception")
    ]
    assert audit == [
        (
            "web:team1",
            str(ident),
            "reopen",
            {"status": "resolved"},
            {"status": "open", "note": "GCP never came"},
        ),
        (
            "web:team1",
            str(ident),
            "resolve",
            {"status": "open"},
            {"status": "resolved", "note": note},
        ),
    ]


@SQLITE_ONLY
def test_only_the_team_may_resolve_and_only_with_the_form_token(
    client: TestClient,
    login: Login,
    csrf: Callable[[TestClient], str],
    web_store: Store,
) -> None:
    """GIVEN an open exception
    WHEN a viewer posts a resolve, and a team member posts one without the CSRF token, and
    then resolves it twice
    THEN 403, 403, then 303 and 409 (already resolved); it stays resolved once."""
    add_exceptions(web_store, 1)
    login(client, "viewer")
    assert (
        client.post(
            "/exceptions/1/resolve", data={"csrf_token": csrf(client), "note": "x"}
        ).status_code
        == 403
    )
    client.cookies.clear()
    login(client, "team")
    assert client.post("/exceptions/1/resolve", data={"note": "x"}).status_code == 403
    token = csrf(client)
    assert (
        client.post("/exceptions/1/resolve", data={"csrf_token": token, "note": "done"}).status_code
        == 303
    )
    twice = client.post("/exceptions/1/resolve", data={"csrf_token": token, "note": "again"})
    assert twice.status_code == 409
    assert "already resolved" in twice.text
    assert len([e for e in web_store.cases.events(1) if e.action == "resolved"]) == 1
