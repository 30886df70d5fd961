"""The database tables, as SQLAlchemy 2.x declarative models. Only ``intake.store`` imports this."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: Constraint names are fixed so Alembic revisions can name them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (no zone support) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; attach a zone first")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class MessageRow(Base):
    """The ledger: one row per distinct message (same bytes, same message), whatever its fate."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The Message-ID header, as sent; absent on some mail.
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    #: SHA-256 of the raw bytes (of the header block for a message too large to download).
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    raw_size: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: fetched -> parsed -> checked, or failed (may be retried) -> dead (retries used up).
    status: Mapped[str] = mapped_column(String(16))
    #: One line saying why it failed; no personal data.
    error: Mapped[str | None] = mapped_column(Text)
    error_class: Mapped[str | None] = mapped_column(String(200))
    error_traceback: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: When the next automatic retry is due; NULL when none is planned.
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Received before the mailbox's onboarding cut-off: stored, but raises no exceptions.
    quiet: Mapped[bool] = mapped_column(Boolean, default=False)
    from_addr: Mapped[str | None] = mapped_column(String(320), index=True)
    subject: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: The message this one answers (In-Reply-To), for linking a follow-up to its referral.
    in_reply_to: Mapped[str | None] = mapped_column(String(998), index=True)
    #: Its References header: message ids, space-separated, the newest few.
    thread_refs: Mapped[str | None] = mapped_column(Text)
    #: What the subject, body and file names mention that can tie the message to a child: folded
    #: name words, dates and postcodes, as JSON (see intake.mentions). Matching only.
    mentions: Mapped[str | None] = mapped_column(Text)
    #: What the mailbox rules made of it: ``referral`` (the default), ``call`` (a duty worker's
    #: email recording a phone contact) or ``ignore`` (kept, raises nothing); NULL until routed.
    route: Mapped[str | None] = mapped_column(String(16))
    #: The name of the mailbox rule that decided ``route``; NULL when no rule matched.
    route_rule: Mapped[str | None] = mapped_column(String(200))


class SightingRow(Base):
    """Where a message was seen: one row per (mailbox, folder, UIDVALIDITY, UID) or file."""

    __tablename__ = "sightings"
    __table_args__ = (
        UniqueConstraint("mailbox", "folder", "uidvalidity", "uid", name="uq_sightings_imap"),
        UniqueConstraint("mailbox", "path", name="uq_sightings_file"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    mailbox: Mapped[str] = mapped_column(String(40))
    folder: Mapped[str] = mapped_column(String(1000))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    path: Mapped[str | None] = mapped_column(String(4000))
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: A mailbox change still to make after the commit (e.g. "keyword:Intake"); NULL if none.
    action_pending: Mapped[str | None] = mapped_column(String(1000))
    action_done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class RawRow(Base):
    """The message's bytes, compressed, kept for reprocessing until ``expires_at``."""

    __tablename__ = "raw_messages"

    message_pk: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    codec: Mapped[str] = mapped_column(String(16))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class AttachmentRow(Base):
    """One attachment found in a message (including inside forwards, TNEF and zips)."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("message_pk", "ordinal", name="uq_attachments_ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(1000))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    origin: Mapped[str] = mapped_column(String(1000))
    inline: Mapped[bool] = mapped_column(Boolean)
    derived_name: Mapped[bool] = mapped_column(Boolean)
    #: What parsing found (contract section 3): rfs, gcp, brook_tool, exploitation_tool, other or
    #: unreadable. NULL until the attachment has been parsed.
    kind: Mapped[str | None] = mapped_column(String(32), index=True)
    #: The form's template id when recognised, ``unknown`` for an unrecognised form.
    template: Mapped[str | None] = mapped_column(String(100))
    pages: Mapped[int | None] = mapped_column(Integer)
    #: The parser's warnings, a JSON list of short codes (they name fields, never values).
    parse_warnings: Mapped[str | None] = mapped_column(Text)
    parsed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class FormFieldRow(Base):
    """One canonical field read from a form attachment (contract section 3)."""

    __tablename__ = "form_fields"

    attachment_pk: Mapped[int] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    #: The value as JSON text, so a bool, an int and a string each come back as what they were.
    value: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    #: The form's label the value was found under (for people checking a low confidence).
    label: Mapped[str | None] = mapped_column(String(500))


class FormChildRow(Base):
    """One child named on a form attachment, in the form's order (1 is the first child)."""

    __tablename__ = "form_children"

    attachment_pk: Mapped[int] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True
    )
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    forenames: Mapped[str | None] = mapped_column(String(200))
    surname: Mapped[str | None] = mapped_column(String(200))
    #: YYYY-MM-DD as text (a form's date of birth has no time or zone); NULL when not a date.
    dob: Mapped[str | None] = mapped_column(String(10))
    gender: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(16))
    #: Folded surname and first forename (intake.matching.fold), for finding the same child
    #: when a date of birth is missing on one side.
    surname_key: Mapped[str | None] = mapped_column(String(200), index=True)
    forename_key: Mapped[str | None] = mapped_column(String(200), index=True)


class FormConcernRow(Base):
    """One concern code a form attachment raises (the contract's codes, e.g. ``neglect``)."""

    __tablename__ = "form_concerns"

    attachment_pk: Mapped[int] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class CallRow(Base):
    """A phone contact: from the call log (CSV or `intake calls add`) or declared on a form."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    called_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    caller_name: Mapped[str | None] = mapped_column(String(200))
    caller_agency: Mapped[str | None] = mapped_column(String(200))
    caller_phone: Mapped[str | None] = mapped_column(String(50))
    child_forenames: Mapped[str | None] = mapped_column(String(200))
    child_surname: Mapped[str | None] = mapped_column(String(200))
    child_dob: Mapped[str | None] = mapped_column(String(10), index=True)
    surname_key: Mapped[str | None] = mapped_column(String(200), index=True)
    forename_key: Mapped[str | None] = mapped_column(String(200), index=True)
    urgent: Mapped[bool] = mapped_column(Boolean)
    #: ``referral`` or ``consultation`` (advice only: never owes an email).
    kind: Mapped[str] = mapped_column(String(16))
    taken_by: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    #: ``csv`` (a call log), ``cli`` (`intake calls add`), ``web`` (the web page), ``mail``
    #: (a call email) or ``form`` (declared on a referral form: phoned first, when, to whom).
    source: Mapped[str] = mapped_column(String(16))
    #: For a declared call: the message and the form attachment (by ordinal) declaring it.
    message_pk: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    form_ordinal: Mapped[int | None] = mapped_column(Integer)
    #: Same call, same values: importing it again stores nothing new.
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    #: When the checks last judged this call; NULL: new or changed, judge it at the next check.
    checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)


class ExceptionRow(Base):
    """A rule broken by a referral, message or call: raised once, open until resolved."""

    __tablename__ = "exceptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ``RULE|ANCHOR`` (e.g. ``neglect-no-gcp|form:12:1``): a check run never raises it twice.
    key: Mapped[str] = mapped_column(String(300), unique=True)
    rule: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    #: open, resolved (by a person, with a note) or auto_resolved (the missing item arrived).
    status: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    message_pk: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True
    )
    form_ordinal: Mapped[int | None] = mapped_column(Integer)
    call_pk: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    child_forenames: Mapped[str | None] = mapped_column(String(200))
    child_surname: Mapped[str | None] = mapped_column(String(200))
    child_dob: Mapped[str | None] = mapped_column(String(10))
    detail: Mapped[str] = mapped_column(Text)
    #: The matches behind the outcome, as JSON (what was compared and why it matched).
    evidence: Mapped[str | None] = mapped_column(Text)
    #: When the missing item arrived (auto_resolved) or a person resolved it.
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    #: The message that brought the missing item, for auto_resolved.
    resolving_message_pk: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    #: auto_resolved only: the item arrived after the deadline.
    late: Mapped[bool | None] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ExceptionEventRow(Base):
    """One change to an exception, with who or what made it (the exception's timeline)."""

    __tablename__ = "exception_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exception_pk: Mapped[int] = mapped_column(
        ForeignKey("exceptions.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: ``check:RULE`` for the service, ``user:NAME`` for a person.
    actor: Mapped[str] = mapped_column(String(200))
    #: raised, auto_resolved, resolved, reopened, relinked, withdrawn
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class CheckResultRow(Base):
    """The latest judgement of one check on one referral, message or call: hits and misses."""

    __tablename__ = "check_results"

    #: ``form:MSG:ORDINAL``, ``msg:MSG`` or ``call:CALL``.
    anchor: Mapped[str] = mapped_column(String(100), primary_key=True)
    rule: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: hit, miss, pending (its deadline is still ahead), skip (does not apply), merged
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    judged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: The time the judgement was made as of (``intake check --as-of``).
    as_of: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class MatchRow(Base):
    """Two records found to be about the same child, with the evidence."""

    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("left", "right", name="uq_matches_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Record keys: ``form:MSG:ORDINAL``, ``msg:MSG`` or ``call:CALL``.
    left: Mapped[str] = mapped_column(String(100), index=True)
    right: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)
    #: JSON: short codes (dob equal, forenames nickname, thread reply ...), never the names.
    evidence: Mapped[str] = mapped_column(Text)
    found_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CursorRow(Base):
    """How far each watched folder has been read, and how its last polls went."""

    __tablename__ = "folder_cursors"

    mailbox: Mapped[str] = mapped_column(String(40), primary_key=True)
    folder: Mapped[str] = mapped_column(String(1000), primary_key=True)
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_poll_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: Messages the server said the folder held at the last successful poll (reconciliation).
    last_exists: Mapped[int | None] = mapped_column(BigInteger)


class MailboxRuleRow(Base):
    """An administrator's mailbox rule: conditions, an action and a post-action, in order."""

    __tablename__ = "mailbox_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Rules are evaluated in ascending ``position`` (1, 2, 3 ...).
    position: Mapped[int] = mapped_column(Integer, index=True)
    #: JSON list of conditions, all of which must hold (see intake.mailrules).
    conditions: Mapped[str] = mapped_column(Text)
    #: ``referral``, ``call`` or ``ignore``.
    action: Mapped[str] = mapped_column(String(16))
    #: ``none``, ``flag``, ``keyword:NAME`` or ``move:FOLDER``: done after the database commit.
    post_action: Mapped[str] = mapped_column(String(1000), default="none")
    #: When it matches, later rules are not evaluated.
    stop: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Deliberately matches every message (a rule with no conditions must say so).
    match_all: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AuditRow(Base):
    """Who changed what and when (mailbox rules, and later users and settings): before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    #: ``cli:LOGIN``, ``web:USER`` or ``service``.
    actor: Mapped[str] = mapped_column(String(200))
    #: What kind of thing changed: ``mailbox-rule`` ...
    entity: Mapped[str] = mapped_column(String(40), index=True)
    #: Which one (a rule's name).
    entity_key: Mapped[str] = mapped_column(String(300))
    #: add, edit, remove, enable, disable, move, import ...
    action: Mapped[str] = mapped_column(String(32))
    #: JSON of the thing before and after the change; NULL when it did not exist.
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class ReportRow(Base):
    """One day's exceptions report: built, and sent exactly once."""

    __tablename__ = "reports"

    #: The report's day (local date, ``YYYY-MM-DD``).
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    #: pending, sending, sent, failed (SMTP refused or unreachable: retried with back-off)
    status: Mapped[str] = mapped_column(String(16))
    #: The period it covers: from the previous report's cut-off to this one's.
    period_start: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    period_end: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    built_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Sent after its scheduled time because the daemon was down or SMTP failed.
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: One line: why the last attempt failed (no personal data).
    error: Mapped[str | None] = mapped_column(Text)
    #: The sender's process while sending (a second daemon leaves the row alone).
    owner: Mapped[str | None] = mapped_column(String(300))
    #: Counts for `intake status`: rows in the report and recipients it went to.
    rows: Mapped[int] = mapped_column(Integer, default=0)
    recipients: Mapped[int] = mapped_column(Integer, default=0)


class UserRow(Base):
    """A person who signs in to the web interface, with one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The login name (lower case); never a child's or referrer's data.
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: ``admin``, ``team`` or ``viewer``.
    role: Mapped[str] = mapped_column(String(16))
    #: argon2id hash (argon2-cffi's PasswordHasher); the password itself is never stored.
    password_hash: Mapped[str] = mapped_column(String(300))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class SessionRow(Base):
    """A signed-in browser: the cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The session's CSRF token, checked on every form post.
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: Idle or absolute expiry, whichever comes first.
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class LoginAttemptRow(Base):
    """A failed sign-in, for rate limiting by login name and by client address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ``user:NAME`` or ``addr:IP``.
    key: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class LockRow(Base):
    """A lease: while it lasts, only ``owner`` may poll the mailbox it names."""

    __tablename__ = "locks"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    owner: Mapped[str] = mapped_column(String(300))
    acquired_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


Index("ix_messages_status_next", MessageRow.status, MessageRow.next_attempt_at)
Index("ix_exceptions_status_rule", ExceptionRow.status, ExceptionRow.rule)
#: The judgements still waiting on a deadline, found without reading the others.
Index("ix_check_results_outcome_due", CheckResultRow.outcome, CheckResultRow.due_at)
#: Matching a child across messages and calls starts from the date of birth, then the surname.
Index("ix_form_children_dob_surname", FormChildRow.dob, FormChildRow.surname)
