"""Opening zip-based documents (DOCX, ODT) and their XML without being attacked by them.

A DOCX or ODT is a zip of XML parts, and both layers can be weapons: a zip bomb declares (or
hides) gigabytes behind a few kilobytes, and an XML part can declare entities that expand a
billion times ("billion laughs") or pull in a local file or URL (XXE). A reader must therefore:

1. call :func:`check_zip` on the raw bytes **before** anything else touches them (python-docx
   included). It returns an open :class:`zipfile.ZipFile` or raises
   :class:`~parsers.base.Unreadable` with one of these reasons:

   ==========================================  ==============================================
   reason                                      when
   ==========================================  ==============================================
   ``corrupt: not a valid zip``                not a zip, or truncated
   ``too large: too many zip members``         more than :data:`MAX_MEMBERS` members
   ``encrypted``                               a member is zip-encrypted
   ``unsupported: zip compression method``     neither stored nor deflated
   ``too large: decompressed size over         the declared sizes add up to more than
   limit``                                     ``limits.max_decompressed_bytes``
   ``too large: zip bomb``                     a member over 1 MiB is compressed more than
                                               ``limits.max_compression_ratio`` times, or a
                                               member inflates past its declared size
   ``corrupt: damaged zip member``             bad deflate data, wrong CRC, cut short
   ``corrupt: XML entity declarations``        an XML part (``*.xml``, ``*.rels``) contains
                                               ``<!ENTITY`` (UTF-8 or UTF-16)
   ==========================================  ==============================================

   The size checks use the central directory first, so a declared bomb is refused without
   decompressing a byte. Then every member is decompressed once, in 1 MiB steps, to prove its
   real size and CRC match the declaration: :mod:`zipfile` trusts the declared size but, asked
   for a whole member, inflates all of its compressed data in one go, so a member that lies
   about its size would otherwise still explode in the next reader's memory. After
   ``check_zip`` every member is exactly as large as declared, and the total within the limit.
   The same pass scans the XML parts as bytes for entity declarations, so even a reader that
   parses them with python-docx's own parser never meets one.

2. parse any XML with :func:`safe_xml` (or at least with the same parser options): no entity
   resolution, no network, no DTD loading, libxml2's default size and depth caps.

3. read a member with :func:`read_member` to get ``Unreadable`` rather than a zipfile exception
   for a missing or damaged part.

Password-protected Office files are not zips at all but OLE compound files holding the streams
``EncryptionInfo`` and ``EncryptedPackage``; :mod:`parsers.legacy` reports those as
``encrypted``.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from parsers.base import ReadLimits, Unreadable

__all__ = ["MAX_MEMBERS", "check_zip", "read_member", "safe_xml"]

#: Members allowed in one document zip (a large DOCX has a few hundred).
MAX_MEMBERS = 2000
#: Members smaller than this (decompressed) are never called bombs, however well they compress:
#: a few hundred KB of repetitive XML is harmless, and the total-size cap still applies.
RATIO_FLOOR_BYTES = 1 << 20

#: An XML element, as lxml returns it (lxml has no type stubs here).
XmlElement = Any

#: Word and ODF write only these; bzip2 and LZMA are refused (zipfile inflates them unbounded).
_SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_LOCAL_HEADER = b"PK\x03\x04"
#: Largest piece decompressed at once while checking a member.
_STEP = 1 << 20
_XML_SUFFIXES = (".xml", ".rels")
_ENTITY = "<!ENTITY"
_ENTITY_PATTERNS = (
    _ENTITY.encode("ascii"),
    _ENTITY.encode("utf-16-le"),
    _ENTITY.encode("utf-16-be"),
)
_DOCTYPE = re.compile(
    b"|".join(re.escape("<!DOCTYPE".encode(c)) for c in ("ascii", "utf-16-le", "utf-16-be"))
)


def check_zip(
    data: bytes, limits: ReadLimits, *, scan_xml: bool = True, verify: bool = True
) -> zipfile.ZipFile:
    """Open ``data`` as a zip after proving it safe to read; raise ``Unreadable`` if it is not.

    Checks, in order: the zip's structure, member count, encryption, compression methods, the
    declared total size and per-member compression ratio (all from the central directory,
    nothing decompressed yet); then decompresses each member once in bounded steps to prove its
    real size and CRC, scanning the XML parts for entity declarations unless ``scan_xml`` is
    false. Costs one decompression of the document (milliseconds for a typical form). The
    returned :class:`zipfile.ZipFile` reads from memory; closing it is optional.

    With ``verify=False`` the members are not decompressed here: a reader that takes only a few
    parts, each through :func:`read_member` and :func:`safe_xml`, is just as safe, because
    :mod:`zipfile` inflates a member in bounded steps, stops at its declared size (already
    checked above) and raises on a wrong CRC, and ``safe_xml`` refuses entity declarations.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, IndexError, KeyError) as err:
        raise Unreadable("corrupt: not a valid zip") from err
    except NotImplementedError as err:
        raise Unreadable("unsupported: zip compression method") from err
    if not members:
        raise Unreadable("corrupt: not a valid zip")
    if len(members) > MAX_MEMBERS:
        raise Unreadable("too large: too many zip members")
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise Unreadable("encrypted")
        if info.compress_type not in _SUPPORTED_METHODS:
            raise Unreadable("unsupported: zip compression method")
        total += info.file_size
    if total > limits.max_decompressed_bytes:
        raise Unreadable("too large: decompressed size over limit")
    for info in members:
        if info.file_size > RATIO_FLOOR_BYTES and (
            info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)
        ):
            raise Unreadable("too large: zip bomb")
    if not verify:
        return archive
    view = memoryview(data)
    for info in members:
        scan = scan_xml and info.filename.lower().endswith(_XML_SUFFIXES)
        _verify_member(view, info, scan=scan)
    return archive


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """Member ``name`` of a zip from :func:`check_zip`; a missing or damaged one is ``Unreadable``.

    The size is bounded by what :func:`check_zip` accepted (the declared size, at most).
    """
    try:
        return archive.read(name)
    except KeyError as err:
        raise Unreadable("corrupt: missing part") from err
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as err:
        raise Unreadable("corrupt: damaged zip member") from err
    except NotImplementedError as err:
        raise Unreadable("unsupported: zip compression method") from err


def safe_xml(data: bytes) -> XmlElement:
    """Parse one XML document safely and return its root element (an ``lxml`` element).

    The parser resolves no entities, reads nothing from the network, loads no DTD and keeps
    libxml2's default caps on depth and text size (``huge_tree=False``). A document whose
    DOCTYPE declares entities (billion laughs, XXE) is refused before it is parsed, and checked
    again after parsing for encodings the byte scan cannot see. Raises ``Unreadable``:
    ``corrupt: XML entity declarations`` or ``corrupt: bad XML``.
    """
    has_doctype = _DOCTYPE.search(data) is not None
    if has_doctype and any(pattern in data for pattern in _ENTITY_PATTERNS):
        raise Unreadable("corrupt: XML entity declarations")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as err:
        raise Unreadable("corrupt: bad XML") from err
    if root is None:
        raise Unreadable("corrupt: bad XML")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _entity in dtd.entities()):
        raise Unreadable("corrupt: XML entity declarations")
    return root


def _verify_member(data: memoryview, info: zipfile.ZipInfo, *, scan: bool) -> None:
    """Decompress one member in bounded steps; prove its size and CRC, optionally scan it.

    Raises ``Unreadable``: ``too large: zip bomb`` as soon as it inflates past its declared size
    (the size every later read trusts), ``corrupt: damaged zip member`` for a bad deflate stream,
    a wrong CRC or a member outside the file, ``corrupt: XML entity declarations`` when ``scan``
    finds ``<!ENTITY``.
    """
    start, end = _member_span(data, info)
    overlap = max(len(p) for p in _ENTITY_PATTERNS) - 1
    tail = b""
    total = 0
    crc = 0
    for piece in _inflate(data[start:end], info):
        total += len(piece)
        if total > info.file_size:
            raise Unreadable("too large: zip bomb")
        crc = zlib.crc32(piece, crc)
        if scan:
            window = tail + piece
            if any(pattern in window for pattern in _ENTITY_PATTERNS):
                raise Unreadable("corrupt: XML entity declarations")
            tail = window[-overlap:]
    if total != info.file_size or crc != info.CRC:
        raise Unreadable("corrupt: damaged zip member")


def _member_span(data: memoryview, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Where a member's compressed bytes are, from its local header."""
    offset = info.header_offset
    if offset < 0 or bytes(data[offset : offset + 4]) != _LOCAL_HEADER:
        raise Unreadable("corrupt: damaged zip member")
    try:
        name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
    except struct.error as err:
        raise Unreadable("corrupt: damaged zip member") from err
    start = offset + 30 + name_len + extra_len
    end = start + info.compress_size
    if end > len(data):
        raise Unreadable("corrupt: damaged zip member")
    return start, end


def _inflate(compressed: memoryview, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in pieces of at most :data:`_STEP` (stored or deflated)."""
    if info.compress_type == zipfile.ZIP_STORED:
        for at in range(0, len(compressed), _STEP):
            yield bytes(compressed[at : at + _STEP])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for at in range(0, len(compressed), _STEP):
            pending: bytes | memoryview = compressed[at : at + _STEP]
            while pending and not inflater.eof:
                piece = inflater.decompress(pending, _STEP)
                pending = inflater.unconsumed_tail
                if piece:
                    yield piece
            if inflater.eof:
                break
    except zlib.error as err:
        raise Unreadable("corrupt: damaged zip member") from err
    if not inflater.eof and info.file_size:
        raise Unreadable("corrupt: damaged zip member")
