"""The commands' bodies: settings, store, sources and pipeline wired together (the CLI is thin)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import hashlib
import logging
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from intake import calls as calls_module
from intake import rulebook
from intake.config import MailboxSettings, Settings, read_limits, rule_settings
from intake.errors import ConfigError, IntakeError
from intake.pipeline import PipelineSettings, PollResult, poll, reprocess, retry_due
from intake.sources.base import MailSource, PostAction
from intake.sources.directory import DirectorySource
from intake.sources.imap import ImapSource
from intake.store.ledger import Store
from intake.store.records import ExceptionRecord
from parsers.fields import ParsedAttachment
from parsers.sandbox import parse_many

log = logging.getLogger("intake.service")

#: A poll holds its mailbox's lock this long at most; a crashed holder on this host is noticed at
#: once (see Store.acquire_lock), so the lease only matters for a holder on another machine.
POLL_LEASE = dt.timedelta(hours=1)
IMPORT_MAILBOX = "import"


def open_store(settings: Settings, *, auto_upgrade: bool = True) -> Store:
    return Store.open(
        settings.database.url,
        raw_retention_days=settings.storage.raw_retention_days,
        auto_upgrade=auto_upgrade,
    )


def pipeline_settings(
    settings: Settings, mailbox: MailboxSettings | None = None
) -> PipelineSettings:
    action = None
    if mailbox is not None and mailbox.post_action != "none":
        kind, _, argument = mailbox.post_action.partition(":")
        action = PostAction(kind, argument)
    return PipelineSettings(
        max_message_bytes=settings.limits.max_message_bytes,
        max_attempts=settings.limits.max_attempts,
        retry_backoff=dt.timedelta(seconds=settings.limits.retry_backoff_seconds),
        timezone=settings.calendar.zone,
        since=mailbox.since_date if mailbox is not None else None,
        post_action=action,
        parse_workers=settings.limits.parse_workers,
        read_limits=read_limits(settings),
        rules=rule_settings(settings),
    )


def imap_source(settings: Settings, mailbox: MailboxSettings) -> MailSource:
    return ImapSource(
        mailbox.name,
        mailbox.host,
        mailbox.effective_port,
        mailbox.tls,
        mailbox.username,
        mailbox.password(),
        mailbox.folders,
        ca_file=mailbox.ca_file or None,
        timeout=float(mailbox.timeout),
        batch_messages=settings.limits.fetch_batch_messages,
        batch_bytes=settings.limits.fetch_batch_bytes,
    )


def poll_mailbox(settings: Settings, store: Store, mailbox: MailboxSettings) -> PollResult:
    """One poll of one mailbox, holding its lock so no other process polls it meanwhile."""
    lock = f"poll:{mailbox.name}"
    owner = store.acquire_lock(lock, POLL_LEASE)
    try:
        return poll(imap_source(settings, mailbox), store, pipeline_settings(settings, mailbox))
    finally:
        store.release_lock(lock, owner)


def poll_mailboxes(settings: Settings, store: Store, names: Sequence[str] = ()) -> list[PollResult]:
    """Poll the named mailboxes (default: every enabled one); one failing never stops the rest."""
    if names:
        boxes = [settings.mailbox(name) for name in names]
    else:
        boxes = [box for box in settings.mailboxes if box.enabled]
    if not boxes:
        raise ConfigError(
            "mailboxes",
            "none enabled",
            "add a [mailboxes.NAME] table (see config/intake.example.toml)",
        )
    results = []
    for box in boxes:
        try:
            results.append(poll_mailbox(settings, store, box))
        except IntakeError as err:  # this mailbox failed; the others still get polled
            failed = PollResult(box.name)
            failed.errors.append(str(err))
            results.append(failed)
    return results


def import_paths(
    settings: Settings, store: Store, paths: Sequence[Path], mailbox: str | None = None
) -> PollResult:
    """Process files from disk exactly as if they had been fetched from the mailbox."""
    name = mailbox or IMPORT_MAILBOX
    box = next((b for b in settings.mailboxes if b.name == name), None)
    source = DirectorySource(
        name,
        paths,
        batch_messages=settings.limits.fetch_batch_messages,
        batch_bytes=settings.limits.fetch_batch_bytes,
    )
    replay = dataclasses.replace(pipeline_settings(settings, box), judge_at_arrival=True)
    return poll(source, store, replay)


def reprocess_messages(
    settings: Settings, store: Store, ids: Sequence[int], *, failed: bool
) -> dict[str, int]:
    chosen = store.reset_for_reprocess(ids, failed=failed)
    return reprocess(store, chosen, pipeline_settings(settings))


def retry_failed(settings: Settings, store: Store) -> dict[str, int]:
    return retry_due(store, pipeline_settings(settings))


def expire_raw(store: Store) -> int:
    removed = store.expire_raw()
    log.info("raw copies expired", extra={"count": removed})
    return removed


@dataclass(frozen=True)
class ParsedFile:
    """One file given to `intake parse`, and what reading it gave."""

    path: Path
    result: ParsedAttachment
    #: False when the file could not be opened at all (the result is then ``unreadable``).
    opened: bool


def parse_files(settings: Settings, paths: Sequence[Path]) -> Iterator[ParsedFile]:
    """Classify and parse attachment files, each in a sandboxed child, yielding in the order
    given as each is done. A file that cannot be opened gives an ``unreadable`` result saying
    so; one larger than ``limits.max_message_bytes`` (it could never arrive by mail) is not
    read."""
    refused = [_refusal(path, settings.limits.max_message_bytes) for path in paths]
    readable = [path for path, refusal in zip(paths, refused, strict=True) if refusal is None]
    workers = max(1, min(settings.limits.parse_workers, len(readable)))
    results = parse_many(
        ((_read(path), path.name) for path in readable), read_limits(settings), workers
    )
    for path, refusal in zip(paths, refused, strict=True):
        yield refusal or ParsedFile(path, next(results), opened=True)


def _refusal(path: Path, cap: int) -> ParsedFile | None:
    """What to say about a file that will not be parsed; None for one that will."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a directory, or a pipe that would block
            return _unopened(path, "not a regular file")
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size <= cap:
                return None
            handle.seek(0)
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as err:
        return _unopened(path, err.strerror or type(err).__name__)
    reason = f"too large: {size} bytes (limits.max_message_bytes is {cap})"
    return ParsedFile(path, ParsedAttachment.unreadable(path.name, digest, reason), opened=True)


def _unopened(path: Path, why: str) -> ParsedFile:
    empty = hashlib.sha256(b"").hexdigest()
    result = ParsedAttachment.unreadable(path.name, empty, f"cannot open: {why}")
    return ParsedFile(path, result, opened=False)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # gone since it was checked: read as empty, which the parser calls unreadable
        return b""


def form_lines(result: ParsedAttachment, width: int = 48) -> list[str]:
    """A parsed form's fields, further children and concerns as short lines for a terminal
    (values cut to ``width``). For a person looking at their own or synthetic forms: never log
    these."""
    fields = result.to_json()["fields"]
    shown = {name: _shown(field["value"], width) for name, field in fields.items()}
    pad = max(map(len, shown.values()), default=0)
    lines = [
        f"{name:<24} {shown[name]:<{pad}}  {field['confidence']:.2f}"
        for name, field in fields.items()
    ]
    for number, child in enumerate(result.children[1:], start=2):
        known = "; ".join(str(v) for v in child.to_json().values() if v is not None)
        lines.append(f"{f'child {number}':<24} {_shown(known, width)}")
    if result.concerns:
        lines.append(f"{'concerns':<24} {', '.join(result.concerns)}")
    return lines


def _shown(value: object, width: int) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 3] + "..."


# -- the rule book: calls, checks, exceptions ----------------------------------------------------

#: The biggest call-log file read (a year of a busy front door's calls is a few MB).
MAX_CALLS_FILE = 20 * 1024 * 1024


def actor() -> str:
    """Who a command-line change is recorded as: ``cli:LOGIN``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


@dataclass(frozen=True)
class CallsImport:
    """What `intake calls import` read and stored."""

    file: calls_module.CallsFile
    stored: tuple[int, ...]
    already: int
    #: False when invalid rows stopped the whole file (nothing stored).
    accepted: bool


def import_calls(
    settings: Settings, store: Store, path: Path, *, skip_invalid: bool = False
) -> CallsImport:
    """Record the phone contacts of a call-log CSV (contract section 4): the whole file is
    checked first; any invalid row stops it, unless ``skip_invalid``."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CALLS_FILE + 1)
    except OSError as err:
        raise ConfigError(
            "calls import", f"{path} cannot be read ({err.strerror})", "check the path"
        ) from err
    now = dt.datetime.now(dt.UTC)
    read = calls_module.read_calls_csv(
        data, settings.calendar.zone, now=now, max_bytes=MAX_CALLS_FILE
    )
    if read.problems and (not skip_invalid or not read.records):
        return CallsImport(read, (), 0, accepted=False)
    stored, already = store.cases.add_calls(read.records, source="csv", actor=actor())
    log.info(
        "calls imported",
        extra={
            "rows": read.rows,
            "stored": len(stored),
            "known": already,
            "invalid": len(read.problems),
        },
    )
    return CallsImport(read, tuple(stored), already, accepted=True)


def add_call(settings: Settings, store: Store, **options: str | None) -> AddedCall:
    """Record one phone contact given as options (the call-log CSV's fields)."""
    made = calls_module.make_call(
        zone=settings.calendar.zone,
        now=dt.datetime.now(dt.UTC),
        **options,  # type: ignore[arg-type]
    )
    if isinstance(made, list):
        return AddedCall(None, False, tuple(str(problem) for problem in made), ())
    stored, _ = store.cases.add_calls([made], source="cli", actor=actor())
    return AddedCall(stored[0] if stored else None, not stored, (), made.warnings)


@dataclass(frozen=True)
class AddedCall:
    """What `intake calls add` did: the new call's id, or why not."""

    id: int | None
    #: The same call was already recorded (nothing stored).
    known: bool
    problems: tuple[str, ...]
    warnings: tuple[str, ...]


def run_checks(
    settings: Settings,
    store: Store,
    *,
    as_of: dt.datetime | None = None,
    dry_run: bool = False,
    rules: Sequence[str] = (),
    since: dt.datetime | None = None,
) -> rulebook.CheckRun:
    return rulebook.run(
        store, rule_settings(settings), as_of=as_of, dry_run=dry_run, rules=rules, since=since
    )


def parse_when(text: str, settings: Settings, option: str) -> dt.datetime:
    """A DATETIME from the command line (contract section 1), local unless it has an offset."""
    try:
        return calls_module.parse_datetime(text, settings.calendar.zone)
    except ValueError as err:
        raise ConfigError(
            option, str(err).split(";")[0], "write YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from err


def exception_json(record: ExceptionRecord, zone: dt.tzinfo) -> dict[str, object]:
    """One line of `intake exceptions --json` (contract section 5)."""

    def when(value: dt.datetime | None) -> str | None:
        return value.astimezone(zone).isoformat(timespec="seconds") if value else None

    return {
        "id": record.id,
        "rule": record.rule,
        "severity": record.severity,
        "status": record.status,
        "raised_at": when(record.raised_at),
        "due_at": when(record.due_at),
        "child": (
            {
                "forenames": record.child_forenames,
                "surname": record.child_surname,
                "dob": record.child_dob,
            }
            if record.has_child
            else None
        ),
        "message_id": record.message_id,
        "call_id": record.call_id,
        "detail": record.detail,
        "late": record.late,
        "resolved_at": when(record.resolved_at),
    }
