"""Mailbox rules in the database, and the audit log every change to them is written to.

Only this module (with the rest of :mod:`intake.store`) knows SQLAlchemy. Rules come and go as
:class:`intake.mailrules.Rule` values; audit entries as :class:`AuditEntry`. Every change is one
transaction that also writes its audit entry (who, when, the rule before and after, as JSON), so
the log never misses a change and never records one that did not happen.

Positions are 1, 2, 3 ... with no gaps: adding at a position, moving and removing renumber.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.errors import RuleInvalid, RuleNotFound
from intake.mailrules import yamlio
from intake.mailrules.model import Rule
from intake.store.db import column_text
from intake.store.models import AttachmentRow, AuditRow, MailboxRuleRow, MessageRow, SightingRow

if TYPE_CHECKING:
    from intake.store.ledger import Store

#: The audit log's entity name for mailbox rules.
ENTITY = "mailbox-rule"


@dataclass(frozen=True)
class AuditEntry:
    """One change: who made it, when, to what, and the thing before and after (None: absent)."""

    id: int
    at: dt.datetime
    actor: str
    entity: str
    key: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class RecentMessage:
    """A stored message as `intake rules test` sees it (``raw`` None: the copy has expired)."""

    id: int
    received_at: dt.datetime
    status: str
    route: str | None
    route_rule: str | None
    folder: str
    sender: str
    subject: str
    attachment_names: tuple[str, ...]
    attachment_kinds: tuple[str, ...]
    raw: bytes | None = None

    def __repr__(self) -> str:
        return f"RecentMessage(id={self.id}, status={self.status!r})"


@dataclass(frozen=True)
class ImportOutcome:
    """What `intake rules import` did (or, in a dry run, would do)."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


def write_audit(
    session: Session,
    *,
    actor: str,
    entity: str,
    key: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: dt.datetime | None = None,
) -> None:
    """Add one audit entry inside the caller's transaction."""
    session.add(
        AuditRow(
            at=at or dt.datetime.now(dt.UTC),
            actor=column_text(actor, 200) or "unknown",
            entity=column_text(entity, 40) or "?",
            entity_key=column_text(key, 300) or "?",
            action=column_text(action, 32) or "?",
            before=None if before is None else json.dumps(before, ensure_ascii=False),
            after=None if after is None else json.dumps(after, ensure_ascii=False),
        )
    )


def read_audit(session: Session, entity: str | None, limit: int) -> list[AuditEntry]:
    """The newest ``limit`` entries (of ``entity``, or all), newest first."""
    query = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditRow.entity == entity)
    return [audit_entry(row) for row in session.execute(query).scalars()]


def audit_entry(row: AuditRow) -> AuditEntry:
    """The frozen :class:`AuditEntry` of an ``audit`` row."""
    return AuditEntry(
        row.id,
        row.at,
        row.actor,
        row.entity,
        row.entity_key,
        row.action,
        json.loads(row.before) if row.before else None,
        json.loads(row.after) if row.after else None,
    )


class RuleStore:
    """The mailbox rules. Each public method is one transaction (with its audit entries)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- reading ----------------------------------------------------------------------------

    def all(self) -> list[Rule]:
        """Every rule, in evaluation order."""
        with self._store._tx(read=True) as session:
            return [_rule_of(row) for row in _ordered(session)]

    def enabled(self) -> list[Rule]:
        """The rules a poll evaluates, in order (read once per poll)."""
        return [rule for rule in self.all() if rule.enabled]

    def get(self, name: str) -> Rule:
        with self._store._tx(read=True) as session:
            return _rule_of(_find(session, name))

    # -- changing ---------------------------------------------------------------------------

    def add(self, rule: Rule, *, actor: str, position: int | None = None) -> Rule:
        """Store a new rule at ``position`` (1 = first; default: last), later ones move down."""
        with self._store._tx() as session:
            if _named(session, rule.name) is not None:
                raise RuleInvalid(
                    rule.name,
                    ["a rule with this name already exists; choose another name, or use "
                     "`intake rules edit` to change it"],
                )  # fmt: skip
            rows = list(_ordered(session))
            now = dt.datetime.now(dt.UTC)
            row = MailboxRuleRow(created_at=now)
            _fill(row, rule, now)
            at = _clamp(position, len(rows) + 1)
            rows.insert(at - 1, row)
            session.add(row)
            _renumber(rows)
            session.flush()
            saved = _rule_of(row)
            write_audit(
                session,
                actor=actor,
                entity=ENTITY,
                key=rule.name,
                action="add",
                before=None,
                after=_audited(saved),
                at=now,
            )
            return saved

    def update(
        self,
        name: str,
        rule: Rule,
        *,
        actor: str,
        action: str = "edit",
        position: int | None = None,
    ) -> Rule:
        """Replace the rule named ``name`` with ``rule`` (which may rename it), optionally moving
        it to ``position``; ``action`` names the change in the audit log."""
        with self._store._tx() as session:
            row = _find(session, name)
            if rule.name != name and _named(session, rule.name) is not None:
                raise RuleInvalid(
                    rule.name,
                    [f"cannot rename {name!r}: a rule named {rule.name!r} already exists; "
                     "choose another name"],
                )  # fmt: skip
            before = _audited(_rule_of(row))
            now = dt.datetime.now(dt.UTC)
            _fill(row, rule, now)
            if position is not None:
                rows = [r for r in _ordered(session) if r.id != row.id]
                rows.insert(_clamp(position, len(rows) + 1) - 1, row)
                _renumber(rows)
            session.flush()
            saved = _rule_of(row)
            after = _audited(saved)
            if after != before:
                write_audit(
                    session,
                    actor=actor,
                    entity=ENTITY,
                    key=rule.name if rule.name == name else f"{name} -> {rule.name}",
                    action=action,
                    before=before,
                    after=after,
                    at=now,
                )
            return saved

    def remove(self, name: str, *, actor: str) -> Rule:
        with self._store._tx() as session:
            row = _find(session, name)
            gone = _rule_of(row)
            session.delete(row)
            session.flush()
            _renumber(list(_ordered(session)))
            write_audit(
                session,
                actor=actor,
                entity=ENTITY,
                key=name,
                action="remove",
                before=_audited(gone),
                after=None,
            )
            return gone

    def replace_all(
        self, rules: Sequence[Rule], *, actor: str, merge: bool, dry_run: bool = False
    ) -> ImportOutcome:
        """Import validated rules in one transaction (``dry_run``: say what would change).

        Replace (``merge=False``): the rule set becomes exactly ``rules``, in the file's order.
        Merge: a rule of the file replaces the stored rule of the same name in its place; a new
        one is added after the others, in the file's order; rules not in the file stay.
        """
        with self._store._tx() as session:
            existing = {row.name: row for row in _ordered(session)}
            incoming = {rule.name: rule for rule in rules}
            final: list[tuple[Rule, MailboxRuleRow | None]] = []
            if merge:
                final = [
                    (incoming.get(name) or _rule_of(row), row) for name, row in existing.items()
                ]
                final += [(rule, None) for rule in rules if rule.name not in existing]
            else:
                final = [(rule, existing.get(rule.name)) for rule in rules]
            removed = [name for name in existing if name not in incoming and not merge]
            added: list[str] = []
            changed: list[str] = []
            unchanged: list[str] = []
            audits: list[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]] = []
            for position, (rule, row) in enumerate(final, start=1):
                before = _audited(_rule_of(row)) if row is not None else None
                after = _audited(rule, position=position)
                if before == after:
                    if rule.name in incoming:
                        unchanged.append(rule.name)
                    continue
                if before is None:
                    added.append(rule.name)
                elif rule.name in incoming:
                    changed.append(rule.name)
                audits.append(("add" if before is None else "import", rule.name, before, after))
            for name in removed:
                audits.append(("remove", name, _audited(_rule_of(existing[name])), None))
            outcome = ImportOutcome(tuple(added), tuple(changed), tuple(unchanged), tuple(removed))
            if dry_run:
                return outcome
            now = dt.datetime.now(dt.UTC)
            for name in removed:
                session.delete(existing[name])
            session.flush()
            rows = []
            for rule, row in final:
                if row is None:
                    row = MailboxRuleRow(created_at=now)
                    session.add(row)
                    _fill(row, rule, now)
                elif rule.name in incoming and _audited(rule) != _audited(
                    _rule_of(row), position=0
                ):
                    _fill(row, rule, now)
                rows.append(row)
            _renumber(rows)
            session.flush()
            for change, key, old, new in audits:
                write_audit(
                    session,
                    actor=actor,
                    entity=ENTITY,
                    key=key,
                    action=change,
                    before=old,
                    after=new,
                    at=now,
                )
            return outcome

    def recent(self, limit: int) -> list[RecentMessage]:
        """The last ``limit`` messages stored (newest first), with what rules look at."""
        with self._store._tx(read=True) as session:
            rows = list(
                session.execute(
                    select(MessageRow).order_by(MessageRow.id.desc()).limit(limit)
                ).scalars()
            )
            pks = [row.id for row in rows]
            folders: dict[int, str] = {}
            names: dict[int, list[str]] = {}
            kinds: dict[int, list[str]] = {}
            if pks:
                for pk, folder in session.execute(
                    select(SightingRow.message_pk, SightingRow.folder)
                    .where(SightingRow.message_pk.in_(pks))
                    .order_by(SightingRow.id)
                ):
                    folders.setdefault(pk, folder)
                for pk, name, kind in session.execute(
                    select(AttachmentRow.message_pk, AttachmentRow.filename, AttachmentRow.kind)
                    .where(AttachmentRow.message_pk.in_(pks))
                    .order_by(AttachmentRow.message_pk, AttachmentRow.ordinal)
                ):
                    names.setdefault(pk, []).append(name)
                    if kind:
                        kinds.setdefault(pk, []).append(kind)
        raws = self._store.raw_copies(pks)
        return [
            RecentMessage(
                id=row.id,
                received_at=row.received_at,
                status=row.status,
                route=row.route,
                route_rule=row.route_rule,
                folder=folders.get(row.id, ""),
                sender=row.from_addr or "",
                subject=row.subject or "",
                attachment_names=tuple(names.get(row.id, ())),
                attachment_kinds=tuple(kinds.get(row.id, ())),
                raw=raws.get(row.id),
            )
            for row in rows
        ]

    def count(self) -> int:
        with self._store._tx(read=True) as session:
            return int(
                session.execute(select(func.count()).select_from(MailboxRuleRow)).scalar_one()
            )


def _ordered(session: Session) -> Sequence[MailboxRuleRow]:
    return (
        session.execute(select(MailboxRuleRow).order_by(MailboxRuleRow.position, MailboxRuleRow.id))
        .scalars()
        .all()
    )


def _named(session: Session, name: str) -> MailboxRuleRow | None:
    return session.execute(
        select(MailboxRuleRow).where(MailboxRuleRow.name == name)
    ).scalar_one_or_none()


def _find(session: Session, name: str) -> MailboxRuleRow:
    row = _named(session, name)
    if row is None:
        raise RuleNotFound(name)
    return row


def _clamp(position: int | None, last: int) -> int:
    if position is None:
        return last
    return min(max(position, 1), last)


def _renumber(rows: Sequence[MailboxRuleRow]) -> None:
    for index, row in enumerate(rows, start=1):
        if row.position != index:
            row.position = index


def _fill(row: MailboxRuleRow, rule: Rule, now: dt.datetime) -> None:
    row.name = rule.name
    row.enabled = rule.enabled
    row.match_all = rule.match_all
    row.conditions = json.dumps([c.to_dict() for c in rule.conditions], ensure_ascii=False)
    row.action = rule.action
    row.post_action = rule.post_action
    row.stop = rule.stop
    row.updated_at = now
    if not row.position:  # a new row: its place is set when the rules are renumbered
        row.position = 0


def _rule_of(row: MailboxRuleRow) -> Rule:
    data = {
        "name": row.name,
        "enabled": row.enabled,
        "match_all": row.match_all,
        "conditions": json.loads(row.conditions or "[]"),
        "action": row.action,
        "post_action": row.post_action,
        "stop": row.stop,
    }
    rule, problems = yamlio.from_dict(data)
    if rule is None:  # written by something other than this module: say which rule
        raise RuleInvalid(row.name, problems)
    return Rule(
        name=rule.name,
        conditions=rule.conditions,
        action=rule.action,
        post_action=rule.post_action,
        stop=rule.stop,
        enabled=rule.enabled,
        match_all=rule.match_all,
        position=row.position,
    )


def _audited(rule: Rule, *, position: int | None = None) -> dict[str, Any]:
    """The rule as the audit log keeps it: its YAML mapping plus its position."""
    return {**rule.to_dict(), "position": rule.position if position is None else position}
