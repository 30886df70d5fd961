"""Broken, hostile and awkward documents, built by this code (no binary fixtures in the repo).

Each function returns the bytes of one file. Zips, OLE compound files and PDFs are written by
hand here (small writers below) so the tests can lie in exactly the places an attacker would:
a member's declared size, a deflate stream that inflates to a gigabyte, a DTD, a FIB flag.
"""

from __future__ import annotations

import io
import math
import random
import struct
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fpdf import FPDF
from PIL import Image

GIB = 1 << 30

# --- zip ---------------------------------------------------------------------------------------

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/>'
    b"</Relationships>"
)
_W_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def document_xml(*paragraphs: str, doctype: bytes = b"") -> bytes:
    """A ``word/document.xml`` with one paragraph per string (and an optional DOCTYPE)."""
    body = b"".join(
        b"<w:p><w:r><w:t>" + text.encode("utf-8") + b"</w:t></w:r></w:p>" for text in paragraphs
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + doctype
        + b'<w:document xmlns:w="'
        + _W_NS
        + b'"><w:body>'
        + body
        + b"</w:body></w:document>"
    )


def docx(document: bytes | None = None, extra: Mapping[str, bytes] | None = None) -> bytes:
    """A minimal, valid DOCX (three parts) with ``document`` as its ``word/document.xml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", _CONTENT_TYPES)
        out.writestr("_rels/.rels", _RELS)
        out.writestr(
            "word/document.xml",
            document if document is not None else document_xml("Request for support", "Hello"),
        )
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return buffer.getvalue()


def truncated_docx() -> bytes:
    """A DOCX cut off half-way: the central directory is gone."""
    whole = docx(document_xml(*(f"Paragraph {n}" for n in range(200))))
    return whole[: len(whole) // 2]


def docx_with_corrupt_member() -> bytes:
    """A DOCX whose ``word/document.xml`` has garbage in place of its deflate data."""
    whole = bytearray(docx(document_xml(*(f"Paragraph {n}" for n in range(200)))))
    with zipfile.ZipFile(io.BytesIO(bytes(whole))) as archive:
        info = archive.getinfo("word/document.xml")
    name_len, extra_len = struct.unpack_from("<HH", whole, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    rng = random.Random(7)
    for offset in range(start + 8, start + info.compress_size - 8):
        whole[offset] = rng.randrange(256)
    return bytes(whole)


@dataclass(frozen=True)
class RawMember:
    """A zip member written exactly as given: compressed bytes, CRC and sizes may all lie."""

    name: str
    data: bytes  # already compressed with ``method``
    crc: int
    size: int  # declared uncompressed size
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def raw_zip(members: Sequence[RawMember]) -> bytes:
    """A zip (no zip64) of ``members``, headers as declared, nothing checked."""
    out = bytearray()
    central = bytearray()
    for member in members:
        name = member.name.encode("utf-8")
        offset = len(out)
        fields = (20, member.flags, member.method, 0, 0x21, member.crc, len(member.data))
        out += struct.pack("<IHHHHHII", 0x04034B50, *fields)
        out += struct.pack("<IHH", member.size, len(name), 0) + name + member.data
        central += struct.pack("<IHHHHHHII", 0x02014B50, 20, *fields)
        central += struct.pack("<IHHHHHII", member.size, len(name), 0, 0, 0, 0, 0, offset)
        central += name
    start = len(out)
    out += central
    count = len(members)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0)
    return bytes(out)


def deflated(data: bytes) -> RawMember:
    """Helper: ``data`` raw-deflated, CRC and size true (name filled in by the caller)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return RawMember("", packed, zlib.crc32(data), len(data))


def repeated_deflate(chunk: bytes, times: int, *, wrapper: str = "raw") -> tuple[bytes, int]:
    """A deflate stream of ``chunk * times`` made without deflating it all, and its checksum.

    The chunk is deflated once and ended with a full flush (byte-aligned, no back-references),
    so the same block can be repeated; an empty final block closes the stream. ``wrapper`` is
    ``raw`` (zip; checksum CRC-32) or ``zlib`` (PDF FlateDecode; checksum Adler-32, appended).
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = block * times + b"\x03\x00"
    if wrapper == "raw":
        crc = 0
        for _ in range(times):
            crc = zlib.crc32(chunk, crc)
        return stream, crc
    adler = 1
    for _ in range(times):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + stream + struct.pack(">I", adler), adler


def zip_bomb_docx(size: int = GIB) -> bytes:
    """A DOCX whose ``word/media/blob.bin`` honestly inflates to ``size`` bytes of zeros (~1 MB)."""
    chunk = bytes(16 << 20)
    times = max(1, size // len(chunk))
    stream, crc = repeated_deflate(chunk, times)
    members = [
        RawMember("[Content_Types].xml", *_deflated_parts(_CONTENT_TYPES)),
        RawMember("_rels/.rels", *_deflated_parts(_RELS)),
        RawMember("word/document.xml", *_deflated_parts(document_xml("Hello"))),
        RawMember("word/media/blob.bin", stream, crc, len(chunk) * times),
    ]
    return raw_zip(members)


def lying_docx(actual: int = 100 << 20, declared: int = 1024) -> bytes:
    """A DOCX whose ``word/document.xml`` declares ``declared`` bytes but inflates to ``actual``."""
    chunk = b" " * (1 << 20)
    stream, crc = repeated_deflate(chunk, max(1, actual // len(chunk)))
    members = [
        RawMember("[Content_Types].xml", *_deflated_parts(_CONTENT_TYPES)),
        RawMember("_rels/.rels", *_deflated_parts(_RELS)),
        RawMember("word/document.xml", stream, crc, declared),
    ]
    return raw_zip(members)


def _deflated_parts(data: bytes) -> tuple[bytes, int, int]:
    member = deflated(data)
    return member.data, member.crc, member.size


BILLION_LAUGHS = (
    b'<!DOCTYPE w:document [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>\n"
)
XXE = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def entity_bomb_docx() -> bytes:
    """A DOCX whose ``word/document.xml`` is a billion-laughs attack (10^9 "lol" if expanded)."""
    return docx(document_xml("&lol9;", doctype=BILLION_LAUGHS))


def xxe_docx() -> bytes:
    """A DOCX whose ``word/document.xml`` pulls in ``/etc/passwd`` through an external entity."""
    return docx(document_xml("&xxe;", doctype=XXE))


def odt(text: str = "Request for support", *, encrypted: bool = False) -> bytes:
    """A minimal OpenDocument text file (``mimetype`` first and stored, as ODF requires)."""
    manifest_entry = (
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"'
        b' manifest:size="300"><manifest:encryption-data manifest:checksum-type="SHA1/1K"'
        b' manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="Blowfish CFB"'
        b' manifest:initialisation-vector="AAAA"/><manifest:key-derivation'
        b' manifest:key-derivation-name="PBKDF2" manifest:iteration-count="1024"'
        b' manifest:salt="AAAA"/></manifest:encryption-data></manifest:file-entry>'
        if encrypted
        else b'<manifest:file-entry manifest:full-path="content.xml"'
        b' manifest:media-type="text/xml"/>'
    )
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        b' manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
        b' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        + manifest_entry
        + b"</manifest:manifest>"
    )
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        b"<office:body><office:text><text:p>"
        + text.encode("utf-8")
        + b"</text:p></office:text></office:body></office:document-content>"
    )
    if encrypted:
        content = random.Random(3).randbytes(300)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        out.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        out.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# --- OLE compound files ------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SECTOR = 512
_MINI_CUTOFF = 4096
_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_FATSECT = 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF


def ole_file(streams: Mapping[str, bytes]) -> bytes:
    """A version-3 compound file holding ``streams`` at its root (no storages, no mini stream).

    Each stream is padded with zeros to at least 4,096 bytes so it lives in ordinary sectors (a
    smaller one would belong in the mini stream, which this writer does not make).
    """
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    datas = [streams[n].ljust(_MINI_CUTOFF, b"\0") for n in names]
    entries = 1 + len(names)
    dir_sectors = math.ceil(entries * 128 / _SECTOR)
    data_sectors = sum(math.ceil(len(d) / _SECTOR) for d in datas)
    fat_sectors = 1
    while fat_sectors * (_SECTOR // 4) < fat_sectors + dir_sectors + data_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109, "too big for this writer (no DIFAT sectors)"
    fat: list[int] = [_FATSECT] * fat_sectors
    first_dir = len(fat)
    fat += [*range(first_dir + 1, first_dir + dir_sectors), _ENDOFCHAIN]
    starts: list[int] = []
    for data in datas:
        count = math.ceil(len(data) / _SECTOR)
        first = len(fat)
        starts.append(first)
        fat += [*range(first + 1, first + count), _ENDOFCHAIN]
    fat += [_FREESECT] * (fat_sectors * (_SECTOR // 4) - len(fat))

    # Siblings as a balanced binary tree over the sorted names (ids 1..n).
    left = [_NOSTREAM] * entries
    right = [_NOSTREAM] * entries

    def subtree(lo: int, hi: int) -> int:
        if lo > hi:
            return _NOSTREAM
        mid = (lo + hi) // 2
        left[mid] = subtree(lo, mid - 1)
        right[mid] = subtree(mid + 1, hi)
        return mid

    top = subtree(1, len(names))
    directory = _dir_entry("Root Entry", 5, _NOSTREAM, _NOSTREAM, top, _ENDOFCHAIN, 0)
    for index, (name, data) in enumerate(zip(names, datas, strict=True), start=1):
        directory += _dir_entry(
            name, 2, left[index], right[index], _NOSTREAM, starts[index - 1], len(data)
        )
    while len(directory) < dir_sectors * _SECTOR:
        directory += _dir_entry("", 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, 0, 0)

    header = _OLE_MAGIC + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIII", 0, fat_sectors, first_dir, 0, _MINI_CUTOFF)
    header += struct.pack("<IIII", _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
    difat = list(range(fat_sectors)) + [_FREESECT] * (109 - fat_sectors)
    header += struct.pack("<109I", *difat)
    assert len(header) == _SECTOR
    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    body += b"".join(d.ljust(math.ceil(len(d) / _SECTOR) * _SECTOR, b"\0") for d in datas)
    return header + body


def _dir_entry(
    name: str, kind: int, left: int, right: int, child: int, start: int, size: int
) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
    entry = encoded.ljust(64, b"\0")
    entry += struct.pack("<HBBIII", len(encoded), kind, 1, left, right, child)
    entry += bytes(16 + 4 + 16)
    entry += struct.pack("<IQ", start, size)
    assert len(entry) == 128
    return entry


def encrypted_docx() -> bytes:
    """A password-protected DOCX as Office writes one: OLE with EncryptionInfo/EncryptedPackage.

    The streams hold noise of the right shape; nothing here could be decrypted.
    """
    noise = random.Random(11)
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    package = struct.pack("<Q", 12_345) + noise.randbytes(12_352)
    return ole_file({"EncryptionInfo": info, "EncryptedPackage": package})


def word97_fib(*, encrypted: bool = False) -> bytes:
    """The start of a Word 97-2003 ``WordDocument`` stream: a FIB, fEncrypted set or not."""
    fib = bytearray(_MINI_CUTOFF)
    struct.pack_into("<HH", fib, 0, 0xA5EC, 0x00C1)  # wIdent, nFib (Word 97)
    flags = 0x0200 | (0x0100 if encrypted else 0)  # fWhichTblStm | fEncrypted
    struct.pack_into("<H", fib, 0x0A, flags)
    return bytes(fib)


def minimal_doc(*, encrypted: bool = False) -> bytes:
    """An OLE file with a Word FIB and nothing else: enough to look like a .doc, no content."""
    return ole_file({"WordDocument": word97_fib(encrypted=encrypted), "1Table": bytes(4096)})


def ole_spreadsheet() -> bytes:
    """An OLE file that is not a Word document (an .xls-like ``Workbook`` stream)."""
    return ole_file({"Workbook": bytes(4096)})


# --- PDF ---------------------------------------------------------------------------------------


def raw_pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF of ``objects`` (object 1 is the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def text_pdf(pages: int, lines_per_page: int = 40) -> bytes:
    """A PDF of ``pages`` pages, each showing the same ``lines_per_page`` lines of text.

    Written directly (one shared content stream), so 20,000 pages cost milliseconds to make.
    """
    lines = b"".join(
        b"(Line %d of the referral narrative, with words enough to fill it) '\n" % n
        for n in range(lines_per_page)
    )
    content = b"BT /F1 9 Tf 40 800 Td 11 TL\n" + lines + b"ET"
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + n) for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        _stream(content),
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    )
    objects += [page] * pages
    return raw_pdf(objects)


def pdf_stream_bomb(size: int = GIB) -> bytes:
    """A one-page PDF whose content stream (FlateDecode) inflates to ``size`` bytes of spaces."""
    chunk = b" " * (16 << 20)
    stream, _adler = repeated_deflate(chunk, max(1, size // len(chunk)), wrapper="zlib")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        _stream(stream, b"/Filter /FlateDecode "),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>",
    ]
    return raw_pdf(objects)


def fpdf_text(pages: int = 2, *, password: str | None = None) -> bytes:
    """An ordinary text PDF from fpdf2 (optionally encrypted with a user password)."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for page in range(pages):
        pdf.add_page()
        for line in range(30):
            pdf.cell(text=f"Page {page + 1}, line {line + 1} of the referral.", new_x="LMARGIN")
            pdf.ln(6)
    if password is not None:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """A PDF that needs a password to open (RC4, user password set)."""
    return fpdf_text(password="secret")


def truncated_pdf() -> bytes:
    """An fpdf2 PDF cut in half: no cross-reference table, no trailer, no catalog."""
    whole = fpdf_text(pages=4)
    return whole[: len(whole) // 2]


def image_only_pdf() -> bytes:
    """A scanned-looking PDF: one page that is a picture, no text at all."""
    picture = Image.new("L", (400, 560), color=255)
    for y in range(40, 520, 12):
        for x in range(40, 360):
            if (x * 7 + y) % 13 < 6:
                picture.putpixel((x, y), 0)
    png = io.BytesIO()
    picture.save(png, "PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(png.getvalue()), x=10, y=10, w=190)
    return bytes(pdf.output())


def junk_pdf(size: int = 60 << 20) -> bytes:
    """``size`` bytes that start like a PDF and are random after that."""
    return b"%PDF-1.7\n" + random.Random(60).randbytes(size)


# --- others ------------------------------------------------------------------------------------


def random_bytes(size: int = 50_000, seed: int = 1) -> bytes:
    """Random bytes (to be given a document's name)."""
    data = random.Random(seed).randbytes(size)
    assert b"%PDF-" not in data[:1024] and not data.startswith((b"PK", _OLE_MAGIC))
    return data


def rtf() -> bytes:
    """A small RTF document."""
    return (
        b"{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0\\fs24 "
        b"{\\b Request for support}\\par Child's name: Test Child\\par "
        b"Reason for referral: a test of the RTF path.\\par}"
    )


def jpeg() -> bytes:
    """A small JPEG photograph (of nothing)."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color=(200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()
