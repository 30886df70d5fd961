"""Checking a mailbox rule before it is saved: every problem, each saying what to do about it.

:func:`problems` checks the rule on its own; :func:`folder_problems` checks its folder
conditions and move target against the folders the mailbox server has; :func:`warnings` lists
what is allowed but probably unwise (a regular expression that may backtrack badly).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Collection

from intake.mailrules.evaluate import kinds
from intake.mailrules.model import ACTIONS, ATTACHMENT_KINDS, FIELDS, Condition, Rule

#: The longest rule name (the database column).
MAX_NAME = 200
#: The longest condition value.
MAX_VALUE = 1000
#: An IMAP flag-keyword is an atom (RFC 3501): no space, control character or one of ( ) { % *
#: " \\ ], and it must not start with "\\" (those are system flags).
_KEYWORD = re.compile(r"^[!#$&'+,\-./0-9:;<=>?@A-Z^_`a-z|~]{1,60}$")
#: A group holding a repetition, itself repeated: ``(a+)+``, ``(\w*\s?)*``. Such a pattern can
#: take exponential time on text that almost matches.
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]")
_FIELD_LIST = ", ".join(FIELDS)
_KIND_LIST = ", ".join(ATTACHMENT_KINDS)
_SHOWN_FOLDERS = 12


def problems(rule: Rule) -> list[str]:
    """Everything that stops ``rule`` being saved; empty when it is fine."""
    found: list[str] = []
    found += _name_problems(rule.name)
    if not rule.conditions and not rule.match_all:
        found.append(
            "it has no conditions, so it would match every message; add a condition "
            "(--if FIELD OP VALUE), or say match_all: true (--match-all) if every message is meant"
        )
    if rule.conditions and rule.match_all:
        found.append(
            "match_all is only for a rule with no conditions; remove match_all (--no-match-all) "
            "or the conditions"
        )
    for index, condition in enumerate(rule.conditions, start=1):
        found += [f"condition {index}: {p}" for p in condition_problems(condition)]
    if rule.action not in ACTIONS:
        found.append(f"unknown action {rule.action!r}; use one of {', '.join(ACTIONS)}")
    found += post_action_problems(rule.post_action)
    return found


def condition_problems(condition: Condition) -> list[str]:
    field, op, value = condition.field, condition.op, condition.value
    if field not in FIELDS:
        return [f"unknown field {field!r}; use one of {_FIELD_LIST}"]
    ops = FIELDS[field]
    if op not in ops:
        return [f"{field} has no operator {op!r}; {field} takes {' or '.join(ops)}"]
    if not value.strip():
        return [f"{field} {op}: the value is empty; give the text to look for"]
    if len(value) > MAX_VALUE:
        return [f"{field} {op}: the value is over {MAX_VALUE} characters; shorten it"]
    if op == "regex":
        try:
            re.compile(value, re.IGNORECASE)
        except re.error as err:
            where = f" at position {err.pos}" if err.pos is not None else ""
            return [
                f"{field} regex: the pattern does not compile: {err.msg}{where}; fix the "
                "pattern (escape ( ) [ ] . * + ? with a backslash to match them literally), or "
                "use contains for plain text"
            ]
    if field == "attachment_kind":
        unknown = [kind for kind in kinds(value) if kind not in ATTACHMENT_KINDS]
        if unknown or not kinds(value):
            return [
                f"attachment_kind: unknown kind {', '.join(map(repr, unknown)) or repr(value)}; "
                f"use one of {_KIND_LIST} (several separated by commas)"
            ]
    if field == "sender_domain":
        domain = value.strip().lstrip("@")
        if "@" in domain or not re.fullmatch(r"[A-Za-z0-9.-]+", domain) or "." not in domain:
            return [
                f"sender_domain: {value!r} is not a domain; give the domain only, e.g. "
                "school.example.sch.uk (it also matches its subdomains)"
            ]
    if field == "folder" and ("\n" in value or "\r" in value):
        return ["folder: a folder name cannot hold a line break; remove it"]
    return []


def post_action_problems(text: str) -> list[str]:
    kind, colon, argument = text.partition(":")
    if kind in ("none", "flag"):
        if colon:
            return [f"post-action {kind} takes no argument; write just {kind}"]
        return []
    if kind == "keyword":
        if not argument:
            return ["post-action keyword needs a name: keyword:NAME, e.g. keyword:Intake-Call"]
        if argument.startswith("\\") or not _KEYWORD.match(argument):
            return [
                f"keyword {argument!r} is not a valid IMAP keyword (no spaces, control "
                'characters, ( ) { } % * " \\ ] or a leading \\, at most 60 characters); use '
                "letters, digits, - _ and . only, e.g. keyword:Intake-Call"
            ]
        return []
    if kind == "move":
        if not argument.strip():
            return [
                "post-action move needs a target folder: move:FOLDER, e.g. move:Processed "
                "(for a subfolder use the server's separator, e.g. move:INBOX/Processed)"
            ]
        if "\n" in argument or "\r" in argument:
            return ["post-action move: a folder name cannot hold a line break; remove it"]
        return []
    return [f"unknown post-action {text!r}; use none, flag, keyword:NAME or move:FOLDER"]


def folder_problems(rule: Rule, folders: Collection[str]) -> list[str]:
    """The rule's folder conditions and move target checked against the server's folders."""
    have = set(folders)
    upper = {f.upper() for f in have}
    listing = ", ".join(sorted(have)[:_SHOWN_FOLDERS]) + (
        ", ..." if len(have) > _SHOWN_FOLDERS else ""
    )
    found: list[str] = []
    for index, condition in enumerate(rule.conditions, start=1):
        if condition.field != "folder" or condition_problems(condition):
            continue
        value = condition.value
        if (
            condition.op == "equals"
            and value not in have
            and not (value.upper() == "INBOX" and "INBOX" in upper)
        ):
            found.append(
                f"condition {index}: the mailbox server has no folder {value!r}; use one of "
                f"{listing} (names are case-sensitive), or --no-server-check if it will exist"
            )
        elif condition.op == "glob" and not any(fnmatch.fnmatchcase(f, value) for f in have):
            found.append(
                f"condition {index}: folder glob {value!r} matches none of the server's folders "
                f"({listing}); fix the pattern, or --no-server-check if they will exist"
            )
    kind, _, target = rule.post_action.partition(":")
    if kind == "move" and target and target not in have:
        found.append(
            f"the mailbox server has no folder {target!r} to move to; create it first, or use "
            f"one of {listing} (or --no-server-check if it will exist before the next poll)"
        )
    return found


def warnings(rule: Rule) -> list[str]:
    """Allowed, but worth a second look."""
    found = []
    for index, condition in enumerate(rule.conditions, start=1):
        if condition.op == "regex" and _NESTED.search(condition.value):
            found.append(
                f"condition {index}: the pattern repeats a group that itself repeats (like "
                "(a+)+), which can be very slow on some mail; only the first 100 KB of a body "
                "is searched, but prefer a pattern without the nested repetition"
            )
    if rule.action == "ignore" and rule.match_all:
        found.append("this rule ignores every message: nothing will raise an exception")
    return found


def _name_problems(name: str) -> list[str]:
    if not name.strip():
        return ["the rule has no name; give it a short, unique name, e.g. out-of-office"]
    found = []
    if name != name.strip():
        found.append("the name starts or ends with a space; remove it")
    if len(name) > MAX_NAME:
        found.append(f"the name is over {MAX_NAME} characters; shorten it")
    if any(ch < " " or ch == "\x7f" for ch in name):
        found.append("the name holds a control character (a tab or line break?); remove it")
    return found
