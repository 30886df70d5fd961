"""The ledger: one row per message, sightings, cursors in the same commit, failures, locks."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from intake.errors import LockHeld, NotFound, RawExpired
from intake.sources.base import MessageRef, PostAction
from intake.store.ledger import Store, sha256_hex
from intake.store.records import Failure, Incoming

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
    store.record_batch([incoming(b"x", 1, action=PostAction("keyword", "Stored"))], advance_to=1)
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
