"""The `intake` command: parse arguments, call one function, print, set the exit code.

Exit codes (contract section 1): 0 success, 1 a handled failure with a one-line message on stderr
saying what to do, 2 bad usage. No traceback reaches the user.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from intake import config as config_module
from intake import logs, service
from intake.config import Settings
from intake.errors import IntakeError
from intake.pipeline import PollResult
from intake.store.ledger import STATUSES, Store
from intake.store.records import LedgerEntry
from parsers.fields import KINDS, ParsedAttachment

P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger("intake.cli")


class Context:
    """Settings and store, loaded once per command on first use."""

    def __init__(self, config_path: Path | None) -> None:
        self.config_path = config_path
        self._settings: Settings | None = None
        self._store: Store | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = config_module.load(self.config_path)
            logs.setup(self._settings.logging.level, self._settings.logging.format)
        return self._settings

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = service.open_store(self.settings)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def handled(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the service's own errors into one line on stderr and exit status 1."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except IntakeError as err:
            click.echo(f"intake: {err}", err=True)
            sys.exit(1)
        except (click.exceptions.ClickException, click.exceptions.Exit, KeyboardInterrupt):
            raise
        except Exception as err:
            if os.environ.get("INTAKE_DEBUG") == "1":
                raise
            # A bug, not bad input: the type only (its text might quote message content).
            click.echo(
                f"intake: internal error ({type(err).__name__}); run again with "
                "INTAKE_DEBUG=1 to see the traceback, and report it",
                err=True,
            )
            sys.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Settings file (default: $INTAKE_CONFIG, then "
    "./config/intake.toml, then built-in defaults).",
)
@click.pass_context
def main(ctx: click.Context, config_path: Path | None) -> None:
    """Read the C-SPOC referral mailbox into a durable ledger and flag referrals that break the
    front door's rules."""
    state = Context(config_path)
    ctx.obj = state
    ctx.call_on_close(state.close)


pass_state = click.make_pass_decorator(Context)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@pass_state
@handled
def db_upgrade(state: Context) -> None:
    """Apply every pending migration."""
    from intake.store import db as store_db

    engine = store_db.make_engine(state.settings.database.url)
    try:
        before = store_db.current_revision(engine)
        store_db.upgrade(engine)
        after = store_db.current_revision(engine)
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"database already at {after}")
    else:
        click.echo(f"database upgraded from {before or 'empty'} to {after}")


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--mailbox", default=None, help="Record the messages as from this mailbox (default: import)."
)
@pass_state
@handled
def import_(state: Context, paths: tuple[Path, ...], mailbox: str | None) -> None:
    """Process .eml files, Maildir folders or mbox files as if fetched from the mailbox."""
    result = service.import_paths(state.settings, state.store, paths, mailbox)
    _print_poll(result)
    if not result.ok:
        sys.exit(1)


@main.command("poll")
@click.option("--mailbox", "names", multiple=True, help="Poll only this mailbox (repeatable).")
@pass_state
@handled
def poll_(state: Context, names: tuple[str, ...]) -> None:
    """Poll the mailboxes once now, then exit."""
    results = service.poll_mailboxes(state.settings, state.store, names)
    for result in results:
        _print_poll(result)
    if not all(r.ok for r in results):
        sys.exit(1)


def _print_poll(result: PollResult) -> None:
    click.echo(
        f"{result.mailbox}: {result.seen} seen, {result.new} new, "
        f"{result.duplicates} already in the ledger, {result.checked} checked, "
        f"{result.failed} failed ({result.seconds:.1f}s)"
    )
    for error in result.errors:
        click.echo(f"{result.mailbox}: {error}", err=True)


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, per line.")
@pass_state
@handled
def parse(state: Context, files: tuple[Path, ...], as_json: bool) -> None:
    """Classify and parse attachment files (DOCX, PDF, DOC, RTF, ODT, text) as the daemon would.

    Each file is read in a child process with the configured time and memory limits. A file
    that cannot be opened is reported as unreadable, and the exit status is then 1.
    """
    unopened = 0
    for parsed in service.parse_files(state.settings, files):
        unopened += not parsed.opened
        if as_json:
            click.echo(json.dumps(parsed.result.to_json(), ensure_ascii=False))
        else:
            _print_parsed(parsed.result)
    if unopened:
        click.echo(
            f"intake: {unopened} of {len(files)} files could not be opened; check the paths",
            err=True,
        )
        sys.exit(1)


def _print_parsed(result: ParsedAttachment) -> None:
    """A person's own file on their own terminal: the values are shown (and never logged)."""
    kind = result.kind + (f" ({result.template})" if result.template else "")
    pages = f"pages {result.pages}, " if result.pages else ""
    click.echo(
        f"{result.file}: {kind}; {pages}fields {len(result.fields)}, "
        f"children {len(result.children)}, warnings {len(result.warnings)}"
    )
    for line in service.form_lines(result):
        click.echo(f"  {line}")
    for warning in result.warnings:
        click.echo(f"  warning: {warning}")


@main.command("messages")
@click.option(
    "--status", type=click.Choice(STATUSES), default=None, help="Only messages with this status."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_state
@handled
def messages(state: Context, status: str | None, as_json: bool) -> None:
    """List the ledger: one row per message, whatever became of it."""
    entries = state.store.ledger(status)
    zone = state.settings.calendar.zone
    if as_json:
        for entry in entries:
            click.echo(json.dumps(_ledger_json(entry, zone)))
        return
    if not entries:
        click.echo("no messages" + (f" with status {status}" if status else ""))
        return
    click.echo(f"{'ID':>6}  {'STATUS':<8} {'RECEIVED':<25} SOURCE / REASON")
    for entry in entries:
        received = entry.received_at.astimezone(zone).isoformat(timespec="seconds")
        click.echo(f"{entry.id:>6}  {entry.status:<8} {received:<25} {entry.source}")
        if entry.error:
            click.echo(f"{'':>6}  {'':<8} {'':<25} {entry.error}")


def _ledger_json(entry: LedgerEntry, zone: dt.tzinfo) -> dict[str, Any]:
    return {
        "id": entry.id,
        "message_id": entry.message_id,
        "sha256": entry.sha256,
        "source": entry.source,
        "received_at": entry.received_at.astimezone(zone).isoformat(timespec="seconds"),
        "status": entry.status,
        "error": entry.error,
    }


@main.command("status")
@pass_state
@handled
def status(state: Context) -> None:
    """One screen: each mailbox's last successful poll, messages by status, open exceptions."""
    settings = state.settings
    summary = state.store.summary()
    zone = settings.calendar.zone

    def when(value: dt.datetime | None) -> str:
        return value.astimezone(zone).isoformat(timespec="seconds") if value else "never"

    click.echo("Mailboxes")
    by_box = {f.mailbox: [] for f in summary.folders}  # type: dict[str, list[Any]]
    for folder in summary.folders:
        by_box[folder.mailbox].append(folder)
    names = [box.name for box in settings.mailboxes] + [
        n for n in by_box if n not in {b.name for b in settings.mailboxes}
    ]
    if not names:
        click.echo("  none configured and nothing imported yet")
    for name in names:
        box = next((b for b in settings.mailboxes if b.name == name), None)
        label = name if box is None else f"{name} ({'enabled' if box.enabled else 'disabled'})"
        click.echo(f"  {label}")
        for folder in by_box.get(name, []):
            line = f"    {folder.folder}: last success {when(folder.last_success_at)}"
            if folder.exists is not None:
                line += f"; folder holds {folder.exists}, ledger has seen {folder.seen}"
                if folder.seen < folder.exists:
                    line += " (the rest arrive with the next poll)"
            if folder.last_error:
                line += f"; last poll {when(folder.last_poll_at)} failed: {folder.last_error}"
            click.echo(line)
        if name not in by_box:
            click.echo("    never polled")
    click.echo("Messages")
    click.echo("  " + ", ".join(f"{s} {summary.by_status[s]}" for s in STATUSES))
    click.echo(f"  raw copies kept: {summary.raw_bytes_kept / 1e6:.1f} MB compressed")
    kinds = summary.attachments_by_kind
    if kinds:
        ordered = [*(k for k in KINDS if k in kinds), *(k for k in kinds if k not in KINDS)]
        click.echo("Attachments")
        click.echo("  " + ", ".join(f"{kind} {kinds[kind]}" for kind in ordered))
    click.echo("Open exceptions")
    click.echo("  none")


@main.command("reprocess")
@click.argument("ids", nargs=-1, type=int)
@click.option("--failed", is_flag=True, help="Every failed and dead message.")
@pass_state
@handled
def reprocess(state: Context, ids: tuple[int, ...], failed: bool) -> None:
    """Run stored messages through parsing and checks again."""
    if not ids and not failed:
        raise click.UsageError("give message ids, or --failed")
    counts = service.reprocess_messages(state.settings, state.store, ids, failed=failed)
    if not counts:
        click.echo("nothing to reprocess")
        return
    click.echo("reprocessed: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    if counts.get("failed") or counts.get("dead"):
        sys.exit(1)


@main.command("run")
@pass_state
@handled
def run(state: Context) -> None:
    """The daemon: poll each enabled mailbox on its schedule; stop cleanly on SIGTERM/SIGINT."""
    from intake.scheduler import run_daemon

    run_daemon(state.settings, state.store)


@main.command("demo")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("var/demo"),
    show_default=True,
    help="Where the demo's Maildir and SQLite database go.",
)
@pass_state
@handled
def demo(state: Context, directory: Path) -> None:
    """Build a Maildir of synthetic referral emails, import it into SQLite, print a summary."""
    from intake.demo import run_demo

    click.echo(run_demo(directory, state.settings))
