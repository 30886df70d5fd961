"""The parse and check stages in worker processes give the same outcomes as in the poller."""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path

import pytest

from intake import synthetic
from intake.sources.base import MessageRef
from intake.store.ledger import Store
from intake.store.records import Incoming
from intake.workers import Examiner

T0 = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def stored(store: Store, raws: list[bytes]) -> list[int]:
    items = [
        Incoming(
            ref=MessageRef("cspoc", "INBOX", 1, uid, None, len(raw), T0),
            raw=raw,
            headers=None,
            received_at=T0,
            message_id=None,
            sent_at=None,
            quiet=False,
            action=None,
        )
        for uid, raw in enumerate(raws, start=1)
    ]
    return [r.id for r in store.record_batch(items, advance_to=len(raws))]


@pytest.mark.parametrize("workers", [0, 2])
def test_outcomes_are_the_same_inline_and_in_workers(store: Store, workers: int) -> None:
    """GIVEN referrals and a broken message in the ledger WHEN examined in worker processes or
    inline THEN each gets one outcome, the broken one a permanent failure, and attachment bytes
    are left behind (the raw copy has them)."""
    good = synthetic.demo_corpus(seed=4, start=dt.date(2026, 11, 16))[:5]
    broken = synthetic.malformed_emails()["truncated_base64"]
    ids = stored(store, [*good, broken])
    with Examiner(store, workers) as examiner:
        examiner.submit(ids)
        outcomes = {o.pk: o for o in examiner.drain()}
    assert sorted(outcomes) == ids
    assert all(outcomes[pk].failure is None for pk in ids[:-1])
    failure = outcomes[ids[-1]].failure
    assert failure is not None and not failure.transient and "truncated" in failure.reason
    for outcome in outcomes.values():
        assert outcome.message is not None
        assert all(part.data == b"" for part in outcome.message.attachments)
    assert any(outcomes[pk].message.attachments for pk in ids[:-1])  # type: ignore[union-attr]


def test_an_expired_raw_copy_is_a_clear_failure(store: Store) -> None:
    ids = stored(store, [synthetic.malformed_emails()["binary_garbage"]])
    store.expire_raw(dt.datetime.now(dt.UTC) + dt.timedelta(days=365))
    with Examiner(store, 0) as examiner:
        examiner.submit(ids)
        (outcome,) = examiner.drain()
    assert outcome.failure is not None and "expired" in outcome.failure.reason


def test_a_worker_that_dies_fails_its_messages_for_retry_and_the_next_pool_works(
    store: Store,
) -> None:
    """GIVEN messages handed to the parse workers WHEN every worker is killed before it
    answers THEN those messages come back failed (transient, so retried), and later work goes
    to a fresh pool."""
    mail = synthetic.demo_corpus(seed=4, start=dt.date(2026, 11, 16))[:6]
    ids = stored(store, mail)
    with Examiner(store, 2) as examiner:
        examiner.submit(ids[:3])
        for pid in _grandchildren():
            os.kill(pid, signal.SIGKILL)
        crashed = examiner.drain()
        assert sorted(o.pk for o in crashed) == ids[:3]
        for outcome in crashed:
            assert outcome.failure is not None and outcome.failure.transient
            assert "worker stopped" in outcome.failure.reason
        examiner.submit(ids[3:])
        later = examiner.drain()
    assert [o.failure for o in later] == [None, None, None]


def _grandchildren() -> list[int]:
    """The fork server's children: the parse workers of this test process."""

    def children(pid: int) -> list[int]:
        path = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(k) for k in path.read_text().split()] if path.exists() else []

    found = [grand for child in children(os.getpid()) for grand in children(child)]
    assert found, "no parse workers were started"
    return found
