"""Containers before content: zip safety and safe XML (parsers/archive.py), and the OLE checks
that find password-protected Office files (parsers/legacy.py), all without LibreOffice.

Every file is built by tests/parsers/malformed.py.
"""

from __future__ import annotations

import io
import random
import time
import tracemalloc
import zipfile

import pytest

from parsers import archive, legacy
from parsers.base import ReadLimits, Unreadable
from tests.parsers import malformed

LIMITS = ReadLimits()


def reason_of(call: object, *args: object) -> str:
    """The reason of the ``Unreadable`` that ``call(*args)`` raises."""
    assert callable(call)
    with pytest.raises(Unreadable) as raised:
        call(*args)
    return raised.value.reason


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return buffer.getvalue()


def test_a_sound_docx_opens() -> None:
    """GIVEN a small valid DOCX
    WHEN it is checked
    THEN check_zip returns the open zip and its parts can be read."""
    opened = archive.check_zip(malformed.docx(), LIMITS)
    assert "word/document.xml" in opened.namelist()
    document = archive.safe_xml(archive.read_member(opened, "word/document.xml"))
    assert document.tag.endswith("}document")


@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04 not really", malformed.random_bytes(), malformed.truncated_docx()],
    ids=["empty", "zip magic only", "random", "truncated"],
)
def test_not_a_zip_is_corrupt(data: bytes) -> None:
    """GIVEN bytes that are not a whole zip
    WHEN they are checked
    THEN the reason is "corrupt: not a valid zip"."""
    assert reason_of(archive.check_zip, data, LIMITS) == "corrupt: not a valid zip"


def test_too_many_members() -> None:
    """GIVEN a zip of 2,001 tiny members
    WHEN it is checked
    THEN it is refused before anything is decompressed."""
    data = zipped({f"word/part{n}.bin": b"x" for n in range(2001)}, zipfile.ZIP_STORED)
    assert reason_of(archive.check_zip, data, LIMITS) == "too large: too many zip members"


def test_an_encrypted_member() -> None:
    """GIVEN a zip whose member has the encryption flag set
    WHEN it is checked
    THEN the reason is "encrypted"."""
    member = malformed.deflated(malformed.document_xml("secret"))
    data = malformed.raw_zip(
        [malformed.RawMember("word/document.xml", member.data, member.crc, member.size, flags=1)]
    )
    assert reason_of(archive.check_zip, data, LIMITS) == "encrypted"


def test_an_unsupported_compression_method() -> None:
    """GIVEN a zip member compressed with bzip2 (which zipfile would inflate without bound)
    WHEN it is checked
    THEN it is refused as unsupported."""
    data = zipped({"word/document.xml": malformed.document_xml("x")}, zipfile.ZIP_BZIP2)
    assert reason_of(archive.check_zip, data, LIMITS) == "unsupported: zip compression method"


def test_declared_total_over_the_limit() -> None:
    """GIVEN a zip holding 3 MB that does not compress
    WHEN it is checked with a 2 MB decompression limit
    THEN it is too large (not a bomb: the ratio is ordinary)."""
    data = zipped({"word/media/photo.bin": random.Random(5).randbytes(3 << 20)})
    limits = ReadLimits(max_decompressed_bytes=2 << 20)
    assert reason_of(archive.check_zip, data, limits) == "too large: decompressed size over limit"


def test_a_highly_compressed_member_is_a_bomb() -> None:
    """GIVEN a 20 MB member of zeros (ratio about 1,000), under the total-size limit
    WHEN it is checked
    THEN it is a zip bomb."""
    data = zipped({"word/media/blank.bin": bytes(20 << 20)})
    assert reason_of(archive.check_zip, data, LIMITS) == "too large: zip bomb"


def test_small_repetitive_members_are_not_bombs() -> None:
    """GIVEN a 500 KB member of spaces (ratio far above the limit, but below 1 MiB)
    WHEN it is checked
    THEN it passes: only members over 1 MiB are judged by ratio."""
    data = zipped({"word/document.xml": malformed.document_xml(" " * 500_000)})
    assert archive.check_zip(data, LIMITS).namelist() == ["word/document.xml"]


def test_a_gigabyte_bomb_is_refused_without_inflating_it() -> None:
    """GIVEN a 1 MB DOCX whose media member inflates (honestly) to 1 GiB of zeros
    WHEN it is checked
    THEN it is refused from the declared sizes at once, for either limit."""
    data = malformed.zip_bomb_docx()
    started = time.monotonic()
    assert reason_of(archive.check_zip, data, LIMITS) == "too large: decompressed size over limit"
    roomy = ReadLimits(max_decompressed_bytes=2 << 30)
    assert reason_of(archive.check_zip, data, roomy) == "too large: zip bomb"
    assert time.monotonic() - started < 0.5


def test_a_member_that_lies_about_its_size() -> None:
    """GIVEN a DOCX whose document.xml declares 1 KB but inflates to 100 MB
    WHEN it is checked
    THEN it is a zip bomb, found within the first megabyte (memory stays small)."""
    data = malformed.lying_docx(actual=100 << 20, declared=1024)
    tracemalloc.start()
    try:
        reason = reason_of(archive.check_zip, data, LIMITS)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reason == "too large: zip bomb"
    assert peak < 16 << 20


def test_a_wrong_crc_is_corrupt() -> None:
    """GIVEN a member whose CRC does not match its content
    WHEN it is checked
    THEN it is a damaged member."""
    member = malformed.deflated(malformed.document_xml("hello"))
    data = malformed.raw_zip(
        [malformed.RawMember("word/document.xml", member.data, member.crc ^ 1, member.size)]
    )
    assert reason_of(archive.check_zip, data, LIMITS) == "corrupt: damaged zip member"


def test_a_garbled_member_is_corrupt() -> None:
    """GIVEN a DOCX whose document.xml holds garbage where its deflate data should be
    WHEN it is checked
    THEN it is a damaged member."""
    data = malformed.docx_with_corrupt_member()
    assert reason_of(archive.check_zip, data, LIMITS) == "corrupt: damaged zip member"


@pytest.mark.parametrize(
    "data",
    [
        malformed.entity_bomb_docx(),
        malformed.xxe_docx(),
        malformed.docx(
            malformed.document_xml("&lol9;", doctype=malformed.BILLION_LAUGHS)
            .decode()
            .replace('encoding="UTF-8"', 'encoding="UTF-16"')
            .encode("utf-16")
        ),
    ],
    ids=["billion laughs", "xxe", "billion laughs in UTF-16"],
)
def test_entity_declarations_in_a_part_are_refused(data: bytes) -> None:
    """GIVEN a DOCX whose document.xml declares entities (billion laughs, XXE, or in UTF-16)
    WHEN it is checked
    THEN it is refused before any XML parser sees it."""
    assert reason_of(archive.check_zip, data, LIMITS) == "corrupt: XML entity declarations"


def test_entity_text_outside_xml_parts_is_not_scanned() -> None:
    """GIVEN a DOCX with "<!ENTITY" inside a binary media member
    WHEN it is checked
    THEN it passes: only XML parts are scanned."""
    data = malformed.docx(extra={"word/media/image1.bin": b"\x89<!ENTITY x>"})
    assert "word/media/image1.bin" in archive.check_zip(data, LIMITS).namelist()


def test_the_scan_can_be_switched_off() -> None:
    """GIVEN a DOCX with entity declarations
    WHEN it is checked with scan_xml=False
    THEN it opens (the caller then owes the check to safe_xml)."""
    opened = archive.check_zip(malformed.xxe_docx(), LIMITS, scan_xml=False)
    document = archive.read_member(opened, "word/document.xml")
    assert reason_of(archive.safe_xml, document) == "corrupt: XML entity declarations"


def test_a_missing_part() -> None:
    """GIVEN a sound zip
    WHEN a part it does not have is read
    THEN the reason is "corrupt: missing part"."""
    opened = archive.check_zip(malformed.docx(), LIMITS)
    assert reason_of(archive.read_member, opened, "word/styles.xml") == "corrupt: missing part"


def test_safe_xml_parses_ordinary_xml() -> None:
    """GIVEN ordinary XML, with character references and a DOCTYPE that declares nothing
    WHEN it is parsed
    THEN the root comes back with its text."""
    root = archive.safe_xml(b'<!DOCTYPE a><a x="1">fish &amp; chips &#233;</a>')
    assert (root.tag, root.text, root.get("x")) == ("a", "fish & chips é", "1")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            malformed.document_xml("&lol9;", doctype=malformed.BILLION_LAUGHS),
            "corrupt: XML entity declarations",
        ),
        (
            malformed.document_xml("&xxe;", doctype=malformed.XXE),
            "corrupt: XML entity declarations",
        ),
        (b"<a><b></a>", "corrupt: bad XML"),
        (b"", "corrupt: bad XML"),
        (b"<a>" * 5000 + b"</a>" * 5000, "corrupt: bad XML"),
    ],
    ids=["billion laughs", "xxe", "malformed", "empty", "nested 5000 deep"],
)
def test_safe_xml_refuses(data: bytes, reason: str) -> None:
    """GIVEN hostile or broken XML
    WHEN safe_xml parses it
    THEN it raises Unreadable at once (no expansion, no file read, no deep recursion)."""
    started = time.monotonic()
    assert reason_of(archive.safe_xml, data) == reason
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (malformed.encrypted_docx(), "encrypted"),
        (malformed.minimal_doc(encrypted=True), "encrypted"),
        (malformed.ole_spreadsheet(), "unsupported: OLE file is not a Word document"),
        (malformed.ole_file({"WordDocument": b""})[:1500], "corrupt: damaged OLE file"),
        (malformed.odt(encrypted=True), "encrypted"),
    ],
    ids=["password DOCX", "encrypted .doc", "spreadsheet", "damaged OLE", "encrypted ODT"],
)
def test_legacy_refuses_before_converting(data: bytes, reason: str) -> None:
    """GIVEN a password-protected DOCX (OLE with EncryptionInfo/EncryptedPackage), a .doc with
    fEncrypted set in its FIB, an OLE spreadsheet, a damaged OLE file, or an encrypted ODT
    WHEN the legacy reader gets it, with LibreOffice switched off
    THEN it says why at once: no conversion is attempted."""
    limits = ReadLimits(soffice="none")
    assert reason_of(legacy.read, data, limits) == reason


def test_is_encrypted_ole() -> None:
    """GIVEN OLE files with and without encryption
    WHEN asked whether each is password-protected
    THEN only the encrypted ones say yes."""
    assert legacy.is_encrypted_ole(malformed.encrypted_docx())
    assert legacy.is_encrypted_ole(malformed.minimal_doc(encrypted=True))
    assert not legacy.is_encrypted_ole(malformed.minimal_doc())
    assert not legacy.is_encrypted_ole(b"not OLE at all")
