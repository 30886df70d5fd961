"""The rule book through the real pipeline: synthetic referral emails written as .eml files and
imported, phone calls logged (one by one or from a call-log CSV), then the checks run as of a
chosen moment. Everything is judged on what ``store.cases.exceptions`` holds afterwards.

The two rules the service exists for (contract section 5):

* ``neglect-no-gcp``: a neglect referral needs a Graded Care Profile, attached or in another email
  about the same child by the close of its working day (Mon-Thu 17:30, Fri 16:30, Europe/London);
* ``phone-no-same-day-email``: an urgent phone referral needs the written Request for Service by
  its deadline (``rules.phone_deadline``: ``same_day``, ``same_working_day``, ``working_hours:N``).

Every person, address and school here is invented. Most scenarios happen in the week of Monday
2 March 2026 (GMT, no bank holiday); the clock-change and bank-holiday ones say their dates.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import email
import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from intake import service
from intake.config import DatabaseSettings, LimitSettings, RulesSettings, Settings
from intake.rulebook import CheckRun
from intake.store.ledger import Store
from intake.store.records import ExceptionRecord
from intake.synthetic.emails import (
    Attachment,
    SyntheticEmail,
    _gcp_attachment,
    _rfs_attachment,
    compose,
)
from intake.synthetic.people import Child, Referral, Referrer
from intake.synthetic.referrals import make_referral, narrative

LONDON = ZoneInfo("Europe/London")
NEGLECT = "neglect-no-gcp"
PHONE = "phone-no-same-day-email"

#: A fictional colleague who forwards referrals to the front door.
FORWARDER = Referrer(
    "Morwenna Pollard",
    "Designated Safeguarding Lead",
    "Kittiwake Infant School",
    "01632 960417",
    "morwenna.pollard@kittiwake.school.example.sch.uk",
)


# -- time -----------------------------------------------------------------------------------------


def london(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    """A wall-clock moment in Europe/London, as an aware datetime."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def wall(moment: dt.datetime) -> dt.datetime:
    """``moment`` as naive UK wall-clock time (what the synthetic mail composer takes)."""
    return moment.astimezone(LONDON).replace(tzinfo=None)


# -- invented children and their referrals --------------------------------------------------------


def child(
    forenames: str,
    surname: str,
    dob: dt.date = dt.date(2018, 6, 14),
    gender: str = "Male",
    postcode: str = "SS1 4DP",
) -> Child:
    return Child(forenames, surname, dob, gender, "7 Winkle Row, Southend-on-Sea", postcode)


@functools.cache
def referral(
    kid: Child,
    written: dt.datetime,
    *,
    concerns: tuple[str, ...] = ("neglect",),
    gcp_claimed: bool = False,
    urgent: bool = False,
    phoned_at: dt.datetime | None = None,
    seed: str = "rulebook",
) -> Referral:
    """A referral for ``kid`` whose form was completed at ``written`` (London time)."""
    when = wall(written)
    phoned = wall(phoned_at) if phoned_at is not None else None
    made = make_referral(
        f"{seed}|{kid.full_name}|{when.isoformat()}",
        when=when,
        concerns=concerns,
        urgent=urgent,
        phoned=phoned is not None,
        phoned_at=phoned,
        threshold_level=4 if urgent else 3,
        n_children=1,
        gcp_attached_claimed=gcp_claimed,
        other_attachments=(),
        consent=True,
    )
    story = narrative(
        random.Random(seed),
        children=(kid,),
        carer_name=made.carers[0].name.split()[0],
        concerns=made.concerns,
        when=when,
        urgent=urgent,
        gcp_claimed=gcp_claimed,
        brook_used=False,
    )
    return dataclasses.replace(made, children=(kid,), concern_narrative=story)


def _email(message: EmailMessage, delivered: dt.datetime, ref: Referral | None) -> SyntheticEmail:
    return SyntheticEmail(
        kind="test",
        raw=message.as_bytes(policy=SMTP),
        message_id=str(message["Message-ID"]),
        received_at=delivered,
        referral=ref,
    )


@functools.cache
def referral_email(
    ref: Referral, sent: dt.datetime, *, gcp: bool = False, seed: str = "rfs"
) -> SyntheticEmail:
    """The referrer's email carrying the RFS (and the GCP when ``gcp``), sent at ``sent``."""
    rng = random.Random(f"{seed}|{ref.reference}|{sent.isoformat()}")
    attachments: list[Attachment] = [_rfs_attachment(rng, ref, layout="southend-rfs")]
    if gcp:
        attachments.append(_gcp_attachment(rng, ref))
    message, delivered = compose(
        rng,
        sender=ref.referrer,
        sent=wall(sent),
        subject="OFFICIAL-SENSITIVE: Request for Service",
        body=f"Hello,\n\nPlease find attached a Request for Service.\n\n{ref.referrer.name}\n",
        attachments=attachments,
    )
    return _email(message, delivered, ref)


@functools.cache
def gcp_email(
    ref: Referral, sent: dt.datetime, *, reply_to: SyntheticEmail | None = None
) -> SyntheticEmail:
    """A follow-up from the same referrer with only the Graded Care Profile (which names the
    child) attached; in the referral's thread when ``reply_to`` is given."""
    rng = random.Random(f"gcp|{ref.reference}|{sent.isoformat()}")
    headers: list[tuple[str, str]] = []
    if reply_to is not None:
        headers = [("In-Reply-To", reply_to.message_id), ("References", reply_to.message_id)]
    message, delivered = compose(
        rng,
        sender=ref.referrer,
        sent=wall(sent),
        subject="Graded Care Profile",
        body="Hello,\n\nAs promised, the Graded Care Profile is attached.\n\nThanks\n",
        attachments=[_gcp_attachment(rng, ref)],
        extra_headers=headers,
    )
    return _email(message, delivered, ref)


@functools.cache
def forwarded_email(ref: Referral, first: SyntheticEmail, sent: dt.datetime) -> SyntheticEmail:
    """A colleague forwarding the referrer's email ``first`` (RFS inside) to the front door."""
    original = email.message_from_bytes(first.raw, policy=SMTP)
    rng = random.Random(f"fwd|{ref.reference}|{sent.isoformat()}")
    message, delivered = compose(
        rng,
        sender=FORWARDER,
        sent=wall(sent),
        subject=f"FW: {original['Subject']}",
        body="Please see the referral below from my colleague.\n",
        forwarded=original,
    )
    return _email(message, delivered, ref)


def redelivered(mail: SyntheticEmail, at: dt.datetime) -> SyntheticEmail:
    """The same message (same Message-ID) delivered again later: one more Received stamp."""
    stamp = at.astimezone(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    header = f"Received: from mx2.southend.example.gov.uk by store2; {stamp}\r\n".encode()
    return dataclasses.replace(mail, raw=header + mail.raw, received_at=at)


# -- the front door -------------------------------------------------------------------------------


@dataclass
class FrontDoor:
    """The service as a duty team meets it: mail arriving, calls logged, checks run."""

    store: Store
    database_url: str
    folder: Path
    phone_deadline: str = "same_day"
    _files: int = field(default=0, init=False)

    @property
    def settings(self) -> Settings:
        return Settings(
            database=DatabaseSettings(url=self.database_url),
            limits=LimitSettings(parse_workers=0),
            rules=RulesSettings(phone_deadline=self.phone_deadline),
        )

    def receive(self, *emails: SyntheticEmail) -> None:
        """Import ``emails`` as one batch, as if fetched in one poll (judged as of the newest)."""
        paths = []
        for item in emails:
            self._files += 1
            path = self.folder / f"mail-{self._files:03d}.eml"
            path.write_bytes(item.raw)
            paths.append(path)
        result = service.import_paths(self.settings, self.store, paths)
        assert result.errors == [] and result.failed == 0, result

    def call(
        self,
        called_at: dt.datetime,
        kid: Child,
        *,
        urgent: bool = True,
        kind: str = "referral",
        forenames: str | None = None,
        surname: str | None = None,
        dob: dt.date | None = None,
        no_dob: bool = False,
        caller: Referrer | None = None,
    ) -> int:
        """Log one phone contact about ``kid`` (names and DOB as the duty worker wrote them),
        from ``caller`` (default: a school's safeguarding lead who is not the referrer)."""
        birthday = None if no_dob else (dob or kid.dob)
        added = service.add_call(
            self.settings,
            self.store,
            called_at=called_at.isoformat(),
            caller_name=caller.name if caller else "Bronwen Tallis",
            caller_agency=caller.agency if caller else "Seaview Primary School",
            caller_phone=caller.phone if caller else "01632 960733",
            child_forenames=forenames if forenames is not None else kid.forenames,
            child_surname=surname if surname is not None else kid.surname,
            child_dob=birthday.isoformat() if birthday else None,
            urgent="yes" if urgent else "no",
            kind=kind,
            taken_by="Helen Marsh",
        )
        assert added.id is not None, added.problems
        return added.id

    def call_log(self, rows: Sequence[dict[str, str]]) -> service.CallsImport:
        """Import a call-log CSV holding ``rows``."""
        self._files += 1
        path = self.folder / f"calls-{self._files:03d}.csv"
        columns = sorted({column for row in rows for column in row})
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        imported = service.import_calls(self.settings, self.store, path)
        assert imported.accepted, imported.file.problems
        return imported

    def check(self, as_of: dt.datetime, *, dry_run: bool = False) -> CheckRun:
        return service.run_checks(self.settings, self.store, as_of=as_of, dry_run=dry_run)

    def exceptions(self, rule: str | None = None) -> list[ExceptionRecord]:
        return self.store.cases.exceptions(rule=rule)

    def one(self, rule: str) -> ExceptionRecord:
        found = self.exceptions(rule)
        assert len(found) == 1, found
        return found[0]


@pytest.fixture
def door(store: Store, database_url: str, tmp_path: Path) -> FrontDoor:
    return FrontDoor(store, database_url, tmp_path)


def raised(run: CheckRun, rule: str) -> list[str]:
    """The anchors a run raised (or would raise) an exception for under ``rule``."""
    return sorted(
        change.anchor
        for change in run.changes
        if change.rule == rule and change.action in {"raised", "raised-late"}
    )


def snapshot(door: FrontDoor) -> tuple[object, ...]:
    """Everything a dry run must leave alone: exceptions, their timelines, ledger, calls."""
    records = door.exceptions()
    return (
        records,
        [door.store.cases.events(record.id) for record in records],
        [(entry.id, entry.status) for entry in door.store.ledger()],
        door.store.cases.calls(),
    )


ELLIS = child("Ellis", "Marchbank", dt.date(2018, 6, 14))
MAISIE = child("Maisie", "Thorncliffe", dt.date(2020, 2, 9), gender="Female")
NIAMH = child("Niamh", "Achterberg", dt.date(2016, 11, 3), gender="Female")
MON = dt.date(2026, 3, 2)


def on(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return london(day.year, day.month, day.day, hour, minute, second)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# -- neglect-no-gcp -------------------------------------------------------------------------------


def test_a_neglect_referral_with_its_gcp_attached_raises_nothing(door: FrontDoor) -> None:
    """GIVEN a neglect referral emailed on Monday at 10:00 with the Graded Care Profile attached
    WHEN the checks run on Tuesday
    THEN there is no neglect-no-gcp exception."""
    ref = referral(ELLIS, on(MON, 9, 40), gcp_claimed=True)
    door.receive(referral_email(ref, on(MON, 10), gcp=True))
    door.check(on(MON + days(1), 12))
    assert door.exceptions(NEGLECT) == []


def test_a_neglect_referral_without_a_gcp_is_open_from_the_close_of_its_day(
    door: FrontDoor,
) -> None:
    """GIVEN two neglect referrals without a Graded Care Profile (their forms claim none),
    received at 10:00 on Monday 2 March and at 10:00 on Friday 6 March
    WHEN the checks run the next Monday
    THEN each child has one open neglect-no-gcp exception, due (and raised) at its day's close:
    17:30 on the Monday, 16:30 on the Friday; the detail does not say a GCP was claimed."""
    friday = MON + days(4)
    monday_mail = referral_email(referral(ELLIS, on(MON, 9, 40)), on(MON, 10))
    friday_mail = referral_email(referral(MAISIE, on(friday, 9, 40)), on(friday, 10))
    door.receive(monday_mail)
    door.receive(friday_mail)
    door.check(on(MON + days(7), 9))
    found = {record.child_forenames or "": record for record in door.exceptions(NEGLECT)}
    assert sorted(found) == ["Ellis", "Maisie"]
    ellis, maisie = found["Ellis"], found["Maisie"]
    assert (ellis.status, ellis.late, ellis.severity) == ("open", None, "exception")
    assert (ellis.child_surname, ellis.child_dob) == ("Marchbank", "2018-06-14")
    assert ellis.due_at == ellis.raised_at == on(MON, 17, 30)
    assert ellis.message_id == monday_mail.message_id
    assert (maisie.status, maisie.due_at) == ("open", on(friday, 16, 30))
    assert maisie.message_id == friday_mail.message_id
    for record in (ellis, maisie):
        assert "no Graded Care Profile" in record.detail
        assert "says one is attached" not in record.detail


def test_a_form_claiming_a_gcp_that_never_came_says_so(door: FrontDoor) -> None:
    """GIVEN a neglect referral whose form says the Graded Care Profile is attached, but only the
    RFS is
    WHEN the checks run after the close of its day
    THEN the open exception's detail says the form claims a GCP is attached."""
    ref = referral(MAISIE, on(MON, 11, 10), gcp_claimed=True)
    door.receive(referral_email(ref, on(MON, 11, 30)))
    door.check(on(MON, 18))
    found = door.one(NEGLECT)
    assert found.status == "open"
    assert "the form says one is attached" in found.detail


def test_a_gcp_sent_later_the_same_working_day_counts(door: FrontDoor) -> None:
    """GIVEN two neglect referrals at 10:00 on Monday without their GCPs
    WHEN each referrer sends the Graded Care Profile (naming the child) at 15:00 the same day, one
    as a reply in the referral's thread, the other as a new email, and the checks run on Tuesday
    THEN there is no neglect-no-gcp exception."""
    replied = referral(ELLIS, on(MON, 9, 30), gcp_claimed=True)
    separate = referral(NIAMH, on(MON, 9, 30), gcp_claimed=True)
    first = referral_email(replied, on(MON, 10))
    door.receive(first, referral_email(separate, on(MON, 10, 5)))
    door.receive(gcp_email(replied, on(MON, 15), reply_to=first), gcp_email(separate, on(MON, 15)))
    door.check(on(MON + days(1), 10))
    assert door.exceptions(NEGLECT) == []


@pytest.mark.parametrize("batch", [False, True], ids=["polled-live", "imported-at-once"])
def test_a_gcp_arriving_the_next_day_closes_the_exception_as_late(
    door: FrontDoor, batch: bool
) -> None:
    """GIVEN a neglect referral on Monday at 10:00 without its GCP
    WHEN the Graded Care Profile arrives on Tuesday at 10:00 (mail polled as it came, or the two
    emails imported together later)
    THEN the exception is still raised, due Monday 17:30, with status auto_resolved, marked late,
    resolved when the GCP arrived: the same either way."""
    ref = referral(NIAMH, on(MON, 9, 45))
    rfs = referral_email(ref, on(MON, 10))
    gcp = gcp_email(ref, on(MON + days(1), 10))
    if batch:
        door.receive(rfs, gcp)
    else:
        door.receive(rfs)
        door.check(on(MON, 18))
        assert door.one(NEGLECT).status == "open"
        door.receive(gcp)
    door.check(on(MON + days(1), 12))
    found = door.one(NEGLECT)
    assert (found.status, found.late) == ("auto_resolved", True)
    assert found.due_at == on(MON, 17, 30)
    assert found.resolved_at == gcp.received_at
    assert "arrived late" in found.detail


def test_a_gcp_received_in_time_but_imported_after_the_exception_closes_it_not_late(
    door: FrontDoor,
) -> None:
    """GIVEN a neglect referral on Monday at 10:00 raised as an open exception at 18:00, and its
    Graded Care Profile received on Monday at 15:00 but only imported on Tuesday (a mailbox
    outage, a misfiled message)
    WHEN the checks run on Tuesday
    THEN the exception is auto_resolved and not late: history says the GCP came in time."""
    ref = referral(NIAMH, on(MON, 9, 45))
    door.receive(referral_email(ref, on(MON, 10)))
    door.check(on(MON, 18))
    assert door.one(NEGLECT).status == "open"
    door.receive(gcp_email(ref, on(MON, 15)))
    door.check(on(MON + days(1), 9))
    found = door.one(NEGLECT)
    assert (found.status, found.late) == ("auto_resolved", False)


def test_nothing_is_raised_before_the_deadline_and_the_exception_comes_once_it_passes(
    door: FrontDoor,
) -> None:
    """GIVEN a neglect referral on Monday at 10:00 without its GCP
    WHEN the checks run at 17:29:59, then at 17:30:00
    THEN the first run raises nothing (the deadline has not passed) and the second raises it."""
    door.receive(referral_email(referral(ELLIS, on(MON, 9, 40)), on(MON, 10)))
    early = door.check(on(MON, 17, 29, 59))
    assert raised(early, NEGLECT) == [] and door.exceptions(NEGLECT) == []
    assert early.next_due == on(MON, 17, 30)
    late = door.check(on(MON, 17, 30))
    assert len(raised(late, NEGLECT)) == 1
    assert door.one(NEGLECT).status == "open"


def test_a_referral_received_on_friday_evening_before_the_clocks_go_back_is_due_monday_gmt(
    door: FrontDoor,
) -> None:
    """GIVEN a neglect referral without a GCP received on Friday 23 October 2026 at 18:00 BST,
    after closing, the weekend the clocks go back
    WHEN the checks run on Monday at 17:29 and again at 17:31
    THEN nothing is raised at 17:29; at 17:31 it is open, due Monday 26 October 17:30+00:00."""
    friday = dt.date(2026, 10, 23)
    ref = referral(MAISIE, on(friday, 17, 40))
    door.receive(referral_email(ref, on(friday, 18)))
    monday = dt.date(2026, 10, 26)
    door.check(on(monday, 17, 29))
    assert door.exceptions(NEGLECT) == []
    door.check(on(monday, 17, 31))
    found = door.one(NEGLECT)
    assert found.due_at == dt.datetime(2026, 10, 26, 17, 30, tzinfo=dt.UTC)
    assert found.due_at.astimezone(LONDON).utcoffset() == dt.timedelta(0)


# -- phone-no-same-day-email ----------------------------------------------------------------------


def test_an_urgent_call_needs_its_email_the_same_day(door: FrontDoor) -> None:
    """GIVEN two urgent phone referrals on Monday, about Ellis at 10:00 and Maisie at 10:30
    WHEN the written RFS about Ellis arrives at 14:00, none about Maisie, and the checks run on
    Monday at 23:59, then on Tuesday morning
    THEN nothing is raised before midnight; on Tuesday Maisie's call alone is an open exception,
    due Monday 23:59:59 (same_day, the default), naming her."""
    door.call(on(MON, 10), ELLIS)
    call_id = door.call(on(MON, 10, 30), MAISIE)
    ref = referral(ELLIS, on(MON, 13, 30), concerns=("physical_abuse",))
    door.receive(referral_email(ref, on(MON, 14)))
    door.check(on(MON, 23, 59))
    assert door.exceptions(PHONE) == []
    door.check(on(MON + days(1), 9))
    found = door.one(PHONE)
    assert (found.status, found.call_id, found.late) == ("open", call_id, None)
    assert found.due_at == on(MON, 23, 59, 59)
    assert (found.child_forenames, found.child_surname) == ("Maisie", "Thorncliffe")
    assert found.message_id is None


def test_non_urgent_and_consultation_calls_never_raise(door: FrontDoor) -> None:
    """GIVEN a call log with a non-urgent referral, an urgent professional consultation, and a
    consultation with no child named, and no email at all
    WHEN the checks run a day later, then a month later
    THEN no phone exception is ever raised (and importing the same file again stores nothing)."""

    def row(at: str, kid: Child | None, urgent: str, kind: str) -> dict[str, str]:
        return {
            "called_at": at,
            "caller_name": "Bronwen Tallis",
            "caller_agency": "Seaview Primary School",
            "child_forenames": kid.forenames if kid else "",
            "child_surname": kid.surname if kid else "",
            "child_dob": kid.dob.isoformat() if kid and kid.dob else "",
            "urgent": urgent,
            "kind": kind,
        }

    rows = [
        row("2026-03-02 10:00", ELLIS, "no", "referral"),
        row("2026-03-02 11:00", MAISIE, "yes", "consultation"),
        row("02/03/2026 12:00", None, "y", "consultation"),
    ]
    imported = door.call_log(rows)
    assert len(imported.stored) == 3
    again = door.call_log(rows)
    assert (again.stored, again.already) == ((), 3)
    door.check(on(MON + days(1), 9))
    door.check(on(MON + days(30), 9))
    assert door.exceptions(PHONE) == []


FRIDAY = dt.date(2026, 3, 6)


@pytest.mark.parametrize(
    ("policy", "email_hour", "due", "late"),
    [
        pytest.param("same_day", 10, london(2026, 3, 6, 23, 59, 59), True, id="same_day"),
        pytest.param(
            "same_working_day", 10, london(2026, 3, 9, 17, 30), None, id="same_working_day"
        ),
        pytest.param(
            "working_hours:4", 10, london(2026, 3, 9, 13), None, id="working_hours:4-10am"
        ),
        pytest.param("working_hours:4", 14, london(2026, 3, 9, 13), True, id="working_hours:4-2pm"),
    ],
)
def test_a_friday_evening_call_answered_on_monday_under_each_deadline_policy(
    door: FrontDoor, policy: str, email_hour: int, due: dt.datetime, late: bool | None
) -> None:
    """GIVEN an urgent phone referral on Friday 6 March 2026 at 16:45 (after the 16:30 close)
    under phone_deadline same_day, same_working_day or working_hours:4
    WHEN the written RFS arrives on Monday at 10:00 (or 14:00) and the checks run on Tuesday
    THEN the deadline is Friday 23:59:59 / Monday 17:30 / Monday 13:00: under same_day the
    exception is raised already auto_resolved and late; under same_working_day and
    working_hours:4 a 10:00 email is in time (nothing raised); a 14:00 one is late for
    working_hours:4."""
    door.phone_deadline = policy
    door.call(on(FRIDAY, 16, 45), ELLIS)
    monday = FRIDAY + days(3)
    if due > on(monday, 9):
        # Checked over the weekend, as the daemon would: nothing due yet.
        weekend = door.check(on(FRIDAY + days(1), 12))
        assert weekend.next_due == due and door.exceptions(PHONE) == []
    ref = referral(ELLIS, on(monday, email_hour - 1, 30), concerns=("physical_abuse",))
    email = referral_email(ref, on(monday, email_hour))
    door.receive(email)
    door.check(on(monday + days(1), 9))
    if late is None:
        assert door.exceptions(PHONE) == []
        return
    found = door.one(PHONE)
    assert (found.status, found.late, found.due_at) == ("auto_resolved", True, due)
    assert found.resolved_at == email.received_at


def test_a_friday_call_raised_over_the_weekend_is_closed_late_by_mondays_email(
    door: FrontDoor,
) -> None:
    """GIVEN an urgent phone referral on Friday 6 March 2026 at 16:45 (same_day) with no email,
    raised as an open exception by the daemon's check on Saturday
    WHEN the written RFS arrives on Monday at 10:00 and the checks run
    THEN the exception is auto_resolved and late, exactly as when the mail is imported at once
    (the previous test): judging history must not depend on when the checks happened to run."""
    door.call(on(FRIDAY, 16, 45), ELLIS)
    door.check(on(FRIDAY + days(1), 12))
    assert door.one(PHONE).status == "open"
    monday = FRIDAY + days(3)
    ref = referral(ELLIS, on(monday, 9, 30), concerns=("physical_abuse",))
    door.receive(referral_email(ref, on(monday, 10)))
    door.check(on(monday + days(1), 9))
    found = door.one(PHONE)
    assert (found.status, found.late) == ("auto_resolved", True)


def test_a_call_just_before_midnight_answered_just_after_is_late(door: FrontDoor) -> None:
    """GIVEN an urgent phone referral on Tuesday at 23:50 (same_day policy)
    WHEN the written RFS arrives on Wednesday at 00:10
    THEN the exception is raised, auto_resolved and late, due Tuesday 23:59:59."""
    tuesday = MON + days(1)
    door.call(on(tuesday, 23, 50), NIAMH)
    ref = referral(NIAMH, on(tuesday, 23, 55), concerns=("physical_abuse",))
    door.receive(referral_email(ref, on(tuesday + days(1), 0, 10)))
    door.check(on(tuesday + days(1), 9))
    found = door.one(PHONE)
    assert (found.status, found.late) == ("auto_resolved", True)
    assert found.due_at == on(tuesday, 23, 59, 59)


def test_a_friday_call_before_the_august_bank_holiday_is_due_tuesday(door: FrontDoor) -> None:
    """GIVEN phone_deadline same_working_day and an urgent call on Friday 28 August 2026 at 16:45
    (after closing), with Monday 31 August a bank holiday
    WHEN the checks run on the bank holiday evening, then on Tuesday 1 September at 17:31
    THEN nothing is raised on Monday (the next due is Tuesday 17:30 BST); on Tuesday the open
    exception is due 1 September 17:30+01:00."""
    door.phone_deadline = "same_working_day"
    door.call(london(2026, 8, 28, 16, 45), MAISIE)
    monday = door.check(london(2026, 8, 31, 18))
    assert door.exceptions(PHONE) == []
    assert monday.next_due == london(2026, 9, 1, 17, 30)
    door.check(london(2026, 9, 1, 17, 31))
    found = door.one(PHONE)
    assert found.status == "open"
    assert found.due_at == dt.datetime(2026, 9, 1, 16, 30, tzinfo=dt.UTC)


def test_a_saturday_call_the_weekend_the_clocks_go_forward_is_due_monday_bst(
    door: FrontDoor,
) -> None:
    """GIVEN phone_deadline same_working_day and an urgent call on Saturday 28 March 2026 at 11:00
    GMT (the clocks go forward that Sunday) and no email
    WHEN the checks run on Tuesday
    THEN the open exception is due Monday 30 March 17:30+01:00 (16:30 UTC)."""
    door.phone_deadline = "same_working_day"
    door.call(london(2026, 3, 28, 11), ELLIS)
    door.check(london(2026, 3, 31, 9))
    found = door.one(PHONE)
    assert found.due_at == dt.datetime(
        2026, 3, 30, 17, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert found.due_at.astimezone(LONDON).utcoffset() == dt.timedelta(hours=1)


#: (label, as on the RFS, as in the call log, date of birth): the same child each time.
NAMES_THAT_MATCH = (
    ("Jon for Jonathan", ("Jonathan", "Smith"), ("Jon", "Smith"), dt.date(2019, 9, 21)),
    ("Katie for Katherine", ("Katherine", "Nowak"), ("Katie", "Nowak"), dt.date(2015, 1, 30)),
    ("surname slip", ("Oliver", "Pennington"), ("Oliver", "Penington"), dt.date(2016, 4, 2)),
    ("names swapped", ("Amelia", "Okafor"), ("Okafor", "Amelia"), dt.date(2017, 7, 19)),
    ("accent, hyphen", ("Zoë", "Smith-Jones"), ("Zoe", "Smith Jones"), dt.date(2018, 12, 5)),
    ("accent, apostrophe", ("Siobhán", "O'Connor"), ("SIOBHAN", "OCONNOR"), dt.date(2014, 3, 8)),
)


def test_calls_match_emails_however_the_name_was_written_but_never_across_dates_of_birth(
    door: FrontDoor,
) -> None:
    """GIVEN urgent calls logged on Monday morning with each child's name written as people write
    it (Jon for Jonathan, Katie for Katherine, a one-letter surname slip, forename and surname
    swapped, no accents, hyphen or apostrophe, capitals) with the right date of birth, one with
    no date of birth from the referrer who then emails, and one call about Harvey Quartermain
    born 10/02/2017
    WHEN each child's RFS arrives that afternoon (for Harvey Quartermain: one about a child of
    that name born a day later) and the checks run on Tuesday
    THEN every call matches its email except Harvey's, which alone stays an open exception."""
    calls: dict[int, str] = {}
    emails = []
    for minute, (label, on_form, in_call_log, dob) in enumerate(NAMES_THAT_MATCH):
        kid = child(*on_form, dob=dob)
        forenames, surname = in_call_log
        calls[door.call(on(MON, 10, minute), kid, forenames=forenames, surname=surname)] = label
        emails.append(
            referral_email(
                referral(kid, on(MON, 13), concerns=("physical_abuse",)), on(MON, 13, 30 + minute)
            )
        )
    # No date of birth in the call log, but the caller is the referrer who then emailed.
    rowan = child("Rowan", "Featherstonehaugh", dt.date(2013, 10, 1))
    rowan_ref = referral(rowan, on(MON, 13), concerns=("physical_abuse",))
    label = "no DOB in the call log, same caller as referrer"
    calls[door.call(on(MON, 10, 30), rowan, no_dob=True, caller=rowan_ref.referrer)] = label
    emails.append(referral_email(rowan_ref, on(MON, 13, 50)))
    harvey = child("Harvey", "Quartermain", dt.date(2017, 2, 10))
    namesake = child("Harvey", "Quartermain", dt.date(2017, 2, 11))
    calls[door.call(on(MON, 11), harvey)] = "same name, another date of birth"
    emails.append(
        referral_email(referral(namesake, on(MON, 13), concerns=("physical_abuse",)), on(MON, 14))
    )
    door.receive(*emails)
    door.check(on(MON + days(1), 9))
    unmatched = sorted(calls[record.call_id] for record in door.exceptions(PHONE) if record.call_id)
    assert unmatched == ["same name, another date of birth"]
    assert door.one(PHONE).status == "open"


@pytest.mark.parametrize("logged_first", [True, False], ids=["call-logged-first", "email-first"])
def test_a_phoned_first_form_and_the_call_log_give_one_phone_exception(
    door: FrontDoor, logged_first: bool
) -> None:
    """GIVEN an urgent call on Monday at 16:00 that is both in the call log and declared on the
    RFS ("phoned first, at 16:00"), whose email only arrives on Tuesday at 09:30 (same_day)
    WHEN the call is logged (and raised overnight) before the email is imported, or logged
    after it, and the checks run
    THEN there is exactly one phone exception, auto_resolved and late, on the logged call."""
    ref = referral(
        ELLIS,
        on(MON + days(1), 9, 10),
        concerns=("physical_abuse",),
        urgent=True,
        phoned_at=on(MON, 16),
    )
    email = referral_email(ref, on(MON + days(1), 9, 30))
    if logged_first:
        call_id = door.call(on(MON, 16), ELLIS)
        door.check(on(MON + days(1), 6))  # the daemon's overnight check: raised, open
        assert door.one(PHONE).status == "open"
        door.receive(email)
    else:
        door.receive(email)
        call_id = door.call(on(MON, 16), ELLIS)
    door.check(on(MON + days(1), 12))
    found = door.one(PHONE)
    assert (found.status, found.late, found.call_id) == ("auto_resolved", True, call_id)
    assert sum(1 for call in door.store.cases.calls() if call.source == "form") == 1


# -- the exception lifecycle ----------------------------------------------------------------------


def test_running_the_checks_again_never_duplicates_an_exception(door: FrontDoor) -> None:
    """GIVEN a neglect referral without a GCP and an urgent call with no email, both on Monday
    WHEN the checks run on Tuesday, again with the same as_of, then a week later
    THEN there are two exceptions throughout, the same ones, and the later runs change nothing."""
    door.receive(referral_email(referral(ELLIS, on(MON, 9, 40)), on(MON, 10)))
    door.call(on(MON, 11), NIAMH)
    first = door.check(on(MON + days(1), 9))
    assert len(raised(first, NEGLECT)) == 1 and len(raised(first, PHONE)) == 1
    before = door.exceptions()
    again = door.check(on(MON + days(1), 9))
    later = door.check(on(MON + days(8), 9))
    assert again.changes == [] and later.changes == []
    assert door.exceptions() == before
    assert sorted(record.rule for record in before if record.rule in {NEGLECT, PHONE}) == [
        NEGLECT,
        PHONE,
    ]


def test_an_exception_a_person_resolved_stays_resolved(door: FrontDoor) -> None:
    """GIVEN an open neglect-no-gcp exception
    WHEN a duty manager resolves it with a note, another check run happens, and then the GCP
    arrives late and the checks run again
    THEN it stays resolved, by that person with that note, its timeline showing who did what."""
    ref = referral(NIAMH, on(MON, 9, 45))
    door.receive(referral_email(ref, on(MON, 10)))
    door.check(on(MON, 18))
    found = door.one(NEGLECT)
    note = "GCP seen on the health visitor's system; no need to chase"
    door.store.cases.set_status(found.id, "resolved", note=note, actor="web:duty.manager")
    door.check(on(MON + days(1), 9))
    door.receive(gcp_email(ref, on(MON + days(1), 10)))
    door.check(on(MON + days(1), 12))
    after = door.one(NEGLECT)
    assert (after.status, after.resolved_by, after.resolution_note) == (
        "resolved",
        "web:duty.manager",
        note,
    )
    events = door.store.cases.events(found.id)
    assert [(e.action, e.to_status) for e in events] == [
        ("raised", "open"),
        ("resolved", "resolved"),
    ]
    assert (events[1].actor, events[1].note) == ("web:duty.manager", note)


def test_a_dry_run_says_what_would_be_raised_and_changes_nothing(door: FrontDoor) -> None:
    """GIVEN a neglect referral without a GCP on Monday (judged at arrival, nothing due yet) and an
    urgent call with no email logged on Monday but not yet checked
    WHEN the checks run as a dry run on Tuesday
    THEN it reports both exceptions as would-be raised, while the exceptions, their timelines, the
    ledger's statuses and the calls are exactly as before; the real run then raises just those."""
    door.receive(referral_email(referral(ELLIS, on(MON, 9, 40)), on(MON, 10)))
    door.call(on(MON, 11), MAISIE)
    before = snapshot(door)
    dry = door.check(on(MON + days(1), 9), dry_run=True)
    assert dry.dry_run
    assert len(raised(dry, NEGLECT)) == 1 and len(raised(dry, PHONE)) == 1
    assert all(change.exception_id is None for change in dry.changes)
    assert snapshot(door) == before
    real = door.check(on(MON + days(1), 9))
    assert sorted((c.rule, c.anchor, c.action) for c in real.changes) == sorted(
        (c.rule, c.anchor, c.action) for c in dry.changes
    )


def test_a_dry_run_right_after_a_real_run_reports_nothing_new(door: FrontDoor) -> None:
    """GIVEN an RFS received Tuesday 09:30 whose form says the urgent referral was phoned through
    on Monday at 16:10, already judged (a late phone exception on the declared call)
    WHEN the checks run for real, then as a dry run, with the same as_of
    THEN the dry run reports no change: there is nothing new to raise."""
    ref = referral(
        NIAMH,
        on(MON + days(1), 9, 10),
        concerns=("physical_abuse",),
        urgent=True,
        phoned_at=on(MON, 16, 10),
    )
    door.receive(referral_email(ref, on(MON + days(1), 9, 30)))
    assert door.one(PHONE).late is True
    as_of = on(MON + days(1), 12)
    door.check(as_of)
    dry = door.check(as_of, dry_run=True)
    assert dry.changes == []


def test_a_run_limited_to_one_rule_leaves_the_others_to_judge_later(door: FrontDoor) -> None:
    """GIVEN an urgent call on Monday at 10:00 with no email
    WHEN the checks run on Tuesday for neglect-no-gcp only, then for every rule
    THEN the second run still raises the phone exception."""
    door.call(on(MON, 10), ELLIS)
    service.run_checks(door.settings, door.store, as_of=on(MON + days(1), 9), rules=(NEGLECT,))
    door.check(on(MON + days(1), 10))
    assert door.one(PHONE).status == "open"


def test_the_same_referral_arriving_twice_gives_one_neglect_exception(door: FrontDoor) -> None:
    """GIVEN three neglect referrals without a GCP emailed on Monday morning
    WHEN the first email is imported again, the second is delivered again at 12:00 (same
    Message-ID, a new Received stamp), the third is forwarded to the front door by a colleague at
    12:00, and the checks run on Tuesday
    THEN there is one neglect-no-gcp exception per child, each on the original email."""
    again, redelivered_ref, forwarded_ref = (
        referral(kid, on(MON, 9, 40)) for kid in (ELLIS, MAISIE, NIAMH)
    )
    originals = {
        "Ellis": referral_email(again, on(MON, 10)),
        "Maisie": referral_email(redelivered_ref, on(MON, 10, 10)),
        "Niamh": referral_email(forwarded_ref, on(MON, 10, 20)),
    }
    door.receive(*originals.values())
    door.receive(originals["Ellis"])
    door.receive(
        redelivered(originals["Maisie"], on(MON, 12)),
        forwarded_email(forwarded_ref, originals["Niamh"], on(MON, 12, 5)),
    )
    door.check(on(MON + days(1), 9))
    found = door.exceptions(NEGLECT)
    assert sorted((r.child_forenames, r.message_id) for r in found) == sorted(
        (name, mail.message_id) for name, mail in originals.items()
    )
