"""The calls pages: the list, logging one call (checked as `intake calls add` checks it), and
uploading a call-log CSV (checked whole before anything is stored, as `intake calls import`)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from intake.calls import CallRecord
from intake.store.ledger import Store
from tests.web.conftest import Login

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
HEADER = "called_at,caller_name,caller_agency,child_forenames,child_surname,child_dob,urgent,kind\n"
GOOD_ROWS = (
    "2026-03-02 09:15,Bronwen Tallis,Seaview Primary School,Ellis,Marchbank,2018-06-14,yes,\n"
    "2026-03-02 11:40,Idris Penhallow,Harbour GP Surgery,Maisie,Thorncliffe,09/02/2020,no,\n"
)
BAD_ROW = "2026-03-02 12:00,Carys Mould,Pier Nursery,Niamh,Achterberg,31/02/2016,maybe,\n"
GOOD_CALL = {
    "called_at": "2026-03-02 09:15",
    "caller_name": "Bronwen Tallis",
    "caller_agency": "Seaview Primary School",
    "caller_phone": "01632 960733",
    "child_forenames": "Ellis",
    "child_surname": "Marchbank",
    "child_dob": "2018-06-14",
    "urgent": "yes",
    "kind": "referral",
    "taken_by": "Helen Marsh",
    "notes": "School worried about missed appointments",
}


def record(when: dt.datetime, forenames: str) -> CallRecord:
    return CallRecord(
        called_at=when,
        caller_name="Bronwen Tallis",
        caller_agency="Seaview Primary School",
        caller_phone=None,
        child_forenames=forenames,
        child_surname="Marchbank",
        child_dob=dt.date(2018, 6, 14),
        urgent=True,
        kind="referral",
        taken_by=None,
        notes=None,
    )


def call_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr>\s*<th scope="row">(\d+)</th>', page)]


# -- the list ------------------------------------------------------------------------------------


def test_the_list_is_newest_first_paged_and_filtered_by_date(
    client: TestClient, login: Login, web_store: Store
) -> None:
    """GIVEN 60 calls, one every 6 hours from 1 March 2026 (UTC)
    WHEN a viewer opens /calls, page 2, and the calls of 3 March (local dates)
    THEN 50 then 10 are listed newest first; 3 March holds its 4 calls."""
    start = dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC)
    records = [record(start + dt.timedelta(hours=6 * n), f"Kid{n}") for n in range(60)]
    ids, _ = web_store.cases.add_calls(records, source="csv", actor="test")
    login(client, "viewer")
    first = client.get("/calls")
    assert first.status_code == 200
    assert call_ids(first.text) == sorted(ids, reverse=True)[:50]
    assert "Kid59 Marchbank" in first.text
    assert "Log a call" not in first.text  # a viewer does not triage
    assert len(call_ids(client.get("/calls?page=2").text)) == 10
    day = client.get("/calls?from=2026-03-03&to=2026-03-03")
    assert [n - 1 for n in call_ids(day.text)] == [11, 10, 9, 8]
    bad = client.get("/calls?from=yesterday")
    assert bad.status_code == 422
    assert '<p class="error" id="from-error">' in bad.text


# -- one call ------------------------------------------------------------------------------------


def test_logging_a_call_with_a_bad_date_shows_why_beside_the_field_then_stores_it(
    client: TestClient,
    login: Login,
    csrf: Callable[[TestClient], str],
    web_store: Store,
) -> None:
    """GIVEN a team member on "Log a call"
    WHEN they send a call whose child's date of birth is 31/02/2018 and urgency is missing,
    then correct both
    THEN 422 with each reason beside its field and every value kept, nothing stored; then 303
    to the list saying it is recorded and will be judged at the next check run; the call is
    stored from the web, by web:team1, and audited."""
    login(client, "team")
    form = client.get("/calls/new")
    assert form.status_code == 200
    assert 'name="called_at"' in form.text and 'value="20' in form.text  # now, prefilled
    token = csrf(client)
    bad = client.post(
        "/calls/new",
        data={**GOOD_CALL, "child_dob": "31/02/2018", "urgent": "", "csrf_token": token},
    )
    assert bad.status_code == 422
    assert re.search(r'<p class="error" id="child_dob-error">No such date', bad.text)
    assert '<p class="error" id="urgent-error">Missing; write yes or no</p>' in bad.text
    assert 'aria-describedby="child_dob-error' in bad.text
    assert 'value="31/02/2018"' in bad.text and 'value="Bronwen Tallis"' in bad.text
    assert "School worried about missed appointments</textarea>" in bad.text
    assert web_store.cases.calls() == []

    good = client.post("/calls/new", data={**GOOD_CALL, "csrf_token": token})
    assert good.status_code == 303
    stored = web_store.cases.calls()
    assert len(stored) == 1
    assert (stored[0].source, stored[0].child_dob, stored[0].urgent) == ("web", "2018-06-14", True)
    assert good.headers["location"] == f"/calls?added={stored[0].id}"
    listed = client.get(good.headers["location"])
    assert f"Call #{stored[0].id} recorded" in listed.text
    assert "next run" in listed.text
    audit = web_store.audit_log("call")
    assert [(e.actor, e.key, e.action) for e in audit] == [("web:team1", str(stored[0].id), "add")]
    assert audit[0].after is not None and "Marchbank" not in str(audit[0].after)

    again = client.post("/calls/new", data={**GOOD_CALL, "csrf_token": token})
    assert again.headers["location"] == "/calls?known=1"
    assert len(web_store.cases.calls()) == 1


@SQLITE_ONLY
def test_a_call_without_a_time_is_stored_with_a_warning(
    client: TestClient, login: Login, csrf: Callable[[TestClient], str], web_store: Store
) -> None:
    """GIVEN a team member WHEN they log a call with a date but no time
    THEN it is stored and the list says to check the time."""
    login(client, "team")
    sent = client.post(
        "/calls/new",
        data={**GOOD_CALL, "called_at": "2026-03-02", "csrf_token": csrf(client)},
    )
    assert sent.status_code == 303 and "warn=no-time" in sent.headers["location"]
    assert "Check: called_at: no time given" in client.get(sent.headers["location"]).text


@SQLITE_ONLY
def test_a_viewer_cannot_log_or_upload_calls(client: TestClient, login: Login) -> None:
    """GIVEN a viewer WHEN they open the call form or the upload THEN 403."""
    login(client, "viewer")
    assert client.get("/calls/new").status_code == 403
    assert client.get("/calls/upload").status_code == 403


# -- a call-log file -----------------------------------------------------------------------------


def upload(client: TestClient, token: str, content: bytes, name: str = "calls.csv") -> str:
    response = client.post(
        "/calls/upload",
        data={"csrf_token": token},
        files={"file": (name, content, "text/csv")},
    )
    return f"{response.status_code}\n{response.text}"


def confirm_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))


def test_an_upload_with_a_bad_row_lists_it_and_stores_nothing_until_confirmed(
    client: TestClient,
    login: Login,
    csrf: Callable[[TestClient], str],
    web_store: Store,
) -> None:
    """GIVEN a call log with two good rows and one bad (line 4: no such date, urgent "maybe")
    WHEN a team member uploads it, then chooses to store the good rows, then uploads a file of
    the two good rows again and confirms it
    THEN the check page lists line 4 with both reasons and nothing is stored; storing the good
    rows stores 2 calls (source csv, audited); the second file stores nothing new."""
    login(client, "team")
    token = csrf(client)
    checked = upload(client, token, (HEADER + GOOD_ROWS + BAD_ROW).encode())
    status, page = checked.split("\n", 1)
    assert status == "422"
    assert "line 4" in page
    assert "child_dob: no such date" in page
    assert "urgent: &#39;maybe&#39; is not yes/no" in page
    assert "Nothing has been stored yet" in page
    assert web_store.cases.calls() == []

    fields = confirm_fields(page)
    assert fields["skip_invalid"] == "1"
    stored = client.post("/calls/upload/confirm", data=fields)
    assert stored.status_code == 303
    assert stored.headers["location"] == "/calls?imported=2&already=0&skipped=1"
    calls = web_store.cases.calls()
    assert [c.source for c in calls] == ["csv", "csv"]
    assert "2 new calls stored, 0 already recorded, 1 invalid rows skipped" in (
        client.get(stored.headers["location"]).text
    )
    audit = web_store.audit_log("call")
    assert [(e.actor, e.action, (e.after or {}).get("stored")) for e in audit] == [
        ("web:team1", "import", 2)
    ]

    second = upload(client, token, (HEADER + GOOD_ROWS).encode())
    status, page = second.split("\n", 1)
    assert status == "200"
    assert "Store 2 calls" in page
    again = client.post("/calls/upload/confirm", data=confirm_fields(page))
    assert again.headers["location"] == "/calls?imported=0&already=2&skipped=0"
    assert len(web_store.cases.calls()) == 2


@SQLITE_ONLY
def test_the_confirm_step_refuses_a_changed_file_and_rechecks_the_rows(
    client: TestClient, login: Login, csrf: Callable[[TestClient], str], web_store: Store
) -> None:
    """GIVEN a checked upload
    WHEN its confirm step comes back with other bytes under the same digest, or with a bad row
    and no "store the good rows"
    THEN the first is refused (422, upload again) and the second is checked again (422, line
    listed); nothing is stored."""
    login(client, "team")
    token = csrf(client)
    _, page = upload(client, token, (HEADER + GOOD_ROWS).encode()).split("\n", 1)
    fields = confirm_fields(page)
    forged = base64.b64encode((HEADER + GOOD_ROWS + BAD_ROW).encode()).decode()
    changed = client.post("/calls/upload/confirm", data={**fields, "payload": forged})
    assert changed.status_code == 422
    assert "did not come through intact" in changed.text
    digest = hashlib.sha256((HEADER + GOOD_ROWS + BAD_ROW).encode()).hexdigest()
    rechecked = client.post(
        "/calls/upload/confirm", data={**fields, "payload": forged, "digest": digest}
    )
    assert rechecked.status_code == 422
    assert "line 4" in rechecked.text
    assert web_store.cases.calls() == []


@SQLITE_ONLY
def test_a_file_that_is_not_a_call_log_is_explained(
    client: TestClient, login: Login, csrf: Callable[[TestClient], str]
) -> None:
    """GIVEN a team member WHEN they upload no file, an Excel workbook, or a file over 5 MB
    THEN each is refused with the reason and no way to store it."""
    login(client, "team")
    token = csrf(client)
    none = client.post("/calls/upload", data={"csrf_token": token}, files={"file": ("", b"")})
    assert none.status_code == 422
    assert '<p class="error" id="file-error">Choose the call-log CSV file' in none.text
    status, page = upload(client, token, b"PK\x03\x04rest", "calls.xlsx").split("\n", 1)
    assert status == "422" and "Excel workbook" in page and "/calls/upload/confirm" not in page
    big = (HEADER + GOOD_ROWS * 31_000).encode()
    assert len(big) > 5 * 1024 * 1024
    status, page = upload(client, token, big).split("\n", 1)
    assert status in {"413", "422"}
    assert "/calls/upload/confirm" not in page


@SQLITE_ONLY
def test_a_large_call_log_can_be_confirmed(
    client: TestClient, login: Login, csrf: Callable[[TestClient], str], web_store: Store
) -> None:
    """GIVEN a 1.5 MB call log (its confirm step carries more than one form field's default)
    WHEN a team member uploads and confirms it THEN every call is stored."""
    login(client, "team")
    token = csrf(client)
    start = dt.datetime(2026, 1, 5, 9, 0)
    rows = "".join(
        f"{(start + dt.timedelta(minutes=n)):%Y-%m-%d %H:%M},Caller {n},"
        f"{'Agency ' * 36},Kid{n},Surname{n},2018-06-14,no,\n"
        for n in range(4_000)
    )
    data = (HEADER + rows).encode()
    assert len(data) > 1_100_000
    status, page = upload(client, token, data).split("\n", 1)
    assert status == "200", page[:2000]
    stored = client.post("/calls/upload/confirm", data=confirm_fields(page))
    assert stored.status_code == 303, stored.text[:500]
    assert stored.headers["location"].startswith("/calls?imported=4000&")
