"""`intake rules` as an administrator uses it: exit codes, messages that say the fix, YAML in
and out, the audit log, and `test` trying a rule on stored mail without changing anything."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from intake import synthetic
from intake.cli import main
from intake.store.ledger import Store


@pytest.fixture
def url(sqlite_template: Path, tmp_path: Path) -> str:
    """SQLite is enough here: the store's SQL runs on both in test_store.py."""
    path = tmp_path / "intake.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def run(url: str, *args: str) -> Result:
    env = {"INTAKE_CONFIG": "", "INTAKE_DATABASE_URL": url}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_add_list_edit_and_audit(url: str) -> None:
    """GIVEN no rules WHEN an admin adds two rules, edits one and lists them
    THEN the list shows order, state, action, post-action, stop and conditions, and the audit
    log shows each change with the admin's login."""
    added = run(
        url,
        "rules",
        "add",
        "ooo",
        "--if",
        "subject regex ^(automatic reply|out of office)",
        "--action",
        "ignore",
        "--post-action",
        "keyword:Intake-Ignored",
    )
    assert added.exit_code == 0, added.output
    assert "added rule 'ooo' at position 1" in added.output
    calls = run(
        url,
        "rules",
        "add",
        "calls",
        "--if",
        "from contains duty",
        "--if",
        "not folder equals Junk",
        "--action",
        "call",
        "--continue",
        "--position",
        "1",
        "--no-server-check",
    )
    assert calls.exit_code == 0, calls.output
    edited = run(url, "rules", "edit", "ooo", "--disabled", "--rename", "away")
    assert edited.exit_code == 0, edited.output
    listing = run(url, "rules", "list").output.splitlines()
    assert listing[1].split()[:6] == ["1", "calls", "yes", "call", "none", "continue"]
    assert "not folder equals 'Junk'" in listing[1]
    assert listing[2].split()[:6] == ["2", "away", "no", "ignore", "keyword:Intake-Ignored", "stop"]
    as_json = [json.loads(line) for line in run(url, "rules", "list", "--json").output.splitlines()]
    assert as_json[0]["conditions"][1] == {
        "field": "folder",
        "op": "equals",
        "value": "Junk",
        "not": True,
    }
    audit = run(url, "rules", "audit").output
    assert audit.count("cli:") == 3 and "ooo -> away" in audit
    assert "enabled: true -> false" in audit


def test_invalid_rules_exit_1_with_every_problem_and_its_fix(url: str) -> None:
    result = run(
        url,
        "rules",
        "add",
        "bad",
        "--if",
        "subject regex (unclosed",
        "--if",
        "attachment_kind is gcp2",
        "--action",
        "call",
        "--post-action",
        "move",
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == "intake: rule 'bad' was not saved: 3 problems; fix and run the command again"
    assert "does not compile" in lines[1] and "escape" in lines[1]
    assert "use one of rfs, gcp" in lines[2]
    assert "move:FOLDER" in lines[3]
    assert "Traceback" not in result.output
    nothing = run(url, "rules", "add", "all", "--action", "ignore")
    assert nothing.exit_code == 1 and "--match-all" in nothing.output
    assert run(url, "rules", "list").output.startswith("no mailbox rules")


@pytest.mark.parametrize(
    "args",
    [
        ["rules", "add", "x", "--if", "subject", "--action", "ignore"],
        ["rules", "add", "x", "--if", "subject contains y"],
        ["rules", "add", "x", "--if", "subject contains y", "--action", "delete"],
        ["rules", "move", "x"],
        ["rules", "test"],
    ],
)
def test_bad_usage_exits_2(url: str, args: list[str]) -> None:
    assert run(url, *args).exit_code == 2


def test_unknown_rule_exits_1_saying_how_to_find_it(url: str) -> None:
    for command in ("remove", "enable", "disable", "edit"):
        result = run(url, "rules", command, "nope")
        assert result.exit_code == 1
        assert "no mailbox rule named 'nope'; `intake rules list` shows them" in result.output


def test_enable_disable_move_remove(url: str) -> None:
    for name in ("a", "b", "c"):
        run(url, "rules", "add", name, "--if", f"subject contains {name}", "--action", "ignore")
    assert run(url, "rules", "disable", "b").exit_code == 0
    assert run(url, "rules", "move", "a", "--after", "c").exit_code == 0
    assert run(url, "rules", "move", "c", "--before", "b").exit_code == 0
    assert run(url, "rules", "enable", "b").exit_code == 0
    assert run(url, "rules", "remove", "b").exit_code == 0
    listed = run(url, "rules", "list", "--json").output.splitlines()
    names = [json.loads(line)["name"] for line in listed]
    assert names == ["c", "a"]
    actions = run(url, "rules", "audit", "--json").output.splitlines()
    assert [json.loads(line)["action"] for line in actions][:5] == [
        "remove",
        "enable",
        "move",
        "move",
        "disable",
    ]


def test_export_import_round_trip_and_whole_file_rejection(url: str, tmp_path: Path) -> None:
    """GIVEN two rules exported to a file WHEN the file is imported into an empty database
    THEN the export from there is identical; and a file with one bad rule changes nothing."""
    run(url, "rules", "add", "ooo", "--if", "subject contains out of office", "--action", "ignore")
    run(
        url,
        "rules",
        "add",
        "tag",
        "--match-all",
        "--action",
        "referral",
        "--post-action",
        "flag",
        "--continue",
        "--disabled",
    )
    exported = tmp_path / "rules.yaml"
    assert run(url, "rules", "export", str(exported)).exit_code == 0
    other = url.replace("intake.db", "other.db")
    shutil.copy(url.removeprefix("sqlite:///"), other.removeprefix("sqlite:///"))
    run(other, "rules", "remove", "ooo")
    run(other, "rules", "remove", "tag")
    imported = run(other, "rules", "import", str(exported), "--replace")
    assert imported.exit_code == 0, imported.output
    assert "2 were added" in imported.output
    assert run(other, "rules", "export").output == exported.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        exported.read_text(encoding="utf-8")
        + "- name: broken\n  conditions: []\n  action: ignore\n  stop: maybe\n",
        encoding="utf-8",
    )
    before = run(other, "rules", "audit", "--json").output
    refused = run(other, "rules", "import", str(bad), "--replace")
    assert refused.exit_code == 1
    assert "was not imported, nothing changed" in refused.output
    assert "rule 3 ('broken'): stop: must be true or false" in refused.output
    assert run(other, "rules", "audit", "--json").output == before
    dry = run(other, "rules", "import", str(exported), "--dry-run")
    assert "0 would be added" in dry.output and "nothing was changed" in dry.output


def test_test_tries_a_rule_on_stored_mail_and_changes_nothing(url: str, tmp_path: Path) -> None:
    """GIVEN six imported referrals, one of which has lost its raw copy, and a saved rule
    WHEN `rules test` runs for the saved rule, for an unsaved --if rule and for a YAML file
    THEN it lists the matching messages by ledger id and received time, without senders or
    subjects unless --show; says when the body is no longer stored; and the ledger, rules and
    audit log are exactly as before."""
    folder = tmp_path / "mail"
    raws = synthetic.demo_corpus(seed=7, start=dt.date(2026, 11, 16), days=2)[:6]
    folder.mkdir()
    for index, raw in enumerate(raws):
        (folder / f"m{index}.eml").write_bytes(raw)
    assert run(url, "import", str(folder)).exit_code == 0
    store = Store.open(url)
    with store.engine.begin() as conn:  # message 1's raw copy has expired
        conn.execute(text("DELETE FROM raw_messages WHERE message_pk = 1"))
    run(url, "rules", "add", "bodies", "--if", "body contains please", "--action", "ignore")
    ledger = store.ledger()
    rules = store.rules.all()
    audit = store.audit_log()
    saved = run(url, "rules", "test", "bodies", "--last", "6")
    assert saved.exit_code == 0, saved.output
    assert "of the last 6 stored messages" in saved.output
    assert "unknown (body no longer stored)" in saved.output
    assert "#1 " in saved.output and "raw copy expired" in saved.output
    assert "nothing was changed" in saved.output
    senders = {message.sender for message in store.rules.recent(6)}
    assert not any(sender and sender in saved.output for sender in senders)
    shown = run(url, "rules", "test", "--if", "subject regex .", "--action", "ignore", "--show")
    assert "6 would match" in shown.output
    assert any(sender in shown.output for sender in senders if sender)
    file = tmp_path / "try.yaml"
    file.write_text(
        "rules:\n  - name: pdfs\n    conditions: [{field: attachment_kind, op: is, value: rfs}]\n"
        "    action: referral\n    post_action: move:Done\n",
        encoding="utf-8",
    )
    tried = run(url, "rules", "test", str(file))
    assert (
        tried.exit_code == 0 and "rule 'pdfs'" in tried.output and "then move:Done" in tried.output
    )
    assert (store.ledger(), store.rules.all(), store.audit_log()) == (ledger, rules, audit)
    store.close()


@pytest.mark.parametrize(
    "command",
    [
        "",
        "list",
        "add",
        "edit",
        "remove",
        "enable",
        "disable",
        "move",
        "export",
        "import",
        "test",
        "audit",
    ],
)
def test_every_rules_command_has_help(url: str, command: str) -> None:
    result = run(url, "rules", *([command] if command else []), "--help")
    assert result.exit_code == 0 and "Usage:" in result.output
