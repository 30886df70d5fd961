"""Raw message bytes → frozen :class:`Message` values, for the ledger and the form parsers.

:func:`parse_message` is the only entry point. It never raises and never loops without a bound:
whatever the bytes are, it returns a :class:`Message` holding as much as could be read, with
``warnings`` (oddities worth knowing) and ``problems`` (content that could not be read: the
pipeline marks the message failed, with these codes as the reason).

mail-parser (``mailparser.parse_from_bytes``) is the entry point for the MIME parse, and supplies
the address headers and the ``Date:``; the resulting :class:`email.message.Message` tree is then
walked here, iteratively, because a referral form can hide where mail-parser does not look: in an
unnamed part, behind a generic content type, in a forwarded message, in ``winmail.dat`` (TNEF,
unpacked with tnefparse) or in a zip.

Codes in ``warnings``/``problems`` name a part by its position in a depth-first walk of the MIME
tree, the top-level message being part 0 (so a simple ``multipart/mixed``'s first child is part
1, and a forwarded message's parts continue the same count). Something found inside a zip or a
``winmail.dat`` is reported against the MIME part that carried the container.

Problems (the message is marked failed): ``empty``, ``not-mail: no header block``, ``not-mail:
no mail headers``, ``header-too-large``, ``part-limit``, ``mime-too-deep``, ``mime-unreadable``,
``truncated-base64 part N``, ``truncated part N`` (the bytes end inside that file, before the
closing boundary), ``depth-limit part N``, ``forward-unreadable part N``, ``part-unreadable part
N``, ``attachment-limit part N``, ``zip-limit part N``, ``zip-unreadable part N``, ``tnef-limit
part N``, ``tnef-unreadable part N``, ``internal-error: <ExceptionType>`` (a bug here).
Warnings: ``header-8bit`` (top level) / ``header-8bit part N``, ``leading-blank-lines``,
``mime-header-truncated``, ``mailparser-failed`` (the stdlib tree was used instead),
``unknown-charset part N`` / ``header`` / ``filename part N``, ``charset-mismatch part N``,
``charset-missing part N``, ``invalid-content-type part N``, ``unknown-transfer-encoding part N``,
``base64-junk part N``, ``base64-data-after-padding part N``, ``boundary-recovered part N``,
``boundary-missing part N``, the stdlib's parse defects kebab-cased (``close-boundary-not-found
part N``, ``missing-header-body-separator part N``, ...), ``filename-unreadable part N``,
``filename-truncated part N``, ``zip-encrypted part N``, ``tnef-checksum part N``,
``tnef-no-attachments part N``, ``tnef-empty-attachment part N``, ``date-unreadable``,
``received-date-unreadable``. Each list keeps its first 50 distinct codes, then ``more``.

PRIVACY: this data is about children at risk. Codes are fixed strings plus part numbers and
never carry a filename, subject, address or any other text from the message; the log gets counts
and codes only.

Bounds, so hostile input stays roughly linear: a header block over ``Limits.max_header_bytes``
is cut; a ``Content-Type``/``Content-Disposition`` longer than :data:`_MAX_MIME_HEADER` is cut
(the stdlib parameter parser is quadratic on those); a message whose multipart nesting times its
line count (the stdlib parser checks every line against every open boundary) or whose part count
is absurd is read for its headers only; TNEF is dry-run against a step budget before tnefparse
sees it (tnefparse trusts 32-bit counts from the data); zip members are read against the
per-message ``Limits.max_unpacked_bytes`` budget. HTML is turned into text by a linear scanner.
"""

from __future__ import annotations

import binascii
import codecs
import hashlib
import html
import io
import logging
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message as EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from typing import Any

import mailparser
from mailparser.exceptions import MailParserRecursionError
from tnefparse.codepage import Codepage
from tnefparse.tnef import TNEF

from intake.headers import parse_date, received_time

__all__ = ["Attachment", "Limits", "Message", "parse_message"]

log = logging.getLogger("intake.messages")

# mail-parser logs header values, filenames and content types (DEBUG to ERROR: an undecodable
# header is logged whole at ERROR, an unknown part subtype at WARNING) and tnefparse logs MAPI
# property values and decode errors. This mail is about children at risk and none of it may reach
# a log sink, so both libraries' loggers are raised above CRITICAL (they have no CRITICAL calls).
# The known child loggers are set too, in case logging config gives one of them its own level.
# (tnefparse logs under its package name from every module; mail-parser under module names.)
for _quiet in ("mailparser", "mailparser.core", "mailparser.utils", "tnefparse"):
    logging.getLogger(_quiet).setLevel(logging.CRITICAL + 1)


@dataclass(frozen=True)
class Limits:
    """Per-message caps; going over one is a problem, never an exception."""

    #: Per message, counting everything unpacked (zip members, TNEF members, forwarded parts).
    max_attachments: int = 200
    #: Nesting of forwarded messages / zips / winmail.dat (each level counts one).
    max_depth: int = 5
    #: Members read from one zip.
    max_zip_members: int = 100
    #: Total bytes decompressed from zips and TNEF per message (zip-bomb guard).
    max_unpacked_bytes: int = 200 * 1024 * 1024
    #: A header block larger than this is a problem; the headers are truncated to it.
    max_header_bytes: int = 256 * 1024


@dataclass(frozen=True)
class Attachment:
    """One file found in a message, wherever it was hiding."""

    #: As sent (RFC 2231 / encoded-word decoded), or made up, e.g. ``attachment-2.docx``.
    filename: str
    #: Lower-case; the sniffed type when the declared one is generic.
    content_type: str
    size: int
    #: Hex SHA-256 of ``data``.
    sha256: str
    data: bytes = field(repr=False)
    #: ``""`` for a direct part of the message, else the container path, e.g. ``forwarded-1``,
    #: ``forwarded-1/winmail.dat``, ``bundle.zip``.
    origin: str
    #: ``Content-Disposition: inline``.
    inline: bool
    #: True when ``filename`` was made up here.
    derived_name: bool


@dataclass(frozen=True)
class Message:
    """What could be read from one message; ``problems`` non-empty means it failed."""

    message_id: str | None
    subject: str
    from_: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    date: datetime | None
    received_at: datetime | None
    text: str = field(repr=False)
    attachments: tuple[Attachment, ...]
    warnings: tuple[str, ...]
    problems: tuple[str, ...]
    #: The thread this message answers: its In-Reply-To and References message ids.
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()


# --- constants ------------------------------------------------------------------------------

PDF = "application/pdf"
DOC = "application/msword"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
RTF = "application/rtf"
ZIP = "application/zip"
TNEF_TYPE = "application/ms-tnef"
OCTET = "application/octet-stream"

#: A message id in In-Reply-To / References: ``<local@domain>``.
_MSGID = re.compile(r"<[^<>\s]{1,996}>")
#: The newest references kept: enough to link a reply to its referral, bounded for hostile mail.
_MAX_REFERENCES = 20

_GENERIC_TYPES = frozenset(
    {
        "",
        OCTET,
        "application/x-download",
        "application/download",
        "application/force-download",
        "application/unknown",
        "application/x-unknown",
        "application/binary",
        "binary/octet-stream",
    }
)
_SIGNATURE_TYPES = frozenset(
    {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
)
_TNEF_TYPES = frozenset({TNEF_TYPE, "application/vnd.ms-tnef"})
_ZIP_TYPES = frozenset({ZIP, "application/x-zip-compressed", "application/x-zip"})
#: Types that make an unnamed part an attachment.
_DOCUMENT_TYPES = frozenset(
    {PDF, DOC, DOCX, ODT, RTF, "text/rtf", "application/x-rtf", *_ZIP_TYPES, *_TNEF_TYPES}
)
_BODY_TYPES = frozenset({"text/plain", "text/html"})
_KNOWN_ENCODINGS = frozenset(
    {"", "7bit", "8bit", "binary", "quoted-printable", "x-uuencode", "uuencode", "x-uue", "uue"}
)

_EXT_BY_TYPE = {
    PDF: "pdf",
    DOC: "doc",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
    ODT: "odt",
    RTF: "rtf",
    "text/rtf": "rtf",
    "application/x-rtf": "rtf",
    ZIP: "zip",
    "application/x-zip-compressed": "zip",
    "application/x-zip": "zip",
    TNEF_TYPE: "dat",
    "application/vnd.ms-tnef": "dat",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-outlook": "msg",
    "text/plain": "txt",
    "text/html": "html",
    "text/csv": "csv",
    "text/calendar": "ics",
    "message/rfc822": "eml",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
}
# Our own table, not the mimetypes module: that reads /etc/mime.types, which differs by host.
_TYPE_BY_EXT = {
    "pdf": PDF,
    "doc": DOC,
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "odt": ODT,
    "rtf": RTF,
    "zip": ZIP,
    "xls": "application/vnd.ms-excel",
    "msg": "application/vnd.ms-outlook",
    "txt": "text/plain",
    "htm": "text/html",
    "html": "text/html",
    "csv": "text/csv",
    "ics": "text/calendar",
    "eml": "message/rfc822",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TNEF_MAGIC = b"\x78\x9f\x3e\x22"

#: A Content-Type/-Disposition longer than this is cut before parsing (the stdlib's parameter
#: splitter re-slices the value per ``;``, which is quadratic).
_MAX_MIME_HEADER = 8 * 1024
#: Upper bound on MIME parts walked.
_MAX_PARTS = 10_000
#: Upper bound on boundary tests (lines × multiparts open around them, see _boundary_checks): the
#: stdlib parser tests each line against every open boundary, so nesting × lines is quadratic.
_MAX_BOUNDARY_CHECKS = 10_000_000
#: Distinct warning (and problem) codes kept per message; then a final "more".
_MAX_CODES = 50
#: Boundary recoveries per message (each re-parses a part).
_MAX_RECOVERIES = 8
#: Zip central directories larger than this are not opened (see _zip_directory_too_big).
_MAX_ZIP_DIRECTORY = 1024 * 1024
#: Filenames longer than this are cut (keeping the extension).
_MAX_FILENAME = 255
#: Zip members inflating more than this ratio, once over _BOMB_MIN_SIZE, are refused as bombs.
_BOMB_RATIO = 200
_BOMB_MIN_SIZE = 1024 * 1024
#: TNEF dry-run budget: property/value steps, objects, and bytes tnefparse copies (it slices the
#: remaining data once per object), plus nesting of embedded messages.
_TNEF_MAX_STEPS = 200_000
_TNEF_MAX_OBJECTS = 4_000
_TNEF_MAX_COPIED = 2_000_000_000
_TNEF_MAX_EMBED = 3

#: Codecs that are not plain charsets, or are slow on hostile input (punycode is quadratic).
_REFUSED_CODECS = frozenset(
    {"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined", "utf-7"}
)

_BOUNDARY_EVENT = re.compile(
    rb'(?im)boundary[ \t]*=[ \t]*"?([^"\s;]{1,200})|^--([^\s]{1,200}?)--[ \t]*\r?$'
)
_HEADER_END = re.compile(rb"\r?\n\r?\n|\r\r")
_HEADER_LINE = re.compile(rb"[\x21-\x39\x3b-\x7e]+[ \t]*:")
#: A Content-Type/-Disposition header name, matched at the start of the buffer.
_MIME_HEADER = re.compile(rb"(?i)content-(?:type|disposition)[ \t]*:")
#: The same header at the start of any line but the first. The literal "\n" in front lets the
#: regex engine skip from newline to newline at C speed; "(?im)^content-..." tries every offset
#: of the buffer instead (a case-insensitive pattern has no literal prefix to search for), which
#: cost ~1 ms per 150 KB base64 attachment.
_MIME_HEADER_LINE = re.compile(rb"(?i)\ncontent-(?:type|disposition)[ \t]*:")
#: The newline that ends a (possibly folded) header: the first one not followed by a space or tab.
_HEADER_LINE_END = re.compile(rb"\n(?![ \t])")
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,64})\?([bBqQ])\?([^?\s]*)\?=")
_FOLDING = re.compile(r"\r?\n(?=[ \t])|\r(?=[ \t])")
_RECOVER_BOUNDARY = re.compile(rb"(?m)^--([^\s\"]{1,200})[ \t]*\r?\n[\x21-\x39\x3b-\x7e]+[ \t]*:")
_TAG_NAME = re.compile(r"/?([a-zA-Z][a-zA-Z0-9]{0,15})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_B64_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_B64_JUNK = bytes(sorted(set(range(256)) - set(_B64_CHARS)))
_BLOCK_TAGS = frozenset(
    {"br", "p", "div", "tr", "li", "table", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4"}
    | {"h5", "h6", "ul", "ol", "dl", "dt", "dd", "section", "article", "header", "footer"}
)
_MAIL_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "date",
        "subject",
        "message-id",
        "received",
        "mime-version",
        "content-type",
        "sender",
        "return-path",
        "reply-to",
        "delivered-to",
    }
)


# --- small helpers ----------------------------------------------------------------------------


def _clean(text: str) -> str:
    """A string safe for any UTF-8 sink: lone surrogates and NULs become U+FFFD."""
    if text.isascii():
        return text.replace("\x00", "\ufffd")
    return (
        text.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\x00", "\ufffd")
    )


def _wire_bytes(value: str) -> bytes:
    """Undo the stdlib's ``surrogateescape`` decoding of header/payload octets."""
    return value.encode("utf-8", "surrogateescape")


def _codec(charset: str | None) -> str | None:
    """The Python codec for a MIME charset name, or None when unknown or refused."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").split("*", 1)[0].strip().lower()
    if not name or len(name) > 64:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    canonical = info.name.replace("_", "-")
    if canonical in _REFUSED_CODECS or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode text with a fallback; returns the text and a warning code (or None)."""
    if charset:
        codec = _codec(charset)
        if codec is None:
            try:
                return data.decode("utf-8"), "unknown-charset"
            except UnicodeDecodeError:
                return data.decode("cp1252", "replace"), "unknown-charset"
        try:
            return data.decode(codec), None
        except UnicodeDecodeError:
            try:
                return data.decode("utf-8"), "charset-mismatch"
            except UnicodeDecodeError:
                return data.decode(codec, "replace"), "charset-mismatch"
        except Exception:  # a codec with odd failure modes (e.g. some CJK codecs)
            return data.decode("utf-8", "replace"), "charset-mismatch"
    if data.isascii():
        return data.decode("ascii"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace"), "charset-missing"


def _decode_words(text: str) -> tuple[str, bool]:
    """Decode RFC 2047 encoded words (linear); returns text and whether a charset was unknown.

    Adjacent words in one charset are joined before decoding, so a character split across two
    words (common with UTF-8 in B encoding) survives; whitespace between them is dropped.
    """
    if "=?" not in text:
        return text, False
    out: list[str] = []
    pending = bytearray()
    pending_charset = ""
    unknown = False

    def flush() -> None:
        nonlocal unknown
        if not pending:
            return
        codec = _codec(pending_charset)
        if codec is None:
            unknown = True
            codec = "utf-8"
        try:
            out.append(bytes(pending).decode(codec, "replace"))
        except Exception:
            out.append(bytes(pending).decode("utf-8", "replace"))
        pending.clear()

    pos = 0
    after_word = False
    for match in _ENCODED_WORD.finditer(text):
        between = text[pos : match.start()]
        charset, kind, payload = match.groups()
        try:
            if kind in "bB":
                raw = payload.encode("ascii")
                data = binascii.a2b_base64(raw + b"=" * (-len(raw) % 4))
            else:
                data = binascii.a2b_qp(payload.replace("_", " ").encode("ascii"), header=True)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            flush()
            out.append(between + match.group(0))
            pos = match.end()
            after_word = False
            continue
        if not (after_word and (between == "" or between.isspace())):
            flush()
            out.append(between)
        elif charset.lower() != pending_charset.lower():
            flush()
        pending_charset = charset
        pending.extend(data)
        pos = match.end()
        after_word = True
    flush()
    out.append(text[pos:])
    return "".join(out), unknown


def _header_text(raw: str) -> tuple[str, bool, bool]:
    """Raw header value → display text; returns text, had 8-bit octets, had unknown charset."""
    value = _FOLDING.sub("", raw)
    eight_bit = False
    if not value.isascii():
        eight_bit = True
        octets = _wire_bytes(value) if _has_surrogates(value) else value.encode("utf-8")
        try:
            value = octets.decode("utf-8")
        except UnicodeDecodeError:
            value = octets.decode("cp1252", "replace")
    text, unknown = _decode_words(value)
    return _clean(text.strip()), eight_bit, unknown


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _raw_headers(part: EmailMessage) -> dict[str, list[str]]:
    """Lower-cased name → raw values (str, 8-bit octets as surrogates), in order."""
    headers: dict[str, list[str]] = {}
    for name, value in part.raw_items():
        headers.setdefault(str(name).lower(), []).append(str(value))
    return headers


def _html_to_text(src: str) -> str:
    """Tags out, entities decoded, block tags as line breaks. One pass, linear in ``src``."""
    lower = src.lower()
    out: list[str] = []
    pos = 0
    n = len(src)
    while pos < n:
        lt = src.find("<", pos)
        if lt < 0:
            out.append(src[pos:])
            break
        out.append(src[pos:lt])
        if src.startswith("<!--", lt):
            end = src.find("-->", lt + 4)
            pos = n if end < 0 else end + 3
            continue
        gt = src.find(">", lt + 1)
        if gt < 0:
            out.append(src[lt:])
            break
        match = _TAG_NAME.match(src, lt + 1, gt)
        name = match.group(1).lower() if match else ""
        closing = src.startswith("</", lt)
        pos = gt + 1
        if name in ("script", "style", "head", "title") and not closing:
            end = lower.find("</" + name, pos)
            if end < 0:
                pos = n
            else:
                close = src.find(">", end)
                pos = n if close < 0 else close + 1
            continue
        if name in _BLOCK_TAGS:
            out.append("\n")
        elif name in ("td", "th"):
            out.append(" ")
    text = html.unescape("".join(out)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    result: list[str] = []
    for line in lines:
        if line or (result and result[-1]):
            result.append(line)
    return "\n".join(result).strip()


def _decode_base64(payload: str) -> tuple[bytes, list[str]]:
    """Decode a base64 body, reporting junk and truncation (missing/short final quantum)."""
    notes: list[str] = []
    raw = _wire_bytes(payload) if not payload.isascii() else payload.encode("ascii")
    # Fast path for well-formed base64 (nearly every attachment): one pass to drop line breaks,
    # then a strict decode, which fails on any byte outside the alphabet, i.e. on what the
    # general path below calls junk. With whole quanta and padding ("=" or "==") only at the
    # very end there is nothing to report, and the bytes are what the general path would decode.
    # (Strict mode alone is not enough: it accepts "AAAA=", which the general path reports.)
    stripped = raw.translate(None, b" \t\r\n")
    eq = stripped.find(b"=")
    if len(stripped) % 4 == 0 and (eq < 0 or stripped[eq:] in (b"=", b"==")):
        try:
            return binascii.a2b_base64(stripped, strict_mode=True), notes
        except binascii.Error:
            pass  # junk in it: the general path says so
    cleaned = raw.translate(None, _B64_JUNK)
    if len(cleaned) != len(stripped):
        notes.append("base64-junk")
    eq = cleaned.find(b"=")
    if eq < 0:
        body, padding = cleaned, b""
    else:
        body, padding = cleaned[:eq], cleaned[eq:]
        rest = padding.lstrip(b"=")
        if rest:
            # More data after padding: concatenated encodings. Decode the pieces one by one.
            notes.append("base64-data-after-padding")
            pieces = [p for p in re.split(rb"=+", cleaned) if p]
            out = bytearray()
            for piece in pieces:
                usable = len(piece) - len(piece) % 4 if len(piece) % 4 == 1 else len(piece)
                chunk = piece[:usable]
                try:
                    out += binascii.a2b_base64(chunk + b"=" * (-len(chunk) % 4))
                except binascii.Error:
                    notes.append("truncated-base64")
            if len(pieces[-1]) % 4:
                notes.append("truncated-base64")
            return bytes(out), notes
    remainder = len(body) % 4
    if remainder == 0:
        if padding:
            notes.append("base64-junk")
        data_in = body
    elif remainder == 1:
        notes.append("truncated-base64")
        data_in = body[:-1]
    else:
        if len(padding) != 4 - remainder:
            notes.append("truncated-base64")
        data_in = body + b"=" * (4 - remainder)
    try:
        return binascii.a2b_base64(data_in), notes
    except binascii.Error:
        notes.append("truncated-base64")
        return b"", notes


def _too_costly_to_parse(raw: bytes) -> bool:
    """Whether the stdlib parser would do too much boundary work on ``raw`` (see _MAX_PARTS,
    _MAX_BOUNDARY_CHECKS); then only the headers are read.

    The exact measures, :func:`_boundary_checks` and ``raw.count(b"\\n--")``, are scans that
    cost more than the rest of our own work on a message with a large base64 attachment. Both
    have upper bounds that one-byte ``bytes.count`` calls (a tight C loop) give, and base64 has
    no ``-`` and almost no ``=``, so for ordinary mail the bounds settle it; only a message whose
    bound is over the limit pays for the exact measure. The answer is the exact one either way.
    """
    # Every "\n--" holds two "-" of its own.
    if raw.count(b"-") // 2 > 2 * _MAX_PARTS and raw.count(b"\n--") > 2 * _MAX_PARTS:
        return True
    return _boundary_checks_over(raw, _MAX_BOUNDARY_CHECKS)


def _boundary_checks_over(raw: bytes, limit: int) -> bool:
    """``_boundary_checks(raw) > limit``, from cheap upper bounds when they suffice.

    _boundary_checks counts each line once per boundary declared before it and not yet closed,
    so it is at most lines × declarations. Every declaration it counts holds a "=" and starts
    with "boundary" (in any case), and there are no more lines than bytes.
    """
    if len(raw) * raw.count(b"=") <= limit:  # one C pass; enough for all but huge or QP mail
        return False
    if raw.count(b"\n") * raw.lower().count(b"boundary") <= limit:
        return False
    return _boundary_checks(raw) > limit


def _boundary_checks(raw: bytes) -> int:
    """Estimate how many boundary tests the stdlib parser makes: each line is tested against
    every multipart still open. Linear in ``raw``: one pass over declarations and closings
    (a regex scan over the whole buffer, over 10x slower than a ``bytes.count``; see
    :func:`_boundary_checks_over`, which calls this only when its bounds do not settle it)."""
    open_boundaries: list[bytes] = []
    total = 0
    last = 0
    for match in _BOUNDARY_EVENT.finditer(raw):
        if open_boundaries:
            total += raw.count(b"\n", last, match.start()) * len(open_boundaries)
        last = match.start()
        declared, closed = match.group(1), match.group(2)
        if declared is not None:
            open_boundaries.append(declared)
        elif closed in open_boundaries:
            del open_boundaries[open_boundaries.index(closed) :]
    if open_boundaries:
        total += raw.count(b"\n", last) * len(open_boundaries)
    return total


def _mime_headers(raw: bytes) -> Iterator[tuple[int, int]]:
    """(start, end of the name and colon) of each line that starts a Content-Type or
    Content-Disposition header: ``(?im)^content-...`` without its per-offset cost."""
    first = _MIME_HEADER.match(raw)
    if first:
        yield 0, first.end()
    for match in _MIME_HEADER_LINE.finditer(raw):
        yield match.start() + 1, match.end()


def _cut_header_block(raw: bytes, header_size: int, body_at: int | None, limit: int) -> bytes:
    """Keep the header lines that fit in ``limit`` (each cut to an eighth of it), then the body.

    An over-long line is shortened rather than dropped, so one endless header does not cost
    the Subject or Message-ID after it.
    """
    line_cap = max(1024, limit // 8)
    kept: list[bytes] = []
    total = 0
    pos = 0
    while pos < header_size:
        newline = raw.find(b"\n", pos, header_size)
        line_end = header_size if newline < 0 else newline + 1
        if line_end - pos > line_cap:
            ending = b"\r\n" if raw[line_end - 2 : line_end] == b"\r\n" else b"\n"
            line = raw[pos : pos + line_cap].rstrip(b"\r\n") + ending
        else:
            line = raw[pos:line_end]
        if total + len(line) > limit:
            break
        kept.append(line)
        total += len(line)
        pos = line_end
    head = b"".join(kept)
    if head and not head.endswith(b"\n"):
        head += b"\n"
    return head + b"\n" + (raw[body_at:] if body_at is not None else b"")


def _zip_directory_too_big(data: bytes) -> bool:
    """Whether the zip's central directory (per its end record) is too big to open cheaply.

    zipfile builds an object per directory entry when it opens an archive, so a few MB of
    directory are seconds of work; a referral bundle's is a few KB. Zip64 sizes count as big.
    """
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return False  # no end record: zipfile fails fast on its own
    size = int(struct.unpack_from("<I", data, at + 12)[0])
    return size == 0xFFFFFFFF or size > _MAX_ZIP_DIRECTORY


def _zip_names(data: bytes) -> list[str] | None:
    if _zip_directory_too_big(data):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()[:_MAX_PARTS]
    except Exception:
        return None


def _sniff(data: bytes) -> str | None:
    """Content type from the first bytes, for the types that matter here."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if names is None:
            return DOCX if b"word/" in data[:65536] else ZIP
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
        if any(n.startswith("ppt/") for n in names):
            return PPTX
        # ODF stores its type uncompressed as the first member, named "mimetype".
        if data[30:38] == b"mimetype" and data[38 : 38 + len(ODT)] == ODT.encode():
            return ODT
        return ZIP
    if data.startswith(_OLE_MAGIC):
        if "WordDocument".encode("utf-16-le") in data:
            return DOC
        if "__substg1.0_".encode("utf-16-le") in data:
            return "application/vnd.ms-outlook"
        if "Workbook".encode("utf-16-le") in data:
            return "application/vnd.ms-excel"
        return DOC
    if data.startswith(b"{\\rtf"):
        return RTF
    if data.startswith(_TNEF_MAGIC):
        return TNEF_TYPE
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:1024].find(b"%PDF-") >= 0:  # readers accept junk before the header
        return PDF
    return None


def _type_by_name(filename: str) -> str | None:
    _, dot, ext = filename.rpartition(".")
    return _TYPE_BY_EXT.get(ext.lower()) if dot else None


def _clip_filename(name: str) -> str:
    if len(name) <= _MAX_FILENAME:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and 0 < len(ext) <= 16:
        return stem[: _MAX_FILENAME - len(ext) - 1] + "." + ext
    return name[:_MAX_FILENAME]


def _join(origin: str, name: str) -> str:
    return f"{origin}/{name}" if origin else name


def _is_tnef(filename: str, content_type: str, data: bytes) -> bool:
    return (
        content_type in _TNEF_TYPES
        or filename.lower().endswith("winmail.dat")
        or data.startswith(_TNEF_MAGIC)
    )


def _is_zip(filename: str, content_type: str, sniffed: str | None) -> bool:
    """A zip to unpack: declared or named as one, and not an OOXML/ODF document (also zips)."""
    if content_type in _ZIP_TYPES:
        return sniffed in (ZIP, None)
    return sniffed == ZIP and filename.lower().endswith(".zip")


# --- TNEF dry run ---------------------------------------------------------------------------


class _TnefTooBig(Exception):
    """The TNEF would take tnefparse more work than the budget allows."""


class _TnefStops(Exception):
    """tnefparse would raise here and stop the whole parse."""


class _MapiStops(Exception):
    """tnefparse's decode_mapi would catch an error here and return what it had."""


_ATT_MAPIPROPS = 0x9003
_ATT_RECIPTABLE = 0x9004
_ATT_ATTACHMENT = 0x9005
_ATT_OEMCODEPAGE = 0x9007
_ATT_ATTACHRENDDATA = 0x9002
_MAPI_ATTACH_DATA_OBJ = 0x3701
_IMESSAGE_SIG = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"
_MAPI_FIXED = {0x0002: 2, 0x000B: 2, 0x0003: 4, 0x0004: 4, 0x000A: 4, 0x0048: 16}
_MAPI_FIXED.update(dict.fromkeys((0x0005, 0x0007, 0x0006, 0x0014, 0x0040), 8))
_MAPI_VARIABLE = frozenset({0x001E, 0x001F, 0x000D, 0x0102, 0x0000})


class _TnefDryRun:
    """Walks TNEF the way tnefparse 1.4 will, counting work instead of building objects.

    tnefparse reads 32-bit property and value counts from the data and loops over them even
    past the end of the buffer, and re-slices the rest of the stream once per attribute, so a
    few hostile bytes can keep it busy for hours. This mirrors its offset arithmetic closely
    enough to know how far it would loop; anything over budget is refused before it runs.
    Where tnefparse would stop with an error, this stops too (or, where unsure, carries on:
    walking more than tnefparse would only makes the estimate conservative).
    """

    def __init__(self) -> None:
        self.steps = 0
        self.objects = 0
        self.copied = 0
        #: An attribute claims more bytes than are left: the stream was cut short.
        self.truncated = False
        #: Attributes whose checksum does not match their data.
        self.bad_checksums = 0

    def _tick(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > _TNEF_MAX_STEPS:
            raise _TnefTooBig

    @staticmethod
    def _u16(data: bytes, offset: int, stop: type[Exception]) -> int:
        if offset + 2 > len(data):
            raise stop
        return int(struct.unpack_from("<H", data, offset)[0])

    @staticmethod
    def _u32(data: bytes, offset: int, stop: type[Exception]) -> int:
        if offset + 4 > len(data):
            raise stop
        return int(struct.unpack_from("<I", data, offset)[0])

    def stream(self, data: bytes, embedded: int = 0) -> None:
        """Raise _TnefTooBig if tnefparse.TNEF(data) would exceed the budget."""
        if embedded > _TNEF_MAX_EMBED:
            raise _TnefTooBig
        try:
            self._stream(data, embedded)
        except _TnefStops:
            return

    def _stream(self, data: bytes, embedded: int) -> None:
        if self._u32(data, 0, _TnefStops) != 0x223E9F78:
            return
        self._u16(data, 4, _TnefStops)
        codepage: str | None = None
        attachment_codepage: str | None = None
        have_attachment = False
        offset = 6
        n = len(data)
        while offset + 12 < n:
            self.objects += 1
            self.copied += n - offset
            if self.objects > _TNEF_MAX_OBJECTS or self.copied > _TNEF_MAX_COPIED:
                raise _TnefTooBig
            level = data[offset]
            name = self._u16(data, offset + 1, _TnefStops)
            kind = self._u16(data, offset + 3, _TnefStops)
            declared = self._u32(data, offset + 5, _TnefStops) + 11
            length = min(n - offset, declared)
            body = data[offset + 9 : offset + length - 2]
            if declared > n - offset:
                self.truncated = True
            elif sum(body) & 0xFFFF != self._u16(data, offset + length - 2, _TnefStops):
                self.bad_checksums += 1
            offset += length
            if name == _ATT_ATTACHRENDDATA:
                have_attachment = True
                attachment_codepage = codepage
            if level == 2:
                if not have_attachment:
                    return  # tnefparse: attachment referenced before assignment
                if name == _ATT_ATTACHMENT:
                    _, attrs = self.mapi(body, attachment_codepage, None)
                    for prop_name, prop_type, values in attrs:
                        if prop_name != _MAPI_ATTACH_DATA_OBJ:
                            continue
                        if prop_type not in (0x000D, 0x0102, 0x0000):
                            raise _TnefStops  # .data is not bytes: tnefparse raises
                        blob = b"".join(bytes(v).rstrip(b"\x00") for v in values)
                        if blob.startswith(_IMESSAGE_SIG):
                            self.stream(blob[len(_IMESSAGE_SIG) :], embedded + 1)
            elif name == _ATT_MAPIPROPS:
                self.mapi(body, codepage, None)
            elif name == _ATT_OEMCODEPAGE:
                codepage = Codepage(self._u32(body, 0, _TnefStops)).codepage()
            elif name == _ATT_RECIPTABLE and kind not in (0x1, 0x7):
                rows = self._u32(body, 0, _TnefStops)
                row_offset = 4
                for _ in range(rows):
                    self._tick()
                    row_offset, _ = self.mapi(body, codepage, row_offset)

    def mapi(
        self, data: bytes, codepage: str | None, start: int | None
    ) -> tuple[int, list[tuple[int, int, list[bytes]]]]:
        """Mirror of tnefparse.mapi.decode_mapi: the end offset and (name, type, raw values)."""
        n = len(data)
        offset = start or 0
        count = self._u32(data, offset, _TnefStops)  # outside decode_mapi's try: stops all
        offset += 4
        attrs: list[tuple[int, int, list[bytes]]] = []
        try:
            index = 0
            while index < count:
                if offset >= n:
                    self._tick(count - index)  # the rest are logged and skipped, one by one
                    break
                self._tick()
                prop_type = self._u16(data, offset, _MapiStops)
                offset += 2
                prop_name = self._u16(data, offset, _MapiStops)
                offset += 2
                if prop_name >= 0x8000:
                    if offset + 16 > n:
                        raise _MapiStops
                    offset += 16
                    guid_kind = self._u32(data, offset, _MapiStops)
                    offset += 4
                    if guid_kind == 0:
                        self._u32(data, offset, _MapiStops)
                        offset += 4
                    else:
                        id_len = self._u32(data, offset, _MapiStops)
                        offset += 4
                        id_len += -id_len % 4
                        try:
                            data[offset : offset + id_len].decode("utf-16")
                        except Exception as err:
                            raise _MapiStops from err
                        offset += id_len
                values_count: int | None = None
                if prop_type & 0x1000:
                    prop_type ^= 0x1000
                    values_count = self._u32(data, offset, _MapiStops)
                    offset += 4
                repeat = values_count or 1
                done = 0
                while done < repeat:
                    size = _MAPI_FIXED.get(prop_type)
                    if size is not None and offset >= n:
                        # Past the end, fixed-size values slice empty bytes without failing.
                        self._tick(repeat - done)
                        offset += size * (repeat - done)
                        break
                    self._tick()
                    offset, values = self._property(data, offset, prop_type, codepage, values_count)
                    attrs.append((prop_name, prop_type, values))
                    done += 1
                if repeat % 2 and prop_type in (0x0002, 0x000B):
                    offset += 2
                index += 1
        except _MapiStops:
            pass
        return offset, attrs

    def _property(
        self, data: bytes, offset: int, prop_type: int, codepage: str | None, multi: int | None
    ) -> tuple[int, list[bytes]]:
        size = _MAPI_FIXED.get(prop_type)
        if size is not None:
            return offset + size, [data[offset : offset + size]]
        if prop_type not in _MAPI_VARIABLE:
            raise _MapiStops
        if multi:
            count = 1
        else:
            count = self._u32(data, offset, _MapiStops)
            offset += 4
        values: list[bytes] = []
        for _ in range(count):
            self._tick()
            length = self._u32(data, offset, _MapiStops)
            offset += 4
            length += -length % 4
            item = data[offset : offset + length]
            try:
                if prop_type == 0x001F:
                    item.decode("utf-16")
                elif prop_type == 0x001E:
                    item.decode(codepage)  # type: ignore[arg-type]  # None fails, as there
            except Exception as err:
                raise _MapiStops from err
            values.append(item)
            offset += length
        return offset, values


# --- the reader -----------------------------------------------------------------------------


def _record(codes: dict[str, None], code: str) -> None:
    """Add a code once, in order; past _MAX_CODES only a final "more" marker is kept."""
    if code in codes:
        return
    if len(codes) < _MAX_CODES:
        codes[code] = None
    else:
        codes["more"] = None


@dataclass
class _Found:
    """Everything collected while reading one message."""

    warnings: dict[str, None] = field(default_factory=dict)
    problems: dict[str, None] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.found = _Found()
        self.part_count = 0
        self.unpacked = 0
        self.recoveries = 0
        self.forwards: dict[str, int] = {}
        self.attachment_limit_hit = False
        #: The top-level multipart never saw its closing delimiter: the bytes end inside it.
        self.unclosed_at_end = False
        #: The last leaf part walked (the one the bytes end in), and whether it was a file.
        self.last_leaf: tuple[int, bool] | None = None

    # -- recording

    def warn(self, code: str, part: int | None = None) -> None:
        _record(self.found.warnings, code if part is None else f"{code} part {part}")

    def problem(self, code: str, part: int | None = None) -> None:
        _record(self.found.problems, code if part is None else f"{code} part {part}")

    # -- the whole message

    def read(self, raw: bytes) -> Message:
        if not raw or raw.isspace():  # i.e. not raw.strip(), without copying the message
            self.problem("empty")
            return self.result(None, {})
        prepared = self.prepare(raw)
        mail, tree, complete = self.parse(prepared)
        headers = _raw_headers(tree) if tree is not None else {}
        if not headers:
            self.problem("not-mail: no header block")
        elif not _MAIL_HEADERS.intersection(headers):
            self.problem("not-mail: no mail headers")
        elif tree is not None and complete:
            self.walk(tree)
        return self.result(mail, headers)

    def prepare(self, raw: bytes) -> bytes:
        """Bound the header block and the MIME headers the stdlib parses quadratically."""
        if raw[:1] in (b"\r", b"\n"):
            raw = raw.lstrip(b"\r\n")
            self.warn("leading-blank-lines")
        limit = self.limits.max_header_bytes
        if not _HEADER_LINE.match(raw) and not raw.startswith(b"From "):
            return raw  # not mail; the parse finds no headers and says so
        end = _HEADER_END.search(raw)
        header_size = end.start() if end else len(raw)
        if header_size > limit:
            self.problem("header-too-large")
            raw = _cut_header_block(raw, header_size, end.end() if end else None, limit)
            end = _HEADER_END.search(raw)
            header_size = end.start() if end else len(raw)
        if not raw[:header_size].isascii():
            self.warn("header-8bit")
        return self.cut_mime_headers(raw)

    def cut_mime_headers(self, raw: bytes) -> bytes:
        """Cut every Content-Type/-Disposition line (with its folded continuation) that is
        longer than _MAX_MIME_HEADER, wherever it is (the parser may read any line as a header).

        Both the header starts and their ends are found by regex searches, so the bytes are
        scanned in C and Python only runs once per such header, not once per line.
        """
        pieces: list[bytes] = []
        pos = 0
        for start, name_end in _mime_headers(raw):
            if start < pos:
                continue
            newline = _HEADER_LINE_END.search(raw, name_end)
            end = newline.end() if newline else len(raw)
            if end - start > _MAX_MIME_HEADER:
                self.warn("mime-header-truncated")
                keep = raw[start : start + _MAX_MIME_HEADER // 2]
                pieces += [raw[pos:start], keep.replace(b"\r", b"").replace(b"\n", b" ")]
                pieces.append(b"\r\n" if raw[end - 2 : end] == b"\r\n" else b"\n")
                pos = end
        if not pieces:
            return raw
        pieces.append(raw[pos:])
        return b"".join(pieces)

    def parse(self, raw: bytes) -> tuple[Any, EmailMessage | None, bool]:
        """mail-parser over the bytes: (its result, the email tree, whether the tree is whole).

        Falls back to the stdlib tree when mail-parser fails, and to the headers alone when
        the MIME structure is too costly or too deep to parse.
        """
        if _too_costly_to_parse(raw):
            self.problem("part-limit")
            return None, self.headers_only(raw), False
        try:
            # No warnings.catch_warnings() here: mail-parser 4.8 raises no Python warnings (checked
            # under -W error over the corpus, truncations and mutations; the tests keep checking,
            # as pytest turns warnings into errors), and catch_warnings swaps process-global
            # state, which is unsafe if messages are ever parsed on threads. It does *log*
            # content; see the logger levels at the top of this module.
            mail = mailparser.parse_from_bytes(raw)
            tree = mail.message
            if isinstance(tree, EmailMessage):
                return mail, tree, True
        except MailParserRecursionError:
            self.problem("mime-too-deep")
            return None, self.headers_only(raw), False
        except Exception as err:
            # Seen: AttributeError when a nested multipart lacks its start boundary.
            log.debug("mail-parser failed: %s", type(err).__name__)
        self.warn("mailparser-failed")
        try:
            return None, message_from_bytes(raw), True
        except RecursionError:
            self.problem("mime-too-deep")
        except Exception:
            self.problem("mime-unreadable")
        return None, self.headers_only(raw), False

    @staticmethod
    def headers_only(raw: bytes) -> EmailMessage | None:
        try:
            return BytesParser().parsebytes(raw, headersonly=True)
        except Exception:
            return None

    def result(self, mail: Any, headers: dict[str, list[str]]) -> Message:
        def text_of(name: str) -> str:
            values = headers.get(name)
            if not values:
                return ""
            text, _, unknown = _header_text(values[0])
            if unknown:
                self.warn("unknown-charset header")
            return text

        message_id = text_of("message-id") or None
        subject = text_of("subject")
        thread = _MSGID.findall(text_of("in-reply-to"))
        references = tuple(dict.fromkeys(_MSGID.findall(text_of("references"))))[-_MAX_REFERENCES:]
        from_ = self.addresses(mail, headers, "from")
        date = self.date(mail, headers)
        received_at = None
        if headers.get("received"):
            received_at = received_time(headers["received"][0])
            if received_at is None:
                self.warn("received-date-unreadable")
        text = "\n\n".join(t.replace("\r\n", "\n").replace("\r", "\n") for t in self.found.plain)
        if not text.strip() and self.found.html:
            text = "\n\n".join(_html_to_text(h) for h in self.found.html)
        return Message(
            message_id=message_id,
            subject=subject,
            from_=from_[0] if from_ else "",
            to=self.addresses(mail, headers, "to"),
            cc=self.addresses(mail, headers, "cc"),
            date=date,
            received_at=received_at or date,
            text=_clean(text.strip()),
            attachments=tuple(self.found.attachments),
            warnings=tuple(self.found.warnings),
            problems=tuple(self.found.problems),
            in_reply_to=thread[0][:998] if thread else None,
            references=tuple(ref[:998] for ref in references),
        )

    def addresses(self, mail: Any, headers: dict[str, list[str]], name: str) -> tuple[str, ...]:
        """Lower-cased addr-specs: mail-parser's reading, or the stdlib's when it did not run.

        mail-parser leaves out items it finds ambiguous (an address-like display name with no
        angle-addr, say); that is deliberate, so its answer is kept even when empty.
        """
        pairs: list[Any] = []
        if name not in headers:
            return ()
        if mail is not None:
            try:
                found = getattr(mail, name if name != "from" else "from_")
            except Exception:
                found = None
            pairs = list(found) if isinstance(found, list) else []
        else:
            text = _header_text(headers[name][0])[0]
            try:
                pairs = getaddresses([text])
            except Exception:
                pairs = []
        out: list[str] = []
        for pair in pairs:
            if isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], str):
                address = _clean(pair[1].strip().lower())
                if address and address not in out:
                    out.append(address)
        return tuple(out)

    def date(self, mail: Any, headers: dict[str, list[str]]) -> datetime | None:
        if not headers.get("date"):
            return None
        value = getattr(mail, "date", None) if mail is not None else None
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(UTC)
        parsed = parse_date(headers["date"][0])
        if parsed is None:
            self.warn("date-unreadable")
        return parsed

    # -- the MIME tree

    def walk(self, root: EmailMessage) -> None:
        """Depth-first over the tree with an explicit stack (no recursion on hostile nesting)."""
        stack: list[tuple[EmailMessage, int, str]] = [(root, 0, "")]
        while stack:
            part, depth, origin = stack.pop()
            number = self.part_count
            self.part_count += 1
            if number >= _MAX_PARTS:
                self.problem("part-limit")
                return
            try:
                children = self.visit(part, number, depth, origin)
            except Exception as err:  # one bad part must not lose the rest
                log.debug("part failed: %s", type(err).__name__)
                self.problem("part-unreadable", number)
                continue
            stack.extend(reversed(children))
        self.check_cut_short()

    def check_cut_short(self) -> None:
        """A message that ends before its closing boundary, inside a file, lost the file's end.

        Truncated base64 usually shows as an incomplete last quantum, but a cut on a quantum
        boundary decodes cleanly; the missing closing delimiter is what gives it away.
        """
        if not self.unclosed_at_end or self.last_leaf is None:
            return
        number, was_file = self.last_leaf
        suffix = f" part {number}"
        if was_file and not any(p.endswith(suffix) for p in self.found.problems):
            self.problem("truncated", number)

    def visit(
        self, part: EmailMessage, number: int, depth: int, origin: str
    ) -> list[tuple[EmailMessage, int, str]]:
        headers = _raw_headers(part)
        if number > 0:
            for values in headers.values():
                if any(not v.isascii() for v in values):
                    self.warn("header-8bit", number)
                    break
        self.note_defects(part, number)
        declared = self.content_type(headers, number)
        effective = declared or part.get_default_type()
        if effective.startswith("multipart/"):
            payload = part.get_payload()
            if isinstance(payload, list):
                return [(p, depth, origin) for p in payload if isinstance(p, EmailMessage)]
            return self.recover(part, number, depth, origin)
        if effective in ("message/rfc822", "message/global"):
            return self.forwarded(part, number, depth, origin)
        self.leaf(part, headers, declared, effective, number, depth, origin)
        return []

    def note_defects(self, part: EmailMessage, number: int) -> None:
        for defect in part.defects:
            name = type(defect).__name__
            if number == 0 and name == "CloseBoundaryNotFoundDefect":
                self.unclosed_at_end = True
            if name in ("StartBoundaryNotFoundDefect", "NoBoundaryInMultipartDefect"):
                continue  # reported by recover()
            if name.startswith("InvalidBase64") or name == "MultipartInvariantViolationDefect":
                continue  # reported by our own decoder / by recover()
            code = re.sub(r"(?<!^)(?=[A-Z])", "-", name.removesuffix("Defect")).lower()
            self.warn(code, number)

    def content_type(self, headers: dict[str, list[str]], number: int) -> str:
        values = headers.get("content-type")
        if not values:
            return ""
        main = _FOLDING.sub("", values[0]).split(";", 1)[0].strip().lower()
        kind, slash, sub = main.partition("/")
        if not slash or not kind or not sub or "/" in sub or not main.isascii() or " " in main:
            self.warn("invalid-content-type", number)
            return ""
        return main

    def recover(
        self, part: EmailMessage, number: int, depth: int, origin: str
    ) -> list[tuple[EmailMessage, int, str]]:
        """A multipart whose boundary never appears: find the one actually used, if any."""
        body = part.get_payload(decode=True)
        data = body if isinstance(body, bytes) else b""
        match = _RECOVER_BOUNDARY.search(data) if self.recoveries < _MAX_RECOVERIES else None
        if match:
            self.recoveries += 1
            boundary = match.group(1)
            rebuilt = b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\n\n' + data
            try:
                container = message_from_bytes(rebuilt)
            except Exception:
                container = None
            if container is not None and isinstance(container.get_payload(), list):
                self.warn("boundary-recovered", number)
                if number == 0 and any(
                    type(d).__name__ == "CloseBoundaryNotFoundDefect" for d in container.defects
                ):
                    self.unclosed_at_end = True
                    self.warn("close-boundary-not-found", number)
                children = container.get_payload()
                return [(p, depth, origin) for p in children if isinstance(p, EmailMessage)]
        self.warn("boundary-missing", number)
        if not origin and data.strip():
            text, code = _decode_bytes(data, self.charset(part))
            if code:
                self.warn(code, number)
            self.found.plain.append(text)
        return []

    def forwarded(
        self, part: EmailMessage, number: int, depth: int, origin: str
    ) -> list[tuple[EmailMessage, int, str]]:
        index = self.forwards.get(origin, 0) + 1
        self.forwards[origin] = index
        name = _join(origin, f"forwarded-{index}")
        payload = part.get_payload()
        inner: EmailMessage | None = None
        if isinstance(payload, list) and payload and isinstance(payload[0], EmailMessage):
            inner = payload[0]
        else:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data.strip():
                try:
                    inner = message_from_bytes(data)
                except Exception:
                    inner = None
        if inner is None:
            self.problem("forward-unreadable", number)
            return []
        inner = self.encoded_forward(part, inner, number)
        if depth + 1 > self.limits.max_depth:
            # Not read further; the raw message in the ledger still has it.
            self.problem("depth-limit", number)
            return []
        return [(inner, depth + 1, name)]

    def encoded_forward(self, part: EmailMessage, inner: EmailMessage, number: int) -> EmailMessage:
        """A forwarded message sent base64/QP-encoded (against RFC 2046, but seen): the parser
        read the encoded text as a header-less message; decode it and parse again."""
        values = _raw_headers(part).get("content-transfer-encoding")
        encoding = _FOLDING.sub("", values[0]).strip().lower() if values else ""
        text = inner.get_payload()
        if (
            encoding not in ("base64", "quoted-printable")
            or len(inner)
            or not isinstance(text, str)
        ):
            return inner
        if encoding == "base64":
            data, notes = _decode_base64(text)
            if "truncated-base64" in notes:
                self.problem("truncated-base64", number)
        else:
            data = binascii.a2b_qp(_wire_bytes(text))
        try:
            return message_from_bytes(data)
        except Exception:
            self.problem("forward-unreadable", number)
            return inner

    def leaf(
        self,
        part: EmailMessage,
        headers: dict[str, list[str]],
        declared: str,
        effective: str,
        number: int,
        depth: int,
        origin: str,
    ) -> None:
        self.last_leaf = (number, False)
        if effective in _SIGNATURE_TYPES or part.is_multipart():
            return  # S/MIME signature; or a message/* holding header blocks (delivery status)
        disposition = self.disposition(headers)
        filename = self.filename(part, headers, number)
        if effective in _BODY_TYPES and filename is None and disposition != "attachment":
            if not origin:
                data = self.payload(part, headers, number)
                text, code = _decode_bytes(data, self.charset(part))
                if code:
                    self.warn(code, number)
                (self.found.plain if effective == "text/plain" else self.found.html).append(text)
            return
        data = self.payload(part, headers, number)
        sniffed = _sniff(data)
        is_document = effective in _DOCUMENT_TYPES or sniffed in _DOCUMENT_TYPES
        if filename is None and disposition != "attachment" and not is_document:
            return  # e.g. an unnamed inline logo
        if declared in _GENERIC_TYPES:
            content_type = sniffed or (filename and _type_by_name(filename)) or OCTET
        else:
            content_type = declared
        derived = filename is None
        if filename is None:
            filename = f"attachment-{number}.{_EXT_BY_TYPE.get(content_type, 'bin')}"
        self.last_leaf = (number, True)
        inline = disposition == "inline"
        self.add_file(data, filename, content_type, origin, inline, derived, number, depth, sniffed)

    @staticmethod
    def charset(part: EmailMessage) -> str | None:
        try:
            value = part.get_content_charset()
        except Exception:
            return "unknown"  # unreadable parameter: decoded with the unknown-charset fallback
        return value if isinstance(value, str) else None

    @staticmethod
    def disposition(headers: dict[str, list[str]]) -> str:
        values = headers.get("content-disposition")
        if not values:
            return ""
        return _FOLDING.sub("", values[0]).split(";", 1)[0].strip().lower()

    def filename(
        self, part: EmailMessage, headers: dict[str, list[str]], number: int
    ) -> str | None:
        """The decoded filename (RFC 2231, encoded words, raw 8-bit), or None."""
        view = EmailMessage()
        for name in ("content-type", "content-disposition"):
            for value in headers.get(name, ())[:1]:
                text = _FOLDING.sub("", value)
                if not text.isascii():
                    octets = _wire_bytes(text) if _has_surrogates(text) else text.encode()
                    try:
                        text = octets.decode("utf-8")
                    except UnicodeDecodeError:
                        text = octets.decode("cp1252", "replace")
                view[name] = text
        try:
            raw_name = view.get_filename()
        except Exception:
            self.warn("filename-unreadable", number)
            return None
        if not raw_name:
            return None
        name, unknown = _decode_words(str(raw_name))
        if unknown:
            self.warn("unknown-charset filename", number)
        name = _clean(_CONTROL.sub("", name).strip())
        if len(name) > _MAX_FILENAME:
            self.warn("filename-truncated", number)
            name = _clip_filename(name)
        return name or None

    def payload(self, part: EmailMessage, headers: dict[str, list[str]], number: int) -> bytes:
        values = headers.get("content-transfer-encoding")
        encoding = _FOLDING.sub("", values[0]).strip().lower() if values else ""
        if encoding == "base64":
            text = part.get_payload()
            if not isinstance(text, str):
                return b""
            data, notes = _decode_base64(text)
            for note in notes:
                if note == "truncated-base64":
                    self.problem(note, number)
                else:
                    self.warn(note, number)
            return data
        if encoding not in _KNOWN_ENCODINGS:
            self.warn("unknown-transfer-encoding", number)
        decoded = part.get_payload(decode=True)
        return decoded if isinstance(decoded, bytes) else b""

    # -- files and containers

    def add(
        self,
        data: bytes,
        filename: str,
        content_type: str,
        origin: str,
        inline: bool = False,
        derived: bool = False,
        number: int | None = None,
    ) -> None:
        if len(self.found.attachments) >= self.limits.max_attachments:
            if not self.attachment_limit_hit:
                self.attachment_limit_hit = True
                self.problem("attachment-limit", number)
            return
        self.found.attachments.append(
            Attachment(
                filename=filename,
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
                origin=origin,
                inline=inline,
                derived_name=derived,
            )
        )

    def add_file(
        self,
        data: bytes,
        filename: str,
        content_type: str,
        origin: str,
        inline: bool,
        derived: bool,
        number: int,
        depth: int,
        sniffed: str | None,
    ) -> None:
        """An attachment, unpacked when it is a container (winmail.dat, zip).

        ``sniffed`` is ``_sniff(data)``, passed in so a big file is sniffed once.
        """
        if _is_tnef(filename, content_type, data):
            if depth + 1 > self.limits.max_depth:
                self.problem("depth-limit", number)
            elif self.unpack_tnef(data, _join(origin, filename), number, depth + 1):
                return
            self.add(data, filename, content_type, origin, inline, derived, number)
            return
        self.add(data, filename, content_type, origin, inline, derived, number)
        if _is_zip(filename, content_type, sniffed):
            if sniffed is None:
                self.problem("zip-unreadable", number)
            elif depth + 1 > self.limits.max_depth:
                self.problem("depth-limit", number)
            else:
                self.unpack_zip(data, _join(origin, filename), number, depth + 1)

    def budget(self, size: int, number: int, code: str) -> bool:
        if self.unpacked + size > self.limits.max_unpacked_bytes:
            self.problem(code, number)
            return False
        self.unpacked += size
        return True

    def unpack_zip(self, data: bytes, origin: str, number: int, depth: int) -> None:
        if _zip_directory_too_big(data):
            self.problem("zip-limit", number)
            return
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except Exception:
            self.problem("zip-unreadable", number)
            return
        with archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) > self.limits.max_zip_members:
                self.problem("zip-limit", number)
                members = members[: self.limits.max_zip_members]
            for index, info in enumerate(members, start=1):
                if info.flag_bits & 0x1:
                    self.warn("zip-encrypted", number)
                    continue
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > _BOMB_MIN_SIZE and ratio > _BOMB_RATIO:
                    self.problem("zip-limit", number)
                    continue
                if not self.budget(info.file_size, number, "zip-limit"):
                    continue
                try:
                    with archive.open(info) as member:
                        content = member.read(info.file_size + 1)
                except Exception:
                    self.problem("zip-unreadable", number)
                    continue
                if len(content) > info.file_size:  # cannot happen with zipfile; belt and braces
                    self.problem("zip-limit", number)
                    continue
                name = _clip_filename(_clean(_CONTROL.sub("", info.filename)).strip())
                sniffed = _sniff(content)
                content_type = sniffed or _type_by_name(name) or OCTET
                derived = not name
                if derived:
                    name = f"attachment-{number}-{index}.{_EXT_BY_TYPE.get(content_type, 'bin')}"
                self.add_file(
                    content, name, content_type, origin, False, derived, number, depth, sniffed
                )

    def unpack_tnef(self, data: bytes, origin: str, number: int, depth: int) -> bool:
        """Add the files in a TNEF blob; False (with a problem) when it could not be read."""
        dry_run = _TnefDryRun()
        try:
            dry_run.stream(data)
        except _TnefTooBig:
            self.problem("tnef-limit", number)
            return False
        if dry_run.truncated:
            self.problem("tnef-unreadable", number)
            return False
        if dry_run.bad_checksums:
            self.warn("tnef-checksum", number)
        try:
            # Checksums were compared in the dry run (tnefparse would only log mismatches).
            tnef = TNEF(data, do_checksum=False)
        except Exception as err:
            log.debug("tnef failed: %s", type(err).__name__)
            self.problem("tnef-unreadable", number)
            return False
        if not tnef.attachments:
            self.warn("tnef-no-attachments", number)
        self.tnef_files(tnef, origin, number, depth, 0)
        return True

    def tnef_files(self, tnef: Any, origin: str, number: int, depth: int, level: int) -> None:
        for index, item in enumerate(tnef.attachments, start=1):
            name = self.tnef_name(item)
            derived = not name
            name = name or f"attachment-{number}-{index}"
            embed = getattr(item, "embed", None)
            if embed is not None:
                if level + 1 > _TNEF_MAX_EMBED or depth + 1 > self.limits.max_depth:
                    self.problem("depth-limit", number)
                else:
                    self.tnef_files(embed, _join(origin, name), number, depth + 1, level + 1)
                continue
            content = item.data if isinstance(item.data, bytes) else b""
            if not content:
                self.warn("tnef-empty-attachment", number)
                continue
            if not self.budget(len(content), number, "tnef-limit"):
                continue
            sniffed = _sniff(content)
            content_type = sniffed or _type_by_name(name) or self.tnef_mime(item) or OCTET
            if derived:
                name = f"{name}.{_EXT_BY_TYPE.get(content_type, 'bin')}"
            self.add_file(
                content, name, content_type, origin, False, derived, number, depth, sniffed
            )

    @staticmethod
    def tnef_name(item: Any) -> str:
        for attr in getattr(item, "mapi_attrs", ()):
            if getattr(attr, "name", None) == 0x3707:  # PidTagAttachLongFilename
                value = _tnef_value(attr)
                if isinstance(value, str) and value.strip("\x00 "):
                    return _clip_filename(_clean(_CONTROL.sub("", value)).strip())
        raw = getattr(item, "_name", b"")
        if isinstance(raw, bytes):
            text, _ = _decode_bytes(raw, getattr(item, "codepage", None) or "cp1252")
        else:
            text = str(raw)
        return _clip_filename(_clean(_CONTROL.sub("", text)).strip())

    @staticmethod
    def tnef_mime(item: Any) -> str | None:
        for attr in getattr(item, "mapi_attrs", ()):
            if getattr(attr, "name", None) == 0x370E:  # PidTagAttachMimeTag
                value = _tnef_value(attr)
                if isinstance(value, str):
                    main = value.strip("\x00 ").lower()
                    if main.count("/") == 1 and main.isascii() and len(main) < 128:
                        return main
        return None


def _tnef_value(attr: Any) -> object:
    """A tnefparse MAPI attribute's value (computed on access; can fail on odd types)."""
    try:
        return attr.data
    except Exception:
        return None


_DEFAULT_LIMITS = Limits()


def parse_message(raw: bytes, limits: Limits = _DEFAULT_LIMITS) -> Message:
    """Read one message. Never raises: what cannot be read is listed in ``problems``."""
    reader = _Reader(limits)
    try:
        message = reader.read(bytes(raw))
    except Exception as err:  # last resort: still a Message, marked failed
        log.warning("parse_message internal error: %s", type(err).__name__)
        reader.problem(f"internal-error: {type(err).__name__}")
        try:
            return reader.result(None, {})
        except Exception:
            return _empty(tuple(reader.found.warnings), tuple(reader.found.problems))
    log.debug(
        "parsed message: %d attachments, %d warnings, %d problems",
        len(message.attachments),
        len(message.warnings),
        len(message.problems),
    )
    return message


def _empty(warnings_: tuple[str, ...], problems: tuple[str, ...]) -> Message:
    return Message(None, "", "", (), (), None, None, "", (), warnings_, problems)
