"""Regenerate the golden mail corpus beside this file.

    uv run python tests/data/mail/build.py          # write every case
    uv run python tests/data/mail/build.py --check  # exit 1 if a committed file differs

Each case is ``<category>/<case>.eml`` plus ``<case>.expected.json``. The expectations are written
from what this script put into each message (the bytes of every attachment, the names it gave
them, the oddities it planted), never from the parser's output, so the golden test checks
``intake.messages.parse_message`` against an independent statement of what is in the file.

Everything here is synthetic and obviously fictional: ``example.org`` addresses, "Test Child"
names, ``ZZ99 9ZZ`` postcodes. Message-IDs, dates, boundaries and zip timestamps are fixed and
zips are stored (not deflated, whose output depends on the zlib build), so reruns are
byte-identical.

The winmail.dat case needs real TNEF, built by :func:`tnef_blob` from the published format
(MS-OXTNEF): the signature 0x223E9F78, a 16-bit key, then attributes, each a level byte, a 32-bit
attribute id (low word the id, high word the type), a 32-bit length, the data and a 16-bit
checksum (the sum of the data bytes). Attachment properties go in attAttachment as a MAPI
property list.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import random
import struct
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
CRLF = b"\r\n"
BASE_TIME = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

PDF = "application/pdf"
DOC = "application/msword"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"


# --- synthetic documents --------------------------------------------------------------------


def make_pdf(text: str) -> bytes:
    """A minimal one-page PDF showing ``text`` (ASCII), with a correct xref table."""
    content = b"BT /F1 12 Tf 72 770 Td (" + text.encode("ascii") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2025, 3, 3, 9, 0, 0))
    info.create_system = 3
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_STORED
    return info


def make_zip(members: Sequence[tuple[str, bytes]]) -> bytes:
    """A stored (uncompressed) zip with fixed timestamps: byte-identical on every host."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(_zip_info(name), data)
    return buffer.getvalue()


def make_docx(paragraphs: Sequence[str]) -> bytes:
    """The smallest package Word and python-docx open: content types, rels, one document."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    types = (
        head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        head + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    return make_zip(
        [
            ("[Content_Types].xml", types.encode()),
            ("_rels/.rels", rels.encode()),
            ("word/document.xml", document.encode()),
        ]
    )


def make_ole_doc() -> bytes:
    """Not a real Word 97 file: the OLE signature and a "WordDocument" stream name, for sniffing."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = "WordDocument".encode("utf-16-le").ljust(128, b"\x00")
    return header + entry + b"Fictional legacy referral form".ljust(384, b"\x00")


PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)
RTF = b"{\\rtf1\\ansi Fictional referral note for Test Child Alpha.\\par}"


# --- TNEF (our own encoder) -----------------------------------------------------------------


def _tnef_attribute(level: int, attr_id: int, attr_type: int, data: bytes) -> bytes:
    checksum = sum(data) & 0xFFFF
    return (
        struct.pack("<BHHI", level, attr_id, attr_type, len(data))
        + data
        + struct.pack("<H", checksum)
    )


def _mapi_string8(prop_id: int, value: str) -> bytes:
    """One PT_STRING8 (0x001E) MAPI property: type, id, value count, length, padded bytes."""
    raw = value.encode("cp1252") + b"\x00"
    return struct.pack("<HHII", 0x001E, prop_id, 1, len(raw)) + raw + bytes(-len(raw) % 4)


def tnef_blob(files: Sequence[tuple[str, str, bytes]], key: int = 0x5A5A) -> bytes:
    """TNEF carrying ``files`` as (long filename, MIME type, data) attachments."""
    level_message, level_attachment = 0x01, 0x02
    atp_string, atp_word, atp_byte, atp_dword = 0x0001, 0x0007, 0x0006, 0x0008
    out = bytearray(struct.pack("<IH", 0x223E9F78, key))
    # attTnefVersion, attOemCodepage (1252), attMessageClass
    out += _tnef_attribute(level_message, 0x9006, atp_dword, struct.pack("<I", 0x00010000))
    out += _tnef_attribute(level_message, 0x9007, atp_byte, struct.pack("<II", 1252, 0))
    out += _tnef_attribute(level_message, 0x8008, atp_word, b"IPM.Microsoft Mail.Note\x00")
    for number, (name, mime, data) in enumerate(files, start=1):
        # attAttachRendData opens an attachment: type 1 (file), position -1, no rendering.
        rendering = struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 0)
        out += _tnef_attribute(level_attachment, 0x9002, atp_byte, rendering)
        short_name = f"ATTACH~{number}.{name.rsplit('.', 1)[-1][:3].upper()}\x00"
        out += _tnef_attribute(level_attachment, 0x8010, atp_string, short_name.encode("ascii"))
        out += _tnef_attribute(level_attachment, 0x800F, atp_byte, data)  # attAttachData
        # attAttachment: PidTagAttachLongFilename and PidTagAttachMimeTag.
        properties = struct.pack("<I", 2) + _mapi_string8(0x3707, name)
        properties += _mapi_string8(0x370E, mime)
        out += _tnef_attribute(level_attachment, 0x9005, atp_byte, properties)
    return bytes(out)


# --- MIME assembly --------------------------------------------------------------------------


def b64(data: bytes) -> bytes:
    encoded = base64.b64encode(data)
    return CRLF.join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def part(headers: Sequence[str | bytes], body: bytes) -> bytes:
    lines = [h.encode("utf-8") if isinstance(h, str) else h for h in headers]
    return CRLF.join(lines) + CRLF + CRLF + body


def attachment(
    content_type: str, data: bytes, filename: str | None = None, disposition: str = "attachment"
) -> bytes:
    headers = [f"Content-Type: {content_type}" + (f'; name="{filename}"' if filename else "")]
    if disposition:
        headers.append(
            f"Content-Disposition: {disposition}" + (f'; filename="{filename}"' if filename else "")
        )
    headers.append("Content-Transfer-Encoding: base64")
    return part(headers, b64(data))


def text_part(text: str, subtype: str = "plain", charset: str = "utf-8") -> bytes:
    return part(
        [f"Content-Type: text/{subtype}; charset={charset}", "Content-Transfer-Encoding: 8bit"],
        text.encode(charset if charset.isascii() and charset != "x-fictional" else "utf-8"),
    )


def multipart(boundary: str, parts: Sequence[bytes], *, close: bool = True) -> bytes:
    out = b"This is a multi-part message in MIME format." + CRLF
    for item in parts:
        out += b"--" + boundary.encode() + CRLF + item + CRLF
    if close:
        out += b"--" + boundary.encode() + b"--" + CRLF
    return out


def envelope(
    number: int,
    subject: str | bytes,
    *,
    sender: str = '"Fictional Referrer" <Referrer.One@Example.ORG>',
    to: str = "cspoc-test@example.org",
    cc: str | None = None,
    received: bool = True,
    content_type: str = "text/plain; charset=us-ascii",
    extra: Sequence[str | bytes] = (),
) -> list[str | bytes]:
    """Top-level headers; Date and Received derive from ``number`` (one case, one minute)."""
    sent = BASE_TIME + timedelta(minutes=number)
    headers: list[str | bytes] = []
    if received:
        arrived = sent + timedelta(seconds=42)
        stamp = "%a, %d %b %Y %H:%M:%S +0000"
        headers += [
            "Received: from relay.example.net (relay.example.net [192.0.2.10])\r\n"
            f"\tby mx.example.org with ESMTPS id case{number:03d};\r\n"
            f"\t{arrived.strftime(stamp)}",
            "Received: from client.example.net by relay.example.net; "
            + (sent + timedelta(seconds=5)).strftime(stamp),
        ]
    headers += [
        f"Message-ID: <case-{number:03d}@cspoc-fixtures.example>",
        "Date: " + sent.strftime("%a, %d %b %Y %H:%M:%S +0000"),
        f"From: {sender}",
        f"To: {to}",
    ]
    if cc:
        headers.append(f"Cc: {cc}")
    headers.append(b"Subject: " + subject if isinstance(subject, bytes) else f"Subject: {subject}")
    headers += ["MIME-Version: 1.0", f"Content-Type: {content_type}", *extra]
    return headers


def mail(headers: Sequence[str | bytes], body: bytes) -> bytes:
    return part(headers, body)


# --- expectations ---------------------------------------------------------------------------


def att(
    filename: str,
    content_type: str,
    data: bytes,
    *,
    origin: str = "",
    inline: bool = False,
    derived: bool = False,
) -> dict[str, Any]:
    return {
        "filename": filename,
        "content_type": content_type,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "origin": origin,
        "inline": inline,
        "derived_name": derived,
    }


def expect(
    number: int | None,
    *,
    subject: str = "",
    from_: str = "referrer.one@example.org",
    to: Sequence[str] = ("cspoc-test@example.org",),
    cc: Sequence[str] = (),
    received: bool = True,
    text: str = "",
    attachments: Sequence[dict[str, Any]] = (),
    warnings: Sequence[str] = (),
    problems: Sequence[str] = (),
) -> dict[str, Any]:
    if number is None:
        message_id = date = received_at = None
        from_, to = "", ()
    else:
        sent = BASE_TIME + timedelta(minutes=number)
        message_id = f"<case-{number:03d}@cspoc-fixtures.example>"
        date = sent.isoformat()
        received_at = (sent + timedelta(seconds=42)).isoformat() if received else date
    return {
        "message_id": message_id,
        "subject": subject,
        "from_": from_,
        "to": list(to),
        "cc": list(cc),
        "date": date,
        "received_at": received_at,
        "text": text,
        "attachments": list(attachments),
        "warnings": list(warnings),
        "problems": list(problems),
    }


@dataclass(frozen=True)
class Case:
    name: str  # "<category>/<case>"
    raw: bytes
    expected: dict[str, Any]


# --- the cases ------------------------------------------------------------------------------

REFERRAL_PDF = make_pdf("Fictional referral for Test Child Alpha, ZZ99 9ZZ")
REFERRAL_DOCX = make_docx(["Multi-agency referral form (fictional)", "Child: Test Child Beta"])
CONSENT_PDF = make_pdf("Fictional consent form, Test Parent Gamma")
CHRONOLOGY_DOCX = make_docx(["Fictional chronology", "No real people appear here."])


def plain_cases() -> list[Case]:
    body = "Dear CSPOC,\r\n\r\nThis is a fictional test referral.\r\nNo action needed.\r\n"
    simple = Case(
        "plain/simple",
        mail(
            envelope(1, "Fictional referral - Test Child Alpha", cc="Duty Desk <duty@example.org>"),
            body.encode(),
        ),
        expect(
            1,
            subject="Fictional referral - Test Child Alpha",
            cc=["duty@example.org"],
            text="Dear CSPOC,\n\nThis is a fictional test referral.\nNo action needed.",
        ),
    )
    html_body = (
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>Hello&nbsp;team,</p><p>Fictional <b>HTML-only</b> referral &amp; notes.</p>"
        "<script>ignored()</script><div>Line two<br>Line three</div></body></html>"
    )
    html_only = Case(
        "plain/html-only",
        mail(
            envelope(2, "HTML only", content_type="text/html; charset=utf-8"),
            html_body.encode(),
        ),
        expect(
            2,
            subject="HTML only",
            text="Hello team,\n\nFictional HTML-only referral & notes.\n\nLine two\nLine three",
        ),
    )
    encoded = Case(
        "plain/encoded-headers",
        mail(
            envelope(
                3,
                "=?UTF-8?B?UsOpZsOpcnJhbA==?= =?UTF-8?Q?_=E2=80=93_fictional?= case",
                sender="=?iso-8859-1?q?Jos=E9_Fictional?= <JOSE@example.org>",
                to='"Team, Front Door" <front.door@example.org>, second@Example.org',
                cc="undisclosed-recipients:;",
            ),
            b"Body.\r\n",
        ),
        expect(
            3,
            subject="Référral – fictional case",
            from_="jose@example.org",
            to=["front.door@example.org", "second@example.org"],
            text="Body.",
        ),
    )
    no_received = Case(
        "plain/no-received",
        mail(envelope(4, "Typed straight into the import folder", received=False), b"Hi\r\n"),
        expect(4, subject="Typed straight into the import folder", received=False, text="Hi"),
    )
    alternative = Case(
        "plain/alternative",
        mail(
            envelope(5, "Alternative", content_type='multipart/alternative; boundary="alt-005"'),
            multipart(
                "alt-005",
                [text_part("Plain version.\r\n"), text_part("<p>HTML version.</p>", "html")],
            ),
        ),
        expect(5, subject="Alternative", text="Plain version."),
    )
    quoted = Case(
        "plain/quoted-printable",
        mail(
            envelope(
                6,
                "=?iso-8859-1?Q?Caf=E9?= meeting",
                content_type="text/plain; charset=iso-8859-1",
                extra=["Content-Transfer-Encoding: quoted-printable"],
            ),
            b"A long line that the sender's client wrapped with a soft line brea=\r\n"
            b"k, and an =E9 in Latin-1.\r\n",
        ),
        expect(
            6,
            subject="Café meeting",
            text="A long line that the sender's client wrapped with a soft line break, "
            "and an é in Latin-1.",
        ),
    )
    return [simple, html_only, encoded, no_received, alternative, quoted]


#: Raw UTF-8 (an en dash) in a filename: an 8-bit MIME header, as some clients still send.
RAW_UTF8_DISPOSITION = 'Content-Disposition: attachment; filename="Notes \u2013 fictional.rtf"'


def attachment_cases() -> list[Case]:
    named = Case(
        "attachments/named",
        mail(
            envelope(10, "Two forms", content_type='multipart/mixed; boundary="mix-010"'),
            multipart(
                "mix-010",
                [
                    text_part("Forms attached.\r\n"),
                    attachment(PDF, REFERRAL_PDF, "referral-alpha.pdf"),
                    part(
                        [
                            f"Content-Type: {DOCX}",
                            "Content-Disposition: attachment;\r\n"
                            " filename*=utf-8''R%C3%A9f%C3%A9rral%20form%20%28fictional%29.docx",
                            "Content-Transfer-Encoding: base64",
                        ],
                        b64(REFERRAL_DOCX),
                    ),
                ],
            ),
        ),
        expect(
            10,
            subject="Two forms",
            text="Forms attached.",
            attachments=[
                att("referral-alpha.pdf", PDF, REFERRAL_PDF),
                att("Référral form (fictional).docx", DOCX, REFERRAL_DOCX),
            ],
        ),
    )
    ole = make_ole_doc()
    unnamed = Case(
        "attachments/unnamed",
        mail(
            envelope(11, "No filenames", content_type='multipart/mixed; boundary="mix-011"'),
            multipart(
                "mix-011",
                [
                    text_part("Scanner output, no names.\r\n"),
                    attachment(PDF, CONSENT_PDF, disposition=""),
                    attachment("application/octet-stream", REFERRAL_DOCX, disposition=""),
                    attachment("application/octet-stream", ole, disposition="inline"),
                    attachment("image/png", PNG_1X1, disposition="inline"),  # a logo: skipped
                    part(["Content-Type: text/plain", "Content-Disposition: attachment"], b"n"),
                ],
            ),
        ),
        expect(
            11,
            subject="No filenames",
            text="Scanner output, no names.",
            attachments=[
                att("attachment-2.pdf", PDF, CONSENT_PDF, derived=True),
                att("attachment-3.docx", DOCX, REFERRAL_DOCX, derived=True),
                att("attachment-4.doc", DOC, ole, inline=True, derived=True),
                att("attachment-6.txt", "text/plain", b"n", derived=True),
            ],
        ),
    )
    related = Case(
        "attachments/inline-named",
        mail(
            envelope(12, "Inline image", content_type='multipart/related; boundary="rel-012"'),
            multipart(
                "rel-012",
                [
                    text_part('<p>See photo</p><img src="cid:img1">', "html"),
                    part(
                        [
                            'Content-Type: image/png; name="photo-of-form.png"',
                            'Content-Disposition: inline; filename="photo-of-form.png"',
                            "Content-ID: <img1>",
                            "Content-Transfer-Encoding: base64",
                        ],
                        b64(PNG_1X1),
                    ),
                ],
            ),
        ),
        expect(
            12,
            subject="Inline image",
            text="See photo",
            attachments=[att("photo-of-form.png", "image/png", PNG_1X1, inline=True)],
        ),
    )
    signed_inner = multipart(
        "mix-013", [text_part("Signed referral.\r\n"), attachment(PDF, REFERRAL_PDF, "form.pdf")]
    )
    signed = Case(
        "attachments/smime-signed",
        mail(
            envelope(
                13,
                "Signed",
                content_type='multipart/signed; protocol="application/pkcs7-signature";'
                ' micalg=sha-256; boundary="sig-013"',
            ),
            multipart(
                "sig-013",
                [
                    part(['Content-Type: multipart/mixed; boundary="mix-013"'], signed_inner),
                    attachment("application/pkcs7-signature", b"\x30\x80fictional", "smime.p7s"),
                ],
            ),
        ),
        expect(
            13,
            subject="Signed",
            text="Signed referral.",
            attachments=[att("form.pdf", PDF, REFERRAL_PDF)],
        ),
    )
    odd_names = Case(
        "attachments/odd-filenames",
        mail(
            envelope(14, "Odd filenames", content_type='multipart/mixed; boundary="mix-014"'),
            multipart(
                "mix-014",
                [
                    text_part("Names in odd places.\r\n"),
                    # Encoded word inside a quoted filename (non-standard, common).
                    part(
                        [
                            "Content-Type: application/octet-stream",
                            'Content-Disposition: attachment; filename="=?UTF-8?Q?Cons=C3=A9nt'
                            '_form.pdf?="',
                            "Content-Transfer-Encoding: base64",
                        ],
                        b64(CONSENT_PDF),
                    ),
                    # Only a Content-Type name, no Content-Disposition.
                    part(
                        [
                            f'Content-Type: {DOCX}; name="chronology.docx"',
                            "Content-Transfer-Encoding: base64",
                        ],
                        b64(CHRONOLOGY_DOCX),
                    ),
                    # Raw UTF-8 in the filename: 8-bit header.
                    part(
                        [
                            "Content-Type: application/rtf",
                            RAW_UTF8_DISPOSITION,
                            "Content-Transfer-Encoding: base64",
                        ],
                        b64(RTF),
                    ),
                ],
            ),
        ),
        expect(
            14,
            subject="Odd filenames",
            text="Names in odd places.",
            attachments=[
                att("Consént form.pdf", PDF, CONSENT_PDF),
                att("chronology.docx", DOCX, CHRONOLOGY_DOCX),
                att("Notes – fictional.rtf", "application/rtf", RTF),
            ],
            warnings=["header-8bit part 4"],
        ),
    )
    return [named, unnamed, related, signed, odd_names]


def inner_message(number: int, subject: str, body: bytes, extra_parts: Sequence[bytes]) -> bytes:
    headers: list[str | bytes] = [
        f"Message-ID: <inner-{number:03d}@elsewhere.example>",
        "Date: Fri, 28 Feb 2025 16:30:00 +0000",
        "From: School Office (fictional) <office@school.example>",
        "To: Referrer.One@example.org",
        f"Subject: {subject}",
        "MIME-Version: 1.0",
    ]
    if not extra_parts:
        return part([*headers, "Content-Type: text/plain; charset=us-ascii"], body)
    boundary = f"inner-{number:03d}"
    return part(
        [*headers, f'Content-Type: multipart/mixed; boundary="{boundary}"'],
        multipart(boundary, [text_part(body.decode()), *extra_parts]),
    )


def forwarded_part(inner: bytes) -> bytes:
    return part(["Content-Type: message/rfc822", "Content-Disposition: attachment"], inner)


def forwarded_cases() -> list[Case]:
    inner = inner_message(
        20,
        "Concern about Test Child Delta",
        b"Original note.",
        [attachment(PDF, CONSENT_PDF, "c.pdf")],
    )
    forward = Case(
        "forwarded/forward",
        mail(
            envelope(20, "Fwd: Concern", content_type='multipart/mixed; boundary="mix-020"'),
            multipart("mix-020", [text_part("Forwarding, see below.\r\n"), forwarded_part(inner)]),
        ),
        expect(
            20,
            subject="Fwd: Concern",
            text="Forwarding, see below.",
            attachments=[att("c.pdf", PDF, CONSENT_PDF, origin="forwarded-1")],
        ),
    )
    deepest = inner_message(
        211, "Original", b"First report.", [attachment(DOCX, CHRONOLOGY_DOCX, "chronology.docx")]
    )
    middle = inner_message(210, "Fwd: Original", b"Passing on.", [forwarded_part(deepest)])
    nested = Case(
        "forwarded/nested",
        mail(
            envelope(21, "Fwd: Fwd: Original", content_type='multipart/mixed; boundary="mix-021"'),
            multipart(
                "mix-021",
                [
                    text_part("Twice forwarded.\r\n"),
                    attachment(PDF, REFERRAL_PDF, "referral.pdf"),
                    forwarded_part(middle),
                    forwarded_part(inner_message(212, "Second", b"Another.", [])),
                ],
            ),
        ),
        expect(
            21,
            subject="Fwd: Fwd: Original",
            text="Twice forwarded.",
            attachments=[
                att("referral.pdf", PDF, REFERRAL_PDF),
                att(
                    "chronology.docx",
                    DOCX,
                    CHRONOLOGY_DOCX,
                    origin="forwarded-1/forwarded-1",
                ),
            ],
        ),
    )
    # Seven forwards deep; the default limit reads five. The sixth is refused (a problem) and
    # its contents, the seventh and the PDF, are not read.
    level = inner_message(229, "Level 7", b"Bottom.", [attachment(PDF, CONSENT_PDF, "deep.pdf")])
    for number in range(228, 222, -1):
        level = inner_message(number, f"Level {number - 222}", b"Fwd.", [forwarded_part(level)])
    # Parts: 0 top, 1 text, 2 fwd-1; each level below adds message, text, fwd: the sixth
    # forwarded part is number 2 + 5 * 3 = 17.
    depth = Case(
        "forwarded/depth-limit",
        mail(
            envelope(22, "Fwd x7", content_type='multipart/mixed; boundary="mix-022"'),
            multipart("mix-022", [text_part("Long chain.\r\n"), forwarded_part(level)]),
        ),
        expect(22, subject="Fwd x7", text="Long chain.", problems=["depth-limit part 17"]),
    )
    encoded_inner = inner_message(
        23, "Sent as base64", b"Encoded original.", [attachment(PDF, REFERRAL_PDF, "r.pdf")]
    )
    encoded = Case(
        "forwarded/base64-encoded",
        mail(
            envelope(23, "Fwd: encoded", content_type='multipart/mixed; boundary="mix-023"'),
            multipart(
                "mix-023",
                [
                    text_part("Some clients base64 a forwarded message.\r\n"),
                    part(
                        ["Content-Type: message/rfc822", "Content-Transfer-Encoding: base64"],
                        b64(encoded_inner),
                    ),
                ],
            ),
        ),
        expect(
            23,
            subject="Fwd: encoded",
            text="Some clients base64 a forwarded message.",
            attachments=[att("r.pdf", PDF, REFERRAL_PDF, origin="forwarded-1")],
        ),
    )
    return [forward, nested, depth, encoded]


def tnef_cases() -> list[Case]:
    blob = tnef_blob(
        [
            ("Referral form (fictional).docx", DOCX, REFERRAL_DOCX),
            ("Consent.pdf", PDF, CONSENT_PDF),
        ]
    )
    winmail = Case(
        "tnef/winmail",
        mail(
            envelope(30, "Outlook rich text", content_type='multipart/mixed; boundary="mix-030"'),
            multipart(
                "mix-030",
                [
                    text_part("Sent from a fictional Outlook.\r\n"),
                    attachment("application/ms-tnef", blob, "winmail.dat"),
                ],
            ),
        ),
        expect(
            30,
            subject="Outlook rich text",
            text="Sent from a fictional Outlook.",
            attachments=[
                att("Referral form (fictional).docx", DOCX, REFERRAL_DOCX, origin="winmail.dat"),
                att("Consent.pdf", PDF, CONSENT_PDF, origin="winmail.dat"),
            ],
        ),
    )
    cut = blob[: len(blob) - 700]  # ends inside the second attachment's data
    broken = Case(
        "tnef/truncated",
        mail(
            envelope(31, "Cut short", content_type='multipart/mixed; boundary="mix-031"'),
            multipart(
                "mix-031",
                [
                    text_part("Broken winmail.\r\n"),
                    attachment("application/ms-tnef", cut, "winmail.dat"),
                ],
            ),
        ),
        expect(
            31,
            subject="Cut short",
            text="Broken winmail.",
            attachments=[att("winmail.dat", "application/ms-tnef", cut)],
            problems=["tnef-unreadable part 2"],
        ),
    )
    unnamed = Case(
        "tnef/unnamed-octet-stream",
        mail(
            envelope(32, "TNEF by signature", content_type='multipart/mixed; boundary="mix-032"'),
            multipart(
                "mix-032",
                [
                    text_part("No name on the TNEF part.\r\n"),
                    attachment(
                        "application/octet-stream",
                        tnef_blob([("Chronology.docx", DOCX, CHRONOLOGY_DOCX)]),
                        disposition="",
                    ),
                ],
            ),
        ),
        expect(
            32,
            subject="TNEF by signature",
            text="No name on the TNEF part.",
            attachments=[att("Chronology.docx", DOCX, CHRONOLOGY_DOCX, origin="attachment-2.dat")],
        ),
    )
    return [winmail, broken, unnamed]


def _encrypt_flag(data: bytes, member: str) -> bytes:
    """Set the "encrypted" flag bit on one member, in its local and central headers."""
    out = bytearray(data)
    name = member.encode()
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = out.find(signature)
        while at >= 0:
            name_len = struct.unpack_from("<H", out, at + (26 if name_at == 30 else 28))[0]
            if bytes(out[at + name_at : at + name_at + name_len]) == name:
                out[at + flag_at] |= 0x01
            at = out.find(signature, at + 4)
    return bytes(out)


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """Make the central directory claim ``size`` uncompressed bytes for ``member``."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", out, at + 28)[0]
        if bytes(out[at + 46 : at + 46 + name_len]) == member.encode():
            struct.pack_into("<I", out, at + 24, size)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def zip_cases() -> list[Case]:
    notes = b"Fictional case notes.\r\nNothing real here.\r\n"
    bundle_zip = _encrypt_flag(
        make_zip(
            [
                ("forms/", b""),
                ("forms/referral.docx", REFERRAL_DOCX),
                ("notes.txt", notes),
                ("scan.pdf", REFERRAL_PDF),
                ("locked.pdf", CONSENT_PDF),
            ]
        ),
        "locked.pdf",
    )
    bundle = Case(
        "zip/bundle",
        mail(
            envelope(40, "Zipped bundle", content_type='multipart/mixed; boundary="mix-040"'),
            multipart(
                "mix-040",
                [text_part("All in one zip.\r\n"), attachment(ZIP, bundle_zip, "bundle.zip")],
            ),
        ),
        expect(
            40,
            subject="Zipped bundle",
            text="All in one zip.",
            attachments=[
                att("bundle.zip", ZIP, bundle_zip),
                att("forms/referral.docx", DOCX, REFERRAL_DOCX, origin="bundle.zip"),
                att("notes.txt", "text/plain", notes, origin="bundle.zip"),
                att("scan.pdf", PDF, REFERRAL_PDF, origin="bundle.zip"),
            ],
            warnings=["zip-encrypted part 2"],
        ),
    )
    inner = make_zip([("deep/consent.pdf", CONSENT_PDF)])
    outer = make_zip([("inner.zip", inner), ("chronology.docx", CHRONOLOGY_DOCX)])
    nested = Case(
        "zip/nested",
        mail(
            envelope(41, "Zip in a zip", content_type='multipart/mixed; boundary="mix-041"'),
            multipart(
                "mix-041",
                [
                    text_part("Nested.\r\n"),
                    attachment("application/octet-stream", outer, "outer.zip"),
                ],
            ),
        ),
        expect(
            41,
            subject="Zip in a zip",
            text="Nested.",
            attachments=[
                att("outer.zip", ZIP, outer),
                att("inner.zip", ZIP, inner, origin="outer.zip"),
                att("deep/consent.pdf", PDF, CONSENT_PDF, origin="outer.zip/inner.zip"),
                att("chronology.docx", DOCX, CHRONOLOGY_DOCX, origin="outer.zip"),
            ],
        ),
    )
    bomb_zip = _declare_size(
        make_zip([("huge.txt", b"0" * 1000), ("ok.txt", b"fine")]), "huge.txt", 4_000_000_000
    )
    bomb = Case(
        "zip/bomb-declared",
        mail(
            envelope(42, "Claims 4 GB", content_type='multipart/mixed; boundary="mix-042"'),
            multipart("mix-042", [text_part("Bomb.\r\n"), attachment(ZIP, bomb_zip, "b.zip")]),
        ),
        expect(
            42,
            subject="Claims 4 GB",
            text="Bomb.",
            attachments=[
                att("b.zip", ZIP, bomb_zip),
                att("ok.txt", "text/plain", b"fine", origin="b.zip"),
            ],
            problems=["zip-limit part 2"],
        ),
    )
    garbage = b"This is not a zip archive, whatever its name says.\n"
    not_zip = Case(
        "zip/not-a-zip",
        mail(
            envelope(43, "Fake zip", content_type='multipart/mixed; boundary="mix-043"'),
            multipart("mix-043", [text_part("Fake.\r\n"), attachment(ZIP, garbage, "fake.zip")]),
        ),
        expect(
            43,
            subject="Fake zip",
            text="Fake.",
            attachments=[att("fake.zip", ZIP, garbage)],
            problems=["zip-unreadable part 2"],
        ),
    )
    return [bundle, nested, bomb, not_zip]


def broken_cases() -> list[Case]:
    cases = [
        Case("broken/empty", b"", expect(None, problems=["empty"])),
        Case(
            "broken/garbage",
            bytes(random.Random(20250303).randrange(256) for _ in range(2048)),
            expect(None, problems=["not-mail: no header block"]),
        ),
        Case(
            "broken/not-mail-text",
            b"Dear team,\r\nplease find the fictional referral below.\r\n",
            expect(None, problems=["not-mail: no header block"]),
        ),
    ]
    cases.append(
        Case(
            "broken/unknown-charset",
            mail(
                envelope(50, "Odd charset", content_type="text/plain; charset=x-fictional"),
                "Caf\u00e9 note.\r\n".encode(),
            ),
            expect(
                50,
                subject="Odd charset",
                text="Caf\u00e9 note.",
                warnings=["unknown-charset part 0"],
            ),
        )
    )
    cases.append(
        Case(
            "broken/charset-mismatch",
            mail(
                envelope(51, "Says UTF-8", content_type='multipart/mixed; boundary="mix-051"'),
                multipart(
                    "mix-051",
                    [
                        part(
                            ["Content-Type: text/plain; charset=utf-8"],
                            "Fianc\u00e9e \u2013 cp1252 really.\r\n".encode("cp1252"),
                        )
                    ],
                ),
            ),
            expect(
                51,
                subject="Says UTF-8",
                text="Fianc\ufffde \ufffd cp1252 really.",
                warnings=["charset-mismatch part 1"],
            ),
        )
    )
    cases.append(
        Case(
            "broken/header-8bit",
            mail(
                envelope(
                    52,
                    "Référral for Test Child Épsilon".encode(),
                    sender="Zoë Fictional <zoe@example.org>",
                ),
                b"Raw UTF-8 in the headers.\r\n",
            ),
            expect(
                52,
                subject="Référral for Test Child Épsilon",
                from_="zoe@example.org",
                text="Raw UTF-8 in the headers.",
                warnings=["header-8bit"],
            ),
        )
    )
    # Cut the PDF's base64 so the last quantum is incomplete (2 or 3 characters).
    unwrapped = base64.b64encode(REFERRAL_PDF)
    cut_at = len(unwrapped) - 30
    while cut_at % 4 in (0, 1):
        cut_at -= 1
    truncated_text = CRLF.join(unwrapped[:cut_at][i : i + 76] for i in range(0, cut_at, 76))
    salvaged = base64.b64decode(unwrapped[:cut_at] + b"=" * (-cut_at % 4))
    cases.append(
        Case(
            "broken/truncated-base64",
            mail(
                envelope(53, "Cut off", content_type='multipart/mixed; boundary="mix-053"'),
                b"--mix-053\r\n"
                + text_part("Attachment cut off in transit.\r\n")
                + b"\r\n--mix-053\r\n"
                + part(
                    [
                        "Content-Type: application/pdf",
                        'Content-Disposition: attachment; filename="cut.pdf"',
                        "Content-Transfer-Encoding: base64",
                    ],
                    truncated_text,
                ),
            ),
            expect(
                53,
                subject="Cut off",
                text="Attachment cut off in transit.",
                attachments=[att("cut.pdf", PDF, salvaged)],
                warnings=["close-boundary-not-found part 0"],
                problems=["truncated-base64 part 2"],
            ),
        )
    )
    cases.append(
        Case(
            "broken/boundary-mismatch",
            mail(
                envelope(54, "Wrong boundary", content_type='multipart/mixed; boundary="declared"'),
                multipart(
                    "actually-used",
                    [text_part("Boundary differs.\r\n"), attachment(PDF, CONSENT_PDF, "c.pdf")],
                ),
            ),
            expect(
                54,
                subject="Wrong boundary",
                text="Boundary differs.",
                attachments=[att("c.pdf", PDF, CONSENT_PDF)],
                warnings=["boundary-recovered part 0"],
            ),
        )
    )
    cases.append(
        Case(
            "broken/missing-close-boundary",
            mail(
                envelope(55, "No close", content_type='multipart/mixed; boundary="mix-055"'),
                multipart(
                    "mix-055",
                    [text_part("No closing delimiter.\r\n"), attachment(PDF, CONSENT_PDF, "c.pdf")],
                    close=False,
                ),
            ),
            expect(
                55,
                subject="No close",
                text="No closing delimiter.",
                attachments=[att("c.pdf", PDF, CONSENT_PDF)],
                warnings=["close-boundary-not-found part 0"],
                # The bytes end inside the PDF's part: nothing shows the PDF is whole.
                problems=["truncated part 2"],
            ),
        )
    )
    filler = [f"X-Fictional-Filler-{i:05d}: {'x' * 60}" for i in range(4000)]  # ~300 KB
    cases.append(
        Case(
            "broken/endless-header",
            mail(envelope(56, "Header never ends", extra=filler), b"Body after the flood.\r\n"),
            expect(
                56,
                subject="Header never ends",
                text="Body after the flood.",
                problems=["header-too-large"],
            ),
        )
    )
    cases.append(
        Case(
            "broken/unknown-transfer-encoding",
            mail(
                envelope(57, "Odd CTE", extra=["Content-Transfer-Encoding: x-fictional"]),
                b"Readable anyway.\r\n",
            ),
            expect(
                57,
                subject="Odd CTE",
                text="Readable anyway.",
                warnings=["unknown-transfer-encoding part 0"],
            ),
        )
    )
    levels = 1200
    nest = b"".join(
        b'--n%d\r\nContent-Type: multipart/mixed; boundary="n%d"\r\n\r\n' % (i, i + 1)
        for i in range(levels)
    )
    cases.append(
        Case(
            "broken/too-deep",
            mail(
                envelope(58, "Nested 1200 deep", content_type='multipart/mixed; boundary="n0"'),
                nest,
            ),
            expect(58, subject="Nested 1200 deep", problems=["mime-too-deep"]),
        )
    )
    return cases


def all_cases() -> list[Case]:
    return [
        *plain_cases(),
        *attachment_cases(),
        *forwarded_cases(),
        *tnef_cases(),
        *zip_cases(),
        *broken_cases(),
    ]


def render(case: Case) -> dict[Path, bytes]:
    expected = json.dumps(case.expected, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return {
        HERE / f"{case.name}.eml": case.raw,
        HERE / f"{case.name}.expected.json": expected.encode("utf-8"),
    }


def main(argv: Sequence[str]) -> int:
    check = "--check" in argv
    wanted: dict[Path, bytes] = {}
    for case in all_cases():
        wanted.update(render(case))
    existing = {p for p in HERE.glob("*/*") if p.name.endswith((".eml", ".expected.json"))}
    stale = sorted(existing - set(wanted))
    changed = sorted(p for p, data in wanted.items() if not p.exists() or p.read_bytes() != data)
    if check:
        for path in [*changed, *stale]:
            print(f"out of date: {path.relative_to(HERE)}")
        return 1 if changed or stale else 0
    for path in stale:
        path.unlink()
    for path in changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wanted[path])
    print(f"{len(wanted) // 2} cases, {len(changed)} files written, {len(stale)} removed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
