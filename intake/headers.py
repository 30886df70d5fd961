"""A cheap look at a message's header block: Message-ID and when it was received.

The store stage needs these before the full parse (the ledger row is written first, so nothing is
lost if parsing fails). Only the header block is read, and at most ``MAX_HEADER_BYTES`` of it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32

from mailparser.dates import parse_mail_date

#: Headers beyond this are ignored here; the full parse reports an over-long header block.
MAX_HEADER_BYTES = 256 * 1024
_END_OF_HEADERS = re.compile(rb"\r?\n\r?\n")
#: A line break that continues a folded header.
_FOLDING = re.compile(r"\r?\n(?=[ \t])|\r(?=[ \t])")


@dataclass(frozen=True)
class Peek:
    message_id: str | None
    #: Topmost ``Received:`` timestamp, else ``Date:``; ``None`` when neither parses.
    received_at: dt.datetime | None
    #: The ``Date:`` header, when it parses.
    date: dt.datetime | None


def header_block(raw: bytes) -> bytes:
    """The header block of ``raw`` (without the blank line), bounded."""
    window = raw[:MAX_HEADER_BYTES]
    match = _END_OF_HEADERS.search(window)
    return window[: match.start()] if match else window


def peek(raw: bytes) -> Peek:
    """Message-ID, received time and Date of ``raw``; never raises."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(header_block(raw) + b"\r\n\r\n")
        message_id = _clean_message_id(headers.get("Message-ID"))
        date = parse_date(headers.get("Date"))
        received = None
        for value in headers.get_all("Received") or []:
            received = received_time(value)
            break  # only the topmost (newest) hop counts
        return Peek(message_id, received or date, date)
    except Exception:
        return Peek(None, None, None)


def _clean_message_id(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text:
        return None
    match = re.search(r"<[^<>\s]{1,900}>", text)
    return match.group(0) if match else text[:998]


def parse_date(value: object) -> dt.datetime | None:
    """An RFC 5322 date as an aware UTC datetime, or ``None``.

    mail-parser's strict reader first, then the stdlib's lax one; "-0000" (UTC, local zone
    unknown) and a missing zone are read as UTC.
    """
    if value is None:
        return None
    text = _FOLDING.sub("", str(value)).strip()
    if not text or len(text) > 1024:
        return None
    try:
        strict = parse_mail_date(text).value
    except Exception:
        strict = None
    if isinstance(strict, dt.datetime) and strict.tzinfo is not None:
        return strict.astimezone(dt.UTC)
    try:
        lax = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if lax.tzinfo is None:
        lax = lax.replace(tzinfo=dt.UTC)
    try:
        return lax.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None


def received_time(value: object) -> dt.datetime | None:
    """The timestamp of one ``Received:`` header (after its last ';'), or ``None``."""
    stamp = _FOLDING.sub("", str(value)).rpartition(";")
    return parse_date(stamp[2]) if stamp[1] else None
