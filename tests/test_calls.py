"""Phone contacts as duty workers log them: the call-log CSV and one call given as options.

Every name, phone number and date here is invented. Every problem reason the suite produces is
checked to hold none of the children's or callers' names, dates of birth or notes.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.calls import (
    CALL_COLUMNS,
    KINDS,
    NO_TIME_WARNING,
    NOT_UTF8,
    REQUIRED_COLUMNS,
    TWICE_WARNING,
    CallRecord,
    CallsFile,
    RowProblem,
    make_call,
    parse_datetime,
    read_calls_csv,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 16, 9, 0, tzinfo=LONDON)

CHILD_FORENAMES = "Juniper Wren"
CHILD_SURNAME = "Quillfeather"
CHILD_DOB = "2015-06-14"
CALLER = "Delphine Marrowby"
NOTES = "School nurse worried\nabout bruising, seen today"

#: Text that must never appear in a problem reason or a warning.
PRIVATE = (
    CHILD_FORENAMES,
    "Juniper",
    CHILD_SURNAME,
    CALLER,
    "Marrowby",
    CHILD_DOB,
    "14/06/2015",
    "bruising",
    "Orrin",
    "Vantablake",
    "Tobias Fenwright",
    "Fenwright",
)

GOOD: dict[str, str] = {
    "called_at": "2026-03-02 10:15",
    "caller_name": CALLER,
    "caller_agency": "Hollowmere Primary School",
    "caller_phone": "020 7946 0123",
    "child_forenames": CHILD_FORENAMES,
    "child_surname": CHILD_SURNAME,
    "child_dob": CHILD_DOB,
    "urgent": "yes",
    "kind": "referral",
    "taken_by": "Duty worker A",
    "notes": NOTES,
}


def assert_private(texts: Iterable[str]) -> None:
    for text in texts:
        for secret in PRIVATE:
            assert secret.casefold() not in text.casefold(), (secret, text)


def csv_bytes(
    rows: Sequence[Sequence[str]], *, bom: bool = False, terminator: str = "\r\n"
) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=terminator).writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def table(*records: dict[str, str], columns: Sequence[str] = CALL_COLUMNS) -> bytes:
    return csv_bytes([list(columns), *([r.get(c, "") for c in columns] for r in records)])


def read(data: bytes, **kwargs: int) -> CallsFile:
    """Read a file, checking that nothing it reports leaks personal details."""
    result = read_calls_csv(data, LONDON, now=NOW, **kwargs)
    assert_private(str(problem) for problem in result.problems)
    assert_private(warning for record in result.records for warning in record.warnings)
    return result


def reasons(result: CallsFile) -> list[str]:
    return [str(problem) for problem in result.problems]


def call(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


# --- good files ---------------------------------------------------------------------------------


def test_good_file_in_any_column_order_with_bom() -> None:
    """GIVEN a call log saved by Excel (BOM, CRLF) with its columns in an unusual order
    WHEN it is read
    THEN every row becomes a record with aware times, booleans and dates, and its line number.
    """
    columns = list(reversed(CALL_COLUMNS))
    second = call(
        called_at="02/03/2026 14:40",
        child_forenames="Orrin",
        child_surname="Vantablake",
        child_dob="3/9/2019",
        urgent="No",
        kind="",
        caller_agency="",
        caller_phone="",
        taken_by="",
        notes="",
    )
    data = csv_bytes([columns, [GOOD[c] for c in columns], [second[c] for c in columns]], bom=True)

    result = read(data)

    assert result.problems == ()
    assert result.ignored_columns == ()
    assert result.rows == 2
    first, other = result.records
    assert first == CallRecord(
        called_at=dt.datetime(2026, 3, 2, 10, 15, tzinfo=LONDON),
        caller_name=CALLER,
        caller_agency="Hollowmere Primary School",
        caller_phone="020 7946 0123",
        child_forenames=CHILD_FORENAMES,
        child_surname=CHILD_SURNAME,
        child_dob=dt.date(2015, 6, 14),
        urgent=True,
        kind="referral",
        taken_by="Duty worker A",
        notes=NOTES,
        line=2,
    )
    assert first.called_at.utcoffset() == dt.timedelta(0)
    # a quoted notes cell spans two physical lines, so the next row starts on line 4
    assert other.line == 4
    assert other.called_at == dt.datetime(2026, 3, 2, 14, 40, tzinfo=LONDON)
    assert other.child_dob == dt.date(2019, 9, 3)
    assert other.urgent is False
    assert other.kind == "referral"
    assert (other.caller_agency, other.caller_phone, other.taken_by, other.notes) == (None,) * 4


@pytest.mark.parametrize(
    ("written", "urgent"),
    [
        ("yes", True),
        ("YES", True),
        ("y", True),
        ("True", True),
        ("1", True),
        ("no", False),
        ("N", False),
        ("false", False),
        ("0", False),
    ],
)
def test_urgent_spellings(written: str, urgent: bool) -> None:
    (record,) = read(table(call(urgent=written))).records
    assert record.urgent is urgent


def test_consultation_rows_may_leave_child_columns_and_urgent_empty() -> None:
    """GIVEN a professional consultation (advice only) with no child and no urgency
    WHEN the call log is read
    THEN it is a consultation record, not urgent, with no child details.
    """
    advice = call(
        kind="Consultation",
        child_forenames="",
        child_surname="",
        child_dob="",
        urgent="",
        notes="Asked about threshold for early help",
    )

    (record,) = read(table(advice)).records

    assert record.kind == "consultation"
    assert record.urgent is False
    assert (record.child_forenames, record.child_surname, record.child_dob) == (None, None, None)


def test_consultation_keeps_child_details_and_urgency_when_given() -> None:
    (record,) = read(table(call(kind="consultation", urgent="yes"))).records
    assert (record.kind, record.urgent, record.child_surname) == (
        "consultation",
        True,
        CHILD_SURNAME,
    )


def test_header_names_are_matched_loosely() -> None:
    """GIVEN header names typed by hand: other case, padding, spaces and hyphens
    WHEN the call log is read
    THEN they name the contract's columns.
    """
    header = [" Called At ", "CALLER-NAME", "child  forenames", "Child_Surname", "Urgent"]
    data = csv_bytes([header, ["2026-03-02T10:15", CALLER, "Juniper", CHILD_SURNAME, "no"]])

    result = read(data)

    assert result.problems == ()
    assert result.ignored_columns == ()
    (record,) = result.records
    assert record.child_forenames == "Juniper"
    assert record.caller_name == CALLER


def test_values_are_trimmed_and_whitespace_collapsed_but_notes_keep_line_breaks() -> None:
    row = call(
        caller_name="  Delphine   Marrowby ",
        child_forenames="Juniper\t Wren",
        caller_agency=" Hollowmere  Primary School ",
        urgent=" yes ",
        kind=" REFERRAL ",
        notes="  School nurse worried\r\nabout bruising, seen today \n ",
    )

    (record,) = read(table(row)).records

    assert record.caller_name == CALLER
    assert record.child_forenames == CHILD_FORENAMES
    assert record.caller_agency == "Hollowmere Primary School"
    assert record.kind == "referral"
    assert record.notes == NOTES


def test_blank_lines_are_skipped_and_line_numbers_stay_physical() -> None:
    """GIVEN a call log with blank lines and rows of empty cells between calls
    WHEN it is read
    THEN they are not rows, and each record keeps the line it is on in the file.
    """
    header = ",".join(CALL_COLUMNS)
    row = ",".join(f'"{GOOD[c]}"' for c in CALL_COLUMNS)  # notes span two lines
    other = row.replace("10:15", "11:30")
    text = f"\n{header}\n\n{row}\n,,, ,,,,,,,\n\n{other}\n\n"

    result = read(text.encode())

    assert result.problems == ()
    assert result.rows == 2
    assert [record.line for record in result.records] == [4, 8]


def test_date_only_called_at_is_midnight_with_a_warning() -> None:
    (record,) = read(table(call(called_at="2026-03-02"))).records
    assert record.called_at == dt.datetime(2026, 3, 2, tzinfo=LONDON)
    assert record.warnings == (NO_TIME_WARNING,)
    (record,) = read(table(call(called_at="02/03/2026"))).records
    assert record.warnings == (NO_TIME_WARNING,)


def test_time_in_the_hour_the_clocks_go_back_is_the_first_with_a_warning() -> None:
    (record,) = read(table(call(called_at="2026-10-25 01:30"))).records
    assert record.called_at.utcoffset() == dt.timedelta(hours=1)
    assert record.warnings == (TWICE_WARNING,)
    (record,) = read(table(call(called_at="2026-10-25 01:30+00:00"))).records
    assert record.called_at.utcoffset() == dt.timedelta(0)
    assert record.warnings == ()


@pytest.mark.parametrize(
    ("written", "offset"),
    [("2026-03-29T10:00", dt.timedelta(hours=1)), ("2026-10-25T10:00", dt.timedelta(0))],
)
def test_local_times_follow_british_summer_time(written: str, offset: dt.timedelta) -> None:
    """GIVEN calls on the days the clocks change, written without an offset
    WHEN the call log is read
    THEN each is local London time: BST (+01:00) after 29 March, GMT after 25 October.
    """
    (record,) = read(table(call(called_at=written))).records
    assert record.called_at.utcoffset() == offset
    assert record.called_at.astimezone(dt.UTC).hour == 10 - offset.seconds // 3600


# --- bad rows -----------------------------------------------------------------------------------

BAD_VALUES = [
    ({"urgent": "maybe"}, "urgent: 'maybe' is not yes/no; write yes or no"),
    ({"urgent": ""}, "urgent: missing; write yes or no"),
    ({"kind": "advice"}, "kind: 'advice' is not referral or consultation;"),
    ({"kind": "advice", "urgent": "perhaps"}, "urgent: 'perhaps' is not yes/no"),
    ({"kind": "consultation", "urgent": "perhaps"}, "urgent: 'perhaps' is not yes/no"),
    ({"kind": "consultation", "caller_name": ""}, "caller_name: missing;"),
    ({"called_at": ""}, "called_at: missing;"),
    ({"called_at": "yesterday"}, "called_at: 'yesterday' is not a date and time;"),
    ({"called_at": "02/03/26 10:15"}, "called_at: '02/03/26 10:15' is not a date and time;"),
    ({"called_at": "2026-02-30 10:00"}, "called_at: '2026-02-30 10:00' has no such date"),
    ({"called_at": "31/02/2026 10:15"}, "called_at: '31/02/2026 10:15' has no such date"),
    ({"called_at": "2026-03-02 25:10"}, "called_at: '2026-03-02 25:10' has no such date"),
    ({"called_at": "2026-03-02T10:15+25:00"}, "has an impossible offset"),
    ({"called_at": "2026-03-29 01:30"}, "does not exist in Europe/London"),
    ({"called_at": "2027-11-16 10:15"}, "called_at: '2027-11-16 10:15' is in the future;"),
    ({"called_at": "2026-11-17T09:30"}, "is in the future; check the year"),
    ({"caller_name": " "}, "caller_name: missing; write the name of the professional"),
    ({"child_forenames": ""}, "child_forenames: missing; a referral needs the child's forenames"),
    ({"child_surname": ""}, "child_surname: missing; a referral needs the child's surname"),
    ({"child_dob": "June 2015"}, "child_dob: not a date; write YYYY-MM-DD or DD/MM/YYYY"),
    ({"child_dob": "14/06/15"}, "child_dob: not a date; write YYYY-MM-DD or DD/MM/YYYY"),
    ({"child_dob": "2015-02-30"}, "child_dob: no such date (check the day and month)"),
    ({"child_dob": "30/02/2015"}, "child_dob: no such date (check the day and month)"),
    ({"child_dob": "2027-01-03"}, "child_dob: more than 10 months after the call"),
    ({"child_dob": "2000-03-01"}, "child_dob: more than 26 years before the call"),
]


@pytest.mark.parametrize(
    ("changes", "expected"), BAD_VALUES, ids=[str(i) for i in range(len(BAD_VALUES))]
)
def test_each_bad_value_is_reported_on_its_physical_line(
    changes: dict[str, str], expected: str
) -> None:
    """GIVEN a call log whose second call has one bad value, after a call whose quoted notes
    span two lines, a blank line and a line of empty cells
    WHEN it is read
    THEN that call is reported on line 6 with a reason that names the column and the fix,
    and the good calls around it are still read.
    """
    rows = table(GOOD, call(**changes), call(called_at="2026-03-02 16:00")).decode().split("\r\n")
    data = "\r\n".join([*rows[:2], "", " , ,", *rows[2:]]).encode()

    result = read(data)

    assert result.rows == 3
    assert [record.line for record in result.records] == [2, 8]
    assert result.problems
    assert all(problem.line == 6 for problem in result.problems)
    assert any(expected in problem.reason for problem in result.problems), reasons(result)
    assert str(result.problems[0]).startswith("line 6: ")


def test_a_row_with_several_bad_values_lists_each() -> None:
    result = read(table(call(urgent="maybe", child_surname="", called_at="soon")))
    assert [problem.line for problem in result.problems] == [2, 2, 2]
    assert [problem.reason.split(":")[0] for problem in result.problems] == [
        "called_at",
        "child_surname",
        "urgent",
    ]


def test_every_bad_row_is_listed_and_the_good_rows_are_kept_apart() -> None:
    """GIVEN a call log with two bad rows among good ones
    WHEN it is read
    THEN both bad rows are listed with their lines, and the good rows are there for
    --skip-invalid to store.
    """
    data = table(
        GOOD,
        call(urgent="maybe"),
        call(called_at="2026-03-03 09:00"),
        call(kind="query"),
    )

    result = read(data)

    assert reasons(result) == [
        "line 4: urgent: 'maybe' is not yes/no; write yes or no",
        "line 8: kind: 'query' is not referral or consultation; write one of those, "
        "or leave it empty for a referral",
    ]
    assert [record.line for record in result.records] == [2, 6]
    assert result.rows == 4


def test_dob_limits_allow_an_expected_baby_and_a_care_leaver() -> None:
    """GIVEN an expected date of delivery exactly 10 months after the call, and a young person
    born exactly 26 years before it
    WHEN the call log is read
    THEN both are accepted; a day further either way is not.
    """
    ok = read(table(call(child_dob="2027-01-02"), call(child_dob="02/03/2000", urgent="no")))
    assert ok.problems == ()
    assert [r.child_dob for r in ok.records] == [dt.date(2027, 1, 2), dt.date(2000, 3, 2)]
    bad = read(table(call(child_dob="2027-01-03"), call(child_dob="01/03/2000")))
    assert [p.line for p in bad.problems] == [2, 4]


def test_a_row_with_more_cells_than_the_header_is_a_problem() -> None:
    header = ",".join(REQUIRED_COLUMNS)
    text = f"{header}\n2026-03-02 10:15,{CALLER},Juniper,{CHILD_SURNAME},yes,extra\n"

    result = read(text.encode())

    assert result.records == ()
    assert reasons(result) == [
        "line 2: this row has 6 values but the header has 5 columns; a value with a comma in "
        "it must be in double quotes"
    ]


def test_a_short_row_is_read_as_empty_cells() -> None:
    header = ",".join([*REQUIRED_COLUMNS, "notes"])
    result = read(f"{header}\n2026-03-02 10:15,{CALLER},Juniper,{CHILD_SURNAME}\n".encode())
    assert reasons(result) == ["line 2: urgent: missing; write yes or no"]


def test_an_unclosed_quote_is_reported_where_its_row_starts() -> None:
    header = ",".join(REQUIRED_COLUMNS)
    good = f"2026-03-02 10:15,{CALLER},Juniper,{CHILD_SURNAME},yes"
    text = f'{header}\n{good}\n2026-03-02 11:15,"{CALLER},Juniper,{CHILD_SURNAME},yes\n{good}\n'

    result = read(text.encode())

    assert result.records == ()
    (problem,) = result.problems
    assert problem.line == 3
    assert "never closed" in problem.reason


def test_text_after_a_closing_quote_is_a_problem() -> None:
    header = ",".join(REQUIRED_COLUMNS)
    text = f'{header}\n2026-03-02 10:15,"{CALLER}" (nurse),Juniper,{CHILD_SURNAME},yes\n'
    (problem,) = read(text.encode()).problems
    assert problem.line == 2
    assert "text after its closing quote" in problem.reason


# --- the header ---------------------------------------------------------------------------------


def test_missing_required_columns_are_all_listed_in_one_problem() -> None:
    """GIVEN a call log without its called_at, child_surname or urgent columns
    WHEN it is read
    THEN one problem on line 1 lists every missing column, and nothing is read.
    """
    data = csv_bytes(
        [["caller_name", "child_forenames", "Surname"], [CALLER, "Juniper", CHILD_SURNAME]]
    )

    result = read(data)

    assert result.records == ()
    (problem,) = result.problems
    assert problem.line == 1
    assert problem.reason.startswith("missing required columns: called_at, child_surname, urgent;")
    assert result.ignored_columns == ("Surname",)


def test_unknown_columns_are_ignored_and_reported() -> None:
    """GIVEN a call log with extra columns the service does not know (one of them unnamed)
    WHEN it is read
    THEN the calls are read and the extra columns are listed as ignored, as written.
    """
    columns = ["Team", *REQUIRED_COLUMNS, "Outcome", "team", "", ""]
    rows = [
        columns,
        ["MASH", "2026-03-02 10:15", CALLER, "Juniper", CHILD_SURNAME, "yes", "NFA", "", "x", ""],
    ]

    result = read(csv_bytes(rows))

    assert result.problems == ()
    assert len(result.records) == 1
    assert result.ignored_columns == ("Team", "Outcome", "team", "(column 9, no name)")


def test_a_column_named_twice_is_a_problem() -> None:
    data = csv_bytes(
        [[*REQUIRED_COLUMNS, "Urgent"], ["2026-03-02 10:15", CALLER, "J", "Q", "y", "n"]]
    )
    (problem,) = read(data).problems
    assert problem.line == 1
    assert "urgent (columns 5, 6)" in problem.reason
    assert "keep one of each" in problem.reason


# --- files that are not a call log --------------------------------------------------------------


def test_bytes_that_are_not_utf8_are_one_problem_with_the_fix() -> None:
    """GIVEN a call log saved by Excel as plain "CSV" (Windows-1252), with an é in it
    WHEN it is read
    THEN one problem on line 1 says to save it as CSV UTF-8.
    """
    text = ",".join(REQUIRED_COLUMNS) + "\n2026-03-02 10:15,Zoé Fenwright,Juniper,Quill,yes\n"

    result = read(text.encode("cp1252"))

    assert result.records == ()
    assert result.problems == (RowProblem(1, NOT_UTF8),)
    assert "CSV UTF-8 (comma delimited)" in str(result.problems[0])


def test_utf16_text_is_not_utf8() -> None:
    text = ",".join(REQUIRED_COLUMNS) + "\n2026-03-02 10:15,A B,C,D,yes\n"
    assert read(text.encode("utf-16")).problems == (RowProblem(1, NOT_UTF8),)


@pytest.mark.parametrize(
    "data",
    [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b"  \n", b",,,\n"],
    ids=["empty", "bom", "blank-lines", "spaces", "empty-cells"],
)
def test_an_empty_file_has_no_rows(data: bytes) -> None:
    (problem,) = read(data).problems
    assert problem.line == 1
    assert problem.reason.startswith("no rows: the file is empty")


def test_a_header_without_calls_has_no_rows() -> None:
    result = read((",".join(CALL_COLUMNS) + "\r\n\r\n").encode())
    assert result.records == ()
    assert reasons(result) == [
        "line 1: no rows: the file has a header row but no calls; add one call per row below it"
    ]
    assert result.rows == 0


@pytest.mark.parametrize(("separator", "word"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_separated_by_semicolons_or_tabs_says_what_to_do(separator: str, word: str) -> None:
    """GIVEN a call log exported with a European list separator
    WHEN it is read
    THEN one problem says it is not comma-separated and how to save it.
    """
    text = separator.join(REQUIRED_COLUMNS) + "\n" + separator.join(["2026-03-02", CALLER]) + "\n"

    (problem,) = read(text.encode()).problems

    assert problem.line == 1
    assert f"separated by {word}, not commas" in problem.reason
    assert "Save As > CSV UTF-8 (comma delimited)" in problem.reason


def test_nul_bytes_say_what_to_do() -> None:
    text = ",".join(REQUIRED_COLUMNS) + "\n2026-03-02 10:15,A B,C,D,yes\nx\x00y,,,,\n"
    (problem,) = read(text.encode()).problems
    assert problem.line == 1
    assert "NUL bytes (the first on line 3)" in problem.reason
    assert "Save As > CSV UTF-8" in problem.reason


def test_an_excel_workbook_says_what_to_do() -> None:
    (problem,) = read(b"PK\x03\x04\x14\x00\x06\x00rest-of-a-zip").problems
    assert "Excel workbook, not CSV" in problem.reason


def test_a_file_over_the_size_limit_is_not_read() -> None:
    """GIVEN a call log one byte over the size limit
    WHEN it is read
    THEN one problem gives the size and the limit, and no row is read.
    """
    data = table(GOOD)

    result = read(data, max_bytes=len(data) - 1)

    assert (result.records, result.rows) == ((), 0)
    assert reasons(result) == [
        f"line 1: the file is {len(data)} bytes, over the limit of {len(data) - 1} bytes; "
        "split the call log into smaller files"
    ]
    assert len(read(data, max_bytes=len(data)).records) == 1
    big = read_calls_csv(b"x" * (21 * 1024 * 1024), LONDON, now=NOW)
    assert "21.0 MB, over the limit of 20.0 MB" in big.problems[0].reason


# --- the same call twice ------------------------------------------------------------------------


def test_identical_rows_in_one_file_are_one_call() -> None:
    """GIVEN a call log with the same call pasted twice
    WHEN it is read
    THEN one record is kept (the first), and nothing is reported.
    """
    result = read(table(GOOD, call(called_at="2026-03-02 12:00"), GOOD))

    assert result.problems == ()
    assert result.rows == 3
    assert [record.line for record in result.records] == [2, 4]
    assert result.records[0].warnings == ()


def test_the_same_call_with_other_notes_is_kept_once_with_a_warning() -> None:
    result = read(table(GOOD, call(notes="Updated later", taken_by="Duty worker B")))

    (record,) = result.records
    assert record.line == 2
    assert record.notes == NOTES
    assert record.warnings == (
        "line 4 is the same call with a different taken_by, notes; only this line was kept",
    )


SAME_CALL = [
    {},
    {"called_at": "02/03/2026 10:15"},
    {"called_at": "2/3/2026 10:15:00"},
    {"called_at": "2026-03-02T10:15:00Z"},
    {"called_at": "2026-03-02t11:15+01:00"},
    {"child_forenames": "JUNIPER  wren", "child_surname": " quillfeather"},
    {"caller_name": "delphine MARROWBY"},
    {"child_dob": "14/06/2015"},
    {"urgent": "Y", "kind": "Referral"},
    {"caller_phone": "(020) 7946-0123"},
    {"caller_phone": "+44 20 7946 0123"},
    {"caller_phone": "+44 (0)20 7946 0123"},
    {"caller_phone": "0044 20 7946 0123"},
    {"caller_agency": "Another name for the school", "taken_by": "", "notes": "other notes"},
]


@pytest.mark.parametrize("changes", SAME_CALL, ids=[str(i) for i in range(len(SAME_CALL))])
def test_the_same_call_written_differently_has_the_same_fingerprint(
    changes: dict[str, str],
) -> None:
    """GIVEN one call written as another worker might write it (case, spacing, date style,
    phone formatting)
    WHEN it is read from another file
    THEN its fingerprint is the same, so importing it again stores nothing new.
    """
    (original,) = read(table(GOOD)).records
    (again,) = read(table(call(**changes))).records
    assert again.fingerprint == original.fingerprint
    assert len(original.fingerprint) == 64
    assert int(original.fingerprint, 16) >= 0


DIFFERENT_CALL = [
    {"called_at": "2026-03-02 10:16"},
    {"called_at": "2026-03-02 10:15+01:00"},
    {"child_forenames": "Juniper"},
    {"child_surname": "Quillfeathers"},
    {"child_dob": "2015-06-15"},
    {"child_dob": ""},
    {"urgent": "no"},
    {"kind": "consultation"},
    {"caller_name": "Delphine Marrowbie"},
    {"caller_phone": "020 7946 0124"},
    {"caller_phone": ""},
]


@pytest.mark.parametrize(
    "changes", DIFFERENT_CALL, ids=[str(i) for i in range(len(DIFFERENT_CALL))]
)
def test_a_different_call_has_a_different_fingerprint(changes: dict[str, str]) -> None:
    (original,) = read(table(GOOD)).records
    (other,) = read(table(call(**changes))).records
    assert other.fingerprint != original.fingerprint
    both = read(table(GOOD, call(**changes)))
    assert len(both.records) == 2


# --- one call given as options ------------------------------------------------------------------


def test_a_call_given_as_options_matches_the_same_call_in_a_file() -> None:
    """GIVEN a call typed on the command line, and the same call in a call log
    WHEN both are checked
    THEN they are the same record (no line) with the same fingerprint.
    """
    record = make_call(
        called_at="02/03/2026 10:15",
        caller_name=CALLER,
        caller_agency="Hollowmere Primary School",
        caller_phone="020 7946 0123",
        child_forenames=CHILD_FORENAMES,
        child_surname=CHILD_SURNAME,
        child_dob=CHILD_DOB,
        urgent="yes",
        taken_by="Duty worker A",
        notes=NOTES,
        zone=LONDON,
        now=NOW,
    )

    assert isinstance(record, CallRecord)
    assert record.line is None
    (from_file,) = read(table(GOOD)).records
    assert record == dataclasses.replace(from_file, line=None)
    assert record.fingerprint == from_file.fingerprint


def test_a_consultation_given_as_options_needs_no_child() -> None:
    record = make_call(
        called_at="2026-03-02",
        caller_name=CALLER,
        child_forenames=None,
        child_surname=None,
        urgent=None,
        kind="consultation",
        zone=LONDON,
        now=NOW,
    )
    assert isinstance(record, CallRecord)
    assert (record.kind, record.urgent, record.child_surname) == ("consultation", False, None)
    assert record.warnings == (NO_TIME_WARNING,)


def test_bad_options_are_problems_on_line_0_that_name_the_option() -> None:
    """GIVEN a call typed on the command line with bad values
    WHEN it is checked
    THEN each problem names the option, is on line 0, and prints without a line number.
    """
    problems = make_call(
        called_at="2026-13-02 10:15",
        caller_name=CALLER,
        child_forenames=CHILD_FORENAMES,
        child_surname="",
        child_dob="14/06/15",
        urgent="maybe",
        kind="advice",
        zone=LONDON,
        now=NOW,
    )

    assert isinstance(problems, list)
    assert_private(str(problem) for problem in problems)
    assert {problem.line for problem in problems} == {0}
    assert [str(problem) for problem in problems] == [
        "--kind: 'advice' is not referral or consultation; write one of those, "
        "or leave it empty for a referral",
        "--called-at: '2026-13-02 10:15' has no such date or time; check the day, month, "
        "hour and minute",
        "--urgent: 'maybe' is not yes/no; write yes or no",
        "--child-dob: not a date; write YYYY-MM-DD or DD/MM/YYYY",
    ]


def test_a_referral_given_as_options_needs_the_child_and_urgency() -> None:
    problems = make_call(
        called_at="2026-03-02 10:15",
        caller_name="",
        child_forenames=None,
        child_surname=" ",
        urgent=None,
        zone=LONDON,
        now=NOW,
    )
    assert isinstance(problems, list)
    assert [str(p).split(":")[0] for p in problems] == [
        "--caller-name",
        "--child-forenames",
        "--child-surname",
        "--urgent",
    ]


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        read_calls_csv(table(GOOD), LONDON, now=dt.datetime(2026, 11, 16))


# --- DATETIME -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-02", dt.datetime(2026, 3, 2, tzinfo=LONDON)),
        ("2026-03-02T10:15", dt.datetime(2026, 3, 2, 10, 15, tzinfo=LONDON)),
        ("2026-03-02 10:15:30", dt.datetime(2026, 3, 2, 10, 15, 30, tzinfo=LONDON)),
        ("2026-07-02T10:15+01:00", dt.datetime(2026, 7, 2, 10, 15, tzinfo=LONDON)),
        ("2026-07-02T09:15Z", dt.datetime(2026, 7, 2, 10, 15, tzinfo=LONDON)),
        ("2026-07-02T04:15-0500", dt.datetime(2026, 7, 2, 10, 15, tzinfo=LONDON)),
        ("02/07/2026 10:15", dt.datetime(2026, 7, 2, 10, 15, tzinfo=LONDON)),
        ("2/7/2026 9:05", dt.datetime(2026, 7, 2, 9, 5, tzinfo=LONDON)),
    ],
)
def test_parse_datetime_forms(text: str, expected: dt.datetime) -> None:
    parsed = parse_datetime(text, LONDON)
    assert parsed == expected
    assert parsed.tzinfo is LONDON
    assert parsed.utcoffset() == expected.utcoffset()


def test_parse_datetime_uses_the_zone_given() -> None:
    parsed = parse_datetime("2026-07-02T10:15", zoneinfo.ZoneInfo("UTC"))
    assert parsed.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tomorrow", "'tomorrow' is not a date and time; write YYYY-MM-DD HH:MM or DD/MM/YYYY"),
        ("2026-03-02 10", "is not a date and time"),
        ("2026-03-02+01:00", "is not a date and time"),
        ("2026-03-02 10:15.5", "is not a date and time"),
        ("2026-04-31", "'2026-04-31' has no such date or time"),
        ("2026-03-29T01:59", "does not exist in Europe/London"),
        ("2026-03-02T10:15+01:75", "impossible offset"),
    ],
)
def test_parse_datetime_errors_say_how_to_write_it(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_datetime(text, LONDON)


# --- property: any valid call survives the round trip through csv.writer ------------------------

_WORD = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéøÅ'-,\"."),
    min_size=1,
    max_size=12,
)
_NAME = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_NOTE_LINE = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters="\x85"
    ),
    max_size=30,
)
_NOTES = st.lists(_NOTE_LINE, max_size=4).map(
    lambda lines: unicodedata.normalize("NFC", "\n".join(lines)).strip()
)
_PHONE = st.lists(st.sampled_from("0123456789"), min_size=6, max_size=11).map(
    lambda digits: "0" + "".join(digits)
)
_INSTANT = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2026, 11, 1), timezones=st.just(dt.UTC)
).map(lambda moment: moment.replace(second=0, microsecond=0))


def _write_when(moment: dt.datetime, style: int) -> str:
    local = moment.astimezone(LONDON)
    twice = local.utcoffset() != local.replace(fold=1 - local.fold).utcoffset()
    if style == 0 or twice:
        return local.isoformat(timespec="minutes")  # with its offset
    if style == 1:
        return local.strftime("%Y-%m-%dT%H:%M")
    if style == 2:
        return local.strftime("%Y-%m-%d %H:%M")
    return local.strftime("%d/%m/%Y %H:%M")


@settings(max_examples=150, deadline=None)
@given(
    moment=_INSTANT,
    style=st.integers(0, 3),
    caller_name=_NAME,
    caller_agency=st.one_of(st.just(""), _NAME),
    caller_phone=st.one_of(st.just(""), _PHONE),
    child_forenames=_NAME,
    child_surname=_NAME,
    dob_days_before=st.one_of(st.none(), st.integers(-280, 365 * 25)),
    uk_dob=st.booleans(),
    urgent=st.booleans(),
    kind=st.sampled_from(KINDS),
    taken_by=st.one_of(st.just(""), _NAME),
    notes=_NOTES,
    column_order=st.permutations(CALL_COLUMNS),
)
def test_any_valid_call_round_trips_through_a_csv_file(
    moment: dt.datetime,
    style: int,
    caller_name: str,
    caller_agency: str,
    caller_phone: str,
    child_forenames: str,
    child_surname: str,
    dob_days_before: int | None,
    uk_dob: bool,
    urgent: bool,
    kind: str,
    taken_by: str,
    notes: str,
    column_order: list[str],
) -> None:
    local = moment.astimezone(LONDON)
    dob = None if dob_days_before is None else local.date() - dt.timedelta(dob_days_before)
    values = {
        "called_at": _write_when(moment, style),
        "caller_name": caller_name,
        "caller_agency": caller_agency,
        "caller_phone": caller_phone,
        "child_forenames": child_forenames,
        "child_surname": child_surname,
        "child_dob": "" if dob is None else dob.strftime("%d/%m/%Y" if uk_dob else "%Y-%m-%d"),
        "urgent": "yes" if urgent else "no",
        "kind": kind,
        "taken_by": taken_by,
        "notes": notes,
    }
    data = csv_bytes([column_order, [values[c] for c in column_order]])

    result = read_calls_csv(data, LONDON, now=NOW)

    assert result.problems == ()
    (record,) = result.records
    assert record == CallRecord(
        called_at=local,
        caller_name=caller_name,
        caller_agency=caller_agency or None,
        caller_phone=caller_phone or None,
        child_forenames=child_forenames,
        child_surname=child_surname,
        child_dob=dob,
        urgent=urgent,
        kind=kind,
        taken_by=taken_by or None,
        notes=notes or None,
        line=2,
    )
    assert record.called_at.utcoffset() == local.utcoffset()
    given_as_options = make_call(
        called_at=values["called_at"],
        caller_name=caller_name,
        caller_agency=caller_agency,
        caller_phone=caller_phone,
        child_forenames=child_forenames,
        child_surname=child_surname,
        child_dob=values["child_dob"],
        urgent=values["urgent"],
        kind=kind,
        taken_by=taken_by,
        notes=notes,
        zone=LONDON,
        now=NOW,
    )
    assert isinstance(given_as_options, CallRecord)
    assert given_as_options.fingerprint == record.fingerprint
