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
    sighting_id: int
    ref: MessageRef
    action: PostAction


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
