"""Sending the daily report through a real SMTP server (aiosmtpd on 127.0.0.1): TLS modes and
AUTH, the message's parts, once-only sending (two daemons racing, a restart, a crash left in
doubt), failures retried with back-off, late catch-up, and no report on closed days."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import threading
from pathlib import Path

import pytest

from intake.config import ReportSettings, Settings
from intake.errors import AlreadySent, SendFailed
from intake.report import due_days, run_due, send_report, status_lines
from intake.report.render import CSV_COLUMNS
from intake.store.ledger import Store
from tests.report.conftest import (
    MON,
    RECIPIENTS,
    SENDER,
    FrontDoor,
    SmtpServer,
    at,
    days,
    free_port,
    report_settings,
)

TUE = MON + days(1)


def mail_settings(base: Settings, server: SmtpServer, **smtp: object) -> Settings:
    return dataclasses.replace(
        base,
        report=dataclasses.replace(base.report, recipients=RECIPIENTS, sender=SENDER),
        smtp=server.smtp_settings(**smtp),
    )


@pytest.mark.parametrize("smtp_server", ["implicit", "starttls", "plain"], indirect=True)
def test_the_report_is_emailed_with_its_parts(door: FrontDoor, smtp_server: SmtpServer) -> None:
    """GIVEN a new exception on Monday and a server speaking implicit TLS, STARTTLS or plain
    SMTP on localhost, each asking for a login
    WHEN Tuesday's report is sent at 08:00
    THEN the server gets one message from the sender to both recipients, logged in, titled
    "C-SPOC daily exceptions report — 2026-12-01", with a text and an HTML alternative and
    the CSV attached (the same rows); the day is recorded as sent, not late."""
    kid = door.child()
    ident = door.raise_("neglect-no-gcp", at(MON, 17, 30), kid, due_at=at(MON, 17, 30))
    settings = mail_settings(door.settings, smtp_server)
    outcome = send_report(settings, door.store, TUE, now=at(TUE, 8))
    assert (outcome.status, outcome.recipients, outcome.late) == ("sent", 2, False)
    assert [p.name for p in outcome.paths] == [
        "report-2026-12-01.html",
        "report-2026-12-01.csv",
        "report-2026-12-01.txt",
    ]
    inbox = smtp_server.inbox
    assert len(inbox.envelopes) == 1 and inbox.logins == ["intake-report"]
    envelope = inbox.envelopes[0]
    assert envelope.mail_from == SENDER
    assert sorted(envelope.rcpt_tos) == sorted(RECIPIENTS)
    message = inbox.messages()[0]
    assert message["Subject"] == "C-SPOC daily exceptions report — 2026-12-01"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/mixed"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert f"EX-{ident}" in text.get_content() and f"EX-{ident}" in html.get_content()
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["report-2026-12-01.csv"]
    assert attachments[0].get_content_type() == "text/csv"
    raw = attachments[0].get_payload(decode=True)
    assert isinstance(raw, bytes)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(r["section"], r["exception_id"]) for r in rows] == [
        ("new", str(ident)),
        ("open", str(ident)),
    ]
    assert outcome.paths[1].read_bytes() == raw
    record = door.store.reports.get(TUE)
    assert record is not None
    assert (record.status, record.recipients, record.rows, record.late) == ("sent", 2, 2, False)


def test_a_wrong_password_fails_without_leaking_it(
    door: FrontDoor, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN the wrong SMTP password WHEN the report is sent THEN it fails with a one-line reason
    naming the server and the SMTP code (not the password), and the day is failed, to retry."""
    monkeypatch.setenv("INTAKE_SMTP_PASSWORD", "wrong")
    settings = mail_settings(door.settings, smtp_server)
    with pytest.raises(SendFailed) as caught:
        send_report(settings, door.store, TUE, now=at(TUE, 8))
    assert "login refused by localhost:" in str(caught.value) and "(SMTP 535)" in str(caught.value)
    assert "wrong" not in str(caught.value) and "\n" not in str(caught.value)
    record = door.store.reports.get(TUE)
    assert record is not None and (record.status, record.attempts) == ("failed", 1)
    assert smtp_server.inbox.envelopes == []


def test_an_untrusted_certificate_is_refused(door: FrontDoor, smtp_server: SmtpServer) -> None:
    """GIVEN the server's self-signed certificate is not trusted (system CAs only)
    WHEN the report is sent THEN nothing is sent and the failure says the certificate is not
    trusted."""
    settings = mail_settings(door.settings, smtp_server, ca_file="")
    with pytest.raises(SendFailed, match=r"TLS certificate of localhost:\d+ not trusted"):
        send_report(settings, door.store, TUE, now=at(TUE, 8))
    assert smtp_server.inbox.envelopes == []


def test_a_server_that_is_down_fails_then_the_retry_sends_it(
    door: FrontDoor, smtp_server: SmtpServer
) -> None:
    """GIVEN the mail server is down at 08:00 on Tuesday
    WHEN the daemon's report job runs THEN the day is failed with a one-line reason and a retry
    in 5 minutes, and `intake status` shows the failure; WHEN the job runs again at 08:03 THEN
    nothing is tried; WHEN the server is back and the job runs at 08:06 THEN it is sent (not
    late), once, and status shows it sent."""
    settings = mail_settings(door.settings, smtp_server)
    smtp_server.stop()
    assert run_due(settings, door.store, at(TUE, 8)) == []
    record = door.store.reports.get(TUE)
    assert record is not None
    assert (record.status, record.attempts) == ("failed", 1)
    assert record.error == f"not sent: connection to localhost:{smtp_server.port} refused"
    assert record.next_attempt_at == at(TUE, 8, 5)
    lines = "\n".join(status_lines(settings, door.store, at(TUE, 8, 1)))
    assert "FAILED 2026-12-01 after 1 attempt: not sent: connection to localhost" in lines
    assert "next attempt 2026-12-01T08:05+00:00" in lines
    assert due_days(settings, door.store, at(TUE, 8, 3)) == []
    smtp_server.start()
    done = run_due(settings, door.store, at(TUE, 8, 6))
    assert [(o.day, o.status, o.late) for o in done] == [(TUE, "sent", False)]
    assert len(smtp_server.inbox.envelopes) == 1
    assert run_due(settings, door.store, at(TUE, 9)) == []
    lines = "\n".join(status_lines(settings, door.store, at(TUE, 9)))
    assert "last sent: 2026-12-01" in lines and "FAILED" not in lines
    assert "next due: 2026-12-02 at 2026-12-02T08:00+00:00" in lines


def test_back_off_doubles_up_to_two_hours(door: FrontDoor) -> None:
    """GIVEN a server that never answers WHEN attempt after attempt fails THEN the waits are
    5, 10, 20, 40, 80, 120, 120 minutes."""
    port = free_port()
    settings = dataclasses.replace(
        door.settings,
        report=dataclasses.replace(door.settings.report, recipients=RECIPIENTS, sender=SENDER),
        smtp=dataclasses.replace(
            door.settings.smtp, host="127.0.0.1", port=port, tls="plain", timeout=2
        ),
    )
    now = at(TUE, 8)
    waits = []
    for _ in range(7):
        assert run_due(settings, door.store, now) == []
        record = door.store.reports.get(TUE)
        assert record is not None and record.next_attempt_at is not None
        waits.append(int((record.next_attempt_at - now).total_seconds() // 60))
        now = record.next_attempt_at
    assert waits == [5, 10, 20, 40, 80, 120, 120]


@pytest.mark.parametrize("smtp_server", ["plain"], indirect=True)
def test_two_daemons_racing_send_it_once(
    database_url: str, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """GIVEN two daemons (two stores on one database) WHEN both send Tuesday's report at the
    same moment, eight times over THEN the server gets it exactly once per day and the loser is
    told it was sent; WHEN a daemon restarts later that day THEN it sends nothing."""
    settings = mail_settings(report_settings(database_url, tmp_path / "out"), smtp_server)
    stores = [Store.open(database_url), Store.open(database_url)]
    try:
        day = TUE
        for _round in range(8):
            barrier = threading.Barrier(2)
            results: list[str] = []

            def daemon(
                store: Store,
                name: str,
                day: dt.date = day,
                barrier: threading.Barrier = barrier,
                results: list[str] = results,
            ) -> None:
                barrier.wait()
                try:
                    send_report(settings, store, day, now=at(day, 8), owner=name)
                    results.append("sent")
                except AlreadySent:
                    results.append("refused")

            threads = [
                threading.Thread(target=daemon, args=(store, f"host:{index}"))
                for index, store in enumerate(stores)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            assert sorted(results) == ["refused", "sent"]
            day += days(1)
        assert len(smtp_server.inbox.envelopes) == 8
        restarted = Store.open(database_url)
        try:
            assert run_due(settings, restarted, at(TUE, 12)) == []
        finally:
            restarted.close()
        assert len(smtp_server.inbox.envelopes) == 8
    finally:
        for store in stores:
            store.close()


def test_a_report_left_sending_by_a_crash_is_not_resent(
    door: FrontDoor, smtp_server: SmtpServer
) -> None:
    """GIVEN a daemon claimed Tuesday's report and died before recording it sent
    WHEN the daemon runs again THEN it does not send it; `intake status` says it may have been
    sent and how to resend; WHEN someone forces it THEN it goes out once."""
    settings = mail_settings(door.settings, smtp_server)
    door.store.reports.ensure(TUE, at(MON, 8), at(TUE, 8))
    assert door.store.reports.claim(TUE, "otherhost:4242", at(TUE, 8))
    assert run_due(settings, door.store, at(TUE, 9)) == []
    assert smtp_server.inbox.envelopes == []
    lines = "\n".join(status_lines(settings, door.store, at(TUE, 9)))
    assert "IN DOUBT 2026-12-01" in lines
    assert (
        "may have been sent; check the mailbox, then "
        "`intake report --date 2026-12-01 --send --force`" in lines
    )
    with pytest.raises(AlreadySent, match="may have been sent"):
        send_report(settings, door.store, TUE, now=at(TUE, 9))
    outcome = send_report(settings, door.store, TUE, now=at(TUE, 9), force=True)
    assert outcome.status == "sent" and outcome.late
    assert len(smtp_server.inbox.envelopes) == 1


def test_days_missed_while_the_daemon_was_down_are_sent_late(
    door: FrontDoor, smtp_server: SmtpServer
) -> None:
    """GIVEN Monday's report was sent and the daemon was then down until Thursday 10:00
    WHEN it comes back THEN Tuesday's, Wednesday's and Thursday's reports are sent, oldest
    first, each marked late ("[LATE] " in the subject), each covering the time since the one
    before."""
    settings = mail_settings(door.settings, smtp_server)
    send_report(settings, door.store, MON, now=at(MON, 8))
    door.raise_("neglect-no-gcp", at(TUE, 17, 30), door.child(), due_at=at(TUE, 17, 30))
    thursday = MON + days(3)
    done = run_due(settings, door.store, at(thursday, 10))
    assert [(o.day, o.late) for o in done] == [
        (MON + days(1), True),
        (MON + days(2), True),
        (thursday, True),
    ]
    subjects = [m["Subject"] for m in smtp_server.inbox.messages()]
    assert subjects[0] == "C-SPOC daily exceptions report — 2026-11-30"
    assert subjects[1:] == [
        f"[LATE] C-SPOC daily exceptions report — {day}"
        for day in ("2026-12-01", "2026-12-02", "2026-12-03")
    ]
    wednesday = door.store.reports.get(MON + days(2))
    assert wednesday is not None and wednesday.late and wednesday.rows == 2
    assert (wednesday.period_start, wednesday.period_end) == (at(TUE, 8), at(MON + days(2), 8))


@pytest.mark.parametrize(
    ("now", "closures"),
    [
        (at(MON + days(5), 10), ()),  # Saturday 5 December
        (at(MON + days(6), 10), ()),  # Sunday 6 December
        (at(dt.date(2026, 12, 25), 10), ()),  # Christmas Day, a Friday
        (at(dt.date(2026, 12, 28), 10), ()),  # Boxing Day's substitute bank holiday
        (at(MON + days(2), 10), ("2026-12-02",)),  # a local closure day
    ],
)
def test_nothing_is_sent_on_a_day_the_front_door_is_closed(
    door: FrontDoor, smtp_server: SmtpServer, now: dt.datetime, closures: tuple[str, ...]
) -> None:
    """GIVEN the previous working day's report was sent WHEN the daemon's job runs on a
    Saturday, a Sunday, a bank holiday or a closure day THEN nothing is sent."""
    settings = mail_settings(door.settings, smtp_server)
    settings = dataclasses.replace(
        settings, calendar=dataclasses.replace(settings.calendar, closures=closures)
    )
    day = now.date() - days(1)
    while day.weekday() >= 5 or day in {dt.date(2026, 12, 25), dt.date(2026, 12, 28)}:
        day -= days(1)
    send_report(settings, door.store, day, now=at(day, 8))
    assert run_due(settings, door.store, now) == []
    assert len(smtp_server.inbox.envelopes) == 1


def test_without_recipients_the_daemon_only_writes_the_file(door: FrontDoor) -> None:
    """GIVEN no recipients configured WHEN the daemon's job runs at 08:00 on Tuesday THEN the
    report files are written, the day is recorded (0 recipients), and nothing is sent again."""
    done = run_due(door.settings, door.store, at(TUE, 8))
    assert [(o.status, o.recipients) for o in done] == [("written", 0)]
    assert (door.folder / "out" / "report-2026-12-01.html").is_file()
    assert run_due(door.settings, door.store, at(TUE, 9)) == []
    lines = "\n".join(status_lines(door.settings, door.store, at(TUE, 9)))
    assert "last sent: 2026-12-01" in lines and "written to file only" in lines


def test_a_fresh_install_sends_only_todays_report(door: FrontDoor) -> None:
    """GIVEN no report ever sent WHEN the daemon first runs on Thursday at 09:00 THEN only
    Thursday's report is due, not a backlog; before 08:00 THEN none is."""
    settings = dataclasses.replace(
        door.settings, report=ReportSettings(out_dir=str(door.folder), catch_up_days=5)
    )
    thursday = MON + days(3)
    assert due_days(settings, door.store, at(thursday, 9)) == [thursday]
    assert due_days(settings, door.store, at(thursday, 7, 59)) == []


def test_the_daemon_schedules_the_report(door: FrontDoor) -> None:
    """GIVEN the default settings WHEN the daemon's jobs are built THEN the report job runs at
    08:00 every day (and at start-up, to catch up), and a retry job every 5 minutes."""
    from intake.scheduler import build_scheduler

    jobs = {job.id: job for job in build_scheduler(door.settings, door.store).get_jobs()}
    assert {"report", "report-retry"} <= set(jobs)
    trigger = str(jobs["report"].trigger)
    assert "hour='8'" in trigger and "minute='0'" in trigger
    assert str(jobs["report-retry"].trigger) == "interval[0:05:00]"


def test_logs_carry_no_names(
    door: FrontDoor, smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    """GIVEN an exception about a child (full names configured) WHEN the report is sent and
    then fails to send for another day THEN no log line carries the child's name, date of birth
    or the caller's agency: only the day, counts and error types."""
    kid = door.child()
    call = door.call(at(MON, 10), kid, "Saltmarsh Junior School")
    door.raise_("phone-no-same-day-email", at(MON, 23, 59), kid, due_at=at(MON, 23), call_pk=call)
    settings = mail_settings(door.settings, smtp_server)
    settings = dataclasses.replace(
        settings, report=dataclasses.replace(settings.report, identify="full")
    )
    caplog.set_level("DEBUG", logger="intake")
    send_report(settings, door.store, TUE, now=at(TUE, 8))
    smtp_server.stop()
    with pytest.raises(SendFailed):
        send_report(settings, door.store, TUE + days(1), now=at(TUE + days(1), 8))
    logged = "\n".join(f"{record.getMessage()} {vars(record)}" for record in caplog.records)
    assert "report sent" in logged and "report not sent" in logged
    assert kid.dob is not None
    for secret in (kid.forenames, kid.surname, kid.dob.isoformat(), "Saltmarsh"):
        assert secret not in logged
