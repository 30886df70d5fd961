"""kill -9 at any point of a poll loses nothing and doubles nothing (a real subprocess, real
Dovecot, both databases)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from intake import synthetic
from intake.store.models import CursorRow, MessageRow, SightingRow
from tests.support.dovecot import DovecotServer
from tests.support.settings import PASSWORD_ENV, write_config

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]

MESSAGES = 300
BATCH = 20


def _count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(MessageRow)).scalar_one())
    except Exception:
        return 0
    finally:
        engine.dispose()


def _start(config: Path, password: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, PASSWORD_ENV: password, "INTAKE_LOGGING_LEVEL": "WARNING"}
    return subprocess.Popen(
        [sys.executable, "-m", "intake", "--config", str(config), "poll"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_kill_9_mid_batch_loses_nothing_and_duplicates_nothing(
    dovecot: DovecotServer, database_url: str, tmp_path: Path
) -> None:
    """GIVEN 300 messages in INBOX and a poller fetching 20 at a time
    WHEN the poller is killed with SIGKILL three times part-way through, then run to the end
    THEN the ledger holds exactly the mailbox's messages, each once, each seen once, all
    checked, the cursor is at the last UID, and no message was marked read."""
    corpus = list(synthetic.bulk_corpus(n=MESSAGES, seed=11, min_kb=5, max_kb=40))
    dovecot.multiappend("INBOX", corpus)
    config = write_config(
        tmp_path / "intake.toml", dovecot, database_url, limits={"fetch_batch_messages": BATCH}
    )
    kills = []
    for target in (40, 130, 220):
        child = _start(config, dovecot.password)
        deadline = time.monotonic() + 60
        while _count(database_url) < target and time.monotonic() < deadline:
            if child.poll() is not None:
                break
            time.sleep(0.01)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills.append(_count(database_url))
        child.wait(timeout=30)
        assert child.stderr is not None
        child.stderr.close()
    assert len(kills) >= 2, "the poller finished before it could be killed part-way"
    assert any(0 < k < MESSAGES for k in kills)

    final = _start(config, dovecot.password)
    _, err = final.communicate(timeout=120)
    assert final.returncode == 0, err.decode(errors="replace")

    expected = {hashlib.sha256(raw).hexdigest() for raw in _mailbox_bytes(dovecot)}
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(MessageRow.sha256, MessageRow.status)).all()
            sightings = conn.execute(select(SightingRow.message_pk, SightingRow.uid)).all()
            cursor = conn.execute(select(CursorRow.last_uid)).scalar_one()
    finally:
        engine.dispose()
    assert len(rows) == MESSAGES
    assert {sha for sha, _ in rows} == expected
    assert {status for _, status in rows} == {"checked"}
    assert len(sightings) == MESSAGES
    assert len({uid for _, uid in sightings}) == MESSAGES
    assert cursor == max(dovecot.uids("INBOX"))
    assert not any(b"\\Seen" in flags for flags in dovecot.flags("INBOX").values())


def _mailbox_bytes(server: DovecotServer) -> list[bytes]:
    with server.client() as client:
        client.select_folder("INBOX", readonly=True)
        uids = client.search(["ALL"])
        data = client.fetch(uids, [b"BODY.PEEK[]"])
        return [data[uid][b"BODY[]"] for uid in uids]


def test_worker_processes_end_with_a_killed_poller(
    dovecot: DovecotServer, database_url: str, tmp_path: Path
) -> None:
    """GIVEN a poller with parse workers WHEN the poller is killed with SIGKILL
    THEN its worker processes (and their fork server) end too, within a few seconds."""
    dovecot.multiappend("INBOX", list(synthetic.bulk_corpus(n=200, seed=12, min_kb=5, max_kb=40)))
    config = write_config(tmp_path / "intake.toml", dovecot, database_url)
    child = _start(config, dovecot.password)
    deadline = time.monotonic() + 60
    while not _children(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(child.pid)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.stderr is not None
    child.stderr.close()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert workers and not any(_alive(pid) for pid in workers)


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (the fork server and its workers)."""
    found: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        path = Path(f"/proc/{parent}/task/{parent}/children")
        kids = [int(k) for k in path.read_text().split()] if path.exists() else []
        found.extend(kids)
        frontier.extend(kids)
    return found


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return False
    return "State:\tZ" not in status.read_text()
