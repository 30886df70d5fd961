"""The rule book's vocabulary: referral forms, mail and phone calls, and how they relate.

Plain frozen values. The store builds them from the database, :mod:`intake.rulebook` gathers a
:class:`Case` around each referral, message or call, and every check in :mod:`intake.checks`
reads one case and returns one :class:`Finding`. Nothing here knows SQLAlchemy.

Keys name records the same way everywhere (results, matches, exceptions): ``msg:PK`` for a
message, ``form:PK:ORDINAL`` for the referral form that is attachment ORDINAL of message PK, and
``call:PK`` for a phone contact. They survive reprocessing, which renumbers attachment rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from intake.calendar import DeadlinePolicy, WorkingCalendar
from intake.matching import Match, Person
from intake.mentions import Mentions

AnchorKind = Literal["form", "mail", "call"]
Outcome = Literal["hit", "miss", "pending", "skip", "merged"]
Severity = Literal["exception", "info"]


@dataclass(frozen=True)
class Attachment:
    """One attachment of a message as the checks see it."""

    ordinal: int
    filename: str
    content_type: str
    inline: bool
    size: int
    #: The parsed kind (rfs, gcp, brook_tool, exploitation_tool, other, unreadable); None when
    #: not parsed.
    kind: str | None
    warnings: tuple[str, ...] = ()
    #: Children a tool (a GCP, a Brook record) names, when it names them.
    children: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Form:
    """A referral form (an RFS attachment read as ``rfs``): one referral."""

    message_pk: int
    ordinal: int
    sha256: str
    #: Canonical field values (contract section 3); missing fields are absent.
    fields: Mapping[str, object]
    children: tuple[Person, ...]
    concerns: frozenset[str]

    @property
    def key(self) -> str:
        return f"form:{self.message_pk}:{self.ordinal}"

    def value(self, name: str) -> object:
        return self.fields.get(name)

    def text(self, name: str) -> str:
        value = self.fields.get(name)
        return str(value).strip() if value is not None else ""


@dataclass(frozen=True)
class Mail:
    """A message to the mailbox with what parsing found in it."""

    pk: int
    message_id: str | None
    received_at: dt.datetime
    sender: str | None
    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]
    attachments: tuple[Attachment, ...]
    forms: tuple[Form, ...]
    mentions: Mentions = field(default_factory=Mentions)
    #: Received before the mailbox's onboarding cut-off, or routed by a mailbox rule as a call
    #: email or ignored: kept, never raises exceptions.
    quiet: bool = False

    @property
    def key(self) -> str:
        return f"msg:{self.pk}"

    def kinds(self) -> set[str]:
        return {a.kind for a in self.attachments if a.kind}

    def has(self, kind: str) -> bool:
        return any(a.kind == kind for a in self.attachments)

    @property
    def sender_domain(self) -> str:
        return (self.sender or "").rpartition("@")[2].lower()


@dataclass(frozen=True)
class Call:
    """A phone contact from the call log, or one a referral form declares."""

    pk: int
    called_at: dt.datetime
    child: Person
    urgent: bool
    #: ``referral`` or ``consultation``.
    kind: str
    #: ``csv``, ``cli``, ``web``, ``mail`` (logged by the front door) or ``form`` (declared).
    source: str
    caller_name: str | None = None
    caller_agency: str | None = None
    caller_phone: str | None = None
    taken_by: str | None = None
    #: A declared call: the message and form that declare it.
    message_pk: int | None = None
    form_ordinal: int | None = None

    @property
    def key(self) -> str:
        return f"call:{self.pk}"

    @property
    def logged(self) -> bool:
        """Recorded by the front door itself (call log or `intake calls add`)."""
        return self.source != "form"


@dataclass(frozen=True)
class Link:
    """Another message or call about the same child as a case, and why we think so."""

    confidence: float
    evidence: Mapping[str, str]
    mail: Mail | None = None
    call: Call | None = None
    #: For a link to a form: which form of ``mail``.
    form: Form | None = None

    @property
    def key(self) -> str:
        if self.form is not None:
            return self.form.key
        if self.mail is not None:
            return self.mail.key
        assert self.call is not None
        return self.call.key

    @property
    def at(self) -> dt.datetime:
        if self.mail is not None:
            return self.mail.received_at
        assert self.call is not None
        return self.call.called_at

    @classmethod
    def of(cls, match: Match, **items: object) -> Link:
        return cls(match.confidence, dict(match.evidence), **items)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RuleSettings:
    """What the checks need from the configuration."""

    calendar: WorkingCalendar
    phone_deadline: DeadlinePolicy
    #: The same child referred again within this many days is an info item.
    re_referral_days: int = 183
    #: Sender domains (and their subdomains) counted as secure.
    secure_domains: tuple[str, ...] = ()
    #: A GCP received up to this many days before a neglect referral still counts for it.
    gcp_lookback_days: int = 1


@dataclass(frozen=True)
class Case:
    """Everything one check needs to judge one referral form, message or call."""

    kind: AnchorKind
    as_of: dt.datetime
    settings: RuleSettings
    #: The message (for a form or mail case).
    mail: Mail | None = None
    form: Form | None = None
    call: Call | None = None
    #: Other messages (forms, tools, follow-ups) about the same child, received by ``as_of``.
    related_mail: tuple[Link, ...] = ()
    #: Other calls about the same child, made by ``as_of``.
    related_calls: tuple[Link, ...] = ()
    #: For a duplicate form: the key of the earlier copy (same file sent again or forwarded).
    copy_of: str | None = None

    @property
    def key(self) -> str:
        if self.kind == "form":
            assert self.form is not None
            return self.form.key
        if self.kind == "mail":
            assert self.mail is not None
            return self.mail.key
        assert self.call is not None
        return self.call.key

    @property
    def at(self) -> dt.datetime:
        """When the case began: the message's receipt or the call."""
        if self.call is not None and self.kind == "call":
            return self.call.called_at
        assert self.mail is not None
        return self.mail.received_at

    @property
    def child(self) -> Person | None:
        """The child the case is about (the first on a form)."""
        if self.kind == "call":
            assert self.call is not None
            return self.call.child
        if self.form is not None and self.form.children:
            return self.form.children[0]
        return None


@dataclass(frozen=True)
class Finding:
    """One check's judgement of one case."""

    outcome: Outcome
    detail: str = ""
    #: The deadline the check judged by, when it has one.
    due_at: dt.datetime | None = None
    #: For a hit whose missing item came after all: when, and in which message.
    arrived_at: dt.datetime | None = None
    arrived_in: int | None = None
    #: The links the judgement rests on (stored as the match evidence).
    links: tuple[Link, ...] = ()
    #: ``merged``: the key of the case this one is the same as (a declared call that the call
    #: log also recorded).
    merged_into: str | None = None

    @property
    def late(self) -> bool | None:
        if self.arrived_at is None or self.due_at is None:
            return None
        return self.arrived_at > self.due_at


def hit(detail: str, **kwargs: object) -> Finding:
    return Finding("hit", detail, **kwargs)  # type: ignore[arg-type]


def miss(detail: str = "", **kwargs: object) -> Finding:
    return Finding("miss", detail, **kwargs)  # type: ignore[arg-type]


def pending(due_at: dt.datetime, detail: str = "") -> Finding:
    return Finding("pending", detail, due_at=due_at)


def skip(detail: str = "") -> Finding:
    return Finding("skip", detail)
