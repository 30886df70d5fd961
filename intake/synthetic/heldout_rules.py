"""Held-out scenario worlds for the two rules the service exists for, with the answers.

Each *world* is a realistic stretch of about ten working days at the Southend front door: a
folder of referral emails (``mail/``, one ``.eml`` per message, names meaningless), the C-SPOC
call log for the same days (``calls.csv``, the contract's columns) and ``expected.json``, which
lists every ``neglect-no-gcp`` and ``phone-no-same-day-email`` exception that must exist when the
checks are run with ``--as-of`` its ``as_of`` (and so, by omission, every one that must not)::

    {"as_of": "2026-04-08T12:00",
     "exceptions": [{"rule": "neglect-no-gcp",
                     "child": {"forenames": "Ruby", "surname": "Taylor", "dob": "2019-04-03"},
                     "status": "open", "late": false,
                     "case": "neglect-no-gcp-claimed", "due_at": "2026-03-23T17:30:00+00:00"}]}

``case`` (which scenario planted it) and ``due_at`` (the deadline this module computed) are
extra, for whoever investigates a miss. ``"optional": true`` marks an exception the contract
allows but does not require (the second and later siblings of one neglect form, see below): a
scorer should count it neither as missed when absent nor as false when present.

Why: the rule checks were written from the outside contract by other people; this module was
written from the same contract without reading them, so it tests the contract, not the code. The
answers come from what each scenario planted and a calendar of its own (Mon-Thu 09:00-17:30,
Fri 09:00-16:30, Europe/London, England and Wales bank holidays), never from running the checks.

What a world contains. Most of the mail is ordinary: referrals for other concerns in many
templates and renderings (the Southend RFS and EHFSA as DOCX and PDF, and the Knowsley, Lambeth,
Calderdale, Enfield, Bromley, Croydon, MASH, inter-agency, statutory-intervention and Thurrock
forms in Word tables, content controls, legacy fields, paragraphs, printed and fillable PDFs),
neglect referrals with their Graded Care Profile attached, urgent phone referrals emailed the same
day, Brook and exploitation tools, forwarded, zipped and nameless attachments, plain enquiries;
and in the call log consultations and non-urgent calls. Among them sit the tricky cases, each
placed on the day it needs (a Friday, a Saturday, a bank holiday, a clock change):

* neglect: GCP attached; no GCP, form claiming one or not; GCP later the same working day as a
  reply in the thread, a new thread from the same sender, from a colleague at the same agency,
  in a document naming the child and DOB, with only the subject naming the child, or sent before
  the referral; GCP the next day, two days later, after 17:30, after 16:30 on a Friday (all late);
  referrals after closing, on a Saturday or Sunday, after 16:30 on a Friday, the evening before a
  bank holiday weekend, on a bank holiday; neglect only in the narrative (and a narrative ruling
  neglect out); siblings in one form (one multiple-child GCP, one GCP each, none); two children
  with the same name, one with a GCP; the same referral sent twice or forwarded; a GCP in a zip;
  decoy letters that only mention a care profile; a deadline still in the future at ``as_of``;
* phone: an urgent call with the RFS the same day, none at all, the next day, a holding email
  first; the call logged with a nickname, a typo, swapped names, accents and hyphens, a UK-style
  DOB or none; two children with the same name and different DOBs (one phoned, the other
  emailed); 23:50 call and 00:10 email; Friday 16:45 call and Monday email; calls around the
  March and October clock changes (where a UTC day and a London day differ) and on bank
  holidays; consultations and non-urgent calls (never an exception); urgent calls the form
  declares, alone or also in the log (one exception at most); a resent or forwarded RFS; a call on
  the morning of ``as_of`` (deadline not yet passed).

Policies this module assumes where the contract leaves room (say so if the service decides
otherwise): "a referral ... has no GCP" is read per referral, so a form for two siblings with no
GCP must raise an exception for its first child and may also raise one for each sibling
(``optional``); a GCP for every child (one each, or one multiple-child record) satisfies it, and
a GCP for only some of the children is not planted. A form-declared urgent call is due by the
end of the day of the call written on the form. An exception's child is the one named where the
obligation came from (the call log's spelling for a logged call, the form's first child
otherwise). Cases whose answer would depend on anything else (a blank or partial GCP, the same
child referred twice in one day by different people, an anonymous call) are left out on
purpose.

Everything is fictional (people from :mod:`intake.synthetic.people`, ``example`` domains, drama-
range numbers) and deterministic: the same seed and days give the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import random
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nicknames import NickNamer

from intake.synthetic import tools
from intake.synthetic.emails import (
    DOCX_TYPE,
    PDF_TYPE,
    Attachment,
    SyntheticEmail,
    _body,
    _greeting,
    _rfs_attachment,
    _signature,
    _subject,
    compose,
    scenario,
)
from intake.synthetic.forms import LAYOUTS, Layout, gcp_docx, gcp_pdf, letter_pdf, rfs_docx, rfs_pdf
from intake.synthetic.people import (
    CSPOC_STAFF,
    Child,
    Referral,
    Referrer,
    agency_named,
    make_referrer,
)
from intake.synthetic.referrals import make_referral
from intake.synthetic.scenarios import calls_csv
from intake.synthetic.templates import (
    RENDERINGS,
    SUFFIX,
    build_form,
    plain_narrative,
    render_form,
)
from intake.synthetic.workdays import bank_holidays, next_working_day, working_days

__all__ = ["RULES", "STATUSES", "WORLDS", "build", "summary"]

NEGLECT = "neglect-no-gcp"
PHONE = "phone-no-same-day-email"
#: The rules a world's ``expected.json`` speaks for.
RULES: tuple[str, ...] = (NEGLECT, PHONE)
#: The statuses an expected exception can have at ``as_of``.
STATUSES: tuple[str, ...] = ("open", "auto_resolved")

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class _Spec:
    name: str
    start: dt.date
    about: str


_SPECS: tuple[_Spec, ...] = (
    _Spec(
        "spring-forward-easter",
        dt.date(2026, 3, 23),
        "Mon 23 Mar - Tue 7 Apr 2026: clocks go forward on Sun 29 Mar (a Saturday-night call "
        "emailed after midnight, a call at 00:30 GMT answered at 23:30 BST), Good Friday and "
        "Easter Monday (a neglect referral the evening before and on Good Friday itself, calls to "
        "the duty team on both holidays); GCP replies, next-day and Friday-evening GCPs, a "
        "Saturday referral, siblings with one multiple-child GCP, a nickname and swapped names "
        "in the call log, a form-declared call emailed the next day.",
    ),
    _Spec(
        "may-bank-holiday",
        dt.date(2026, 5, 19),
        "Tue 19 May - Tue 2 Jun 2026 (BST) around the spring bank holiday: a Friday 16:45 neglect "
        "referral whose working day is Tuesday, a referral on the holiday itself, Friday 16:45 "
        "calls emailed on Tuesday and Monday, a 23:50 call emailed at 00:10; GCP from a new "
        "thread and from a colleague, neglect only in the narrative and a narrative ruling it "
        "out, siblings with no GCP, a forwarded copy, a zip, a holding email, a typo, a call "
        "without DOB, a late RFS for a nicknamed child.",
    ),
    _Spec(
        "autumn-clocks-back",
        dt.date(2026, 10, 19),
        "Mon 19 Oct - Fri 30 Oct 2026: clocks go back on Sun 25 Oct (a 23:30 BST call emailed at "
        "00:20, which is still the same UTC day, and a 00:40 BST call emailed that evening); a "
        "GCP found only through the subject line, siblings with a GCP each, two children of the "
        "same name (one GCP), a GCP two days late, a Sunday police referral, a resent late RFS, "
        "accents and hyphens, a call on the morning of as_of.",
    ),
    _Spec(
        "november-names",
        dt.date(2026, 11, 9),
        "Mon 9 Nov - Fri 20 Nov 2026 (GMT), heavy on telling children apart: nicknames, typos, "
        "swapped names, accents, missing DOBs, two pairs of same-named children (one phoned, one "
        "emailed; one with a GCP, one without), plus a Saturday referral, a weekend call, a "
        "forwarded RFS, a 23:50 call, a Friday 16:45 call and the usual mix.",
    ),
)

#: One line per world, for the README.
WORLDS: dict[str, str] = {spec.name: spec.about for spec in _SPECS}


# --- the calendar this module judges by (its own, not the service's) ---------------------------


def _is_working(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def _close(day: dt.date) -> dt.time:
    return dt.time(16, 30) if day.weekday() == 4 else dt.time(17, 30)


def _working_deadline(local: dt.datetime) -> dt.datetime:
    """Close of the working day ``local`` (naive London time) belongs to."""
    day = local.date()
    if _is_working(day) and local.time() < _close(day):
        return dt.datetime.combine(day, _close(day))
    following = next_working_day(day)
    return dt.datetime.combine(following, _close(following))


def _in_hours(local: dt.datetime) -> bool:
    """Is C-SPOC open at ``local`` (naive London time)? Otherwise the duty team answers."""
    day = local.date()
    return _is_working(day) and dt.time(9) <= local.time() < _close(day)


def _day_end(local: dt.datetime) -> dt.datetime:
    """Midnight at the end of ``local``'s calendar day (naive London time)."""
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time())


def _aware(local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=LONDON)


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LONDON).replace(tzinfo=None)


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = hhmm.split(":")
    return dt.datetime.combine(day, dt.time(int(hour), int(minute)))


# --- names ------------------------------------------------------------------------------------

_NAMER = NickNamer()

#: Formal first names and what a caller may say instead (all known to the ``nicknames`` data).
_NICKNAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "Male": (
        ("Thomas", "Tom"),
        ("Joshua", "Josh"),
        ("Jacob", "Jake"),
        ("Frederick", "Freddie"),
        ("Theodore", "Theo"),
        ("Charles", "Charlie"),
        ("Alexander", "Alex"),
        ("William", "Will"),
    ),
    "Female": (
        ("Isabella", "Bella"),
        ("Sophia", "Sophie"),
        ("Elizabeth", "Lizzie"),
        ("Katherine", "Kate"),
    ),
}
#: A spelling with accents or punctuation and the plain one a busy call-taker types.
_ACCENTED_FORENAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "Female": (("Zoë", "Zoe"), ("Chloé", "Chloe"), ("Renée", "Renee"), ("Anaïs", "Anais")),
    "Male": (
        ("Noël", "Noel"),
        ("José", "Jose"),
        ("Zoltán", "Zoltan"),
        ("Anders-Jon", "Anders Jon"),
    ),
}
_PUNCTUATED_SURNAMES: tuple[tuple[str, str], ...] = (
    ("Smith-Jones", "Smith Jones"),
    ("O'Connor", "OConnor"),
    ("McAllister", "Mcallister"),
    ("Ashby-Lowe", "Ashby Lowe"),
    ("D'Souza", "Dsouza"),
)


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z]", "", plain.lower())


def _first(child: Child) -> str:
    return child.forenames.split()[0] if child.forenames else ""


def _same_first(a: str, b: str) -> bool:
    fa, fb = _fold(a), _fold(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    related_a = {fa} | _NAMER.nicknames_of(fa) | _NAMER.canonicals_of(fa)
    related_b = {fb} | _NAMER.nicknames_of(fb) | _NAMER.canonicals_of(fb)
    return bool(related_a & related_b)


def _clash(a: Child, b: Child) -> bool:
    """Could a matcher mistake ``a`` for ``b``? (Same surname and a related first name or DOB.)"""
    if _fold(a.surname) != _fold(b.surname):
        return False
    return _same_first(_first(a), _first(b)) or (a.dob is not None and a.dob == b.dob)


def _typo(name: str, rng: random.Random) -> str:
    """``name`` as mistyped: a doubled letter dropped, or two inner letters swapped."""
    for index in range(1, len(name)):
        if name[index] == name[index - 1] and name[index].isalpha():
            return name[:index] + name[index + 1 :]
    index = rng.randint(1, max(1, len(name) - 3))
    return name[:index] + name[index + 1] + name[index] + name[index + 2 :]


def _child_dict(child: Child) -> dict[str, str | None]:
    return {
        "forenames": child.forenames,
        "surname": child.surname,
        "dob": child.dob.isoformat() if child.dob else None,
    }


def _rename(referral: Referral, *, forenames: str = "", surname: str = "") -> Referral:
    """``referral`` with its first child renamed (the family's surname follows ``surname``)."""
    first = referral.children[0]
    old_first, old_surname = _first(first), first.surname
    new_first = forenames.split()[0] if forenames else old_first

    def text(value: str) -> str:
        if forenames:
            value = re.sub(rf"\b{re.escape(old_first)}\b", new_first, value)
        return value

    def family(name: str) -> str:
        return surname if surname and name == old_surname else name

    children = tuple(
        dataclasses.replace(
            child,
            forenames=forenames if index == 0 and forenames else child.forenames,
            surname=family(child.surname),
        )
        for index, child in enumerate(referral.children)
    )
    carers = tuple(
        dataclasses.replace(
            carer,
            name=re.sub(rf"{re.escape(old_surname)}$", surname, carer.name)
            if surname
            else carer.name,
        )
        for carer in referral.carers
    )
    return dataclasses.replace(
        referral,
        children=children,
        carers=carers,
        concern_narrative=text(referral.concern_narrative),
        strengths=text(referral.strengths),
        actions_taken=text(referral.actions_taken),
    )


# --- forms ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    """One referral-form template drawn one way, and what it has a place for."""

    template: str
    rendering: str
    #: Several children on one form.
    siblings: bool = True
    #: Urgency, "discussed by phone" and the date and time of the call.
    phone: bool = True
    #: Whether a GCP is attached (ticks, a question or a list).
    gcp: bool = True
    #: A tick list of concerns (else the concerns are read from the narrative).
    ticks: bool = True


_FULL_TEMPLATES = (
    "knowsley-marf",
    "lambeth-irh",
    "calderdale-eiss",
    "enfield-marf",
    "bromley-multi-child",
)
_STYLES: tuple[_Style, ...] = (
    *(_Style(layout, kind) for layout in LAYOUTS for kind in ("docx", "pdf")),
    *(_Style(template, kind) for template in _FULL_TEMPLATES for kind in RENDERINGS),
    *(
        _Style("croydon-marf", kind, siblings=False, gcp=False, ticks=False)
        for kind in ("paragraphs", "pdf-paragraphs", "pdf")
    ),
    *(
        _Style(template, kind, siblings=False, phone=False, gcp=False)
        for template in ("mash-referral", "statutory-intervention")
        for kind in ("table2", "stacked", "pdf")
    ),
    *(
        _Style("interagency-2014", kind, siblings=False, phone=False, gcp=False, ticks=False)
        for kind in ("table4", "paragraphs", "pdf")
    ),
)


def _choose_style(
    rng: random.Random,
    referral: Referral,
    *,
    phone: bool = False,
    gcp: bool = False,
    ticks: bool = False,
    southend: float = 0.5,
) -> _Style:
    """A style that can carry ``referral`` and the fields the case needs; Southend's own form
    about half the time (it is Southend's front door)."""
    many = len(referral.children) > 1
    fits = [
        style
        for style in _STYLES
        if (style.siblings or not many)
        and (style.phone or not phone)
        and (style.gcp or not gcp)
        and (style.ticks or not ticks)
    ]
    local = [style for style in fits if style.template in LAYOUTS]
    if local and rng.random() < southend:
        return rng.choice(local)
    return rng.choice([style for style in fits if style.template not in LAYOUTS] or fits)


def _render(style: _Style, referral: Referral) -> tuple[bytes, str]:
    """The form's bytes and file suffix."""
    if style.template in LAYOUTS:
        layout: Layout = "ehfsa" if style.template == "ehfsa" else "southend-rfs"
        if style.rendering == "pdf":
            return rfs_pdf(referral, layout), ".pdf"
        return rfs_docx(referral, layout), ".docx"
    rendering = next(r for r in RENDERINGS if r == style.rendering)
    filled = referral if style.ticks else plain_narrative(referral)
    return render_form(build_form(style.template, filled), rendering), SUFFIX[rendering]


_FORM_STEMS = (
    "RFS {initials}",
    "Request for Service - {surname}",
    "Referral {initials}",
    "MARF {surname}",
    "Referral form",
    "{surname} referral {date}",
    "Multi-agency referral",
)


# --- the world --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mail:
    raw: bytes
    received: dt.datetime
    message: EmailMessage | None = None


@dataclass(frozen=True)
class _Due:
    """Something owed: a GCP for a neglect referral, an RFS for an urgent call."""

    rule: str
    child: dict[str, str | None]
    due: dt.datetime
    #: When the missing item arrived (``None``: never).
    met: dt.datetime | None
    case: str
    #: A sibling after the first on one neglect form: see the module docstring.
    optional: bool = False


_ORDINARY_CONCERNS: dict[str, int] = {
    "physical_abuse": 12,
    "emotional_abuse": 14,
    "sexual_abuse": 3,
    "domestic_abuse": 15,
    "mental_health": 8,
    "self_harm": 5,
    "substance_misuse": 6,
    "online_harm": 4,
    "missing": 3,
}
_URGENT_CONCERNS: tuple[tuple[str, ...], ...] = (
    ("physical_abuse",),
    ("sexual_abuse",),
    ("domestic_abuse", "physical_abuse"),
    ("self_harm",),
    ("physical_abuse", "substance_misuse"),
)
_EDT = "Emergency Duty Team"


class _World:
    def __init__(self, spec: _Spec, seed: int, days: int) -> None:
        self.spec = spec
        self.rng = random.Random(f"heldout-rules|{spec.name}|{seed}")
        self.days = working_days(spec.start, days)
        self.first, self.last = self.days[0], self.days[-1]
        self.as_of = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(12, 0))
        self.mail: list[_Mail] = []
        self.calls: list[dict[str, str]] = []
        self.dues: list[_Due] = []
        self.children: list[Child] = []
        self.cases: list[str] = []

    # -- time --

    def pick(self, day: dt.date, start: str, end: str) -> dt.datetime:
        """A random minute of ``day`` between ``start`` and ``end`` (naive London time)."""
        low, high = _at(day, start), _at(day, end)
        span = int((high - low).total_seconds() // 60)
        return low + dt.timedelta(minutes=self.rng.randint(0, max(0, span)))

    def minutes(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(minutes=self.rng.randint(low, high))

    def later(self, day: dt.date, n: int = 1) -> dt.date | None:
        """The ``n``-th working day after ``day`` if it is still in the world, else ``None``."""
        for _ in range(n):
            day = next_working_day(day)
        return day if day <= self.last else None

    def in_span(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    # -- people --

    def referral(
        self,
        when: dt.datetime,
        *,
        concerns: Sequence[str],
        n_children: int = 1,
        urgent: bool = False,
        phoned: bool = False,
        phoned_at: dt.datetime | None = None,
        gcp_claimed: bool = False,
        others: Sequence[str] = (),
        kinds: tuple[str, ...] = (),
        register: bool = True,
    ) -> Referral:
        """A fictional referral whose children no one in this world could be mistaken for."""
        made: Referral | None = None
        for _ in range(400):
            made = make_referral(
                self.rng.randrange(2**40),
                when=when,
                concerns=concerns,
                urgent=urgent,
                phoned=phoned or urgent,
                phoned_at=phoned_at,
                threshold_level=4 if urgent else None,
                n_children=n_children,
                gcp_attached_claimed=gcp_claimed,
                other_attachments=list(others),
                referrer_kinds=kinds,
            )
            if all(child.dob for child in made.children) and not any(
                _clash(child, seen) for child in made.children for seen in self.children
            ):
                break
        assert made is not None
        made = self._tidy(made)
        if register:
            self.children.extend(made.children)
        return made

    def _tidy(self, referral: Referral) -> Referral:
        # A non-neglect referral should not say "neglect" anywhere a reader might take it up.
        if "neglect" in referral.concerns:
            return referral
        details = referral.known_details.replace("under the category of neglect", "in 2023")
        return dataclasses.replace(referral, known_details=details)

    def register(self, *children: Child, allow_clash: bool = False) -> bool:
        """Add renamed children; ``False`` (and nothing added) if one clashes unexpectedly."""
        if not allow_clash and any(
            _clash(child, seen) for child in children for seen in self.children
        ):
            return False
        self.children.extend(children)
        return True

    def colleague(self, of: Referrer) -> Referrer:
        """Someone else at ``of``'s agency, writing from the same mail domain."""
        agency = agency_named(of.agency)
        domain = of.email.rsplit("@", 1)[1]
        for _ in range(50):
            other = make_referrer(self.rng, agency=agency) if agency else make_referrer(self.rng)
            if other.name != of.name:
                break
        local = other.email.split("@", 1)[0]
        return dataclasses.replace(
            other, agency=of.agency, email=f"{local}@{domain}", agency_kind=of.agency_kind
        )

    # -- documents --

    def rfs(
        self,
        referral: Referral,
        *,
        phone: bool = False,
        gcp: bool = False,
        ticks: bool = False,
        style: _Style | None = None,
    ) -> Attachment:
        rng = self.rng
        if style is None and rng.random() < 0.3 and len(referral.children) == 1:
            # Now and then the project's own attachment helper (its file names, octet-stream).
            return _rfs_attachment(rng, referral, pdf=rng.random() < 0.3)
        chosen = style or _choose_style(rng, referral, phone=phone, gcp=gcp, ticks=ticks)
        for _ in range(20):
            try:
                data, suffix = _render(chosen, referral)
                break
            except ValueError:  # the template has no tick box for one of the concerns
                if style is not None:
                    raise
                chosen = _choose_style(rng, referral, phone=phone, gcp=gcp, ticks=ticks)
        else:
            chosen = _Style("southend-rfs", "docx")
            data, suffix = _render(chosen, referral)
        child = referral.children[0]
        stem = rng.choice(_FORM_STEMS).format(
            initials=child.initials,
            surname=child.surname,
            date=f"{referral.referral_datetime:%d.%m.%y}",
        )
        kind = PDF_TYPE if suffix == ".pdf" else DOCX_TYPE
        return Attachment(stem + suffix, kind, data, f"rfs:{chosen.template}:{chosen.rendering}")

    def gcp(
        self,
        children: Sequence[Child],
        *,
        completed: dt.date,
        assessor: Referrer | None = None,
        carer: str = "",
        variant: str = "",
        filename: str = "",
    ) -> Attachment:
        """A completed Graded Care Profile for ``children`` (a multiple-child record if several)."""
        rng = self.rng
        child = children[0]
        if len(children) > 1:
            data = tools.render(tools.gcp_multiple_child(tuple(children)), "docx")
            name = filename or "NSPCC GCP2 Multiple Child Tool.docx"
            return Attachment(name, DOCX_TYPE, data, "gcp:multiple")
        near_tools = abs((completed - dt.date(2026, 3, 2)).days) < 90
        variant = (
            variant
            or rng.choices(
                ("gcp2-docx", "gcp2-pdf", "v1", "adapted"),
                weights=(6, 2, 1 if near_tools else 0, 1 if near_tools else 0),
            )[0]
        )
        if variant == "gcp2-pdf":
            data = gcp_pdf(child, assessor=assessor, completed=completed)
            return Attachment(filename or f"GCP2 {child.initials}.pdf", PDF_TYPE, data, "gcp:pdf")
        if variant == "v1":
            fmt = rng.choice(("docx", "pdf"))
            data = tools.render(tools.gcp_v1_sheet(child), fmt)
            kind = PDF_TYPE if fmt == "pdf" else DOCX_TYPE
            name = filename or f"GCP scoring sheet {child.surname}.{fmt}"
            return Attachment(name, kind, data, "gcp:v1")
        if variant == "adapted":
            data = tools.render(tools.gcp_adapted(child), "docx")
            name = filename or "Neglect toolkit - quality of care profile.docx"
            return Attachment(name, DOCX_TYPE, data, "gcp:adapted")
        data = gcp_docx(
            child,
            assessor=assessor,
            completed=completed,
            carer=carer,
            severity=rng.randint(3, 4),
        )
        name = filename or rng.choice(
            (
                f"GCP2 {child.initials}.docx",
                "Graded Care Profile.docx",
                f"{child.surname} GCP.docx",
                "GCP2 completed.docx",
            )
        )
        return Attachment(name, DOCX_TYPE, data, "gcp:docx")

    def gcp_for(self, referral: Referral, completed: dt.date | None = None) -> list[Attachment]:
        """GCP(s) for every child of ``referral``, completed by its referrer."""
        when = completed or referral.referral_datetime.date() - dt.timedelta(
            days=self.rng.randint(0, 6)
        )
        carer = referral.carers[0].name
        if len(referral.children) > 1:
            return [self.gcp(referral.children, completed=when)]
        return [
            self.gcp(referral.children, completed=when, assessor=referral.referrer, carer=carer)
        ]

    # -- mail --

    def send(
        self,
        *,
        sender: Referrer,
        sent: dt.datetime,
        subject: str,
        body: str,
        attachments: Sequence[Attachment] = (),
        headers: Sequence[tuple[str, str]] = (),
        forwarded: EmailMessage | None = None,
        html: bool | None = None,
    ) -> _Mail:
        message, delivered = compose(
            self.rng,
            sender=sender,
            sent=sent,
            subject=subject,
            body=body,
            attachments=attachments,
            html=self.rng.random() < 0.4 if html is None else html,
            extra_headers=headers,
            forwarded=forwarded,
        )
        mail = _Mail(message.as_bytes(policy=SMTP), delivered, message)
        self.mail.append(mail)
        return mail

    def send_referral(
        self,
        referral: Referral,
        sent: dt.datetime,
        attachments: Sequence[Attachment],
        *,
        middle: str = "",
        subject: str = "",
        urgent: bool = False,
    ) -> _Mail:
        headers: list[tuple[str, str]] = []
        if urgent:
            headers = [("Importance", "high"), ("X-Priority", "1")]
            initials = referral.children[0].initials
            subject = subject or self.rng.choice(
                (
                    "URGENT RFS following telephone call - OFFICIAL-SENSITIVE",
                    f"URGENT: Request for Service {initials}",
                    f"Urgent referral {initials} - as discussed by phone",
                )
            )
        return self.send(
            sender=referral.referrer,
            sent=sent,
            subject=subject or _subject(self.rng, referral),
            body=_body(referral, sent, middle),
            attachments=attachments,
            headers=headers,
        )

    def adopt(self, emails: Sequence[SyntheticEmail]) -> _Mail:
        """Take mail built by :func:`intake.synthetic.emails.scenario`; the last one."""
        for email in emails:
            self.mail.append(_Mail(email.raw, email.received_at))
        return self.mail[-1]

    # -- calls --

    def call(
        self,
        at: dt.datetime,
        *,
        caller: Referrer,
        forenames: str,
        surname: str,
        dob: dt.date | None,
        urgent: bool,
        kind: str = "referral",
        taken_by: str = "",
        notes: str = "",
        dob_style: str = "",
    ) -> dict[str, str | None]:
        """Log one call (naive London ``at``); the child as logged."""
        style = dob_style or ("uk" if self.rng.random() < 0.25 else "iso")
        if dob is None or style == "none":
            dob_text = ""
        elif style == "uk":
            dob_text = dob.strftime("%d/%m/%Y")
        else:
            dob_text = dob.isoformat()
        staff = taken_by or (self.rng.choice(CSPOC_STAFF) if _in_hours(at) else _EDT)
        self.calls.append(
            {
                "called_at": at.strftime("%Y-%m-%dT%H:%M"),
                "caller_name": caller.name,
                "caller_agency": caller.agency,
                "caller_phone": caller.phone,
                "child_forenames": forenames,
                "child_surname": surname,
                "child_dob": dob_text,
                "urgent": "yes" if urgent else "no",
                "kind": kind,
                "taken_by": staff,
                "notes": notes,
            }
        )
        return {
            "forenames": forenames,
            "surname": surname,
            "dob": dob.isoformat() if dob and dob_text else None,
        }

    def call_for(
        self,
        referral: Referral,
        at: dt.datetime,
        *,
        forenames: str = "",
        surname: str = "",
        dob_style: str = "",
        notes: str = "",
        urgent: bool = True,
    ) -> dict[str, str | None]:
        child = referral.children[0]
        return self.call(
            at,
            caller=referral.referrer,
            forenames=forenames or child.forenames,
            surname=surname or child.surname,
            dob=child.dob,
            urgent=urgent,
            taken_by=(referral.phoned_to or "") if _in_hours(at) else _EDT,
            notes=notes
            or self.rng.choice(
                (
                    "Urgent: RFS to follow today.",
                    "Child not safe to return home; advised to send RFS today.",
                    "Strategy discussion likely. Referrer to email RFS.",
                    "Urgent referral taken by phone; written RFS requested.",
                )
            ),
            dob_style=dob_style,
        )

    # -- what is owed --

    def owe_gcp(self, referral: Referral, mail: _Mail, met: dt.datetime | None, case: str) -> None:
        """A neglect ``referral`` received in ``mail`` owes a GCP (for each child: the first
        child's exception is required, the siblings' optional)."""
        due = _aware(_working_deadline(_local(mail.received)))
        for index, child in enumerate(referral.children):
            self.dues.append(_Due(NEGLECT, _child_dict(child), due, met, case, optional=index > 0))
        self.cases.append(case)

    def owe_rfs(
        self, child: dict[str, str | None], called: dt.datetime, met: dt.datetime | None, case: str
    ) -> None:
        """An urgent call at ``called`` (naive London) owes an RFS by the end of that day."""
        self.dues.append(_Due(PHONE, child, _aware(_day_end(called)), met, case))
        self.cases.append(case)

    def expected(self) -> list[dict[str, Any]]:
        as_of = _aware(self.as_of)
        out: list[dict[str, Any]] = []
        for due in self.dues:
            if due.due > as_of or (due.met is not None and due.met <= due.due):
                continue
            arrived = due.met is not None and due.met <= as_of
            item: dict[str, Any] = {
                "rule": due.rule,
                "child": due.child,
                "status": "auto_resolved" if arrived else "open",
                "late": arrived,
                "case": due.case,
                "due_at": due.due.isoformat(),
            }
            if due.optional:
                item["optional"] = True
            out.append(item)
        out.sort(key=lambda e: (e["rule"], e["due_at"], e["child"]["surname"] or ""))
        return out


# --- ordinary traffic -------------------------------------------------------------------------


def _ordinary_concerns(rng: random.Random) -> tuple[str, ...]:
    codes = list(_ORDINARY_CONCERNS)
    weights = list(_ORDINARY_CONCERNS.values())
    first = rng.choices(codes, weights=weights)[0]
    if rng.random() < 0.35:
        second = rng.choices(codes, weights=weights)[0]
        return tuple(dict.fromkeys((first, second)))
    return (first,)


def _neglect_concerns(rng: random.Random) -> tuple[str, ...]:
    if rng.random() < 0.4:
        return ("neglect", rng.choice(("domestic_abuse", "substance_misuse", "mental_health")))
    return ("neglect",)


def _ordinary_rfs(w: _World, day: dt.date, *, evening: bool = False) -> None:
    sent = w.pick(day, "18:05", "22:20") if evening else w.pick(day, "08:20", "17:10")
    form_time = sent - w.minutes(5, 50)
    referral = w.referral(
        form_time,
        concerns=_ordinary_concerns(w.rng),
        n_children=w.rng.choices((1, 2, 3), weights=(70, 22, 8))[0],
    )
    w.send_referral(referral, sent, [w.rfs(referral)])


def _neglect_attached(w: _World, day: dt.date) -> None:
    close = "16:10" if day.weekday() == 4 else "17:00"
    sent = w.pick(day, "08:40", close)
    referral = w.referral(
        sent - w.minutes(5, 40), concerns=_neglect_concerns(w.rng), gcp_claimed=True
    )
    attachments = [w.rfs(referral, gcp=True), *w.gcp_for(referral)]
    mail = w.send_referral(
        referral, sent, attachments, middle=" The Graded Care Profile is also attached."
    )
    w.owe_gcp(referral, mail, mail.received, "neglect-gcp-attached")


def _phoned_middle(referral: Referral, when: str = "today") -> str:
    assert referral.phoned_at is not None
    to = "the Emergency Duty Team" if referral.phoned_to == _EDT else referral.phoned_to
    return f" This follows my telephone call to {to} at {referral.phoned_at:%H:%M} {when}."


def _urgent_same_day(w: _World, day: dt.date) -> None:
    sent = w.pick(day, "10:40", "16:10")
    form_time = sent - w.minutes(10, 35)
    called = max(form_time - w.minutes(10, 60), _at(day, "09:02"))
    referral = w.referral(
        form_time,
        concerns=w.rng.choice(_URGENT_CONCERNS),
        urgent=True,
        phoned=True,
        phoned_at=called,
    )
    logged = w.call_for(referral, called + w.minutes(0, 3))
    mail = w.send_referral(
        referral,
        sent,
        [w.rfs(referral, phone=True)],
        middle=_phoned_middle(referral),
        urgent=True,
    )
    w.owe_rfs(logged, called, mail.received, "call-email-same-day")


def _tooled(w: _World, day: dt.date) -> None:
    """An HSB or exploitation referral with its tool, a forwarded, nameless or zipped RFS, or a
    plain enquiry: the project's own scenarios, with referrals from this world."""
    kind = w.rng.choice(
        (
            "hsb_with_brook",
            "exploitation_with_tool",
            "forwarded",
            "nameless_attachment",
            "zipped_rfs",
            "plain_enquiry",
        )
    )
    sent = w.pick(day, "08:45", "16:50")
    form_time = sent - w.minutes(5, 40)
    referral: Referral | None = None
    if kind == "hsb_with_brook":
        referral = w.referral(
            form_time,
            concerns=("hsb",),
            others=["Brook Traffic Light Tool"],
            kinds=("school", "police", "voluntary"),
        )
    elif kind == "exploitation_with_tool":
        referral = w.referral(
            form_time,
            concerns=w.rng.choice((("cce",), ("cse",), ("cse", "missing"), ("cce", "missing"))),
            others=["Child Exploitation Pathway screening tool"],
        )
    elif kind != "plain_enquiry":
        referral = w.referral(form_time, concerns=_ordinary_concerns(w.rng))
    w.adopt(scenario(kind, seed=w.rng.randrange(2**31), when=sent, referral=referral))


def _consultation(w: _World, day: dt.date) -> None:
    at = w.pick(day, "09:10", "16:00")
    caller = make_referrer(w.rng)
    referral = w.referral(at, concerns=_ordinary_concerns(w.rng))
    child = referral.children[0]
    w.call(
        at,
        caller=caller,
        forenames=child.forenames,
        surname=child.surname,
        dob=child.dob if w.rng.random() < 0.6 else None,
        urgent=w.rng.random() < 0.3,
        kind="consultation",
        notes=w.rng.choice(
            (
                "Professional consultation; advice given, no referral made.",
                "Consultation only: caller to discuss with DSL and decide.",
                "Advice on thresholds; caller will speak to the family first.",
            )
        ),
    )


def _non_urgent_call(w: _World, day: dt.date) -> None:
    """A non-urgent referral by phone; the RFS follows the same day, the next day or never."""
    at = w.pick(day, "09:15", "15:30")
    referral = w.referral(
        at + w.minutes(30, 90),
        concerns=_ordinary_concerns(w.rng),
        phoned=True,
        phoned_at=at,
    )
    w.call_for(
        referral,
        at,
        urgent=False,
        notes=w.rng.choice(("RFS to follow.", "Level 3 request; form to follow.", "")),
    )
    roll = w.rng.random()
    following = w.later(day)
    if roll < 0.4:
        sent = referral.referral_datetime + w.minutes(5, 40)
    elif roll < 0.7 and following is not None:
        sent = w.pick(following, "09:10", "15:00")
    else:
        return
    w.send_referral(referral, sent, [w.rfs(referral, phone=True)], middle=_phoned_middle(referral))


def _ordinary_day(w: _World, day: dt.date) -> None:
    rng = w.rng
    for _ in range(rng.choices((2, 3, 4), weights=(35, 45, 20))[0]):
        _ordinary_rfs(w, day)
    if rng.random() < 0.6:
        _neglect_attached(w, day)
    if rng.random() < 0.65:
        _urgent_same_day(w, day)
    if rng.random() < 0.8:
        _tooled(w, day)
    if rng.random() < 0.12:
        _ordinary_rfs(w, day, evening=True)
    if rng.random() < 0.45:
        _consultation(w, day)
    if rng.random() < 0.4:
        _non_urgent_call(w, day)


# --- tricky cases: neglect --------------------------------------------------------------------

Case = Callable[[_World, dt.date], None]


def _neglect_referral(
    w: _World,
    sent: dt.datetime,
    *,
    claimed: bool,
    n_children: int = 1,
    kinds: tuple[str, ...] = (),
    register: bool = True,
) -> Referral:
    return w.referral(
        sent - w.minutes(5, 45),
        concerns=_neglect_concerns(w.rng),
        gcp_claimed=claimed,
        n_children=n_children,
        kinds=kinds,
        register=register,
    )


def _working_hours(w: _World, day: dt.date, start: str = "09:10", margin: int = 40) -> dt.datetime:
    """A time in ``day``'s opening hours ending ``margin`` minutes before it closes."""
    close = _at(day, f"{_close(day):%H:%M}") - dt.timedelta(minutes=margin)
    return w.pick(day, start, f"{close:%H:%M}")


def _neglect_missing(claimed: bool) -> Case:
    def case(w: _World, day: dt.date) -> None:
        if not _is_working(day):
            return
        sent = _working_hours(w, day)
        referral = _neglect_referral(w, sent, claimed=claimed)
        mail = w.send_referral(referral, sent, [w.rfs(referral, gcp=True)])
        w.owe_gcp(referral, mail, None, f"neglect-no-gcp-{'claimed' if claimed else 'unclaimed'}")

    return case


def _send_gcp(
    w: _World,
    referral: Referral,
    first: _Mail | None,
    sent: dt.datetime,
    how: str,
) -> _Mail:
    """Send the GCP for ``referral`` on its own, ``how``: ``reply`` (in the referral's thread),
    ``sender`` (a new thread from the referrer), ``colleague`` (someone at the same agency),
    ``subject`` (the GCP names only initials; the subject names the child), ``ahead`` (before
    the referral) or ``late`` (a later day, apologising)."""
    rng = w.rng
    child = referral.children[0]
    sender = w.colleague(referral.referrer) if how == "colleague" else referral.referrer
    completed = referral.referral_datetime.date() - dt.timedelta(days=rng.randint(0, 5))
    carer = referral.carers[0].name
    headers: list[tuple[str, str]] = []
    greet = _greeting(sent)
    if how == "subject":
        anonymous = dataclasses.replace(
            child, forenames=f"{child.forenames[0]}.", surname=f"{child.surname[0]}."
        )
        gcp = w.gcp([anonymous], completed=completed, assessor=sender, variant="gcp2-docx")
        gcp = dataclasses.replace(gcp, filename="GCP2.docx")
        assert child.dob is not None
        subject = f"GCP2 - {child.full_name} - DOB {child.dob:%d/%m/%Y}"
        text = "Please find attached the Graded Care Profile for the child named above."
    else:
        gcp = w.gcp(referral.children, completed=completed, assessor=sender, carer=carer)
        if how == "reply":
            assert first is not None and first.message is not None
            original = str(first.message["Subject"])
            subject = original if original.upper().startswith("RE:") else f"RE: {original}"
            identifier = str(first.message["Message-ID"])
            headers = [("In-Reply-To", identifier), ("References", identifier)]
            text = (
                "Further to my referral earlier today, please find attached the Graded Care "
                f"Profile for {child.initials}. Apologies for leaving it off the first email."
            )
        elif how == "sender":
            subject = rng.choice(("GCP2", "Graded Care Profile", "GCP as promised", "Attachment"))
            text = (
                "Please find attached the Graded Care Profile that should have gone with the "
                "referral I sent earlier today."
            )
        elif how == "colleague":
            subject = rng.choice(("GCP2 completed", "Graded Care Profile", "GCP for referral"))
            text = (
                f"My colleague {referral.referrer.name} sent you a referral today about a child "
                "we both work with. I completed the Graded Care Profile with the family and "
                "attach it here."
            )
        elif how == "ahead":
            subject = rng.choice(("GCP2 - referral to follow", "Graded Care Profile"))
            text = (
                "Attached is the Graded Care Profile I have completed. The Request for Service "
                "will follow later today."
            )
        else:
            subject = f"RE: {_subject(rng, referral)}"
            text = (
                f"Apologies for the delay: please find attached the Graded Care Profile for "
                f"{child.initials}, whom I referred on "
                f"{referral.referral_datetime:%A %d %B}."
            )
    return w.send(
        sender=sender,
        sent=sent,
        subject=subject,
        body=f"{greet}\n\n{text}\n\n{_signature(sender)}\n",
        attachments=[gcp],
        headers=headers,
    )


def _gcp_separately(how: str, timing: str, case_name: str = "") -> Case:
    """A neglect RFS on ``day`` without its GCP, and the GCP on its own (see :func:`_send_gcp`).

    ``timing``: ``same`` (later that working day), ``ahead`` (earlier that day), ``close``
    (after that day's closing time: late), ``next`` / ``two`` (one or two working days later).
    """

    def case(w: _World, day: dt.date) -> None:
        if not _is_working(day):
            return
        if timing in ("next", "two") and w.later(day, 2 if timing == "two" else 1) is None:
            return
        friday = day.weekday() == 4
        if timing == "close":
            sent = w.pick(day, "09:30", "12:30")
        elif timing == "ahead":
            sent = w.pick(day, "11:00", "14:00")
        else:
            sent = w.pick(day, "09:10", "12:15" if friday else "13:00")
        referral = _neglect_referral(w, sent, claimed=True)
        if timing == "ahead":
            gcp_time = w.pick(day, "09:02", "10:30")
            gcp_mail = _send_gcp(w, referral, None, gcp_time, "ahead")
            mail = w.send_referral(
                referral, sent, [w.rfs(referral, gcp=True)], middle=" I sent the GCP earlier."
            )
        else:
            mail = w.send_referral(referral, sent, [w.rfs(referral, gcp=True)])
            if timing == "same":
                latest = _at(day, f"{_close(day):%H:%M}") - dt.timedelta(minutes=20)
                gcp_time = min(sent + w.minutes(60, 240), latest)
            elif timing == "close":
                gcp_time = w.pick(day, "16:45" if friday else "17:45", "18:40")
            else:
                following = w.later(day, 2 if timing == "two" else 1)
                assert following is not None
                gcp_time = w.pick(following, "09:15", "12:00")
            gcp_mail = _send_gcp(w, referral, mail, gcp_time, how)
        w.owe_gcp(referral, mail, gcp_mail.received, case_name or f"gcp-{how}-{timing}")

    return case


def _neglect_out_of_hours(start: str, end: str, gcp: str, case_name: str) -> Case:
    """A neglect RFS between ``start`` and ``end`` on ``day`` (any day), GCP on the next working
    day (``gcp="next"``), two working days later (``"two"``) or never (``""``)."""

    def case(w: _World, day: dt.date) -> None:
        following = next_working_day(day)
        target = next_working_day(following) if gcp == "two" else following
        if gcp and target > w.last:
            return
        sent = w.pick(day, start, end)
        kinds = () if _is_working(day) else ("police", "health")
        referral = _neglect_referral(w, sent, claimed=bool(gcp), kinds=kinds)
        mail = w.send_referral(referral, sent, [w.rfs(referral, gcp=True)])
        met = None
        if gcp:
            gcp_mail = _send_gcp(w, referral, mail, w.pick(target, "09:20", "14:30"), "late")
            met = gcp_mail.received
        w.owe_gcp(referral, mail, met, case_name)

    return case


def _narrative_neglect(w: _World, day: dt.date) -> None:
    """Neglect not ticked, but stated in the narrative; no GCP."""
    if not _is_working(day):
        return
    sent = _working_hours(w, day)
    referral = w.referral(sent - w.minutes(5, 40), concerns=("emotional_abuse",))
    name = _first(referral.children[0])
    text = (
        f"My main worry is neglect. {name} is often hungry at school, wears the same clothes "
        f"all week and has untreated tooth decay. {referral.concern_narrative}"
    )
    referral = dataclasses.replace(referral, concern_narrative=text)
    mail = w.send_referral(referral, sent, [w.rfs(referral, gcp=True, ticks=True)])
    w.owe_gcp(referral, mail, None, "neglect-narrative-only")


def _croydon_neglect(w: _World, day: dt.date) -> None:
    """A printed online form with no tick list: neglect stated in the narrative; no GCP."""
    if not _is_working(day):
        return
    sent = _working_hours(w, day)
    referral = _neglect_referral(w, sent, claimed=False)
    style = _Style("croydon-marf", "pdf-paragraphs", siblings=False, gcp=False, ticks=False)
    mail = w.send_referral(referral, sent, [w.rfs(referral, style=style)])
    w.owe_gcp(referral, mail, None, "neglect-narrative-form-without-ticks")


def _negated_neglect(w: _World, day: dt.date) -> None:
    """A narrative ruling neglect out: not a neglect referral, owes nothing."""
    sent = _working_hours(w, day)
    referral = w.referral(sent - w.minutes(5, 40), concerns=("emotional_abuse",))
    name = _first(referral.children[0])
    text = (
        f"There are no concerns about neglect: {name} is always clean, well fed and dressed for "
        f"the weather. My worry is emotional abuse. {referral.concern_narrative}"
    )
    referral = dataclasses.replace(referral, concern_narrative=text)
    w.send_referral(referral, sent, [w.rfs(referral, ticks=True)])
    w.cases.append("neglect-negated")


def _siblings(gcp: str) -> Case:
    """Siblings in one neglect form: ``multiple`` (one multiple-child GCP), ``each`` (a GCP per
    child) or ``none``."""

    def case(w: _World, day: dt.date) -> None:
        if not _is_working(day):
            return
        sent = _working_hours(w, day)
        referral = _neglect_referral(
            w, sent, claimed=gcp != "none", n_children=3 if gcp == "multiple" else 2
        )
        attachments = [w.rfs(referral, gcp=True)]
        completed = referral.referral_datetime.date() - dt.timedelta(days=2)
        if gcp == "multiple":
            attachments.append(w.gcp(referral.children, completed=completed))
        elif gcp == "each":
            attachments.extend(
                w.gcp(
                    [child],
                    completed=completed,
                    assessor=referral.referrer,
                    carer=referral.carers[0].name,
                )
                for child in referral.children
            )
        middle = " The Graded Care Profiles are attached." if gcp != "none" else ""
        mail = w.send_referral(referral, sent, attachments, middle=middle)
        met = mail.received if gcp != "none" else None
        w.owe_gcp(referral, mail, met, f"siblings-gcp-{gcp}")

    return case


def _same_name_gcp(w: _World, day: dt.date) -> None:
    """Two children of the same name, different DOBs and families, both referred for neglect
    the same day by different agencies; only B's GCP arrives (on its own). A still owes one."""
    if not _is_working(day):
        return
    b_sent = w.pick(day, "09:10", "10:30")
    a_sent = w.pick(day, "10:45", "12:30")
    b = _neglect_referral(w, b_sent, claimed=True)
    b_child = b.children[0]
    assert b_child.dob is not None
    for _ in range(40):
        a = _neglect_referral(w, a_sent, claimed=False, register=False)
        a_child = a.children[0]
        assert a_child.dob is not None
        if a_child.gender == b_child.gender and abs((a_child.dob - b_child.dob).days) > 300:
            break
    else:
        return
    a = _rename(a, forenames=b_child.forenames, surname=b_child.surname)
    w.register(*a.children, allow_clash=True)
    b_mail = w.send_referral(b, b_sent, [w.rfs(b, gcp=True)])
    a_mail = w.send_referral(a, a_sent, [w.rfs(a, gcp=True)])
    gcp_mail = _send_gcp(w, b, b_mail, w.pick(day, "14:00", "15:20"), "sender")
    w.owe_gcp(b, b_mail, gcp_mail.received, "same-name-gcp-for-the-other-child")
    w.owe_gcp(a, a_mail, None, "same-name-no-gcp")


def _resent(w: _World, day: dt.date) -> None:
    """The same neglect RFS (no GCP) sent again an hour or two later: one exception, not two."""
    if not _is_working(day):
        return
    sent = w.pick(day, "09:10", "12:00")
    referral = _neglect_referral(w, sent, claimed=True)
    rfs = w.rfs(referral, gcp=True)
    mail = w.send_referral(referral, sent, [rfs])
    again = sent + w.minutes(60, 150)
    sender = referral.referrer
    w.send(
        sender=sender,
        sent=again,
        subject=f"RESEND: {_subject(w.rng, referral)}",
        body=(
            f"{_greeting(again)}\n\nResending the referral below as I have not had an "
            f"acknowledgement and am not sure the first email went through.\n\n"
            f"{_signature(sender)}\n"
        ),
        attachments=[rfs],
    )
    w.owe_gcp(referral, mail, None, "neglect-resent-twice")


def _forwarded_copy(w: _World, day: dt.date) -> None:
    """A neglect RFS (no GCP) sent direct, then forwarded by the agency's DSL "for info"."""
    if not _is_working(day):
        return
    sent = w.pick(day, "09:10", "12:00")
    referral = _neglect_referral(w, sent, claimed=False)
    mail = w.send_referral(referral, sent, [w.rfs(referral, gcp=True)])
    dsl = dataclasses.replace(w.colleague(referral.referrer), role="Designated Safeguarding Lead")
    again = sent + w.minutes(45, 180)
    assert mail.message is not None
    w.send(
        sender=dsl,
        sent=again,
        subject=f"FW: {mail.message['Subject']}",
        body=(
            f"{_greeting(again)}\n\nFor information: my colleague {referral.referrer.name} sent "
            f"the referral below this morning. Please let me know if you need anything else.\n\n"
            f"{_signature(dsl)}\n"
        ),
        forwarded=mail.message,
    )
    w.owe_gcp(referral, mail, None, "neglect-forwarded-copy")


def _zipped(w: _World, day: dt.date) -> None:
    """RFS and GCP in one zip file: owes nothing."""
    if not _is_working(day):
        return
    sent = _working_hours(w, day)
    referral = _neglect_referral(w, sent, claimed=True)
    mail = w.adopt(
        scenario("zipped_rfs", seed=w.rng.randrange(2**31), when=sent, referral=referral)
    )
    w.owe_gcp(referral, mail, mail.received, "neglect-gcp-in-zip")


def _decoy(w: _World, day: dt.date) -> None:
    """An RFS with a letter or chronology that only mentions a care profile: still owes a GCP."""
    if not _is_working(day):
        return
    sent = _working_hours(w, day)
    referral = _neglect_referral(w, sent, claimed=False, kinds=("health",))
    child = referral.children[0]
    which = w.rng.choice(("dental", "letter", "chronology"))
    if which == "dental":
        decoy = Attachment(
            f"Dental letter {child.initials}.pdf", PDF_TYPE, letter_pdf(child), "decoy:dental"
        )
    elif which == "letter":
        decoy = Attachment(
            "Care profile letter.pdf",
            PDF_TYPE,
            tools.render(tools.gcp_letter(child), "pdf"),
            "decoy:letter",
        )
    else:
        decoy = Attachment(
            f"Chronology {child.initials}.docx",
            DOCX_TYPE,
            tools.render(tools.chronology_with_gcp(child), "docx"),
            "decoy:chronology",
        )
    mail = w.send_referral(
        referral,
        sent,
        [w.rfs(referral, gcp=True), decoy],
        middle=" I have also attached a letter and our chronology.",
    )
    w.owe_gcp(referral, mail, None, f"neglect-decoy-{which}")


def _future_deadline(w: _World, day: dt.date) -> None:
    """A neglect RFS after closing on the last day: due after ``as_of``, so nothing yet."""
    sent = w.pick(day, "17:50", "19:30")
    referral = _neglect_referral(w, sent, claimed=True)
    mail = w.send_referral(referral, sent, [w.rfs(referral, gcp=True)])
    w.owe_gcp(referral, mail, None, "neglect-deadline-after-as-of")


# --- tricky cases: phone ----------------------------------------------------------------------


def _urgent_referral(
    w: _World,
    form_time: dt.datetime,
    called: dt.datetime,
    *,
    kinds: tuple[str, ...] = (),
    register: bool = True,
) -> Referral:
    referral = w.referral(
        form_time,
        concerns=w.rng.choice(_URGENT_CONCERNS),
        urgent=True,
        phoned=True,
        phoned_at=called,
        kinds=kinds,
        register=register,
    )
    if not _in_hours(called):
        referral = dataclasses.replace(referral, phoned_to=_EDT)
    return referral


def _call_no_email(w: _World, day: dt.date) -> None:
    called = w.pick(day, "09:30", "15:30")
    referral = _urgent_referral(w, called + w.minutes(30, 90), called)
    logged = w.call_for(referral, called)
    w.owe_rfs(logged, called, None, "call-no-email")


def _weekend_call(w: _World, day: dt.date) -> None:
    """A call to the duty team at the weekend; no RFS ever comes."""
    called = w.pick(day, "11:00", "19:00")
    referral = _urgent_referral(w, called + w.minutes(30, 90), called, kinds=("police", "health"))
    logged = w.call_for(referral, called)
    w.owe_rfs(logged, called, None, "call-weekend-no-email")


Renamer = Callable[[Referral], Referral]
#: The child's forenames and surname as the call-taker logged them.
Logger = Callable[[Child], tuple[str, str]]


def _call_then_email(
    w: _World,
    called: dt.datetime,
    sent: dt.datetime,
    case_name: str,
    *,
    logged: bool = True,
    gender: str = "",
    rename: Renamer | None = None,
    log: Logger | None = None,
    dob_style: str = "",
    kinds: tuple[str, ...] = (),
    holding: bool = False,
    resend: bool = False,
    via_dsl: bool = False,
) -> None:
    """An urgent call at ``called`` (logged, or only declared on the form) and its RFS sent at
    ``sent``. ``rename`` changes the form's child, ``log`` how the call log spells it."""
    form_time = sent - w.minutes(5, 25) if sent - called > dt.timedelta(minutes=40) else sent
    for _ in range(40):
        referral = _urgent_referral(w, form_time, called, kinds=kinds, register=False)
        if gender and referral.children[0].gender != gender:
            continue
        if rename is not None:
            referral = rename(referral)
        if w.register(*referral.children):
            break
    else:
        return
    child = referral.children[0]
    child_dict = _child_dict(child)
    if logged:
        forenames, surname = log(child) if log else (child.forenames, child.surname)
        child_dict = w.call_for(
            referral,
            called + w.minutes(0, 4) if w.rng.random() < 0.5 else called,
            forenames=forenames,
            surname=surname,
            dob_style=dob_style,
        )
    same_day = sent.date() == called.date()
    when = "today" if same_day else f"on {called:%A}"
    if called.time() >= dt.time(22):
        when = "tonight" if same_day else "last night"
    if holding:
        hold = w.pick(called.date(), f"{called + dt.timedelta(minutes=20):%H:%M}", "17:20")
        sender = referral.referrer
        w.send(
            sender=sender,
            sent=hold,
            subject=f"Referral to follow - {child.initials}",
            body=(
                f"{_greeting(hold)}\n\nFollowing my call to {referral.phoned_to} this afternoon, "
                f"I am finishing the Request for Service for {child.initials} and will send it "
                f"first thing tomorrow.\n\n{_signature(sender)}\n"
            ),
        )
    attachments = [w.rfs(referral, phone=True)]
    if via_dsl:
        mail = w.adopt(
            scenario("forwarded", seed=w.rng.randrange(2**31), when=sent, referral=referral)
        )
    else:
        mail = w.send_referral(
            referral, sent, attachments, middle=_phoned_middle(referral, when), urgent=True
        )
    if resend:
        again = sent + w.minutes(60, 150)
        sender = referral.referrer
        w.send(
            sender=sender,
            sent=again,
            subject=f"RESEND: URGENT RFS {child.initials}",
            body=(
                f"{_greeting(again)}\n\nSending again in case the first email did not arrive."
                f"\n\n{_signature(sender)}\n"
            ),
            attachments=attachments,
        )
    w.owe_rfs(child_dict, called, mail.received, case_name)


def _same_day(case_name: str, **options: Any) -> Case:
    """An urgent call on ``day`` and its RFS a few hours later (see :func:`_call_then_email`)."""

    def case(w: _World, day: dt.date) -> None:
        called = w.pick(day, "09:20", "13:30")
        sent = called + w.minutes(60, 200)
        _call_then_email(w, called, sent, case_name, **options)

    return case


def _next_day(case_name: str, **options: Any) -> Case:
    """An urgent call late on ``day`` and its RFS the next working morning: late."""

    def case(w: _World, day: dt.date) -> None:
        following = w.later(day)
        if following is None:
            return
        called = w.pick(day, "14:30", "16:10" if day.weekday() == 4 else "16:50")
        sent = w.pick(following, "09:05", "11:30")
        _call_then_email(w, called, sent, case_name, **options)

    return case


def _nickname(late: bool) -> Case:
    """The form has the formal first name (Thomas), the call log what the caller said (Tom)."""

    def case(w: _World, day: dt.date) -> None:
        gender = w.rng.choice(("Male", "Female"))
        formal, nick = w.rng.choice(_NICKNAMES[gender])
        name = "call-nickname-rfs-next-day" if late else "call-nickname"
        (_next_day if late else _same_day)(
            name,
            gender=gender,
            rename=lambda r: _rename(r, forenames=formal),
            log=lambda c: (nick, c.surname),
        )(w, day)

    return case


def _typo_call(w: _World, day: dt.date) -> None:
    """The call log misspells the surname (a doubled letter dropped, two letters swapped)."""
    surname = w.rng.choice(("Pennington", "Fairweather", "Robinson", "Edwards", "McAllister"))
    rng = w.rng
    _same_day(
        "call-typo",
        rename=lambda r: _rename(r, surname=surname),
        log=lambda c: (c.forenames, _typo(c.surname, rng)),
    )(w, day)


def _swapped_call(w: _World, day: dt.date) -> None:
    """The call log has the surname in the forenames column and the forename in the surname."""
    _same_day(
        "call-swapped-names",
        rename=lambda r: _rename(r, forenames=_first(r.children[0])),
        log=lambda c: (c.surname, c.forenames),
    )(w, day)


def _accented_call(w: _World, day: dt.date) -> None:
    """Accents, apostrophes and hyphens on one side only (mostly the form's)."""
    gender = w.rng.choice(("Male", "Female"))
    fancy_first, plain_first = w.rng.choice(_ACCENTED_FORENAMES[gender])
    fancy_surname, plain_surname = w.rng.choice(_PUNCTUATED_SURNAMES)
    form_first, log_first = fancy_first, plain_first
    if w.rng.random() < 0.35:  # now and then the log has the accents and the form has not
        form_first, log_first = plain_first, fancy_first
    _same_day(
        "call-accents-hyphens",
        gender=gender,
        rename=lambda r: _rename(r, forenames=form_first, surname=fancy_surname),
        log=lambda c: (log_first, plain_surname),
    )(w, day)


def _same_name_call(w: _World, day: dt.date) -> None:
    """A phoned for urgently (no RFS ever); B, same name, other DOB and family, emailed the same
    day without a call. B's RFS must not satisfy A's call."""
    called = w.pick(day, "09:30", "11:30")
    a = _urgent_referral(w, called + w.minutes(30, 90), called)
    a_child = a.children[0]
    assert a_child.dob is not None
    for _ in range(30):
        sent = w.pick(day, "12:30", "15:30")
        b = w.referral(sent - w.minutes(5, 30), concerns=_ordinary_concerns(w.rng), register=False)
        b_child = b.children[0]
        assert b_child.dob is not None
        if b_child.gender == a_child.gender and abs((b_child.dob - a_child.dob).days) > 300:
            break
    else:
        return
    b = _rename(b, forenames=a_child.forenames, surname=a_child.surname)
    w.register(*b.children, allow_clash=True)
    logged = w.call_for(a, called)
    w.send_referral(b, sent, [w.rfs(b)], subject=f"Referral - {a_child.full_name}")
    w.owe_rfs(logged, called, None, "same-name-other-child-emailed")


def _night_call(call: str, email_day: int, email: str, case_name: str) -> Case:
    """A call at ``call`` on ``day`` and its RFS at ``email`` ``email_day`` calendar days later."""

    def case(w: _World, day: dt.date) -> None:
        called = _at(day, call) + dt.timedelta(minutes=w.rng.randint(0, 4))
        sent = _at(day + dt.timedelta(days=email_day), email) + dt.timedelta(
            minutes=w.rng.randint(0, 4)
        )
        if sent.date() > w.last:
            return
        _call_then_email(w, called, sent, case_name, kinds=("police", "health"))

    return case


def _friday_call(w: _World, day: dt.date) -> None:
    """A Friday 16:45 call, the RFS on the next working day: late under same-day."""
    following = w.later(day)
    if day.weekday() != 4 or following is None:
        return
    called = _at(day, "16:41") + w.minutes(0, 8)
    sent = w.pick(following, "09:05", "10:30")
    _call_then_email(w, called, sent, "call-friday-1645-rfs-next-working-day")


def _holiday_call(same_day: bool) -> Case:
    def case(w: _World, day: dt.date) -> None:
        called = w.pick(day, "10:30", "13:30")
        if same_day:
            sent = w.pick(day, "15:00", "19:00")
            name = "call-bank-holiday-rfs-same-day"
        else:
            following = w.later(day)
            if following is None:
                return
            sent = w.pick(following, "09:10", "11:00")
            name = "call-bank-holiday-rfs-next-working-day"
        _call_then_email(w, called, sent, name, kinds=("police", "health"))

    return case


def _consultation_named(w: _World, day: dt.date) -> None:
    """A consultation about a named child, marked urgent, never followed by an RFS: owes nothing."""
    at = w.pick(day, "09:30", "15:30")
    referral = w.referral(at, concerns=_ordinary_concerns(w.rng))
    child = referral.children[0]
    w.call(
        at,
        caller=referral.referrer,
        forenames=child.forenames,
        surname=child.surname,
        dob=child.dob,
        urgent=True,
        kind="consultation",
        notes="Consultation: worried but below threshold for now; advice given, no referral.",
    )
    w.cases.append("consultation-urgent-named")


def _non_urgent_no_email(w: _World, day: dt.date) -> None:
    at = w.pick(day, "09:30", "15:30")
    referral = w.referral(at, concerns=_ordinary_concerns(w.rng), phoned=True, phoned_at=at)
    w.call_for(referral, at, urgent=False, notes="Level 2: signposted to early help.")
    w.cases.append("call-not-urgent-no-email")


def _declared_not_urgent_late(w: _World, day: dt.date) -> None:
    """A form that says it was phoned through, not urgent, emailed the next day: owes nothing."""
    following = w.later(day)
    if following is None:
        return
    called = w.pick(day, "10:00", "15:00")
    sent = w.pick(following, "09:30", "12:00")
    referral = w.referral(
        sent - w.minutes(10, 30),
        concerns=_ordinary_concerns(w.rng),
        phoned=True,
        phoned_at=called,
    )
    w.send_referral(
        referral, sent, [w.rfs(referral, phone=True)], middle=_phoned_middle(referral, "yesterday")
    )
    w.cases.append("form-phoned-not-urgent-next-day")


def _call_on_as_of(w: _World, day: dt.date) -> None:
    """An urgent call on the morning of ``as_of``: its deadline has not passed."""
    as_of_day = w.as_of.date()
    called = w.pick(as_of_day, "08:30", "11:00")
    referral = _urgent_referral(w, called + w.minutes(20, 60), called, kinds=("police", "health"))
    logged = w.call_for(referral, called)
    w.owe_rfs(logged, called, None, "call-deadline-after-as-of")
    del day


# --- the worlds' plans ------------------------------------------------------------------------

Anchor = int | dt.date

_COMMON_START: tuple[tuple[Anchor, Case], ...] = (
    (0, _neglect_missing(claimed=False)),
    (0, _call_no_email),
    (1, _neglect_missing(claimed=True)),
    (2, _same_day("call-email-same-day-dob-uk", dob_style="uk")),
)

_PLANS: dict[str, tuple[tuple[Anchor, Case], ...]] = {
    "spring-forward-easter": (
        *_COMMON_START,
        (1, _gcp_separately("reply", "same")),
        (1, _next_day("call-rfs-next-day")),
        (2, _nickname(late=False)),
        (2, _siblings("multiple")),
        (2, _consultation_named),
        (3, _gcp_separately("late", "next")),
        (3, _swapped_call),
        (3, _next_day("form-declared-call-rfs-next-day", logged=False)),
        (4, _gcp_separately("reply", "close", "gcp-friday-after-1630")),
        (4, _neglect_out_of_hours("16:40", "17:20", "next", "neglect-friday-after-1630")),
        (dt.date(2026, 3, 28), _neglect_out_of_hours("10:00", "13:00", "next", "neglect-saturday")),
        (
            dt.date(2026, 3, 28),
            _night_call("23:38", 1, "00:18", "call-sat-2340-gmt-rfs-0020-clocks-change"),
        ),
        (
            dt.date(2026, 3, 29),
            _night_call("00:26", 0, "23:25", "call-0030-gmt-rfs-2330-bst-same-day"),
        ),
        (5, _gcp_separately("ahead", "ahead", "gcp-before-referral")),
        (5, _resent),
        (5, _non_urgent_no_email),
        (6, _neglect_out_of_hours("18:10", "20:40", "", "neglect-evening-no-gcp")),
        (6, _accented_call),
        (7, _decoy),
        (7, _same_name_call),
        (
            dt.date(2026, 4, 2),
            _neglect_out_of_hours("17:45", "19:00", "next", "neglect-evening-before-easter"),
        ),
        (
            dt.date(2026, 4, 3),
            _neglect_out_of_hours("10:30", "13:00", "next", "neglect-on-good-friday"),
        ),
        (dt.date(2026, 4, 3), _holiday_call(same_day=False)),
        (dt.date(2026, 4, 6), _holiday_call(same_day=True)),
        (9, _future_deadline),
        (9, _call_on_as_of),
    ),
    "may-bank-holiday": (
        *_COMMON_START,
        (1, _gcp_separately("sender", "same")),
        (1, _typo_call),
        (1, _narrative_neglect),
        (2, _gcp_separately("colleague", "same")),
        (2, _negated_neglect),
        (2, _next_day("call-holding-email-rfs-next-day", holding=True)),
        (3, _neglect_out_of_hours("16:40", "17:15", "next", "neglect-friday-1645-bank-holiday")),
        (3, _friday_call),
        (dt.date(2026, 5, 23), _weekend_call),
        (
            dt.date(2026, 5, 25),
            _neglect_out_of_hours("10:30", "13:00", "two", "neglect-on-bank-holiday-gcp-late"),
        ),
        (4, _siblings("none")),
        (4, _same_day("call-rfs-forwarded-by-dsl", via_dsl=True)),
        (4, _declared_not_urgent_late),
        (5, _gcp_separately("reply", "close", "gcp-after-1730")),
        (5, _night_call("23:47", 1, "00:08", "call-2350-rfs-0010")),
        (5, _forwarded_copy),
        (6, _zipped),
        (6, _nickname(late=True)),
        (6, _consultation_named),
        (7, _friday_call),
        (7, _neglect_missing(claimed=False)),
        (8, _croydon_neglect),
        (8, _same_day("call-no-dob", dob_style="none")),
        (9, _future_deadline),
        (9, _non_urgent_no_email),
    ),
    "autumn-clocks-back": (
        *_COMMON_START,
        (1, _gcp_separately("subject", "same", "gcp-subject-names-child")),
        (1, _siblings("each")),
        (2, _same_name_gcp),
        (2, _gcp_separately("late", "two", "gcp-two-working-days-late")),
        (3, _next_day("call-rfs-next-day-resent", resend=True)),
        (3, _neglect_out_of_hours("18:05", "20:00", "next", "neglect-evening-gcp-next-day")),
        (4, _friday_call),
        (4, _gcp_separately("sender", "close", "gcp-friday-after-1630")),
        (
            dt.date(2026, 10, 24),
            _night_call("23:28", 1, "00:17", "call-2330-bst-rfs-0020-same-utc-day"),
        ),
        (
            dt.date(2026, 10, 25),
            _night_call("00:36", 0, "21:30", "call-0040-bst-rfs-evening-gmt-same-day"),
        ),
        (
            dt.date(2026, 10, 25),
            _neglect_out_of_hours("09:30", "12:00", "next", "neglect-sunday-police"),
        ),
        (5, _next_day("form-declared-call-rfs-next-day", logged=False)),
        (5, _consultation_named),
        (6, _accented_call),
        (6, _resent),
        (7, _same_name_call),
        (7, _decoy),
        (8, _next_day("call-rfs-next-day")),
        (8, _non_urgent_no_email),
        (9, _future_deadline),
        (9, _call_on_as_of),
    ),
    "november-names": (
        *_COMMON_START,
        (1, _nickname(late=False)),
        (1, _swapped_call),
        (1, _gcp_separately("reply", "same")),
        (2, _typo_call),
        (2, _accented_call),
        (2, _same_name_call),
        (2, _siblings("multiple")),
        (3, _same_name_gcp),
        (3, _same_day("call-no-dob", dob_style="none")),
        (3, _next_day("call-rfs-next-day")),
        (4, _friday_call),
        (4, _neglect_out_of_hours("16:40", "17:20", "next", "neglect-friday-after-1630")),
        (
            dt.date(2026, 11, 14),
            _neglect_out_of_hours("10:00", "13:00", "next", "neglect-saturday"),
        ),
        (dt.date(2026, 11, 14), _weekend_call),
        (5, _forwarded_copy),
        (5, _same_day("call-rfs-forwarded-by-dsl", via_dsl=True)),
        (5, _next_day("form-declared-call-rfs-next-day", logged=False)),
        (6, _night_call("23:46", 1, "00:09", "call-2350-rfs-0010")),
        (6, _narrative_neglect),
        (6, _gcp_separately("sender", "same")),
        (7, _next_day("call-rfs-next-day-resent", resend=True)),
        (7, _gcp_separately("colleague", "same")),
        (7, _negated_neglect),
        (8, _nickname(late=True)),
        (8, _zipped),
        (8, _gcp_separately("late", "next")),
        (9, _neglect_missing(claimed=False)),
        (9, _future_deadline),
        (9, _accented_call),
    ),
}
assert set(_PLANS) == {spec.name for spec in _SPECS}


# --- building -----------------------------------------------------------------------------------


def _make_world(spec: _Spec, seed: int, days: int) -> _World:
    w = _World(spec, seed, days)
    for day in w.days:
        _ordinary_day(w, day)
    for anchor, case in _PLANS[spec.name]:
        if isinstance(anchor, int):
            if anchor >= len(w.days):
                continue
            day = w.days[anchor]
        else:
            if not w.in_span(anchor):
                continue
            day = anchor
        case(w, day)
    as_of = _aware(w.as_of)
    late_mail = [m for m in w.mail if m.received > as_of]
    assert not late_mail, f"{spec.name}: mail after as_of"
    return w


def _write(w: _World, root: Path) -> Path:
    folder = root / w.spec.name
    mail_dir = folder / "mail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    for old in mail_dir.glob("*.eml"):
        old.unlink()
    for mail in sorted(w.mail, key=lambda m: hashlib.sha256(m.raw).hexdigest()):
        digest = hashlib.sha256(mail.raw).hexdigest()[:24]
        (mail_dir / f"{digest}.eml").write_bytes(mail.raw)
    calls = sorted(w.calls, key=lambda row: (row["called_at"], row["caller_name"]))
    (folder / "calls.csv").write_text(calls_csv(calls), encoding="utf-8")
    expected = {"as_of": w.as_of.strftime("%Y-%m-%dT%H:%M"), "exceptions": w.expected()}
    (folder / "expected.json").write_text(
        json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return folder


def build(
    root: Path, seed: int = 1, days: int = 10, *, only: Collection[str] | None = None
) -> list[Path]:
    """Write every world (or those named in ``only``) under ``root``; the world folders.

    Each gets ``mail/*.eml``, ``calls.csv`` and ``expected.json`` (see the module docstring).
    ``days`` working days of mail per world from its start date; cases whose day falls outside
    are left out. The same ``seed`` and ``days`` always give the same bytes.
    """
    if days < 3:
        raise ValueError("a world needs at least 3 working days")
    unknown = set(only or ()) - set(WORLDS)
    if unknown:
        raise ValueError(f"unknown worlds {sorted(unknown)}; choose from {sorted(WORLDS)}")
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    return [
        _write(_make_world(spec, seed, days), root)
        for spec in _SPECS
        if only is None or spec.name in only
    ]


def summary(root: Path) -> list[dict[str, Any]]:
    """Per world under ``root``: emails, calls and expected exceptions by rule and status
    (optional ones apart)."""
    out = []
    for folder in sorted(p for p in Path(root).iterdir() if (p / "expected.json").is_file()):
        expected = json.loads((folder / "expected.json").read_text("utf-8"))
        counts: dict[str, int] = {}
        for item in expected["exceptions"]:
            key = f"{item['rule']}:{item['status']}"
            if item.get("optional"):
                key += ":optional"
            counts[key] = counts.get(key, 0) + 1
        rows = (folder / "calls.csv").read_text("utf-8").count("\n") - 1
        out.append(
            {
                "world": folder.name,
                "emails": len(list((folder / "mail").glob("*.eml"))),
                "calls": rows,
                "as_of": expected["as_of"],
                "expected": dict(sorted(counts.items())),
            }
        )
    return out
