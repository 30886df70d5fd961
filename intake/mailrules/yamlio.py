"""Mailbox rules as YAML: export, import (safe_load only), and the mapping form both share.

The file::

    rules:
      - name: out-of-office
        enabled: true
        conditions:
          - {field: subject, op: regex, value: '^(automatic reply|out of office)'}
        action: ignore
        post_action: keyword:Intake-Ignored
        stop: true

Rules are in evaluation order. Keys per rule: ``name`` (required), ``enabled`` (true),
``match_all`` (false), ``conditions`` ([]), ``action`` (referral), ``post_action`` (none),
``stop`` (true); per condition: ``field``, ``op``, ``value`` (required) and ``not`` (false).
Unknown keys are refused, so a typo never silently changes what a rule does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from intake.errors import RulesFileInvalid
from intake.mailrules import validate
from intake.mailrules.model import Condition, Rule

RULE_KEYS = ("name", "enabled", "match_all", "conditions", "action", "post_action", "stop")
CONDITION_KEYS = ("field", "op", "value", "not")
#: The largest rules file read (a few hundred rules are a few tens of KB).
MAX_FILE_BYTES = 1024 * 1024


def dump(rules: Sequence[Rule]) -> str:
    """The rules as YAML, in order; :func:`load` reads it back to the same rules."""
    return yaml.safe_dump(
        {"rules": [rule.to_dict() for rule in rules]},
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def load(text: str, source: str) -> list[Rule]:
    """Every rule of a YAML file, each validated; raises RulesFileInvalid listing every problem
    (with the rule's number and name) when any rule, or the file, is wrong."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or type(err).__name__
        raise RulesFileInvalid(
            source, [f"not valid YAML{where} ({problem}); check indentation and quotes"]
        ) from None
    if not isinstance(data, dict) or set(data) != {"rules"}:
        raise RulesFileInvalid(
            source,
            [
                "the file must have one top-level key, rules:, holding a list of rules "
                "(`intake rules export` writes an example)"
            ],
        )
    items = data["rules"] or []
    if not isinstance(items, list):
        raise RulesFileInvalid(source, ["rules: must be a list (each rule starts with '- ')"])
    rules: list[Rule] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items, start=1):
        rule, found = from_dict(item)
        label = f"rule {index}" + (
            f" ({item.get('name')!r})" if isinstance(item, dict) and item.get("name") else ""
        )
        if rule is not None:
            found += validate.problems(rule)
            if rule.name in seen:
                found.append(
                    f"the name is already used by rule {seen[rule.name]}; names must be unique"
                )
            seen.setdefault(rule.name, index)
        problems += [f"{label}: {p}" for p in found]
        if rule is not None and not found:
            rules.append(rule)
    if problems:
        raise RulesFileInvalid(source, problems)
    return rules


def from_dict(data: object) -> tuple[Rule | None, list[str]]:
    """A rule from its mapping (YAML or the database's JSON); the problems with its shape."""
    if not isinstance(data, dict):
        return None, ["must be a mapping (name:, conditions:, action: ...)"]
    problems = _unknown_keys(data, RULE_KEYS, "key")
    name = data.get("name")
    if not isinstance(name, str):
        problems.append("name: missing or not text; give every rule a unique name")
        name = ""
    flags: dict[str, bool] = {}
    for key, flag in (("enabled", True), ("match_all", False), ("stop", True)):
        given = data.get(key, flag)
        if not isinstance(given, bool):
            problems.append(f"{key}: must be true or false, not {given!r}")
            given = flag
        flags[key] = given
    texts: dict[str, str] = {}
    for key, default in (("action", "referral"), ("post_action", "none")):
        value = data.get(key, default)
        if not isinstance(value, str):
            problems.append(f"{key}: must be text, not {value!r}")
            value = default
        texts[key] = value
    raw_conditions = data.get("conditions", [])
    if raw_conditions is None:
        raw_conditions = []
    conditions: list[Condition] = []
    if not isinstance(raw_conditions, list):
        problems.append("conditions: must be a list (each condition starts with '- ')")
    else:
        for index, item in enumerate(raw_conditions, start=1):
            condition, found = condition_from_dict(item)
            problems += [f"condition {index}: {p}" for p in found]
            if condition is not None:
                conditions.append(condition)
    if problems:
        return None, problems
    return (
        Rule(
            name=name,
            conditions=tuple(conditions),
            action=texts["action"],
            post_action=texts["post_action"],
            stop=flags["stop"],
            enabled=flags["enabled"],
            match_all=flags["match_all"],
        ),
        [],
    )


def condition_from_dict(data: object) -> tuple[Condition | None, list[str]]:
    if not isinstance(data, dict):
        return None, ["must be a mapping {field: ..., op: ..., value: ...}"]
    problems = _unknown_keys(data, CONDITION_KEYS, "key")
    values: dict[str, str] = {}
    for key in ("field", "op", "value"):
        value = data.get(key)
        if not isinstance(value, str):
            fix = "put it in quotes" if isinstance(value, int | float) else "give it as text"
            problems.append(f"{key}: missing or not text ({fix})")
            value = ""
        values[key] = value
    negate = data.get("not", False)
    if not isinstance(negate, bool):
        problems.append(f"not: must be true or false, not {negate!r}")
    if problems:
        return None, problems
    return Condition(values["field"], values["op"], values["value"], bool(negate)), []


def _unknown_keys(data: dict[Any, Any], allowed: Sequence[str], what: str) -> list[str]:
    return [
        f"unknown {what} {key!r}; a {'rule' if 'name' in allowed else 'condition'} has "
        f"{', '.join(allowed)}"
        for key in data
        if key not in allowed
    ]
