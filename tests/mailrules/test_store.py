"""Rules in the database (SQLite and PostgreSQL): order, changes, imports, and an audit entry
for every change saying who, when, and the rule before and after."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from intake.errors import RuleInvalid, RuleNotFound
from intake.mailrules import Condition, Rule
from intake.store.ledger import Store
from intake.store.rules import ENTITY

OOO = Rule("ooo", (Condition("subject", "contains", "out of office"),), "ignore", "flag")
CALLS = Rule("calls", (Condition("from", "contains", "duty"),), "call", "move:Calls", stop=False)
JUNK = Rule("junk", (Condition("folder", "equals", "Junk"),), "ignore")


def test_rules_keep_their_order_and_positions_have_no_gaps(store: Store) -> None:
    store.rules.add(OOO, actor="cli:alice")
    store.rules.add(CALLS, actor="cli:alice")
    store.rules.add(JUNK, actor="cli:alice", position=1)
    assert [(r.name, r.position) for r in store.rules.all()] == [
        ("junk", 1),
        ("ooo", 2),
        ("calls", 3),
    ]
    store.rules.update("calls", store.rules.get("calls"), actor="cli:bob", position=1)
    store.rules.remove("ooo", actor="cli:bob")
    assert [(r.name, r.position) for r in store.rules.all()] == [("calls", 1), ("junk", 2)]
    saved = store.rules.get("calls")
    assert dataclasses.replace(saved, position=0) == CALLS


def test_every_change_is_audited_with_who_when_before_and_after(store: Store) -> None:
    """GIVEN an empty rule book WHEN alice adds a rule and bob disables, renames and removes it
    THEN the audit log, newest first, has each change by its actor, with the rule as JSON
    before and after (None where it did not exist)."""
    started = dt.datetime.now(dt.UTC)
    store.rules.add(OOO, actor="cli:alice")
    store.rules.update(
        "ooo", dataclasses.replace(OOO, enabled=False), actor="cli:bob", action="disable"
    )
    store.rules.update("ooo", dataclasses.replace(OOO, name="away", enabled=False), actor="cli:bob")
    store.rules.remove("away", actor="cli:bob")
    log = store.audit_log(ENTITY)
    assert [(e.action, e.actor, e.key) for e in log] == [
        ("remove", "cli:bob", "away"),
        ("edit", "cli:bob", "ooo -> away"),
        ("disable", "cli:bob", "ooo"),
        ("add", "cli:alice", "ooo"),
    ]
    assert all(started - dt.timedelta(seconds=1) <= e.at <= dt.datetime.now(dt.UTC) for e in log)
    added = log[-1]
    assert added.before is None
    assert added.after == {**OOO.to_dict(), "position": 1}
    disabled = log[-2]
    assert disabled.before is not None and disabled.after is not None
    assert (disabled.before["enabled"], disabled.after["enabled"]) == (True, False)
    assert log[0].after is None and log[0].before is not None and log[0].before["name"] == "away"


def test_a_change_that_changes_nothing_is_not_audited(store: Store) -> None:
    store.rules.add(OOO, actor="cli:alice")
    store.rules.update("ooo", OOO, actor="cli:alice")
    assert len(store.audit_log(ENTITY)) == 1


def test_duplicate_names_and_unknown_rules_are_clear_errors(store: Store) -> None:
    store.rules.add(OOO, actor="cli:alice")
    store.rules.add(JUNK, actor="cli:alice")
    with pytest.raises(RuleInvalid, match="already exists"):
        store.rules.add(OOO, actor="cli:alice")
    with pytest.raises(RuleInvalid, match="already exists"):
        store.rules.update("junk", dataclasses.replace(JUNK, name="ooo"), actor="cli:alice")
    with pytest.raises(RuleNotFound, match="intake rules list"):
        store.rules.get("nope")
    assert len(store.audit_log(ENTITY)) == 2


def test_import_replace_and_merge_in_one_transaction(store: Store) -> None:
    """GIVEN rules ooo and junk WHEN a file [calls, ooo(changed)] is imported with --merge
    THEN ooo is changed in place and calls added last; with --replace junk goes too, and the
    order becomes the file's. A dry run reports the same and changes nothing."""
    store.rules.add(OOO, actor="cli:alice")
    store.rules.add(JUNK, actor="cli:alice")
    changed_ooo = dataclasses.replace(OOO, post_action="keyword:Away")
    dry = store.rules.replace_all([CALLS, changed_ooo], actor="cli:c", merge=True, dry_run=True)
    assert (dry.added, dry.changed, dry.removed) == (("calls",), ("ooo",), ())
    assert len(store.audit_log()) == 2 and store.rules.get("ooo") == dataclasses.replace(
        OOO, position=1
    )
    merged = store.rules.replace_all([CALLS, changed_ooo], actor="cli:c", merge=True)
    assert (merged.added, merged.changed, merged.unchanged) == (("calls",), ("ooo",), ())
    assert [r.name for r in store.rules.all()] == ["ooo", "junk", "calls"]
    assert store.rules.get("ooo").post_action == "keyword:Away"
    replaced = store.rules.replace_all([CALLS, changed_ooo], actor="cli:c", merge=False)
    assert replaced.removed == ("junk",)
    assert [r.name for r in store.rules.all()] == ["calls", "ooo"]
    actions = [(e.action, e.key) for e in store.audit_log(ENTITY) if e.actor == "cli:c"]
    assert ("remove", "junk") in actions and ("add", "calls") in actions
    again = store.rules.replace_all([CALLS, changed_ooo], actor="cli:c", merge=False)
    assert again.unchanged == ("calls", "ooo") and not again.changed


def test_the_audit_log_is_generic(store: Store) -> None:
    store.audit(
        actor="web:alice",
        entity="user",
        key="bob",
        action="add",
        before=None,
        after={"role": "team"},
    )
    store.rules.add(OOO, actor="cli:alice")
    assert [e.entity for e in store.audit_log()] == [ENTITY, "user"]
    (user,) = store.audit_log("user")
    assert user.after == {"role": "team"} and user.actor == "web:alice"
    assert len(store.audit_log(limit=1)) == 1
