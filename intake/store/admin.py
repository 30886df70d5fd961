"""What the web interface's administration pages ask of the database (and nothing else does).

Mailbox rules are named in the CLI, but the web pages address them by their row id (a URL
never carries free text an administrator typed); the audit log is read a page at a time; the
mailboxes page shows each watched folder's last poll. Only :mod:`intake.store` knows
SQLAlchemy: everything handed out is a frozen value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from intake.store.models import AuditRow, CursorRow, MailboxRuleRow
from intake.store.rules import AuditEntry, audit_entry

if TYPE_CHECKING:
    from intake.store.ledger import Store


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit log, newest first, and how many entries match in all."""

    entries: tuple[AuditEntry, ...]
    total: int


@dataclass(frozen=True)
class FolderPoll:
    """How the polls of one watched folder went (from its cursor)."""

    mailbox: str
    folder: str
    last_poll_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_error: str | None
    #: Messages the server said the folder held at the last successful poll.
    exists: int | None


def rule_ids(store: Store) -> dict[str, int]:
    """Each mailbox rule's name and row id."""
    with store._tx(read=True) as session:
        return {
            name: int(pk)
            for pk, name in session.execute(select(MailboxRuleRow.id, MailboxRuleRow.name))
        }


def rule_name(store: Store, rule_id: int) -> str | None:
    """The name of the rule with row id ``rule_id``; None when there is none."""
    with store._tx(read=True) as session:
        name = session.execute(
            select(MailboxRuleRow.name).where(MailboxRuleRow.id == rule_id)
        ).scalar_one_or_none()
        return None if name is None else str(name)


def audit_page(store: Store, *, entity: str | None, offset: int, limit: int) -> AuditPage:
    """Entries ``offset`` .. ``offset + limit`` of the audit log (of ``entity``, or all)."""
    with store._tx(read=True) as session:
        query = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc())
        counting = select(func.count()).select_from(AuditRow)
        if entity is not None:
            query = query.where(AuditRow.entity == entity)
            counting = counting.where(AuditRow.entity == entity)
        total = int(session.execute(counting).scalar_one())
        rows = session.execute(query.offset(max(offset, 0)).limit(max(limit, 0))).scalars()
        entries = tuple(audit_entry(row) for row in rows)
        return AuditPage(entries, total)


def folder_polls(store: Store) -> list[FolderPoll]:
    """Every folder cursor: the last poll, the last successful one and the last error."""
    with store._tx(read=True) as session:
        return [
            FolderPoll(
                row.mailbox,
                row.folder,
                row.last_poll_at,
                row.last_success_at,
                row.last_error,
                row.last_exists,
            )
            for row in session.execute(
                select(CursorRow).order_by(CursorRow.mailbox, CursorRow.folder)
            ).scalars()
        ]
