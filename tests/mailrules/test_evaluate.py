"""Evaluating mailbox rules: each condition and operator, negation, unknown facts, and the
order semantics (the first match decides the action; post-actions gather up to a stop)."""

from __future__ import annotations

import pytest

from intake.mailrules import Condition, Facts, Rule, View, compile_rule, route
from intake.mailrules.evaluate import ordered_post_actions
from intake.mailrules.model import BODY_LIMIT
from intake.messages import parse_message
from intake.sources.base import PostAction

FACTS = Facts(
    folder="INBOX",
    sender="duty.worker@children.southend.example.gov.uk",
    subject="Automatic reply: Out of Office",
    recipients=("cspoc@southend.example.gov.uk", "Manager@Example.org"),
    body="Called at: 2026-11-20 10:15\nCaller: Sam Jones\nStraße 5\n",
    attachment_names=("RFS Form.DOCX", "notes.pdf"),
    attachment_kinds=("rfs", "other"),
)
EXPIRED = Facts(
    folder="INBOX",
    sender="a@b.example",
    subject="x",
    recipients=None,
    body=None,
)


def holds(field: str, op: str, value: str, facts: Facts = FACTS, negate: bool = False) -> object:
    rule = compile_rule(Rule("r", (Condition(field, op, value, negate),)))
    return rule.check(View(facts))


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("folder", "equals", "INBOX", True),
        ("folder", "equals", "inbox", True),  # INBOX is case-insensitive (RFC 3501)
        ("folder", "equals", "Junk", False),
        ("folder", "glob", "IN*", True),
        ("folder", "glob", "Archive/*", False),
        ("from", "contains", "DUTY.WORKER", True),
        ("from", "regex", r"^duty\.", True),
        ("from", "regex", r"^(?-i:DUTY)", False),  # the pattern can ask to match case
        ("to", "contains", "manager@example", True),
        ("to", "regex", r"^cspoc@", True),
        ("to", "contains", "nobody", False),
        ("subject", "contains", "out of office", True),
        ("subject", "regex", r"^(automatic reply|out of office)", True),
        ("subject", "regex", r"^out of office", False),
        ("body", "contains", "STRASSE", True),  # Unicode casefold: ß == ss
        ("body", "regex", r"^caller:\s+\w+", False),  # no MULTILINE unless the pattern says so
        ("body", "regex", r"(?m)^caller:\s+\w+", True),
        ("sender_domain", "equals", "southend.example.gov.uk", True),  # a subdomain of it
        ("sender_domain", "equals", "children.southend.example.gov.uk", True),
        ("sender_domain", "equals", "end.example.gov.uk", False),  # not a suffix of a label
        ("attachment_name", "glob", "*.docx", True),  # case-insensitive
        ("attachment_name", "glob", "*.zip", False),
        ("attachment_kind", "is", "rfs", True),
        ("attachment_kind", "is", "gcp, brook_tool", False),
        ("attachment_kind", "is", "gcp,other", True),
    ],
)
def test_each_condition(field: str, op: str, value: str, expected: bool) -> None:
    assert holds(field, op, value) is expected
    assert holds(field, op, value, negate=True) is (not expected)


def test_body_and_recipients_are_unknown_when_the_raw_copy_expired() -> None:
    """GIVEN a stored message whose raw copy has expired WHEN a body or To condition is tried
    THEN it is unknown (None), negated too, and a rule with a failing condition is still False."""
    assert holds("body", "contains", "x", EXPIRED) is None
    assert holds("to", "regex", "x", EXPIRED, negate=True) is None
    rule = compile_rule(
        Rule("r", (Condition("body", "contains", "x"), Condition("subject", "contains", "zz")))
    )
    assert rule.check(View(EXPIRED)) is False


def test_every_condition_must_hold() -> None:
    both = Rule(
        "r",
        (Condition("subject", "contains", "office"), Condition("folder", "equals", "Junk")),
    )
    assert compile_rule(both).check(View(FACTS)) is False


def test_a_rule_without_conditions_matches_only_with_match_all() -> None:
    assert compile_rule(Rule("r")).check(View(FACTS)) is False
    assert compile_rule(Rule("r", match_all=True)).check(View(FACTS)) is True


def test_the_first_matching_rule_decides_and_stop_ends_evaluation() -> None:
    """GIVEN three matching rules, the second stopping WHEN routed THEN the first decides the
    action, post-actions of the first two apply in order, and the third is never reached."""
    rules = [
        compile_rule(Rule("tag", match_all=True, action="ignore", post_action="flag", stop=False)),
        compile_rule(
            Rule(
                "calls",
                (Condition("subject", "contains", "office"),),
                action="call",
                post_action="keyword:Seen-By-Intake",
            )
        ),
        compile_rule(Rule("never", match_all=True, action="referral", post_action="move:X")),
    ]
    routing = route(FACTS, rules)
    assert (routing.action, routing.rule) == ("ignore", "tag")
    assert routing.post_actions == (PostAction("flag"), PostAction("keyword", "Seen-By-Intake"))
    assert routing.matched == ("tag", "calls")


def test_no_match_is_a_referral_with_the_mailbox_default() -> None:
    rules = [compile_rule(Rule("junk", (Condition("folder", "equals", "Junk"),), "ignore"))]
    routing = route(FACTS, rules)
    assert (routing.action, routing.rule, routing.post_actions) == ("referral", None, ())


def test_disabled_rules_are_skipped() -> None:
    rules = [compile_rule(Rule("off", match_all=True, action="ignore", enabled=False))]
    assert route(FACTS, rules).rule is None


def test_a_move_is_made_last_and_only_once() -> None:
    actions = [
        PostAction("move", "A"),
        PostAction("flag"),
        PostAction("move", "B"),
        PostAction("flag"),
        PostAction("keyword", "K"),
    ]
    assert ordered_post_actions(actions) == (
        PostAction("flag"),
        PostAction("keyword", "K"),
        PostAction("move", "A"),
    )


def test_conditions_read_a_bounded_body() -> None:
    """GIVEN a 300 KB body with the only match past 100 KB WHEN its facts are taken
    THEN the body is cut at 100 KB, so no condition (nor a slow pattern) reads the rest."""
    message = parse_message(
        b"From: a@b.example\r\nTo: c@d.example\r\nSubject: s\r\n\r\n"
        + b"x" * 300_000
        + b" needle\r\n"
    )
    facts = Facts.of(message, (), "INBOX")
    assert facts.body is not None and len(facts.body) == BODY_LIMIT
    assert holds("body", "contains", "needle", facts) is False


def test_facts_never_show_mail_content_in_repr() -> None:
    assert "Sam Jones" not in repr(FACTS)
