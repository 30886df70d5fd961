"""Mailbox rules: what administrators tell the service to do with each kind of email.

``model`` (the frozen values), ``evaluate`` (compile once, route each message), ``validate``
(every problem, each with its fix), ``yamlio`` (export and import), ``callmail`` (a phone
contact written up in an email). The store keeps rules in ``intake.store.rules``.
"""

from __future__ import annotations

from intake.mailrules.evaluate import CompiledRule, Facts, View, compile_rule, route
from intake.mailrules.model import (
    ACTIONS,
    ATTACHMENT_KINDS,
    FIELDS,
    Condition,
    Routing,
    Rule,
    parse_post_action,
)

__all__ = [
    "ACTIONS",
    "ATTACHMENT_KINDS",
    "FIELDS",
    "CompiledRule",
    "Condition",
    "Facts",
    "Routing",
    "Rule",
    "View",
    "compile_rule",
    "parse_post_action",
    "route",
]
