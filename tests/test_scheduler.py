"""The daemon: polls on its schedule, stops cleanly on SIGTERM, and never polls a mailbox another
process is polling."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intake import synthetic
from intake.store.ledger import Store
from tests.support.dovecot import DovecotServer
from tests.support.settings import PASSWORD_ENV, write_config

pytestmark = [pytest.mark.dovecot]


def _env(password: str) -> dict[str, str]:
    return {**os.environ, PASSWORD_ENV: password, "INTAKE_LOGGING_FORMAT": "json"}


def test_daemon_polls_at_start_and_stops_cleanly_on_sigterm(
    dovecot: DovecotServer, store: Store, database_url: str, tmp_path: Path
) -> None:
    """GIVEN three messages and a daemon polling every minute WHEN it starts THEN it polls at
    once; WHEN it gets SIGTERM THEN it exits 0 within seconds, saying it stopped."""
    for raw in synthetic.demo_corpus(seed=3, start=dt.date(2026, 11, 16))[:3]:
        dovecot.append("INBOX", raw)
    config = write_config(tmp_path / "intake.toml", dovecot, database_url)
    daemon = subprocess.Popen(
        [sys.executable, "-m", "intake", "--config", str(config), "run"],
        env=_env(dovecot.password),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Generous: the first poll starts parse workers and loads the calendar, and CI machines
        # are shared.
        deadline = time.monotonic() + 90
        while len(store.ledger("checked")) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(store.ledger("checked")) == 3
        daemon.send_signal(signal.SIGTERM)
        _, err = daemon.communicate(timeout=60)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.communicate()
    assert daemon.returncode == 0, err
    assert '"event": "daemon stopped"' in err
    assert '"signal": "SIGTERM"' in err


def test_poll_refuses_while_another_process_holds_the_mailbox(
    dovecot: DovecotServer, store: Store, database_url: str, tmp_path: Path
) -> None:
    """GIVEN a live process holds the cspoc poll lock WHEN `intake poll` runs THEN it polls
    nothing and exits 1 saying who holds the lock."""
    dovecot.append("INBOX", synthetic.demo_corpus(seed=3, start=dt.date(2026, 11, 16))[0])
    store.acquire_lock("poll:cspoc", dt.timedelta(minutes=5))  # this test process, alive
    config = write_config(tmp_path / "intake.toml", dovecot, database_url)
    done = subprocess.run(
        [sys.executable, "-m", "intake", "--config", str(config), "poll"],
        env=_env(dovecot.password),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "lock poll:cspoc is held" in done.stderr
    assert store.ledger() == []


def test_the_daemon_judges_at_every_deadline(store: Store) -> None:
    """GIVEN the default settings WHEN the daemon's jobs are built THEN the checks run on their
    safety-net schedule and a job looks each minute for a passed deadline; WHEN a judgement is
    pending THEN it reports a passed deadline only once the deadline is reached."""
    from intake.config import Settings
    from intake.scheduler import build_scheduler
    from intake.store.records import Judgement

    scheduler = build_scheduler(Settings(), store)
    ids = {job.id for job in scheduler.get_jobs()}
    assert {"checks", "deadline", "retry", "retention"} <= ids
    now = dt.datetime.now(dt.UTC)
    due = now + dt.timedelta(hours=3)
    store.cases.record(
        [
            Judgement(
                rule="neglect-no-gcp",
                severity="exception",
                anchor="form:1:1",
                outcome="pending",
                detail="",
                due_at=due,
                raised_at=due,
                child_forenames=None,
                child_surname=None,
                child_dob=None,
                message_pk=None,
                form_ordinal=None,
                call_pk=None,
            )
        ],
        [],
        as_of=now,
        messages=[],
        calls=[],
    )
    assert not store.cases.deadline_passed(now)
    assert store.cases.deadline_passed(due)
    assert store.cases.next_due(now) == due
