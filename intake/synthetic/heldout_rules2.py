"""A second, independent set of held-out worlds for the two deadline rules.

Each world is a folder that :mod:`benchmarks.rule_accuracy` reads::

    <world>/mail/message-00001.eml ...   every email the front door received, oldest first
    <world>/calls.csv                    the call log (contract columns, local times)
    <world>/expected.json                {"as_of": ..., "exceptions": [...]}

The worlds sit around awkward calendars: the New Year bank holiday (January 2026), an ordinary
summer fortnight under British Summer Time (July 2026) and the Easter closure (Good Friday to
Easter Monday, April 2026) just after the clocks go forward on 29 March. Every date lies in the
past of late 2026: the call log refuses calls in the future, so a Christmas 2026 world (Boxing
Day's substitute on Monday 28 December) cannot be imported yet. Besides ordinary traffic,
each world plants the situations a careless implementation gets wrong: sibling groups, a GCP
per child or one for the family, GCPs zipped, sent by a colleague in a reply-all, or nested in
a forwarded original; neglect stated only in the narrative, or ticked for a past plan only;
enquiries that talk about neglect but carry no form; calls logged with an "Unknown" forename,
in capitals or with a middle name; calls after 23:00; forms sent before the call, after the
weekend, or twice.

The expected exceptions are not written by hand. Every scenario records its *duties* (a neglect
form without a GCP, an urgent call) with the times of the items that would discharge them; the
statuses follow from the contract's calendar at ``as_of``: a deadline still ahead gives nothing,
an item received by the deadline gives nothing, one received later gives ``auto_resolved``
(late), none at all gives ``open``.

Everything is fictional: people come from :mod:`intake.synthetic.people`, addresses use
``example`` domains and telephone numbers Ofcom's drama ranges.

    uv run python -m intake.synthetic.heldout_rules2 /tmp/heldout2 --days 8
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from intake.synthetic.emails import DOCX_TYPE, PDF_TYPE, Attachment, compose
from intake.synthetic.forms import gcp_docx, gcp_pdf, letter_pdf, rfs_model
from intake.synthetic.mailbox import write_eml_files
from intake.synthetic.people import (
    CSPOC_STAFF,
    Child,
    Referral,
    Referrer,
    make_child,
    make_referrer,
)
from intake.synthetic.referrals import make_referral
from intake.synthetic.render import Doc, Section, Text, Ticks, render_docx, render_pdf
from intake.synthetic.scenarios import CALL_COLUMNS
from intake.synthetic.tools import gcp_multiple_child
from intake.synthetic.workdays import bank_holidays, next_working_day, working_days

__all__ = ["NEGLECT", "PHONE", "WORLDS", "build"]

NEGLECT = "neglect-no-gcp"
PHONE = "phone-no-same-day-email"
LONDON = ZoneInfo("Europe/London")
ZIP_TYPE = "application/zip"

#: Each world: its name, a working day it is anchored on, and whether the anchor is its first
#: working day (the calendar runs forward) or its last (the calendar runs backward).
WORLDS: tuple[tuple[str, dt.date, bool], ...] = (
    ("w1-new-year-2026", dt.date(2026, 1, 2), True),
    ("w2-july-2026", dt.date(2026, 7, 6), True),
    ("w3-easter-2026", dt.date(2026, 4, 8), False),
)
#: ``as_of`` is this local time on the world's last working day.
AS_OF_TIME = dt.time(12, 30)

#: Concerns used for ordinary referrals that must not be about neglect.
_OTHER_CONCERNS: tuple[tuple[str, ...], ...] = (
    ("emotional_abuse",),
    ("domestic_abuse",),
    ("physical_abuse",),
    ("domestic_abuse", "mental_health"),
    ("substance_misuse",),
    ("mental_health",),
    ("online_harm",),
    ("physical_abuse", "emotional_abuse"),
)
_NICKNAMES = {"Male": ("Alfie", "Alfred"), "Female": ("Ellie", "Eleanor")}


# --- the contract's calendar ------------------------------------------------------------------


def _is_open(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def _closing(day: dt.date) -> dt.time:
    return dt.time(16, 30) if day.weekday() == 4 else dt.time(17, 30)


def _local(moment: dt.datetime) -> dt.datetime:
    """``moment`` in London time (a naive one is taken as London wall-clock time)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=LONDON)
    return moment.astimezone(LONDON)


def neglect_deadline(received: dt.datetime) -> dt.datetime:
    """The close of the working day an email received at ``received`` belongs to."""
    here = _local(received)
    day = here.date()
    if not (_is_open(day) and here.time() < _closing(day)):
        day = next_working_day(day)
    return dt.datetime.combine(day, _closing(day), tzinfo=LONDON)


def phone_deadline(called: dt.datetime) -> dt.datetime:
    """23:59:59 London time on the call's calendar day."""
    return dt.datetime.combine(_local(called).date(), dt.time(23, 59, 59), tzinfo=LONDON)


# --- duties and their outcome -----------------------------------------------------------------


@dataclass
class Duty:
    """Something owed: a GCP for a neglect form, or a written RFS for an urgent call."""

    rule: str
    child: dict[str, Any]
    #: When the form was received or the call made.
    start: dt.datetime
    case: str
    #: When items that discharge it were received (a GCP, a form about the child).
    answers: list[dt.datetime] = field(default_factory=list)
    optional: bool = False

    def deadline(self) -> dt.datetime:
        if self.rule == NEGLECT:
            return neglect_deadline(self.start)
        return phone_deadline(self.start)

    def outcome(self, as_of: dt.datetime) -> dict[str, Any] | None:
        """The expected exception at ``as_of``, or ``None``."""
        due = self.deadline()
        if due > as_of:
            return None
        earliest = self.start - dt.timedelta(hours=24)
        counted = [t for t in self.answers if t >= earliest]
        if any(t <= due for t in counted):
            return None
        late = [t for t in counted if due < t <= as_of]
        item: dict[str, Any] = {
            "rule": self.rule,
            "child": self.child,
            "status": "auto_resolved" if late else "open",
            "late": bool(late),
            "case": self.case,
        }
        if self.optional:
            item["optional"] = True
        return item


def _child(child: Child, forenames: str | None = None) -> dict[str, Any]:
    return {
        "forenames": forenames if forenames is not None else child.forenames,
        "surname": child.surname,
        "dob": child.dob.isoformat() if child.dob else None,
    }


# --- one world under construction -------------------------------------------------------------


class World:
    """The mail, calls and duties of one world."""

    def __init__(self, name: str, calendar: list[dt.date], rng: random.Random) -> None:
        self.name = name
        self.calendar = calendar
        self.rng = rng
        self.as_of = dt.datetime.combine(calendar[-1], AS_OF_TIME, tzinfo=LONDON)
        self.mail: list[tuple[dt.datetime, str, bytes]] = []
        self.calls: list[dict[str, str]] = []
        self.duties: list[Duty] = []

    # days and times

    @property
    def full_days(self) -> list[dt.date]:
        """Every working day but the last (whose afternoon lies after ``as_of``)."""
        return self.calendar[:-1]

    def at(self, day: dt.date, start: str, end: str) -> dt.datetime:
        """A naive local time on ``day`` between ``start`` and ``end`` (``HH:MM``)."""
        lo = _minutes(start)
        hi = _minutes(end)
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=self.rng.randint(lo, hi))

    def fridays(self) -> list[dt.date]:
        return [d for d in self.full_days if d.weekday() == 4]

    def closed_days(self) -> list[dt.date]:
        """Closed days (bank holidays first) whose next working day is in the calendar."""
        first, last = self.calendar[0], self.calendar[-1]
        day = first - dt.timedelta(days=1)
        found: list[dt.date] = []
        while day < last:
            if not _is_open(day) and next_working_day(day) <= last:
                found.append(day)
            day += dt.timedelta(days=1)
        return sorted(found, key=lambda d: (d not in bank_holidays(d.year), d))

    def before_closure(self) -> list[dt.date]:
        """Full working days followed by one or more closed days, a bank holiday's first."""
        days = [d for d in self.full_days if next_working_day(d) - d > dt.timedelta(days=1)]

        def holiday_gap(day: dt.date) -> bool:
            nxt = next_working_day(day)
            span = (day + dt.timedelta(days=n) for n in range(1, (nxt - day).days))
            return any(d in bank_holidays(d.year) for d in span)

        return sorted(days, key=lambda d: (not holiday_gap(d), d))

    # mail

    def send(
        self,
        sender: Referrer,
        sent: dt.datetime,
        subject: str,
        body: str,
        attachments: Sequence[Attachment] = (),
        *,
        headers: Sequence[tuple[str, str]] = (),
        forwarded: EmailMessage | None = None,
    ) -> tuple[str, dt.datetime]:
        """Deliver one email to C-SPOC; its Message-ID and London arrival time."""
        message, delivered = compose(
            self.rng,
            sender=sender,
            sent=sent,
            subject=subject,
            body=body,
            attachments=attachments,
            html=self.rng.random() < 0.4,
            extra_headers=headers,
            forwarded=forwarded,
        )
        arrived = delivered.astimezone(LONDON)
        message_id = str(message["Message-ID"])
        self.mail.append((arrived, message_id, message.as_bytes(policy=SMTP)))
        return message_id, arrived

    # calls

    def log_call(
        self,
        called: dt.datetime,
        caller: Referrer,
        child: Child,
        *,
        urgent: bool,
        kind: str = "referral",
        forenames: str | None = None,
        surname: str | None = None,
        taken_by: str | None = None,
        notes: str = "",
    ) -> None:
        dob = child.dob
        dob_text = ""
        if dob is not None:
            dob_text = dob.isoformat() if self.rng.random() < 0.6 else dob.strftime("%d/%m/%Y")
        self.calls.append(
            {
                "called_at": called.strftime("%Y-%m-%dT%H:%M"),
                "caller_name": caller.name,
                "caller_agency": caller.agency,
                "caller_phone": caller.phone,
                "child_forenames": forenames if forenames is not None else child.forenames,
                "child_surname": surname if surname is not None else child.surname,
                "child_dob": dob_text,
                "urgent": "yes" if urgent else "no",
                "kind": kind,
                "taken_by": taken_by or self.rng.choice(CSPOC_STAFF),
                "notes": notes,
            }
        )

    def owe(
        self,
        rule: str,
        child: Child,
        start: dt.datetime,
        case: str,
        answers: Sequence[dt.datetime] = (),
        *,
        forenames: str | None = None,
        optional: bool = False,
    ) -> Duty:
        duty = Duty(rule, _child(child, forenames), _local(start), case, list(answers), optional)
        self.duties.append(duty)
        return duty

    # writing

    def expected(self) -> list[dict[str, Any]]:
        out = []
        for duty in self.duties:
            item = duty.outcome(self.as_of)
            if item is not None:
                out.append(item)
        return out

    def write(self, root: Path) -> Path:
        folder = root / self.name
        late = [m for m in self.mail if m[0] > self.as_of]
        if late:
            raise AssertionError(f"{self.name}: {len(late)} email(s) arrive after as_of")
        ordered = sorted(self.mail, key=lambda m: (m[0], m[1]))
        write_eml_files([raw for _, _, raw in ordered], folder / "mail")
        calls = sorted(self.calls, key=lambda row: (row["called_at"], row["child_surname"]))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(CALL_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(calls)
        (folder / "calls.csv").write_text(out.getvalue(), encoding="utf-8")
        expected = {
            "as_of": self.as_of.strftime("%Y-%m-%dT%H:%M"),
            "world": self.name,
            "calendar": [d.isoformat() for d in self.calendar],
            "exceptions": self.expected(),
        }
        text = json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
        (folder / "expected.json").write_text(text, encoding="utf-8")
        return folder


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


# --- wording ----------------------------------------------------------------------------------

_SIGN_OFFS = ("Many thanks,", "Best wishes,", "Regards,", "Thank you,")
_NOTICE = (
    "OFFICIAL-SENSITIVE. If this message has reached you by mistake, please delete it and let "
    "the sender know. (Synthetic test message: every person in it is fictional.)"
)


def _signature(person: Referrer, rng: random.Random) -> str:
    phone = f"\nT: {person.phone}" if person.phone else ""
    return f"{rng.choice(_SIGN_OFFS)}\n{person.name} | {person.role}\n{person.agency}{phone}"


def _colleague_signature(person: Referrer) -> str:
    """A differently laid-out signature (a colleague's own mail client)."""
    return (
        f"Best\n\n{person.name.upper()}\n{person.role} - {person.agency}\n"
        f"Mobile {person.phone or 'not given'} | works Mon-Wed\n"
        "Please consider the environment before printing this email."
    )


def _hello(sent: dt.datetime) -> str:
    if sent.hour < 12:
        return "Morning team,"
    return "Hello C-SPOC," if sent.hour < 18 else "Hi,"


def _dob(child: Child) -> str:
    return child.dob.strftime("%d/%m/%Y") if child.dob else "DOB unknown"


def _names(children: Sequence[Child]) -> str:
    firsts = [c.forenames.split()[0] for c in children]
    if len(firsts) == 1:
        return firsts[0]
    return f"{', '.join(firsts[:-1])} and {firsts[-1]}"


def _subject(rng: random.Random, referral: Referral, *, urgent: bool = False) -> str:
    child = referral.children[0]
    surname = child.surname
    options = (
        f"RFS - {child.initials} - OFFICIAL SENSITIVE",
        f"New referral: {surname} family",
        f"Request for Service ({child.initials}, {_dob(child)})",
        "Referral form attached [OFFICIAL-SENSITIVE]",
        f"{surname} - RFS",
    )
    subject = rng.choice(options)
    return f"URGENT - {subject}" if urgent else subject


def _body(
    rng: random.Random, referral: Referral, sent: dt.datetime, extra: str = "", *, full: bool
) -> str:
    children = referral.children
    if full:
        who = "; ".join(f"{c.forenames} {c.surname} ({_dob(c)})" for c in children)
    else:
        who = ", ".join(f"{c.initials} ({_dob(c)})" for c in children)
    text = f"Please see the attached Request for Service regarding {who}."
    if extra:
        text = f"{text} {extra}"
    return f"{_hello(sent)}\n\n{text}\n\n{_signature(referral.referrer, rng)}\n\n{_NOTICE}\n"


def _reply_subject(subject: str) -> str:
    return subject if subject.upper().startswith("RE:") else f"RE: {subject}"


# --- attachments ------------------------------------------------------------------------------


def _form_bytes(referral: Referral, *, pdf: bool, doc: Doc | None, layout: str) -> bytes:
    model = doc or rfs_model(referral, "ehfsa" if layout == "ehfsa" else "southend-rfs")
    return render_pdf(model) if pdf else render_docx(model)


def _form(
    w: World,
    referral: Referral,
    *,
    pdf: bool | None = None,
    doc: Doc | None = None,
    layout: str | None = None,
) -> Attachment:
    rng = w.rng
    if pdf is None:
        pdf = rng.random() < 0.2
    if layout is None:
        layout = "ehfsa" if rng.random() < 0.2 else "southend-rfs"
    child = referral.children[0]
    data = _form_bytes(referral, pdf=pdf, doc=doc, layout=layout)
    stem = rng.choice(
        (
            f"RFS_{child.surname}_{referral.referral_datetime:%d%m%y}",
            "Request for Service form",
            f"{child.surname} family RFS",
            f"Referral form - {child.initials}",
            "C-SPOC RFS v4",
        )
    )
    if pdf:
        return Attachment(f"{stem}.pdf", PDF_TYPE, data, "rfs_pdf")
    return Attachment(f"{stem}.docx", DOCX_TYPE, data, "rfs_docx")


def _gcp(
    w: World,
    child: Child,
    on: dt.date,
    *,
    pdf: bool = False,
    name: str | None = None,
    carer: str = "",
) -> Attachment:
    completed = on - dt.timedelta(days=w.rng.randint(1, 9))
    first = child.forenames.split()[0]
    if pdf:
        data = gcp_pdf(child, completed=completed)
        return Attachment(
            name or f"Graded Care Profile {child.initials}.pdf", PDF_TYPE, data, "gcp"
        )
    data = gcp_docx(child, completed=completed, carer=carer, severity=w.rng.randint(3, 4))
    filename = name or w.rng.choice(
        (f"GCP2 - {first} {child.surname}.docx", f"GCP {child.initials}.docx", "GCP2 final.docx")
    )
    return Attachment(filename, DOCX_TYPE, data, "gcp")


def _zip(members: Sequence[tuple[str, bytes]], on: dt.date, name: str) -> Attachment:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members:
            info = zipfile.ZipInfo(member, date_time=(on.year, on.month, on.day, 8, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return Attachment(name, ZIP_TYPE, out.getvalue(), "zip")


# --- referrals --------------------------------------------------------------------------------


def _referral(
    w: World,
    when: dt.datetime,
    concerns: Sequence[str],
    *,
    urgent: bool = False,
    phoned_at: dt.datetime | None = None,
    children: int = 1,
    claimed: bool = False,
) -> Referral:
    """A form written a little before ``when`` (``phoned_at`` makes it declare a call)."""
    written = when - dt.timedelta(minutes=w.rng.randint(4, 35))
    return make_referral(
        w.rng.randrange(2**31),
        when=written,
        concerns=concerns,
        urgent=urgent,
        phoned=phoned_at is not None,
        phoned_at=phoned_at,
        threshold_level=4 if urgent else None,
        n_children=children,
        gcp_attached_claimed=claimed,
        other_attachments=[],
    )


def _neglect(w: World, when: dt.datetime, *, children: int = 1, claimed: bool = True) -> Referral:
    extra = w.rng.choice(((), ("domestic_abuse",), ("mental_health",), ("substance_misuse",)))
    return _referral(w, when, ("neglect", *extra), children=children, claimed=claimed)


def _rename_first(referral: Referral, new_first: str) -> Referral:
    """The referral with its first child's first name replaced (and in the narrative)."""
    child = referral.children[0]
    old_first, *rest = child.forenames.split()
    renamed = replace(child, forenames=" ".join([new_first, *rest]))
    narrative = re.sub(rf"\b{re.escape(old_first)}\b", new_first, referral.concern_narrative)
    return replace(
        referral, children=(renamed, *referral.children[1:]), concern_narrative=narrative
    )


def _submit(
    w: World,
    referral: Referral,
    sent: dt.datetime,
    attachments: Sequence[Attachment],
    *,
    extra: str = "",
    urgent: bool = False,
    headers: Sequence[tuple[str, str]] = (),
    subject: str | None = None,
) -> tuple[str, str, dt.datetime]:
    """Email ``referral`` to C-SPOC; its subject, Message-ID and arrival time."""
    rng = w.rng
    subject = subject or _subject(rng, referral, urgent=urgent)
    body = _body(rng, referral, sent, extra, full=rng.random() < 0.5)
    priority = [("Importance", "high")] if urgent else []
    message_id, arrived = w.send(
        referral.referrer, sent, subject, body, attachments, headers=[*priority, *headers]
    )
    return subject, message_id, arrived


def _follow_up_gcp(
    w: World,
    referral: Referral,
    subject: str,
    message_id: str,
    sent: dt.datetime,
    gcp: Attachment,
) -> dt.datetime:
    """The referrer's reply in the thread carrying the missing GCP; its arrival."""
    rng = w.rng
    first = referral.children[0].forenames.split()[0]
    body = (
        f"{_hello(sent)}\n\nSorry - the GCP2 for {first} did not go with my earlier email. "
        f"Attached now.\n\n{_signature(referral.referrer, rng)}\n\n{_NOTICE}\n"
    )
    _, arrived = w.send(
        referral.referrer,
        sent,
        _reply_subject(subject),
        body,
        [gcp],
        headers=[("In-Reply-To", message_id), ("References", message_id)],
    )
    return arrived


# --- ordinary traffic -------------------------------------------------------------------------


def _ordinary(w: World, day: dt.date, *, until: str = "17:10") -> None:
    concerns = w.rng.choice(_OTHER_CONCERNS)
    when = w.at(day, "08:20", until)
    referral = _referral(w, when, concerns, children=w.rng.choice((1, 1, 1, 2)))
    _submit(w, referral, when, [_form(w, referral)])


def _ordinary_neglect_with_gcp(w: World, day: dt.date) -> None:
    when = w.at(day, "08:40", "16:20")
    referral = _neglect(w, when, children=w.rng.choice((1, 1, 2)))
    gcp = _gcp(w, referral.children[0], day, pdf=w.rng.random() < 0.25)
    _submit(w, referral, when, [_form(w, referral), gcp], extra="GCP2 attached as well.")


def _ordinary_urgent(w: World, day: dt.date) -> None:
    """An urgent referral phoned first and emailed within the hour (logged 70 % of the time)."""
    called = w.at(day, "09:05", "15:40")
    sent = called + dt.timedelta(minutes=w.rng.randint(20, 75))
    concerns = w.rng.choice((("physical_abuse",), ("sexual_abuse",), ("domestic_abuse",)))
    referral = _referral(w, sent, concerns, urgent=True, phoned_at=called)
    _, _, arrived = _submit(
        w, referral, sent, [_form(w, referral)], extra="As discussed on the phone.", urgent=True
    )
    child = referral.children[0]
    if w.rng.random() < 0.7:
        w.log_call(
            called,
            referral.referrer,
            child,
            urgent=True,
            taken_by=referral.phoned_to,
            notes="Urgent. RFS to be emailed straight away.",
        )
    w.owe(PHONE, child, called, "ordinary_urgent", [arrived])


def _consultation(w: World, day: dt.date) -> None:
    caller = make_referrer(w.rng)
    child = make_child(w.rng, on=day)
    w.log_call(
        w.at(day, "09:10", "16:00"),
        caller,
        child,
        urgent=w.rng.random() < 0.5,
        kind="consultation",
        notes="Consultation only; advice given, no referral at this stage.",
    )


def _non_urgent_call(w: World, day: dt.date) -> None:
    caller = make_referrer(w.rng)
    child = make_child(w.rng, on=day)
    w.log_call(
        w.at(day, "09:10", "16:00"),
        caller,
        child,
        urgent=False,
        notes="Not urgent; advised to send an RFS when ready.",
    )


def _plain_enquiry(w: World, day: dt.date) -> None:
    sender = make_referrer(w.rng)
    sent = w.at(day, "08:30", "16:30")
    body = w.rng.choice(
        (
            "Is the RFS form on the partnership website the current version?",
            "Could you let me know who is allocated to the referral I sent last week?",
            "Our DSL is away; who should we contact for advice this week?",
        )
    )
    text = f"{_hello(sent)}\n\n{body}\n\n{_signature(sender, w.rng)}\n\n{_NOTICE}\n"
    w.send(sender, sent, w.rng.choice(("Query", "Quick question", "Advice")), text)


# --- neglect scenarios ------------------------------------------------------------------------


def n_siblings_gcp_each(w: World, day: dt.date) -> None:
    """Three siblings on one form, a GCP for each child in the same email."""
    when = w.at(day, "09:00", "15:00")
    referral = _neglect(w, when, children=3)
    gcps = [_gcp(w, child, day) for child in referral.children]
    _submit(w, referral, when, [_form(w, referral), *gcps], extra="One GCP2 per child attached.")


def n_siblings_family_gcp(w: World, day: dt.date) -> None:
    """Two or three siblings and one multiple-child GCP for the family."""
    when = w.at(day, "09:00", "15:00")
    referral = _neglect(w, when, children=w.rng.choice((2, 3)))
    data = render_docx(gcp_multiple_child(referral.children))
    family = Attachment(f"GCP2 {referral.children[0].surname} family.docx", DOCX_TYPE, data, "gcp")
    _submit(w, referral, when, [_form(w, referral), family], extra="The family GCP2 is attached.")


def n_siblings_no_gcp(w: World, day: dt.date) -> None:
    """Three siblings, neglect, the form claims a GCP but none is attached and none follows."""
    when = w.at(day, "09:00", "15:30")
    referral = _neglect(w, when, children=3, claimed=True)
    _, _, arrived = _submit(w, referral, when, [_form(w, referral)])
    first, *others = referral.children
    w.owe(NEGLECT, first, arrived, "siblings_no_gcp")
    for child in others:  # one exception per sibling is allowed, not required
        w.owe(NEGLECT, child, arrived, "siblings_no_gcp_sibling", optional=True)


def n_siblings_gcp_for_youngest(w: World, day: dt.date) -> None:
    """Siblings; the same afternoon a reply brings the GCP of the youngest only."""
    when = w.at(day, "09:00", "13:00")
    referral = _neglect(w, when, children=3, claimed=True)
    subject, message_id, arrived = _submit(w, referral, when, [_form(w, referral)])
    youngest = max(referral.children, key=lambda c: c.dob or day)
    later = when + dt.timedelta(minutes=w.rng.randint(40, 170))
    gcp_at = _follow_up_gcp(w, referral, subject, message_id, later, _gcp(w, youngest, day))
    w.owe(NEGLECT, referral.children[0], arrived, "siblings_gcp_for_youngest", [gcp_at])


def n_gcp_zipped_with_form(w: World, day: dt.date) -> None:
    """The form and the GCP in one zip file."""
    when = w.at(day, "09:00", "16:00")
    referral = _neglect(w, when)
    form = _form(w, referral, pdf=False)
    gcp = _gcp(w, referral.children[0], day, pdf=w.rng.random() < 0.5)
    archive = _zip(
        [(form.filename or "RFS.docx", form.data), (gcp.filename or "GCP2.docx", gcp.data)],
        day,
        f"{referral.children[0].surname} referral.zip",
    )
    _submit(w, referral, when, [archive], extra="Both documents are in the zip.")


def n_gcp_zipped_apart(w: World, day: dt.date) -> None:
    """The form as a document, the GCP (with a chronology note) zipped beside it."""
    when = w.at(day, "09:00", "16:00")
    referral = _neglect(w, when)
    gcp = _gcp(w, referral.children[0], day, pdf=True, name="scan0004.pdf")
    archive = _zip([(gcp.filename or "scan.pdf", gcp.data)], day, "Assessments.zip")
    _submit(w, referral, when, [_form(w, referral), archive], extra="Assessments zipped.")


def n_reply_all_colleague(w: World, day: dt.date, *, next_day: bool = False) -> None:
    """A colleague (health visitor) replies to all with the GCP she completed."""
    rng = w.rng
    when = w.at(day, "09:00", "13:30")
    referral = _neglect(w, when, claimed=False)
    colleague = make_referrer(rng, kinds=("health",))
    cc = [("Cc", f"{colleague.name} <{colleague.email}>")]
    extra = f"{colleague.name} ({colleague.role}) completed the GCP and will send it on."
    subject, message_id, arrived = _submit(
        w, referral, when, [_form(w, referral)], extra=extra, headers=cc
    )
    if next_day:
        later = w.at(next_working_day(day), "09:05", "11:45")
    else:
        later = when + dt.timedelta(minutes=rng.randint(25, 150))
    child = referral.children[0]
    quoted = "\n".join(
        f"> {line}"
        for line in (
            f"From: {referral.referrer.name}",
            f"Sent: {when:%d %B %Y %H:%M}",
            f"Subject: {subject}",
            "",
            "Please see the attached Request for Service.",
        )
    )
    body = (
        f"Hi all,\n\nReplying to all so C-SPOC has it: the Graded Care Profile I completed with "
        f"the family for {child.forenames.split()[0]} is attached.\n\n"
        f"{_colleague_signature(colleague)}\n\n{quoted}\n"
    )
    _, gcp_at = w.send(
        colleague,
        later,
        _reply_subject(subject),
        body,
        [_gcp(w, child, day, carer=referral.carers[0].name)],
        headers=[
            ("Cc", f"{referral.referrer.name} <{referral.referrer.email}>"),
            ("In-Reply-To", message_id),
            ("References", message_id),
        ],
    )
    case = "reply_all_colleague_next_day" if next_day else "reply_all_colleague"
    w.owe(NEGLECT, child, arrived, case, [gcp_at])


def n_reply_all_next_day(w: World, day: dt.date) -> None:
    n_reply_all_colleague(w, day, next_day=True)


def _same_agency_colleague(w: World, person: Referrer) -> Referrer:
    other = make_referrer(w.rng, kinds=(person.agency_kind,))
    return replace(
        other,
        agency=person.agency,
        role="Designated Safeguarding Lead",
        email=f"{other.email.split('@')[0]}@{person.email.split('@')[1]}",
        agency_kind=person.agency_kind,
    )


def n_forwarded_gcp_in_original(w: World, day: dt.date) -> None:
    """The referrer sent the form and GCP to her DSL, who forwards the whole email (Fwd:)."""
    rng = w.rng
    when = w.at(day, "09:30", "15:30")
    referral = _neglect(w, when)
    author = referral.referrer
    dsl = _same_agency_colleague(w, author)
    earlier = when - dt.timedelta(minutes=rng.randint(20, 90))
    subject = _subject(rng, referral)
    inner, _ = compose(
        rng,
        sender=author,
        sent=earlier,
        subject=subject,
        body=(
            f"Hi {dsl.forename},\n\nHere are the RFS and the GCP2 for the family we discussed. "
            f"Could you send them to C-SPOC?\n\n{_signature(author, rng)}\n"
        ),
        attachments=[_form(w, referral), _gcp(w, referral.children[0], day)],
        to=dsl.email,
        to_name=dsl.name,
    )
    w.send(
        dsl,
        when,
        f"Fwd: {subject}",
        f"{_hello(when)}\n\nForwarding {author.name}'s referral below, with its attachments.\n\n"
        f"{_signature(dsl, rng)}\n\n{_NOTICE}\n",
        forwarded=inner,
    )


def n_forwarded_inline_no_gcp(w: World, day: dt.date) -> None:
    """An Outlook-style forward (original quoted, form re-attached) without any GCP."""
    rng = w.rng
    when = w.at(day, "09:30", "15:30")
    referral = _neglect(w, when, claimed=True)
    author = referral.referrer
    dsl = _same_agency_colleague(w, author)
    earlier = when - dt.timedelta(minutes=rng.randint(20, 90))
    subject = _subject(rng, referral)
    body = (
        f"{_hello(when)}\n\nPlease see below from my colleague.\n\n{_signature(dsl, rng)}\n\n"
        f"-----Original Message-----\nFrom: {author.name} <{author.email}>\n"
        f"Sent: {earlier:%A, %d %B %Y %H:%M}\nTo: {dsl.name} <{dsl.email}>\n"
        f"Subject: {subject}\n\nHi {dsl.forename}, RFS attached for C-SPOC please.\n"
        f"{author.name}\n\n{_NOTICE}\n"
    )
    _, arrived = w.send(dsl, when, f"FW: {subject}", body, [_form(w, referral)])
    w.owe(NEGLECT, referral.children[0], arrived, "forwarded_inline_no_gcp")


_NARRATIVE_NEGLECT = (
    "We are also worried about neglect: {c} is often hungry when {he} arrives, has worn the same "
    "unwashed uniform for two weeks and has untreated tooth decay."
)


def n_neglect_in_narrative_only(w: World, day: dt.date) -> None:
    """Only emotional abuse is ticked; the narrative plainly states neglect; no GCP."""
    when = w.at(day, "09:00", "15:30")
    referral = _referral(w, when, ("emotional_abuse",))
    child = referral.children[0]
    he = "she" if child.gender == "Female" else "he"
    sentence = _NARRATIVE_NEGLECT.format(c=child.forenames.split()[0], he=he)
    referral = replace(referral, concern_narrative=f"{referral.concern_narrative} {sentence}")
    _, _, arrived = _submit(w, referral, when, [_form(w, referral, layout="southend-rfs")])
    w.owe(NEGLECT, child, arrived, "neglect_in_narrative_only")


def _previous_plan_form(referral: Referral) -> Doc:
    """The Southend form with a tick list for the category of a past child protection plan."""
    doc = rfs_model(referral, "southend-rfs")
    sections = []
    for section in doc.sections:
        if section.heading.startswith("7."):
            extra = (
                Text("If the child has had a child protection plan, under which category?"),
                Ticks(
                    (
                        ("Neglect", True),
                        ("Physical abuse", False),
                        ("Emotional abuse", False),
                        ("Sexual abuse", False),
                    ),
                    columns=4,
                ),
            )
            section = Section(section.heading, (*section.blocks, *extra))
        sections.append(section)
    return replace(doc, sections=tuple(sections))


def n_previous_neglect_only(w: World, day: dt.date) -> None:
    """Neglect is ticked for a past plan only; the narrative says no concerns about neglect."""
    when = w.at(day, "09:00", "15:30")
    referral = _referral(w, when, ("domestic_abuse",))
    narrative = (
        f"{referral.concern_narrative} There are no concerns about neglect at present: the home "
        "has been clean and well stocked at every recent visit."
    )
    referral = replace(
        referral,
        concern_narrative=narrative,
        known_to_csc=True,
        known_details="Child protection plan 2023 to 2024 (category: neglect), closed.",
    )
    form = Attachment(
        f"RFS {referral.children[0].initials}.docx",
        DOCX_TYPE,
        render_docx(_previous_plan_form(referral)),
        "rfs_docx",
    )
    _submit(w, referral, when, [form])


def n_negated_in_narrative(w: World, day: dt.date) -> None:
    """Physical abuse only; the narrative says there are no concerns about neglect."""
    when = w.at(day, "09:00", "15:30")
    referral = _referral(w, when, ("physical_abuse",))
    narrative = (
        f"{referral.concern_narrative} School has no concerns about neglect; "
        f"{referral.children[0].forenames.split()[0]} is always clean, fed and on time."
    )
    referral = replace(referral, concern_narrative=narrative)
    _submit(w, referral, when, [_form(w, referral)])


def n_enquiry_mentions_neglect(w: World, day: dt.date) -> None:
    """A plain email asking for advice about possible neglect: no form, so no referral."""
    sender = make_referrer(w.rng, kinds=("school", "early_years"))
    child = make_child(w.rng, on=day, min_age=3, max_age=9)
    sent = w.at(day, "09:00", "16:00")
    first = child.forenames.split()[0]
    body = (
        f"{_hello(sent)}\n\nI would value a consultation before deciding whether to refer. We "
        f"have some worries about possible neglect of {first} {child.surname} ({_dob(child)}): "
        f"{first} is often hungry and has had head lice for weeks. I am not sure it meets the "
        "threshold yet. Could a social worker call me back?\n\n"
        f"{_signature(sender, w.rng)}\n\n{_NOTICE}\n"
    )
    w.send(sender, sent, "Advice please - possible neglect", body)


def n_enquiry_with_letter(w: World, day: dt.date) -> None:
    """An email about dental neglect carrying only the dentist's letter (not a form)."""
    sender = make_referrer(w.rng, kinds=("health",))
    child = make_child(w.rng, on=day, min_age=4, max_age=11)
    sent = w.at(day, "09:00", "16:00")
    letter = Attachment(
        f"Dental letter {child.initials}.pdf", PDF_TYPE, letter_pdf(child, sent=day), "letter"
    )
    body = (
        f"{_hello(sent)}\n\nFor information: the dental practice's letter about {child.initials} "
        "is attached. They describe possible dental neglect. Our team will decide this week "
        f"whether a referral is needed.\n\n{_signature(sender, w.rng)}\n\n{_NOTICE}\n"
    )
    w.send(sender, sent, f"FYI - dental letter {child.initials}", body, [letter])


def n_plain_no_gcp(w: World, day: dt.date) -> None:
    """An ordinary neglect referral without a GCP, never followed by one."""
    when = w.at(day, "09:00", "16:00")
    referral = _neglect(w, when, claimed=w.rng.random() < 0.5)
    _, _, arrived = _submit(w, referral, when, [_form(w, referral)])
    w.owe(NEGLECT, referral.children[0], arrived, "plain_no_gcp")


def n_friday_gcp_monday(w: World, day: dt.date) -> None:
    """A Friday afternoon form; the GCP comes on Monday morning (late)."""
    when = w.at(day, "13:00", "15:30")
    referral = _neglect(w, when)
    subject, message_id, arrived = _submit(w, referral, when, [_form(w, referral)])
    later = w.at(next_working_day(day), "09:10", "11:30")
    gcp = _gcp(w, referral.children[0], day)
    gcp_at = _follow_up_gcp(w, referral, subject, message_id, later, gcp)
    w.owe(NEGLECT, referral.children[0], arrived, "friday_gcp_monday", [gcp_at])


def n_friday_after_close(w: World, day: dt.date) -> None:
    """Sent at 16:45 on a Friday (after closing): it belongs to the next working day."""
    when = dt.datetime.combine(day, dt.time(16, w.rng.randint(40, 58)))
    referral = _neglect(w, when)
    subject, message_id, arrived = _submit(w, referral, when, [_form(w, referral)])
    nxt = next_working_day(day)
    later = w.at(nxt, "09:15", "11:40") if nxt == w.calendar[-1] else w.at(nxt, "13:00", "16:00")
    gcp = _gcp(w, referral.children[0], day)
    gcp_at = _follow_up_gcp(w, referral, subject, message_id, later, gcp)
    w.owe(NEGLECT, referral.children[0], arrived, "friday_after_close", [gcp_at])


def n_friday_gcp_after_close(w: World, day: dt.date) -> None:
    """A Friday morning form; the GCP comes at 16:50, after Friday's 16:30 close (late)."""
    when = w.at(day, "09:30", "12:00")
    referral = _neglect(w, when)
    subject, message_id, arrived = _submit(w, referral, when, [_form(w, referral)])
    later = dt.datetime.combine(day, dt.time(16, w.rng.randint(45, 59)))
    gcp = _gcp(w, referral.children[0], day)
    gcp_at = _follow_up_gcp(w, referral, subject, message_id, later, gcp)
    w.owe(NEGLECT, referral.children[0], arrived, "friday_gcp_after_close", [gcp_at])


def n_closed_day_form(w: World, day: dt.date) -> None:
    """A form sent on a bank holiday or weekend; the GCP arrives on the next working day."""
    when = w.at(day, "10:00", "14:00")
    referral = _neglect(w, when)
    subject, message_id, arrived = _submit(w, referral, when, [_form(w, referral)])
    nxt = next_working_day(day)
    later = w.at(nxt, "09:20", "11:50") if nxt == w.calendar[-1] else w.at(nxt, "14:00", "16:10")
    gcp = _gcp(w, referral.children[0], nxt)
    gcp_at = _follow_up_gcp(w, referral, subject, message_id, later, gcp)
    w.owe(NEGLECT, referral.children[0], arrived, "closed_day_form", [gcp_at])


def n_evening_before_closure(w: World, day: dt.date) -> None:
    """Sent after closing before a closed stretch; the GCP comes the next working morning."""
    when = dt.datetime.combine(day, dt.time(18, w.rng.randint(0, 50)))
    referral = _neglect(w, when)
    subject, message_id, arrived = _submit(w, referral, when, [_form(w, referral)])
    later = w.at(next_working_day(day), "09:30", "11:45")
    gcp = _gcp(w, referral.children[0], day)
    gcp_at = _follow_up_gcp(w, referral, subject, message_id, later, gcp)
    w.owe(NEGLECT, referral.children[0], arrived, "evening_before_closure", [gcp_at])


def n_gcp_for_namesake(w: World, day: dt.date) -> None:
    """A GCP arrives that day for another child of the same surname (a cousin): no help."""
    when = w.at(day, "09:00", "13:00")
    referral = _neglect(w, when, claimed=True)
    child = referral.children[0]
    _, _, arrived = _submit(w, referral, when, [_form(w, referral)])
    cousin = make_child(w.rng, on=day, surname=child.surname, min_age=1, max_age=15)
    while cousin.forenames.split()[0] == child.forenames.split()[0] or cousin.dob == child.dob:
        cousin = make_child(w.rng, on=day, surname=child.surname, min_age=1, max_age=15)
    sender = make_referrer(w.rng, kinds=("health",))
    later = when + dt.timedelta(minutes=w.rng.randint(30, 180))
    body = (
        f"{_hello(later)}\n\nFor your records, the GCP2 completed for {cousin.forenames} "
        f"{cousin.surname} ({_dob(cousin)}). No referral from us at this stage.\n\n"
        f"{_signature(sender, w.rng)}\n\n{_NOTICE}\n"
    )
    w.send(sender, later, f"GCP2 - {cousin.initials}", body, [_gcp(w, cousin, day)])
    w.owe(NEGLECT, child, arrived, "gcp_for_namesake")


def n_form_sent_twice(w: World, day: dt.date) -> None:
    """The same neglect form sent twice the same day, never with a GCP: one exception."""
    when = w.at(day, "09:00", "12:30")
    referral = _neglect(w, when, claimed=True)
    form = _form(w, referral)
    subject, _, arrived = _submit(w, referral, when, [form])
    again = when + dt.timedelta(minutes=w.rng.randint(60, 200))
    _submit(
        w,
        referral,
        again,
        [form],
        extra="Resending in case this did not arrive.",
        subject=f"RESEND: {subject}",
    )
    w.owe(NEGLECT, referral.children[0], arrived, "form_sent_twice")


def n_gcp_separate_sender(w: World, day: dt.date) -> None:
    """The school sends the form; the health visitor sends the GCP separately, same day."""
    when = w.at(day, "09:00", "13:00")
    referral = _neglect(w, when, claimed=False)
    child = referral.children[0]
    _, _, arrived = _submit(w, referral, when, [_form(w, referral)])
    nurse = make_referrer(w.rng, kinds=("health",))
    later = when + dt.timedelta(minutes=w.rng.randint(30, 180))
    body = (
        f"{_hello(later)}\n\nGCP2 for {child.forenames} {child.surname}, DOB {_dob(child)}, to go "
        f"with the referral made today by {referral.referrer.agency}.\n\n"
        f"{_colleague_signature(nurse)}\n"
    )
    subject = f"GCP2 {child.forenames.split()[0]} {child.surname} {_dob(child)}"
    _, gcp_at = w.send(nurse, later, subject, body, [_gcp(w, child, day, pdf=True)])
    w.owe(NEGLECT, child, arrived, "gcp_separate_sender", [gcp_at])


def n_pending_last_day(w: World, day: dt.date) -> None:
    """The last morning: a neglect form without a GCP whose deadline is after as_of."""
    when = w.at(day, "09:10", "11:30")
    referral = _neglect(w, when, claimed=True)
    _, _, arrived = _submit(w, referral, when, [_form(w, referral)])
    w.owe(NEGLECT, referral.children[0], arrived, "pending_last_day")


# --- phone scenarios --------------------------------------------------------------------------


def _urgent_referral(
    w: World, sent: dt.datetime, *, phoned_at: dt.datetime | None, children: int = 1
) -> Referral:
    concerns = w.rng.choice((("physical_abuse",), ("sexual_abuse",), ("domestic_abuse",)))
    return _referral(w, sent, concerns, urgent=True, phoned_at=phoned_at, children=children)


def p_unknown_forename(w: World, day: dt.date, *, written: bool = True) -> None:
    """A call logged with surname and DOB only ("Unknown" forename)."""
    called = w.at(day, "09:15", "14:00")
    sent = called + dt.timedelta(minutes=w.rng.randint(45, 150))
    referral = _urgent_referral(w, sent, phoned_at=None)
    child = referral.children[0]
    w.log_call(
        called,
        referral.referrer,
        child,
        urgent=True,
        forenames="Unknown",
        notes="Caller did not have the child's first name to hand; surname and DOB given.",
    )
    answers = []
    if written:
        _, _, arrived = _submit(w, referral, sent, [_form(w, referral)], urgent=True)
        answers.append(arrived)
    case = "unknown_forename" if written else "unknown_forename_unwritten"
    w.owe(PHONE, child, called, case, answers, forenames="Unknown")


def p_unknown_forename_unwritten(w: World, day: dt.date) -> None:
    p_unknown_forename(w, day, written=False)


def p_capitals(w: World, day: dt.date, *, written: bool = True) -> None:
    """The caller's details typed in capitals."""
    called = w.at(day, "09:15", "15:00")
    sent = called + dt.timedelta(minutes=w.rng.randint(30, 120))
    referral = _urgent_referral(w, sent, phoned_at=called if written else None)
    child = referral.children[0]
    caller = replace(referral.referrer, name=referral.referrer.name.upper())
    w.log_call(
        called,
        caller,
        child,
        urgent=True,
        forenames=child.forenames.upper(),
        surname=child.surname.upper(),
        taken_by=referral.phoned_to,
        notes="URGENT - RFS TO FOLLOW",
    )
    answers = []
    if written:
        _, _, arrived = _submit(w, referral, sent, [_form(w, referral)], urgent=True)
        answers.append(arrived)
    w.owe(PHONE, child, called, "capitals" if written else "capitals_unwritten", answers)


def p_capitals_unwritten(w: World, day: dt.date) -> None:
    p_capitals(w, day, written=False)


def p_middle_name_in_call(w: World, day: dt.date) -> None:
    """The call log has a middle name the form leaves out."""
    called = w.at(day, "09:15", "15:00")
    sent = called + dt.timedelta(minutes=w.rng.randint(30, 120))
    referral = _urgent_referral(w, sent, phoned_at=None)
    child = referral.children[0]
    first = child.forenames.split()[0]
    middle = "Grace" if child.gender == "Female" else "James"
    referral = replace(referral, children=(replace(child, forenames=first),))
    child = referral.children[0]
    w.log_call(called, referral.referrer, child, urgent=True, forenames=f"{first} {middle}")
    _, _, arrived = _submit(w, referral, sent, [_form(w, referral)], urgent=True)
    w.owe(PHONE, child, called, "middle_name_in_call", [arrived], forenames=f"{first} {middle}")


def p_middle_name_on_form(w: World, day: dt.date) -> None:
    """The form has a middle name the call log leaves out."""
    called = w.at(day, "09:15", "15:00")
    sent = called + dt.timedelta(minutes=w.rng.randint(30, 120))
    referral = _urgent_referral(w, sent, phoned_at=called)
    child = referral.children[0]
    first = child.forenames.split()[0]
    middle = "Rose" if child.gender == "Female" else "Alexander"
    referral = replace(referral, children=(replace(child, forenames=f"{first} {middle}"),))
    child = referral.children[0]
    w.log_call(
        called, referral.referrer, child, urgent=True, forenames=first, taken_by=referral.phoned_to
    )
    _, _, arrived = _submit(w, referral, sent, [_form(w, referral)], urgent=True)
    w.owe(PHONE, child, called, "middle_name_on_form", [arrived], forenames=first)


def p_nickname_call(w: World, day: dt.date) -> None:
    """The caller uses a short name (Alfie), the form the full one (Alfred)."""
    called = w.at(day, "09:15", "15:00")
    sent = called + dt.timedelta(minutes=w.rng.randint(30, 120))
    referral = _urgent_referral(w, sent, phoned_at=None)
    short, full = _NICKNAMES[referral.children[0].gender]
    referral = _rename_first(referral, full)
    child = referral.children[0]
    w.log_call(called, referral.referrer, child, urgent=True, forenames=short)
    _, _, arrived = _submit(w, referral, sent, [_form(w, referral)], urgent=True)
    w.owe(PHONE, child, called, "nickname_call", [arrived], forenames=short)


def p_form_before_call(w: World, day: dt.date) -> None:
    """The form is emailed 30 minutes before the referrer rings to flag it."""
    sent = w.at(day, "09:10", "15:00")
    called = sent + dt.timedelta(minutes=30)
    referral = _urgent_referral(w, sent, phoned_at=None)
    child = referral.children[0]
    _, _, arrived = _submit(
        w, referral, sent, [_form(w, referral)], urgent=True, extra="I will ring to flag this."
    )
    w.log_call(
        called,
        referral.referrer,
        child,
        urgent=True,
        notes=f"Ringing about the RFS emailed at {sent:%H:%M}.",
    )
    w.owe(PHONE, child, called, "form_before_call", [arrived])


def p_late_night_written(w: World, day: dt.date) -> None:
    """A call at 23:10 and the form at 23:40, the same calendar day."""
    called = dt.datetime.combine(day, dt.time(23, w.rng.randint(1, 15)))
    sent = called + dt.timedelta(minutes=w.rng.randint(20, 35))
    referral = _urgent_referral(w, sent, phoned_at=called)
    child = referral.children[0]
    w.log_call(
        called,
        referral.referrer,
        child,
        urgent=True,
        taken_by=referral.phoned_to,
        notes="Out of hours call passed on by the emergency duty team.",
    )
    _, _, arrived = _submit(w, referral, sent, [_form(w, referral)], urgent=True)
    w.owe(PHONE, child, called, "late_night_written", [arrived])


def p_late_night_after_midnight(w: World, day: dt.date) -> None:
    """A call at 23:30; the form arrives at about 00:25 the next day (late)."""
    called = dt.datetime.combine(day, dt.time(23, w.rng.randint(25, 40)))
    sent = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, w.rng.randint(15, 40)))
    referral = _urgent_referral(w, sent, phoned_at=None)
    child = referral.children[0]
    w.log_call(called, referral.referrer, child, urgent=True, notes="Police call, RFS to follow.")
    _, _, arrived = _submit(w, referral, sent, [_form(w, referral)], urgent=True)
    w.owe(PHONE, child, called, "late_night_after_midnight", [arrived])


def p_late_night_unwritten(w: World, day: dt.date) -> None:
    """A call after 23:00 and no form ever."""
    called = dt.datetime.combine(day, dt.time(23, w.rng.randint(2, 50)))
    caller = make_referrer(w.rng, kinds=("police",))
    child = make_child(w.rng, on=day, min_age=2, max_age=15)
    w.log_call(called, caller, child, urgent=True, notes="Police at the address; RFS to follow.")
    w.owe(PHONE, child, called, "late_night_unwritten")


def p_friday_call_monday_form(w: World, day: dt.date) -> None:
    """An urgent Friday afternoon call; the form (declaring the call) arrives on Monday."""
    called = w.at(day, "14:00", "16:00")
    sent = w.at(next_working_day(day), "09:05", "11:30")
    referral = _urgent_referral(w, sent, phoned_at=called)
    child = referral.children[0]
    w.log_call(called, referral.referrer, child, urgent=True, taken_by=referral.phoned_to)
    extra = f"Following my call on {called:%A} at {called:%H:%M}."
    _, _, arrived = _submit(w, referral, sent, [_form(w, referral)], urgent=True, extra=extra)
    w.owe(PHONE, child, called, "friday_call_monday_form", [arrived])


def p_declared_and_logged_late(w: World, day: dt.date) -> None:
    """Logged at about 16:15; the form declaring the same call comes next morning: one event."""
    called = w.at(day, "15:50", "16:25")
    sent = w.at(next_working_day(day), "09:00", "11:00")
    referral = _urgent_referral(w, sent, phoned_at=called)
    child = referral.children[0]
    w.log_call(called, referral.referrer, child, urgent=True, taken_by=referral.phoned_to)
    _, _, arrived = _submit(w, referral, sent, [_form(w, referral)], urgent=True)
    w.owe(PHONE, child, called, "declared_and_logged_late", [arrived])


def p_declared_only_late(w: World, day: dt.date) -> None:
    """No log entry: the form itself declares yesterday's urgent call, and arrives late."""
    called = w.at(day, "14:30", "16:30")
    sent = w.at(next_working_day(day), "09:00", "11:30")
    referral = _urgent_referral(w, sent, phoned_at=called, children=w.rng.choice((1, 2)))
    _, _, arrived = _submit(w, referral, sent, [_form(w, referral, layout="southend-rfs")])
    w.owe(PHONE, referral.children[0], called, "declared_only_late", [arrived])


def p_form_twice_late(w: World, day: dt.date) -> None:
    """An urgent call; the form comes the next day, twice: one exception."""
    called = w.at(day, "10:00", "15:30")
    sent = w.at(next_working_day(day), "09:00", "10:30")
    referral = _urgent_referral(w, sent, phoned_at=None)
    child = referral.children[0]
    w.log_call(called, referral.referrer, child, urgent=True)
    form = _form(w, referral)
    _, _, arrived = _submit(w, referral, sent, [form], urgent=True)
    again = sent + dt.timedelta(minutes=w.rng.randint(20, 70))
    _submit(w, referral, again, [form], urgent=True, extra="Sending again, apologies.")
    w.owe(PHONE, child, called, "form_twice_late", [arrived])


def p_unwritten(w: World, day: dt.date) -> None:
    """An urgent referral by phone that is never written up."""
    called = w.at(day, "09:30", "16:30")
    caller = make_referrer(w.rng)
    child = make_child(w.rng, on=day)
    w.log_call(called, caller, child, urgent=True, notes="Urgent. Said the RFS would follow.")
    w.owe(PHONE, child, called, "unwritten")


def p_urgent_consultation(w: World, day: dt.date) -> None:
    """An urgent-flagged consultation: owes no email."""
    caller = make_referrer(w.rng)
    child = make_child(w.rng, on=day)
    w.log_call(
        w.at(day, "09:30", "16:30"),
        caller,
        child,
        urgent=True,
        kind="consultation",
        notes="Consultation; worker to discuss with DSL.",
    )


def p_sibling_call(w: World, day: dt.date) -> None:
    """The call names the second of three siblings; the form names all three."""
    called = w.at(day, "09:15", "14:30")
    sent = called + dt.timedelta(minutes=w.rng.randint(30, 120))
    referral = _urgent_referral(w, sent, phoned_at=called, children=3)
    second = referral.children[1]
    w.log_call(called, referral.referrer, second, urgent=True, taken_by=referral.phoned_to)
    _, _, arrived = _submit(w, referral, sent, [_form(w, referral)], urgent=True)
    w.owe(PHONE, second, called, "sibling_call", [arrived])
    # The form declares the call too, for the first child: the same event, already answered.


def p_closed_day_call(w: World, day: dt.date) -> None:
    """A call on a bank holiday or weekend, the form the same afternoon."""
    called = w.at(day, "10:00", "15:00")
    sent = called + dt.timedelta(minutes=w.rng.randint(40, 120))
    referral = _urgent_referral(w, sent, phoned_at=called)
    child = referral.children[0]
    w.log_call(called, referral.referrer, child, urgent=True, taken_by=referral.phoned_to)
    _, _, arrived = _submit(w, referral, sent, [_form(w, referral)], urgent=True)
    w.owe(PHONE, child, called, "closed_day_call", [arrived])


def p_pending_last_day(w: World, day: dt.date) -> None:
    """An urgent call on the last morning, no form yet: its deadline is after as_of."""
    called = w.at(day, "09:05", "11:30")
    caller = make_referrer(w.rng)
    child = make_child(w.rng, on=day)
    w.log_call(called, caller, child, urgent=True, notes="RFS to follow this afternoon.")
    w.owe(PHONE, child, called, "pending_last_day")


# --- planning a world -------------------------------------------------------------------------

Scenario = Callable[[World, dt.date], None]

#: Scenarios on any full working day (its next working day is in the calendar).
_ANY_DAY: tuple[Scenario, ...] = (
    n_siblings_gcp_each,
    n_siblings_family_gcp,
    n_siblings_no_gcp,
    n_siblings_gcp_for_youngest,
    n_gcp_zipped_with_form,
    n_gcp_zipped_apart,
    n_reply_all_colleague,
    n_reply_all_next_day,
    n_forwarded_gcp_in_original,
    n_forwarded_inline_no_gcp,
    n_neglect_in_narrative_only,
    n_previous_neglect_only,
    n_negated_in_narrative,
    n_enquiry_mentions_neglect,
    n_enquiry_with_letter,
    n_plain_no_gcp,
    n_gcp_for_namesake,
    n_form_sent_twice,
    n_gcp_separate_sender,
    p_unknown_forename,
    p_unknown_forename_unwritten,
    p_capitals,
    p_capitals_unwritten,
    p_middle_name_in_call,
    p_middle_name_on_form,
    p_nickname_call,
    p_form_before_call,
    p_late_night_written,
    p_late_night_after_midnight,
    p_late_night_unwritten,
    p_declared_and_logged_late,
    p_declared_only_late,
    p_form_twice_late,
    p_unwritten,
    p_urgent_consultation,
    p_sibling_call,
)
#: Scenarios that need a Friday (with the following Monday in the calendar).
_FRIDAY: tuple[Scenario, ...] = (
    n_friday_gcp_monday,
    n_friday_after_close,
    n_friday_gcp_after_close,
    p_friday_call_monday_form,
)
#: Scenarios on a closed day, and on the evening before a closure.
_CLOSED_DAY: tuple[Scenario, ...] = (n_closed_day_form, p_closed_day_call)
_BEFORE_CLOSURE: tuple[Scenario, ...] = (n_evening_before_closure,)
#: Scenarios on the last morning (deadlines after as_of).
_LAST_DAY: tuple[Scenario, ...] = (n_pending_last_day, p_pending_last_day)
#: Whatever the calendar, these go on the first day so that even a short world owes both rules.
_FIRST_DAY: tuple[Scenario, ...] = (n_plain_no_gcp, p_unwritten)


def _calendar(anchor: dt.date, forward: bool, days: int) -> list[dt.date]:
    if forward:
        return working_days(anchor, days)
    found: list[dt.date] = []
    day = anchor
    while len(found) < days:
        if _is_open(day):
            found.append(day)
        day -= dt.timedelta(days=1)
    return sorted(found)


def _plan(w: World) -> None:
    rng = w.rng
    full = w.full_days
    for scenario in _FIRST_DAY:
        scenario(w, full[0])
    order = list(_ANY_DAY)
    rng.shuffle(order)
    for index, scenario in enumerate(order):
        scenario(w, full[index % len(full)])
    fridays = w.fridays()
    for index, scenario in enumerate(_FRIDAY):
        if fridays:
            scenario(w, fridays[index % len(fridays)])
    closed = w.closed_days()
    for index, scenario in enumerate(_CLOSED_DAY):
        if closed:
            scenario(w, closed[index % len(closed)])
    before = w.before_closure()
    for scenario in _BEFORE_CLOSURE:
        if before:
            scenario(w, before[0])
    for scenario in _LAST_DAY:
        scenario(w, w.calendar[-1])
    # Ordinary traffic: about four emails and one or two calls a day.
    for day in full:
        for _ in range(rng.choice((1, 2))):
            _ordinary(w, day)
        if rng.random() < 0.4:
            _ordinary_neglect_with_gcp(w, day)
        _ordinary_urgent(w, day)
        if rng.random() < 0.35:
            _consultation(w, day)
        if rng.random() < 0.25:
            _non_urgent_call(w, day)
        if rng.random() < 0.3:
            _plain_enquiry(w, day)
    for _ in range(2):
        _ordinary(w, w.calendar[-1], until="12:00")


def build(
    root: Path, seed: int = 7, days: int = 10, only: Sequence[str] | None = None
) -> list[Path]:
    """Write the three worlds (or those named in ``only``) under ``root``, each ``days``
    working days long; returns their folders."""
    if days < 2:
        raise ValueError("a world needs at least two working days")
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name, anchor, forward in WORLDS:
        if only is not None and name not in only:
            continue
        world = World(
            name, _calendar(anchor, forward, days), random.Random(f"heldout2|{seed}|{name}")
        )
        _plan(world)
        written.append(world.write(root))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the second set of held-out rule worlds.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=10)
    args = parser.parse_args(argv)
    for folder in build(args.root, seed=args.seed, days=args.days):
        expected = json.loads((folder / "expected.json").read_text("utf-8"))
        emails = len(list((folder / "mail").glob("*.eml")))
        calls = len((folder / "calls.csv").read_text("utf-8").splitlines()) - 1
        counts: dict[str, int] = {}
        for item in expected["exceptions"]:
            key = f"{item['rule']}/{item['status']}" + ("/optional" if item.get("optional") else "")
            counts[key] = counts.get(key, 0) + 1
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        print(
            f"{folder.name}: {emails} emails, {calls} calls, as of {expected['as_of']}; {summary}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
