"""The commands' bodies: settings, store, sources and pipeline wired together (the CLI is thin)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from intake.config import MailboxSettings, Settings, read_limits
from intake.errors import ConfigError, IntakeError
from intake.pipeline import PipelineSettings, PollResult, poll, reprocess, retry_due
from intake.sources.base import MailSource, PostAction
from intake.sources.directory import DirectorySource
from intake.sources.imap import ImapSource
from intake.store.ledger import Store
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
    return poll(source, store, pipeline_settings(settings, box))


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
