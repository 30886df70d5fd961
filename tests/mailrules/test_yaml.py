"""Rules as YAML: export then import gives back the same rules; a file with any bad rule is
refused whole, every problem listed with the rule's number and name."""

from __future__ import annotations

import pytest

from intake.errors import RulesFileInvalid
from intake.mailrules import Condition, Rule, yamlio

RULES = [
    Rule(
        "out-of-office",
        (Condition("subject", "regex", r"^(automatic reply|out of office)\b"),),
        "ignore",
        "keyword:Intake-Ignored",
    ),
    Rule(
        "duty calls: 'phone' log",
        (
            Condition("sender_domain", "equals", "southend.example.gov.uk"),
            Condition("subject", "contains", "call log: Ünïcode"),
            Condition("folder", "equals", "Junk", negate=True),
        ),
        "call",
        "move:INBOX/Calls",
        stop=False,
        enabled=False,
    ),
    Rule("catch-all tag", (), "referral", "flag", match_all=True),
    Rule(
        "numbers",
        (Condition("body", "contains", "2026"), Condition("to", "regex", "yes")),
        "referral",
    ),
]


def test_export_then_import_round_trips_exactly() -> None:
    text = yamlio.dump(RULES)
    assert yamlio.load(text, "rules.yaml") == RULES
    assert yamlio.dump(yamlio.load(text, "rules.yaml")) == text


def test_one_bad_rule_rejects_the_whole_file_listing_every_problem() -> None:
    text = """
rules:
  - name: fine
    conditions: [{field: subject, op: contains, value: hello}]
    action: ignore
  - name: broken
    conditions:
      - {field: subject, op: regex, value: "([a-z"}
      - {field: colour, op: is, value: red}
    action: ignor
  - name: fine
    colour: blue
    conditions: [{field: body, op: contains, value: 12}]
"""
    with pytest.raises(RulesFileInvalid) as caught:
        yamlio.load(text, "rules.yaml")
    problems = caught.value.problems
    assert any(p.startswith("rule 2 ('broken'): condition 1") for p in problems)
    assert any("rule 2 ('broken'): condition 2: unknown field 'colour'" in p for p in problems)
    assert any("rule 2 ('broken'): unknown action 'ignor'" in p for p in problems)
    assert any("rule 3 ('fine'): unknown key 'colour'" in p for p in problems)
    assert any(
        "rule 3 ('fine'): condition 1: value: missing or not text (put it in quotes)" in p
        for p in problems
    )
    first_line = str(caught.value).splitlines()[0]
    assert "nothing changed" in first_line and "fix them" in first_line


def test_duplicate_names_in_a_file_are_refused() -> None:
    text = yamlio.dump([RULES[0], RULES[0]])
    with pytest.raises(RulesFileInvalid, match="already used by rule 1"):
        yamlio.load(text, "rules.yaml")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("rules: [\n", "not valid YAML at line"),
        ("- name: x\n", "one top-level key, rules:"),
        ("rules: {name: x}\n", "must be a list"),
        ("rules:\n  - !!python/object/apply:os.system ['true']\n", "not valid YAML"),
        ("rules: []\nextra: 1\n", "one top-level key"),
    ],
)
def test_malformed_files_say_what_to_do(text: str, says: str) -> None:
    with pytest.raises(RulesFileInvalid, match=says.replace("(", r"\(")):
        yamlio.load(text, "rules.yaml")


def test_an_empty_rules_list_is_valid() -> None:
    assert yamlio.load("rules: []\n", "x") == []
