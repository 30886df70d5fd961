"""What the rest of the service asks of the database: the ledger, raw copies, cursors and locks."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import math
import os
import re
import socket
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

import zstandard
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from intake import mentions
from intake.errors import LockHeld, NotFound, RawExpired, StoreError
from intake.mailrules.model import Routing
from intake.matching import lookup_key
from intake.messages import Attachment, Message
from intake.sources.base import MessageRef, PostAction
from intake.store import db
from intake.store.cases import CaseStore, call_row
from intake.store.db import chunks as _chunks
from intake.store.db import column_text as _text
from intake.store.models import (
    AttachmentRow,
    CallRow,
    CursorRow,
    FormChildRow,
    FormConcernRow,
    FormFieldRow,
    LockRow,
    MessageRow,
    RawRow,
    SightingRow,
)
from intake.store.records import (
    Cursor,
    Failure,
    FolderStatus,
    Incoming,
    LedgerEntry,
    PendingAction,
    Recorded,
    StoredMessage,
    Summary,
)
from intake.store.reports import ReportStore
from intake.store.rules import AuditEntry, RuleStore, read_audit, write_audit
from intake.store.users import UserStore
from parsers.fields import (
    CHILD_KEYS,
    CONCERN_CODES,
    FIELD_NAMES,
    KINDS,
    ChildRecord,
    FieldValue,
    ParsedAttachment,
)

log = logging.getLogger("intake.store")
_T = TypeVar("_T")

STATUSES = ("fetched", "parsed", "checked", "failed", "dead")
#: zstd level 3 compresses base64 attachments to ~75 % at several hundred MB/s on one core.
_ZSTD_LEVEL = 3
_IN_BATCH = db.IN_BATCH
#: One message's outcome for :meth:`Store.save_outcomes`: its pk, what could be read of it, why
#: it failed (or None), and its attachments' parse results (aligned with its attachments, or
#: empty when they were not parsed).
OutcomeRow = tuple[int, Message | None, Failure | None, Sequence[ParsedAttachment]]
#: Longest field value kept (a narrative is a few KB; this only bounds a runaway extraction).
_MAX_VALUE_CHARS = 100_000
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTRACT_ORDER = {name: index for index, name in enumerate((*FIELD_NAMES, *CONCERN_CODES))}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store:
    """The ledger and everything kept beside it. Each public method is one transaction."""

    def __init__(self, engine: Engine, *, raw_retention_days: int = 30) -> None:
        self.engine = engine
        self.raw_retention = dt.timedelta(days=raw_retention_days)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # Reads take no write lock on SQLite (see db.make_engine), so parse workers reading raw
        # copies never queue behind the poller's writes.
        self._readers = sessionmaker(
            engine.execution_options(intake_read_only=True), expire_on_commit=False
        )
        self._compressor = zstandard.ZstdCompressor(level=_ZSTD_LEVEL)
        self._decompressor = zstandard.ZstdDecompressor()

    @classmethod
    def open(cls, url: str, *, raw_retention_days: int = 30, auto_upgrade: bool = True) -> Store:
        engine = db.make_engine(url)
        db.ensure_schema(engine, auto_upgrade=auto_upgrade)
        return cls(engine, raw_retention_days=raw_retention_days)

    def close(self) -> None:
        self.engine.dispose()

    def _tx(self, *, read: bool = False) -> _Transaction:
        return _Transaction(self._readers if read else self._sessions)

    @functools.cached_property
    def cases(self) -> CaseStore:
        """The rule book's tables: calls, judgements, matches and exceptions."""
        return CaseStore(self)

    @functools.cached_property
    def reports(self) -> ReportStore:
        """The daily report's queries and the ``reports`` table (once-only sending)."""
        return ReportStore(self)

    @functools.cached_property
    def rules(self) -> RuleStore:
        """The mailbox rules (their changes are written to the audit log)."""
        return RuleStore(self)

    @functools.cached_property
    def users(self) -> UserStore:
        """The web interface's accounts, sessions and failed sign-ins."""
        return UserStore(self)

    # -- the audit log ----------------------------------------------------------------------

    def audit(
        self,
        *,
        actor: str,
        entity: str,
        key: str,
        action: str,
        before: dict[str, object] | None,
        after: dict[str, object] | None,
    ) -> None:
        """Record one change (who, what, before and after as JSON) in its own transaction."""
        with self._tx() as session:
            write_audit(
                session,
                actor=actor,
                entity=entity,
                key=key,
                action=action,
                before=before,
                after=after,
            )

    def audit_log(self, entity: str | None = None, limit: int = 100) -> list[AuditEntry]:
        """The newest ``limit`` changes (to ``entity`` things, or all), newest first."""
        with self._tx(read=True) as session:
            return read_audit(session, entity, limit)

    @property
    def url(self) -> str:
        """The database URL, password included (for worker processes; never log it)."""
        return self.engine.url.render_as_string(hide_password=False)

    # -- cursors --------------------------------------------------------------------------

    def cursor(self, mailbox: str, folder: str) -> Cursor:
        with self._tx(read=True) as session:
            row = session.get(CursorRow, (mailbox, folder))
            if row is None:
                return Cursor(mailbox, folder, None, 0, None)
            return Cursor(mailbox, folder, row.uidvalidity, row.last_uid, row.last_success_at)

    def reset_cursor(self, mailbox: str, folder: str, uidvalidity: int | None) -> None:
        """Start a folder again from UID 1 under a new UIDVALIDITY (the ledger drops repeats)."""
        with self._tx() as session:
            row = session.get(CursorRow, (mailbox, folder))
            if row is None:
                session.add(
                    CursorRow(mailbox=mailbox, folder=folder, uidvalidity=uidvalidity, last_uid=0)
                )
            else:
                row.uidvalidity = uidvalidity
                row.last_uid = 0

    def record_poll(
        self, mailbox: str, folder: str, error: str | None = None, exists: int | None = None
    ) -> None:
        """Note that a folder was polled, and whether the poll succeeded."""
        now = utcnow()
        with self._tx() as session:
            row = session.get(CursorRow, (mailbox, folder))
            if row is None:
                row = CursorRow(mailbox=mailbox, folder=folder, last_uid=0)
                session.add(row)
            row.last_poll_at = now
            row.last_error = error
            if error is None:
                row.last_success_at = now
                row.last_exists = exists

    # -- the store-raw stage ----------------------------------------------------------------

    def record_batch(
        self, items: Sequence[Incoming], *, advance_to: int | None = None
    ) -> list[Recorded]:
        """Put a fetched batch in the ledger and, in the same commit, advance the folder cursor.

        A message already in the ledger (same SHA-256) gets a new sighting, not a new row. A crash
        before the commit leaves the cursor where it was, so the batch is fetched again and
        nothing is lost or doubled.
        """
        if not items:
            return []
        now = utcnow()
        # Each item's key: its SHA-256, or (for an oversized message with no header block)
        # a placeholder that matches only an earlier sighting of the same UID.
        keys = [_identity(item) or f"ref:{index}" for index, item in enumerate(items)]
        with self._tx() as session:
            known = self._known_by_sha(session, {k for k in keys if not k.startswith("ref:")})
            sighted = self._sighted(session, items)
            # Decide which items are new messages; repeats inside the batch share one row.
            first_of: dict[str, int] = {}
            new_items: list[int] = []
            for index, (item, key) in enumerate(zip(items, keys, strict=True)):
                if key.startswith("ref:"):
                    found = self._known_oversize(session, item.ref)
                    if found is not None:
                        known[key] = (found, "failed")
                        continue
                if key not in known and key not in first_of:
                    first_of[key] = index
                    new_items.append(index)
            if new_items:
                # One multi-row INSERT ... RETURNING, ids in parameter order (SQLite and PG).
                rows = [_message_values(items[i], keys[i], now) for i in new_items]
                ids = (
                    session.execute(
                        insert(MessageRow).returning(MessageRow.id, sort_by_parameter_order=True),
                        rows,
                    )
                    .scalars()
                    .all()
                )
                for index, pk, values in zip(new_items, ids, rows, strict=True):
                    known[keys[index]] = (pk, str(values["status"]))
                raws = [
                    {
                        "message_pk": pk,
                        "codec": "zstd",
                        "data": self._compressor.compress(raw),
                        "stored_at": now,
                        "expires_at": now + self.raw_retention,
                    }
                    for index, pk in zip(new_items, ids, strict=True)
                    if (raw := items[index].raw) is not None
                ]
                if raws:
                    session.execute(insert(RawRow), raws)
            sightings = [
                _sighting_values(item, known[key][0], now)
                for item, key in zip(items, keys, strict=True)
                if _sighting_key(item.ref) not in sighted
            ]
            if sightings:
                session.execute(insert(SightingRow), sightings)
            if advance_to is not None:
                ref = items[0].ref
                cursor = session.get(CursorRow, (ref.mailbox, ref.folder))
                if cursor is None:
                    cursor = CursorRow(mailbox=ref.mailbox, folder=ref.folder, last_uid=0)
                    session.add(cursor)
                cursor.uidvalidity = ref.uidvalidity
                cursor.last_uid = max(cursor.last_uid or 0, advance_to)
            fresh = set(new_items)
            return [
                Recorded(known[key][0], index in fresh, known[key][1])
                for index, key in enumerate(keys)
            ]

    def known_paths(self, mailbox: str, paths: Iterable[str]) -> set[str]:
        """Which of ``paths`` the ledger has already seen from ``mailbox`` (file sources)."""
        found: set[str] = set()
        with self._tx(read=True) as session:
            for chunk in _chunks(list(paths), _IN_BATCH):
                rows = session.execute(
                    select(SightingRow.path).where(
                        SightingRow.mailbox == mailbox, SightingRow.path.in_(chunk)
                    )
                ).scalars()
                found.update(path for path in rows if path is not None)
        return found

    @staticmethod
    def _known_by_sha(session: Session, shas: set[str]) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(sorted(shas), _IN_BATCH):
            rows = session.execute(
                select(MessageRow.sha256, MessageRow.id, MessageRow.status).where(
                    MessageRow.sha256.in_(chunk)
                )
            )
            found.update({sha: (pk, status) for sha, pk, status in rows if sha is not None})
        return found

    @staticmethod
    def _sighted(session: Session, items: Sequence[Incoming]) -> set[tuple[object, ...]]:
        """Which of the items' places (mailbox/folder/UIDVALIDITY/UID, or file) are recorded."""
        found: set[tuple[object, ...]] = set()
        groups: dict[tuple[str, str, int | None], list[int]] = {}
        paths: dict[str, list[str]] = {}
        for item in items:
            ref = item.ref
            if ref.uid is not None:
                groups.setdefault((ref.mailbox, ref.folder, ref.uidvalidity), []).append(ref.uid)
            elif ref.path is not None:
                paths.setdefault(ref.mailbox, []).append(ref.path)
        for (mailbox, folder, uidvalidity), uids in groups.items():
            for uid_chunk in _chunks(uids, _IN_BATCH):
                found_uids = session.execute(
                    select(SightingRow.uid).where(
                        SightingRow.mailbox == mailbox,
                        SightingRow.folder == folder,
                        SightingRow.uidvalidity == uidvalidity,
                        SightingRow.uid.in_(uid_chunk),
                    )
                ).scalars()
                found.update(("imap", mailbox, folder, uidvalidity, uid) for uid in found_uids)
        for mailbox, names in paths.items():
            for chunk in _chunks(names, _IN_BATCH):
                rows = session.execute(
                    select(SightingRow.path).where(
                        SightingRow.mailbox == mailbox, SightingRow.path.in_(chunk)
                    )
                ).scalars()
                found.update(("file", mailbox, path) for path in rows)
        return found

    @staticmethod
    def _known_oversize(session: Session, ref: MessageRef) -> int | None:
        """An oversized message has no hash: recognise it again by where it was seen."""
        if ref.uid is None:
            return None
        return session.execute(
            select(SightingRow.message_pk).where(
                SightingRow.mailbox == ref.mailbox,
                SightingRow.folder == ref.folder,
                SightingRow.uidvalidity == ref.uidvalidity,
                SightingRow.uid == ref.uid,
            )
        ).scalar_one_or_none()

    # -- processing ------------------------------------------------------------------------

    def unfinished(self, mailbox: str | None = None) -> list[int]:
        """Messages a crash left before parsing, oldest first (parsed ones wait for the check
        stage, which finds them itself)."""
        with self._tx(read=True) as session:
            query = select(MessageRow.id).where(MessageRow.status == "fetched")
            if mailbox is not None:
                query = query.where(
                    MessageRow.id.in_(
                        select(SightingRow.message_pk).where(SightingRow.mailbox == mailbox)
                    )
                )
            return list(session.execute(query.order_by(MessageRow.id)).scalars())

    def due_retries(self, now: dt.datetime | None = None) -> list[int]:
        """Failed messages whose automatic retry is due."""
        with self._tx(read=True) as session:
            return list(
                session.execute(
                    select(MessageRow.id)
                    .where(
                        MessageRow.status == "failed",
                        MessageRow.next_attempt_at.is_not(None),
                        MessageRow.next_attempt_at <= (now or utcnow()),
                    )
                    .order_by(MessageRow.id)
                ).scalars()
            )

    def load(self, pk: int) -> StoredMessage:
        """A message with its raw bytes, for (re)processing."""
        with self._tx(read=True) as session:
            row = session.get(MessageRow, pk)
            if row is None:
                raise NotFound(str(pk))
            raw = session.get(RawRow, pk)
            if raw is None:
                raise RawExpired(str(pk))
            source = self._source_of(session, pk)
            data = self._decompressor.decompress(raw.data)
            return StoredMessage(pk, data, row.received_at, row.quiet, source)

    def raw_copies(self, pks: Sequence[int]) -> dict[int, bytes]:
        """The raw bytes of each message that still has its copy, in one query."""
        found: dict[int, bytes] = {}
        with self._tx(read=True) as session:
            for chunk in _chunks(list(pks), _IN_BATCH):
                rows = session.execute(
                    select(RawRow.message_pk, RawRow.data).where(RawRow.message_pk.in_(chunk))
                )
                found.update((pk, self._decompressor.decompress(data)) for pk, data in rows)
        return found

    def save_outcomes(
        self,
        outcomes: Sequence[OutcomeRow],
        *,
        max_attempts: int,
        backoff: dt.timedelta,
        routings: Mapping[int, Routing] | None = None,
    ) -> list[str]:
        """Persist what parsing, routing and checking found, for a whole batch in one commit.

        Each outcome is (message pk, parsed message or None, failure or None, the attachments'
        parse results). A message that was read again replaces its attachments and their form
        fields, children and concerns. What could be read is kept even when the message failed.

        ``routings`` (by pk) is what the mailbox rules made of each message: its route and
        deciding rule; for a message read without failure, the post-actions its rules ask for
        (replacing the mailbox's default on its sightings whose change is not yet made) and,
        for a call email, its call. A read message without a routing is a referral.
        Returns each message's new status.
        """
        now = utcnow()
        pks = [pk for pk, _, _, _ in outcomes]
        with self._tx() as session:
            rows = {
                row.id: row
                for chunk in _chunks(pks, _IN_BATCH)
                for row in session.execute(
                    select(MessageRow).where(MessageRow.id.in_(chunk))
                ).scalars()
            }
            missing = set(pks) - set(rows)
            if missing:
                raise NotFound(", ".join(map(str, sorted(missing))))
            read = [(pk, m, parsed) for pk, m, _, parsed in outcomes if m is not None]
            self._save_attachments(session, read, now)
            self._save_routes(session, outcomes, routings or {}, now)
            statuses = []
            for pk, message, failure, _ in outcomes:
                row = rows[pk]
                routing = (routings or {}).get(pk)
                if routing is None and message is not None and failure is None:
                    routing = Routing()
                row.route = routing.action if routing is not None else None
                row.route_rule = _text(routing.rule, 200) if routing is not None else None
                if message is not None:
                    row.message_id = row.message_id or message.message_id
                    row.from_addr = message.from_[:320] or None
                    row.subject = message.subject
                    row.sent_at = row.sent_at or message.date
                    row.in_reply_to = _text(message.in_reply_to, 998)
                    row.thread_refs = _text(" ".join(message.references), 20_000) or None
                    row.mentions = mentions.extract(
                        [message.subject, message.text, *(a.filename for a in message.attachments)]
                    ).to_json()
                if failure is None:
                    # Read; the check stage judges it next and marks it checked.
                    row.status = "parsed"
                    row.error = row.error_class = row.error_traceback = None
                    row.next_attempt_at = None
                else:
                    _record_failure(row, failure, max_attempts, backoff, now)
                row.updated_at = now
                statuses.append(row.status)
        return statuses

    @staticmethod
    def _save_routes(
        session: Session,
        outcomes: Sequence[OutcomeRow],
        routings: Mapping[int, Routing],
        now: dt.datetime,
    ) -> None:
        """The rules' post-actions on the messages' sightings, and the calls of call emails."""
        calls: dict[int, str | None] = {}
        for pk, message, failure, _ in outcomes:
            routing = routings.get(pk)
            ok = routing is not None and message is not None and failure is None
            calls[pk] = routing.call.fingerprint if ok and routing and routing.call else None
            if not ok or routing is None or not routing.post_actions:
                continue
            session.execute(
                update(SightingRow)
                .where(
                    SightingRow.message_pk == pk,
                    SightingRow.uid.is_not(None),
                    SightingRow.action_done_at.is_(None),
                )
                .values(action_pending=_actions_text(routing.post_actions))
            )
        # A message read again keeps its call if it still records the same one; a call it no
        # longer records (the email or the rules changed) goes.
        for chunk in _chunks(sorted(calls), _IN_BATCH):
            for call in session.execute(
                select(CallRow).where(CallRow.message_pk.in_(chunk), CallRow.source == "mail")
            ).scalars():
                if calls.get(call.message_pk or 0) != call.fingerprint:
                    session.delete(call)
        wanted = {fp: pk for pk, fp in calls.items() if fp is not None}
        known = {
            fp
            for chunk in _chunks(sorted(wanted), _IN_BATCH)
            for fp in session.execute(
                select(CallRow.fingerprint).where(CallRow.fingerprint.in_(chunk))
            ).scalars()
        }
        session.flush()
        for fingerprint, pk in wanted.items():
            routing = routings[pk]
            if fingerprint in known or routing.call is None:
                continue  # the call log already has it (or another email recorded it)
            session.add(call_row(routing.call, source="mail", actor="mail", now=now, message_pk=pk))

    def folders_of(self, pks: Sequence[int]) -> dict[int, str]:
        """The folder (or, for imported files, the path given) each message was first seen in."""
        found: dict[int, str] = {}
        with self._tx(read=True) as session:
            for chunk in _chunks(list(pks), _IN_BATCH):
                for pk, folder in session.execute(
                    select(SightingRow.message_pk, SightingRow.folder)
                    .where(SightingRow.message_pk.in_(chunk))
                    .order_by(SightingRow.id)
                ):
                    found.setdefault(pk, folder)
        return found

    @staticmethod
    def _save_attachments(
        session: Session,
        read: Sequence[tuple[int, Message, Sequence[ParsedAttachment]]],
        now: dt.datetime,
    ) -> None:
        """Replace the attachments of messages read again, with what parsing made of each."""
        for chunk in _chunks([pk for pk, _, _ in read], _IN_BATCH):
            # Form fields, children and concerns go with them (ON DELETE CASCADE).
            session.execute(delete(AttachmentRow).where(AttachmentRow.message_pk.in_(chunk)))
        parts: list[dict[str, object]] = []
        results: list[ParsedAttachment | None] = []
        for pk, message, parsed in read:
            if parsed and len(parsed) != len(message.attachments):
                raise ValueError(f"message {pk}: parse results do not match its attachments")
            for ordinal, part in enumerate(message.attachments, start=1):
                result = parsed[ordinal - 1] if parsed else None
                parts.append(_attachment_values(pk, ordinal, part, result, now))
                results.append(result)
        if not parts:
            return
        ids = (
            session.execute(
                insert(AttachmentRow).returning(AttachmentRow.id, sort_by_parameter_order=True),
                parts,
            )
            .scalars()
            .all()
        )
        fields: list[dict[str, object]] = []
        children: list[dict[str, object]] = []
        concerns: list[dict[str, object]] = []
        for attachment_pk, result in zip(ids, results, strict=True):
            if result is None:
                continue
            fields += _field_values(attachment_pk, result)
            children += [
                _child_values(attachment_pk, ordinal, child)
                for ordinal, child in enumerate(result.children, start=1)
            ]
            codes = dict.fromkeys(_text(code, 32) or "other" for code in result.concerns)
            concerns += [{"attachment_pk": attachment_pk, "code": code} for code in codes]
        for model, values in (
            (FormFieldRow, fields),
            (FormChildRow, children),
            (FormConcernRow, concerns),
        ):
            if values:
                session.execute(insert(model), values)

    def parsed_attachments(self, message_pk: int) -> list[ParsedAttachment]:
        """What parsing made of a message's attachments, in their order (unparsed ones left out)."""
        return self.parsed_by_message([message_pk]).get(message_pk, [])

    def parsed_by_message(self, pks: Sequence[int]) -> dict[int, list[ParsedAttachment]]:
        """:meth:`parsed_attachments` for many messages at once (messages with none left out)."""
        found: dict[int, list[ParsedAttachment]] = {}
        with self._tx(read=True) as session:
            attachments = [
                row
                for chunk in _chunks(list(pks), _IN_BATCH)
                for row in session.execute(
                    select(AttachmentRow)
                    .where(AttachmentRow.message_pk.in_(chunk), AttachmentRow.kind.is_not(None))
                    .order_by(AttachmentRow.message_pk, AttachmentRow.ordinal)
                ).scalars()
            ]
            fields: dict[int, dict[str, FieldValue]] = {}
            children: dict[int, list[ChildRecord]] = {}
            concerns: dict[int, list[str]] = {}
            for chunk in _chunks([row.id for row in attachments], _IN_BATCH):
                for field in session.execute(
                    select(FormFieldRow).where(FormFieldRow.attachment_pk.in_(chunk))
                ).scalars():
                    fields.setdefault(field.attachment_pk, {})[field.name] = FieldValue(
                        json.loads(field.value), field.confidence, field.label or ""
                    )
                for child in session.execute(
                    select(FormChildRow)
                    .where(FormChildRow.attachment_pk.in_(chunk))
                    .order_by(FormChildRow.attachment_pk, FormChildRow.ordinal)
                ).scalars():
                    children.setdefault(child.attachment_pk, []).append(
                        ChildRecord(**{key: getattr(child, key) for key in CHILD_KEYS})
                    )
                for attachment_pk, code in session.execute(
                    select(FormConcernRow.attachment_pk, FormConcernRow.code).where(
                        FormConcernRow.attachment_pk.in_(chunk)
                    )
                ):
                    concerns.setdefault(attachment_pk, []).append(code)
            for row in attachments:
                found.setdefault(row.message_pk, []).append(
                    _parsed_of(
                        row,
                        fields.get(row.id, {}),
                        children.get(row.id, []),
                        concerns.get(row.id, []),
                    )
                )
        return found

    def mark_failed(
        self, pk: int, failure: Failure, *, max_attempts: int, backoff: dt.timedelta
    ) -> str:
        """Record one failure; returns ``failed``, or ``dead`` once retries are used up."""
        with self._tx() as session:
            row = self._row(session, pk)
            _record_failure(row, failure, max_attempts, backoff, utcnow())
            return row.status

    def reset_for_reprocess(
        self, ids: Sequence[int] | None = None, *, failed: bool = False
    ) -> list[int]:
        """Pick messages to run again by id, or all failed and dead ones; resets their retries."""
        with self._tx() as session:
            if ids:
                rows = list(
                    session.execute(select(MessageRow).where(MessageRow.id.in_(ids))).scalars()
                )
                missing = set(ids) - {row.id for row in rows}
                if missing:
                    raise NotFound(", ".join(str(i) for i in sorted(missing)))
            elif failed:
                rows = list(
                    session.execute(
                        select(MessageRow).where(MessageRow.status.in_(("failed", "dead")))
                    ).scalars()
                )
            else:
                rows = []
            for row in rows:
                row.attempts = 0
                row.next_attempt_at = None
            return sorted(row.id for row in rows)

    @staticmethod
    def _row(session: Session, pk: int) -> MessageRow:
        row = session.get(MessageRow, pk)
        if row is None:
            raise NotFound(str(pk))
        return row

    # -- mailbox post-actions -------------------------------------------------------------

    def pending_actions(self, mailbox: str) -> list[PendingAction]:
        """Mailbox changes still owed for ``mailbox``, in the order the messages arrived.

        Only for messages whose processing is committed (not ``fetched``): a message's rules
        decide its changes in the same commit that records what it is.
        """
        with self._tx(read=True) as session:
            rows = session.execute(
                select(SightingRow)
                .join(MessageRow, MessageRow.id == SightingRow.message_pk)
                .where(
                    MessageRow.status != "fetched",
                    SightingRow.mailbox == mailbox,
                    SightingRow.action_pending.is_not(None),
                    SightingRow.action_done_at.is_(None),
                    SightingRow.uid.is_not(None),
                )
                .order_by(SightingRow.id)
            ).scalars()
            return [
                PendingAction(row.id, _ref_of(row), actions)
                for row in rows
                if (actions := _parse_actions(row.action_pending or ""))
            ]

    def action_done(self, sighting_id: int) -> None:
        with self._tx() as session:
            session.execute(
                update(SightingRow)
                .where(SightingRow.id == sighting_id)
                .values(action_done_at=utcnow())
            )

    # -- listings --------------------------------------------------------------------------

    def ledger(
        self, status: str | None = None, ids: Sequence[int] | None = None
    ) -> list[LedgerEntry]:
        with self._tx(read=True) as session:
            query = select(MessageRow).order_by(MessageRow.id)
            if status is not None:
                query = query.where(MessageRow.status == status)
            if ids is not None:
                query = query.where(MessageRow.id.in_(ids))
            rows = list(session.execute(query).scalars())
            sources = self._sources_of(session, [row.id for row in rows])
            return [
                LedgerEntry(
                    row.id,
                    row.message_id,
                    row.sha256,
                    sources.get(row.id, ""),
                    row.received_at,
                    row.status,
                    row.error,
                    row.attempts,
                )
                for row in rows
            ]

    def summary(self) -> Summary:
        with self._tx(read=True) as session:
            counts = dict.fromkeys(STATUSES, 0)
            for status, count in session.execute(
                select(MessageRow.status, func.count()).group_by(MessageRow.status)
            ):
                counts[status] = count
            folders = tuple(
                FolderStatus(
                    row.mailbox,
                    row.folder,
                    row.last_poll_at,
                    row.last_success_at,
                    row.last_error,
                    row.last_uid,
                    row.last_exists,
                    self._sightings_in(session, row),
                )
                for row in session.execute(
                    select(CursorRow).order_by(CursorRow.mailbox, CursorRow.folder)
                ).scalars()
            )
            kept = session.execute(
                select(func.coalesce(func.sum(func.length(RawRow.data)), 0))
            ).scalar_one()
            kinds = {
                kind or "unparsed": int(count)
                for kind, count in session.execute(
                    select(AttachmentRow.kind, func.count()).group_by(AttachmentRow.kind)
                )
            }
            return Summary(folders, counts, int(kept), kinds)

    @staticmethod
    def _sightings_in(session: Session, cursor: CursorRow) -> int:
        query = (
            select(func.count())
            .select_from(SightingRow)
            .where(SightingRow.mailbox == cursor.mailbox, SightingRow.folder == cursor.folder)
        )
        if cursor.uidvalidity is not None:
            query = query.where(SightingRow.uidvalidity == cursor.uidvalidity)
        return int(session.execute(query).scalar_one())

    def _source_of(self, session: Session, pk: int) -> str:
        return self._sources_of(session, [pk]).get(pk, "")

    @staticmethod
    def _sources_of(session: Session, pks: list[int]) -> dict[int, str]:
        """The first place each message was seen, as the ledger's source text."""
        found: dict[int, str] = {}
        for chunk in _chunks(pks, _IN_BATCH):
            rows = session.execute(
                select(SightingRow)
                .where(SightingRow.message_pk.in_(chunk))
                .order_by(SightingRow.id)
            ).scalars()
            for row in rows:
                found.setdefault(row.message_pk, _ref_of(row).source)
        return found

    # -- retention -------------------------------------------------------------------------

    def expire_raw(self, now: dt.datetime | None = None) -> int:
        """Delete raw copies past their retention; the ledger rows stay. Returns how many."""
        with self._tx() as session:
            result = session.execute(delete(RawRow).where(RawRow.expires_at <= (now or utcnow())))
            return int(getattr(result, "rowcount", 0) or 0)

    # -- locks -----------------------------------------------------------------------------

    def acquire_lock(self, name: str, ttl: dt.timedelta, owner: str | None = None) -> str:
        """Take (or renew) the lease ``name``; raise LockHeld if another live process has it.

        A lease whose holder is a dead process on this host is taken over at once, so a daemon
        killed with -9 does not block its own restart until the lease runs out.
        """
        me = owner or process_owner()
        now = utcnow()
        try:
            with self._tx() as session:
                row = session.get(LockRow, name, with_for_update=True)
                if row is None:
                    session.add(LockRow(name=name, owner=me, acquired_at=now, expires_at=now + ttl))
                    return me
                if row.owner != me and row.expires_at > now and _owner_alive(row.owner):
                    raise LockHeld(name, row.owner)
                if row.owner != me:
                    row.acquired_at = now
                row.owner = me
                row.expires_at = now + ttl
                return me
        except IntegrityError as err:  # another process inserted it first
            raise LockHeld(name, "another process") from err

    def release_lock(self, name: str, owner: str | None = None) -> None:
        me = owner or process_owner()
        with self._tx() as session:
            session.execute(delete(LockRow).where(LockRow.name == name, LockRow.owner == me))


class _Transaction:
    """``with store._tx() as session``: commit on success, wrap database errors in StoreError."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._session: Session | None = None

    def __enter__(self) -> Session:
        self._session = self._factory()
        return self._session

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        session = self._session
        assert session is not None
        try:
            if exc is None:
                try:
                    session.commit()
                except SQLAlchemyError as err:
                    session.rollback()
                    raise StoreError(f"database write failed ({type(err).__name__})") from err
            else:
                session.rollback()
                if isinstance(exc, SQLAlchemyError) and not isinstance(exc, IntegrityError):
                    raise StoreError(f"database error ({type(exc).__name__})") from exc
        finally:
            session.close()


def _attachment_values(
    pk: int, ordinal: int, part: Attachment, parsed: ParsedAttachment | None, now: dt.datetime
) -> dict[str, object]:
    values: dict[str, object] = {
        "message_pk": pk,
        "ordinal": ordinal,
        "filename": part.filename[:1000],
        "content_type": part.content_type[:255],
        "size": part.size,
        "sha256": part.sha256,
        "origin": part.origin[:1000],
        "inline": part.inline,
        "derived_name": part.derived_name,
        "kind": None,
        "template": None,
        "pages": None,
        "parse_warnings": None,
        "parsed_at": None,
    }
    if parsed is not None:
        values["kind"] = _text(parsed.kind, 32)
        values["template"] = _text(parsed.template, 100)
        values["pages"] = min(max(parsed.pages, 0), 2**31 - 1)
        warnings = [_text(warning, 1000) for warning in parsed.warnings]
        values["parse_warnings"] = json.dumps(warnings, ensure_ascii=False)
        values["parsed_at"] = now
    return values


def _field_values(attachment_pk: int, parsed: ParsedAttachment) -> list[dict[str, object]]:
    rows: dict[str, dict[str, object]] = {}
    for name, field in parsed.fields.items():
        key = _text(name, 100) or "?"
        value = field.value
        if isinstance(value, str):
            value = _text(value, _MAX_VALUE_CHARS)
        confidence = float(field.confidence)
        rows[key] = {
            "attachment_pk": attachment_pk,
            "name": key,
            "value": json.dumps(value, ensure_ascii=False),
            "confidence": min(max(confidence, 0.0), 1.0) if math.isfinite(confidence) else 0.0,
            "label": _text(field.label, 500) or None,
        }
    return list(rows.values())


def _child_values(attachment_pk: int, ordinal: int, child: ChildRecord) -> dict[str, object]:
    return {
        "attachment_pk": attachment_pk,
        "ordinal": ordinal,
        "forenames": _text(child.forenames, 200),
        "surname": _text(child.surname, 200),
        # Matching compares dates of birth as text, so only an ISO date is kept.
        "dob": child.dob if child.dob and _ISO_DATE.match(child.dob) else None,
        "gender": _text(child.gender, 50),
        "address": _text(child.address, _MAX_VALUE_CHARS),
        "postcode": _text(child.postcode, 16),
        "surname_key": lookup_key(child.surname),
        "forename_key": lookup_key(child.forenames),
    }


def _parsed_of(
    row: AttachmentRow,
    fields: dict[str, FieldValue],
    children: list[ChildRecord],
    concerns: list[str],
) -> ParsedAttachment:
    """A stored attachment's parse result, rebuilt as the parser returned it."""
    return ParsedAttachment(
        file=row.filename,
        sha256=row.sha256,
        kind=row.kind if row.kind in KINDS else "unreadable",
        template=row.template,
        fields={name: fields[name] for name in sorted(fields, key=_in_contract_order)},
        children=tuple(children),
        concerns=tuple(sorted(concerns, key=_in_contract_order)),
        warnings=tuple(json.loads(row.parse_warnings or "[]")),
        pages=row.pages or 0,
    )


def _in_contract_order(name: str) -> tuple[int, str]:
    """Field names and concern codes in the contract's order (rows keep none), others after."""
    return (_CONTRACT_ORDER.get(name, len(_CONTRACT_ORDER)), name)


def _sighting_key(ref: MessageRef) -> tuple[object, ...]:
    if ref.uid is not None:
        return ("imap", ref.mailbox, ref.folder, ref.uidvalidity, ref.uid)
    return ("file", ref.mailbox, ref.path)


def _message_values(item: Incoming, sha: str, now: dt.datetime) -> dict[str, object]:
    failed = item.failure is not None
    return {
        "message_id": item.message_id,
        "sha256": None if sha.startswith("ref:") else sha,
        "raw_size": len(item.raw) if item.raw is not None else item.ref.size,
        "received_at": item.received_at,
        "first_seen_at": now,
        "updated_at": now,
        "status": "failed" if failed else "fetched",
        "error": item.failure,
        "error_class": item.failure_class,
        "attempts": 1 if failed else 0,
        "quiet": item.quiet,
        "sent_at": item.sent_at,
    }


def _sighting_values(item: Incoming, pk: int, now: dt.datetime) -> dict[str, object]:
    ref = item.ref
    return {
        "message_pk": pk,
        "mailbox": ref.mailbox,
        "folder": ref.folder,
        "uidvalidity": ref.uidvalidity,
        "uid": ref.uid,
        "path": ref.path,
        "seen_at": now,
        "action_pending": _action_text(item.action) if item.action else None,
        "action_done_at": None,
    }


def _identity(item: Incoming) -> str | None:
    """SHA-256 of the raw bytes; for a message too large to fetch, of its header block (which
    carries its Message-ID, Date and Received chain, so it still identifies the message)."""
    if item.raw is not None:
        return sha256_hex(item.raw)
    if item.headers:
        return sha256_hex(item.headers)
    return None


def process_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_alive(owner: str) -> bool:
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's process: trust its lease
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ref_of(row: SightingRow) -> MessageRef:
    return MessageRef(row.mailbox, row.folder, row.uidvalidity, row.uid, row.path, 0, None)


def _action_text(action: PostAction) -> str:
    return f"{action.kind}:{action.argument}" if action.argument else action.kind


def _actions_text(actions: Sequence[PostAction]) -> str:
    """Several changes, one per line, in the order to make them (folder names hold no line
    breaks: the rules refuse them)."""
    return "\n".join(_action_text(action) for action in actions)[:1000]


def _parse_actions(text: str) -> tuple[PostAction, ...]:
    found = []
    for line in text.split("\n"):
        kind, _, argument = line.partition(":")
        if kind:
            found.append(PostAction(kind, argument))
    return tuple(found)


def _record_failure(
    row: MessageRow, failure: Failure, max_attempts: int, backoff: dt.timedelta, now: dt.datetime
) -> None:
    """Failed, with the reason; a retry planned if it may pass, ``dead`` when retries run out."""
    row.attempts = (row.attempts or 0) + 1
    row.error = failure.reason
    row.error_class = failure.error_class
    row.error_traceback = failure.traceback
    if failure.transient and row.attempts >= max_attempts:
        row.status = "dead"
        row.next_attempt_at = None
    else:
        row.status = "failed"
        row.next_attempt_at = now + backoff * 4 ** (row.attempts - 1) if failure.transient else None
