"""The frozen values the store hands to the rest of the service (no SQLAlchemy in sight)."""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from intake.errors import IntakeError
from intake.sources.base import MessageRef, PostAction


@dataclass(frozen=True)
class Cursor:
    """How far a folder has been read."""

    mailbox: str
    folder: str
    uidvalidity: int | None
    last_uid: int
    last_success_at: dt.datetime | None


@dataclass(frozen=True)
class Incoming:
    """A fetched message on its way into the ledger."""

    ref: MessageRef
    raw: bytes | None
    #: For a message too large to fetch: its bounded header block.
    headers: bytes | None
    received_at: dt.datetime
    message_id: str | None
    sent_at: dt.datetime | None
    #: Received before the onboarding cut-off: kept, but never raises exceptions.
    quiet: bool
    #: What the configured rule asks to do in the mailbox after the commit, if anything.
    action: PostAction | None
    #: Why it cannot be processed even though it is recorded (e.g. too large); None when fine.
    failure: str | None = None
    failure_class: str | None = None


@dataclass(frozen=True)
class Recorded:
    """What recording one incoming message did."""

    id: int
    #: False when the same message (same bytes) was already in the ledger.
    new: bool
    status: str


@dataclass(frozen=True)
class StoredMessage:
    """A ledger message with its raw bytes, ready for (re)processing."""

    id: int
    raw: bytes
    received_at: dt.datetime
    quiet: bool
    source: str


@dataclass(frozen=True)
class LedgerEntry:
    """One row of `intake messages` (contract section 6)."""

    id: int
    message_id: str | None
    sha256: str | None
    source: str
    received_at: dt.datetime
    status: str
    error: str | None
    attempts: int


@dataclass(frozen=True)
class PendingAction:
    """The mailbox changes still owed for one sighting, in the order to make them."""

    sighting_id: int
    ref: MessageRef
    actions: tuple[PostAction, ...]

    @property
    def action(self) -> PostAction:
        """The first (usually only) change."""
        return self.actions[0]


@dataclass(frozen=True)
class FolderStatus:
    mailbox: str
    folder: str
    last_poll_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_error: str | None
    last_uid: int
    #: Messages the folder held at the last successful poll; None when the source can't say.
    exists: int | None
    #: Sightings the ledger has for the folder under its current UIDVALIDITY.
    seen: int


@dataclass(frozen=True)
class Summary:
    """What `intake status` shows."""

    folders: tuple[FolderStatus, ...]
    by_status: dict[str, int]
    raw_bytes_kept: int
    #: Attachments by parsed kind (contract section 3); ``unparsed`` for those not parsed yet.
    attachments_by_kind: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """Why a message failed, as plain values (they cross process boundaries and are stored)."""

    #: One line shown to people; carries no personal data.
    reason: str
    error_class: str
    #: The full traceback, kept in the database only (never logged).
    traceback: str
    #: Whether retrying later, with nothing changed, could succeed.
    transient: bool

    @classmethod
    def of(cls, error: BaseException, *, transient: bool) -> Failure:
        """Our own errors are written to carry no personal data, so their text is the reason. A
        third-party error's text might quote message content, so only its type and place are
        shown for it."""
        if isinstance(error, IntakeError):
            reason = " ".join(str(error).split())[:500]
        else:
            frames = traceback.extract_tb(error.__traceback__)
            where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
            reason = f"internal error: {type(error).__name__}{where}"
        return cls(
            reason=reason,
            error_class=f"{type(error).__module__}.{type(error).__qualname__}",
            traceback="".join(traceback.format_exception(error))[-20000:],
            transient=transient,
        )


@dataclass(frozen=True)
class ExceptionRecord:
    """One exception as `intake exceptions` lists it (contract section 5)."""

    id: int
    rule: str
    severity: str
    status: str
    raised_at: dt.datetime
    due_at: dt.datetime | None
    child_forenames: str | None
    child_surname: str | None
    child_dob: str | None
    message_pk: int | None
    #: The message's Message-ID header.
    message_id: str | None
    call_id: int | None
    detail: str
    late: bool | None = None
    resolved_at: dt.datetime | None = None
    resolved_by: str | None = None
    resolution_note: str | None = None

    @property
    def has_child(self) -> bool:
        return any((self.child_forenames, self.child_surname, self.child_dob))


@dataclass(frozen=True)
class ExceptionEvent:
    """One change in an exception's timeline."""

    at: dt.datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    note: str | None


@dataclass(frozen=True)
class StoredCall:
    """A phone contact as `intake calls list` shows it."""

    id: int
    called_at: dt.datetime
    caller_name: str | None
    caller_agency: str | None
    child_forenames: str | None
    child_surname: str | None
    child_dob: str | None
    urgent: bool
    kind: str
    source: str
    taken_by: str | None
    message_pk: int | None


@dataclass(frozen=True)
class Judgement:
    """One check's finding on one case, ready for the store to record."""

    rule: str
    severity: str
    anchor: str
    outcome: str
    detail: str
    due_at: dt.datetime | None
    #: When a live service would have raised it: the deadline, or when the case began.
    raised_at: dt.datetime
    child_forenames: str | None
    child_surname: str | None
    child_dob: str | None
    message_pk: int | None
    form_ordinal: int | None
    call_pk: int | None
    arrived_at: dt.datetime | None = None
    arrived_in: int | None = None
    late: bool | None = None
    merged_into: str | None = None
    #: JSON text: the matches the finding rests on.
    evidence: str | None = None


@dataclass(frozen=True)
class MatchFound:
    left: str
    right: str
    confidence: float
    evidence: str


@dataclass(frozen=True)
class Change:
    """What recording a judgement did (or, in a dry run, would do) to the exceptions."""

    rule: str
    anchor: str
    #: raised, raised-late (raised and already auto_resolved), auto_resolved, withdrawn, relinked
    action: str
    exception_id: int | None
    detail: str
    child_forenames: str | None = None
    child_surname: str | None = None
    child_dob: str | None = None


@dataclass(frozen=True)
class DeclaredCall:
    """A phone call a referral form says was made before it was sent."""

    message_pk: int
    form_ordinal: int
    called_at: dt.datetime
    child_forenames: str | None
    child_surname: str | None
    child_dob: str | None
    urgent: bool
    caller_name: str | None
    caller_agency: str | None
    caller_phone: str | None
    taken_by: str | None
    notes: str | None


@dataclass(frozen=True)
class Work:
    """What the next check run must judge."""

    #: Messages read but not yet judged (status ``parsed``), received by ``as_of``.
    messages: tuple[int, ...]
    #: Calls new or changed since they were last judged, made by ``as_of``.
    calls: tuple[int, ...]
    #: Anchors whose pending deadline has passed by ``as_of``.
    due: tuple[str, ...]
