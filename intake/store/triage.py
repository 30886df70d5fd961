"""What the web interface's triage pages ask of the database: exceptions, calls and the ledger,
a page at a time, and one exception or message with everything shown beside it.

Only :mod:`intake.store` knows SQLAlchemy; everything handed out is a frozen value. Lists are
paged by offset over an indexed order (newest first); a page also carries the total, counted
with the same filter.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import exists, func, select

from intake.errors import ExceptionNotFound, NotFound
from intake.store.cases import _exception_of, stored_call
from intake.store.models import (
    AttachmentRow,
    CallRow,
    ExceptionRow,
    FormChildRow,
    FormConcernRow,
    FormFieldRow,
    MatchRow,
    MessageRow,
    RawRow,
    SightingRow,
)
from intake.store.records import ExceptionRecord, StoredCall

if TYPE_CHECKING:
    from intake.store.ledger import Store

_T = TypeVar("_T")

#: A parsed value read with less confidence than this is marked for a person to check.
CHECK_BELOW = 0.8


@dataclass(frozen=True)
class Page(Generic[_T]):
    """One page of a newest-first list."""

    rows: tuple[_T, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class ExceptionFilter:
    """What the exceptions list is narrowed to (``None``: any)."""

    status: str | None = "open"
    rule: str | None = None
    severity: str | None = None
    #: Raised at or after / before these instants (the caller turns local dates into them).
    raised_from: dt.datetime | None = None
    raised_before: dt.datetime | None = None
    #: The mailbox the exception's message was seen in.
    mailbox: str | None = None


@dataclass(frozen=True)
class MessageMeta:
    """A ledger message's metadata (never its body)."""

    id: int
    message_id: str | None
    from_addr: str | None
    subject: str | None
    received_at: dt.datetime
    status: str
    error: str | None
    attempts: int
    source: str
    route: str | None
    route_rule: str | None
    quiet: bool
    raw_size: int
    #: When the raw copy is deleted; None when it is already gone (or never kept).
    raw_expires_at: dt.datetime | None
    next_attempt_at: dt.datetime | None = None


@dataclass(frozen=True)
class FieldView:
    name: str
    value: Any
    confidence: float
    label: str | None

    @property
    def needs_check(self) -> bool:
        return self.confidence < CHECK_BELOW


@dataclass(frozen=True)
class ChildView:
    ordinal: int
    forenames: str | None
    surname: str | None
    dob: str | None


@dataclass(frozen=True)
class AttachmentView:
    ordinal: int
    filename: str
    content_type: str
    size: int
    inline: bool
    #: Parsed kind (rfs, gcp, ...); None when not parsed.
    kind: str | None
    template: str | None
    warnings: tuple[str, ...]
    fields: tuple[FieldView, ...]
    children: tuple[ChildView, ...]
    concerns: tuple[str, ...]


@dataclass(frozen=True)
class RelatedRecord:
    """A record found to be about the same child, with the matching evidence."""

    key: str
    kind: str
    confidence: float
    #: Short codes (``dob: equal`` ...), never names.
    evidence: tuple[tuple[str, str], ...]
    message: MessageMeta | None = None
    form_ordinal: int | None = None
    call: StoredCall | None = None


@dataclass(frozen=True)
class ExceptionDetail:
    record: ExceptionRecord
    #: ``form:MSG:ORD``, ``msg:MSG`` or ``call:CALL``.
    anchor: str
    form_ordinal: int | None
    message: MessageMeta | None
    attachments: tuple[AttachmentView, ...]
    call: StoredCall | None
    related: tuple[RelatedRecord, ...]
    resolving_message_pk: int | None


@dataclass(frozen=True)
class MessageDetail:
    meta: MessageMeta
    attachments: tuple[AttachmentView, ...]
    #: Where it was seen: ``mailbox/folder (uid N)`` or a file path.
    sightings: tuple[str, ...]
    #: Exceptions about it (id, rule, status).
    exceptions: tuple[tuple[int, str, str], ...]


class TriageStore:
    """Read queries for the triage pages. Each public method is one read transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- exceptions ---------------------------------------------------------------------------

    def exception_page(
        self, where: ExceptionFilter, *, page: int = 1, per_page: int = 50
    ) -> Page[ExceptionRecord]:
        page = max(1, page)
        conditions = []
        if where.status is not None:
            conditions.append(ExceptionRow.status == where.status)
        if where.rule is not None:
            conditions.append(ExceptionRow.rule == where.rule)
        if where.severity is not None:
            conditions.append(ExceptionRow.severity == where.severity)
        if where.raised_from is not None:
            conditions.append(ExceptionRow.raised_at >= where.raised_from)
        if where.raised_before is not None:
            conditions.append(ExceptionRow.raised_at < where.raised_before)
        if where.mailbox is not None:
            conditions.append(
                exists().where(
                    SightingRow.message_pk == ExceptionRow.message_pk,
                    SightingRow.mailbox == where.mailbox,
                )
            )
        with self._store._tx(read=True) as session:
            total = int(
                session.execute(
                    select(func.count()).select_from(ExceptionRow).where(*conditions)
                ).scalar_one()
            )
            query = (
                select(ExceptionRow, MessageRow.message_id)
                .outerjoin(MessageRow, MessageRow.id == ExceptionRow.message_pk)
                .where(*conditions)
                .order_by(ExceptionRow.raised_at.desc(), ExceptionRow.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
            )
            rows = tuple(_exception_of(row, header) for row, header in session.execute(query))
        return Page(rows, total, page, per_page)

    def exception_choices(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The rules that have raised exceptions, and the mailboxes messages were seen in."""
        with self._store._tx(read=True) as session:
            rules = tuple(
                session.execute(
                    select(ExceptionRow.rule).distinct().order_by(ExceptionRow.rule)
                ).scalars()
            )
            boxes = tuple(
                session.execute(
                    select(SightingRow.mailbox).distinct().order_by(SightingRow.mailbox)
                ).scalars()
            )
        return rules, boxes

    def exception_detail(self, exception_id: int) -> ExceptionDetail:
        with self._store._tx(read=True) as session:
            row = session.get(ExceptionRow, exception_id)
            if row is None:
                raise ExceptionNotFound(str(exception_id))
            anchor = row.key.partition("|")[2]
            message = None
            attachments: tuple[AttachmentView, ...] = ()
            header = None
            if row.message_pk is not None:
                metas = _metas(session, [row.message_pk])
                message = metas.get(row.message_pk)
                header = message.message_id if message is not None else None
                attachments = _attachments(session, row.message_pk)
            call = None
            if row.call_pk is not None:
                call = _calls(session, [row.call_pk]).get(row.call_pk)
            related = _related(session, anchor)
            return ExceptionDetail(
                record=_exception_of(row, header),
                anchor=anchor,
                form_ordinal=row.form_ordinal,
                message=message,
                attachments=attachments,
                call=call,
                related=related,
                resolving_message_pk=row.resolving_message_pk,
            )

    # -- calls --------------------------------------------------------------------------------

    def call_page(
        self,
        *,
        since: dt.datetime | None = None,
        before: dt.datetime | None = None,
        page: int = 1,
        per_page: int = 50,
    ) -> Page[StoredCall]:
        page = max(1, page)
        conditions = []
        if since is not None:
            conditions.append(CallRow.called_at >= since)
        if before is not None:
            conditions.append(CallRow.called_at < before)
        with self._store._tx(read=True) as session:
            total = int(
                session.execute(
                    select(func.count()).select_from(CallRow).where(*conditions)
                ).scalar_one()
            )
            rows = session.execute(
                select(CallRow)
                .where(*conditions)
                .order_by(CallRow.called_at.desc(), CallRow.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
            ).scalars()
            return Page(tuple(stored_call(r) for r in rows), total, page, per_page)

    # -- the ledger ---------------------------------------------------------------------------

    def message_page(
        self, *, status: str | None = None, page: int = 1, per_page: int = 50
    ) -> Page[MessageMeta]:
        page = max(1, page)
        conditions = [] if status is None else [MessageRow.status == status]
        with self._store._tx(read=True) as session:
            total = int(
                session.execute(
                    select(func.count()).select_from(MessageRow).where(*conditions)
                ).scalar_one()
            )
            ids = list(
                session.execute(
                    select(MessageRow.id)
                    .where(*conditions)
                    .order_by(MessageRow.received_at.desc(), MessageRow.id.desc())
                    .offset((page - 1) * per_page)
                    .limit(per_page)
                ).scalars()
            )
            metas = _metas(session, ids)
            return Page(tuple(metas[pk] for pk in ids if pk in metas), total, page, per_page)

    def message_detail(self, message_pk: int) -> MessageDetail:
        with self._store._tx(read=True) as session:
            meta = _metas(session, [message_pk]).get(message_pk)
            if meta is None:
                raise NotFound(str(message_pk))
            sightings = tuple(
                f"{s.mailbox}/{s.folder} (uid {s.uid})" if s.uid is not None else str(s.path)
                for s in session.execute(
                    select(SightingRow)
                    .where(SightingRow.message_pk == message_pk)
                    .order_by(SightingRow.id)
                ).scalars()
            )
            raised = tuple(
                (int(pk), rule, status)
                for pk, rule, status in session.execute(
                    select(ExceptionRow.id, ExceptionRow.rule, ExceptionRow.status)
                    .where(ExceptionRow.message_pk == message_pk)
                    .order_by(ExceptionRow.id)
                )
            )
            return MessageDetail(meta, _attachments(session, message_pk), sightings, raised)


# -- helpers (inside a caller's transaction) ---------------------------------------------------


def _metas(session: Any, pks: Sequence[int]) -> dict[int, MessageMeta]:
    if not pks:
        return {}
    from intake.store.ledger import Store

    wanted = sorted(set(pks))
    query = (
        select(MessageRow, RawRow.expires_at)
        .outerjoin(RawRow, RawRow.message_pk == MessageRow.id)
        .where(MessageRow.id.in_(wanted))
    )
    sources = Store._sources_of(session, wanted)
    return {
        row.id: MessageMeta(
            id=row.id,
            message_id=row.message_id,
            from_addr=row.from_addr,
            subject=row.subject,
            received_at=row.received_at,
            status=row.status,
            error=row.error,
            attempts=row.attempts or 0,
            source=sources.get(row.id, ""),
            route=row.route,
            route_rule=row.route_rule,
            quiet=bool(row.quiet),
            raw_size=row.raw_size,
            raw_expires_at=expires,
            next_attempt_at=row.next_attempt_at,
        )
        for row, expires in session.execute(query)
    }


def _attachments(session: Any, message_pk: int) -> tuple[AttachmentView, ...]:
    rows = list(
        session.execute(
            select(AttachmentRow)
            .where(AttachmentRow.message_pk == message_pk)
            .order_by(AttachmentRow.ordinal)
        ).scalars()
    )
    ids = [row.id for row in rows]
    fields: dict[int, list[FieldView]] = {}
    children: dict[int, list[ChildView]] = {}
    concerns: dict[int, list[str]] = {}
    if ids:
        for field in session.execute(
            select(FormFieldRow).where(FormFieldRow.attachment_pk.in_(ids))
        ).scalars():
            fields.setdefault(field.attachment_pk, []).append(
                FieldView(field.name, json.loads(field.value), field.confidence, field.label)
            )
        for child in session.execute(
            select(FormChildRow)
            .where(FormChildRow.attachment_pk.in_(ids))
            .order_by(FormChildRow.attachment_pk, FormChildRow.ordinal)
        ).scalars():
            children.setdefault(child.attachment_pk, []).append(
                ChildView(child.ordinal, child.forenames, child.surname, child.dob)
            )
        for apk, code in session.execute(
            select(FormConcernRow.attachment_pk, FormConcernRow.code).where(
                FormConcernRow.attachment_pk.in_(ids)
            )
        ):
            concerns.setdefault(apk, []).append(code)
    from intake.store.ledger import _in_contract_order

    return tuple(
        AttachmentView(
            ordinal=row.ordinal,
            filename=row.filename,
            content_type=row.content_type,
            size=row.size,
            inline=row.inline,
            kind=row.kind,
            template=row.template,
            warnings=tuple(json.loads(row.parse_warnings or "[]")),
            fields=tuple(sorted(fields.get(row.id, []), key=lambda f: _in_contract_order(f.name))),
            children=tuple(children.get(row.id, [])),
            concerns=tuple(sorted(concerns.get(row.id, []), key=_in_contract_order)),
        )
        for row in rows
    )


def _calls(session: Any, pks: Sequence[int]) -> dict[int, StoredCall]:
    if not pks:
        return {}
    return {
        row.id: stored_call(row)
        for row in session.execute(
            select(CallRow).where(CallRow.id.in_(sorted(set(pks))))
        ).scalars()
    }


def _record_of(key: str) -> tuple[str, int | None, int | None]:
    """``(kind, id, form ordinal)`` of a record key; id None when the key is not understood."""
    kind, _, rest = key.partition(":")
    parts = rest.split(":")
    try:
        ident = int(parts[0])
        ordinal = int(parts[1]) if kind == "form" and len(parts) > 1 else None
    except (ValueError, IndexError):
        return kind, None, None
    return kind, ident, ordinal


def _related(session: Any, anchor: str) -> tuple[RelatedRecord, ...]:
    """The records the checks matched to ``anchor`` (the ``matches`` rows whose left it is)."""
    matches = list(
        session.execute(
            select(MatchRow).where(MatchRow.left == anchor).order_by(MatchRow.id)
        ).scalars()
    )
    if not matches:
        return ()
    keys = [_record_of(m.right) for m in matches]
    message_ids = [ident for kind, ident, _ in keys if kind in ("form", "msg") and ident]
    call_ids = [ident for kind, ident, _ in keys if kind == "call" and ident]
    metas = _metas(session, message_ids)
    calls = _calls(session, call_ids)
    found = []
    for match, (kind, ident, ordinal) in zip(matches, keys, strict=True):
        try:
            evidence = json.loads(match.evidence)
        except ValueError:
            evidence = {}
        pairs = (
            tuple(sorted((str(k), str(v)) for k, v in evidence.items()))
            if isinstance(evidence, dict)
            else ()
        )
        found.append(
            RelatedRecord(
                key=match.right,
                kind=kind,
                confidence=match.confidence,
                evidence=pairs,
                message=metas.get(ident) if ident and kind in ("form", "msg") else None,
                form_ordinal=ordinal,
                call=calls.get(ident) if ident and kind == "call" else None,
            )
        )
    found.sort(key=lambda r: -r.confidence)
    return tuple(found)
