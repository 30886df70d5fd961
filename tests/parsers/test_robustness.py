"""Hostile and broken attachments through the whole sandboxed parse (parsers.sandbox).

Every file is built by tests/parsers/malformed.py. Each must come back as a result, never an
exception: ``unreadable`` with a reason that says why (or a sensible kind for the readable ones),
within its time limit, with no child process left behind.

The .doc/.rtf/.odt conversions need LibreOffice: without it those tests skip, unless
INTAKE_TEST_REQUIRE_SERVICES=1 (CI), where they fail (``apt install libreoffice-writer-nogui``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from parsers import legacy, text
from parsers.base import ReadLimits, Unreadable
from parsers.fields import ParsedAttachment
from parsers.layout import Paragraph, Table
from parsers.sandbox import parse_isolated
from tests.conftest import unavailable
from tests.parsers import malformed
from tests.support.processes import assert_no_child_left

LIMITS = ReadLimits(timeout_seconds=15, memory_mb=1024)
#: Allowed over a time limit for killing and reaping on a busy 2-core machine.
SLACK = 2.0


@pytest.fixture(autouse=True)
def _no_zombies() -> Iterator[None]:
    yield
    assert_no_child_left()


def parse(
    data: bytes, filename: str, limits: ReadLimits = LIMITS
) -> tuple[ParsedAttachment, float]:
    """``parse_isolated`` and how long it took; it must not take longer than allowed."""
    started = time.monotonic()
    result = parse_isolated(data, filename, limits)
    elapsed = time.monotonic() - started
    assert elapsed < limits.timeout_seconds + SLACK
    return result, elapsed


def has_reason(result: ParsedAttachment, *words: str) -> bool:
    return any(word in warning for warning in result.warnings for word in words)


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    filename: str
    #: Any of these words in a warning will do.
    words: tuple[str, ...]
    readable: bool = False


CASES = [
    Case("truncated DOCX", malformed.truncated_docx, "form.docx", ("corrupt",)),
    Case(
        "DOCX with a corrupt member", malformed.docx_with_corrupt_member, "form.docx", ("corrupt",)
    ),
    Case("zip bomb DOCX (1 GiB)", malformed.zip_bomb_docx, "form.docx", ("too large",)),
    Case("billion laughs DOCX", malformed.entity_bomb_docx, "form.docx", ("entity",)),
    Case("XXE DOCX", malformed.xxe_docx, "form.docx", ("entity",)),
    Case("password-protected DOCX", malformed.encrypted_docx, "form.docx", ("encrypted",)),
    Case(
        "encrypted .doc", lambda: malformed.minimal_doc(encrypted=True), "form.doc", ("encrypted",)
    ),
    Case("encrypted ODT", lambda: malformed.odt(encrypted=True), "form.odt", ("encrypted",)),
    Case("OLE spreadsheet", malformed.ole_spreadsheet, "book.xls", ("unsupported",)),
    Case("encrypted PDF", malformed.encrypted_pdf, "form.pdf", ("encrypted",)),
    Case("truncated PDF", malformed.truncated_pdf, "form.pdf", ("corrupt",)),
    Case("image-only PDF", malformed.image_only_pdf, "scan.pdf", ("no text layer",)),
    Case(
        "60 MB of junk PDF", malformed.junk_pdf, "big.pdf", ("corrupt", "too large", "time limit")
    ),
    Case("empty file", lambda: b"", "form.docx", ("empty",)),
    Case("random bytes .docx", malformed.random_bytes, "form.docx", ("unsupported",)),
    Case("random bytes .pdf", lambda: malformed.random_bytes(seed=2), "form.pdf", ("unsupported",)),
    Case("JPEG", malformed.jpeg, "photo.jpg", ("no text layer",)),
    Case(
        "PDF of 3,000 pages",
        lambda: malformed.text_pdf(3000, lines_per_page=1),
        "long.pdf",
        ("page limit",),
        readable=True,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_file(case: Case) -> None:
    """GIVEN a broken, hostile or awkward file
    WHEN it is parsed in the sandbox
    THEN a result comes back within the time limit: unreadable with the expected reason (or,
    for a readable file, read with the expected warning)."""
    result, _elapsed = parse(case.build(), case.filename)
    if case.readable:
        assert result.kind != "unreadable", result.warnings
    else:
        assert result.kind == "unreadable"
    assert has_reason(result, *case.words), result.warnings


def test_a_parse_that_hangs_is_killed() -> None:
    """GIVEN a 5,000-page PDF of dense text and no page limit to speak of
    WHEN it is parsed with a 0.5 s time limit
    THEN the child is killed at the limit: unreadable "time limit: over 0.5 s"."""
    data = malformed.text_pdf(5000, lines_per_page=60)
    limits = ReadLimits(timeout_seconds=0.5, max_pages=100_000)
    result, elapsed = parse(data, "huge.pdf", limits)
    assert result.warnings == ("time limit: over 0.5 s",)
    assert elapsed < 0.5 + SLACK


def test_a_parse_that_exhausts_memory_is_stopped() -> None:
    """GIVEN a 1 MB PDF whose content stream inflates to 512 MiB, and a reader allowed to
    decompress that much
    WHEN it is parsed with a 200 MB memory budget
    THEN the parse is stopped by the memory limit (or dies of it): unreadable, no zombie."""
    limits = ReadLimits(timeout_seconds=20, memory_mb=200, max_decompressed_bytes=4 << 30)
    result, _elapsed = parse(malformed.pdf_stream_bomb(512 << 20), "bomb.pdf", limits)
    assert result.kind == "unreadable"
    assert has_reason(result, "memory limit", "crashed"), result.warnings


# --- .doc, .rtf, .odt ---------------------------------------------------------------------------


def test_without_libreoffice_a_doc_names_what_to_install() -> None:
    """GIVEN a .doc and no LibreOffice where the settings point
    WHEN it is parsed
    THEN it is unreadable, saying the extension and the package to install."""
    limits = ReadLimits(soffice="/nonexistent/soffice")
    result, _elapsed = parse(malformed.minimal_doc(), "old.doc", limits)
    assert result.warnings == (
        "unsupported: .doc needs LibreOffice (apt install libreoffice-writer-nogui)",
    )


def test_conversion_can_be_switched_off() -> None:
    """GIVEN an RTF file and soffice = "none"
    WHEN it is parsed
    THEN it is unreadable because conversion is switched off."""
    result, _elapsed = parse(malformed.rtf(), "letter.rtf", ReadLimits(soffice="none"))
    assert result.warnings == ("unsupported: .rtf (LibreOffice conversion switched off)",)


@pytest.fixture(scope="session")
def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        unavailable("LibreOffice is not installed (apt install libreoffice-writer-nogui)")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def real_doc(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A genuine Word 97 .doc: our DOCX converted by LibreOffice."""
    work = tmp_path_factory.mktemp("doc")
    source = work / "made.docx"
    source.write_bytes(
        malformed.docx(malformed.document_xml("Request for support", "Child: Test Child"))
    )
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "doc",
            "--outdir",
            str(work),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return (work / "made.doc").read_bytes()


def leftovers() -> set[str]:
    """What conversions could leave in the temporary folder: sandbox scratch folders,
    conversion folders and LibreOffice's sockets."""
    folder = Path(tempfile.gettempdir())
    return {
        path.name
        for pattern in ("cspoc-sandbox-*", "cspoc-lo-*", "OSL_PIPE_*_SingleOfficeIPC_*")
        for path in folder.glob(pattern)
    }


def lo_processes() -> set[int]:
    """Running processes of our conversions (their command lines name our temporary folders)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if b"cspoc-lo-" in command and state not in {b"Z", b"X"}:
            found.add(int(entry.name))
    return found


def assert_no_new_lo_processes(before: set[int]) -> None:
    deadline = time.monotonic() + 3
    while lo_processes() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not lo_processes() - before


@pytest.mark.parametrize(
    "kind",
    [".doc", ".rtf", ".odt"],
)
def test_legacy_formats_are_converted_and_read(kind: str, real_doc: bytes) -> None:
    """GIVEN a real .doc (made by LibreOffice), an RTF and an ODT
    WHEN the legacy reader converts each with LibreOffice
    THEN the text comes through."""
    data = {".doc": real_doc, ".rtf": malformed.rtf(), ".odt": malformed.odt()}[kind]
    layout = legacy.read(data, LIMITS, filename=f"form{kind}")
    assert "Request for support" in layout.text()


def test_a_doc_through_the_sandbox(real_doc: bytes) -> None:
    """GIVEN a real .doc
    WHEN it is parsed in the sandbox
    THEN it is read (LibreOffice runs inside the sandboxed child)."""
    result, _elapsed = parse(real_doc, "form.doc")
    assert result.kind != "unreadable", result.warnings


def test_a_slow_conversion_is_cut_off(real_doc: bytes) -> None:
    """GIVEN a .doc and a 0.3 s limit, less than LibreOffice needs to start
    WHEN it is converted
    THEN the conversion times out, every LibreOffice process is gone and nothing is left in the
    temporary folder."""
    before, files_before = lo_processes(), leftovers()
    started = time.monotonic()
    with pytest.raises(Unreadable) as raised:
        legacy.convert_to_docx(real_doc, ".doc", ReadLimits(timeout_seconds=0.3))
    assert raised.value.reason == "time limit: conversion over 0.3 s"
    assert time.monotonic() - started < 0.3 + SLACK
    assert_no_new_lo_processes(before)
    assert leftovers() - files_before == set()


def test_the_sandbox_time_limit_kills_libreoffice_too(real_doc: bytes) -> None:
    """GIVEN a .doc parsed in the sandbox with a 0.5 s limit
    WHEN the limit passes while LibreOffice is converting
    THEN the result is unreadable on time, no LibreOffice process is left running, and no copy of
    the file (nor LibreOffice's socket) is left in the temporary folder."""
    before, files_before = lo_processes(), leftovers()
    result, _elapsed = parse(real_doc, "form.doc", ReadLimits(timeout_seconds=0.5))
    assert result.kind == "unreadable"
    assert has_reason(result, "time limit"), result.warnings
    assert_no_new_lo_processes(before)
    assert leftovers() - files_before == set()


# --- text and HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "Café référral\r\nsecond line".encode("utf-16"),
        "Café référral\r\nsecond line".encode("utf-16-le"),
        "Café référral\nsecond line".encode("utf-8-sig"),
        "Café référral\nsecond line".encode("cp1252"),
        "Café\x00 référral\x07\nsecond line".encode(),
    ],
    ids=["UTF-16 BOM", "UTF-16 no BOM", "UTF-8 BOM", "Windows-1252", "control characters"],
)
def test_text_in_any_common_encoding(data: bytes) -> None:
    """GIVEN the same two lines in the encodings mail clients and editors use
    WHEN the text reader reads them
    THEN both lines come out right, one paragraph each."""
    layout = text.read(data, LIMITS, filename="note.txt")
    assert layout.text() == "Café référral\nsecond line"


def test_html_tables_headings_and_hidden_parts() -> None:
    """GIVEN an HTML form with a title, a heading, a script, a style and a label/value table
    whose </head> was left out
    WHEN the text reader reads it
    THEN the title and heading are kept, script and style are not, and the table is a Table."""
    page = (
        b"<html><head><title>Referral form</title><style>td {color: red}</style>"
        b"<script>var secret = 1;</script><body><h2>Child&#39;s details</h2>"
        b"<table><tr><th>Name</th><td colspan=2>Test <b>Child</b></td></tr>"
        b"<tr><td>Consent</td><td>[X] Yes</td><td>[ ] No</td></tr></table>"
        b"<p>Thank you<br>Referrer</p></body></html>"
    )
    layout = text.read(page, LIMITS, filename="form.htm")
    assert layout.title == "Referral form"
    heading, table, *rest = layout.blocks
    assert heading == Paragraph("Child's details", heading=2)
    assert isinstance(table, Table)
    assert [[(c.text, c.span, c.emphasised) for c in row] for row in table.rows] == [
        [("Name", 1, True), ("Test Child", 2, False)],
        [("Consent", 1, False), ("☒ Yes", 1, False), ("☐ No", 1, False)],
    ]
    assert rest == [Paragraph("Thank you"), Paragraph("Referrer")]
    assert "secret" not in layout.text()


def test_text_over_the_character_cap_is_truncated() -> None:
    """GIVEN more text than the reader keeps, ending in a character cut in half
    WHEN it is decoded
    THEN it is cut at the cap, with no decoding error, and says so."""
    decoded, truncated = text.decode("é".encode() * 100, max_chars=10)
    assert (decoded, truncated) == ("é" * 10, True)
    assert text.decode(b"short") == ("short", False)
