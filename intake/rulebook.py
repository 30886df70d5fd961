"""The check stage: gather a case around each referral, message and call that needs judging, run
every check on it, and record what they found.

:func:`run` reads top to bottom:

1. what needs judging by ``as_of``: messages read since the last run, calls new or changed,
   and deadlines that have now passed (or, for a dry run, all stored history);
2. the calls the new referral forms declare ("phoned first, at 10:05, to the duty worker");
3. the records about the same children (:class:`Relater`): by date of birth and names compared
   the way people write them (:mod:`intake.matching`), by email thread, by what a follow-up
   mentions, and by sender; every link keeps its evidence;
4. records the new ones are linked to are judged again too (a GCP arriving closes the neglect
   referral it belongs to; an older referral imported late makes a newer one a re-referral);
5. every registered check on every case (:data:`intake.checks.REGISTRY`), pure functions;
6. the store records hits and misses and raises, auto-resolves or re-links exceptions, in one
   transaction. A dry run stops before writing and says what would change.

Judging is by history, not by the moment it runs: a deadline passed by ``as_of`` is judged on
what had been received by the deadline, so a week of mail imported at once raises what polling
it live would have.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from intake import checks
from intake.calls import phone_digits
from intake.cases import Call, Case, Finding, Form, Link, Mail, RuleSettings
from intake.matching import Match, Person, compare, fold, name_keys
from intake.store.cases import CaseStore
from intake.store.ledger import Store
from intake.store.records import Change, DeclaredCall, Judgement, MatchFound
from parsers import TOOL_KINDS

log = logging.getLogger("intake.rulebook")

#: Attachment kinds that follow a referral (a GCP, a Brook record, an exploitation tool).
TOOLS = tuple(sorted(TOOL_KINDS))
#: A link weaker than this is not trusted to say two records are about the same child.
MIN_LINK = 0.6
#: How far after a message (or call) its follow-ups are looked for: a GCP a week late still
#: closes its exception, marked late.
_NEAR = dt.timedelta(days=7)
#: How far around a message the same sender's other mail is looked for (a follow-up the same
#: working day, a GCP sent just before its referral).
_SAME_SENDER = dt.timedelta(days=2)
_ONE_RUN = threading.Lock()
#: Longest a check run may hold the cross-process lease (a crashed holder on this host is noticed
#: at once).
_LEASE = dt.timedelta(minutes=30)
_LOCAL = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?$")


@dataclass
class CheckRun:
    """What one run judged and changed (counts only: fit for logs)."""

    as_of: dt.datetime
    dry_run: bool
    messages: int = 0
    calls: int = 0
    cases: int = 0
    hits: int = 0
    pending: int = 0
    changes: list[Change] = field(default_factory=list)
    next_due: dt.datetime | None = None

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)


def run(
    store: Store,
    settings: RuleSettings,
    *,
    as_of: dt.datetime | None = None,
    dry_run: bool = False,
    rules: Sequence[str] = (),
    since: dt.datetime | None = None,
) -> CheckRun:
    """Judge everything that needs judging by ``as_of`` (default now) and record it.

    One run at a time: in this process (a poll's checks and the deadline job) by a lock, and
    across processes by the store's ``checks`` lease (:class:`~intake.errors.LockHeld` if another
    process is judging; it will judge what this one would have).
    """
    if dry_run:
        return _run(store, settings, as_of, dry_run, rules, since)
    with _ONE_RUN:
        owner = store.acquire_lock("checks", _LEASE)
        try:
            return _run(store, settings, as_of, dry_run, rules, since)
        finally:
            store.release_lock("checks", owner)


def _run(
    store: Store,
    settings: RuleSettings,
    as_of: dt.datetime | None,
    dry_run: bool,
    rules: Sequence[str],
    since: dt.datetime | None,
) -> CheckRun:
    as_of = as_of or dt.datetime.now(dt.UTC)
    report = CheckRun(as_of, dry_run)
    cases_db = store.cases
    registry = [c for c in checks.REGISTRY if not rules or c.code in rules]

    # 1. What needs judging.
    if dry_run:
        message_pks, call_pks = cases_db.history(since, as_of)
        due: tuple[str, ...] = ()
    else:
        work = cases_db.work(as_of)
        message_pks, due = list(work.messages), work.due
    mails = cases_db.mail(message_pks)

    # 2. The calls the new forms declare.
    firsts = cases_db.first_copies(f.sha256 for m in mails.values() for f in m.forms)
    declared = [
        call
        for mail in mails.values()
        if not mail.quiet
        for form in mail.forms
        if firsts.get(form.sha256, (None, mail.pk, form.ordinal))[1:] == (mail.pk, form.ordinal)
        and (call := declared_call(mail, form, settings)) is not None
    ]
    extra_calls: dict[int, Call] = {}
    if dry_run:
        stored = cases_db.declared_forms({call.message_pk for call in declared})
        extra_calls = _unsaved_declared(
            [c for c in declared if (c.message_pk, c.form_ordinal) not in stored]
        )
    else:
        cases_db.declare_calls(declared)
        call_pks = cases_db.unjudged_calls(as_of)

    relater = Relater(store, settings, as_of)
    relater.mail.update(mails)
    relater.calls.update(cases_db.calls_by_pk(call_pks))
    relater.calls.update(extra_calls)
    anchors = _anchors([m for m in mails.values() if not m.quiet], [*call_pks, *extra_calls])
    anchors |= _due_anchors(due, relater)

    # 3. and 4. Cases with their links, and the records linked to new ones.
    cases = relater.cases(anchors)
    if not dry_run:
        more = _affected(cases, anchors, cases_db)
        cases += relater.cases(relater.anchors_for(more))

    # 5. Every check on every case.
    judgements: list[Judgement] = []
    matches: dict[tuple[str, str], MatchFound] = {}
    for case in cases:
        for link in (*case.related_mail, *case.related_calls):
            matches[(case.key, link.key)] = MatchFound(
                case.key, link.key, link.confidence, json.dumps(dict(link.evidence), sort_keys=True)
            )
        for check in registry:
            if check.applies_to != case.kind:
                continue
            finding = _judge(check, case)
            judgements.append(_judgement(check, case, finding))
    report.cases = len(cases)
    report.hits = sum(1 for j in judgements if j.outcome == "hit")
    report.pending = sum(1 for j in judgements if j.outcome == "pending")
    report.messages = len(message_pks)
    report.calls = len(call_pks) + len(extra_calls)

    # 6. Record.
    # A run limited to some rules leaves messages and calls for the others to judge.
    judged_calls = {case.call.pk for case in cases if case.kind == "call" and case.call}
    complete = not dry_run and not rules
    report.changes = cases_db.record(
        judgements,
        list(matches.values()),
        as_of=as_of,
        messages=message_pks if complete else [],
        calls=sorted(pk for pk in {*call_pks, *judged_calls} if pk > 0) if complete else [],
        dry_run=dry_run,
    )
    if not dry_run:
        report.next_due = cases_db.next_due(as_of)
    log.info(
        "checks run",
        extra={
            "dry_run": dry_run,
            "messages": report.messages,
            "calls": report.calls,
            "cases": report.cases,
            "hits": report.hits,
            "raised": report.count("raised") + report.count("raised-late"),
            "auto_resolved": report.count("auto_resolved"),
            "loaded_messages": len(relater.mail),
            "loaded_calls": len(relater.calls),
        },
    )
    return report


def _affected(cases: Sequence[Case], anchors: set[str], cases_db: CaseStore) -> set[str]:
    """Records linked to the cases just judged whose own judgement may change: any that came
    later (an older referral imported late makes a newer one a re-referral), and earlier ones
    still waiting (an open exception, or a deadline ahead) for what may just have arrived."""
    later: set[str] = set()
    earlier: set[str] = set()
    for case in cases:
        for link in (*case.related_mail, *case.related_calls):
            if link.key in anchors:
                continue
            if case.kind == "call" and link.call is not None:
                later.add(link.key)  # the same call declared and logged: judged together
                continue
            (later if link.at >= case.at else earlier).add(link.key)
    return later | cases_db.waiting(earlier - later)


# -- declared calls ---------------------------------------------------------------------------


def declared_call(mail: Mail, form: Form, settings: RuleSettings) -> DeclaredCall | None:
    """The phone call a referral form says came first, if it says one did."""
    if form.value("phoned") is not True:
        return None
    zone = settings.calendar.zone
    called_at = None
    for name in ("phoned_at", "referral_datetime"):
        called_at = _local(form.value(name), zone)
        if called_at is not None:
            break
    if called_at is None or called_at > mail.received_at + dt.timedelta(days=1):
        called_at = mail.received_at  # no usable time: the day it was sent
    child = form.children[0] if form.children else Person(None, None, None)
    return DeclaredCall(
        message_pk=mail.pk,
        form_ordinal=form.ordinal,
        called_at=called_at,
        child_forenames=child.forenames,
        child_surname=child.surname,
        child_dob=child.dob.isoformat() if child.dob else None,
        urgent=form.value("urgent") is True,
        caller_name=form.text("referrer_name") or None,
        caller_agency=form.text("referrer_agency") or None,
        caller_phone=form.text("referrer_phone") or None,
        taken_by=form.text("phoned_to") or None,
        notes=None,
    )


def _local(value: object, zone: dt.tzinfo) -> dt.datetime | None:
    """A form's ``YYYY-MM-DDTHH:MM`` or ``YYYY-MM-DD`` (local) as an aware datetime."""
    if not isinstance(value, str):
        return None
    match = _LOCAL.match(value.strip())
    if not match:
        return None
    try:
        day = dt.date.fromisoformat(match.group(1))
        time = dt.time.fromisoformat(match.group(2)) if match.group(2) else dt.time(0, 0)
    except ValueError:
        return None
    return dt.datetime.combine(day, time, tzinfo=zone)


def _unsaved_declared(declared: Sequence[DeclaredCall]) -> dict[int, Call]:
    """For a dry run: the declared calls as calls, with negative ids (nothing is stored)."""
    calls: dict[int, Call] = {}
    for number, item in enumerate(declared, start=1):
        calls[-number] = Call(
            pk=-number,
            called_at=item.called_at,
            child=Person(
                item.child_forenames,
                item.child_surname,
                dt.date.fromisoformat(item.child_dob) if item.child_dob else None,
            ),
            urgent=item.urgent,
            kind="referral",
            source="form",
            caller_name=item.caller_name,
            caller_agency=item.caller_agency,
            caller_phone=item.caller_phone,
            taken_by=item.taken_by,
            message_pk=item.message_pk,
            form_ordinal=item.form_ordinal,
        )
    return calls


# -- anchors ----------------------------------------------------------------------------------


def _anchors(mails: Iterable[Mail], call_pks: Iterable[int]) -> set[str]:
    keys: set[str] = set()
    for mail in mails:
        keys.add(mail.key)
        keys.update(form.key for form in mail.forms)
    keys.update(f"call:{pk}" for pk in call_pks)
    return keys


def _due_anchors(due: Iterable[str], relater: Relater) -> set[str]:
    keys = set(due)
    relater.load_keys(keys)
    return keys


# -- relating records about the same child -----------------------------------------------------


class Relater:
    """Finds, for each case, the other messages and calls about the same child."""

    def __init__(self, store: Store, settings: RuleSettings, as_of: dt.datetime) -> None:
        self.db = store.cases
        self.settings = settings
        self.as_of = as_of
        self.mail: dict[int, Mail] = {}
        self.calls: dict[int, Call] = {}
        self._copies: dict[str, tuple[dt.datetime, int, int]] = {}

    # loading

    def load_keys(self, keys: Iterable[str]) -> None:
        messages, calls = _split(keys)
        self.mail.update(self.db.mail(m for m in messages if m not in self.mail))
        self.calls.update(self.db.calls_by_pk(c for c in calls if c not in self.calls))

    def anchors_for(self, keys: Iterable[str]) -> set[str]:
        """Linked records to judge again: their forms, calls and form-less messages."""
        self.load_keys(keys)
        found: set[str] = set()
        for key in keys:
            kind, _, rest = key.partition(":")
            if kind == "call":
                if int(rest) in self.calls:
                    found.add(key)
                continue
            mail = self.mail.get(int(rest.split(":")[0]))
            if mail is None or mail.quiet or mail.received_at > self.as_of:
                continue
            found.add(key if kind == "form" else mail.key)
        return found

    # cases

    def cases(self, keys: set[str]) -> list[Case]:
        self.load_keys(keys)
        wanted: list[tuple[str, Mail | None, Form | None, Call | None]] = []
        for key in sorted(keys, key=_order):
            kind, _, rest = key.partition(":")
            if kind == "call":
                call = self.calls.get(int(rest))
                if call is not None:
                    wanted.append(("call", None, None, call))
                continue
            mail = self.mail.get(int(rest.split(":")[0]))
            if mail is None or mail.quiet:
                continue
            if kind == "msg":
                wanted.append(("mail", mail, None, None))
                continue
            ordinal = int(rest.split(":")[1])
            form = next((f for f in mail.forms if f.ordinal == ordinal), None)
            if form is not None:
                wanted.append(("form", mail, form, None))
        self._gather([(m, f, c) for _, m, f, c in wanted])
        cases = []
        for kind, mail, form, call in wanted:
            related_mail, related_calls = self._links(mail, form, call)
            cases.append(
                Case(
                    kind=kind,  # type: ignore[arg-type]
                    as_of=self.as_of,
                    settings=self.settings,
                    mail=mail if mail is not None else None,
                    form=form,
                    call=call,
                    related_mail=related_mail,
                    related_calls=related_calls,
                    copy_of=self._copy_of(form, mail) if form is not None and mail else None,
                )
            )
        return cases

    def _gather(self, items: Sequence[tuple[Mail | None, Form | None, Call | None]]) -> None:
        """Load every record that could be about the same child as one of ``items``, and index
        what is loaded (by date of birth, name, thread, sender and time) for :meth:`_links`."""
        if not items:
            return
        people: list[Person] = []
        times: list[dt.datetime] = []
        formless: list[Mail] = []
        ids: set[str] = set()
        parents: set[str] = set()
        senders: set[str] = set()
        shas: set[str] = set()
        for mail, form, call in items:
            if call is not None:
                people.append(call.child)
                times.append(call.called_at)
            if mail is not None:
                times.append(mail.received_at)
                if not mail.forms:
                    formless.append(mail)
                people.extend(_people_of(mail, form))
                if mail.message_id:
                    ids.add(mail.message_id)
                parents.update(filter(None, (mail.in_reply_to, *mail.references)))
                if mail.sender:
                    senders.add(mail.sender)
            if form is not None:
                shas.add(form.sha256)
        first = min(times)
        since = first - dt.timedelta(days=self.settings.re_referral_days + 1)
        dated = [p for p in people if p.dob]
        undated = [p for p in people if p.dob is None]
        dobs = {p.dob.isoformat() for p in dated if p.dob}
        keys = {k for p in people for k in name_keys(p)}
        # A child with no date of birth: records with the same surname (either way round),
        # near in time; a name alone is weak evidence, so not half a year of it.
        surnames = {k for p in undated for k in _surname_keys(p)}
        near = min((t for t, p in zip(times, people, strict=False) if p.dob is None), default=first)
        db = self.db
        # The same date of birth over the re-referral period; records with no date of birth
        # only near in time (they match only with corroboration, a name alone is weak).
        messages = db.messages_about(dobs, (), since, self.as_of)
        calls = db.calls_about(dobs, (), since, self.as_of)
        recent = first - 2 * _NEAR
        messages |= db.messages_about((), keys, recent, self.as_of)
        calls |= db.calls_about((), keys, recent, self.as_of)
        if surnames:
            messages |= db.messages_about((), (), near - _NEAR, self.as_of, any_keys=surnames)
            calls |= db.calls_about((), (), near - _NEAR, self.as_of, any_keys=surnames)
        messages |= db.thread_of(ids, parents)
        for start, end in _windows(times, _SAME_SENDER, self.as_of):
            messages |= db.messages_between(start, end, senders=senders)
        for start, end in _windows(times, _NEAR, self.as_of, before=_SAME_SENDER):
            messages |= db.messages_between(start, end, kinds=TOOLS)
        # A message with no form may follow up a referral sent days before: the referrals whose
        # child it names (a surname, a date of birth), found by index, not by reading them all.
        if formless:
            said_words = {w for m in formless for w in m.mentions.words}
            said_dates = {d.isoformat() for m in formless for d in m.mentions.dates}
            start = min(m.received_at for m in formless) - 2 * _NEAR
            messages |= db.messages_about(said_dates, (), start, self.as_of, surnames=said_words)
        self.mail.update(db.mail(pk for pk in messages if pk not in self.mail))
        self.calls.update(db.calls_by_pk(pk for pk in calls if pk not in self.calls))
        missing = shas - set(self._copies)
        if missing:
            self._copies.update(db.first_copies(missing))
        self._index()

    def _index(self) -> None:
        """Where each loaded record can be found from: its children's dates of birth and name
        keys, its thread ids, its sender, its time."""
        by_dob: dict[dt.date, set[int]] = {}
        by_key: dict[str, set[int]] = {}
        undated_key: dict[str, set[int]] = {}
        thread: dict[str, set[int]] = {}
        sender: dict[str, list[Mail]] = {}
        tools: list[Mail] = []
        forms: list[Mail] = []
        for mail in self.mail.values():
            for child in _people_of(mail, None):
                if child.dob:
                    by_dob.setdefault(child.dob, set()).add(mail.pk)
                for key in name_keys(child):
                    by_key.setdefault(key, set()).add(mail.pk)
                    if child.dob is None:
                        undated_key.setdefault(key, set()).add(mail.pk)
            for ref in filter(None, (mail.message_id, mail.in_reply_to, *mail.references)):
                thread.setdefault(ref, set()).add(mail.pk)
            if mail.sender:
                sender.setdefault(mail.sender, []).append(mail)
            if any(a.kind in TOOLS for a in mail.attachments):
                tools.append(mail)
            if mail.forms:
                forms.append(mail)
        calls_dob: dict[dt.date, set[int]] = {}
        calls_key: dict[str, set[int]] = {}
        calls_undated: dict[str, set[int]] = {}
        declared: dict[int, list[Call]] = {}
        for call in self.calls.values():
            if call.message_pk is not None:
                declared.setdefault(call.message_pk, []).append(call)
            if call.child.dob:
                calls_dob.setdefault(call.child.dob, set()).add(call.pk)
            for key in name_keys(call.child):
                calls_key.setdefault(key, set()).add(call.pk)
                if call.child.dob is None:
                    calls_undated.setdefault(key, set()).add(call.pk)
        self._by_dob, self._by_key, self._undated_key = by_dob, by_key, undated_key
        self._thread, self._sender = thread, sender
        self._declared = declared
        self._tools = _Timeline(tools)
        self._forms = _Timeline(forms)
        self._calls_dob, self._calls_key, self._calls_undated = (
            calls_dob,
            calls_key,
            calls_undated,
        )

    def _candidates(
        self, mail: Mail | None, people: Sequence[Person], at: dt.datetime
    ) -> tuple[set[int], set[int]]:
        """Messages and calls worth comparing with a case: the same date of birth, a shared
        name where a date of birth is missing, the same thread or sender, tools near in time,
        and (for a message with no form) referrals shortly before it."""
        mails: set[int] = set()
        calls: set[int] = set()
        for person in people:
            keys = name_keys(person)
            if person.dob is not None:
                mails |= self._by_dob.get(person.dob, set())
                calls |= self._calls_dob.get(person.dob, set())
                for key in keys:
                    mails |= self._undated_key.get(key, set())
                    calls |= self._calls_undated.get(key, set())
            else:
                for key in keys:
                    mails |= self._by_key.get(key, set())
                    calls |= self._calls_key.get(key, set())
        if mail is not None:
            for ref in filter(None, (mail.message_id, mail.in_reply_to, *mail.references)):
                mails |= self._thread.get(ref, set())
            for other in self._sender.get(mail.sender or "", ()):
                if abs(other.received_at - at) <= _SAME_SENDER:
                    mails.add(other.pk)
            mails.update(m.pk for m in self._tools.between(at - _SAME_SENDER, at + _NEAR))
            if not mail.forms:
                mails.update(m.pk for m in self._forms.between(at - 2 * _NEAR, at))
        return mails, calls

    def _copy_of(self, form: Form, mail: Mail) -> str | None:
        first = self._copies.get(form.sha256)
        if first is None or first[1:] == (mail.pk, form.ordinal):
            return None
        if (first[0], first[1]) > (mail.received_at, mail.pk):
            return None
        return f"form:{first[1]}:{first[2]}"

    def _links(
        self, mail: Mail | None, form: Form | None, call: Call | None
    ) -> tuple[tuple[Link, ...], tuple[Link, ...]]:
        related_mail: list[Link] = []
        related_calls: list[Link] = []
        if call is not None:
            people: Sequence[Person] = [call.child]
            at = call.called_at
        else:
            assert mail is not None
            people = _people_of(mail, form)
            at = mail.received_at
        mail_pks, call_pks = self._candidates(mail, people, at)
        if call is not None and call.message_pk is not None:
            mail_pks.add(call.message_pk)
        own = mail.pk if mail is not None else None
        for pk in sorted(mail_pks):
            other = self.mail.get(pk)
            if other is None or other.received_at > self.as_of:
                continue
            if call is not None:
                if call.message_pk == other.pk:
                    for f in other.forms:
                        if f.ordinal == call.form_ordinal:
                            related_mail.append(
                                Link(1.0, {"declared": "same form"}, other, None, f)
                            )
                    continue
                related_mail.extend(self._call_to_forms(call, other))
                continue
            if other.pk == own or mail is None:
                continue
            related_mail.extend(self._mail_to_mail(mail, form, other))
        for pk in sorted(call_pks):
            other_call = self.calls.get(pk)
            if other_call is None or other_call.called_at > self.as_of:
                continue
            if call is not None and other_call.pk == call.pk:
                continue
            link = self._to_call(mail, form, call, other_call)
            if link is not None:
                related_calls.append(link)
        if mail is not None:  # the calls this message's forms declare
            for declared in self._declared.get(mail.pk, ()):
                if declared.pk not in call_pks:
                    link = self._to_call(mail, form, call, declared)
                    if link is not None:
                        related_calls.append(link)
        related_mail.sort(key=lambda link: (link.at, link.key))
        related_calls.sort(key=lambda link: (link.at, link.key))
        return tuple(related_mail), tuple(related_calls)

    # the kinds of link

    def _mail_to_mail(self, mail: Mail, form: Form | None, other: Mail) -> list[Link]:
        """Links from a case's message (and form) to another message: one per linked form of
        the other message, or one for the message as a whole when it has no form."""
        mine = _people_of(mail, form)
        same_sender = bool(mail.sender) and mail.sender == other.sender
        links: list[Link] = []
        mismatch = False
        for theirs in other.forms:
            best = _best(mine, theirs.children, corroborated=same_sender)
            if best is not None:
                links.append(Link.of(best, mail=other, form=theirs))
            elif _other_child(mine, theirs.children):
                mismatch = True
        if links or mismatch:
            return links
        if other.forms:
            if mail.forms:  # two referrals with no child in common: only a reply in thread
                thread = _thread(mail, other)
                if thread and len(other.forms) == 1 and not mine:
                    return [Link(0.8, {"thread": thread}, other, None, other.forms[0])]
                return []
            # The case is a follow-up with no form: is it about this referral?
            evidence = self._loose(mail, mine, other, same_sender)
            if evidence is None:
                return []
            confidence, reasons = evidence
            return [Link(confidence, reasons, other, None, other.forms[0])]
        # The other message has no form: a follow-up (GCP, tool) or a query.
        tool_children = [p for a in other.attachments for p in a.children]
        best = _best(mine, tool_children, corroborated=same_sender)
        if best is not None:
            return [Link.of(best, mail=other)]
        if not mail.forms or _other_child(mine, tool_children):
            return []  # two follow-ups, or the tool names a different child
        evidence = self._loose(mail, mine, other, same_sender)
        if evidence is not None:
            confidence, reasons = evidence
            return [Link(confidence, reasons, other)]
        return []

    def _loose(
        self, mail: Mail, mine: Sequence[Person], other: Mail, same_sender: bool
    ) -> tuple[float, dict[str, str]] | None:
        """A referral and a follow-up that names no child on a form: the thread, what one
        mentions of the other's child, or the sender's only referral that working day."""
        thread = _thread(mail, other)
        if thread:
            return 0.85, {"thread": thread}
        theirs = _people_of(other, None)
        mentioned = _mentioned(mine, other) or _mentioned(theirs, mail)
        if mentioned is not None:
            confidence, reasons = mentioned
            if same_sender:
                reasons["sender"] = "same"
                confidence = min(1.0, confidence + 0.1)
            return confidence, reasons
        if not same_sender or not (mine or theirs):
            return None
        calendar = self.settings.calendar
        day = calendar.working_day_of(mail.received_at)
        if calendar.working_day_of(other.received_at) != day:
            return None
        # Only when the sender referred no other child that working day.
        referred = {
            _child_key(child)
            for m in self._sender.get(mail.sender or "", ())
            if calendar.working_day_of(m.received_at) == day
            for f in m.forms
            for child in f.children[:1]
        }
        if len(referred) <= 1:
            return 0.6, {"sender": "same", "day": "same working day"}
        return None

    def _call_to_forms(self, call: Call, other: Mail) -> list[Link]:
        links = []
        for form in other.forms:
            corroborated = _same_referrer(call, form)
            best = _best([call.child], form.children, corroborated=corroborated)
            if best is not None:
                evidence = dict(best.evidence)
                if corroborated:
                    evidence["referrer"] = "same"
                links.append(Link(best.confidence, evidence, other, None, form))
        return links

    def _to_call(
        self, mail: Mail | None, form: Form | None, call: Call | None, other: Call
    ) -> Link | None:
        if call is not None:
            corroborated = bool(
                _digits(call.caller_phone)
                and _digits(call.caller_phone) == _digits(other.caller_phone)
            ) or (bool(call.caller_name) and fold(call.caller_name) == fold(other.caller_name))
            match = compare(call.child, other.child, corroborated=corroborated)
            return Link.of(match, call=other) if match and match.confidence >= MIN_LINK else None
        if mail is None:
            return None
        if other.message_pk == mail.pk:
            return Link(1.0, {"declared": "same form"}, call=other)
        if form is None:
            return None
        best = _best(list(form.children), [other.child], corroborated=_same_referrer(other, form))
        return Link.of(best, call=other) if best is not None else None


# -- helpers ----------------------------------------------------------------------------------


def _people_of(mail: Mail, form: Form | None) -> list[Person]:
    """The children a case is about: the form's, or those every form and tool of the message
    names."""
    if form is not None:
        return list(form.children)
    people = [child for f in mail.forms for child in f.children]
    people += [child for a in mail.attachments for child in a.children]
    return people


def _best(mine: Sequence[Person], theirs: Sequence[Person], *, corroborated: bool) -> Match | None:
    best: Match | None = None
    for a in mine:
        for b in theirs:
            match = compare(a, b, corroborated=corroborated)
            if match is not None and (best is None or match.confidence > best.confidence):
                best = match
    if best is None or best.confidence < MIN_LINK:
        return None
    return best


def _other_child(mine: Sequence[Person], theirs: Sequence[Person]) -> bool:
    """Does a tool plainly name someone else: a full name and a date of birth none of ours has?
    (Initials or a name alone prove nothing: tools are often anonymised.)"""
    ours = {p.dob for p in mine if p.dob}
    return bool(ours) and any(
        p.dob is not None and p.dob not in ours and len(_folded(p.surname)) > 2 for p in theirs
    )


def _thread(a: Mail, b: Mail) -> str | None:
    if a.message_id and (b.in_reply_to == a.message_id or a.message_id in b.references):
        return "reply"
    if b.message_id and (a.in_reply_to == b.message_id or b.message_id in a.references):
        return "replied to"
    return None


def _mentioned(people: Sequence[Person], other: Mail) -> tuple[float, dict[str, str]] | None:
    """Does ``other`` mention one of ``people`` (surname plus forename, DOB or postcode)?"""
    said = other.mentions
    if not said.words:
        return None
    for person in people:
        surnames = set(fold(person.surname).split())
        if not surnames or not surnames & said.words:
            continue
        forenames = fold(person.forenames).split()
        reasons = {"mention": "surname"}
        score = 0.0
        if forenames and forenames[0] in said.words:
            reasons["forenames"] = "mentioned"
            score += 0.7
        if person.dob is not None and person.dob in said.dates:
            reasons["dob"] = "mentioned"
            score += 0.2
        if person.postcode and person.postcode.replace(" ", "").upper() in said.postcodes:
            reasons["postcode"] = "mentioned"
            score += 0.1
        if score >= 0.2 or "forenames" in reasons:
            return min(0.9, 0.5 + score * 0.5 + 0.1), reasons
    return None


def _same_referrer(call: Call, form: Form) -> bool:
    phone = _digits(call.caller_phone)
    if phone and phone == _digits(form.text("referrer_phone")):
        return True
    name = _folded(call.caller_name)
    return bool(name) and name == _folded(form.text("referrer_name"))


@functools.lru_cache(maxsize=65536)
def _folded(text: str | None) -> str:
    return fold(text)


@functools.lru_cache(maxsize=65536)
def _digits(text: str | None) -> str:
    return phone_digits(text)


def _child_key(person: Person) -> tuple[str, str, str]:
    return (
        fold(person.surname),
        (fold(person.forenames).split() or [""])[0],
        person.dob.isoformat() if person.dob else "",
    )


class _Timeline:
    """Messages in order of arrival, to find those received between two times."""

    def __init__(self, mails: Iterable[Mail]) -> None:
        self.mails = sorted(mails, key=lambda m: m.received_at)
        self.times = [m.received_at for m in self.mails]

    def between(self, start: dt.datetime, end: dt.datetime) -> Sequence[Mail]:
        return self.mails[
            bisect.bisect_left(self.times, start) : bisect.bisect_right(self.times, end)
        ]


def _surname_keys(person: Person) -> set[str]:
    """Folded words of a surname (and of the forenames, in case the two were swapped)."""
    return set(fold(person.surname).split()) | set(fold(person.forenames).split()[:1])


def _windows(
    times: Sequence[dt.datetime],
    pad: dt.timedelta,
    until: dt.datetime,
    *,
    before: dt.timedelta | None = None,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """[t - before, t + pad] around each time (``before`` defaults to ``pad``; none past
    ``until``), overlapping ones merged."""
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for at in sorted(times):
        start, end = at - (pad if before is None else before), min(at + pad, until)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _split(keys: Iterable[str]) -> tuple[set[int], set[int]]:
    messages: set[int] = set()
    calls: set[int] = set()
    for key in keys:
        kind, _, rest = key.partition(":")
        try:
            if kind == "call":
                calls.add(int(rest))
            elif kind in {"msg", "form"}:
                messages.add(int(rest.split(":")[0]))
        except ValueError:
            continue
    return messages, calls


def _order(key: str) -> tuple[int, ...]:
    kind, _, rest = key.partition(":")
    numbers = tuple(int(n) for n in rest.split(":") if n.lstrip("-").isdigit())
    return ({"form": 0, "msg": 1, "call": 2}.get(kind, 3), *numbers)


def _judge(check: checks.Check, case: Case) -> Finding:
    try:
        return check.run(case)
    except Exception as err:  # a bug in one check must not stop the others
        log.error(
            "check failed",
            extra={"rule": check.code, "anchor": case.key, "error": type(err).__name__},
        )
        return Finding("skip", f"check failed ({type(err).__name__}); see the log")


def _judgement(check: checks.Check, case: Case, finding: Finding) -> Judgement:
    child = case.child
    if child is None and case.mail is not None:
        people = _people_of(case.mail, None)
        child = people[0] if people else None
    evidence = (
        json.dumps(
            [
                {"record": link.key, "confidence": round(link.confidence, 3), **link.evidence}
                for link in finding.links
            ],
            sort_keys=True,
        )
        if finding.links
        else None
    )
    message_pk = case.mail.pk if case.mail is not None else None
    if case.call is not None and case.kind == "call":
        message_pk = case.call.message_pk
    return Judgement(
        rule=check.code,
        severity=check.severity,
        anchor=case.key,
        outcome=finding.outcome,
        detail=finding.detail,
        due_at=finding.due_at,
        raised_at=finding.due_at if finding.due_at is not None else case.at,
        child_forenames=child.forenames if child else None,
        child_surname=child.surname if child else None,
        child_dob=child.dob.isoformat() if child and child.dob else None,
        message_pk=message_pk,
        form_ordinal=case.form.ordinal if case.form is not None else None,
        call_pk=case.call.pk if case.call is not None else None,
        arrived_at=finding.arrived_at,
        arrived_in=finding.arrived_in,
        late=finding.late,
        merged_into=finding.merged_into,
        evidence=evidence,
    )
