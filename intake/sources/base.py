"""The one small protocol every mail source speaks, and the frozen values it hands out.

A source is opened (``with source:``), asked for the state of a folder, asked for the messages
after a cursor, and asked to fetch them in bounded batches. Fetching never changes the mailbox: a
person reading the same folder sees nothing different. The only mailbox change a source makes is
:meth:`MailSource.apply`, which the pipeline calls after the database commit, and only when a
configured rule asks for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class FolderState:
    """What the server says about a folder right now."""

    folder: str
    #: IMAP UIDVALIDITY; ``None`` for sources without UIDs (files on disk).
    uidvalidity: int | None
    #: The UID the next message will get; ``None`` when unknown.
    uidnext: int | None
    #: Messages in the folder; ``None`` when unknown.
    exists: int | None = None


@dataclass(frozen=True)
class MessageRef:
    """Where one message lives in its source: enough to fetch it again or act on it."""

    mailbox: str
    folder: str
    uidvalidity: int | None
    #: IMAP UID; ``None`` for files.
    uid: int | None
    #: The file (and, for mbox, ``#n`` position) a message came from; ``None`` for IMAP.
    path: str | None
    #: Size in bytes as the source reports it (RFC822.SIZE for IMAP, file size for files).
    size: int
    #: IMAP INTERNALDATE (timezone-aware); ``None`` for files (the pipeline derives it).
    internaldate: dt.datetime | None
    #: For files: the file's modification time, the last resort for ``received_at``.
    file_mtime: dt.datetime | None = None

    @property
    def source(self) -> str:
        """The ledger's source text: ``imap:MAILBOX/FOLDER/UIDVALIDITY/UID`` or ``file:PATH``."""
        if self.uid is not None:
            return f"imap:{self.mailbox}/{self.folder}/{self.uidvalidity}/{self.uid}"
        return f"file:{self.path}"


@dataclass(frozen=True)
class Fetched:
    """One fetched message: its reference and its bytes, or why the bytes were not fetched."""

    ref: MessageRef
    #: The whole message; ``None`` when it was over the size cap (see ``headers``).
    raw: bytes | None
    #: For an oversized message, the first bytes of its header block (bounded), so the ledger can
    #: still show its Message-ID; ``None`` otherwise.
    headers: bytes | None = None


@dataclass(frozen=True)
class PostAction:
    """A change to the mailbox a configured rule asks for, applied after the database commit.

    ``kind`` is ``keyword`` (set an IMAP keyword, ``argument`` = the keyword), ``flag`` (set
    ``\\Flagged``) or ``move`` (move to folder ``argument``).
    """

    kind: str
    argument: str = ""


@runtime_checkable
class MailSource(Protocol):
    """Where mail comes from. Implementations: IMAP (``imap.py``) and files (``directory.py``)."""

    #: The configured mailbox name (``cspoc``, or ``import`` for files).
    name: str

    def __enter__(self) -> MailSource: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def folders(self) -> Sequence[str]:
        """The folders this source watches, in order."""
        ...

    def state(self, folder: str) -> FolderState:
        """Cheap look at a folder (IMAP STATUS): the pipeline skips a folder with nothing new."""
        ...

    def list_new(self, folder: str, uidvalidity: int | None, after_uid: int) -> list[MessageRef]:
        """Messages in ``folder`` with UID greater than ``after_uid``, oldest first.

        Costs O(new messages), never O(folder). Sources without UIDs list every message and the
        ledger skips those it already holds. ``uidvalidity`` is the value the caller believes is
        current; a source raises :class:`~intake.errors.SourceProtocolError` if it changed since
        :meth:`state` was read.
        """
        ...

    def fetch(self, refs: Sequence[MessageRef], max_bytes: int) -> Iterator[list[Fetched]]:
        """Fetch ``refs`` read-only, in batches whose raw bytes stay bounded.

        A message whose size is over ``max_bytes`` is yielded with ``raw=None`` and only its
        bounded header block, never downloaded whole.
        """
        ...

    def apply(self, ref: MessageRef, action: PostAction) -> None:
        """Make the change ``action`` asks for to the message at ``ref``."""
        ...
