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
from intake.errors import IntakeError, ReportError
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
    open_by_rule = state.store.cases.open_by_rule()
    if not open_by_rule:
        click.echo("  none")
    for rule, count in sorted(open_by_rule.items(), key=lambda item: (-item[1], item[0])):
        click.echo(f"  {rule}: {count}")
    from intake.report import status_lines

    click.echo("Daily report")
    for line in status_lines(settings, state.store):
        click.echo(line)


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


# -- phone contacts --------------------------------------------------------------------------


@main.group()
def calls() -> None:
    """Phone contacts: the call log (CSV), one call by hand, and the list."""


@calls.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Store the good rows and list the bad ones (default: a "
    "file with any bad row is refused whole).",
)
@pass_state
@handled
def calls_import(state: Context, file: Path, skip_invalid: bool) -> None:
    """Record phone contacts from a call-log CSV (columns: see the README)."""
    result = service.import_calls(state.settings, state.store, file, skip_invalid=skip_invalid)
    read = result.file
    if read.ignored_columns:
        click.echo("ignored columns (not call-log columns): " + ", ".join(read.ignored_columns))
    for problem in read.problems:
        click.echo(f"{file.name}: {problem}", err=True)
    if not result.accepted:
        bad = len({p.line for p in read.problems})
        click.echo(
            f"intake: {file.name} was not stored: {bad} invalid "
            f"{'row' if bad == 1 else 'rows'} (listed above); fix them, or use --skip-invalid "
            "to store the good rows",
            err=True,
        )
        sys.exit(1)
    for record in read.records:
        for warning in record.warnings:
            click.echo(f"{file.name}: line {record.line}: {warning}")
    click.echo(
        f"{len(result.stored)} new calls stored, {result.already} already recorded"
        + (
            f", {len({p.line for p in read.problems})} invalid rows skipped"
            if read.problems
            else ""
        )
    )


@calls.command("add")
@click.option("--called-at", required=True, help="When the call was taken (YYYY-MM-DD HH:MM).")
@click.option("--caller-name", required=True, help="The professional who phoned.")
@click.option("--caller-agency", default=None, help="Their organisation.")
@click.option("--caller-phone", default=None)
@click.option("--child-forenames", default=None, help="Required for a referral.")
@click.option("--child-surname", default=None, help="Required for a referral.")
@click.option("--child-dob", default=None, help="YYYY-MM-DD or DD/MM/YYYY.")
@click.option("--urgent", default=None, help="yes or no (required for a referral).")
@click.option(
    "--kind",
    type=click.Choice(["referral", "consultation"]),
    default="referral",
    show_default=True,
    help="consultation: advice only, never a referral.",
)
@click.option("--taken-by", default=None, help="The worker who took the call.")
@click.option("--notes", default=None)
@pass_state
@handled
def calls_add(state: Context, /, **options: str | None) -> None:
    """Record one phone contact (the call-log CSV's fields, as options)."""
    added = service.add_call(state.settings, state.store, **options)
    if added.problems:
        for problem in added.problems:
            click.echo(f"intake: {problem}", err=True)
        sys.exit(1)
    for warning in added.warnings:
        click.echo(f"warning: {warning}")
    click.echo(f"recorded call #{added.id}" if added.id else "that call is already recorded")


@calls.command("list")
@click.option("--since", default=None, help="Only calls from this DATE/DATETIME on.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_state
@handled
def calls_list(state: Context, since: str | None, as_json: bool) -> None:
    """List recorded phone contacts, oldest first."""
    settings = state.settings
    start = service.parse_when(since, settings, "--since") if since else None
    zone = settings.calendar.zone
    found = state.store.cases.calls(since=start)
    if as_json:
        for call in found:
            click.echo(
                json.dumps(
                    {
                        "id": call.id,
                        "called_at": call.called_at.astimezone(zone).isoformat(timespec="seconds"),
                        "caller_name": call.caller_name,
                        "caller_agency": call.caller_agency,
                        "child": {
                            "forenames": call.child_forenames,
                            "surname": call.child_surname,
                            "dob": call.child_dob,
                        },
                        "urgent": call.urgent,
                        "kind": call.kind,
                        "source": call.source,
                        "taken_by": call.taken_by,
                        "message_pk": call.message_pk,
                    },
                    ensure_ascii=False,
                )
            )
        return
    if not found:
        click.echo("no calls recorded")
        return
    click.echo(f"{'ID':>5}  {'CALLED AT':<16} {'KIND':<12} {'URG':<3} {'SOURCE':<6} CHILD")
    for call in found:
        child = " ".join(filter(None, (call.child_forenames, call.child_surname))) or "-"
        dob = f" ({call.child_dob})" if call.child_dob else ""
        click.echo(
            f"{call.id:>5}  {call.called_at.astimezone(zone):%Y-%m-%d %H:%M} {call.kind:<12} "
            f"{'yes' if call.urgent else 'no':<3} {call.source:<6} {child}{dob}"
        )


# -- checks and exceptions ---------------------------------------------------------------------


@main.command("check")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Judge deadlines at this DATETIME (default: now); local time unless it has an offset.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Judge all stored history and show what would be raised or resolved; change nothing.",
)
@click.option("--rule", "rules", multiple=True, help="Only this rule (repeatable; dry run only).")
@click.option("--since", default=None, help="Dry run: only history from this DATE on.")
@click.option("--list", "listing", is_flag=True, help="List the rules and exit.")
@pass_state
@handled
def check(
    state: Context,
    as_of: str | None,
    dry_run: bool,
    rules: tuple[str, ...],
    since: str | None,
    listing: bool,
) -> None:
    """Evaluate every check; deadlines judged at --as-of (default: now)."""
    from intake import checks

    if listing:
        for item in checks.REGISTRY:
            click.echo(
                f"{item.code:<26} {item.severity:<9} {item.applies_to:<4}  {item.description}"
            )
        return
    unknown = [code for code in rules if code not in checks.CODES]
    if unknown:
        raise click.UsageError(
            f"unknown rule {unknown[0]!r}; `intake check --list` shows the rules"
        )
    if (rules or since) and not dry_run:
        raise click.UsageError("--rule and --since go with --dry-run")
    settings = state.settings
    when = service.parse_when(as_of, settings, "--as-of") if as_of else None
    start = service.parse_when(since, settings, "--since") if since else None
    result = service.run_checks(
        settings, state.store, as_of=when, dry_run=dry_run, rules=rules, since=start
    )
    zone = settings.calendar.zone
    stamp = result.as_of.astimezone(zone).isoformat(timespec="minutes")
    if dry_run:
        click.echo(
            f"dry run as of {stamp}: {result.messages} messages, {result.calls} calls, "
            f"{result.cases} cases judged; nothing was changed"
        )
        for change in result.changes:
            child = " ".join(filter(None, (change.child_forenames, change.child_surname)))
            click.echo(
                f"  would {_VERB.get(change.action, change.action):<22} {change.rule:<24} "
                f"{change.anchor:<14} {child or '-'}: {change.detail}"
            )
        if not result.changes:
            click.echo("  nothing would change")
        return
    raised = result.count("raised")
    late = result.count("raised-late")
    click.echo(
        f"checked as of {stamp}: {result.messages} messages, {result.calls} calls, "
        f"{result.cases} cases; raised {raised + late} ({late} already resolved, late), "
        f"auto-resolved {result.count('auto_resolved')}, {result.pending} waiting on a deadline"
    )
    if result.next_due:
        click.echo(
            f"next deadline: {result.next_due.astimezone(zone).isoformat(timespec='minutes')}"
        )


_VERB = {
    "raised": "raise",
    "raised-late": "raise (resolved, late)",
    "auto_resolved": "auto-resolve",
    "relinked": "re-link",
}


@main.group("exceptions", invoke_without_command=True)
@click.option(
    "--status",
    type=click.Choice(["open", "all", "resolved", "auto_resolved"]),
    default="open",
    show_default=True,
)
@click.option("--rule", default=None, help="Only this rule.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
@handled
def exceptions(ctx: click.Context, status: str, rule: str | None, as_json: bool) -> None:
    """List exceptions (`intake exceptions resolve ID --note ...` closes one)."""
    if ctx.invoked_subcommand is not None:
        return
    state = ctx.find_object(Context)
    assert state is not None
    found = state.store.cases.exceptions(status=None if status == "all" else status, rule=rule)
    zone = state.settings.calendar.zone
    if as_json:
        for record in found:
            click.echo(json.dumps(service.exception_json(record, zone), ensure_ascii=False))
        return
    if not found:
        click.echo("no exceptions" + ("" if status == "all" else f" {status}"))
        return
    click.echo(f"{'ID':>5}  {'RULE':<24} {'SEVERITY':<9} {'STATUS':<13} {'RAISED':<16} CHILD")
    for record in found:
        child = " ".join(filter(None, (record.child_forenames, record.child_surname))) or "-"
        if record.child_dob:
            child += f" ({record.child_dob})"
        status_text = record.status + (" late" if record.late else "")
        click.echo(
            f"{record.id:>5}  {record.rule:<24} {record.severity:<9} {status_text:<13} "
            f"{record.raised_at.astimezone(zone):%Y-%m-%d %H:%M} {child}"
        )
        click.echo(f"{'':>5}  {record.detail}")


@exceptions.command("show")
@click.argument("ident", type=int)
@pass_state
@handled
def exceptions_show(state: Context, ident: int) -> None:
    """One exception with its timeline."""
    found = state.store.cases.exceptions(ids=[ident])
    if not found:
        from intake.errors import ExceptionNotFound

        raise ExceptionNotFound(str(ident))
    record = found[0]
    zone = state.settings.calendar.zone
    for key, value in service.exception_json(record, zone).items():
        if key == "child" and isinstance(value, dict):
            value = " ".join(str(v) for v in value.values() if v)
        click.echo(f"{key:<12} {value if value is not None else '-'}")
    click.echo("timeline")
    for event in state.store.cases.events(ident):
        note = f": {event.note}" if event.note else ""
        click.echo(
            f"  {event.at.astimezone(zone):%Y-%m-%d %H:%M} {event.action} by {event.actor}{note}"
        )


@exceptions.command("resolve")
@click.argument("ident", type=int)
@click.option("--note", required=True, help="What was done (required).")
@pass_state
@handled
def exceptions_resolve(state: Context, ident: int, note: str) -> None:
    """Close an exception by hand, with a note saying what was done."""
    _set_status(state, ident, "resolved", note)


@exceptions.command("reopen")
@click.argument("ident", type=int)
@click.option("--note", required=True, help="Why it is reopened (required).")
@pass_state
@handled
def exceptions_reopen(state: Context, ident: int, note: str) -> None:
    """Reopen a resolved exception, with a note."""
    _set_status(state, ident, "open", note)


def _set_status(state: Context, ident: int, status: str, note: str) -> None:
    if not note.strip():
        raise click.UsageError("--note must say what was done")
    record = state.store.cases.set_status(ident, status, note=note.strip(), actor=service.actor())
    click.echo(f"exception #{record.id} is now {record.status}")


# -- the daily exceptions report -------------------------------------------------------------


def _report_day(ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD") from err


@main.command("report")
@click.option(
    "--date",
    "day",
    default=None,
    callback=_report_day,
    help="The report's day, YYYY-MM-DD (default: today in calendar.timezone).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where report-DATE.html/.csv/.txt go (default: report.out_dir, ./out).",
)
@click.option("--send", is_flag=True, help="Email it to report.recipients and record it as sent.")
@click.option(
    "--force",
    is_flag=True,
    help="With --send: send again a day already sent (or left in doubt by a crash).",
)
@pass_state
@handled
def report_(
    state: Context, day: dt.date | None, out_dir: Path | None, send: bool, force: bool
) -> None:
    """Build the daily exceptions report for a day; write HTML, CSV and text; --send emails it."""
    from intake import report as report_module

    if force and not send:
        raise click.UsageError("--force goes with --send")
    settings = state.settings
    day = day or dt.datetime.now(settings.calendar.zone).date()
    if not send:
        built, _, paths = report_module.build_and_write(settings, state.store, day, out_dir)
        for path in paths:
            click.echo(str(path))
        click.echo(f"report {day}: {len(built.rows)} rows (not sent; --send emails it)")
        return
    if not settings.report.recipients:
        # The daemon records such a day as done (files only); a person asking to send means it.
        raise ReportError(
            str(day),
            "not sent: report.recipients is empty; set [report] recipients, sender and [smtp] "
            "in the configuration, or leave out --send to only write the files",
        )
    outcome = report_module.send_report(settings, state.store, day, force=force, out_dir=out_dir)
    for path in outcome.paths:
        click.echo(str(path))
    late = " (late)" if outcome.late else ""
    if outcome.status == "sent":
        click.echo(f"report {day}: sent to {outcome.recipients} recipients{late}")
    else:
        click.echo(f"report {day}: recorded; not emailed because report.recipients is empty{late}")


# -- mailbox rules ----------------------------------------------------------------------------

_IF_HELP = (
    'A condition, "FIELD OP VALUE" (repeatable; all must hold), e.g. --if "subject contains '
    'out of office", --if "not folder equals Junk". Fields and operators: folder equals|glob, '
    "from|to|subject|body contains|regex, sender_domain equals, attachment_name glob, "
    "attachment_kind is."
)


def _rule_condition(text: str) -> Any:
    from intake.mailrules import Condition

    rest = text.strip()
    negate = False
    if rest.split(None, 1)[:1] == ["not"]:
        negate, rest = True, rest[3:].strip()
    words = rest.split(None, 2)
    if len(words) < 3:
        raise click.BadParameter(
            f'{text!r}: write FIELD OP VALUE, e.g. "subject contains out of office"',
            param_hint="--if",
        )
    return Condition(words[0], words[1], words[2].strip(), negate)


def _rule_options(func: Callable[P, R]) -> Callable[P, R]:
    """The options `rules add`, `edit` and `test` share (all optional here)."""
    options = [
        click.option(
            "--if", "conditions", multiple=True, metavar="'FIELD OP VALUE'", help=_IF_HELP
        ),
        click.option(
            "--match-all/--no-match-all",
            "match_all",
            default=None,
            help="A rule with no --if must say it deliberately matches every message.",
        ),
        click.option(
            "--action",
            default=None,
            type=click.Choice(["referral", "call", "ignore"]),
            help="referral (the default for unmatched mail), call (the body records a phone "
            "contact) or ignore (kept, raises nothing).",
        ),
        click.option(
            "--post-action",
            default=None,
            metavar="none|flag|keyword:NAME|move:FOLDER",
            help="The mailbox change after the message is safely stored (replaces the "
            "mailbox's default for the messages it matches).",
        ),
        click.option(
            "--continue/--stop",
            "go_on",
            default=None,
            help="--continue: later rules are still evaluated (for their post-actions) when "
            "this one matches; --stop (the default): they are not.",
        ),
        click.option("--enabled/--disabled", "enabled", default=None, help="Default: enabled."),
        click.option("--position", type=click.IntRange(min=1), default=None, help="1 = first."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


_NO_SERVER_CHECK = click.option(
    "--no-server-check",
    is_flag=True,
    help="Do not check folder names against the mailbox server's folders.",
)


def _rule_from(base: Any, name: str, **given: Any) -> Any:
    import dataclasses

    changes: dict[str, Any] = {"name": name}
    if given.get("conditions"):
        changes["conditions"] = tuple(_rule_condition(text) for text in given["conditions"])
    for option, field in (
        ("match_all", "match_all"),
        ("action", "action"),
        ("post_action", "post_action"),
        ("enabled", "enabled"),
    ):
        if given.get(option) is not None:
            changes[field] = given[option]
    if given.get("go_on") is not None:
        changes["stop"] = not given["go_on"]
    return dataclasses.replace(base, **changes)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


@main.group("rules")
def rules_() -> None:
    """Mailbox rules: what to make of each kind of email (see the README, "Mailbox rules").

    Enabled rules are evaluated in order for every new message; the first that matches decides
    the action; its post-action changes the mailbox after the message is safely stored.
    """


@rules_.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per rule, per line.")
@pass_state
@handled
def rules_list(state: Context, as_json: bool) -> None:
    """The rules in evaluation order."""
    found = state.store.rules.all()
    if as_json:
        for rule in found:
            click.echo(
                json.dumps({"position": rule.position, **rule.to_dict()}, ensure_ascii=False)
            )
        return
    if not found:
        click.echo("no mailbox rules: every message is processed as a referral")
        return
    click.echo(
        f"{'POS':>3}  {'NAME':<24} {'ON':<3} {'ACTION':<8} {'POST-ACTION':<20} {'STOP':<8} IF"
    )
    for rule in found:
        click.echo(
            f"{rule.position:>3}  {rule.name:<24} {'yes' if rule.enabled else 'no':<3} "
            f"{rule.action:<8} {rule.post_action:<20} {'stop' if rule.stop else 'continue':<8} "
            f"{rule.summary()}"
        )


@rules_.command("add")
@click.argument("name")
@_rule_options
@_NO_SERVER_CHECK
@pass_state
@handled
def rules_add(state: Context, /, name: str, no_server_check: bool, **given: Any) -> None:
    """Add a rule (last, or at --position). Conditions: --if 'FIELD OP VALUE' (repeatable)."""
    from intake import ruleadmin
    from intake.mailrules import Rule

    if given.get("action") is None:
        raise click.UsageError("give --action referral|call|ignore")
    rule = _rule_from(Rule(name), name, **given)
    saved, warnings = ruleadmin.add(
        state.store,
        state.settings,
        rule,
        position=given.get("position"),
        server_check=not no_server_check,
    )
    _warn(warnings)
    click.echo(f"added rule {saved.name!r} at position {saved.position}")


@rules_.command("edit")
@click.argument("name")
@_rule_options
@click.option("--rename", default=None, help="A new name for the rule.")
@_NO_SERVER_CHECK
@pass_state
@handled
def rules_edit(
    state: Context, /, name: str, rename: str | None, no_server_check: bool, **given: Any
) -> None:
    """Change a rule: only the options given change (--if replaces all its conditions)."""
    from intake import ruleadmin

    current = state.store.rules.get(name)
    rule = _rule_from(current, rename or name, **given)
    saved, warnings = ruleadmin.edit(
        state.store,
        state.settings,
        name,
        rule,
        position=given.get("position"),
        server_check=not no_server_check,
    )
    _warn(warnings)
    click.echo(f"rule {saved.name!r} saved (position {saved.position})")


@rules_.command("remove")
@click.argument("name")
@pass_state
@handled
def rules_remove(state: Context, name: str) -> None:
    """Delete a rule (the audit log keeps what it was)."""
    state.store.rules.remove(name, actor=service.actor())
    click.echo(f"removed rule {name!r}")


def _switch(state: Context, name: str, enabled: bool) -> None:
    import dataclasses

    current = state.store.rules.get(name)
    action = "enable" if enabled else "disable"
    state.store.rules.update(
        name, dataclasses.replace(current, enabled=enabled), actor=service.actor(), action=action
    )
    click.echo(f"rule {name!r} {action}d")


@rules_.command("enable")
@click.argument("name")
@pass_state
@handled
def rules_enable(state: Context, name: str) -> None:
    """Turn a rule on (from the next poll)."""
    _switch(state, name, True)


@rules_.command("disable")
@click.argument("name")
@pass_state
@handled
def rules_disable(state: Context, name: str) -> None:
    """Turn a rule off without deleting it."""
    _switch(state, name, False)


@rules_.command("move")
@click.argument("name")
@click.option("--to", "to", type=click.IntRange(min=1), default=None, help="New position.")
@click.option("--before", default=None, help="Put it just before this rule.")
@click.option("--after", default=None, help="Put it just after this rule.")
@pass_state
@handled
def rules_move(
    state: Context, name: str, to: int | None, before: str | None, after: str | None
) -> None:
    """Change a rule's place in the order."""
    if sum(option is not None for option in (to, before, after)) != 1:
        raise click.UsageError("give one of --to POSITION, --before NAME or --after NAME")
    current = state.store.rules.get(name)
    if to is None:
        other = state.store.rules.get(before or after or "")
        to = other.position + (after is not None)
        if other.position > current.position:
            to -= 1  # the rule leaves its old place first
    saved = state.store.rules.update(
        name, current, actor=service.actor(), action="move", position=to
    )
    click.echo(f"rule {saved.name!r} is now at position {saved.position}")


@rules_.command("export")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@pass_state
@handled
def rules_export(state: Context, file: Path | None) -> None:
    """Write the rules as YAML (to FILE, or standard output)."""
    from intake.mailrules import yamlio

    text = yamlio.dump(state.store.rules.all())
    if file is None:
        click.echo(text, nl=False)
        return
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as err:
        from intake.errors import ConfigError

        raise ConfigError(
            "rules export", f"{file} cannot be written ({err.strerror})", "check the path"
        ) from err
    click.echo(f"wrote {len(state.store.rules.all())} rules to {file}")


@rules_.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--replace",
    "mode",
    flag_value="replace",
    help="The rules become exactly the file's (rules not in it are removed).",
)
@click.option(
    "--merge",
    "mode",
    flag_value="merge",
    default=True,
    help="Add and update the file's rules; keep the others (the default).",
)
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change.")
@_NO_SERVER_CHECK
@pass_state
@handled
def rules_import(
    state: Context, file: Path, mode: str, dry_run: bool, no_server_check: bool
) -> None:
    """Import rules from YAML: every rule is checked first; one bad rule refuses the file."""
    from intake import ruleadmin

    outcome, warnings = ruleadmin.import_file(
        state.store,
        state.settings,
        file,
        merge=mode != "replace",
        dry_run=dry_run,
        server_check=not no_server_check,
    )
    _warn(warnings)
    verb = "would be" if dry_run else "were"
    for label, names in (
        ("added", outcome.added),
        ("changed", outcome.changed),
        ("removed", outcome.removed),
    ):
        if names:
            click.echo(f"{label}: {', '.join(names)}")
    click.echo(
        f"{len(outcome.added)} {verb} added, {len(outcome.changed)} changed, "
        f"{len(outcome.removed)} removed, {len(outcome.unchanged)} unchanged"
        + ("; nothing was changed (dry run)" if dry_run else "")
    )


@rules_.command("test")
@click.argument("target", required=False, metavar="[NAME_OR_FILE]")
@_rule_options
@click.option(
    "--last", type=click.IntRange(min=1, max=10_000), default=50, show_default=True,
    help="How many of the newest stored messages to try.",
)  # fmt: skip
@click.option("--show", is_flag=True, help="Also print each matching message's sender and subject.")
@click.option("--all", "show_all", is_flag=True, help="List the messages that do not match too.")
@pass_state
@handled
def rules_test(
    state: Context,
    /,
    target: str | None,
    last: int,
    show: bool,
    show_all: bool,
    **given: Any,
) -> None:
    """Which of the last N stored messages a rule would match, and what it would do; changes
    nothing. NAME_OR_FILE: a stored rule (options given try an edit of it), a YAML file of rules,
    or nothing with --if options (a rule not yet saved)."""
    from intake import ruleadmin
    from intake.errors import RuleInvalid
    from intake.mailrules import Rule, validate

    if target is not None and Path(target).is_file():
        rules, _ = ruleadmin.load_file(Path(target), state.settings, server_check=False)
    elif target is not None:
        rules = [_rule_from(state.store.rules.get(target), target, **given)]
    elif given.get("conditions") or given.get("match_all"):
        rules = [_rule_from(Rule("(unsaved)"), "(unsaved)", **given)]
    else:
        raise click.UsageError("give a rule name, a YAML file, or --if conditions to try")
    for rule in rules:
        problems = validate.problems(rule)
        if problems:
            raise RuleInvalid(rule.name, problems)
    zone = state.settings.calendar.zone
    results = ruleadmin.try_rules(state.store, rules, last)
    for rule in rules:
        tried = results[rule.name]
        matched = [t for t in tried if t.verdict is True]
        unknown = [t for t in tried if t.verdict is None]
        post = rule.post_action if rule.post_action != "none" else "the mailbox's default"
        click.echo(
            f"rule {rule.name!r}: {'enabled' if rule.enabled else 'disabled'}, if "
            f"{rule.summary()} -> {rule.action}, post-action {post}, "
            f"{'stop' if rule.stop else 'continue'}"
        )
        click.echo(
            f"  of the last {len(tried)} stored messages: {len(matched)} would match, "
            f"{len(unknown)} unknown (body no longer stored), "
            f"{len(tried) - len(matched) - len(unknown)} would not"
        )
        for item in tried:
            if item.verdict is False and not show_all:
                continue
            message = item.message
            received = message.received_at.astimezone(zone).isoformat(timespec="minutes")
            outcome = {True: "match", False: "no", None: "unknown"}[item.verdict]
            marks = (
                ", ".join(
                    f"{c.describe()}: {({True: 'yes', False: 'no', None: '?'})[r]}"
                    for c, r in item.conditions
                )
                or "match_all"
            )
            click.echo(f"  #{message.id:<6} {received}  {outcome:<7} {marks}")
            if item.verdict is not False:
                does = f"would {rule.action}" + (
                    f", then {rule.post_action}" if rule.post_action != "none" else ""
                )
                if item.first_match and item.first_match != rule.name:
                    does += f" (but rule {item.first_match!r}, earlier, matches first)"
                if not item.body_known:
                    does += "; body and To/Cc no longer stored (raw copy expired)"
                click.echo(f"  {'':<7} {does}")
            if show and item.verdict is not False:
                click.echo(f"  {'':<7} from {message.sender or '-'}: {message.subject or '-'}")
    click.echo("nothing was changed")


@rules_.command("audit")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entry, per line.")
@pass_state
@handled
def rules_audit(state: Context, limit: int, as_json: bool) -> None:
    """Who changed which rule, when, and how (newest first)."""
    from intake.store.rules import ENTITY

    entries = state.store.audit_log(ENTITY, limit=limit)
    zone = state.settings.calendar.zone
    if as_json:
        for entry in entries:
            click.echo(
                json.dumps(
                    {
                        "at": entry.at.astimezone(zone).isoformat(timespec="seconds"),
                        "actor": entry.actor,
                        "entity": entry.entity,
                        "key": entry.key,
                        "action": entry.action,
                        "before": entry.before,
                        "after": entry.after,
                    },
                    ensure_ascii=False,
                )
            )
        return
    if not entries:
        click.echo("no changes to mailbox rules recorded")
        return
    for entry in entries:
        click.echo(
            f"{entry.at.astimezone(zone).isoformat(timespec='seconds')}  {entry.actor:<16} "
            f"{entry.action:<8} {entry.key}"
        )
        before, after = entry.before or {}, entry.after or {}
        for key in dict.fromkeys([*before, *after]):
            if before.get(key) != after.get(key):
                click.echo(
                    f"    {key}: {json.dumps(before.get(key), ensure_ascii=False)} -> "
                    f"{json.dumps(after.get(key), ensure_ascii=False)}"
                )


# -- the web interface ----------------------------------------------------------------------------


@main.command("web")
@click.option("--host", default=None, help="Address to listen on (default: web.host, 127.0.0.1).")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Port to listen on (default: web.port, 8080).",
)
@pass_state
@handled
def web(state: Context, host: str | None, port: int | None) -> None:
    """Serve the web interface (same database and settings as the daemon)."""
    import uvicorn

    from intake.config import is_loopback
    from intake.errors import ConfigError
    from intake.web.app import create_app

    settings = state.settings
    host = host or settings.web.host
    port = port or settings.web.port
    if not settings.web.cookie_secure and not is_loopback(host):
        raise ConfigError(
            "web.cookie_secure",
            f"is false, but --host {host} is not this machine",
            "serve HTTPS in front of it and set cookie_secure = true, or listen on 127.0.0.1",
        )
    app = create_app(settings, state.store)
    if not state.store.users.count_enabled_admins():
        log.warning(
            "no enabled admin account: create one with `intake users add NAME --role admin`"
        )
    log.info("web interface listening", extra={"host": host, "port": port})
    click.echo(f"intake web: serving on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        # Requests are logged by the app itself (path only, no query string).
        access_log=False,
        log_config=None,
        server_header=False,
    )


@main.group("users")
def users() -> None:
    """Web interface accounts (roles: admin, team, viewer)."""


def _user_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from intake.web.accounts import name_problem

    problem = name_problem(value)
    if problem is not None:
        raise click.BadParameter(problem)
    return value


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _read_password(name: str) -> str:
    """From a prompt (typed twice), or from $INTAKE_PASSWORD when stdin is not a terminal."""
    from intake.errors import AccountError
    from intake.web.accounts import password_problem

    if _stdin_is_terminal():
        password: str = click.prompt(
            f"Password for {name}",
            hide_input=True,
            confirmation_prompt="Type it again",
        )
    else:
        password = os.environ.get("INTAKE_PASSWORD", "")
        if not password:
            raise AccountError(
                "password",
                "no terminal to ask for it; set INTAKE_PASSWORD, or run this in a terminal",
            )
    problem = password_problem(name, password)
    if problem is not None:
        raise AccountError("password", problem)
    return password


@users.command("add")
@click.argument("name", callback=_user_name)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "team", "viewer"]),
    help="What they may do.",
)
@pass_state
@handled
def users_add(state: Context, name: str, role: str) -> None:
    """Create an account; the password is asked for (or read from $INTAKE_PASSWORD)."""
    from intake.web import accounts

    if state.store.users.get(name) is not None:
        from intake.errors import AccountError

        raise AccountError("name", f"{name!r} exists already; use `intake users passwd {name}`")
    password = _read_password(name)
    accounts.add_user(state.store, name=name, role=role, password=password, actor=service.actor())
    click.echo(f"added {name} ({role})")


@users.command("passwd")
@click.argument("name", callback=_user_name)
@pass_state
@handled
def users_passwd(state: Context, name: str) -> None:
    """Set a new password (ends the user's sessions)."""
    from intake.web import accounts

    accounts.find(state.store, name)
    password = _read_password(name)
    accounts.set_password(state.store, name=name, password=password, actor=service.actor())
    click.echo(f"password changed for {name}")


@users.command("disable")
@click.argument("name", callback=_user_name)
@pass_state
@handled
def users_disable(state: Context, name: str) -> None:
    """Stop an account signing in (ends its sessions at once)."""
    from intake.web import accounts

    accounts.set_disabled(state.store, name=name, disabled=True, actor=service.actor())
    click.echo(f"disabled {name}")


@users.command("enable")
@click.argument("name", callback=_user_name)
@pass_state
@handled
def users_enable(state: Context, name: str) -> None:
    """Let a disabled account sign in again."""
    from intake.web import accounts

    accounts.set_disabled(state.store, name=name, disabled=False, actor=service.actor())
    click.echo(f"enabled {name}")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_state
@handled
def users_list(state: Context, as_json: bool) -> None:
    """Every account: name, role, enabled or disabled, last sign-in."""
    zone = state.settings.calendar.zone

    def when(value: dt.datetime | None) -> str | None:
        return value.astimezone(zone).isoformat(timespec="seconds") if value else None

    accounts = state.store.users.list()
    if as_json:
        for user in accounts:
            click.echo(
                json.dumps(
                    {
                        "name": user.name,
                        "role": user.role,
                        "disabled": user.disabled,
                        "created_at": when(user.created_at),
                        "last_login_at": when(user.last_login_at),
                    }
                )
            )
        return
    if not accounts:
        click.echo("no users yet; create the first with `intake users add NAME --role admin`")
        return
    for user in accounts:
        state_text = "disabled" if user.disabled else "enabled"
        click.echo(
            f"{user.name:<24} {user.role:<7} {state_text:<9} "
            f"last sign-in {when(user.last_login_at) or 'never'}"
        )
