"""What the rule book asks of the database: calls, the records a case is built from, candidate
records about the same child, and the exceptions with their timeline.

Only this module and :mod:`intake.store.ledger` know SQLAlchemy. Everything handed out is a
frozen value from :mod:`intake.cases` or :mod:`intake.store.records`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from intake.cases import Attachment, Call, Form, Mail
from intake.errors import ExceptionNotFound
from intake.matching import Person, lookup_key
from intake.mentions import Mentions
from intake.store.db import chunks as _chunks
from intake.store.db import column_text
from intake.store.models import (
    AttachmentRow,
    CallRow,
    CheckResultRow,
    ExceptionEventRow,
    ExceptionRow,
    FormChildRow,
    FormConcernRow,
    FormFieldRow,
    MatchRow,
    MessageRow,
)
from intake.store.records import (
    Change,
    DeclaredCall,
    ExceptionEvent,
    ExceptionRecord,
    Judgement,
    MatchFound,
    StoredCall,
    Work,
)
from parsers import TOOL_KINDS

if TYPE_CHECKING:
    from intake.calls import CallRecord
    from intake.store.ledger import Store

#: Rules whose open exceptions wait for an item that may yet arrive (and then auto-resolve).
_WAITING = ("neglect-no-gcp", "phone-no-same-day-email")
EXCEPTION_STATUSES = ("open", "resolved", "auto_resolved")


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


class CaseStore:
    """The rule book's tables. Each public method is one transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- calls ------------------------------------------------------------------------------

    def add_calls(
        self, records: Sequence[CallRecord], *, source: str, actor: str
    ) -> tuple[list[int], int]:
        """Store new calls (a call already stored, by fingerprint, is skipped).

        Returns the new calls' ids and how many were already there.
        """
        now = dt.datetime.now(dt.UTC)
        with self._store._tx() as session:
            prints = [r.fingerprint for r in records]
            known = {
                fp
                for chunk in _chunks(prints)
                for fp in session.execute(
                    select(CallRow.fingerprint).where(CallRow.fingerprint.in_(chunk))
                ).scalars()
            }
            rows = []
            for record in records:
                if record.fingerprint in known:
                    continue
                known.add(record.fingerprint)
                rows.append(call_row(record, source=source, actor=actor, now=now))
            session.add_all(rows)
            session.flush()
            return [row.id for row in rows], len(records) - len(rows)

    def declare_calls(self, declared: Sequence[DeclaredCall]) -> None:
        """Record (or update) the calls referral forms say were made before they were sent."""
        if not declared:
            return
        now = dt.datetime.now(dt.UTC)
        with self._store._tx() as session:
            prints = {_declared_print(d): d for d in declared}
            existing = {
                row.fingerprint: row
                for chunk in _chunks(list(prints))
                for row in session.execute(
                    select(CallRow).where(CallRow.fingerprint.in_(chunk))
                ).scalars()
            }
            for fingerprint, call in prints.items():
                values = {
                    "called_at": call.called_at,
                    "caller_name": _cut(call.caller_name, 200),
                    "caller_agency": _cut(call.caller_agency, 200),
                    "caller_phone": _cut(call.caller_phone, 50),
                    "child_forenames": _cut(call.child_forenames, 200),
                    "child_surname": _cut(call.child_surname, 200),
                    "child_dob": call.child_dob,
                    "surname_key": lookup_key(call.child_surname),
                    "forename_key": lookup_key(call.child_forenames),
                    "urgent": call.urgent,
                    "taken_by": _cut(call.taken_by, 200),
                    "notes": call.notes,
                }
                row = existing.get(fingerprint)
                if row is None:
                    session.add(
                        CallRow(
                            **values,
                            kind="referral",
                            source="form",
                            message_pk=call.message_pk,
                            form_ordinal=call.form_ordinal,
                            fingerprint=fingerprint,
                            created_at=now,
                            created_by="form",
                        )
                    )
                    continue
                changed = any(getattr(row, name) != value for name, value in values.items())
                if changed:
                    for name, value in values.items():
                        setattr(row, name, value)
                    row.checked_at = None

    def declared_forms(self, message_pks: Iterable[int]) -> set[tuple[int, int]]:
        """(message, form ordinal) of the declared calls already stored for these messages."""
        wanted = sorted(set(message_pks))
        found: set[tuple[int, int]] = set()
        with self._store._tx(read=True) as session:
            for chunk in _chunks(wanted):
                for pk, ordinal in session.execute(
                    select(CallRow.message_pk, CallRow.form_ordinal).where(
                        CallRow.message_pk.in_(chunk), CallRow.source == "form"
                    )
                ):
                    if pk is not None and ordinal is not None:
                        found.add((pk, ordinal))
        return found

    def calls(
        self,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: int | None = None,
    ) -> list[StoredCall]:
        with self._store._tx(read=True) as session:
            query = select(CallRow).order_by(CallRow.called_at, CallRow.id)
            if since is not None:
                query = query.where(CallRow.called_at >= since)
            if until is not None:
                query = query.where(CallRow.called_at <= until)
            if limit is not None:
                query = query.limit(limit)
            return [stored_call(row) for row in session.execute(query).scalars()]

    # -- what to judge ----------------------------------------------------------------------

    def work(self, as_of: dt.datetime) -> Work:
        """Messages and calls not yet judged, and pending deadlines now passed, by ``as_of``."""
        with self._store._tx(read=True) as session:
            messages = session.execute(
                select(MessageRow.id)
                .where(MessageRow.status == "parsed", MessageRow.received_at <= as_of)
                .order_by(MessageRow.received_at, MessageRow.id)
            ).scalars()
            calls = session.execute(
                select(CallRow.id)
                .where(CallRow.checked_at.is_(None), CallRow.called_at <= as_of)
                .order_by(CallRow.called_at, CallRow.id)
            ).scalars()
            due = session.execute(
                select(CheckResultRow.anchor).where(
                    CheckResultRow.outcome == "pending", CheckResultRow.due_at <= as_of
                )
            ).scalars()
            return Work(tuple(messages), tuple(calls), tuple(dict.fromkeys(due)))

    def unjudged_calls(self, as_of: dt.datetime) -> list[int]:
        """Calls new or changed since they were last judged, made by ``as_of``."""
        with self._store._tx(read=True) as session:
            return list(
                session.execute(
                    select(CallRow.id)
                    .where(CallRow.checked_at.is_(None), CallRow.called_at <= as_of)
                    .order_by(CallRow.called_at, CallRow.id)
                ).scalars()
            )

    def history(self, since: dt.datetime | None, as_of: dt.datetime) -> tuple[list[int], list[int]]:
        """Every judged or judgeable message and call from ``since`` to ``as_of`` (dry runs)."""
        with self._store._tx(read=True) as session:
            mq = select(MessageRow.id).where(
                MessageRow.status.in_(("parsed", "checked")), MessageRow.received_at <= as_of
            )
            cq = select(CallRow.id).where(CallRow.called_at <= as_of)
            if since is not None:
                mq = mq.where(MessageRow.received_at >= since)
                cq = cq.where(CallRow.called_at >= since)
            return (
                list(session.execute(mq.order_by(MessageRow.received_at, MessageRow.id)).scalars()),
                list(session.execute(cq.order_by(CallRow.called_at, CallRow.id)).scalars()),
            )

    def waiting(self, anchors: Iterable[str]) -> set[str]:
        """Of ``anchors``, those with an open exception or a judgement still pending."""
        keys = sorted(set(anchors))
        found: set[str] = set()
        with self._store._tx(read=True) as session:
            for chunk in _chunks(keys, 200):
                found.update(
                    session.execute(
                        select(CheckResultRow.anchor).where(
                            CheckResultRow.anchor.in_(chunk), CheckResultRow.outcome == "pending"
                        )
                    ).scalars()
                )
                found.update(
                    key.partition("|")[2]
                    for key in session.execute(
                        select(ExceptionRow.key).where(
                            ExceptionRow.status == "open",
                            ExceptionRow.key.in_(
                                [f"{code}|{anchor}" for anchor in chunk for code in _WAITING]
                            ),
                        )
                    ).scalars()
                )
        return found

    def deadline_passed(self, now: dt.datetime) -> bool:
        """Is a judgement still pending whose deadline has passed (one indexed lookup)?"""
        with self._store._tx(read=True) as session:
            found = session.execute(
                select(CheckResultRow.anchor)
                .where(CheckResultRow.outcome == "pending", CheckResultRow.due_at <= now)
                .limit(1)
            ).first()
            return found is not None

    def next_due(self, after: dt.datetime) -> dt.datetime | None:
        """The earliest pending deadline after ``after`` (the daemon wakes for it)."""
        with self._store._tx(read=True) as session:
            found: dt.datetime | None = session.execute(
                select(func.min(CheckResultRow.due_at)).where(
                    CheckResultRow.outcome == "pending", CheckResultRow.due_at > after
                )
            ).scalar_one_or_none()
            return found

    # -- loading records --------------------------------------------------------------------

    def mail(self, pks: Iterable[int]) -> dict[int, Mail]:
        """Messages with their attachments, forms, children and concerns."""
        wanted = sorted(set(pks))
        found: dict[int, Mail] = {}
        if not wanted:
            return found
        with self._store._tx(read=True) as session:
            rows = [
                row
                for chunk in _chunks(wanted)
                for row in session.execute(
                    select(MessageRow).where(MessageRow.id.in_(chunk))
                ).scalars()
            ]
            attachments = [
                row
                for chunk in _chunks(wanted)
                for row in session.execute(
                    select(AttachmentRow)
                    .where(AttachmentRow.message_pk.in_(chunk))
                    .order_by(AttachmentRow.message_pk, AttachmentRow.ordinal)
                ).scalars()
            ]
            ids = [a.id for a in attachments]
            fields: dict[int, dict[str, object]] = {}
            children: dict[int, list[Person]] = {}
            concerns: dict[int, set[str]] = {}
            for chunk in _chunks(ids):
                for apk, name, value in session.execute(
                    select(FormFieldRow.attachment_pk, FormFieldRow.name, FormFieldRow.value).where(
                        FormFieldRow.attachment_pk.in_(chunk)
                    )
                ):
                    fields.setdefault(apk, {})[name] = json.loads(value)
                for child in session.execute(
                    select(FormChildRow)
                    .where(FormChildRow.attachment_pk.in_(chunk))
                    .order_by(FormChildRow.attachment_pk, FormChildRow.ordinal)
                ).scalars():
                    children.setdefault(child.attachment_pk, []).append(
                        Person(child.forenames, child.surname, _date(child.dob), child.postcode)
                    )
                for apk, code in session.execute(
                    select(FormConcernRow.attachment_pk, FormConcernRow.code).where(
                        FormConcernRow.attachment_pk.in_(chunk)
                    )
                ):
                    concerns.setdefault(apk, set()).add(code)
        by_message: dict[int, list[AttachmentRow]] = {}
        for attachment in attachments:
            by_message.setdefault(attachment.message_pk, []).append(attachment)
        for row in rows:
            parts = []
            forms = []
            for a in by_message.get(row.id, []):
                kids = tuple(children.get(a.id, ()))
                parts.append(
                    Attachment(
                        ordinal=a.ordinal,
                        filename=a.filename,
                        content_type=a.content_type,
                        inline=a.inline,
                        size=a.size,
                        kind=a.kind,
                        warnings=tuple(json.loads(a.parse_warnings or "[]")),
                        children=kids if a.kind in TOOL_KINDS else (),
                    )
                )
                if a.kind == "rfs":
                    forms.append(
                        Form(
                            message_pk=row.id,
                            ordinal=a.ordinal,
                            sha256=a.sha256,
                            fields=fields.get(a.id, {}),
                            children=kids,
                            concerns=frozenset(concerns.get(a.id, ())),
                        )
                    )
            found[row.id] = Mail(
                pk=row.id,
                message_id=row.message_id,
                received_at=row.received_at,
                sender=(row.from_addr or "").lower() or None,
                subject=row.subject or "",
                in_reply_to=row.in_reply_to,
                references=tuple((row.thread_refs or "").split()),
                attachments=tuple(parts),
                forms=tuple(forms),
                mentions=Mentions.from_json(row.mentions),
                # A message the mailbox rules routed as a call email or ignored is judged like
                # one received before onboarding: kept, never the subject of an exception.
                quiet=row.quiet or row.route in ("call", "ignore"),
            )
        return found

    def calls_by_pk(self, pks: Iterable[int]) -> dict[int, Call]:
        wanted = sorted(set(pks))
        with self._store._tx(read=True) as session:
            return {
                row.id: _call_of(row)
                for chunk in _chunks(wanted)
                for row in session.execute(select(CallRow).where(CallRow.id.in_(chunk))).scalars()
            }

    def first_copies(self, shas: Iterable[str]) -> dict[str, tuple[dt.datetime, int, int]]:
        """For each form file hash: its first arrival (received, message, ordinal)."""
        wanted = sorted(set(shas))
        found: dict[str, tuple[dt.datetime, int, int]] = {}
        with self._store._tx(read=True) as session:
            for chunk in _chunks(wanted):
                for sha, received, pk, ordinal, kind in session.execute(
                    select(
                        AttachmentRow.sha256,
                        MessageRow.received_at,
                        MessageRow.id,
                        AttachmentRow.ordinal,
                        AttachmentRow.kind,
                    )
                    .join(MessageRow, MessageRow.id == AttachmentRow.message_pk)
                    # By hash alone: the planner then uses the hash index, not the kind's.
                    .where(AttachmentRow.sha256.in_(chunk))
                ):
                    if kind != "rfs":
                        continue
                    entry = (received, pk, ordinal)
                    if sha not in found or entry < found[sha]:
                        found[sha] = entry
        return found

    # -- candidates about the same child --------------------------------------------------

    def messages_about(
        self,
        dobs: Iterable[str],
        keys: Iterable[str],
        since: dt.datetime,
        until: dt.datetime,
        *,
        any_keys: Iterable[str] = (),
        surnames: Iterable[str] = (),
    ) -> set[int]:
        """Messages in the window naming a child (on a form or a tool) born on one of ``dobs``;
        or with no date of birth and a name key in ``keys``; or with a name key in
        ``any_keys`` whatever their date of birth (for children whose own DOB is unknown); or
        whose surname key is one of ``surnames``."""
        conditions = _about(FormChildRow, dobs, keys, any_keys, surnames)
        if conditions is None:
            return set()
        with self._store._tx(read=True) as session:
            return set(
                session.execute(
                    select(AttachmentRow.message_pk)
                    .join(FormChildRow, FormChildRow.attachment_pk == AttachmentRow.id)
                    .join(MessageRow, MessageRow.id == AttachmentRow.message_pk)
                    .where(
                        conditions,
                        MessageRow.received_at >= since,
                        MessageRow.received_at <= until,
                    )
                    .distinct()
                ).scalars()
            )

    def calls_about(
        self,
        dobs: Iterable[str],
        keys: Iterable[str],
        since: dt.datetime,
        until: dt.datetime,
        *,
        any_keys: Iterable[str] = (),
    ) -> set[int]:
        """Calls in the window about a child found as :meth:`messages_about` finds them."""
        conditions = _about(CallRow, dobs, keys, any_keys)
        if conditions is None:
            return set()
        with self._store._tx(read=True) as session:
            return set(
                session.execute(
                    select(CallRow.id).where(
                        conditions, CallRow.called_at >= since, CallRow.called_at <= until
                    )
                ).scalars()
            )

    def thread_of(self, message_ids: Iterable[str], parents: Iterable[str]) -> set[int]:
        """Messages answering one of ``message_ids``, and the messages ``parents`` name."""
        ids, refs = sorted(set(message_ids)), sorted(set(parents))
        found: set[int] = set()
        with self._store._tx(read=True) as session:
            for chunk in _chunks(ids):
                found.update(
                    session.execute(
                        select(MessageRow.id).where(MessageRow.in_reply_to.in_(chunk))
                    ).scalars()
                )
            for chunk in _chunks(refs):
                found.update(
                    session.execute(
                        select(MessageRow.id).where(MessageRow.message_id.in_(chunk))
                    ).scalars()
                )
        return found

    def messages_between(
        self,
        since: dt.datetime,
        until: dt.datetime,
        *,
        kinds: Sequence[str] = (),
        senders: Iterable[str] = (),
    ) -> set[int]:
        """Messages received in the window carrying an attachment of one of ``kinds``, or sent
        from one of ``senders``."""
        sender_list = sorted(set(senders))
        conditions: list[ColumnElement[bool]] = []
        if kinds:
            conditions.append(
                select(AttachmentRow.id)
                .where(
                    AttachmentRow.message_pk == MessageRow.id,
                    AttachmentRow.kind.in_(list(kinds)),
                )
                .exists()
            )
        if sender_list:
            conditions.append(func.lower(MessageRow.from_addr).in_(sender_list))
        if not conditions:
            return set()
        with self._store._tx(read=True) as session:
            return set(
                session.execute(
                    select(MessageRow.id).where(
                        or_(*conditions),
                        MessageRow.received_at >= since,
                        MessageRow.received_at <= until,
                    )
                ).scalars()
            )

    # -- recording judgements ---------------------------------------------------------------

    def record(
        self,
        judgements: Sequence[Judgement],
        matches: Sequence[MatchFound],
        *,
        as_of: dt.datetime,
        messages: Sequence[int],
        calls: Sequence[int],
        dry_run: bool = False,
    ) -> list[Change]:
        """Record every judgement and match; raise, auto-resolve or re-link exceptions; mark the
        judged messages ``checked`` and calls judged. In a dry run, say what would change and
        write nothing. One transaction."""
        now = dt.datetime.now(dt.UTC)
        changes: list[Change] = []
        with self._store._tx(read=dry_run) as session:
            keys = sorted(
                {_exception_key(j.rule, j.anchor) for j in judgements}
                | {_exception_key(j.rule, j.merged_into) for j in judgements if j.merged_into}
            )
            existing = {
                row.key: row
                for chunk in _chunks(keys)
                for row in session.execute(
                    select(ExceptionRow).where(ExceptionRow.key.in_(chunk))
                ).scalars()
            }
            # Merges first: a declared call's exception moves to the logged call it is.
            ordered = sorted(judgements, key=lambda j: j.outcome != "merged")
            for judgement in ordered:
                change = _apply(session, judgement, existing, as_of, now, dry_run)
                if change is not None:
                    changes.append(change)
            if dry_run:
                session.rollback()
                return changes
            self._save_results(session, judgements, as_of, now)
            self._save_matches(session, matches, now)
            for chunk in _chunks(list(messages)):
                session.execute(
                    update(MessageRow)
                    .where(MessageRow.id.in_(chunk), MessageRow.status == "parsed")
                    .values(status="checked", updated_at=now)
                )
            for chunk in _chunks(list(calls)):
                session.execute(update(CallRow).where(CallRow.id.in_(chunk)).values(checked_at=now))
        return changes

    @staticmethod
    def _save_results(
        session: Session, judgements: Sequence[Judgement], as_of: dt.datetime, now: dt.datetime
    ) -> None:
        by_key = {(j.anchor, j.rule): j for j in judgements}
        anchors = sorted({anchor for anchor, _ in by_key})
        for chunk in _chunks(anchors):
            session.execute(
                delete(CheckResultRow).where(
                    CheckResultRow.anchor.in_(chunk),
                    CheckResultRow.rule.in_(sorted({rule for _, rule in by_key})),
                )
            )
        session.add_all(
            CheckResultRow(
                anchor=j.anchor,
                rule=j.rule,
                outcome=j.outcome,
                detail=j.detail[:2000] or None,
                due_at=j.due_at,
                judged_at=now,
                as_of=as_of,
            )
            for j in by_key.values()
        )

    @staticmethod
    def _save_matches(session: Session, matches: Sequence[MatchFound], now: dt.datetime) -> None:
        pairs = {(m.left, m.right): m for m in matches}
        if not pairs:
            return
        lefts = sorted({left for left, _ in pairs})
        known = {
            (row.left, row.right): row
            for chunk in _chunks(lefts)
            for row in session.execute(select(MatchRow).where(MatchRow.left.in_(chunk))).scalars()
        }
        for pair, match in pairs.items():
            row = known.get(pair)
            if row is None:
                session.add(
                    MatchRow(
                        left=match.left,
                        right=match.right,
                        confidence=match.confidence,
                        evidence=match.evidence,
                        found_at=now,
                    )
                )
            else:
                row.confidence, row.evidence = match.confidence, match.evidence

    # -- exceptions -------------------------------------------------------------------------

    def exceptions(
        self,
        *,
        status: str | None = None,
        rule: str | None = None,
        ids: Sequence[int] | None = None,
    ) -> list[ExceptionRecord]:
        with self._store._tx(read=True) as session:
            query = (
                select(ExceptionRow, MessageRow.message_id)
                .outerjoin(MessageRow, MessageRow.id == ExceptionRow.message_pk)
                .order_by(ExceptionRow.id)
            )
            if status is not None:
                query = query.where(ExceptionRow.status == status)
            if rule is not None:
                query = query.where(ExceptionRow.rule == rule)
            if ids is not None:
                query = query.where(ExceptionRow.id.in_(list(ids)))
            return [_exception_of(row, header) for row, header in session.execute(query)]

    def events(self, exception_id: int) -> list[ExceptionEvent]:
        with self._store._tx(read=True) as session:
            if session.get(ExceptionRow, exception_id) is None:
                raise ExceptionNotFound(str(exception_id))
            return [
                ExceptionEvent(e.at, e.actor, e.action, e.from_status, e.to_status, e.note)
                for e in session.execute(
                    select(ExceptionEventRow)
                    .where(ExceptionEventRow.exception_pk == exception_id)
                    .order_by(ExceptionEventRow.id)
                ).scalars()
            ]

    def set_status(
        self, exception_id: int, status: str, *, note: str, actor: str
    ) -> ExceptionRecord:
        """A person resolves (``resolved``) or reopens (``open``) an exception, with a note."""
        now = dt.datetime.now(dt.UTC)
        with self._store._tx() as session:
            row = session.get(ExceptionRow, exception_id, with_for_update=True)
            if row is None:
                raise ExceptionNotFound(str(exception_id))
            before = row.status
            row.status = status
            row.updated_at = now
            if status == "resolved":
                row.resolved_at, row.resolved_by, row.resolution_note = now, actor, note
            else:
                row.resolved_at = row.resolved_by = row.resolution_note = None
                row.late = None
            session.add(
                ExceptionEventRow(
                    exception_pk=row.id,
                    at=now,
                    actor=actor,
                    action="resolved" if status == "resolved" else "reopened",
                    from_status=before,
                    to_status=status,
                    note=note,
                )
            )
            session.flush()
            header = None
            if row.message_pk is not None:
                message = session.get(MessageRow, row.message_pk)
                header = message.message_id if message is not None else None
            return _exception_of(row, header)

    def open_by_rule(self) -> dict[str, int]:
        with self._store._tx(read=True) as session:
            return {
                rule: int(count)
                for rule, count in session.execute(
                    select(ExceptionRow.rule, func.count())
                    .where(ExceptionRow.status == "open")
                    .group_by(ExceptionRow.rule)
                )
            }


def _about(
    table: type[FormChildRow] | type[CallRow],
    dobs: Iterable[str],
    keys: Iterable[str],
    any_keys: Iterable[str],
    surnames: Iterable[str] = (),
) -> ColumnElement[bool] | None:
    dob_col = table.dob if table is FormChildRow else table.child_dob  # type: ignore[union-attr]
    dob_list, key_list, any_list = sorted(set(dobs)), sorted(set(keys)), sorted(set(any_keys))
    conditions: list[ColumnElement[bool]] = []
    if dob_list:
        conditions.append(dob_col.in_(dob_list))
    if key_list:
        conditions.append(
            and_(
                dob_col.is_(None),
                or_(table.surname_key.in_(key_list), table.forename_key.in_(key_list)),
            )
        )
    if any_list:
        conditions.append(or_(table.surname_key.in_(any_list), table.forename_key.in_(any_list)))
    surname_list = sorted(set(surnames))
    if surname_list:
        conditions.append(table.surname_key.in_(surname_list))
    return or_(*conditions) if conditions else None


# -- applying one judgement -------------------------------------------------------------------


def _exception_key(rule: str, anchor: str | None) -> str:
    return f"{rule}|{anchor}"


def _apply(
    session: Session,
    j: Judgement,
    existing: dict[str, ExceptionRow],
    as_of: dt.datetime,
    now: dt.datetime,
    dry_run: bool,
) -> Change | None:
    key = _exception_key(j.rule, j.anchor)
    row = existing.get(key)
    actor = f"check:{j.rule}"

    def change(action: str, ident: int | None, detail: str) -> Change:
        return Change(
            j.rule, j.anchor, action, ident, detail, j.child_forenames, j.child_surname, j.child_dob
        )

    if j.outcome == "merged":
        if row is None or j.merged_into is None:
            return None
        target = _exception_key(j.rule, j.merged_into)
        if target in existing:
            return None
        if not dry_run:
            row.key = target
            row.call_pk = (
                int(j.merged_into.split(":")[1])
                if j.merged_into.startswith("call:")
                else row.call_pk
            )
            row.updated_at = now
            _event(session, row, now, actor, "relinked", row.status, row.status, j.detail)
        existing.pop(key)
        existing[target] = row
        return change("relinked", row.id, j.detail)

    if j.outcome != "hit":
        if row is None or row.status != "open" or j.outcome == "pending":
            return None
        # The rule no longer holds: the missing item came in time after all, or the record was
        # read differently on reprocessing.
        note = f"no longer applies: {j.detail}" if j.detail else "no longer applies"
        if not dry_run:
            row.status = "auto_resolved"
            row.resolved_at = j.arrived_at or as_of
            row.resolution_note = note
            row.late = False if j.due_at is not None else None
            row.resolving_message_pk = j.arrived_in
            row.updated_at = now
            _event(session, row, now, actor, "auto_resolved", "open", "auto_resolved", note)
        return change("auto_resolved", row.id, note)

    if row is None:
        status = "auto_resolved" if j.arrived_at is not None else "open"
        ident = None
        if not dry_run:
            row = ExceptionRow(
                key=key,
                rule=j.rule,
                severity=j.severity,
                status=status,
                raised_at=j.raised_at,
                due_at=j.due_at,
                message_pk=j.message_pk,
                form_ordinal=j.form_ordinal,
                call_pk=j.call_pk if j.call_pk and j.call_pk > 0 else None,
                child_forenames=j.child_forenames,
                child_surname=j.child_surname,
                child_dob=j.child_dob,
                detail=j.detail,
                evidence=j.evidence,
                resolved_at=j.arrived_at,
                resolving_message_pk=j.arrived_in,
                late=j.late,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            existing[key] = row
            _event(session, row, now, actor, "raised", None, "open", j.detail)
            if status == "auto_resolved":
                _event(
                    session,
                    row,
                    now,
                    actor,
                    "auto_resolved",
                    "open",
                    status,
                    "the missing item arrived late" if j.late else "the missing item arrived",
                )
            ident = row.id
        return change("raised-late" if status == "auto_resolved" else "raised", ident, j.detail)

    if row.status == "open" and j.arrived_at is not None:
        if not dry_run:
            row.status = "auto_resolved"
            row.resolved_at = j.arrived_at
            row.resolving_message_pk = j.arrived_in
            row.late = j.late
            row.detail = j.detail
            row.updated_at = now
            _event(
                session,
                row,
                now,
                actor,
                "auto_resolved",
                "open",
                "auto_resolved",
                "the missing item arrived late" if j.late else "the missing item arrived",
            )
        return change("auto_resolved", row.id, j.detail)
    if row.status == "open" and row.detail != j.detail and not dry_run:
        row.detail = j.detail
        row.evidence = j.evidence or row.evidence
        row.updated_at = now
    return None


def _event(
    session: Session,
    row: ExceptionRow,
    now: dt.datetime,
    actor: str,
    action: str,
    before: str | None,
    after: str | None,
    note: str | None,
) -> None:
    session.add(
        ExceptionEventRow(
            exception_pk=row.id,
            at=now,
            actor=actor,
            action=action,
            from_status=before,
            to_status=after,
            note=note,
        )
    )


def _exception_of(row: ExceptionRow, header: str | None) -> ExceptionRecord:
    return ExceptionRecord(
        id=row.id,
        rule=row.rule,
        severity=row.severity,
        status=row.status,
        raised_at=row.raised_at,
        due_at=row.due_at,
        child_forenames=row.child_forenames,
        child_surname=row.child_surname,
        child_dob=row.child_dob,
        message_pk=row.message_pk,
        message_id=header,
        call_id=row.call_pk,
        detail=row.detail,
        late=row.late,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
        resolution_note=row.resolution_note,
    )


def call_row(
    record: CallRecord,
    *,
    source: str,
    actor: str,
    now: dt.datetime,
    message_pk: int | None = None,
) -> CallRow:
    """A new ``calls`` row for a logged call (CSV, command line, or a call email)."""
    return CallRow(
        called_at=record.called_at,
        caller_name=_cut(record.caller_name, 200),
        caller_agency=_cut(record.caller_agency, 200),
        caller_phone=_cut(record.caller_phone, 50),
        child_forenames=_cut(record.child_forenames, 200),
        child_surname=_cut(record.child_surname, 200),
        child_dob=record.child_dob.isoformat() if record.child_dob else None,
        surname_key=lookup_key(record.child_surname),
        forename_key=lookup_key(record.child_forenames),
        urgent=record.urgent,
        kind=record.kind,
        taken_by=_cut(record.taken_by, 200),
        notes=record.notes,
        source=source,
        message_pk=message_pk,
        fingerprint=record.fingerprint,
        created_at=now,
        created_by=_cut(actor, 200) or "unknown",
    )


def stored_call(row: CallRow) -> StoredCall:
    """The frozen :class:`StoredCall` of a ``calls`` row."""
    return StoredCall(
        row.id,
        row.called_at,
        row.caller_name,
        row.caller_agency,
        row.child_forenames,
        row.child_surname,
        row.child_dob,
        row.urgent,
        row.kind,
        row.source,
        row.taken_by,
        row.message_pk,
    )


def _call_of(row: CallRow) -> Call:
    return Call(
        pk=row.id,
        called_at=row.called_at,
        child=Person(row.child_forenames, row.child_surname, _date(row.child_dob)),
        urgent=row.urgent,
        kind=row.kind,
        source=row.source,
        caller_name=row.caller_name,
        caller_agency=row.caller_agency,
        caller_phone=row.caller_phone,
        taken_by=row.taken_by,
        message_pk=row.message_pk,
        form_ordinal=row.form_ordinal,
    )


def _declared_print(call: DeclaredCall) -> str:
    return hashlib.sha256(f"form|{call.message_pk}|{call.form_ordinal}".encode()).hexdigest()


def _cut(text: str | None, limit: int) -> str | None:
    return column_text(text, limit) or None
