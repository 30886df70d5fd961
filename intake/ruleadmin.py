"""`intake rules`: the bodies of the mailbox-rule commands (the CLI only parses and prints).

Every change is validated first (:mod:`intake.mailrules.validate`), including, when the
configured IMAP mailbox can be reached, the folder names against the server's folders; then it is
stored with its audit entry in one transaction (:mod:`intake.store.rules`). ``try_rules`` runs
rules over stored mail and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from intake import service
from intake.config import Settings
from intake.errors import ConfigError, IntakeError, RuleInvalid, RulesFileInvalid
from intake.mailrules import validate, yamlio
from intake.mailrules.evaluate import CompiledRule, Facts, View, compile_rule
from intake.mailrules.model import BODY_LIMIT, TEXT_LIMIT, Condition, Rule
from intake.messages import parse_message
from intake.sources.imap import ImapSource
from intake.store.ledger import Store
from intake.store.rules import ImportOutcome, RecentMessage

log = logging.getLogger("intake.ruleadmin")


@dataclass(frozen=True)
class ServerFolders:
    """The folders the configured IMAP mailboxes have; None (with a warning) when unknown."""

    folders: frozenset[str] | None
    warning: str | None = None


def needs_server(rules: Sequence[Rule]) -> bool:
    """Whether any rule names a folder (a folder condition or a move target)."""
    return any(
        rule.post_action.startswith("move:") or any(c.field == "folder" for c in rule.conditions)
        for rule in rules
    )


def server_folders(settings: Settings) -> ServerFolders:
    """Every folder of every enabled IMAP mailbox (a rule applies to all of them)."""
    boxes = [box for box in settings.mailboxes if box.enabled]
    if not boxes:
        return ServerFolders(
            None, "no IMAP mailbox is configured, so folder names were not checked"
        )
    found: set[str] = set()
    for box in boxes:
        try:
            source = service.imap_source(settings, box)
            assert isinstance(source, ImapSource)
            with source:
                found.update(source.list_folders())
        except IntakeError as err:
            return ServerFolders(
                None,
                f"could not list the folders of mailbox {box.name} ({err}), so folder names "
                "were not checked; check them by hand",
            )
    return ServerFolders(frozenset(found))


def check(rule: Rule, settings: Settings, *, server_check: bool) -> list[str]:
    """Raise RuleInvalid listing every problem with ``rule``; return the warnings."""
    problems = validate.problems(rule)
    warnings = validate.warnings(rule)
    if not problems and server_check and needs_server([rule]):
        server = server_folders(settings)
        if server.folders is None:
            warnings.append(server.warning or "folder names were not checked")
        else:
            problems += validate.folder_problems(rule, server.folders)
    if problems:
        raise RuleInvalid(rule.name, problems)
    return warnings


def add(
    store: Store,
    settings: Settings,
    rule: Rule,
    *,
    position: int | None,
    server_check: bool,
) -> tuple[Rule, list[str]]:
    warnings = check(rule, settings, server_check=server_check)
    return store.rules.add(rule, actor=service.actor(), position=position), warnings


def edit(
    store: Store,
    settings: Settings,
    name: str,
    rule: Rule,
    *,
    position: int | None,
    server_check: bool,
    action: str = "edit",
) -> tuple[Rule, list[str]]:
    warnings = check(rule, settings, server_check=server_check)
    saved = store.rules.update(name, rule, actor=service.actor(), action=action, position=position)
    return saved, warnings


def read_file(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(yamlio.MAX_FILE_BYTES + 1)
    except OSError as err:
        raise ConfigError(
            "rules import", f"{path} cannot be read ({err.strerror})", "check the path"
        ) from err
    if len(data) > yamlio.MAX_FILE_BYTES:
        raise RulesFileInvalid(str(path), ["the file is over 1 MB; is it the right file?"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RulesFileInvalid(
            str(path), ["the file is not UTF-8 text; save it as UTF-8"]
        ) from None


def load_file(
    path: Path, settings: Settings, *, server_check: bool
) -> tuple[list[Rule], list[str]]:
    """Every rule of a YAML file, all validated (server folders too, when reachable): raises
    RulesFileInvalid listing every problem, with each rule's number and name."""
    rules = yamlio.load(read_file(path), str(path))
    warnings = [
        f"rule {index} ({rule.name!r}): {warning}"
        for index, rule in enumerate(rules, start=1)
        for warning in validate.warnings(rule)
    ]
    if server_check and needs_server(rules):
        server = server_folders(settings)
        if server.folders is None:
            warnings.append(server.warning or "folder names were not checked")
        else:
            problems = [
                f"rule {index} ({rule.name!r}): {problem}"
                for index, rule in enumerate(rules, start=1)
                for problem in validate.folder_problems(rule, server.folders)
            ]
            if problems:
                raise RulesFileInvalid(str(path), problems)
    return rules, warnings


def import_file(
    store: Store,
    settings: Settings,
    path: Path,
    *,
    merge: bool,
    dry_run: bool,
    server_check: bool,
) -> tuple[ImportOutcome, list[str]]:
    rules, warnings = load_file(path, settings, server_check=server_check)
    outcome = store.rules.replace_all(rules, actor=service.actor(), merge=merge, dry_run=dry_run)
    if not dry_run:
        log.info(
            "mailbox rules imported",
            extra={
                "added": len(outcome.added),
                "changed": len(outcome.changed),
                "removed": len(outcome.removed),
            },
        )
    return outcome, warnings


# -- trying rules on stored mail ---------------------------------------------------------------


@dataclass(frozen=True)
class Tried:
    """What one rule makes of one stored message (for `intake rules test`)."""

    message: RecentMessage
    #: True: it matches; False: it does not; None: it depends on what is no longer stored.
    verdict: bool | None
    conditions: tuple[tuple[Condition, bool | None], ...]
    #: An enabled rule before it that matches the message first (and so decides its action).
    first_match: str | None
    #: False when the raw copy has expired: body and To/Cc conditions are unknown.
    body_known: bool


def facts_of(message: RecentMessage) -> Facts:
    """What rules look at in a stored message: re-read from its raw copy when it still exists."""
    names = message.attachment_names
    if message.raw is not None:
        parsed = parse_message(message.raw)
        return Facts(
            folder=message.folder,
            sender=(parsed.from_ or message.sender)[:TEXT_LIMIT],
            subject=(parsed.subject or message.subject)[:TEXT_LIMIT],
            recipients=tuple(a[:TEXT_LIMIT] for a in (*parsed.to, *parsed.cc)),
            body=parsed.text[:BODY_LIMIT],
            attachment_names=names or tuple(a.filename for a in parsed.attachments),
            attachment_kinds=message.attachment_kinds,
        )
    return Facts(
        folder=message.folder,
        sender=message.sender,
        subject=message.subject,
        recipients=None,
        body=None,
        attachment_names=names,
        attachment_kinds=message.attachment_kinds,
    )


def try_rules(store: Store, rules: Sequence[Rule], last: int) -> dict[str, list[Tried]]:
    """Each rule run over the last ``last`` stored messages, newest first; changes nothing.

    A stored rule is compared with the enabled rules before it; a rule not yet stored, with
    every enabled rule (it would be added after them).
    """
    compiled = [compile_rule(rule) for rule in rules]
    saved = [compile_rule(rule) for rule in store.rules.enabled()]
    messages = store.rules.recent(last)
    results: dict[str, list[Tried]] = {rule.name: [] for rule in rules}
    for message in messages:
        view = View(facts_of(message))
        for rule in compiled:
            earlier = _earlier(rule, saved)
            first = next((r.name for r in earlier if r.check(view) is True), None)
            results[rule.name].append(
                Tried(
                    message,
                    rule.check(view),
                    rule.explain(view),
                    first,
                    body_known=message.raw is not None,
                )
            )
    return results


def _earlier(rule: CompiledRule, saved: Sequence[CompiledRule]) -> list[CompiledRule]:
    stored = next((r for r in saved if r.name == rule.name), None)
    if stored is None:
        return [r for r in saved if rule.rule.position == 0 or r.rule.position < rule.rule.position]
    return [r for r in saved if r.rule.position < stored.rule.position]
