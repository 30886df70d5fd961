"""Evaluating mailbox rules: compile once, then route each message in a few microseconds.

Semantics (the README's "Mailbox rules" section says the same for administrators):

* Enabled rules are evaluated in ascending position. A rule matches when ALL its conditions
  hold (a rule with no conditions matches only when it says ``match_all``).
* The first matching rule decides the action (``referral``, ``call`` or ``ignore``) and is
  recorded as the message's ``route_rule``. No match: ``referral``, no rule.
* A matching rule with ``stop`` (the default) ends the evaluation. A matching rule without it
  (``--continue``) lets later rules match too, but only to add their post-actions: the action
  is already decided.
* Post-actions of every matching rule, up to and including the one that stops, are made in
  rule order, repeats dropped, a ``move`` always last and only the first ``move`` (the message
  has left the folder after it). When no matching rule asks for a post-action, the mailbox's
  own ``post_action`` applies.

A condition is three-valued for ``intake rules test``: True, False, or None when the fact it
needs is no longer stored (the raw copy expired, so the body and recipients are unknown).
Routing always has every fact.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from intake.errors import RuleInvalid
from intake.mailrules.model import (
    BODY_LIMIT,
    DEFAULT_ACTION,
    TEXT_LIMIT,
    Condition,
    Routing,
    Rule,
    parse_post_action,
)
from intake.messages import Message
from intake.sources.base import PostAction
from parsers.fields import ParsedAttachment


@dataclass(frozen=True)
class Facts:
    """What the conditions look at, for one message. Kept out of logs: it holds mail content."""

    #: The folder the message was found in (for `intake import`: the path given).
    folder: str
    #: The From address (lower-case addr-spec).
    sender: str
    subject: str
    #: To and Cc addresses; None when unknown (raw copy expired).
    recipients: tuple[str, ...] | None
    #: The text body (bounded); None when unknown (raw copy expired).
    body: str | None
    attachment_names: tuple[str, ...] = ()
    #: Each attachment's parsed kind (contract section 3).
    attachment_kinds: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return "Facts(<mail content hidden>)"

    @classmethod
    def of(cls, message: Message, parsed: Sequence[ParsedAttachment], folder: str) -> Facts:
        return cls(
            folder=folder,
            sender=message.from_[:TEXT_LIMIT],
            subject=message.subject[:TEXT_LIMIT],
            recipients=tuple(a[:TEXT_LIMIT] for a in (*message.to, *message.cc)),
            body=message.text[:BODY_LIMIT],
            attachment_names=tuple(a.filename[:TEXT_LIMIT] for a in message.attachments),
            attachment_kinds=tuple(p.kind for p in parsed),
        )


class View:
    """One message's facts, with case-folded text computed at most once per message."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts

    @functools.cached_property
    def subject(self) -> str:
        return self.facts.subject.casefold()

    @functools.cached_property
    def sender(self) -> str:
        return self.facts.sender.casefold()

    @functools.cached_property
    def body(self) -> str | None:
        body = self.facts.body
        return None if body is None else body.casefold()

    @functools.cached_property
    def recipients(self) -> tuple[str, ...] | None:
        found = self.facts.recipients
        return None if found is None else tuple(a.casefold() for a in found)

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(n.casefold() for n in self.facts.attachment_names)

    @functools.cached_property
    def domain(self) -> str:
        return self.facts.sender.rpartition("@")[2].strip().rstrip(".").lower()


Test = Callable[[View], "bool | None"]


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to evaluate: each condition turned into a function once."""

    rule: Rule
    tests: tuple[Test, ...]
    post: PostAction | None

    @property
    def name(self) -> str:
        return self.rule.name

    def check(self, view: View) -> bool | None:
        """True when every condition holds, False when one fails, None when unknown."""
        if not self.tests:
            return self.rule.match_all
        unknown = False
        for test in self.tests:
            outcome = test(view)
            if outcome is False:
                return False
            if outcome is None:
                unknown = True
        return None if unknown else True

    def explain(self, view: View) -> tuple[tuple[Condition, bool | None], ...]:
        """Each condition with what it gave (for `intake rules test`)."""
        return tuple(
            (condition, test(view))
            for condition, test in zip(self.rule.conditions, self.tests, strict=True)
        )


def compile_rule(rule: Rule) -> CompiledRule:
    """Raises RuleInvalid when a condition cannot be compiled (validation prevents that)."""
    tests = []
    problems = []
    for index, condition in enumerate(rule.conditions, start=1):
        try:
            tests.append(_compile(condition))
        except (re.error, ValueError) as err:
            problems.append(f"condition {index}: {err}")
    if problems:
        raise RuleInvalid(rule.name, problems)
    return CompiledRule(rule, tuple(tests), parse_post_action(rule.post_action))


def route(facts: Facts, rules: Sequence[CompiledRule]) -> Routing:
    """What the enabled ``rules`` (in order) make of one message; see the module docstring."""
    view = View(facts)
    decider: CompiledRule | None = None
    matched: list[str] = []
    posts: list[PostAction] = []
    for rule in rules:
        if not rule.rule.enabled or rule.check(view) is not True:
            continue
        matched.append(rule.name)
        if decider is None:
            decider = rule
        if rule.post is not None:
            posts.append(rule.post)
        if rule.rule.stop:
            break
    if decider is None:
        return Routing()
    return Routing(
        action=decider.rule.action,
        rule=decider.name,
        post_actions=ordered_post_actions(posts),
        matched=tuple(matched),
    )


def ordered_post_actions(actions: Sequence[PostAction]) -> tuple[PostAction, ...]:
    """Repeats dropped, rule order kept, the first move last and any later move dropped."""
    kept: list[PostAction] = []
    move: PostAction | None = None
    for action in actions:
        if action.kind == "move":
            move = move or action
        elif action not in kept:
            kept.append(action)
    return (*kept, move) if move is not None else tuple(kept)


def no_rule() -> Routing:
    return Routing(action=DEFAULT_ACTION)


# -- one condition ----------------------------------------------------------------------------


def _compile(condition: Condition) -> Test:
    test = _positive(condition)
    if not condition.negate:
        return test

    def negated(view: View) -> bool | None:
        outcome = test(view)
        return None if outcome is None else not outcome

    return negated


def _positive(condition: Condition) -> Test:
    field, op, value = condition.field, condition.op, condition.value
    if field == "folder":
        if op == "equals":
            return _folder_equals(value)
        if op == "glob":
            return _folder_glob(value)
    elif field in ("from", "subject", "body"):
        if op == "contains":
            return _text_contains(field, value.casefold())
        if op == "regex":
            return _text_regex(field, _pattern(value))
    elif field == "to":
        if op == "contains":
            return _to_contains(value.casefold())
        if op == "regex":
            return _to_regex(_pattern(value))
    elif field == "sender_domain" and op == "equals":
        return _domain(value.strip().lstrip("@").rstrip(".").lower())
    elif field == "attachment_name" and op == "glob":
        return _name_glob(re.compile(fnmatch.translate(value.casefold()), re.DOTALL))
    elif field == "attachment_kind" and op == "is":
        return _kind_is(frozenset(kinds(value)))
    raise ValueError(f"unknown condition {field} {op}")


def kinds(value: str) -> list[str]:
    """``"gcp, rfs"`` -> ``["gcp", "rfs"]``."""
    return [part.strip().lower() for part in value.split(",") if part.strip()]


def _pattern(value: str) -> re.Pattern[str]:
    return re.compile(value, re.IGNORECASE)


def _folder_equals(value: str) -> Test:
    if value.upper() == "INBOX":  # RFC 3501: INBOX is case-insensitive, other names are not
        return lambda view: view.facts.folder.upper() == "INBOX"
    return lambda view: view.facts.folder == value


def _folder_glob(value: str) -> Test:
    pattern = re.compile(fnmatch.translate(value), re.DOTALL)
    return lambda view: pattern.match(view.facts.folder) is not None


def _text_contains(field: str, needle: str) -> Test:
    if field == "subject":
        return lambda view: needle in view.subject
    if field == "from":
        return lambda view: needle in view.sender

    def body(view: View) -> bool | None:
        text = view.body
        return None if text is None else needle in text

    return body


def _text_regex(field: str, pattern: re.Pattern[str]) -> Test:
    if field == "subject":
        return lambda view: pattern.search(view.facts.subject) is not None
    if field == "from":
        return lambda view: pattern.search(view.facts.sender) is not None

    def body(view: View) -> bool | None:
        text = view.facts.body
        return None if text is None else pattern.search(text) is not None

    return body


def _to_contains(needle: str) -> Test:
    def test(view: View) -> bool | None:
        found = view.recipients
        return None if found is None else any(needle in a for a in found)

    return test


def _to_regex(pattern: re.Pattern[str]) -> Test:
    def test(view: View) -> bool | None:
        found = view.facts.recipients
        return None if found is None else any(pattern.search(a) is not None for a in found)

    return test


def _domain(value: str) -> Test:
    suffix = "." + value

    def test(view: View) -> bool:
        domain = view.domain
        return domain == value or domain.endswith(suffix)

    return test


def _name_glob(pattern: re.Pattern[str]) -> Test:
    return lambda view: any(pattern.match(name) is not None for name in view.names)


def _kind_is(wanted: frozenset[str]) -> Test:
    return lambda view: any(kind in wanted for kind in view.facts.attachment_kinds)
