"""The commands' bodies: settings, store, sources and pipeline wired together (the CLI is thin)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path

from intake.config import MailboxSettings, Settings
from intake.errors import ConfigError, IntakeError
from intake.pipeline import PipelineSettings, PollResult, poll, reprocess, retry_due
from intake.sources.base import MailSource, PostAction
from intake.sources.directory import DirectorySource
from intake.sources.imap import ImapSource
from intake.store.ledger import Store

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
