"""Validation: every problem is found, and each message says what is wrong and the fix."""

from __future__ import annotations

import pytest

from intake.mailrules import Condition, Rule
from intake.mailrules.validate import folder_problems, problems, warnings

OK = Condition("subject", "contains", "out of office")


def only(rule: Rule) -> str:
    found = problems(rule)
    assert len(found) == 1, found
    return found[0]


def test_a_good_rule_has_no_problems() -> None:
    assert problems(Rule("ooo", (OK,), "ignore", "keyword:Intake-Ignored")) == []


def test_a_regex_that_does_not_compile_shows_the_re_error_and_the_fix() -> None:
    text = only(Rule("r", (Condition("subject", "regex", "(unclosed"),)))
    assert "condition 1" in text and "does not compile" in text
    assert "missing )" in text  # the re module's own words
    assert "escape" in text and "contains" in text  # the fix


def test_unknown_field_and_operator_list_the_valid_ones() -> None:
    text = only(Rule("r", (Condition("colour", "is", "red"),)))
    assert "unknown field 'colour'" in text and "sender_domain" in text
    text = only(Rule("r", (Condition("folder", "contains", "x"),)))
    assert "folder has no operator 'contains'" in text and "equals or glob" in text


def test_unknown_attachment_kind_lists_the_kinds() -> None:
    text = only(Rule("r", (Condition("attachment_kind", "is", "gcp2, rfs"),)))
    assert "'gcp2'" in text
    assert "rfs, gcp, brook_tool, exploitation_tool, other, unreadable" in text


def test_unknown_action_names_the_actions() -> None:
    assert "use one of referral, call, ignore" in only(Rule("r", (OK,), "delete"))


@pytest.mark.parametrize(
    ("post", "says"),
    [
        ("move", "move needs a target folder: move:FOLDER"),
        ("move:", "move needs a target folder"),
        ("keyword:Intake Call", "not a valid IMAP keyword"),
        ("keyword:\\Seen", "not a valid IMAP keyword"),
        ("keyword:a(b", "letters, digits"),
        ("keyword", "keyword needs a name"),
        ("flag:red", "takes no argument"),
        ("delete", "use none, flag, keyword:NAME or move:FOLDER"),
    ],
)
def test_post_action_problems_say_the_fix(post: str, says: str) -> None:
    assert says in only(Rule("r", (OK,), post_action=post))


def test_empty_conditions_need_an_explicit_match_all() -> None:
    text = only(Rule("everything", (), "ignore"))
    assert "match every message" in text and "match_all: true" in text and "--if" in text
    assert problems(Rule("everything", (), "ignore", match_all=True)) == []
    assert "only for a rule with no conditions" in only(Rule("r", (OK,), match_all=True))


def test_names_and_values_are_checked() -> None:
    assert "no name" in only(Rule(" ", (OK,)))
    assert "control character" in only(Rule("a\tb", (OK,)))
    assert "value is empty" in only(Rule("r", (Condition("subject", "contains", " "),)))
    assert "give the domain only" in only(
        Rule("r", (Condition("sender_domain", "equals", "someone@school.example"),))
    )


def test_every_problem_is_listed_at_once() -> None:
    rule = Rule(
        "r",
        (Condition("subject", "regex", "["), Condition("nope", "contains", "x")),
        "explode",
        "move",
    )
    assert len(problems(rule)) == 4


def test_folders_are_checked_against_the_server() -> None:
    """GIVEN a server with INBOX, Processed and Calls WHEN a rule names a folder it lacks
    THEN the problem names it, lists the server's folders and offers --no-server-check."""
    server = {"INBOX", "Processed", "Calls"}
    rule = Rule(
        "r",
        (Condition("folder", "equals", "Referals"), Condition("folder", "glob", "Arch*")),
        post_action="move:processed",
    )
    found = folder_problems(rule, server)
    assert len(found) == 3
    assert "no folder 'Referals'" in found[0] and "Calls, INBOX, Processed" in found[0]
    assert "--no-server-check" in found[0]
    assert "matches none" in found[1]
    assert "no folder 'processed' to move to" in found[2] and "create it first" in found[2]
    fine = Rule("r", (Condition("folder", "equals", "inbox"),), post_action="move:Processed")
    assert folder_problems(fine, server) == []


def test_a_nested_repetition_is_a_warning_not_an_error() -> None:
    rule = Rule("r", (Condition("body", "regex", r"(\w+\s?)+$"),))
    assert problems(rule) == []
    assert "can be very slow" in warnings(rule)[0]
