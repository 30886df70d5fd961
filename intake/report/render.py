"""A report as an Outlook-safe HTML email, a plain-text alternative and a CSV of the same rows.

HTML: tables and inline styles only (no <script>, no classes, no external images, fonts or
links), rendered by Jinja2 with autoescaping on, so anything a referrer typed is shown as text.

CSV (UTF-8 with BOM, for Excel), one line per row, columns :data:`CSV_COLUMNS`:

``section``            new, open, auto_resolved, info, or mailbox (reconciliation)
``rule``               the rule code (contract section 5); blank on mailbox lines
``severity``           exception or info
``status``             open, resolved or auto_resolved
``exception_id``       the exception's id (`intake exceptions show ID`)
``reference``          EX-<id> with ``msg #<ledger id>`` or ``call #<id>``; the mailbox's name
``child``              initials (``report.identify = "initials"``) or the full name
``dob``                the child's date of birth, YYYY-MM-DD
``agency``             the referrer's agency (form field ``referrer_agency``, or the caller's)
``received_at``        when the mail (or call) came in, ISO 8601 with offset
``due_at``             the deadline, ISO 8601 with offset; blank when none
``overdue``            how far past the deadline at the cut-off, in working days or hours
``age_working_days``   still-open rows: working days since it was raised
``late``               yes when the missing item arrived after the deadline
``detail``             what the rule found (on mailbox lines: the reconciliation counts)

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
``'`` so a spreadsheet shows it as text instead of running it as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from intake.report.build import NO_DATA, Report, Row
from intake.store.reports import MailboxCounts

CSV_COLUMNS = (
    "section",
    "rule",
    "severity",
    "status",
    "exception_id",
    "reference",
    "child",
    "dob",
    "agency",
    "received_at",
    "due_at",
    "overdue",
    "age_working_days",
    "late",
    "detail",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Rendered:
    """One report in its three forms."""

    subject: str
    html: str
    text: str
    csv: bytes


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(
            enabled_extensions=("html",), disabled_extensions=("txt",), default=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


_ENV = _environment()


def subject(report: Report, prefix: str, *, late: bool) -> str:
    """``C-SPOC daily exceptions report — 2026-11-30``, with ``[LATE] `` in front when late."""
    return f"{'[LATE] ' if late else ''}{prefix} — {report.day.isoformat()}"


def render(report: Report, subject_prefix: str, *, late: bool = False) -> Rendered:
    zone = zoneinfo.ZoneInfo(report.zone_name)

    def when(value: dt.datetime | None) -> str:
        return value.astimezone(zone).strftime("%a %d %b %Y %H:%M") if value else ""

    title = subject(report, subject_prefix, late=late)
    context = {
        "report": report,
        "late": late,
        "subject": title,
        "when": when,
        "no_data": NO_DATA,
        "mailbox_detail": mailbox_detail,
    }
    html = _ENV.get_template("report.html").render(context)
    text = _ENV.get_template("report.txt").render(context)
    return Rendered(title, html, text, to_csv(report))


def mailbox_detail(line: MailboxCounts) -> str:
    parts = [
        f"in folders {line.in_folders if line.in_folders is not None else 'n/a'}",
        f"in ledger {line.in_ledger}",
        f"processed {line.processed}",
        f"waiting {line.waiting}",
        f"failed {line.failed}",
        f"dead {line.dead}",
    ]
    if line.problems:
        parts.append("TROUBLE: " + "; ".join(line.problems))
    return ", ".join(parts)


def neutralise(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _iso(value: dt.datetime | None, zone: dt.tzinfo) -> str:
    return value.astimezone(zone).isoformat(timespec="seconds") if value else ""


def csv_row(row: Row, zone: dt.tzinfo) -> list[str]:
    return [
        row.section,
        row.rule,
        row.severity,
        row.status,
        str(row.exception_id),
        row.reference,
        row.child,
        row.dob,
        row.agency,
        _iso(row.received_at, zone),
        _iso(row.due_at, zone),
        row.overdue,
        "" if row.age_working_days is None else str(row.age_working_days),
        "yes" if row.late else "",
        row.detail,
    ]


def to_csv(report: Report) -> bytes:
    zone = zoneinfo.ZoneInfo(report.zone_name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        writer.writerow([neutralise(cell) for cell in csv_row(row, zone)])
    for line in report.mailboxes:
        cells = ["mailbox", "", "", "", "", line.mailbox, "", "", "", "", "", "", "", ""]
        detail = mailbox_detail(line)
        if line.last_success_at is not None:
            detail += f", last successful poll {_iso(line.last_success_at, zone)}"
        writer.writerow([neutralise(cell) for cell in [*cells, detail]])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
