"""Sending the daily report: SMTP, and the once-only rule around it.

A day's report is sent at most once. The ``reports`` row is created ``pending``, then claimed
(one conditional UPDATE to ``sending``: of two daemons racing, one wins), the report is built,
written to ``report.out_dir`` and handed to the mail server, and the row is marked ``sent``
once the server has accepted it. A failure to reach the server, a refusal, a failed login or a
time-out marks it ``failed`` with a one-line reason and a retry time (back-off 5, 10, 20 ...
minutes, at most 2 hours); the daemon retries it. A crash between the claim and ``sent`` leaves
the row ``sending``: the mail may have gone, so nothing resends it automatically; `intake status`
says to check the mailbox and run `intake report --date D --send --force`.

The daemon sends on working days only (the rule book's calendar), after ``report.send_at``; a
working day missed while it was down (after the last sent report, at most
``report.catch_up_days`` working days back) is sent when it comes back, marked late.
Logs carry the day, counts and error codes: never the report's contents.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from intake.config import Settings, working_calendar
from intake.errors import AlreadySent, ReportError, SendFailed
from intake.report.build import Report, build, cutoff, period
from intake.report.render import Rendered, render
from intake.store.ledger import Store, process_owner
from intake.store.reports import ReportRecord

log = logging.getLogger("intake.report")

#: Sent more than this after its cut-off, a report is marked late ("[LATE] " in the subject).
LATE_AFTER = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Outcome:
    """What one report run did."""

    day: dt.date
    #: ``sent`` (the server accepted it) or ``written`` (no recipients: files only).
    status: str
    paths: tuple[Path, ...]
    recipients: int
    late: bool
    rows: int


def file_stem(day: dt.date) -> str:
    return f"report-{day.isoformat()}"


def write_files(report: Report, rendered: Rendered, out_dir: Path) -> tuple[Path, ...]:
    """``report-YYYY-MM-DD.html``, ``.csv`` and ``.txt`` in ``out_dir`` (written atomically)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for suffix, data in (
            (".html", rendered.html.encode("utf-8")),
            (".csv", rendered.csv),
            (".txt", rendered.text.encode("utf-8")),
        ):
            path = out_dir / (file_stem(report.day) + suffix)
            scratch = path.with_name(path.name + ".tmp")
            scratch.write_bytes(data)
            scratch.replace(path)
            paths.append(path)
    except OSError as err:
        raise ReportError(
            report.day.isoformat(),
            f"cannot write to {out_dir} ({err.strerror}); check report.out_dir or --out",
        ) from err
    return tuple(paths)


def build_and_write(
    settings: Settings,
    store: Store,
    day: dt.date,
    out_dir: Path | None = None,
    *,
    now: dt.datetime | None = None,
    late: bool = False,
) -> tuple[Report, Rendered, tuple[Path, ...]]:
    """Build ``day``'s report, render it and write its files (nothing is sent or recorded)."""
    report = build(settings, store, day, now=now)
    rendered = render(report, settings.report.subject, late=late)
    paths = write_files(report, rendered, out_dir or Path(settings.report.out_dir))
    log.info("report built", extra={"day": day.isoformat(), "rows": len(report.rows)})
    return report, rendered, paths


def compose(settings: Settings, report: Report, rendered: Rendered) -> EmailMessage:
    """The email: text/plain and text/html alternatives, and the CSV attached."""
    message = EmailMessage()
    sender = settings.report.sender
    message["From"] = sender
    message["To"] = ", ".join(settings.report.recipients)
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid("intake-report", domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    message.add_attachment(
        rendered.csv,
        maintype="text",
        subtype="csv",
        filename=f"{file_stem(report.day)}.csv",
        params={"charset": "utf-8"},
    )
    return message


def deliver(settings: Settings, message: EmailMessage, day: dt.date, password: str | None) -> int:
    """Hand ``message`` to the configured server; the number of recipients it accepted.

    Every failure becomes :class:`SendFailed` with a one-line reason (codes, host and port:
    no server text, which could quote an address or the subject).
    """
    smtp = settings.smtp
    host, port = smtp.host, smtp.effective_port
    recipients = list(settings.report.recipients)
    where = f"{host}:{port}"
    context = ssl.create_default_context(cafile=smtp.ca_file or None)
    try:
        client: smtplib.SMTP
        if smtp.tls == "implicit":
            client = smtplib.SMTP_SSL(host, port, timeout=smtp.timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=smtp.timeout)
        with client:
            if smtp.tls == "starttls":
                client.starttls(context=context)
            if smtp.username:
                client.login(smtp.username, password or "")
            refused = client.send_message(
                message, from_addr=settings.report.sender, to_addrs=recipients
            )
    except smtplib.SMTPAuthenticationError as err:
        raise _failed(day, f"login refused by {where} (SMTP {err.smtp_code})", err) from err
    except smtplib.SMTPRecipientsRefused as err:
        raise _failed(day, f"{where} refused every recipient", err) from err
    except smtplib.SMTPSenderRefused as err:
        raise _failed(day, f"{where} refused the sender (SMTP {err.smtp_code})", err) from err
    except smtplib.SMTPNotSupportedError as err:
        raise _failed(day, f"{where} does not offer STARTTLS or AUTH", err) from err
    except smtplib.SMTPResponseException as err:
        raise _failed(day, f"{where} answered SMTP {err.smtp_code}", err) from err
    except smtplib.SMTPServerDisconnected as err:
        raise _failed(day, f"{where} closed the connection", err) from err
    except smtplib.SMTPException as err:
        raise _failed(day, f"SMTP error with {where} ({type(err).__name__})", err) from err
    except ssl.SSLCertVerificationError as err:
        raise _failed(
            day, f"TLS certificate of {where} not trusted ({err.verify_message})", err
        ) from err
    except ssl.SSLError as err:
        raise _failed(day, f"TLS with {where} failed ({err.reason or 'handshake'})", err) from err
    except TimeoutError as err:
        raise _failed(day, f"{where} timed out after {smtp.timeout}s", err) from err
    except ConnectionRefusedError as err:
        raise _failed(day, f"connection to {where} refused", err) from err
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise _failed(day, f"cannot reach {where} ({reason})", err) from err
    if refused:
        log.warning(
            "report: some recipients refused",
            extra={"day": day.isoformat(), "refused": len(refused)},
        )
    return len(recipients) - len(refused)


def _failed(day: dt.date, reason: str, err: BaseException) -> SendFailed:
    return SendFailed(day.isoformat(), f"not sent: {reason}")


def send_report(
    settings: Settings,
    store: Store,
    day: dt.date,
    *,
    now: dt.datetime | None = None,
    force: bool = False,
    out_dir: Path | None = None,
    owner: str | None = None,
) -> Outcome:
    """Build, write and email ``day``'s report once, recording it in ``reports``.

    Raises AlreadySent when the day was sent (or is in doubt, or another process is sending it,
    or its retry is not due) and ``force`` is not given; SendFailed when the server did not take
    it (the row is then ``failed``, with its next attempt planned).
    """
    now = now or dt.datetime.now(dt.UTC)
    me = owner or process_owner()
    recipients = settings.report.recipients
    password = settings.smtp.password() if recipients and settings.smtp.username else None
    start, end = period(settings, store, day)
    store.reports.ensure(day, start, end)
    if not store.reports.claim(day, me, now, force=force):
        raise _refusal(day, store.reports.get(day))
    late = now > cutoff(settings, day) + LATE_AFTER
    try:
        report, rendered, paths = build_and_write(settings, store, day, out_dir, now=now, late=late)
        message = compose(settings, report, rendered) if recipients else None
    except BaseException:
        store.reports.release(day, me)
        raise
    accepted = 0
    if message is not None:
        try:
            accepted = deliver(settings, message, day, password)
        except SendFailed as err:
            record = store.reports.mark_failed(day, me, now, err.problem)
            log.warning(
                "report not sent",
                extra={
                    "day": day.isoformat(),
                    "attempts": record.attempts,
                    "error": type(err.__cause__).__name__,
                },
            )
            raise
    store.reports.mark_sent(
        day,
        me,
        dt.datetime.now(dt.UTC),
        period_start=report.period_start,
        period_end=report.period_end,
        late=late,
        rows=len(report.rows),
        recipients=accepted,
    )
    log.info(
        "report sent" if recipients else "report written (no recipients configured)",
        extra={
            "day": day.isoformat(),
            "rows": len(report.rows),
            "recipients": accepted,
            "late": late,
        },
    )
    return Outcome(
        day, "sent" if recipients else "written", paths, accepted, late, len(report.rows)
    )


def _refusal(day: dt.date, record: ReportRecord | None) -> AlreadySent:
    text = day.isoformat()
    resend = f"`intake report --date {text} --send --force` sends it again"
    if record is None or record.status == "sent":
        return AlreadySent(text, f"already sent; {resend}")
    if record.status == "sending":
        return AlreadySent(
            text,
            "is being sent by another process, or a crash left it in doubt (it may have been "
            f"sent); check the mailbox, then {resend}",
        )
    return AlreadySent(text, f"failed; its next attempt is not due yet; {resend} now")


def due_days(settings: Settings, store: Store, now: dt.datetime) -> list[dt.date]:
    """The working days whose report the daemon should send now, oldest first.

    Within the last ``report.catch_up_days`` working days up to today whose cut-off has passed:
    a day never attempted and after the last sent report (with none sent yet: today only), a
    ``pending`` one, and a ``failed`` one whose retry is due. A ``sending`` one is left alone.
    """
    calendar = working_calendar(settings)
    today = now.astimezone(settings.calendar.zone).date()
    candidates: list[dt.date] = []
    day = today
    for _ in range(settings.report.catch_up_days * 3 + 14):
        if len(candidates) >= settings.report.catch_up_days:
            break
        if calendar.is_working_day(day) and cutoff(settings, day) <= now:
            candidates.append(day)
        day -= dt.timedelta(days=1)
    candidates.reverse()
    rows = store.reports.days(candidates)
    last = store.reports.last_sent()
    due = []
    for day in candidates:
        row = rows.get(day)
        if row is None:
            if (last is None and day == today) or (last is not None and day > last.day):
                due.append(day)
        elif row.status == "pending" or (
            row.status == "failed" and (row.next_attempt_at is None or row.next_attempt_at <= now)
        ):
            due.append(day)
        elif row.status == "sending":
            log.warning("report in doubt: left sending", extra={"day": day.isoformat()})
    return due


def run_due(settings: Settings, store: Store, now: dt.datetime | None = None) -> list[Outcome]:
    """The daemon's report job: send every due report (see :func:`due_days`)."""
    now = now or dt.datetime.now(dt.UTC)
    done = []
    for day in due_days(settings, store, now):
        try:
            done.append(send_report(settings, store, day, now=now))
        except AlreadySent:
            log.info("report skipped: sent or being sent", extra={"day": day.isoformat()})
        except SendFailed:
            continue  # recorded on its row and logged; retried after its back-off
    return done


def next_due(settings: Settings, now: dt.datetime) -> dt.date:
    """The working day of the next report whose cut-off is after ``now`` (its time: cutoff())."""
    calendar = working_calendar(settings)
    day = now.astimezone(settings.calendar.zone).date()
    for _ in range(400):
        if calendar.is_working_day(day) and cutoff(settings, day) > now:
            break
        day += dt.timedelta(days=1)
    return day


def status_lines(settings: Settings, store: Store, now: dt.datetime | None = None) -> list[str]:
    """What `intake status` says about the daily report."""
    now = now or dt.datetime.now(dt.UTC)
    zone = settings.calendar.zone

    def when(value: dt.datetime | None) -> str:
        return value.astimezone(zone).isoformat(timespec="minutes") if value else "-"

    lines = []
    last = store.reports.last_sent()
    if last is None:
        lines.append("  last sent: none yet")
    else:
        how = f"to {last.recipients} recipients" if last.recipients else "written to file only"
        lines.append(
            f"  last sent: {last.day} at {when(last.sent_at)} ({how}, {last.rows} rows"
            f"{', late' if last.late else ''})"
        )
    day = next_due(settings, now)
    target = "email" if settings.report.recipients else f"file in {settings.report.out_dir}/ only"
    lines.append(f"  next due: {day} at {when(cutoff(settings, day))} ({target})")
    for record in store.reports.in_doubt():
        if record.status == "failed":
            lines.append(
                f"  FAILED {record.day} after {record.attempts} attempt"
                f"{'' if record.attempts == 1 else 's'}: {record.error}; "
                f"next attempt {when(record.next_attempt_at)}"
            )
        else:
            lines.append(
                f"  IN DOUBT {record.day}: left sending since {when(record.built_at)} "
                f"by {record.owner}: may have been sent; check the mailbox, then "
                f"`intake report --date {record.day} --send --force`"
            )
    return lines
