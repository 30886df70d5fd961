"""The ledger: one row per message, sightings, cursors in the same commit, failures, locks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import subprocess
import sys
from email.policy import SMTP

import pytest
from sqlalchemy import func, select

from intake import synthetic
from intake.errors import LockHeld, NotFound, RawExpired
from intake.messages import Message, parse_message
from intake.sources.base import MessageRef, PostAction
from intake.store.ledger import Store, sha256_hex
from intake.store.models import Base
from intake.store.records import Failure, Incoming
from intake.synthetic.emails import DOCX_TYPE
from parsers.fields import ChildRecord, FieldValue, ParsedAttachment

T0 = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def incoming(
    raw: bytes | None,
    uid: int,
    folder: str = "INBOX",
    uidvalidity: int = 7,
    action: PostAction | None = None,
    failure: str | None = None,
) -> Incoming:
    ref = MessageRef("cspoc", folder, uidvalidity, uid, None, len(raw or b"x" * 99), T0)
    headers = None if raw is not None else f"Message-ID: <{uid}@example.test>".encode()
    return Incoming(
        ref=ref,
        raw=raw,
        headers=headers,
        received_at=T0,
        message_id=f"<{uid}@example.test>",
        sent_at=None,
        quiet=False,
        action=action,
        failure=failure,
        failure_class="intake.errors.MessageTooLarge" if failure else None,
    )


def test_a_batch_is_recorded_and_the_cursor_advances_in_the_same_commit(store: Store) -> None:
    """GIVEN an empty ledger WHEN a batch of three is recorded with advance_to=3
    THEN three rows exist, each with its raw copy, and the cursor says UID 3 under UIDVALIDITY 7."""
    recorded = store.record_batch(
        [incoming(b"a", 1), incoming(b"b", 2), incoming(b"c", 3)], advance_to=3
    )
    assert [r.new for r in recorded] == [True, True, True]
    cursor = store.cursor("cspoc", "INBOX")
    assert (cursor.uidvalidity, cursor.last_uid) == (7, 3)
    assert store.load(recorded[1].id).raw == b"b"
    entries = store.ledger()
    assert [e.source for e in entries] == [f"imap:cspoc/INBOX/7/{n}" for n in (1, 2, 3)]
    assert entries[0].sha256 == sha256_hex(b"a")
    assert {e.status for e in entries} == {"fetched"}


def test_the_same_bytes_in_two_folders_or_after_a_uidvalidity_reset_are_one_message(
    store: Store,
) -> None:
    """GIVEN a message in the ledger WHEN the same bytes arrive from another folder, and again
    under a new UIDVALIDITY THEN it stays one ledger row with three sightings."""
    first = store.record_batch([incoming(b"same", 1)], advance_to=1)[0]
    again = store.record_batch([incoming(b"same", 9, folder="Referrals")], advance_to=9)[0]
    reset = store.record_batch([incoming(b"same", 1, uidvalidity=8)], advance_to=1)[0]
    repeat = store.record_batch([incoming(b"same", 1)], advance_to=1)[0]
    assert first.new and not again.new and not reset.new and not repeat.new
    assert first.id == again.id == reset.id == repeat.id
    assert len(store.ledger()) == 1


def test_duplicate_within_one_batch_is_one_message(store: Store) -> None:
    recorded = store.record_batch([incoming(b"twice", 1), incoming(b"twice", 2)], advance_to=2)
    assert recorded[0].id == recorded[1].id and recorded[0].new and not recorded[1].new


def test_too_large_message_is_recorded_failed_without_bytes(store: Store) -> None:
    """GIVEN a message over the size cap WHEN it is recorded THEN the ledger shows it failed
    with the reason, it has no raw copy, and seeing it again adds no second row."""
    row = store.record_batch(
        [incoming(None, 5, failure="too large: 60000000 bytes")], advance_to=5
    )[0]
    assert row.status == "failed"
    entry = store.ledger()[0]
    assert entry.sha256 == sha256_hex(b"Message-ID: <5@example.test>")
    assert entry.error == "too large: 60000000 bytes"
    with pytest.raises(RawExpired):
        store.load(row.id)
    assert not store.record_batch([incoming(None, 5, failure="too large")])[0].new


def test_transient_failures_back_off_then_die(store: Store) -> None:
    pk = store.record_batch([incoming(b"x", 1)])[0].id
    backoff = dt.timedelta(minutes=5)
    statuses = [
        store.mark_failed(
            pk, Failure.of(RuntimeError("boom"), transient=True), max_attempts=3, backoff=backoff
        )
        for _ in range(3)
    ]
    assert statuses == ["failed", "failed", "dead"]
    entry = store.ledger()[0]
    assert entry.status == "dead" and entry.attempts == 3
    # The reason shown to people names the error type and place, never its text.
    assert entry.error is not None and entry.error.startswith("internal error: RuntimeError")
    assert "boom" not in entry.error
    assert store.reset_for_reprocess(failed=True) == [pk]
    assert store.ledger()[0].attempts == 0


def test_retries_become_due_after_their_backoff(store: Store) -> None:
    pk = store.record_batch([incoming(b"x", 1)])[0].id
    store.mark_failed(
        pk,
        Failure.of(RuntimeError("x"), transient=True),
        max_attempts=4,
        backoff=dt.timedelta(minutes=5),
    )
    assert store.due_retries() == []
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=6)
    assert store.due_retries(later) == [pk]


def test_permanent_failure_is_never_retried_automatically(store: Store) -> None:
    pk = store.record_batch([incoming(b"x", 1)])[0].id
    status = store.mark_failed(
        pk,
        Failure.of(ValueError("bad"), transient=False),
        max_attempts=1,
        backoff=dt.timedelta(seconds=1),
    )
    assert status == "failed"
    assert store.due_retries(dt.datetime.now(dt.UTC) + dt.timedelta(days=9)) == []


def test_reprocess_unknown_id_is_a_clear_error(store: Store) -> None:
    with pytest.raises(NotFound, match="999"):
        store.reset_for_reprocess([999])


def test_raw_copies_expire_but_the_ledger_row_stays(store: Store) -> None:
    pk = store.record_batch([incoming(b"x", 1)])[0].id
    assert store.expire_raw(dt.datetime.now(dt.UTC)) == 0
    assert store.expire_raw(dt.datetime.now(dt.UTC) + dt.timedelta(days=31)) == 1
    with pytest.raises(RawExpired):
        store.load(pk)
    assert len(store.ledger()) == 1


def test_post_actions_are_pending_until_done(store: Store) -> None:
    """GIVEN a stored message owing a keyword WHEN it is still only fetched THEN nothing is
    owed yet; once its processing is committed, the keyword is owed until done."""
    (recorded,) = store.record_batch(
        [incoming(b"x", 1, action=PostAction("keyword", "Stored"))], advance_to=1
    )
    assert store.pending_actions("cspoc") == []
    store.mark_failed(
        recorded.id,
        Failure("unreadable", "x.Error", "", transient=False),
        max_attempts=4,
        backoff=dt.timedelta(minutes=5),
    )
    pending = store.pending_actions("cspoc")
    assert [(p.ref.uid, p.action) for p in pending] == [(1, PostAction("keyword", "Stored"))]
    store.action_done(pending[0].sighting_id)
    assert store.pending_actions("cspoc") == []


def test_uidvalidity_reset_restarts_the_cursor(store: Store) -> None:
    store.record_batch([incoming(b"x", 40)], advance_to=40)
    store.reset_cursor("cspoc", "INBOX", 8)
    cursor = store.cursor("cspoc", "INBOX")
    assert (cursor.uidvalidity, cursor.last_uid) == (8, 0)


def test_a_live_lock_holder_keeps_the_lock(store: Store) -> None:
    """GIVEN a live process on this host holds the poll lock WHEN another asks THEN LockHeld."""
    import os
    import socket

    holder = f"{socket.gethostname()}:{os.getppid()}"  # our parent: certainly alive
    store.acquire_lock("poll:cspoc", dt.timedelta(minutes=5), owner=holder)
    with pytest.raises(LockHeld):
        store.acquire_lock("poll:cspoc", dt.timedelta(minutes=5))


def test_a_dead_lock_holder_is_taken_over_at_once(store: Store) -> None:
    """GIVEN the lock holder was killed (its pid is gone) WHEN we ask THEN we get the lock."""
    import socket

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    store.acquire_lock(
        "poll:cspoc", dt.timedelta(hours=1), owner=f"{socket.gethostname()}:{child.pid}"
    )
    me = store.acquire_lock("poll:cspoc", dt.timedelta(minutes=5))
    store.release_lock("poll:cspoc", me)
    assert store.acquire_lock("poll:cspoc", dt.timedelta(minutes=5)) == me


# -- parsed attachments -------------------------------------------------------------------


def message_with_two_attachments() -> Message:
    """A real parsed message carrying a referral form and a Graded Care Profile."""
    rng = random.Random("two-attachments")
    referral = synthetic.make_referral(rng, concerns=["neglect"])
    child = referral.children[0]
    message, _ = synthetic.compose(
        rng,
        sender=referral.referrer,
        sent=dt.datetime(2026, 11, 20, 10, 0),
        subject="Referral",
        body="Please see attached.",
        attachments=[
            synthetic.Attachment("RFS.docx", DOCX_TYPE, synthetic.rfs_docx(referral)),
            synthetic.Attachment("GCP2.pdf", "application/pdf", synthetic.gcp_pdf(child)),
        ],
    )
    parsed = parse_message(message.as_bytes(policy=SMTP))
    assert len(parsed.attachments) == 2
    return parsed


def rfs_result(message: Message) -> ParsedAttachment:
    part = message.attachments[0]
    return ParsedAttachment(
        file=part.filename,
        sha256=part.sha256,
        kind="rfs",
        template="southend-rfs",
        fields={
            "referral_datetime": FieldValue("2026-11-20T09:40", 0.9, "Date of referral"),
            "urgent": FieldValue(False, 1.0, "Is the child at immediate risk?"),
            "threshold_level": FieldValue(3, 0.75),
            "child_surname": FieldValue("Ashdown", 0.97, "Surname"),
            "child_dob": FieldValue("2019-03-04", 0.97),
            "phoned_to": FieldValue(None, 0.0),
            "consent": FieldValue("unknown", 0.5),
        },
        children=(
            ChildRecord("Jay", "Ashdown", "2019-03-04", "Male", "1 Sea Road, Southend", "SS1 2AB"),
            ChildRecord(forenames="Mia", surname="Ashdown"),
        ),
        concerns=("neglect", "domestic_abuse"),
        warnings=("referrer_phone: no value",),
        pages=3,
    )


def gcp_result(message: Message) -> ParsedAttachment:
    part = message.attachments[1]
    return ParsedAttachment(
        file=part.filename, sha256=part.sha256, kind="gcp", template="gcp2", pages=6
    )


def save(store: Store, pk: int, message: Message, parsed: tuple[ParsedAttachment, ...]) -> str:
    (status,) = store.save_outcomes(
        [(pk, message, None, parsed)], max_attempts=4, backoff=dt.timedelta(minutes=5)
    )
    return status


def count_rows(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        query = select(func.count()).select_from(Base.metadata.tables[table])
        return int(conn.execute(query).scalar_one())


def test_parsed_attachments_round_trip(store: Store) -> None:
    """GIVEN a message whose RFS gave fields of every value type, two children, concerns and a
    warning, and whose GCP gave a kind only WHEN saved with its outcome (parsed: the check stage
    judges it next) and loaded back
    THEN both results come back exactly as the parser gave them (a bool stays a bool, an int an
    int, a null a null), and the summary counts attachments by kind."""
    message = message_with_two_attachments()
    pk = store.record_batch([incoming(b"m", 1)])[0].id
    results = (rfs_result(message), gcp_result(message))
    assert save(store, pk, message, results) == "parsed"
    loaded = store.parsed_attachments(pk)
    assert loaded == list(results)
    assert loaded[0].value("urgent") is False and loaded[0].value("threshold_level") == 3
    assert store.parsed_by_message([pk, 999]) == {pk: list(results)}
    assert store.summary().attachments_by_kind == {"rfs": 1, "gcp": 1}


def test_reprocessing_replaces_the_parse_results(store: Store) -> None:
    """GIVEN a message saved with an RFS full of fields WHEN it is saved again with the RFS now
    read as "other" THEN only the new results remain: no field, child or concern rows are left
    over from the first time."""
    message = message_with_two_attachments()
    pk = store.record_batch([incoming(b"m", 1)])[0].id
    save(store, pk, message, (rfs_result(message), gcp_result(message)))
    again = dataclasses.replace(rfs_result(message), kind="other", fields={}, children=())
    again = dataclasses.replace(again, concerns=())
    save(store, pk, message, (again, gcp_result(message)))
    assert store.parsed_attachments(pk) == [again, gcp_result(message)]
    assert count_rows(store, "attachments") == 2
    for table in ("form_fields", "form_children", "form_concerns"):
        assert count_rows(store, table) == 0, table


def test_a_message_without_parse_results_keeps_its_attachments_unparsed(store: Store) -> None:
    """GIVEN a message saved with no parse results (its attachments were not parsed) WHEN loaded
    THEN it has no parsed attachments, and the summary counts its two as unparsed."""
    message = message_with_two_attachments()
    pk = store.record_batch([incoming(b"m", 1)])[0].id
    save(store, pk, message, ())
    assert store.parsed_attachments(pk) == []
    assert store.summary().attachments_by_kind == {"unparsed": 2}


def test_a_failed_message_keeps_what_its_attachments_gave(store: Store) -> None:
    """GIVEN a message that failed (a part was truncated) but whose attachments were read
    WHEN saved THEN it is failed, and its parse results are kept for a person to look at."""
    message = message_with_two_attachments()
    pk = store.record_batch([incoming(b"m", 1)])[0].id
    failure = Failure.of(ValueError("truncated part 3"), transient=False)
    results = (rfs_result(message), gcp_result(message))
    (status,) = store.save_outcomes(
        [(pk, message, failure, results)], max_attempts=4, backoff=dt.timedelta(minutes=5)
    )
    assert status == "failed"
    assert store.parsed_attachments(pk) == list(results)


def test_hostile_parse_results_are_stored_without_breaking_the_batch(store: Store) -> None:
    """GIVEN parse results with NUL bytes, a lone surrogate, over-long text, a NaN confidence,
    a repeated concern and a date of birth that is not a date WHEN saved in a batch with a good
    message THEN the batch commits (PostgreSQL refuses NUL, and one bad value must not stop
    others being stored), and what is stored is the cleaned value."""
    message = message_with_two_attachments()
    ids = [r.id for r in store.record_batch([incoming(b"a", 1), incoming(b"b", 2)])]
    part = message.attachments[0]
    hostile = ParsedAttachment(
        file=part.filename,
        sha256=part.sha256,
        kind="rfs",
        template="x" * 500,
        fields={
            "child_surname": FieldValue("Ash\x00down\udcff", float("nan")),
            "concern_narrative": FieldValue("word " * 50_000, 1.5),
        },
        children=(ChildRecord(surname="S" * 1000, dob="03/04/2019", postcode="\x00" * 40),),
        concerns=("neglect", "neglect"),
        warnings=("odd\x00warning",),
        pages=10**12,
    )
    statuses = store.save_outcomes(
        [
            (ids[0], message, None, (hostile, gcp_result(message))),
            (ids[1], message, None, (rfs_result(message), gcp_result(message))),
        ],
        max_attempts=4,
        backoff=dt.timedelta(minutes=5),
    )
    assert statuses == ["parsed", "parsed"]
    stored = store.parsed_attachments(ids[0])[0]
    assert stored.value("child_surname") == "Ashdown?"
    assert stored.fields["child_surname"].confidence == 0.0
    assert stored.fields["concern_narrative"].confidence == 1.0
    assert stored.children[0].dob is None and len(stored.children[0].surname or "") == 200
    assert stored.concerns == ("neglect",)
    assert stored.warnings == ("oddwarning",)
    assert store.parsed_attachments(ids[1])[0] == rfs_result(message)
