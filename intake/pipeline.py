"""The one flow every message takes:
fetch -> store raw -> parse -> route -> persist -> check -> post-action.

:func:`poll` is the whole story for one mailbox and reads top to bottom; the stages it calls are
the small functions below it, and they never call each other. A stage that fails for one message
records the failure on that message's ledger row and the poll goes on with the next.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field

from intake import mailrules, rulebook
from intake.cases import RuleSettings
from intake.errors import CallMailInvalid, IntakeError, MessageTooLarge, RuleInvalid, SourceError
from intake.headers import header_block, peek
from intake.logs import correlation
from intake.mailrules import callmail
from intake.sources.base import Fetched, MailSource, PostAction
from intake.store.ledger import Store
from intake.store.records import Failure, Incoming
from intake.workers import Examiner, Outcome
from parsers.base import ReadLimits

log = logging.getLogger("intake.pipeline")


@dataclass(frozen=True)
class PipelineSettings:
    """What the pipeline needs to know, taken from the configuration."""

    max_message_bytes: int = 50 * 1024 * 1024
    max_attempts: int = 4
    retry_backoff: dt.timedelta = dt.timedelta(minutes=5)
    timezone: zoneinfo.ZoneInfo = field(default_factory=lambda: zoneinfo.ZoneInfo("Europe/London"))
    #: Mail received before this date is stored quietly (raises no exceptions).
    since: dt.date | None = None
    #: The mailbox change to make after each message is safely stored; ``None`` for none.
    post_action: PostAction | None = None
    #: Processes that parse and check (0: in the poller's own process).
    parse_workers: int = 2
    #: Caps on reading one attachment (time, memory, pages, unpacked size).
    read_limits: ReadLimits = field(default_factory=ReadLimits)
    #: What the checks need (calendar, deadlines, domains); None runs no checks.
    rules: RuleSettings | None = None
    #: Judge as of the newest message's arrival instead of now: `intake import` replays mail
    #: as if it had been polled when it came, leaving later deadlines for `intake check`.
    judge_at_arrival: bool = False


@dataclass(frozen=True)
class Routed:
    """Parse outcomes with what the mailbox rules made of each (by message pk)."""

    outcomes: tuple[Outcome, ...] = ()
    routings: dict[int, mailrules.Routing] = field(default_factory=dict)


@dataclass
class PollResult:
    """Counts from one poll (no personal data: suitable for logs and `intake poll` output)."""

    mailbox: str
    correlation_id: str = ""
    folders: int = 0
    seen: int = 0
    new: int = 0
    duplicates: int = 0
    checked: int = 0
    failed: int = 0
    actions: int = 0
    #: Exceptions the check stage raised (new, including ones already auto-resolved).
    raised: int = 0
    #: When the newest message of this poll was received.
    latest: dt.datetime | None = None
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


def poll(source: MailSource, store: Store, settings: PipelineSettings) -> PollResult:
    """Read every new message of every watched folder of ``source`` into the ledger and process it.

    Safe to kill at any point: the cursor advances in the same commit that stores a batch, a
    message left half-processed is finished by the next poll, and mailbox changes are made only
    after the commit that recorded the message.
    """
    with correlation() as correlation_id:
        result = PollResult(source.name, correlation_id)
        started = time.perf_counter()
        log.info("poll started", extra={"mailbox": source.name})
        rules = load_rules(store)  # once per poll: a rule edited meanwhile applies next poll
        with Examiner(store, settings.parse_workers, settings.read_limits) as examiner:
            examiner.submit(store.unfinished(source.name))  # what a crash left half-way
            try:
                with source:
                    for folder in source.folders():
                        result.folders += 1
                        try:
                            exists = _poll_folder(
                                source, store, settings, folder, result, examiner, rules
                            )
                            store.record_poll(source.name, folder, exists=exists)
                        except SourceError as err:
                            _source_failed(store, source.name, [folder], err, result)
                    routed = route(store, examiner.drain(), rules, settings)
                    _tally(result, persist(store, routed, settings))
                    result.raised += check(store, settings, result.latest)
                    result.actions = apply_post_actions(source, store)
            except SourceError as err:  # connect or login failed: wait for the next poll
                _source_failed(store, source.name, source.folders(), err, result)
            routed = route(store, examiner.drain(), rules, settings)
            _tally(result, persist(store, routed, settings))
            result.raised += check(store, settings, result.latest)
        result.seconds = time.perf_counter() - started
        log.info(
            "poll finished",
            extra={
                "mailbox": source.name,
                "new": result.new,
                "duplicates": result.duplicates,
                "checked": result.checked,
                "failed": result.failed,
                "actions": result.actions,
                "raised": result.raised,
                "seconds": round(result.seconds, 3),
            },
        )
        return result


def _poll_folder(
    source: MailSource,
    store: Store,
    settings: PipelineSettings,
    folder: str,
    result: PollResult,
    examiner: Examiner,
    rules: Sequence[mailrules.CompiledRule],
) -> int | None:
    """Read one folder's new messages; returns how many the server says the folder holds."""
    state = source.state(folder)
    cursor = store.cursor(source.name, folder)
    if cursor.uidvalidity is not None and state.uidvalidity != cursor.uidvalidity:
        # The server renumbered the folder: read it all again; the ledger drops what it has.
        log.warning(
            "uidvalidity changed; rescanning folder",
            extra={"mailbox": source.name, "old": cursor.uidvalidity, "new": state.uidvalidity},
        )
        store.reset_cursor(source.name, folder, state.uidvalidity)
        cursor = store.cursor(source.name, folder)
    elif state.uidnext is not None and state.uidnext <= cursor.last_uid + 1:
        return state.exists  # nothing new: the idle poll is one STATUS and one cursor read
    refs = source.list_new(folder, state.uidvalidity, cursor.last_uid)
    if state.uidvalidity is None:  # files have no UIDs: skip paths already in the ledger
        known = store.known_paths(source.name, [r.path for r in refs if r.path])
        refs = [r for r in refs if r.path not in known]
    for batch in source.fetch(refs, settings.max_message_bytes):
        incoming = [describe(item, settings) for item in batch]
        uids = [item.ref.uid for item in batch if item.ref.uid is not None]
        recorded = store.record_batch(incoming, advance_to=max(uids) if uids else None)
        newest = max((item.received_at for item in incoming), default=None)
        if newest is not None and (result.latest is None or newest > result.latest):
            result.latest = newest
        result.seen += len(recorded)
        to_examine = []
        for entry in recorded:
            if not entry.new:
                result.duplicates += 1
            elif entry.status == "fetched":
                result.new += 1
                to_examine.append(entry.id)
            else:
                result.new += 1
                _tally(result, [entry.status])
        examiner.submit(to_examine)  # parse and check run beside the next fetch
        _tally(result, persist(store, route(store, examiner.ready(), rules, settings), settings))
    return state.exists


def reprocess(store: Store, ids: Sequence[int], settings: PipelineSettings) -> dict[str, int]:
    """Run stored messages through parse and checks again; returns counts by new status."""
    counts: dict[str, int] = {}
    examiner = Examiner(store, settings.parse_workers, settings.read_limits)
    with correlation("reprocess"), examiner:
        rules = load_rules(store)
        examiner.submit(ids)
        persist(store, route(store, examiner.drain(), rules, settings), settings)
        check(store, settings)
    for entry in store.ledger(ids=list(ids)):
        counts[entry.status] = counts.get(entry.status, 0) + 1
    return counts


def retry_due(store: Store, settings: PipelineSettings) -> dict[str, int]:
    """Process the failed messages whose automatic retry is due."""
    return reprocess(store, store.due_retries(), settings)


# -- stages -----------------------------------------------------------------------------------


def describe(item: Fetched, settings: PipelineSettings) -> Incoming:
    """The store-raw stage's input: when it was received, its Message-ID, quiet or not."""
    head = peek(item.raw if item.raw is not None else (item.headers or b""))
    ref = item.ref
    received = ref.internaldate or head.received_at or ref.file_mtime or dt.datetime.now(dt.UTC)
    quiet = (
        settings.since is not None
        and received.astimezone(settings.timezone).date() < settings.since
    )
    failure = failure_class = None
    if item.raw is None:
        error = MessageTooLarge(ref.source, ref.size, settings.max_message_bytes)
        failure, failure_class = str(error), f"intake.errors.{type(error).__name__}"
    return Incoming(
        ref=ref,
        raw=item.raw,
        headers=header_block(item.headers) if item.headers else None,
        received_at=received,
        message_id=head.message_id,
        sent_at=head.date,
        quiet=quiet,
        action=settings.post_action if ref.uid is not None else None,
        failure=failure,
        failure_class=failure_class,
    )


def load_rules(store: Store) -> tuple[mailrules.CompiledRule, ...]:
    """The enabled mailbox rules, in order, compiled once for a whole poll or reprocess run.

    A stored rule that cannot be compiled (only possible if the table was edited by hand) is
    skipped with an error in the log naming it; the others still apply.
    """
    compiled = []
    for rule in store.rules.enabled():
        try:
            compiled.append(mailrules.compile_rule(rule))
        except RuleInvalid:
            log.error("mailbox rule cannot be used; skipped", extra={"rule": rule.name})
    return tuple(compiled)


def route(
    store: Store,
    outcomes: Sequence[Outcome],
    rules: Sequence[mailrules.CompiledRule],
    settings: PipelineSettings,
) -> Routed:
    """The route stage: what the mailbox rules make of each message read (its action, deciding
    rule and post-actions); for a call email, the call its body records. Stores nothing: the
    persist stage commits it with the parse outcome. A call email whose body holds no valid
    call becomes a failed message, its reason naming the fields (`intake reprocess` after the
    fix)."""
    readable = [o for o in outcomes if o.message is not None and o.failure is None]
    folders = store.folders_of([o.pk for o in readable]) if readable and rules else {}
    now = dt.datetime.now(dt.UTC)
    done: list[Outcome] = []
    routings: dict[int, mailrules.Routing] = {}
    for outcome in outcomes:
        message = outcome.message
        if message is None or outcome.failure is not None:
            done.append(outcome)
            continue
        facts = mailrules.Facts.of(message, outcome.parsed, folders.get(outcome.pk, ""))
        routing = mailrules.route(facts, rules)
        if routing.action == "call":
            call = callmail.read_call(message.text, settings.timezone, now)
            if isinstance(call, str):
                failure = Failure.of(CallMailInvalid(str(outcome.pk), call), transient=False)
                outcome = dataclasses.replace(outcome, failure=failure)
            else:
                routing = dataclasses.replace(routing, call=call)
        if routing.rule is not None:
            log.info(
                "message routed",
                extra={"message_pk": outcome.pk, "route": routing.action, "rule": routing.rule},
            )
        routings[outcome.pk] = routing
        done.append(outcome)
    return Routed(tuple(done), routings)


def persist(store: Store, routed: Routed, settings: PipelineSettings) -> list[str]:
    """The persist stage: outcomes of the parse and route stages, in one commit (each message's
    status with its attachments, what reading them found, its route, the mailbox changes its
    rules ask for and, for a call email, the call).

    Returns the new statuses. A database failure escapes: the messages stay ``fetched`` and the
    next poll finishes them; no mailbox change is made for them meanwhile.
    """
    outcomes = routed.outcomes
    if not outcomes:
        return []
    statuses = store.save_outcomes(
        [(o.pk, o.message, o.failure, o.parsed) for o in outcomes],
        max_attempts=settings.max_attempts,
        backoff=settings.retry_backoff,
        routings=routed.routings,
    )
    for outcome, status in zip(outcomes, statuses, strict=True):
        if outcome.failure is not None:
            log.warning(
                "message failed",
                extra={
                    "message_pk": outcome.pk,
                    "error": outcome.failure.error_class.rpartition(".")[2],
                    "status": status,
                },
            )
    return statuses


def check(store: Store, settings: PipelineSettings, latest: dt.datetime | None = None) -> int:
    """The check stage: judge the messages just read, new calls and passed deadlines
    (:mod:`intake.rulebook`), recording findings in their own commit. Returns how many
    exceptions it raised. A failure is logged and left for the next run: the messages stay
    ``parsed`` and are judged then."""
    if settings.rules is None:
        return 0
    as_of = dt.datetime.now(dt.UTC)
    if settings.judge_at_arrival and latest is not None:
        as_of = min(as_of, latest)
    try:
        run = rulebook.run(store, settings.rules, as_of=as_of)
    except IntakeError as err:
        log.error("check stage failed", extra={"error": type(err).__name__})
        return 0
    return run.count("raised") + run.count("raised-late")


def apply_post_actions(source: MailSource, store: Store) -> int:
    """The post-action stage: mailbox changes owed for messages already committed, each
    sighting's in order (flag and keyword are idempotent, so a change half made is made again
    whole next time)."""
    done = 0
    for pending in store.pending_actions(source.name):
        try:
            for action in pending.actions:
                source.apply(pending.ref, action)
        except SourceError as err:
            log.warning(
                "post-action failed; will retry next poll",
                extra={
                    "mailbox": source.name,
                    "sighting": pending.sighting_id,
                    "error": type(err).__name__,
                },
            )
            continue
        store.action_done(pending.sighting_id)
        done += 1
    return done


def _source_failed(
    store: Store, mailbox: str, folders: Sequence[str], err: SourceError, result: PollResult
) -> None:
    result.errors.append(str(err))
    log.warning("poll failed", extra={"mailbox": mailbox, "error": type(err).__name__})
    for folder in folders:
        store.record_poll(mailbox, folder, error=str(err))


def _tally(result: PollResult, statuses: Sequence[str]) -> None:
    for status in statuses:
        if status in {"parsed", "checked"}:  # parsed: judged by the check stage next
            result.checked += 1
        elif status in {"failed", "dead"}:
            result.failed += 1
