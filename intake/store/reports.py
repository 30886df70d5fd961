"""What the daily exceptions report asks of the database: the exceptions of a period with the
referrer's agency and the received time, per-mailbox reconciliation counts, and the ``reports``
table that makes each day's report go out once.

Only this module, :mod:`intake.store.ledger` and :mod:`intake.store.cases` know SQLAlchemy.
Everything handed out is a frozen value defined here.

Once-only sending: a report row moves ``pending`` -> ``sending`` -> ``sent`` (or ``failed`` ->
``sending`` again when its back-off has passed). The move to ``sending`` is one conditional
UPDATE (:meth:`ReportStore.claim`): of two daemons racing for a day, exactly one sees its UPDATE
change a row. A row left ``sending`` by a crash is never claimed again automatically (the mail
may have gone out); only ``force`` takes it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from intake.store.db import chunks as _chunks
from intake.store.models import (
    AttachmentRow,
    CallRow,
    CursorRow,
    ExceptionRow,
    FormFieldRow,
    MessageRow,
    ReportRow,
    SightingRow,
)

if TYPE_CHECKING:
    from intake.store.ledger import Store

REPORT_STATUSES = ("pending", "sending", "sent", "failed")
#: The first retry after a failed send waits this long; each later one twice as long ...
FIRST_BACKOFF = dt.timedelta(minutes=5)
#: ... up to this.
MAX_BACKOFF = dt.timedelta(hours=2)
_CLAIMABLE = ("pending", "failed")


@dataclass(frozen=True)
class ReportItem:
    """One exception as the report shows it: the exception, when its mail or call came in and
    the referrer's agency (from the form, or the caller's agency for a phone contact)."""

    id: int
    rule: str
    severity: str
    status: str
    raised_at: dt.datetime
    due_at: dt.datetime | None
    resolved_at: dt.datetime | None
    late: bool | None
    child_forenames: str | None
    child_surname: str | None
    child_dob: str | None
    message_pk: int | None
    call_pk: int | None
    detail: str
    received_at: dt.datetime | None
    agency: str | None


@dataclass(frozen=True)
class MailboxCounts:
    """One mailbox's reconciliation: what the server holds against what the ledger has (and, in
    the daily report, why it is in trouble)."""

    mailbox: str
    #: Messages the watched folders held at their last successful polls (None: never said).
    in_folders: int | None
    #: Distinct messages the ledger has seen in this mailbox.
    in_ledger: int
    #: ``parsed`` or ``checked``.
    processed: int
    waiting: int
    failed: int
    dead: int
    #: The oldest of its folders' last successful polls (None: a folder never succeeded).
    last_success_at: dt.datetime | None
    #: Whether every folder has a cursor (False for a file import, which has none).
    polled: bool
    #: Why the report counts it in trouble, e.g. ("no successful poll for 2 intervals",
    #: "1 dead message"); empty: healthy (and always empty as the store hands it out).
    problems: tuple[str, ...] = ()

    @property
    def trouble(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True)
class ReportRecord:
    """One row of the ``reports`` table."""

    day: dt.date
    status: str
    period_start: dt.datetime | None
    period_end: dt.datetime
    built_at: dt.datetime | None
    sent_at: dt.datetime | None
    late: bool
    attempts: int
    next_attempt_at: dt.datetime | None
    error: str | None
    owner: str | None
    rows: int
    recipients: int


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 5, 10, 20 ... min, at most 2 h."""
    if attempts <= 0:
        return dt.timedelta(0)
    wait: dt.timedelta = FIRST_BACKOFF * (2 ** min(attempts - 1, 20))
    return min(wait, MAX_BACKOFF)


class ReportStore:
    """The report's queries and the ``reports`` table. Each public method is one transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- what a report shows --------------------------------------------------------------------

    def items(self, start: dt.datetime, end: dt.datetime) -> list[ReportItem]:
        """Exceptions raised in (start, end], exceptions (severity ``exception``) open now and
        raised by ``end``, and exceptions auto-resolved in (start, end]; oldest first."""
        with self._store._tx(read=True) as session:
            query = (
                select(
                    ExceptionRow,
                    MessageRow.received_at,
                    CallRow.called_at,
                    CallRow.caller_agency,
                )
                .outerjoin(MessageRow, MessageRow.id == ExceptionRow.message_pk)
                .outerjoin(CallRow, CallRow.id == ExceptionRow.call_pk)
                .where(
                    or_(
                        and_(ExceptionRow.raised_at > start, ExceptionRow.raised_at <= end),
                        and_(
                            ExceptionRow.status == "open",
                            ExceptionRow.severity == "exception",
                            ExceptionRow.raised_at <= end,
                        ),
                        and_(
                            ExceptionRow.status == "auto_resolved",
                            ExceptionRow.resolved_at > start,
                            ExceptionRow.resolved_at <= end,
                        ),
                    )
                )
                .order_by(ExceptionRow.raised_at, ExceptionRow.id)
            )
            found = list(session.execute(query))
            forms = [
                (row.message_pk, row.form_ordinal)
                for row, *_ in found
                if row.message_pk is not None
            ]
            agencies = self._agencies(session, forms)
            items = []
            for row, received, called, caller_agency in found:
                agency = caller_agency
                if row.message_pk is not None:
                    agency = agencies.get((row.message_pk, row.form_ordinal)) or agencies.get(
                        (row.message_pk, None), caller_agency
                    )
                items.append(
                    ReportItem(
                        id=row.id,
                        rule=row.rule,
                        severity=row.severity,
                        status=row.status,
                        raised_at=row.raised_at,
                        due_at=row.due_at,
                        resolved_at=row.resolved_at,
                        late=row.late,
                        child_forenames=row.child_forenames,
                        child_surname=row.child_surname,
                        child_dob=row.child_dob,
                        message_pk=row.message_pk,
                        call_pk=row.call_pk,
                        detail=row.detail,
                        received_at=received if received is not None else called,
                        agency=agency,
                    )
                )
            return items

    @staticmethod
    def _agencies(
        session: Session, forms: Sequence[tuple[int, int | None]]
    ) -> dict[tuple[int, int | None], str]:
        """``referrer_agency`` of each (message, form ordinal); (message, None): its first."""
        found: dict[tuple[int, int | None], str] = {}
        pks = sorted({pk for pk, _ in forms})
        for chunk in _chunks(pks):
            rows = session.execute(
                select(AttachmentRow.message_pk, AttachmentRow.ordinal, FormFieldRow.value)
                .join(FormFieldRow, FormFieldRow.attachment_pk == AttachmentRow.id)
                .where(
                    AttachmentRow.message_pk.in_(chunk),
                    FormFieldRow.name == "referrer_agency",
                )
                .order_by(AttachmentRow.message_pk, AttachmentRow.ordinal)
            )
            for pk, ordinal, value in rows:
                try:
                    text = json.loads(value)
                except ValueError:
                    continue
                if not isinstance(text, str) or not text.strip():
                    continue
                found[(pk, ordinal)] = text
                found.setdefault((pk, None), text)
        return found

    def mail_received(self, start: dt.datetime, end: dt.datetime) -> int:
        """Messages received in (start, end]."""
        with self._store._tx(read=True) as session:
            return int(
                session.execute(
                    select(func.count())
                    .select_from(MessageRow)
                    .where(MessageRow.received_at > start, MessageRow.received_at <= end)
                ).scalar_one()
            )

    def messages_by_status(self) -> dict[str, int]:
        with self._store._tx(read=True) as session:
            return {
                status: int(count)
                for status, count in session.execute(
                    select(MessageRow.status, func.count()).group_by(MessageRow.status)
                )
            }

    def mailboxes(self) -> list[MailboxCounts]:
        """Every mailbox the ledger or the cursors know, with its reconciliation counts."""
        with self._store._tx(read=True) as session:
            by_box: dict[str, dict[str, int]] = {}
            rows = session.execute(
                select(SightingRow.mailbox, MessageRow.status, func.count(MessageRow.id.distinct()))
                .join(MessageRow, MessageRow.id == SightingRow.message_pk)
                .group_by(SightingRow.mailbox, MessageRow.status)
            )
            for mailbox, status, count in rows:
                by_box.setdefault(mailbox, {})[status] = int(count)
            totals = {
                mailbox: int(count)
                for mailbox, count in session.execute(
                    select(
                        SightingRow.mailbox, func.count(SightingRow.message_pk.distinct())
                    ).group_by(SightingRow.mailbox)
                )
            }
            cursors: dict[str, list[CursorRow]] = {}
            for cursor in session.execute(select(CursorRow)).scalars():
                cursors.setdefault(cursor.mailbox, []).append(cursor)
        result = []
        for name in sorted(set(by_box) | set(cursors)):
            counts = by_box.get(name, {})
            folders = cursors.get(name, [])
            exists = [c.last_exists for c in folders if c.last_exists is not None]
            successes = [c.last_success_at for c in folders]
            result.append(
                MailboxCounts(
                    mailbox=name,
                    in_folders=sum(exists) if exists else None,
                    in_ledger=int(totals.get(name, 0)),
                    processed=counts.get("parsed", 0) + counts.get("checked", 0),
                    waiting=counts.get("fetched", 0),
                    failed=counts.get("failed", 0),
                    dead=counts.get("dead", 0),
                    last_success_at=(
                        None
                        if not successes or any(s is None for s in successes)
                        else min(s for s in successes if s is not None)
                    ),
                    polled=bool(folders),
                )
            )
        return result

    # -- the reports table ----------------------------------------------------------------------

    def get(self, day: dt.date) -> ReportRecord | None:
        with self._store._tx(read=True) as session:
            row = session.get(ReportRow, day.isoformat())
            return _record(row) if row is not None else None

    def previous(self, day: dt.date) -> ReportRecord | None:
        """The latest report row for a day before ``day``."""
        with self._store._tx(read=True) as session:
            row = session.execute(
                select(ReportRow)
                .where(ReportRow.day < day.isoformat())
                .order_by(ReportRow.day.desc())
                .limit(1)
            ).scalar_one_or_none()
            return _record(row) if row is not None else None

    def recent(self, limit: int = 10) -> list[ReportRecord]:
        """The newest report rows, newest first."""
        with self._store._tx(read=True) as session:
            rows = session.execute(
                select(ReportRow).order_by(ReportRow.day.desc()).limit(limit)
            ).scalars()
            return [_record(row) for row in rows]

    def in_doubt(self) -> list[ReportRecord]:
        """Rows that are ``sending`` or ``failed``, oldest first (for `intake status`)."""
        with self._store._tx(read=True) as session:
            rows = session.execute(
                select(ReportRow)
                .where(ReportRow.status.in_(("sending", "failed")))
                .order_by(ReportRow.day)
            ).scalars()
            return [_record(row) for row in rows]

    def last_sent(self) -> ReportRecord | None:
        with self._store._tx(read=True) as session:
            row = session.execute(
                select(ReportRow)
                .where(ReportRow.status == "sent")
                .order_by(ReportRow.day.desc())
                .limit(1)
            ).scalar_one_or_none()
            return _record(row) if row is not None else None

    def ensure(self, day: dt.date, period_start: dt.datetime, period_end: dt.datetime) -> None:
        """Create the day's row as ``pending`` unless it exists (a racing insert is a no-op)."""
        values = {
            "day": day.isoformat(),
            "status": "pending",
            "period_start": period_start,
            "period_end": period_end,
            "late": False,
            "attempts": 0,
            "rows": 0,
            "recipients": 0,
        }
        insert = (
            postgresql_insert if self._store.engine.dialect.name == "postgresql" else sqlite_insert
        )
        with self._store._tx() as session:
            session.execute(
                insert(ReportRow).values(**values).on_conflict_do_nothing(index_elements=["day"])
            )

    def claim(self, day: dt.date, owner: str, now: dt.datetime, *, force: bool = False) -> bool:
        """Move the day's row to ``sending`` for ``owner``; False when another sender has it,
        it was sent, a crash left it ``sending``, or its retry is not due yet.

        ``force`` takes the row whatever its status (a person checked the mailbox).
        """
        condition = ReportRow.day == day.isoformat()
        if not force:
            condition = and_(
                condition,
                ReportRow.status.in_(_CLAIMABLE),
                or_(ReportRow.next_attempt_at.is_(None), ReportRow.next_attempt_at <= now),
            )
        with self._store._tx() as session:
            result = session.execute(
                update(ReportRow)
                .where(condition)
                .values(status="sending", owner=owner, built_at=now)
                .execution_options(synchronize_session=False)
            )
            return int(getattr(result, "rowcount", 0) or 0) == 1

    def mark_sent(
        self,
        day: dt.date,
        owner: str,
        now: dt.datetime,
        *,
        period_start: dt.datetime,
        period_end: dt.datetime,
        late: bool,
        rows: int,
        recipients: int,
    ) -> bool:
        """The mail server accepted it (or there was no one to send it to): ``sent``."""
        with self._store._tx() as session:
            result = session.execute(
                update(ReportRow)
                .where(
                    ReportRow.day == day.isoformat(),
                    ReportRow.owner == owner,
                    ReportRow.status == "sending",
                )
                .values(
                    status="sent",
                    sent_at=now,
                    owner=None,
                    error=None,
                    next_attempt_at=None,
                    period_start=period_start,
                    period_end=period_end,
                    late=late,
                    rows=rows,
                    recipients=recipients,
                )
                .execution_options(synchronize_session=False)
            )
            return int(getattr(result, "rowcount", 0) or 0) == 1

    def mark_failed(self, day: dt.date, owner: str, now: dt.datetime, error: str) -> ReportRecord:
        """The attempt failed: ``failed``, one more attempt counted, the next one planned."""
        with self._store._tx() as session:
            row = session.get(ReportRow, day.isoformat(), with_for_update=True)
            assert row is not None, "mark_failed on a report row that does not exist"
            if row.owner == owner and row.status == "sending":
                row.status = "failed"
                row.owner = None
                row.attempts = (row.attempts or 0) + 1
                row.error = " ".join(error.split())[:500]
                row.next_attempt_at = now + backoff(row.attempts)
            session.flush()
            return _record(row)

    def release(self, day: dt.date, owner: str) -> None:
        """Give the claim back unsent (the build itself failed): ``pending`` again."""
        with self._store._tx() as session:
            session.execute(
                update(ReportRow)
                .where(
                    ReportRow.day == day.isoformat(),
                    ReportRow.owner == owner,
                    ReportRow.status == "sending",
                )
                .values(status="pending", owner=None)
                .execution_options(synchronize_session=False)
            )

    def days(self, days: Iterable[dt.date]) -> dict[dt.date, ReportRecord]:
        """The rows of these days that exist."""
        wanted = sorted({day.isoformat() for day in days})
        with self._store._tx(read=True) as session:
            found: dict[dt.date, ReportRecord] = {}
            for chunk in _chunks(wanted):
                for row in session.execute(
                    select(ReportRow).where(ReportRow.day.in_(chunk))
                ).scalars():
                    record = _record(row)
                    found[record.day] = record
            return found


def _record(row: ReportRow) -> ReportRecord:
    return ReportRecord(
        day=dt.date.fromisoformat(row.day),
        status=row.status,
        period_start=row.period_start,
        period_end=row.period_end,
        built_at=row.built_at,
        sent_at=row.sent_at,
        late=bool(row.late),
        attempts=row.attempts or 0,
        next_attempt_at=row.next_attempt_at,
        error=row.error,
        owner=row.owner,
        rows=row.rows or 0,
        recipients=row.recipients or 0,
    )
