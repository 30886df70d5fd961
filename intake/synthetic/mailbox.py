"""Write raw messages to disk as a Maildir, as ``.eml`` files or as an mbox."""

from __future__ import annotations

import datetime as dt
import itertools
import mailbox
import os
import socket
import time
from collections.abc import Iterable
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

# Maildir names must be unique across every delivery this process makes, not just one call.
_DELIVERIES = itertools.count(1)
# Used for the From_ line of messages without a usable Date header, so output stays stable.
_EPOCH_LINE = "Thu Jan  1 00:00:00 1970"


def _hostname() -> str:
    # The Maildir spec escapes "/" and ":" in the host part of a name.
    host = socket.gethostname() or "localhost"
    return host.replace("/", "\\057").replace(":", "\\072")


def write_maildir(
    messages: Iterable[bytes], path: str | Path, *, fsync: bool = False
) -> list[Path]:
    """Deliver ``messages`` into the Maildir at ``path`` (created if missing); paths in ``new/``.

    Each message is written to ``tmp/`` under a unique ``time.MusecPpidQn.host`` name and then
    renamed into ``new/``, as a delivery agent would. ``fsync`` flushes each file first (slow).
    """
    root = Path(path)
    for sub in ("tmp", "new", "cur"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    host = _hostname()
    pid = os.getpid()
    delivered = []
    for raw in messages:
        now = time.time()
        seconds = int(now)
        name = f"{seconds}.M{int((now - seconds) * 1e6)}P{pid}Q{next(_DELIVERIES)}.{host}"
        staging = root / "tmp" / name
        with staging.open("xb") as handle:
            handle.write(raw)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        final = root / "new" / name
        os.replace(staging, final)
        delivered.append(final)
    return delivered


def write_eml_files(
    messages: Iterable[bytes], directory: str | Path, *, prefix: str = "message"
) -> list[Path]:
    """Write each message to ``directory/<prefix>-00001.eml`` and so on; the paths written."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for number, raw in enumerate(messages, start=1):
        target = root / f"{prefix}-{number:05d}.eml"
        target.write_bytes(raw)
        written.append(target)
    return written


def _from_line(raw: bytes) -> bytes:
    """An mbox ``From_`` line built from the message's own From and Date headers."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
        sender = parseaddr(str(headers.get("From", "")))[1]
        stamp = parsedate_to_datetime(str(headers["Date"])).astimezone(dt.UTC)
        when = f"{stamp:%a %b} {stamp.day:2d} {stamp:%H:%M:%S %Y}"
    except (TypeError, ValueError, IndexError, KeyError):
        sender, when = "", _EPOCH_LINE
    sender = "".join(sender.split()) or "MAILER-DAEMON"
    return f"From {sender} {when}\n".encode("ascii", "replace")


def write_mbox(messages: Iterable[bytes], path: str | Path) -> Path:
    """Append ``messages`` to the mbox file at ``path`` (created if missing), with From_ lines.

    Lines starting ``From `` in a body are quoted (``>From``) as mbox requires.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    box = mailbox.mbox(target, create=True)
    box.lock()
    try:
        for raw in messages:
            # A leading From_ line makes mailbox use it rather than the current time.
            box.add(_from_line(raw) + raw)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return target
