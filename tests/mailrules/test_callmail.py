"""A phone contact in a duty worker's email: the labels people write, and failures that name
the fields without quoting them."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from intake.calls import CallRecord
from intake.mailrules.callmail import read_call, read_fields

ZONE = zoneinfo.ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)


def test_human_labels_are_read() -> None:
    body = """Hi team,

Time of call: 20/11/2026 10:15
Caller: Sam Jones
Organisation: Example Primary School
Tel: 01632 960111
Child's first name: Jay
Child’s Surname: Smith
D.O.B.: 04/03/2019
Urgent?: Yes
Type of call: referral
Call taken by: Duty worker A
Notes: mum not aware
Subject: not a field
> Caller: a quoted earlier email, ignored

Thanks
"""
    fields = read_fields(body)
    assert fields["called_at"] == "20/11/2026 10:15"
    assert fields["caller_name"] == "Sam Jones"
    assert fields["child_surname"] == "Smith"
    assert fields["child_dob"] == "04/03/2019"
    assert fields["urgent"] == "Yes"
    assert fields["taken_by"] == "Duty worker A"
    call = read_call(body, ZONE, NOW)
    assert isinstance(call, CallRecord)
    assert call.called_at == dt.datetime(2026, 11, 20, 10, 15, tzinfo=ZONE)
    assert (call.child_forenames, call.child_dob, call.urgent) == ("Jay", dt.date(2019, 3, 4), True)
    assert call.caller_agency == "Example Primary School" and call.notes == "mum not aware"


def test_the_csv_column_names_work_as_labels() -> None:
    body = (
        "called_at: 2026-11-20 09:00\ncaller_name: A\nchild_forenames: B\nchild_surname: C\n"
        "urgent: no\nkind: consultation\n"
    )
    call = read_call(body, ZONE, NOW)
    assert isinstance(call, CallRecord) and call.kind == "consultation" and not call.urgent


def test_a_bad_call_names_the_fields_and_never_their_values() -> None:
    body = "Called at: 31/02/2026 10:15\nCaller: Zebedee Quartermaine\nUrgent: perhaps\n"
    reason = read_call(body, ZONE, NOW)
    assert isinstance(reason, str)
    assert "missing child_forenames, child_surname" in reason
    assert "unreadable called_at, urgent" in reason
    assert "intake reprocess" in reason and "Label: value" in reason
    for value in ("31/02/2026", "Zebedee", "perhaps"):
        assert value not in reason
