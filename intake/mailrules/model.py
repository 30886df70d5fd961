"""The mailbox-rule language as frozen values: conditions, rules, and what routing decided.

A rule is data an administrator writes (stored as a database row, exported as YAML): a name,
whether it is enabled, its place in the order, conditions that must ALL hold, an action and a
mailbox post-action. See the README section "Mailbox rules" for the user's view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from intake.sources.base import PostAction
from parsers.fields import KINDS

if TYPE_CHECKING:
    from intake.calls import CallRecord

#: Each condition field and the operators it takes (the first is the default in summaries).
FIELDS: dict[str, tuple[str, ...]] = {
    "folder": ("equals", "glob"),
    "from": ("contains", "regex"),
    "to": ("contains", "regex"),
    "subject": ("contains", "regex"),
    "body": ("contains", "regex"),
    "sender_domain": ("equals",),
    "attachment_name": ("glob",),
    "attachment_kind": ("is",),
}
#: What a matching rule makes of the message.
ACTIONS: tuple[str, ...] = ("referral", "call", "ignore")
DEFAULT_ACTION = "referral"
#: The mailbox post-actions a rule may ask for (``keyword:NAME``, ``move:FOLDER``).
POST_ACTIONS: tuple[str, ...] = ("none", "flag", "keyword:NAME", "move:FOLDER")
#: Attachment kinds ``attachment_kind`` accepts (contract section 3).
ATTACHMENT_KINDS: tuple[str, ...] = tuple(KINDS)
#: How much of the body a condition reads: bounds what any regular expression can cost.
BODY_LIMIT = 100_000
#: How much of the subject, each address and each file name a condition reads.
TEXT_LIMIT = 2_000


@dataclass(frozen=True)
class Condition:
    """One test on a message: ``field`` ``op`` ``value``, or its negation."""

    field: str
    op: str
    value: str
    negate: bool = False

    def describe(self) -> str:
        """``subject contains 'out of office'`` or ``not folder equals 'Junk'``."""
        text = f"{self.field} {self.op} {self.value!r}"
        return f"not {text}" if self.negate else text

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field, "op": self.op, "value": self.value}
        if self.negate:
            data["not"] = True
        return data


@dataclass(frozen=True)
class Rule:
    """An administrator's mailbox rule. ``position`` is 0 for a rule not (yet) stored."""

    name: str
    conditions: tuple[Condition, ...] = ()
    action: str = DEFAULT_ACTION
    post_action: str = "none"
    #: When it matches, no later rule is evaluated.
    stop: bool = True
    enabled: bool = True
    #: Deliberately match every message (only for a rule with no conditions).
    match_all: bool = False
    position: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The rule as YAML and the audit log show it (``position`` is the list's order)."""
        data: dict[str, Any] = {"name": self.name, "enabled": self.enabled}
        if self.match_all:
            data["match_all"] = True
        data["conditions"] = [c.to_dict() for c in self.conditions]
        data["action"] = self.action
        data["post_action"] = self.post_action
        data["stop"] = self.stop
        return data

    def summary(self) -> str:
        """The conditions on one line, for listings."""
        if not self.conditions:
            return "every message (match_all)" if self.match_all else "(no conditions)"
        return " and ".join(c.describe() for c in self.conditions)


@dataclass(frozen=True)
class Routing:
    """What the rules made of one message."""

    #: ``referral`` (also when no rule matched), ``call`` or ``ignore``.
    action: str = DEFAULT_ACTION
    #: The rule that decided ``action``; None when no rule matched.
    rule: str | None = None
    #: The mailbox changes the matching rules ask for, in the order to make them (a move last);
    #: empty: the mailbox's own ``post_action`` applies.
    post_actions: tuple[PostAction, ...] = ()
    #: Every rule that matched, in order (the decider first).
    matched: tuple[str, ...] = ()
    #: For ``call``: the call read from the body (set by the pipeline).
    call: CallRecord | None = field(default=None, repr=False)


def parse_post_action(text: str) -> PostAction | None:
    """``flag`` -> PostAction("flag"); ``none`` -> None. Assumes the text was validated."""
    kind, _, argument = text.partition(":")
    if kind == "none":
        return None
    return PostAction(kind, argument)
