"""Incremental checks: ``intake check`` after a 50-message poll, on a year of history.

    uv run python -m benchmarks.check_incremental [--referrals 50000] [--calls 20000] [--new 50]
        [--repeat 5] [--warmup 1] [--postgres] [--profile OUT.prof]

The issue's target: with one year of history (50,000 referrals, 20,000 calls) in the database,
the check after a poll that brought 50 new messages takes ≤ 1 s on SQLite and on PostgreSQL,
because checks are incremental, not a re-scan of history.

Seeding. A fresh database (a temporary SQLite file, or with ``--postgres`` a database created
on 127.0.0.1:5432 as user ``postgres``, or at ``$INTAKE_BENCH_PG_URL``, dropped at the end) is
migrated with ``Store.open`` and then filled *directly*, by bulk inserts into the
``intake.store.models`` tables, not through the poller and the parser: that is fine for a
benchmark of the check stage, which only reads those tables, and keeps seeding under a minute
(a Core INSERT compiled once and run as the driver's executemany with each column type's bind
processing applied, or ``COPY`` on PostgreSQL; the check results by INSERT ... SELECT).

The history: N referral emails received on working days (08:00–18:00, a few out of hours or at
weekends) from 1 Dec 2025 to 27 Nov 2026, all ``checked``, each with one ``rfs`` attachment
(12–13 form fields as JSON text, a ~400-character narrative, 1–2 children with folded name
keys), ~8 % with a GCP naming the child, ~10 % with an ``other`` attachment, sent from 300
addresses (a few schools and the police hub send far more than the rest). Children's dates of
birth cover 0–17 years, so a date is shared by about a dozen children, as in a town; siblings
share a surname and address; ~2 % of referrals are about a child referred before (same name and
date of birth) and ~1 % of children have no date of birth. Concerns: ~15 % neglect, ~3 % each
HSB and CSE, plus common others. The calls: M logged calls (``source='csv'``; ~55 % about a
child then referred in writing, ~40 % urgent, 10 % consultations) and the calls declared on the
~10 % of forms that say they phoned first; all judged. Every history record has its check
results (one per rule, as judging it left them), ~500 exceptions with their events exist, and
the call-to-form links are in ``matches``. On PostgreSQL the tables are ANALYZEd after seeding
(autovacuum would have, in a year); SQLite is left as the service leaves it (no ANALYZE).

Each repeat is one later working day ("today", from Mon 30 Nov 2026). It inserts the day's poll:
``--new`` messages received today, status ``parsed`` and the same shape as history, ~20 % about
children already in history, several neglect referrals without a GCP, three GCP-only follow-ups
(two replying in the thread of today's referral, one for yesterday's), a few senders writing
twice, one child without a date of birth; and 5 new calls (``checked_at`` NULL), two of them
about today's referrals. Then, alternating which goes first:

- ours: ``intake.rulebook.run(store, settings, as_of=<today 18:00 local>)``, wall clock;
- floor: ``store.cases.mail(new_pks)``, the bare load of those same messages with their
  attachments, fields, children and concerns: what any check of them has to read at least.

The report gives medians (min–max) of both and of the per-repeat ratio, the 1000 ms target, and
per repeat how many cases were judged and exceptions raised. After each repeat the script asserts
that every new message is now ``checked`` and every new call judged. The first ``--warmup``
days are run untimed (imports, compiled-statement caches: a daemon's steady state) and their
time is quoted separately. ``--profile OUT`` runs one more day under cProfile and lists the top
entries under ``intake/`` by cumulative time. Results go to
``benchmarks/results/check_incremental-<backend>.md``.
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import datetime as dt
import gc
import hashlib
import itertools
import json
import operator
import os
import pstats
import random
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    String,
    and_,
    bindparam,
    cast,
    create_engine,
    func,
    insert,
    literal,
    select,
    text,
    true,
    union_all,
    update,
)

from benchmarks._common import (
    MB,
    Spread,
    code_fingerprint,
    environment,
    log,
    markdown_table,
    write_results,
)
from intake import checks, rulebook
from intake.calendar import WorkingCalendar
from intake.config import Settings, rule_settings
from intake.matching import fold
from intake.store.ledger import Store
from intake.store.models import (
    AttachmentRow,
    CallRow,
    CheckResultRow,
    ExceptionEventRow,
    ExceptionRow,
    FormChildRow,
    FormConcernRow,
    FormFieldRow,
    MatchRow,
    MessageRow,
)
from intake.synthetic.people import (
    _BOYS,
    _GIRLS,
    _MEN,
    _STREETS,
    _SURNAMES,
    _TOWNS,
    _WOMEN,
    AGENCIES,
    CSPOC_STAFF,
    PERSONAL_DOMAIN,
)

PG_ADMIN_ENV = "INTAKE_BENCH_PG_URL"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGET_MS = 1000.0
#: History: received from the first to the last of these days; the first repeat is the next
#: working day after the last.
HISTORY_FIRST = dt.date(2025, 12, 1)
HISTORY_LAST = dt.date(2026, 11, 27)
#: Rows per bulk INSERT (executemany).
BATCH = 5_000
SENDERS = 300
CALLS_PER_DAY = 5
EXCEPTIONS = 500
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_NARRATIVE = (
    "School staff have noticed the child arriving hungry and in the same clothes for days.",
    "Attendance has fallen to 82% this term with several unexplained absences.",
    "Mum disclosed that she is struggling to cope since her partner left the family home.",
    "The child said there is often no food in the house at weekends.",
    "Police attended the address after a report of a loud argument between the adults.",
    "The family were known to early help and a TAF plan was closed in the spring.",
    "The home was described as cluttered and cold, with no working heating upstairs.",
    "The child has been seen with unexplained bruising to the upper arm.",
    "An older sibling is out late with young people not known to the family.",
    "The health visitor has been unable to gain access on three planned visits.",
    "Dad is reported to be drinking heavily and the children are left alone in the evenings.",
    "The child appears withdrawn in class and has stopped eating lunch.",
    "Messages on the child's phone suggest contact with an adult met online.",
    "The child disclosed being pushed by a parent during an argument about bedtime.",
)
_OTHER_CONCERNS = (
    "emotional_abuse",
    "domestic_abuse",
    "physical_abuse",
    "mental_health",
    "self_harm",
    "missing",
    "substance_misuse",
    "online_harm",
)
_LABELS = {
    "child_forenames": "Child's first name(s)",
    "child_surname": "Child's surname",
    "child_dob": "Date of birth / EDD",
    "child_address": "Address",
    "child_postcode": "Postcode",
    "referrer_name": "Referrer's name",
    "referrer_phone": "Contact telephone",
    "referrer_email": "Contact email",
    "urgent": "Is this referral urgent?",
    "phoned": "Have you phoned the C-SPOC?",
    "consent": "Has consent been given?",
    "consent_refused_reason": "If not, why not?",
    "concern_narrative": "Please describe your concerns",
}


# -- synthetic people ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kid:
    forenames: str
    surname: str
    dob: dt.date | None
    gender: str
    address: str
    postcode: str


@dataclass(frozen=True)
class Referrer:
    name: str
    agency: str
    email: str
    phone: str


@dataclass(frozen=True)
class Sent:
    """A message put in the database (what later rows refer back to)."""

    pk: int
    message_id: str
    received: dt.datetime
    referrer: Referrer
    kids: tuple[Kid, ...]
    neglect_without_gcp: bool


@dataclass
class Rows:
    """Row dicts waiting for a bulk insert, per table, in foreign-key order."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    fields: list[dict[str, Any]] = field(default_factory=list)
    children: list[dict[str, Any]] = field(default_factory=list)
    concerns: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    matches: list[dict[str, Any]] = field(default_factory=list)

    def size(self) -> int:
        return len(self.fields) + len(self.messages)

    def flush(self, conn: Connection) -> None:
        tables: list[tuple[Any, list[dict[str, Any]]]] = [
            (MessageRow, self.messages),
            (AttachmentRow, self.attachments),
            (FormFieldRow, self.fields),
            (FormChildRow, self.children),
            (FormConcernRow, self.concerns),
            (CallRow, self.calls),
            (MatchRow, self.matches),
        ]
        for model, rows in tables:
            for start in range(0, len(rows), BATCH):
                bulk_insert(conn, model, rows[start : start + BATCH])
            rows.clear()


def bulk_insert(conn: Connection, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """``conn.execute(insert(model), rows)``, at a fraction of the cost: the rows, with each
    column type's own bind processing applied here, go to the driver's ``executemany`` with the
    Core INSERT compiled once (SQLAlchemy's per-row parameter handling was most of the seeding
    time), or on PostgreSQL to ``COPY``. Every row must have the keys of the first."""
    if not rows:
        return
    table = model.__table__
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=keys)
    processors = {key: table.c[key].type.bind_processor(conn.dialect) for key in keys}
    if conn.dialect.name == "postgresql":
        _copy(conn, table.name, keys, processors, rows)
        return
    if compiled.positional:
        order = list(compiled.positiontup or ())
        getter = operator.itemgetter(*order)
        params: list[Any] = [getter(row) for row in rows]
        active = [(n, step) for n, key in enumerate(order) if (step := processors[key])]
        if active:
            for number, values in enumerate(params):
                values = list(values)
                for n, step in active:
                    values[n] = step(values[n])
                params[number] = tuple(values)
    else:
        steps = [(key, step) for key, step in processors.items() if step is not None]
        params = [row | {key: step(row[key]) for key, step in steps} for row in rows]
    conn.exec_driver_sql(compiled.string, params)


def _copy(
    conn: Connection,
    table: str,
    keys: Sequence[str],
    processors: dict[str, Any],
    rows: Sequence[dict[str, Any]],
) -> None:
    """PostgreSQL: the rows through ``COPY ... FROM STDIN`` on the transaction's connection
    (executemany there was most of the seeding time)."""
    from psycopg import sql

    steps = [(key, processors[key]) for key in keys]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(key) for key in keys)
    )
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[key] if step is None else step(row[key]) for key, step in steps])


def _json(value: object) -> str:
    """``json.dumps`` for the few value types a form field has, without its overhead."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return encode_basestring_ascii(value)
    return json.dumps(value)


def _key(name: str) -> str | None:
    words = fold(name).split()
    return words[0] if words else None


class Town:
    """Children, referrers and the mail and calls about them, from one seeded generator."""

    def __init__(self, seed: int, calendar: WorkingCalendar) -> None:
        self.rng = random.Random(seed)
        self.calendar = calendar
        self.zone = calendar.zone
        self.next_message = 1
        self.next_attachment = 1
        self.next_call = 1
        self.rows = Rows()
        self.history: list[Sent] = []
        self.referrers = [self._referrer() for _ in range(SENDERS)]
        # A few senders (big schools, the police hub) write far more than the rest.
        self.weights = list(
            itertools.accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(SENDERS))
        )
        self.phoned: list[Sent] = []

    # people

    def _referrer(self) -> Referrer:
        rng = self.rng
        agency = rng.choice(AGENCIES)
        forename = rng.choice(_WOMEN + _MEN)
        surname = rng.choice(_SURNAMES)
        local = f"{fold(forename)}.{fold(surname).replace(' ', '')}"
        domain = PERSONAL_DOMAIN if rng.random() < 0.05 else agency.domain
        phone = rng.choice(("01632 960", "07700 900")) + f"{rng.randrange(1000):03d}"
        return Referrer(f"{forename} {surname}", agency.name, f"{local}@{domain}", phone)

    def sender(self) -> Referrer:
        return self.referrers[bisect.bisect(self.weights, self.rng.random() * self.weights[-1])]

    def kid(self, at: dt.date, surname: str | None = None, home: Kid | None = None) -> Kid:
        rng = self.rng
        girl = rng.random() < 0.5
        forename = rng.choice(_GIRLS if girl else _BOYS)
        if rng.random() < 0.15:
            forename += " " + rng.choice(_GIRLS if girl else _BOYS)
        dob = None if rng.random() < 0.01 else at - dt.timedelta(days=rng.randrange(30, 18 * 365))
        if home is not None:
            address, postcode = home.address, home.postcode
        else:
            town, district = rng.choice(_TOWNS)
            address = f"{rng.randrange(1, 140)} {rng.choice(_STREETS)}, {town}"
            letters = "ABDEFGHJLNPQRSTUWXYZ"
            postcode = (
                f"{district} {rng.randrange(1, 10)}{rng.choice(letters)}{rng.choice(letters)}"
            )
        return Kid(
            forename,
            surname or rng.choice(_SURNAMES),
            dob,
            "Female" if girl else "Male",
            address,
            postcode,
        )

    def family(self, at: dt.date) -> tuple[Kid, ...]:
        """The children of one referral: a known child again (~2 %), or one or two new ones."""
        rng = self.rng
        if self.history and rng.random() < 0.02:
            known = rng.choice(self.history).kids[:1]
            if known and known[0].dob is not None:
                return known
        first = self.kid(at)
        if rng.random() < 0.3:
            return (first, self.kid(at, first.surname, first))
        return (first,)

    def concerns(self, neglect: bool | None = None) -> list[str]:
        rng = self.rng
        codes = []
        if neglect if neglect is not None else rng.random() < 0.15:
            codes.append("neglect")
        for code in ("hsb", "cse"):
            if rng.random() < 0.03:
                codes.append(code)
        if not codes or rng.random() < 0.5:
            codes.append(rng.choice(_OTHER_CONCERNS))
        return sorted(set(codes))

    def received(
        self, day: dt.date, start: float = 8.0, end: float = 18.0, *, evening: bool = True
    ) -> dt.datetime:
        """A time on ``day``, local; 3 % out of hours (early, or in the evening if allowed)."""
        hours = self.rng.uniform(start, end)
        if self.rng.random() < 0.03:
            late = evening and self.rng.random() < 0.5
            hours = self.rng.uniform(18.0, 22.0) if late else self.rng.uniform(6.0, 8.0)
        local = dt.datetime.combine(day, dt.time(0, 0), tzinfo=self.zone)
        return (local + dt.timedelta(hours=hours)).astimezone(dt.UTC)

    # records

    def message(
        self,
        received: dt.datetime,
        referrer: Referrer,
        kids: Sequence[Kid],
        *,
        status: str,
        concerns: Sequence[str] = (),
        gcp: bool = False,
        phoned: bool = False,
        tool_kids: Sequence[Kid] = (),
        in_reply_to: str | None = None,
    ) -> Sent:
        """One message: a referral form when ``kids`` is not empty, and the tools it carries."""
        rng = self.rng
        pk = self.next_message
        self.next_message += 1
        domain = referrer.email.rpartition("@")[2]
        message_id = f"<{rng.getrandbits(64):016x}.{pk}@{domain}>"
        about = kids[0] if kids else tool_kids[0] if tool_kids else None
        name = f"{about.forenames} {about.surname}" if about else "a child"
        subject = f"Referral - {name}" if kids else f"GCP for {name}"
        if in_reply_to:
            subject = "RE: " + subject
        mentions = None
        if about is not None and rng.random() < 0.5:
            words = sorted({*fold(about.forenames).split(), *fold(about.surname).split()})
            dates = [about.dob.isoformat()] if about.dob and rng.random() < 0.5 else []
            mentions = json.dumps({"words": words, "dates": dates, "postcodes": []})
        self.rows.messages.append(
            {
                "id": pk,
                "message_id": message_id,
                "sha256": f"{rng.getrandbits(256):064x}",
                "raw_size": rng.randrange(60_000, 900_000),
                "received_at": received,
                "first_seen_at": received + dt.timedelta(seconds=rng.randrange(30, 300)),
                "updated_at": received + dt.timedelta(seconds=rng.randrange(300, 900)),
                "status": status,
                "attempts": 1,
                "quiet": False,
                "from_addr": referrer.email,
                "subject": subject,
                "sent_at": received - dt.timedelta(seconds=rng.randrange(5, 120)),
                "in_reply_to": in_reply_to,
                "thread_refs": in_reply_to,
                "mentions": mentions,
            }
        )
        ordinal = 0
        if kids:
            ordinal += 1
            apk = self._attachment(pk, ordinal, "rfs", f"RFS {name}.docx", received)
            self._form(apk, kids, referrer, concerns, phoned)
        if gcp or tool_kids:
            ordinal += 1
            apk = self._attachment(pk, ordinal, "gcp", f"GCP {name}.pdf", received)
            self._children(apk, tool_kids or kids[:1])
        if rng.random() < 0.10:
            ordinal += 1
            self._attachment(pk, ordinal, "other", "chronology.pdf", received)
        sent = Sent(
            pk,
            message_id,
            received,
            referrer,
            tuple(kids),
            bool(kids) and "neglect" in concerns and not gcp,
        )
        if kids and phoned:
            self.phoned.append(sent)
        return sent

    def _attachment(
        self, message_pk: int, ordinal: int, kind: str, name: str, received: dt.datetime
    ) -> int:
        rng = self.rng
        apk = self.next_attachment
        self.next_attachment += 1
        self.rows.attachments.append(
            {
                "id": apk,
                "message_pk": message_pk,
                "ordinal": ordinal,
                "filename": name,
                "content_type": DOCX if name.endswith(".docx") else "application/pdf",
                "size": rng.randrange(30_000, 400_000),
                "sha256": f"{rng.getrandbits(256):064x}",
                "origin": "",
                "inline": False,
                "derived_name": False,
                "kind": kind,
                "template": "southend-rfs-2024" if kind == "rfs" else None,
                "pages": rng.randrange(2, 7),
                "parse_warnings": "[]",
                "parsed_at": received + dt.timedelta(seconds=rng.randrange(30, 300)),
            }
        )
        return apk

    def _form(
        self,
        apk: int,
        kids: Sequence[Kid],
        referrer: Referrer,
        concerns: Sequence[str],
        phoned: bool,
    ) -> None:
        rng = self.rng
        child = kids[0]
        narrative = ""
        while len(narrative) < 400:
            narrative += rng.choice(_NARRATIVE) + " "
        draw = rng.random()
        consent = "yes" if draw < 0.9 else "no" if draw < 0.97 else "unknown"
        values: dict[str, object] = {
            "child_forenames": child.forenames,
            "child_surname": child.surname,
            "child_dob": child.dob.isoformat() if child.dob else None,
            "child_address": child.address,
            "child_postcode": child.postcode,
            "referrer_name": referrer.name,
            "referrer_phone": referrer.phone,
            "referrer_email": referrer.email,
            "urgent": rng.random() < 0.3,
            "phoned": phoned,
            "consent": consent,
            "consent_refused_reason": "Parent not contactable"
            if consent == "no" and rng.random() < 0.7
            else None,
            "concern_narrative": narrative.strip(),
        }
        self.rows.fields.extend(
            {
                "attachment_pk": apk,
                "name": name,
                "value": _json(value),
                "confidence": round(rng.uniform(0.8, 1.0), 2),
                "label": _LABELS[name],
            }
            for name, value in values.items()
            if value is not None
        )
        self._children(apk, kids)
        self.rows.concerns.extend({"attachment_pk": apk, "code": code} for code in concerns)

    def _children(self, apk: int, kids: Sequence[Kid]) -> None:
        self.rows.children.extend(
            {
                "attachment_pk": apk,
                "ordinal": number,
                "forenames": kid.forenames,
                "surname": kid.surname,
                "dob": kid.dob.isoformat() if kid.dob else None,
                "gender": kid.gender,
                "address": kid.address,
                "postcode": kid.postcode,
                "surname_key": _key(kid.surname),
                "forename_key": _key(kid.forenames),
            }
            for number, kid in enumerate(kids, start=1)
        )

    def call(
        self,
        called_at: dt.datetime,
        kid: Kid,
        referrer: Referrer,
        *,
        urgent: bool,
        checked: bool,
        declared_by: Sent | None = None,
    ) -> int:
        rng = self.rng
        pk = self.next_call
        self.next_call += 1
        consultation = declared_by is None and rng.random() < 0.10
        fingerprint = (
            f"form|{declared_by.pk}|1" if declared_by is not None else f"bench|{pk}|{uuid.uuid4()}"
        )
        self.rows.calls.append(
            {
                "id": pk,
                "called_at": called_at,
                "caller_name": referrer.name,
                "caller_agency": referrer.agency,
                "caller_phone": referrer.phone,
                "child_forenames": kid.forenames,
                "child_surname": kid.surname,
                "child_dob": kid.dob.isoformat() if kid.dob else None,
                "surname_key": _key(kid.surname),
                "forename_key": _key(kid.forenames),
                "urgent": urgent,
                "kind": "consultation" if consultation else "referral",
                "taken_by": rng.choice(CSPOC_STAFF),
                "notes": None,
                "source": "form" if declared_by is not None else "csv",
                "message_pk": declared_by.pk if declared_by is not None else None,
                "form_ordinal": 1 if declared_by is not None else None,
                "fingerprint": hashlib.sha256(fingerprint.encode()).hexdigest(),
                "created_at": called_at + dt.timedelta(hours=1),
                "created_by": "bench" if declared_by is None else "form",
                "checked_at": called_at + dt.timedelta(hours=2) if checked else None,
            }
        )
        return pk


# -- seeding the history ---------------------------------------------------------------------------


def working_days(calendar: WorkingCalendar, first: dt.date, last: dt.date) -> list[dt.date]:
    days = []
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def seed_history(engine: Engine, town: Town, referrals: int, calls: int) -> dict[str, int]:
    """A year of referrals, calls, check results, exceptions and matches; returns row counts."""
    rng = town.rng
    days = working_days(town.calendar, HISTORY_FIRST, HISTORY_LAST)
    # A few referrals arrive at weekends too.
    every_day = [HISTORY_FIRST + dt.timedelta(days=n) for n in range(361)]
    times = sorted(
        town.received(rng.choice(every_day) if rng.random() < 0.02 else rng.choice(days))
        for _ in range(referrals)
    )
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as conn:
        if sqlite:  # random keys (hashes, Message-IDs) thrash SQLite's default 2 MB page cache
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
        for received in times:
            kids = town.family(received.astimezone(town.zone).date())
            concerns = town.concerns()
            gcp = rng.random() < (0.5 if "neglect" in concerns else 0.006)
            sent = town.message(
                received,
                town.sender(),
                kids,
                status="checked",
                concerns=concerns,
                gcp=gcp,
                phoned=rng.random() < 0.10,
            )
            town.history.append(sent)
            if town.rows.size() >= 20 * BATCH:
                town.rows.flush(conn)
        town.rows.flush(conn)
        log(f"seeding: {referrals:,} referral emails stored")
        # Logged calls: most about a child then referred in writing, by the same person.
        for _ in range(calls):
            if rng.random() < 0.55:
                sent = rng.choice(town.history)
                at = sent.received - dt.timedelta(minutes=rng.randrange(5, 240))
                pk = town.call(
                    at, sent.kids[0], sent.referrer, urgent=rng.random() < 0.6, checked=True
                )
                town.rows.matches.append(_match(f"call:{pk}", f"form:{sent.pk}:1", at))
            else:
                at = town.received(rng.choice(days))
                kid = town.kid(at.date())
                town.call(at, kid, town.sender(), urgent=rng.random() < 0.2, checked=True)
        declared = 0
        for sent in town.phoned:
            at = sent.received - dt.timedelta(minutes=rng.randrange(5, 120))
            pk = town.call(
                at, sent.kids[0], sent.referrer, urgent=True, checked=True, declared_by=sent
            )
            town.rows.matches.append(_match(f"call:{pk}", f"form:{sent.pk}:1", at))
            declared += 1
        town.phoned.clear()
        town.rows.flush(conn)
        log(f"seeding: {calls:,} logged and {declared:,} declared calls stored")
        results = _seed_results(conn)
        log(f"seeding: {results:,} check results stored")
        exceptions = _seed_exceptions(conn, town)
        if sqlite:  # back to the default: this pooled connection serves the checks next
            conn.exec_driver_sql("PRAGMA cache_size=-2000")
    return {"declared": declared, "check_results": results, "exceptions": exceptions}


def _match(left: str, right: str, at: dt.datetime) -> dict[str, Any]:
    evidence = {"dob": "equal", "forenames": "equal", "surname": "equal"}
    return {
        "left": left,
        "right": right,
        "confidence": 1.0,
        "evidence": json.dumps(evidence, sort_keys=True),
        "found_at": at + dt.timedelta(hours=2),
    }


def _seed_results(conn: Connection) -> int:
    """One check result per rule and history record, as judging them left them (INSERT ...
    SELECT, so the ~500k rows never pass through Python)."""

    def rules(kind: str) -> Any:
        codes = [c.code for c in checks.REGISTRY if c.applies_to == kind]
        return union_all(
            *(select(literal(code, String).label("rule")) for code in codes)
        ).subquery()

    columns = ["anchor", "rule", "outcome", "judged_at", "as_of"]
    form_rules, mail_rules, call_rules = rules("form"), rules("mail"), rules("call")
    form_anchor = (
        literal("form:")
        + cast(AttachmentRow.message_pk, String)
        + literal(":")
        + cast(AttachmentRow.ordinal, String)
    )
    queries = [
        select(
            form_anchor,
            form_rules.c.rule,
            literal("miss"),
            MessageRow.updated_at,
            MessageRow.received_at,
        )
        .select_from(AttachmentRow)
        .join(MessageRow, MessageRow.id == AttachmentRow.message_pk)
        .join(form_rules, true())
        .where(AttachmentRow.kind == "rfs"),
        select(
            literal("msg:") + cast(MessageRow.id, String),
            mail_rules.c.rule,
            literal("miss"),
            MessageRow.updated_at,
            MessageRow.received_at,
        )
        .select_from(MessageRow)
        .join(mail_rules, true()),
        select(
            literal("call:") + cast(CallRow.id, String),
            call_rules.c.rule,
            literal("miss"),
            CallRow.checked_at,
            CallRow.checked_at,
        )
        .select_from(CallRow)
        .join(call_rules, true()),
    ]
    for query in queries:
        conn.execute(insert(CheckResultRow).from_select(columns, query))
    # Deadlines judged: neglect referrals (end of the working day) and urgent calls (same day).
    neglect_forms = (
        select(form_anchor)
        .join(FormConcernRow, FormConcernRow.attachment_pk == AttachmentRow.id)
        .where(FormConcernRow.code == "neglect")
    )
    conn.execute(
        update(CheckResultRow)
        .where(CheckResultRow.rule == "neglect-no-gcp", CheckResultRow.anchor.in_(neglect_forms))
        .values(due_at=CheckResultRow.as_of)
    )
    urgent_calls = select(literal("call:") + cast(CallRow.id, String)).where(CallRow.urgent)
    conn.execute(
        update(CheckResultRow)
        .where(CheckResultRow.anchor.in_(urgent_calls))
        .values(due_at=CheckResultRow.as_of)
    )
    return int(conn.execute(select(func.count()).select_from(CheckResultRow)).scalar_one())


def _seed_exceptions(conn: Connection, town: Town) -> int:
    """~500 exceptions (most resolved, the recent ones often still open), with their events,
    and their check results marked as hits."""
    rng = town.rng
    end = dt.datetime.combine(HISTORY_LAST, dt.time(18, 0), tzinfo=town.zone)
    neglect = [s for s in town.history if s.neglect_without_gcp]
    dobless = [s for s in town.history if any(k.dob is None for k in s.kids)]
    chosen: list[tuple[str, str, Sent]] = []
    for rule, pool, count in (
        ("neglect-no-gcp", neglect, 300),
        ("core-fields-missing", dobless, 100),
        ("consent-no-reason", town.history, 60),
        ("re-referral", town.history, 40),
    ):
        chosen += [(rule, f"form:{s.pk}:1", s) for s in rng.sample(pool, min(count, len(pool)))]
    exceptions, events = [], []
    for number, (rule, anchor, sent) in enumerate(chosen, start=1):
        kid = sent.kids[0]
        open_ = end - sent.received < dt.timedelta(days=30) and rng.random() < 0.6
        status = "open" if open_ else rng.choice(("resolved", "auto_resolved"))
        raised = sent.received + dt.timedelta(hours=rng.uniform(1, 30))
        resolved = None if open_ else raised + dt.timedelta(days=rng.uniform(0.1, 10))
        exceptions.append(
            {
                "id": number,
                "key": f"{rule}|{anchor}",
                "rule": rule,
                "severity": "info" if rule == "re-referral" else "exception",
                "status": status,
                "raised_at": raised,
                "due_at": raised if rule == "neglect-no-gcp" else None,
                "message_pk": sent.pk,
                "form_ordinal": 1,
                "child_forenames": kid.forenames,
                "child_surname": kid.surname,
                "child_dob": kid.dob.isoformat() if kid.dob else None,
                "detail": f"{rule} (seeded by the benchmark)",
                "resolved_at": resolved,
                "resolved_by": "user:duty" if status == "resolved" else None,
                "updated_at": resolved or raised,
            }
        )
        events.append(
            {
                "exception_pk": number,
                "at": raised,
                "actor": f"check:{rule}",
                "action": "raised",
                "to_status": "open",
            }
        )
        if resolved is not None:
            events.append(
                {
                    "exception_pk": number,
                    "at": resolved,
                    "actor": "user:duty" if status == "resolved" else f"check:{rule}",
                    "action": status,
                    "from_status": "open",
                    "to_status": status,
                }
            )
    conn.execute(insert(ExceptionRow), exceptions)
    conn.execute(insert(ExceptionEventRow), events)
    hits = [{"a": anchor, "r": rule} for rule, anchor, _ in chosen]
    conn.execute(
        update(CheckResultRow)
        .where(and_(CheckResultRow.anchor == bindparam("a"), CheckResultRow.rule == bindparam("r")))
        .values(outcome="hit"),
        hits,
    )
    return len(exceptions)


def finish_seeding(engine: Engine) -> None:
    """PostgreSQL: move the id sequences past the explicit ids, and ANALYZE (as autovacuum
    would have done over a year). SQLite is left as the service leaves it."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        sync_sequences(conn, MessageRow, AttachmentRow, CallRow, ExceptionRow, ExceptionEventRow)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


def sync_sequences(conn: Connection, *models: Any) -> None:
    """PostgreSQL: move each table's id sequence past the ids given explicitly."""
    for model in models:
        highest = select(func.coalesce(func.max(model.id), 1)).scalar_subquery()
        sequence = func.pg_get_serial_sequence(model.__tablename__, "id")
        conn.execute(select(func.setval(sequence, highest)))


# -- one day's poll ------------------------------------------------------------------------------


def seed_day(engine: Engine, town: Town, day: dt.date, new: int) -> tuple[list[int], list[int]]:
    """Today's poll: ``new`` parsed messages and 5 unjudged calls. Returns their ids."""
    rng = town.rng
    with engine.connect() as conn:  # the checks store the calls forms declare
        town.next_call = int(conn.execute(select(func.max(CallRow.id))).scalar_one() or 0) + 1
    start, count = town.next_message, new
    follow_ups = 3 if new >= 10 else 0
    forms = count - follow_ups
    old = [s for s in town.history if s.kids and s.kids[0].dob is not None]
    yesterday = [s for s in town.history[-400:] if s.neglect_without_gcp]
    senders = [town.sender() for _ in range(forms)]
    for n in range(min(5, forms // 2)):  # a few senders write twice today
        senders[forms - 1 - n] = senders[n]
    times = sorted(town.received(day, 8.5, 16.5, evening=False) for _ in range(forms))
    today: list[Sent] = []
    for n, received in enumerate(times):
        if n < round(0.2 * count):
            kids: tuple[Kid, ...] = rng.choice(old).kids[:1]  # known to the front door
        elif n == forms - 6:
            kids = (without_dob(town.kid(day)),)
        else:
            kids = town.family(day)
        neglect = True if 10 <= n < 14 else None
        concerns = town.concerns(neglect)
        gcp = False if neglect else rng.random() < (0.5 if "neglect" in concerns else 0.006)
        sent = town.message(
            received,
            senders[n],
            kids,
            status="parsed",
            concerns=concerns,
            gcp=gcp,
            phoned=rng.random() < 0.10,
        )
        today.append(sent)
    # GCP-only follow-ups: two in the thread of today's neglect referrals, one for yesterday's.
    later = []
    for sent in [s for s in today if s.neglect_without_gcp][:2]:
        at = sent.received + dt.timedelta(minutes=rng.randrange(30, 60))
        later.append(
            town.message(
                at,
                sent.referrer,
                (),
                status="parsed",
                tool_kids=sent.kids[:1],
                in_reply_to=sent.message_id,
            )
        )
    if follow_ups and yesterday:
        sent = yesterday[-1]
        at = town.received(day, 9.0, 10.0, evening=False)
        later.append(town.message(at, sent.referrer, (), status="parsed", tool_kids=sent.kids[:1]))
    while len(today) + len(later) < count:  # no neglect referral to follow up
        at = town.received(day, 9.0, 16.0, evening=False)
        later.append(town.message(at, town.sender(), town.family(day), status="parsed"))
    # Calls: two urgent phone referrals then emailed today, one about a known child, two others.
    call_pks = []
    for n in range(CALLS_PER_DAY):
        if n < 2:
            sent = today[12 + n]
            at = sent.received - dt.timedelta(minutes=rng.randrange(10, 60))
            kid, referrer, urgent = sent.kids[0], sent.referrer, True
        elif n == 2:
            at, kid = town.received(day, 9, 17, evening=False), rng.choice(old).kids[0]
            referrer = town.sender()
            urgent = rng.random() < 0.4
        else:
            at, kid = town.received(day, 9, 17, evening=False), town.kid(day)
            referrer = town.sender()
            urgent = rng.random() < 0.4
        call_pks.append(town.call(at, kid, referrer, urgent=urgent, checked=False))
    town.phoned.clear()
    with engine.begin() as conn:
        town.rows.flush(conn)
    town.history.extend(sorted(today + later, key=lambda s: s.received))
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            sync_sequences(conn, CallRow)
    return list(range(start, town.next_message)), call_pks


def without_dob(kid: Kid) -> Kid:
    """The same child with no date of birth on the form (left blank)."""
    return Kid(kid.forenames, kid.surname, None, kid.gender, kid.address, kid.postcode)


# -- databases -----------------------------------------------------------------------------------


@contextmanager
def database(postgres: bool) -> Iterator[str]:
    """A fresh, empty database URL, removed afterwards."""
    if not postgres:
        with tempfile.TemporaryDirectory(prefix="check-incremental-") as scratch:
            yield f"sqlite:///{Path(scratch) / 'ledger.db'}"
        return
    admin_url = os.environ.get(PG_ADMIN_ENV, PG_ADMIN_URL)
    name = f"intake_bench_check_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def size_mb(engine: Engine) -> float:
    if engine.dialect.name == "sqlite":
        base = Path(engine.url.database or "")
        files = [base, Path(f"{base}-wal"), Path(f"{base}-shm")]
        return sum(p.stat().st_size for p in files if p.exists()) / MB
    with engine.connect() as conn:
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    return int(size) / MB


# -- one measured day -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    day: dt.date
    ours_ms: float
    floor_ms: float
    cases: int
    raised: int
    auto_resolved: int

    @property
    def ratio(self) -> float:
        return self.ours_ms / self.floor_ms


def run_day(
    store: Store,
    town: Town,
    day: dt.date,
    new: int,
    *,
    floor_first: bool,
    profile: cProfile.Profile | None = None,
) -> Day:
    settings = rule_settings(Settings())
    message_pks, call_pks = seed_day(store.engine, town, day, new)
    as_of = dt.datetime.combine(day, dt.time(18, 0), tzinfo=town.zone)

    def floor() -> float:
        gc.collect()
        started = time.perf_counter()
        loaded = store.cases.mail(message_pks)
        elapsed = time.perf_counter() - started
        assert len(loaded) == len(message_pks)
        return elapsed * 1000

    def ours() -> tuple[float, rulebook.CheckRun]:
        gc.collect()
        started = time.perf_counter()
        if profile is not None:
            profile.enable()
        report = rulebook.run(store, settings, as_of=as_of)
        if profile is not None:
            profile.disable()
        return (time.perf_counter() - started) * 1000, report

    if floor_first:
        floor_ms = floor()
        ours_ms, report = ours()
    else:
        ours_ms, report = ours()
        floor_ms = floor()
    with store.engine.connect() as conn:
        statuses = conn.execute(
            select(MessageRow.status, func.count())
            .where(MessageRow.id.in_(message_pks))
            .group_by(MessageRow.status)
        ).all()
        unjudged = conn.execute(
            select(func.count()).where(CallRow.id.in_(call_pks), CallRow.checked_at.is_(None))
        ).scalar_one()
    assert dict(statuses) == {"checked": len(message_pks)}, f"not all judged: {statuses}"
    assert unjudged == 0, f"{unjudged} new calls left unjudged"
    assert report.messages == len(message_pks), report
    raised = report.count("raised") + report.count("raised-late")
    result = Day(day, ours_ms, floor_ms, report.cases, raised, report.count("auto_resolved"))
    log(
        f"{day}: check {ours_ms:.0f} ms, floor {floor_ms:.1f} ms, {report.cases} cases, "
        f"{raised} raised, {result.auto_resolved} auto-resolved"
    )
    return result


def profile_table(profile: cProfile.Profile, top: int = 10) -> str:
    """The ``top`` functions under ``intake/`` by cumulative time."""
    stats = pstats.Stats(profile)
    root = str(Path(__file__).resolve().parent.parent)
    entries = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if f"{os.sep}intake{os.sep}" not in filename:
            continue
        where = os.path.relpath(filename, root)
        entries.append((cumulative, own, calls, f"`{where}:{line}` {name}"))
    entries.sort(reverse=True)
    rows = [[fn, str(calls), f"{cum:.3f}", f"{own:.3f}"] for cum, own, calls, fn in entries[:top]]
    return markdown_table(["function", "calls", "cumulative s", "own s"], rows)


# -- the report ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--referrals", type=int, default=50_000, help="history emails (50000)")
    parser.add_argument("--calls", type=int, default=20_000, help="history logged calls (20000)")
    parser.add_argument("--new", type=int, default=50, help="messages per poll (50)")
    parser.add_argument("--repeat", type=int, default=5, help="measured days (5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed days first (1)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (7)")
    parser.add_argument("--profile", type=Path, help="profile one more day into this file")
    parser.add_argument("--name", default="check_incremental", help="results file name stem")
    args = parser.parse_args(argv)
    if args.new < 20:
        parser.error("--new must be at least 20 (the day's mix needs them)")

    backend = "PostgreSQL" if args.postgres else "SQLite"
    # Measured in this process: the product code is what was imported at start-up.
    code_before = code_fingerprint()
    settings = rule_settings(Settings())
    town = Town(args.seed, settings.calendar)
    with database(args.postgres) as url:
        store = Store.open(url)
        try:
            started = time.perf_counter()
            counts = seed_history(store.engine, town, args.referrals, args.calls)
            finish_seeding(store.engine)
            seeding = time.perf_counter() - started
            size = size_mb(store.engine)
            log(f"seeded {backend} in {seeding:.1f} s ({size:.0f} MB): {counts}")
            day = HISTORY_LAST
            warm: list[Day] = []
            days: list[Day] = []
            for n in range(args.warmup + args.repeat):
                day = settings.calendar.next_working_day(day)
                result = run_day(store, town, day, args.new, floor_first=n % 2 == 0)
                (warm if n < args.warmup else days).append(result)
            profiled = ""
            if args.profile is not None:
                profile = cProfile.Profile()
                day = settings.calendar.next_working_day(day)
                run_day(store, town, day, args.new, floor_first=True, profile=profile)
                profile.dump_stats(args.profile)
                profiled = profile_table(profile)
        finally:
            store.close()

    ours = Spread.of([d.ours_ms for d in days])
    floor = Spread.of([d.floor_ms for d in days])
    ratio = Spread.of([d.ratio for d in days])
    history = f"{args.referrals:,} referrals, {args.calls:,} calls"
    table = markdown_table(
        [
            "backend",
            "history",
            "new messages",
            "check ms (median, min–max)",
            "floor ms",
            "ratio",
            "target",
            "met?",
        ],
        [
            [
                backend,
                history,
                str(args.new),
                ours.fmt(0),
                floor.fmt(1),
                ratio.fmt(0),
                f"≤ {TARGET_MS:.0f} ms",
                "yes" if ours.median <= TARGET_MS else "**no**",
            ]
        ],
    )
    per_day = markdown_table(
        ["day", "check ms", "floor ms", "cases judged", "raised", "auto-resolved"],
        [
            [
                f"{d.day:%a %d %b %Y}" + (" (warm-up)" if d in warm else ""),
                f"{d.ours_ms:.0f}",
                f"{d.floor_ms:.1f}",
                str(d.cases),
                str(d.raised),
                str(d.auto_resolved),
            ]
            for d in (*warm, *days)
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
        f"# Incremental check after a {args.new}-message poll ({backend})",
        "",
        environment(),
        code,
        "",
        f"History: {args.referrals:,} referral emails over a year (1 Dec 2025 – 27 Nov 2026), "
        f"{args.calls:,} logged calls and {counts['declared']:,} declared on forms, "
        f"{counts['check_results']:,} check results, {counts['exceptions']} exceptions; "
        f"seeded by bulk inserts in {seeding:.1f} s, {size:.0f} MB. Each day adds {args.new} "
        f"parsed messages and {CALLS_PER_DAY} calls, then times `rulebook.run` (as of 18:00) "
        "against the floor, `store.cases.mail` of the same new messages. "
        f"{args.repeat} measured days after {args.warmup} untimed.",
        "",
        table,
        "",
        per_day,
    ]
    if profiled:
        lines += ["", f"Profile of one more day (`{args.profile}`), top under `intake/`:", ""]
        lines += [profiled]
    write_results(f"{args.name}-{'postgres' if args.postgres else 'sqlite'}", "\n".join(lines))


if __name__ == "__main__":
    main()
