"""Phone contacts from professionals: the duty call-log CSV and a single call given as options.

Duty workers log every phone contact: referrals (an urgent one must be followed by an emailed
referral form the same day) and professional consultations (advice only, no referral made). This
module turns the call log, or one call typed on the command line, into validated ``CallRecord``
values. It stores nothing: bad rows come back as ``RowProblem`` data for the command to show.

Problem reasons say what is wrong and how to fix it. They never quote a child's or caller's name,
a date of birth or notes, because they can end up in logs; they may quote the value of
``called_at``, ``urgent`` or ``kind``.

Every record has a ``fingerprint`` built from the call's normalised values, so the same call
imported twice, from the same file or another one, is recognised.
"""

from __future__ import annotations

import calendar
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: Every column of the call log, in the order the contract lists them.
CALL_COLUMNS: tuple[str, ...] = (
    "called_at",
    "caller_name",
    "caller_agency",
    "caller_phone",
    "child_forenames",
    "child_surname",
    "child_dob",
    "urgent",
    "kind",
    "taken_by",
    "notes",
)
#: Columns the header row must have (a consultation row may still leave the child ones empty).
REQUIRED_COLUMNS: tuple[str, ...] = (
    "called_at",
    "caller_name",
    "child_forenames",
    "child_surname",
    "urgent",
)
KINDS = ("referral", "consultation")

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: A call logged more than this after "now" has not happened yet (usually a typo in the year).
FUTURE_TOLERANCE = dt.timedelta(days=1)
#: An expected date of delivery may be up to this many months after the call.
DOB_MONTHS_AHEAD = 10
#: Children's services work with young people up to 25 (care leavers), so older is a typo.
DOB_YEARS_BEFORE = 26

NO_TIME_WARNING = "called_at: no time given"
TWICE_WARNING = (
    "called_at: the clocks went back that night, so this time happened twice; taken as the "
    "first (give an offset, e.g. +00:00, for the second)"
)
NOT_UTF8 = "the file is not UTF-8 text; in Excel use Save As > CSV UTF-8 (comma delimited)"
SAVE_AS_CSV = "in Excel use Save As > CSV UTF-8 (comma delimited)"

_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})

_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[Tt ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?P<offset>[Zz]|[+-]\d{2}:?\d{2})?)?"
)
_UK = re.compile(
    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"
    r"(?:[Tt ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
)
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
_UK_DATE = re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})")
_DATETIME_HINT = "write YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM (e.g. 2026-03-02 10:15)"
_DOB_HINT = "write YYYY-MM-DD or DD/MM/YYYY"
_QUOTE_LIMIT = 40


@dataclass(frozen=True)
class CallRecord:
    """One phone contact, validated and normalised."""

    #: When the call was taken, aware, in the configured zone.
    called_at: dt.datetime
    caller_name: str
    caller_agency: str | None
    caller_phone: str | None
    child_forenames: str | None
    child_surname: str | None
    child_dob: dt.date | None
    urgent: bool
    #: ``"referral"`` or ``"consultation"`` (advice only: never a referral).
    kind: str
    taken_by: str | None
    notes: str | None
    #: Line in the CSV where the row starts; ``None`` for a call given as options.
    line: int | None = None
    #: Things the duty worker should check that do not stop the call being stored.
    warnings: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        """sha256 hex of the values that identify the call, however they were written.

        The time in UTC, the child's names and caller's name folded to lower case, the date of
        birth, urgency, kind and the caller's phone digits (a UK ``+44`` written as ``0``).
        Agency, who took the call and notes are not part of it: editing them does not make a
        new call.
        """
        parts = [
            self.called_at.astimezone(dt.UTC).isoformat(),
            _fold(self.child_forenames),
            _fold(self.child_surname),
            self.child_dob.isoformat() if self.child_dob else "",
            "1" if self.urgent else "0",
            self.kind,
            _fold(self.caller_name),
            phone_digits(self.caller_phone),
        ]
        return hashlib.sha256(json.dumps(parts).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class RowProblem:
    """Why one row (or the whole file, line 1) cannot be stored."""

    #: Physical line in the file where the row starts; 1 = the header or the whole file;
    #: 0 = a call given as command-line options.
    line: int
    reason: str

    def __str__(self) -> str:
        if self.line == 0:
            return self.reason
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class CallsFile:
    """What one call-log file held."""

    #: The good rows, in file order, with repeats of the same call removed.
    records: tuple[CallRecord, ...]
    #: Every bad row, or one problem with the file as a whole (then ``records`` is empty).
    problems: tuple[RowProblem, ...]
    #: Header names that are not call-log columns, as written in the file: their values are
    #: not read.
    ignored_columns: tuple[str, ...]
    #: Data rows read (blank lines not counted).
    rows: int


# --- dates and times ---------------------------------------------------------------------------


def parse_datetime(text: str, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The contract's DATETIME, plus ``DD/MM/YYYY HH:MM`` and a space instead of ``T``.

    A value without an offset is local time in ``zone``; the result is aware, in ``zone``. A
    date alone means midnight local time. Raises ``ValueError`` with a message that quotes the
    value and says how to write it.
    """
    return _parse_datetime(text, zone)[0]


def _parse_datetime(text: str, zone: zoneinfo.ZoneInfo) -> tuple[dt.datetime, bool, bool]:
    """``(when, whether a time was given, whether that local time happened twice)``.

    A local time in the hour the clocks go back is taken as its first occurrence.
    """
    value = " ".join(text.split())
    shown = _quote(value)
    match = _ISO.fullmatch(value) or _UK.fullmatch(value)
    if match is None:
        raise ValueError(f"{shown} is not a date and time; {_DATETIME_HINT}")
    parts = match.groupdict()
    has_time = parts["hour"] is not None
    try:
        naive = dt.datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
        )
    except ValueError:
        raise ValueError(
            f"{shown} has no such date or time; check the day, month, hour and minute"
        ) from None
    offset = parts.get("offset")
    if offset:
        return naive.replace(tzinfo=_offset(offset, shown)).astimezone(zone), has_time, False
    local = naive.replace(tzinfo=zone)
    if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError(
            f"{shown} does not exist in {zone.key} (the clocks went forward that night); "
            "check the time, or give it with an offset such as +01:00"
        )
    twice = local.utcoffset() != local.replace(fold=1).utcoffset()
    return local, has_time, twice


def _offset(text: str, shown: str) -> dt.timezone:
    if text in {"Z", "z"}:
        return dt.UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        raise ValueError(f"{shown} has an impossible offset; write it like +01:00 or Z")
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-delta if text[0] == "-" else delta)


def _parse_dob(text: str) -> dt.date | None:
    """The date, or ``None`` when it is not written as a date; ``ValueError`` when impossible."""
    match = _ISO_DATE.fullmatch(text) or _UK_DATE.fullmatch(text)
    if match is None:
        return None
    return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))


def _add_months(day: dt.date, months: int) -> dt.date:
    years, month_index = divmod(day.month - 1 + months, 12)
    year = day.year + years
    month = month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- values ------------------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    """Trimmed, internal whitespace collapsed to single spaces."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _clean_notes(text: str | None) -> str:
    """Trimmed, line breaks kept (written as ``\\n``)."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").strip()


def _quote(value: str) -> str:
    if len(value) > _QUOTE_LIMIT:
        value = value[:_QUOTE_LIMIT] + "…"
    return f"'{value}'"


def _fold(name: str | None) -> str:
    return _clean(name).replace("\u2019", "'").casefold()


def phone_digits(phone: str | None) -> str:
    """A UK phone number's digits, however written: +44, 0044 and (0) become a leading 0."""
    text = (phone or "").replace("(0)", "").strip()
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+44"):
        return "0" + digits[2:]
    if digits.startswith("0044"):
        return "0" + digits[4:]
    return digits


def _column(column: str) -> str:
    return column


def _option(column: str) -> str:
    return "--" + column.replace("_", "-")


def _validate(
    values: Mapping[str, str | None],
    *,
    zone: zoneinfo.ZoneInfo,
    now: dt.datetime,
    label: Callable[[str], str],
    line: int | None,
) -> CallRecord | list[str]:
    """One call from ``column -> text``: the record, or every reason it cannot be stored.

    ``label`` names a column in a reason (the column itself, or the command-line option).
    """
    text = {column: _clean(values.get(column)) for column in CALL_COLUMNS}
    text["notes"] = _clean_notes(values.get("notes"))
    reasons: list[str] = []
    warnings: list[str] = []

    kind: str | None = text["kind"].casefold() or "referral"
    if kind not in KINDS:
        reasons.append(
            f"{label('kind')}: {_quote(text['kind'])} is not referral or consultation; "
            "write one of those, or leave it empty for a referral"
        )
        kind = None  # unknown: do not guess which fields it needs

    called_at: dt.datetime | None = None
    if not text["called_at"]:
        reasons.append(
            f"{label('called_at')}: missing; write when the call was taken, e.g. 2026-03-02 10:15"
        )
    else:
        try:
            called_at, has_time, twice = _parse_datetime(text["called_at"], zone)
        except ValueError as err:
            reasons.append(f"{label('called_at')}: {err}")
        else:
            if called_at > now + FUTURE_TOLERANCE:
                reasons.append(
                    f"{label('called_at')}: {_quote(text['called_at'])} is in the future; "
                    "check the year"
                )
                called_at = None
            elif not has_time:
                warnings.append(NO_TIME_WARNING)
            elif twice:
                warnings.append(TWICE_WARNING)

    if not text["caller_name"]:
        reasons.append(
            f"{label('caller_name')}: missing; write the name of the professional who phoned"
        )

    if kind == "referral":
        for column, what in (("child_forenames", "forenames"), ("child_surname", "surname")):
            if not text[column]:
                reasons.append(
                    f"{label(column)}: missing; a referral needs the child's {what} "
                    "(a call for advice only is kind consultation)"
                )

    urgent = False
    if text["urgent"]:
        answer = text["urgent"].casefold()
        if answer in _YES:
            urgent = True
        elif answer not in _NO:
            reasons.append(
                f"{label('urgent')}: {_quote(text['urgent'])} is not yes/no; write yes or no"
            )
    elif kind == "referral":
        reasons.append(f"{label('urgent')}: missing; write yes or no")

    child_dob: dt.date | None = None
    if text["child_dob"]:
        try:
            child_dob = _parse_dob(text["child_dob"])
        except ValueError:
            reasons.append(
                f"{label('child_dob')}: no such date (check the day and month); {_DOB_HINT}"
            )
        else:
            if child_dob is None:
                reasons.append(f"{label('child_dob')}: not a date; {_DOB_HINT}")
            elif called_at is not None:
                call_day = called_at.astimezone(zone).date()
                if child_dob > _add_months(call_day, DOB_MONTHS_AHEAD):
                    reasons.append(
                        f"{label('child_dob')}: more than {DOB_MONTHS_AHEAD} months after the "
                        "call; check the year (an expected date of delivery is fine up to "
                        f"{DOB_MONTHS_AHEAD} months ahead)"
                    )
                elif child_dob < _add_months(call_day, -12 * DOB_YEARS_BEFORE):
                    reasons.append(
                        f"{label('child_dob')}: more than {DOB_YEARS_BEFORE} years before the "
                        "call; check the year"
                    )

    if reasons or called_at is None or kind is None:
        return reasons
    return CallRecord(
        called_at=called_at,
        caller_name=text["caller_name"],
        caller_agency=text["caller_agency"] or None,
        caller_phone=text["caller_phone"] or None,
        child_forenames=text["child_forenames"] or None,
        child_surname=text["child_surname"] or None,
        child_dob=child_dob,
        urgent=urgent,
        kind=kind,
        taken_by=text["taken_by"] or None,
        notes=text["notes"] or None,
        line=line,
        warnings=tuple(warnings),
    )


def _require_aware(now: dt.datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")


# --- one call from options ---------------------------------------------------------------------


def make_call(
    *,
    called_at: str,
    caller_name: str,
    child_forenames: str | None,
    child_surname: str | None,
    urgent: str | None,
    zone: zoneinfo.ZoneInfo,
    now: dt.datetime,
    caller_agency: str | None = None,
    caller_phone: str | None = None,
    child_dob: str | None = None,
    kind: str = "referral",
    taken_by: str | None = None,
    notes: str | None = None,
) -> CallRecord | list[RowProblem]:
    """One call given as command-line options, checked by the same rules as a call-log row.

    Problems are on line 0 and name the option (``--urgent: 'maybe' is not yes/no; ...``).
    """
    _require_aware(now)
    values: dict[str, str | None] = {
        "called_at": called_at,
        "caller_name": caller_name,
        "caller_agency": caller_agency,
        "caller_phone": caller_phone,
        "child_forenames": child_forenames,
        "child_surname": child_surname,
        "child_dob": child_dob,
        "urgent": urgent,
        "kind": kind,
        "taken_by": taken_by,
        "notes": notes,
    }
    result = _validate(values, zone=zone, now=now, label=_option, line=None)
    if isinstance(result, CallRecord):
        return result
    return [RowProblem(0, reason) for reason in result]


# --- the call-log CSV --------------------------------------------------------------------------


def _column_key(name: str) -> str:
    """``" Child Forenames"`` and ``"child-forenames"`` both name ``child_forenames``."""
    return re.sub(r"[\s_-]+", "_", name.strip().casefold()).strip("_")


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    return f"{count} bytes"


def _file_problem(
    reason: str, *, line: int = 1, ignored: tuple[str, ...] = (), rows: int = 0
) -> CallsFile:
    return CallsFile((), (RowProblem(line, reason),), ignored, rows)


def _csv_error_reason(err: csv.Error) -> str:
    message = str(err)
    if "unexpected end of data" in message:
        return (
            "a double quote opened in the row starting on this line is never closed; "
            'close it, or double any quote inside a value ("")'
        )
    if "expected after" in message:
        return (
            "a quoted value has text after its closing quote; put the whole value in double "
            'quotes and double any quote inside it ("")'
        )
    if "field larger than field limit" in message:
        return (
            "a value is far too long (probably a double quote that is never closed); "
            "check the double quotes from this line on"
        )
    return f"this line is not valid CSV ({message}); check its commas and double quotes"


def read_calls_csv(
    data: bytes,
    zone: zoneinfo.ZoneInfo,
    *,
    now: dt.datetime,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> CallsFile:
    """Read and check a whole call-log file; it never raises for anything in the file."""
    _require_aware(now)
    if len(data) > max_bytes:
        return _file_problem(
            f"the file is {_size(len(data))}, over the limit of {_size(max_bytes)}; "
            "split the call log into smaller files"
        )
    if data.startswith(b"PK\x03\x04"):
        return _file_problem(f"the file is an Excel workbook, not CSV; {SAVE_AS_CSV}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _file_problem(NOT_UTF8)
    nul = data.find(b"\x00")
    if nul >= 0:
        nul_line = data.count(b"\n", 0, nul) + 1
        return _file_problem(
            f"the file contains NUL bytes (the first on line {nul_line}), "
            f"so it is not plain CSV text (a spreadsheet or a damaged copy?); {SAVE_AS_CSV}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _file_problem(NOT_UTF8)

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines: list[tuple[int, list[str]]] = []
    end = 0  # last physical line read so far
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                lines.append((end + 1, cells))
            end = reader.line_num
    except csv.Error as err:
        return _file_problem(_csv_error_reason(err), line=end + 1)

    if not lines:
        return _file_problem(
            "no rows: the file is empty; export the call log with its header row and one call "
            "per row"
        )
    (_, header), body = lines[0], lines[1:]

    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        separator = "semicolons" if ";" in header[0] else "tabs"
        return _file_problem(
            f"the file is separated by {separator}, not commas; {SAVE_AS_CSV}, "
            "or set the list separator to a comma"
        )

    positions: dict[str, list[int]] = {}
    ignored: list[str] = []
    unnamed: list[int] = []
    for index, name in enumerate(header):
        key = _column_key(name)
        if key in CALL_COLUMNS:
            positions.setdefault(key, []).append(index)
        elif not key:
            unnamed.append(index)
        elif name.strip() not in ignored:
            ignored.append(name.strip())
    for index in unnamed:
        if any(index < len(cells) and cells[index].strip() for _, cells in body):
            ignored.append(f"(column {index + 1}, no name)")
    ignored_columns = tuple(ignored)

    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        plural = len(missing) > 1
        return _file_problem(
            f"missing required column{'s' if plural else ''}: {', '.join(missing)}; "
            f"add {'them' if plural else 'it'} to the header row (the first row), which needs "
            f"{', '.join(REQUIRED_COLUMNS[:-1])} and {REQUIRED_COLUMNS[-1]}",
            ignored=ignored_columns,
        )
    repeated = [column for column, at in positions.items() if len(at) > 1]
    if repeated:
        details = ", ".join(
            f"{column} (columns {', '.join(str(i + 1) for i in positions[column])})"
            for column in repeated
        )
        return _file_problem(
            f"the header names a column more than once: {details}; keep one of each",
            ignored=ignored_columns,
        )
    if not body:
        return _file_problem(
            "no rows: the file has a header row but no calls; add one call per row below it",
            ignored=ignored_columns,
        )

    index_of = {column: at[0] for column, at in positions.items()}
    width = len(header)
    problems: list[RowProblem] = []
    records: list[CallRecord] = []
    first_by_fingerprint: dict[str, int] = {}
    for line, cells in body:
        if len(cells) > width:
            problems.append(
                RowProblem(
                    line,
                    f"this row has {len(cells)} values but the header has {width} columns; a "
                    "value with a comma in it must be in double quotes",
                )
            )
            continue
        values = {
            column: cells[index] if index < len(cells) else "" for column, index in index_of.items()
        }
        result = _validate(values, zone=zone, now=now, label=_column, line=line)
        if not isinstance(result, CallRecord):
            problems.extend(RowProblem(line, reason) for reason in result)
            continue
        position = first_by_fingerprint.get(result.fingerprint)
        if position is None:
            first_by_fingerprint[result.fingerprint] = len(records)
            records.append(result)
            continue
        kept = records[position]
        differing = [
            field.name
            for field in dataclasses.fields(CallRecord)
            if field.name not in {"line", "warnings"}
            and getattr(kept, field.name) != getattr(result, field.name)
        ]
        if differing:
            records[position] = dataclasses.replace(
                kept,
                warnings=(
                    *kept.warnings,
                    f"line {line} is the same call with a different {', '.join(differing)}; "
                    "only this line was kept",
                ),
            )

    return CallsFile(tuple(records), tuple(problems), ignored_columns, len(body))
