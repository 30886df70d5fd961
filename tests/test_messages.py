"""intake.messages: the golden corpus, plus the properties no corpus file can pin down alone.

The corpus lives in tests/data/mail/<category>/<case>.eml with <case>.expected.json beside it;
both are written by tests/data/mail/build.py from what it put into each message (not from the
parser's output). ``test_corpus_matches_builder`` keeps the committed files in step with it.
"""

from __future__ import annotations

import base64
import dataclasses
import importlib.util
import io
import json
import logging
import random
import re
import struct
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from tnefparse.tnef import TNEF

from intake.messages import (
    Attachment,
    Limits,
    Message,
    _boundary_checks,
    _boundary_checks_over,
    parse_message,
)

CORPUS = Path(__file__).parent / "data" / "mail"
CASES = sorted(CORPUS.glob("*/*.eml"))
MB = 1024 * 1024

#: What a warning/problem may look like: a fixed code, optionally a fixed detail, a part number.
CODE = re.compile(
    r"[a-z0-9]+(?:-[a-z0-9]+)*"
    r"(?:: [a-z]+(?: [a-z]+)*)?"
    r"(?: header| filename part \d+| part \d+)?"
)

HEAD = (
    b"From: Fictional Sender <sender@example.org>\r\n"
    b"To: cspoc-test@example.org\r\n"
    b"Subject: Fictional\r\n"
    b"Date: Mon, 03 Mar 2025 09:00:00 +0000\r\n"
    b"Message-ID: <unit@cspoc-fixtures.example>\r\n"
    b"MIME-Version: 1.0\r\n"
)


def view(message: Message) -> dict[str, Any]:
    """A message as the expected.json files spell it (attachment data by size and hash)."""
    return {
        "message_id": message.message_id,
        "subject": message.subject,
        "from_": message.from_,
        "to": list(message.to),
        "cc": list(message.cc),
        "date": message.date.isoformat() if message.date else None,
        "received_at": message.received_at.isoformat() if message.received_at else None,
        "text": message.text,
        "attachments": [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "origin": a.origin,
                "inline": a.inline,
                "derived_name": a.derived_name,
            }
            for a in message.attachments
        ],
        "warnings": list(message.warnings),
        "problems": list(message.problems),
    }


def assert_sound(message: Message) -> None:
    """What every result must satisfy, whatever the input."""
    assert isinstance(message, Message)
    for code in (*message.warnings, *message.problems):
        assert CODE.fullmatch(code), code
    assert not [p for p in message.problems if p.startswith("internal-error")]
    for item in message.attachments:
        assert item.size == len(item.data)
        assert item.content_type == item.content_type.lower()
    for value in (message.subject, message.from_, message.text, *message.to, *message.cc):
        value.encode("utf-8")  # no lone surrogates reach a UTF-8 sink
        assert "\x00" not in value


DEFAULT = Limits()


def timed(raw: bytes, limits: Limits = DEFAULT) -> tuple[Message, float]:
    started = time.perf_counter()
    message = parse_message(raw, limits)
    return message, time.perf_counter() - started


@pytest.fixture(scope="module")
def builder() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("mail_corpus_build", CORPUS / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def corpus(name: str) -> bytes:
    return (CORPUS / f"{name}.eml").read_bytes()


def multipart(*parts: bytes, boundary: bytes = b"unit-b") -> bytes:
    body = b"".join(b"--" + boundary + b"\r\n" + p + b"\r\n" for p in parts)
    return (
        HEAD
        + b'Content-Type: multipart/mixed; boundary="'
        + boundary
        + b'"\r\n\r\n'
        + body
        + b"--"
        + boundary
        + b"--\r\n"
    )


def b64_part(content_type: bytes, data: bytes, filename: bytes = b"") -> bytes:
    name = b'; filename="' + filename + b'"' if filename else b""
    return (
        b"Content-Type: "
        + content_type
        + b"\r\nContent-Disposition: attachment"
        + name
        + b"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(data)
    )


# --- the golden corpus ----------------------------------------------------------------------


@pytest.mark.parametrize("eml", CASES, ids=[str(p.relative_to(CORPUS)) for p in CASES])
def test_golden(eml: Path) -> None:
    expected = json.loads(
        eml.with_name(eml.name.removesuffix(".eml") + ".expected.json").read_text()
    )
    message = parse_message(eml.read_bytes())
    assert view(message) == expected
    assert_sound(message)


def test_corpus_matches_builder(builder: ModuleType) -> None:
    """The committed .eml/.expected.json files are exactly build.py's output."""
    wanted: dict[Path, bytes] = {}
    for case in builder.all_cases():
        wanted.update(builder.render(case))
    committed = {p for p in CORPUS.glob("*/*") if p.name.endswith((".eml", ".expected.json"))}
    assert committed == set(wanted), "run: uv run python tests/data/mail/build.py"
    stale = [str(p.relative_to(CORPUS)) for p, data in wanted.items() if p.read_bytes() != data]
    assert not stale, f"out of date, rerun build.py: {stale}"
    assert len(CASES) >= 30


def test_builder_tnef_is_read_back_by_tnefparse(builder: ModuleType) -> None:
    blob = builder.tnef_blob(
        [("Referral form (fictional).docx", builder.DOCX, builder.REFERRAL_DOCX)]
    )
    tnef = TNEF(blob)
    assert tnef.key == 0x5A5A
    assert tnef.codepage == "cp1252"
    [item] = tnef.attachments
    assert item.long_filename() == "Referral form (fictional).docx"
    assert item.name == "ATTACH~1.DOC"
    assert item.data == builder.REFERRAL_DOCX


# --- never raises, never hangs --------------------------------------------------------------


def test_random_bytes_never_raise() -> None:
    rng = random.Random(20250303)
    for index in range(300):
        size = rng.choice((0, 1, 2, 7, 64, 500, 2000, 6000))
        noise = bytes(rng.randrange(256) for _ in range(size))
        raw = noise if index % 3 else HEAD + noise  # a third look like mail up to the body
        message = parse_message(raw)
        assert_sound(message)
        if index % 3:
            assert message.problems  # random bytes are never readable mail


def test_truncations_never_raise() -> None:
    """Cut rich messages at many offsets: inside headers, boundaries, base64, TNEF, zips."""
    for name in ("tnef/winmail", "zip/bundle", "forwarded/nested", "attachments/odd-filenames"):
        raw = corpus(name)
        step = max(1, len(raw) // 120)
        for end in range(0, len(raw), step):
            assert_sound(parse_message(raw[:end]))


def test_every_cut_inside_the_last_attachment_is_a_problem() -> None:
    """Including cuts on a base64 quantum boundary, which decode cleanly: only the missing
    closing delimiter shows the file lost its end."""
    raw = corpus("attachments/named")
    start = raw.rindex(b"Content-Transfer-Encoding: base64") + 40
    end = raw.rindex(b"\r\n--mix-010--")
    whole = parse_message(raw)
    assert not whole.problems
    for cut in range(start, end):
        message = parse_message(raw[:cut])
        assert message.problems in (("truncated part 3",), ("truncated-base64 part 3",)), cut
        assert [a.filename for a in message.attachments][:1] == ["referral-alpha.pdf"]


def test_mutations_never_raise() -> None:
    rng = random.Random(7)
    samples = [p.read_bytes() for p in CASES if p.stat().st_size < 64 * 1024]
    for _ in range(250):
        data = bytearray(rng.choice(samples))
        for _ in range(rng.randrange(1, 12)):
            if data:
                at = rng.randrange(len(data))
                choice = rng.randrange(3)
                if choice == 0:
                    data[at] = rng.randrange(256)
                elif choice == 1:
                    del data[at : at + rng.randrange(1, 40)]
                else:
                    data[at:at] = rng.choice((b"\r\n", b"--", b"=?", b";", b'"', b"\x00", b"\xff"))
        assert_sound(parse_message(bytes(data)))


def test_not_bytes_at_all_is_a_problem_not_an_exception() -> None:
    message = parse_message("a str, not bytes")  # type: ignore[arg-type]
    assert message.problems == ("internal-error: TypeError",)


@pytest.mark.parametrize(
    ("name", "raw", "code"),
    [
        ("top-level subject", b"Subject: " + b"a" * 5 * MB + b"\r\n" + HEAD + b"\r\nHi\r\n", None),
        (
            "top-level cc list",
            HEAD + b"Cc: " + b"x@example.org, " * (MB // 3) + b"\r\n\r\nHi",
            None,
        ),
        (
            "sub-part content-type",
            multipart(b'Content-Type: application/pdf; name="' + b";" * 5 * MB + b'"\r\n\r\nx'),
            "mime-header-truncated",
        ),
        (
            "forwarded subject",
            multipart(
                b"Content-Type: message/rfc822\r\n\r\nSubject: " + b"y" * 5 * MB + b"\r\n\r\nx"
            ),
            None,
        ),
    ],
)
def test_5mb_header_line_is_quick(name: str, raw: bytes, code: str | None) -> None:
    message, seconds = timed(raw)
    assert seconds < 3, name
    assert_sound(message)
    if raw.startswith(b"Subject") or b"Cc: x" in raw:
        assert message.problems == ("header-too-large",)
        assert message.message_id == "<unit@cspoc-fixtures.example>"  # after the long line
    if code:
        assert code in message.warnings


def test_endless_header_with_small_limit_keeps_early_headers() -> None:
    raw = HEAD + b"".join(b"X-Filler-%05d: %s\r\n" % (i, b"z" * 50) for i in range(200))
    message = parse_message(raw + b"\r\nBody.\r\n", Limits(max_header_bytes=2048))
    assert message.problems == ("header-too-large",)
    assert message.subject == "Fictional"
    assert message.text == "Body."


def test_hostile_html_and_newlines_stay_linear() -> None:
    for body in (b"<" * 5 * MB, b"<a " * (2 * MB), b"<!--" * MB, b"<script>" * MB):
        message, seconds = timed(HEAD + b"Content-Type: text/html\r\n\r\n" + body)
        assert seconds < 3
        assert_sound(message)


def test_too_many_parts_is_a_problem() -> None:
    raw = multipart(*[b"Content-Type: text/plain\r\n\r\nx"] * 30_000)
    message, seconds = timed(raw)
    assert seconds < 3
    assert message.problems == ("part-limit",)
    assert message.subject == "Fictional"  # the headers are still read


def test_deep_nesting_times_many_lines_is_refused() -> None:
    nest = b"".join(
        b'--n%d\r\nContent-Type: multipart/mixed; boundary="n%d"\r\n\r\n' % (i, i + 1)
        for i in range(500)
    )
    raw = HEAD + b'Content-Type: multipart/mixed; boundary="n0"\r\n\r\n' + nest + b"x\r\n" * 50_000
    message, seconds = timed(raw)
    assert seconds < 3
    assert message.problems == ("part-limit",)


def test_delimiter_line_limit_is_exact() -> None:
    """The "\\n--" count is first bounded by counting "-"; the exact count still decides."""
    limit = 20_000  # 2 × _MAX_PARTS
    text = HEAD + b"Content-Type: text/plain\r\n\r\n"
    at_limit, seconds = timed(text + b"--x\r\n" * limit)
    assert seconds < 3
    assert at_limit.problems == ()
    assert parse_message(text + b"--x\r\n" * (limit + 1)).problems == ("part-limit",)


def test_many_dashes_are_not_delimiter_lines() -> None:
    """Over the cheap "-" bound, under the exact "\\n--" count: read in full."""
    message, seconds = timed(HEAD + b"Content-Type: text/plain\r\n\r\n" + b"-" * 5 * MB)
    assert seconds < 3
    assert message.problems == ()
    assert len(message.text) == 5 * MB


def test_closed_boundary_mentions_are_not_nesting() -> None:
    """Thousands of boundary declarations, each closed at once, and thousands of lines: the
    cheap bound (lines × declarations) is over the limit, the exact count far under it."""
    mentions = b"".join(b'boundary="b%d"\r\n--b%d--\r\n' % (i, i) for i in range(3000))
    raw = HEAD + b"Content-Type: text/plain\r\n\r\n" + mentions + b"x\r\n" * 5000
    assert raw.count(b"\n") * raw.lower().count(b"boundary") > 10_000_000
    message, seconds = timed(raw)
    assert seconds < 3
    assert message.problems == ()
    assert message.text.startswith('boundary="b0"')


@pytest.mark.parametrize("limit", [0, 1, 7, 60, 500, 10_000_000])
def test_cheap_boundary_bounds_give_the_exact_answer(limit: int) -> None:
    """_boundary_checks_over answers from upper bounds when it can: never differently from
    the exact count. Small limits make every tier (and the exact fallback) decide some cases."""
    rng = random.Random(limit)
    pieces = [b"\n", b"\r\n", b"x", b"=", b"-", b"boundary=", b'BoUnDaRy = "zz"', b"--zz--\r\n"]
    pieces += [b"\n--zz--", b'boundary="yy"', b"\n--yy--\n", b"y" * 50]
    samples = [p.read_bytes() for p in CASES]
    samples += [b"".join(rng.choices(pieces, k=rng.randrange(300))) for _ in range(400)]
    for raw in samples:
        assert _boundary_checks_over(raw, limit) == (_boundary_checks(raw) > limit)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        (
            "first line, upper case",
            b'CONTENT-TYPE: text/plain; name="' + b";" * 20_000 + b'"\r\n' + HEAD + b"\r\nHi\r\n",
        ),
        (
            "sub-part, lower case",
            multipart(b'content-type: application/pdf; name="' + b"a" * 10_000 + b'"\r\n\r\nx'),
        ),
        (
            "sub-part, folded into short lines",
            multipart(
                b"Content-Type: application/pdf\r\nContent-Disposition: attachment;"
                + b"".join(b"\r\n\tfilename*%d=abcdefgh;" % i for i in range(1000))
                + b"\r\n\r\nx"
            ),
        ),
        (
            "bare newlines",
            multipart(b"Content-Type: text/plain;\n name=" + b"a" * 10_000 + b"\n\nx").replace(
                b"\r\n", b"\n"
            ),
        ),
    ],
)
def test_long_mime_header_is_cut_wherever_it_is(name: str, raw: bytes) -> None:
    message, seconds = timed(raw)
    assert seconds < 3, name
    assert_sound(message)
    assert "mime-header-truncated" in message.warnings, name


@pytest.mark.parametrize(
    ("payload", "data", "warnings", "problems"),
    [
        (b"QUJD", b"ABC", (), ()),
        (b"QU\r\nJD\r\nRA==", b"ABCD", (), ()),
        (b"QU JD\tRA==", b"ABCD", (), ()),
        (b"QUI=", b"AB", (), ()),
        (b"", b"", (), ()),
        (b"QUJD=", b"ABC", ("base64-junk part 1",), ()),  # strict base64 would accept this
        (b"QUJD====", b"ABC", ("base64-junk part 1",), ()),
        (b"QU!JD", b"ABC", ("base64-junk part 1",), ()),
        (b"QUJ", b"AB", (), ("truncated-base64 part 1",)),
        (b"QUJDQ", b"ABC", (), ("truncated-base64 part 1",)),
        (b"QQ==QUJD", b"AABC", ("base64-data-after-padding part 1",), ()),
    ],
)
def test_base64_fast_path_reports_like_the_careful_one(
    payload: bytes, data: bytes, warnings: tuple[str, ...], problems: tuple[str, ...]
) -> None:
    message = parse_message(
        multipart(
            b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="a.pdf"'
            b"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + payload
        )
    )
    assert [a.data for a in message.attachments] == [data]
    assert message.warnings == warnings
    assert message.problems == problems


# --- zips -----------------------------------------------------------------------------------


def deflated_zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_highly_compressed_is_capped() -> None:
    bomb = deflated_zip([("zeros.txt", bytes(50 * MB)), ("note.txt", b"kept")])
    assert len(bomb) < 100_000
    message, seconds = timed(multipart(b64_part(b"application/zip", bomb, b"bomb.zip")))
    assert seconds < 3
    assert message.problems == ("zip-limit part 1",)
    assert [(a.filename, a.origin) for a in message.attachments] == [
        ("bomb.zip", ""),
        ("note.txt", "bomb.zip"),
    ]


def test_zip_unpacked_budget_is_per_message() -> None:
    payload = random.Random(3).randbytes(40_000)  # incompressible: no ratio guard
    archive = deflated_zip([("a.bin", payload), ("b.bin", payload)])
    raw = multipart(
        b64_part(b"application/zip", archive, b"one.zip"),
        b64_part(b"application/zip", archive, b"two.zip"),
    )
    message = parse_message(raw, Limits(max_unpacked_bytes=100_000))
    names = [(a.filename, a.origin) for a in message.attachments]
    assert names == [
        ("one.zip", ""),
        ("a.bin", "one.zip"),
        ("b.bin", "one.zip"),
        ("two.zip", ""),
    ]
    assert message.problems == ("zip-limit part 2",)


def test_zip_member_limit() -> None:
    message = parse_message(corpus("zip/bundle"), Limits(max_zip_members=2))
    assert [a.filename for a in message.attachments] == [
        "bundle.zip",
        "forms/referral.docx",
        "notes.txt",
    ]
    assert message.problems == ("zip-limit part 2",)


def test_zip_depth_is_capped() -> None:
    message = parse_message(corpus("zip/nested"), Limits(max_depth=1))
    assert [(a.filename, a.origin) for a in message.attachments] == [
        ("outer.zip", ""),
        ("inner.zip", "outer.zip"),  # kept, but not opened
        ("chronology.docx", "outer.zip"),
    ]
    assert message.problems == ("depth-limit part 2",)


def test_attachment_limit() -> None:
    message = parse_message(corpus("zip/bundle"), Limits(max_attachments=2))
    assert len(message.attachments) == 2
    assert message.problems == ("attachment-limit part 2",)


# --- forwards and TNEF ----------------------------------------------------------------------


def test_nested_forward_depth_is_capped() -> None:
    raw = corpus("forwarded/nested")
    assert len(parse_message(raw).attachments) == 2
    one = parse_message(raw, Limits(max_depth=1))
    assert [a.filename for a in one.attachments] == ["referral.pdf"]
    assert one.problems == ("depth-limit part 6",)
    none = parse_message(raw, Limits(max_depth=0))
    assert none.problems == ("depth-limit part 3", "depth-limit part 4")


def test_deep_forward_chain_default_limit() -> None:
    message, seconds = timed(corpus("forwarded/depth-limit"))
    assert seconds < 2
    assert message.problems == ("depth-limit part 17",)


def tnef_message(blob: bytes) -> bytes:
    return multipart(
        b"Content-Type: text/plain\r\n\r\nOutlook.",
        b64_part(b"application/ms-tnef", blob, b"winmail.dat"),
    )


def test_hostile_tnef_counts_are_refused_quickly(builder: ModuleType) -> None:
    """tnefparse loops over 32-bit counts from the data even past its end (hours, for these)."""
    head = struct.pack("<IH", 0x223E9F78, 1)
    huge_property_count = builder._tnef_attribute(1, 0x9003, 6, struct.pack("<I", 0xFFFFFFFF))
    huge_value_count = builder._tnef_attribute(
        1, 0x9003, 6, struct.pack("<IHHI", 1, 0x1003, 0x0E08, 0xFFFFFFFF)
    )
    many_rows = builder._tnef_attribute(1, 0x9004, 6, struct.pack("<I", 0xFFFFFFFF) + bytes(64))
    for body in (huge_property_count, huge_value_count, many_rows):
        message, seconds = timed(tnef_message(head + body))
        assert seconds < 2
        assert message.problems in (("tnef-limit part 2",), ("tnef-unreadable part 2",))
        assert [a.filename for a in message.attachments] == ["winmail.dat"]


def test_many_tiny_tnef_objects_are_refused(builder: ModuleType) -> None:
    blob = struct.pack("<IH", 0x223E9F78, 1) + builder._tnef_attribute(1, 0x8004, 1, b"") * 5000
    message, seconds = timed(tnef_message(blob))
    assert seconds < 2
    assert message.problems == ("tnef-limit part 2",)


def test_not_tnef_named_winmail_is_kept_with_a_problem() -> None:
    message = parse_message(tnef_message(b"definitely not TNEF"))
    assert [a.filename for a in message.attachments] == ["winmail.dat"]
    assert message.problems == ("tnef-unreadable part 2",)


# --- privacy --------------------------------------------------------------------------------

SENTINEL = "Qzxwv"


def sentinel_message(builder: ModuleType) -> bytes:
    """A message with the sentinel in every place a careless code or log line might copy."""
    s = SENTINEL.encode()
    zip_data = builder.make_zip([(f"{SENTINEL}/member.txt", b"x")])
    blob = builder.tnef_blob([(f"{SENTINEL}.pdf", "application/pdf", b"%PDF-1.4 " + s)])
    boundary = b"outer-" + s
    return (
        b"From: " + s + b" <" + s + b"@example.org>\r\nTo: " + s + b"@example.org\r\n"
        b"Subject: =?" + s + b"?q?" + s + b"?= \xc3\xa9" + s + b"\r\n"
        b"Message-ID: <" + s + b"@example.org>\r\nDate: " + s + b"\r\n"
        b"Received: from " + s + b"; " + s + b"\r\nX-" + s + b": " + s + b"\r\n"
        b'Content-Type: multipart/mixed; boundary="declared-' + s + b'"\r\n\r\n'
        b"--" + boundary + b"\r\nContent-Type: text/plain; charset=" + s + b"\r\n"
        b"Content-Transfer-Encoding: x-" + s + b"\r\n\r\n" + s + b"\xe9\r\n"
        b"--" + boundary + b"\r\nContent-Type: " + s + b"\r\n"
        b"Content-Disposition: attachment; filename*=" + s + b"''" + s + b"%E9.zip\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(zip_data)[:-3] + b"\r\n"
        b"--" + boundary + b"\r\nContent-Type: application/ms-tnef\r\n"
        b'Content-Disposition: attachment; filename="=?' + s + b"?B?" + s + b'?=.dat"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(blob[:-40]) + b"\r\n"
        b"--" + boundary + b"\r\nContent-Type: message/rfc822\r\n\r\n"
        b"Subject: \xff" + s + b"\r\nContent-Type: text/plain; charset=" + s + b"\r\n\r\n" + s
    )


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def log_records() -> Iterator[list[logging.LogRecord]]:
    """Every record at DEBUG, from the root and from "intake" (intake.logs.setup() stops
    "intake" propagating to the root, so caplog alone would miss them after it has run)."""
    handler = Collect()
    loggers = [logging.getLogger(), logging.getLogger("intake")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


def test_codes_and_logs_never_carry_message_content(
    builder: ModuleType, log_records: list[logging.LogRecord]
) -> None:
    raw = sentinel_message(builder)
    messages = [parse_message(raw[:end]) for end in range(0, len(raw), max(1, len(raw) // 60))]
    messages.append(parse_message(raw))
    codes = [code for m in messages for code in (*m.warnings, *m.problems)]
    assert len(set(codes)) > 8  # the message really is broken in many ways
    assert not [c for c in codes if SENTINEL.lower() in c.lower()]
    for message in messages:
        assert_sound(message)
    assert any(r.name == "intake.messages" for r in log_records)  # capture works
    leaked = [r.name for r in log_records if SENTINEL.lower() in r.getMessage().lower()]
    assert not leaked
    assert not [r for r in log_records if r.name.startswith(("mailparser", "tnefparse"))]
    assert SENTINEL in messages[-1].subject  # and yet the content itself was read


# --- values ---------------------------------------------------------------------------------


def test_values_are_frozen() -> None:
    message = parse_message(corpus("attachments/named"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.subject = "changed"  # type: ignore[misc]
    attachment = message.attachments[0]
    assert isinstance(attachment, Attachment)
    with pytest.raises(dataclasses.FrozenInstanceError):
        attachment.data = b""  # type: ignore[misc]
    assert "data=" not in repr(attachment)  # bytes stay out of reprs (and so out of logs)
    assert message.date is not None
    assert message.date.tzinfo is not None
