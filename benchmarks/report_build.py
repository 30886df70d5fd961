"""The daily exceptions report: building one day's report on a year of history.

    uv run python -m benchmarks.report_build [--referrals 50000] [--exceptions 5000]
        [--repeat 7] [--warmup 1] [--postgres]

The issue's target: with one year of history (50,000 referrals, 5,000 exceptions) the report for
a day is built and rendered (HTML and CSV) in ≤ 1 s, on SQLite and on PostgreSQL.

Seeding. A fresh database (a temporary SQLite file, or with ``--postgres`` a database created on
127.0.0.1:5432 as user ``postgres``, or at ``$INTAKE_BENCH_PG_URL``, dropped at the end) is
migrated with ``Store.open`` and filled *directly* by bulk inserts into the
``intake.store.models`` tables (``benchmarks.check_incremental.bulk_insert``: executemany, or
``COPY`` on PostgreSQL), not through the poller: the report only reads those tables. The
history: N referral emails on the working days from 1 Dec 2025 to 27 Nov 2026 (08:00-18:00),
each seen in mailbox ``cspoc`` (one sighting, a folder cursor that is up to date), ~0.1 %
failed and a few dead; each with one ``rfs`` attachment carrying six form fields, among them
``referrer_agency`` (one of 40 agencies); 5,000 logged calls with the caller's agency; M
exceptions spread over the year, 70 % severity ``exception`` (``neglect-no-gcp`` on a message,
``phone-no-same-day-email`` on a call, each with its deadline) and 30 % ``info`` (three rules);
those more than ten days old are 85 % resolved or auto-resolved (some late), the rest open, so
the "still open" section is long (several hundred rows, the worst case a real front door would
let happen); and one ``reports`` row per working day, sent. On PostgreSQL the tables are
ANALYZEd after seeding.

Measured, alternating which goes first, for Monday 30 November 2026 (its period runs from
Friday 27 November 08:00, the last day of history):

- ours: ``intake.report.build`` + ``render`` (HTML, text and CSV), wall clock;
- floor: a bare ``SELECT`` of the exceptions raised in that period (rows fetched, nothing
  else): what any report of the day has to read at least.

The report gives medians (min–max) of both, the rows in the report and the 1000 ms target.
Results go to ``benchmarks/results/report_build-<backend>.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import random
import time
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, text

from benchmarks._common import (
    Spread,
    code_fingerprint,
    environment,
    log,
    markdown_table,
    write_results,
)
from benchmarks.check_incremental import bulk_insert, database, size_mb, sync_sequences
from intake.config import Settings, working_calendar
from intake.report import build, render
from intake.store.ledger import Store
from intake.store.models import (
    AttachmentRow,
    CallRow,
    CursorRow,
    ExceptionRow,
    FormFieldRow,
    MessageRow,
    ReportRow,
    SightingRow,
)
from intake.synthetic.people import AGENCIES

TARGET_MS = 1000.0
LONDON = ZoneInfo("Europe/London")
FIRST = dt.date(2025, 12, 1)
LAST = dt.date(2026, 11, 27)
DAY = dt.date(2026, 11, 30)
BATCH = 5_000
_FORENAMES = ("Amelia", "Oliver", "Isla", "Noah", "Ava", "Leo", "Mia", "Arlo", "Ivy", "Theo")
_SURNAMES = ("Smith", "Jones", "Taylor", "Brown", "Evans", "Walker", "Wright", "Green", "Hall")
_INFO = ("insecure-sender", "out-of-hours", "re-referral")


def _at(day: dt.date, hours: float) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(0), tzinfo=LONDON) + dt.timedelta(hours=hours)
    return local.astimezone(dt.UTC)


def _flush(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for start in range(0, len(rows), BATCH):
            bulk_insert(conn, model, rows[start : start + BATCH])
    rows.clear()


def seed(engine: Engine, settings: Settings, referrals: int, exceptions: int) -> dict[str, int]:
    """The year of history described in the module docstring."""
    rng = random.Random(11)
    calendar = working_calendar(settings)
    days = [
        FIRST + dt.timedelta(days=n)
        for n in range((LAST - FIRST).days + 1)
        if calendar.is_working_day(FIRST + dt.timedelta(days=n))
    ]
    agencies = [agency.name for agency in AGENCIES][:40]
    now = dt.datetime.now(dt.UTC)
    messages: list[dict[str, Any]] = []
    sightings: list[dict[str, Any]] = []
    attachments: list[dict[str, Any]] = []
    fields: list[dict[str, Any]] = []
    received: list[dt.datetime] = []
    for pk in range(1, referrals + 1):
        day = days[(pk - 1) * len(days) // referrals]
        at = _at(day, rng.uniform(8, 18))
        received.append(at)
        status = "checked"
        if pk % 1000 == 0:
            status = "failed"
        elif pk % 5003 == 0:
            status = "dead"
        sha = hashlib.sha256(f"m{pk}".encode()).hexdigest()
        messages.append(
            {
                "id": pk,
                "message_id": f"<{sha[:20]}@mail.example.net>",
                "sha256": sha,
                "raw_size": 40_000,
                "received_at": at,
                "first_seen_at": at,
                "updated_at": at,
                "status": status,
                "attempts": 0,
                "quiet": False,
                "from_addr": f"referrer{pk % 300}@school.example.sch.uk",
                "subject": "Request for Service",
            }
        )
        sightings.append(
            {
                "message_pk": pk,
                "mailbox": "cspoc",
                "folder": "INBOX",
                "uidvalidity": 1,
                "uid": pk,
                "path": None,
                "seen_at": at,
            }
        )
        attachments.append(
            {
                "id": pk,
                "message_pk": pk,
                "ordinal": 1,
                "filename": "RFS.docx",
                "content_type": "application/octet-stream",
                "size": 30_000,
                "sha256": sha,
                "origin": "RFS.docx",
                "inline": False,
                "derived_name": False,
                "kind": "rfs",
                "template": "southend-rfs",
                "pages": 4,
                "parse_warnings": "[]",
                "parsed_at": at,
            }
        )
        values = {
            "referrer_agency": rng.choice(agencies),
            "referrer_name": f"{rng.choice(_FORENAMES)} {rng.choice(_SURNAMES)}",
            "child_surname": rng.choice(_SURNAMES),
            "urgent": rng.random() < 0.2,
            "threshold_level": rng.randint(2, 4),
            "concern_narrative": "Concerns about home conditions and school attendance. " * 4,
        }
        fields += [
            {
                "attachment_pk": pk,
                "name": name,
                "value": json.dumps(value),
                "confidence": 0.95,
                "label": name,
            }
            for name, value in values.items()
        ]
        if len(fields) >= 30_000:
            _flush(engine, MessageRow, messages)
            _flush(engine, SightingRow, sightings)
            _flush(engine, AttachmentRow, attachments)
            _flush(engine, FormFieldRow, fields)
    _flush(engine, MessageRow, messages)
    _flush(engine, SightingRow, sightings)
    _flush(engine, AttachmentRow, attachments)
    _flush(engine, FormFieldRow, fields)

    calls: list[dict[str, Any]] = []
    n_calls = 5_000
    for pk in range(1, n_calls + 1):
        day = days[(pk - 1) * len(days) // n_calls]
        calls.append(
            {
                "id": pk,
                "called_at": _at(day, rng.uniform(9, 17)),
                "caller_name": f"{rng.choice(_FORENAMES)} {rng.choice(_SURNAMES)}",
                "caller_agency": rng.choice(agencies),
                "child_forenames": rng.choice(_FORENAMES),
                "child_surname": rng.choice(_SURNAMES),
                "child_dob": f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "urgent": True,
                "kind": "referral",
                "source": "csv",
                "fingerprint": hashlib.sha256(f"c{pk}".encode()).hexdigest(),
                "created_at": now,
                "created_by": "bench",
                "checked_at": now,
            }
        )
    called: list[dt.datetime] = [call["called_at"] for call in calls]
    _flush(engine, CallRow, calls)

    rows: list[dict[str, Any]] = []
    cutoff_open = _at(LAST, 0) - dt.timedelta(days=10)
    for pk in range(1, exceptions + 1):
        info = rng.random() < 0.3
        phone = not info and rng.random() < 0.35
        if phone:
            call = rng.randint(1, n_calls)
            raised = called[call - 1].replace(hour=23, minute=59)
            rule, message, call_pk = "phone-no-same-day-email", None, call
        else:
            message = rng.randint(1, referrals)
            raised = received[message - 1] + dt.timedelta(hours=2)
            rule = rng.choice(_INFO) if info else "neglect-no-gcp"
            call_pk = None
        status, resolved_at, late = "open", None, None
        if raised < cutoff_open and rng.random() < 0.85:
            status = rng.choice(("resolved", "auto_resolved"))
            resolved_at = raised + dt.timedelta(hours=rng.uniform(1, 72))
            late = rng.random() < 0.3 if status == "auto_resolved" else None
        rows.append(
            {
                "id": pk,
                "key": f"{rule}|bench:{pk}",
                "rule": rule,
                "severity": "info" if info else "exception",
                "status": status,
                "raised_at": raised,
                "due_at": None if info else raised,
                "message_pk": message,
                "form_ordinal": 1 if message else None,
                "call_pk": call_pk,
                "child_forenames": rng.choice(_FORENAMES),
                "child_surname": rng.choice(_SURNAMES),
                "child_dob": f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-2{rng.randint(0, 8)}",
                "detail": f"{rule}: found by the benchmark",
                "resolved_at": resolved_at,
                "late": late,
                "updated_at": now,
            }
        )
    _flush(engine, ExceptionRow, rows)
    reports = [
        {
            "day": day.isoformat(),
            "status": "sent",
            "period_start": _at(day, 8) - dt.timedelta(days=1),
            "period_end": _at(day, 8),
            "built_at": _at(day, 8),
            "sent_at": _at(day, 8),
            "late": False,
            "attempts": 0,
            "rows": 50,
            "recipients": 2,
        }
        for day in days
    ]
    _flush(engine, ReportRow, reports)
    cursor = [
        {
            "mailbox": "cspoc",
            "folder": "INBOX",
            "uidvalidity": 1,
            "last_uid": referrals,
            "last_poll_at": now,
            "last_success_at": now,
            "last_exists": referrals,
        }
    ]
    _flush(engine, CursorRow, cursor)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            sync_sequences(conn, MessageRow, AttachmentRow, CallRow, ExceptionRow)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return {"messages": referrals, "calls": n_calls, "exceptions": exceptions}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--referrals", type=int, default=50_000, help="history emails (50000)")
    parser.add_argument("--exceptions", type=int, default=5_000, help="exceptions (5000)")
    parser.add_argument("--repeat", type=int, default=7, help="measured builds (7)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed builds first (1)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--name", default="report_build", help="results file name stem")
    args = parser.parse_args(argv)

    backend = "PostgreSQL" if args.postgres else "SQLite"
    code_before = code_fingerprint()
    settings = Settings()
    now = _at(DAY, 8)
    ours_ms: list[float] = []
    floor_ms: list[float] = []
    shape: dict[str, int] = {}
    with database(args.postgres) as url:
        store = Store.open(url)
        try:
            started = time.perf_counter()
            counts = seed(store.engine, settings, args.referrals, args.exceptions)
            seeding = time.perf_counter() - started
            size = size_mb(store.engine)
            log(f"seeded {backend} in {seeding:.1f} s ({size:.0f} MB): {counts}")
            start, end = _at(LAST, 8), _at(DAY, 8)

            def floor() -> float:
                began = time.perf_counter()
                with store.engine.connect() as conn:
                    conn.execute(
                        select(ExceptionRow).where(
                            ExceptionRow.raised_at > start, ExceptionRow.raised_at <= end
                        )
                    ).all()
                return (time.perf_counter() - began) * 1000

            def ours() -> float:
                began = time.perf_counter()
                report = build(settings, store, DAY, now=now)
                rendered = render(report, settings.report.subject)
                elapsed = (time.perf_counter() - began) * 1000
                shape.update(
                    rows=len(report.rows),
                    new=len(report.section("new").rows),
                    open=len(report.section("open").rows),
                    info=len(report.section("info").rows),
                    html_kb=len(rendered.html) // 1000,
                    csv_kb=len(rendered.csv) // 1000,
                )
                assert (report.period_start, report.period_end) == (start, end)
                return elapsed

            for n in range(args.warmup + args.repeat):
                gc.collect()
                pair = (floor(), ours()) if n % 2 == 0 else tuple(reversed((ours(), floor())))
                if n >= args.warmup:
                    floor_ms.append(pair[0])
                    ours_ms.append(pair[1])
        finally:
            store.close()

    mine, bare = Spread.of(ours_ms), Spread.of(floor_ms)
    table = markdown_table(
        [
            "backend",
            "history",
            "report rows (new / open / info)",
            "build + render ms (median, min–max)",
            "floor ms",
            "target",
            "met?",
        ],
        [
            [
                backend,
                f"{args.referrals:,} referrals, {args.exceptions:,} exceptions",
                f"{shape['rows']} ({shape['new']} / {shape['open']} / {shape['info']})",
                mine.fmt(0),
                bare.fmt(1),
                f"≤ {TARGET_MS:.0f} ms",
                "yes" if mine.median <= TARGET_MS else "**no**",
            ]
        ],
    )
    code_after = code_fingerprint()
    code = f"- product code (sha256 of intake/, parsers/, migrations/ sources): `{code_before}`"
    if code_after != code_before:
        code = (
            f"- **WARNING: the product code changed during this run** (`{code_before}` at "
            f"start, `{code_after}` at the end); the figures are for the code at start."
        )
    lines = [
        f"# Daily report build on a year of history ({backend})",
        "",
        environment(),
        code,
        "",
        f"History: {args.referrals:,} referral emails (1 Dec 2025 – 27 Nov 2026) with their "
        f"forms, 5,000 calls, {args.exceptions:,} exceptions, one sent report per working day; "
        f"seeded by bulk inserts in {seeding:.1f} s, {size:.0f} MB. Times building and "
        "rendering (HTML, text, CSV) the report for Mon 30 Nov 2026 (period Fri 27 Nov 08:00 – "
        "Mon 30 Nov 08:00) against the floor, a bare SELECT of the exceptions raised in that "
        f"period. {args.repeat} measured after {args.warmup} untimed; HTML "
        f"{shape['html_kb']} kB, CSV {shape['csv_kb']} kB.",
        "",
        table,
    ]
    write_results(f"{args.name}-{'postgres' if args.postgres else 'sqlite'}", "\n".join(lines))


if __name__ == "__main__":
    main()
