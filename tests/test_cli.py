"""The `intake` command as a user meets it: help, exit codes, import, messages, status."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mailbox
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from intake import synthetic
from intake.cli import main

START = dt.date(2026, 11, 16)
SCHEMAS = Path(__file__).parent / "data" / "contract"
COMMANDS = [
    [],
    ["db"],
    ["db", "upgrade"],
    ["import"],
    ["poll"],
    ["parse"],
    ["messages"],
    ["status"],
    ["reprocess"],
    ["run"],
    ["demo"],
]


def invoke(
    args: list[str], database_url: str | None = None, env: dict[str, str] | None = None
) -> Result:
    environment = {"INTAKE_CONFIG": "", **(env or {})}
    if database_url:
        environment["INTAKE_DATABASE_URL"] = database_url
    return CliRunner().invoke(main, args, env=environment, catch_exceptions=False)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "intake")
def test_every_command_has_help(command: list[str]) -> None:
    result = invoke([*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_bad_usage_exits_2() -> None:
    assert invoke(["messages", "--status", "lost"]).exit_code == 2
    assert invoke(["frobnicate"]).exit_code == 2


def test_bad_config_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """GIVEN a config with a typo WHEN any command runs THEN exit 1 with one line naming the key
    and the fix, and no traceback."""
    config = tmp_path / "intake.toml"
    config.write_text("[limits]\nmax_mesage_bytes = 5\n", encoding="utf-8")
    result = invoke(["--config", str(config), "status"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "limits.max_mesage_bytes" in lines[0] and "max_message_bytes" in lines[0]
    assert "Traceback" not in result.output


def test_poll_with_no_mailbox_configured_says_what_to_do(database_url: str) -> None:
    result = invoke(["poll"], database_url)
    assert result.exit_code == 1
    assert "mailboxes.NAME" in result.output


def write_mail(tmp_path: Path) -> tuple[Path, Path, Path]:
    mail = synthetic.demo_corpus(seed=5, start=START)[:6]
    maildir = tmp_path / "maildir"
    synthetic.write_maildir(mail[:2], maildir)
    eml_dir = tmp_path / "eml"
    synthetic.write_eml_files(mail[2:4], eml_dir)
    mbox = synthetic.write_mbox(mail[4:6], tmp_path / "referrals.mbox")
    return maildir, eml_dir, mbox


def test_import_maildir_eml_and_mbox_then_list_the_ledger(
    tmp_path: Path, database_url: str
) -> None:
    """GIVEN two messages each in a Maildir, a folder of .eml files and an mbox WHEN all are
    imported, and imported again THEN the ledger has six checked messages whose JSON lines
    follow the contract, and the second import adds nothing."""
    maildir, eml_dir, mbox = write_mail(tmp_path)
    first = invoke(["import", str(maildir), str(eml_dir), str(mbox)], database_url)
    assert first.exit_code == 0, first.output
    assert "6 new" in first.output
    again = invoke(["import", str(maildir), str(eml_dir), str(mbox)], database_url)
    assert again.exit_code == 0 and "0 new" in again.output

    listed = invoke(["messages", "--json"], database_url)
    assert listed.exit_code == 0
    schema = json.loads((SCHEMAS / "messages.schema.json").read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert len(rows) == 6
    for row in rows:
        jsonschema.validate(row, schema)
        assert row["status"] == "checked" and row["source"].startswith("file:")
    assert any("#1" in row["source"] for row in rows)  # the mbox's first message
    table = invoke(["messages"], database_url)
    assert "checked" in table.output


def test_import_of_the_same_message_from_another_file_is_one_message(
    tmp_path: Path, database_url: str
) -> None:
    raw = synthetic.demo_corpus(seed=5, start=START)[0]
    (tmp_path / "a.eml").write_bytes(raw)
    (tmp_path / "b.eml").write_bytes(raw)
    result = invoke(["import", str(tmp_path / "a.eml"), str(tmp_path / "b.eml")], database_url)
    assert "1 new, 1 already in the ledger" in result.output


def test_received_at_for_imported_files(tmp_path: Path, database_url: str) -> None:
    """GIVEN files with a Received header, with only a Date header, and with neither
    WHEN imported THEN received_at is the topmost Received time, else Date, else the mtime."""
    received = (
        b"Received: from b.example by a.example; Tue, 17 Nov 2026 09:05:00 +0000\r\n"
        b"Received: from c.example by b.example; Tue, 17 Nov 2026 09:01:00 +0000\r\n"
        b"Date: Tue, 17 Nov 2026 08:59:00 +0000\r\nMessage-ID: <r@x>\r\n\r\nhello\r\n"
    )
    dated = b"Date: Wed, 18 Nov 2026 14:00:00 +0000\r\nMessage-ID: <d@x>\r\n\r\nhello\r\n"
    bare = b"Message-ID: <n@x>\r\nSubject: none\r\n\r\nhello\r\n"
    for name, raw in (("1.eml", received), ("2.eml", dated), ("3.eml", bare)):
        (tmp_path / name).write_bytes(raw)
    os.utime(tmp_path / "3.eml", (1_763_467_200, 1_763_467_200))  # 2025-11-18T12:00:00Z
    invoke(["import", str(tmp_path)], database_url)
    rows = {
        r["message_id"]: r
        for r in map(json.loads, invoke(["messages", "--json"], database_url).output.splitlines())
    }
    assert rows["<r@x>"]["received_at"] == "2026-11-17T09:05:00+00:00"
    assert rows["<d@x>"]["received_at"] == "2026-11-18T14:00:00+00:00"
    assert rows["<n@x>"]["received_at"] == "2025-11-18T12:00:00+00:00"


def test_failed_messages_are_listed_and_can_be_reprocessed(
    tmp_path: Path, database_url: str
) -> None:
    """GIVEN an import with one unreadable file WHEN listed with --status failed THEN it shows
    its reason; WHEN reprocessed THEN it is run again (and fails again, exit 1)."""
    (tmp_path / "garbage.eml").write_bytes(synthetic.malformed_emails()["binary_garbage"])
    (tmp_path / "ok.eml").write_bytes(synthetic.demo_corpus(seed=5, start=START)[0])
    invoke(["import", str(tmp_path)], database_url)
    failed = [
        json.loads(line)
        for line in invoke(
            ["messages", "--status", "failed", "--json"], database_url
        ).output.splitlines()
    ]
    assert len(failed) == 1 and failed[0]["error"]
    result = invoke(["reprocess", "--failed"], database_url)
    assert result.exit_code == 1 and "1 failed" in result.output
    assert invoke(["reprocess", str(failed[0]["id"] + 100)], database_url).exit_code == 1
    assert invoke(["reprocess"], database_url).exit_code == 2


def test_status_shows_counts_and_folders(tmp_path: Path, database_url: str) -> None:
    maildir, _, _ = write_mail(tmp_path)
    invoke(["import", str(maildir), "--mailbox", "archive"], database_url)
    result = invoke(["status"], database_url)
    assert result.exit_code == 0
    assert "archive" in result.output and "checked 2" in result.output
    assert "Attachments" in result.output and "rfs " in result.output


def test_db_upgrade_reports_the_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert "upgraded from empty" in invoke(["db", "upgrade"], url).output
    assert "already at" in invoke(["db", "upgrade"], url).output


def test_import_of_a_missing_path_is_usage_error(tmp_path: Path) -> None:
    assert invoke(["import", str(tmp_path / "nope")]).exit_code == 2


def test_demo_on_a_fresh_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a fresh checkout WHEN `intake demo` runs as a real process THEN it builds a
    Maildir, imports it into its own SQLite database and prints a summary."""
    monkeypatch.chdir(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    done = subprocess.run(
        [sys.executable, "-m", "intake", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Ledger:" in done.stdout and "checked" in done.stdout
    assert re.search(r"^Attachments: .*\d+ rfs, \d+ gcp", done.stdout, re.M)
    assert re.search(r"^Forms read: +[1-9]", done.stdout, re.M)
    assert re.search(r"^  child_surname +\S", done.stdout, re.M)  # the sample form's table
    assert (tmp_path / "var" / "demo" / "intake.db").is_file()
    assert len(mailbox.Maildir(tmp_path / "var" / "demo" / "maildir", create=False)) > 20


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("garbage-config", "not UTF-8"),
        ("not-a-database", "cannot open the database"),
        ("unreachable-postgres", "cannot open the database"),
        ("uncreatable-sqlite-folder", "cannot create the folder"),
    ],
)
def test_bad_configuration_and_databases_get_one_clear_line(
    tmp_path: Path, setup: str, expected: str
) -> None:
    """GIVEN a broken config file or an unusable database WHEN a command runs THEN exit 1
    with one line that says what is wrong, and no traceback."""
    args = ["status"]
    url = f"sqlite:///{tmp_path / 'ok.db'}"
    if setup == "garbage-config":
        (tmp_path / "bad.toml").write_bytes(bytes(range(256)))
        args = ["--config", str(tmp_path / "bad.toml"), "status"]
    elif setup == "not-a-database":
        (tmp_path / "notes.db").write_bytes(b"this is not SQLite" * 100)
        url = f"sqlite:///{tmp_path / 'notes.db'}"
    elif setup == "unreachable-postgres":
        url = "postgresql://nobody@127.0.0.1:1/nothing"
    else:
        (tmp_path / "file").write_text("x", encoding="utf-8")
        url = f"sqlite:///{tmp_path / 'file' / 'sub' / 'x.db'}"
    result = invoke(args, url)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.output


def forms(tmp_path: Path) -> list[Path]:
    """An RFS as Word, a Graded Care Profile as PDF and a corrupt PDF, written to files."""
    referral = synthetic.make_referral(random.Random("cli-parse"), concerns=["neglect"])
    files = {
        "RFS form.docx": synthetic.rfs_docx(referral),
        "GCP2.pdf": synthetic.gcp_pdf(referral.children[0]),
        "broken.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 8,
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return [tmp_path / name for name in files]


def test_parse_json_gives_one_valid_line_per_file_in_order(tmp_path: Path) -> None:
    """GIVEN an RFS, a GCP and a corrupt PDF WHEN `intake parse --json` reads them THEN stdout
    has one line per file, in the order given, each valid against the contract's schema, named
    by the file's base name; the corrupt one is unreadable, and the exit status is 0."""
    rfs, gcp, broken = forms(tmp_path)
    result = invoke(["parse", "--json", str(gcp), str(rfs), str(broken)])
    assert result.exit_code == 0, result.output
    schema = json.loads((SCHEMAS / "parse.schema.json").read_text(encoding="utf-8"))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    for line in lines:
        jsonschema.validate(line, schema)
    assert [line["file"] for line in lines] == ["GCP2.pdf", "RFS form.docx", "broken.pdf"]
    assert [line["kind"] for line in lines] == ["gcp", "rfs", "unreadable"]
    assert lines[1]["fields"]["child_surname"]["value"]
    assert lines[2]["warnings"]


def test_parse_reports_a_missing_file_and_exits_1_after_the_rest(tmp_path: Path) -> None:
    """GIVEN a missing path between two real files WHEN parsed THEN all three lines are printed
    in order, the missing one unreadable with "cannot open: ...", then exit 1 with one line on
    stderr and no traceback."""
    rfs, gcp, _ = forms(tmp_path)
    missing = tmp_path / "nope.docx"
    result = invoke(["parse", "--json", str(rfs), str(missing), str(gcp)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["kind"] for line in lines] == ["rfs", "unreadable", "gcp"]
    assert lines[1]["file"] == "nope.docx"
    assert lines[1]["warnings"][0].startswith("cannot open: ")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    directory = invoke(["parse", "--json", str(tmp_path)])
    assert directory.exit_code == 1 and "cannot open" in directory.stdout


def test_parse_prints_a_readable_summary_without_a_database(tmp_path: Path) -> None:
    """GIVEN an RFS and a GCP WHEN parsed without --json, with no usable database configured
    THEN each file gets a summary line (kind, field and warning counts) and the form's fields
    are listed for the person who ran it; no database is needed."""
    rfs, gcp, _ = forms(tmp_path)
    result = invoke(["parse", str(rfs), str(gcp)], "postgresql://nobody@127.0.0.1:1/nothing")
    assert result.exit_code == 0, result.output
    assert re.search(
        r"^RFS form.docx: rfs.*; (pages \d+, )?fields [1-9]\d*, children \d+, warnings \d+",
        result.output,
        re.M,
    )
    assert re.search(r"^GCP2.pdf: gcp", result.output, re.M)
    assert re.search(r"^  child_surname +\S", result.output, re.M)


def test_parse_refuses_a_file_larger_than_any_message(tmp_path: Path) -> None:
    """GIVEN a file over limits.max_message_bytes WHEN parsed THEN it is not read: unreadable,
    "too large", with its real SHA-256."""
    big = tmp_path / "huge.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * 5000)
    result = invoke(["parse", "--json", str(big)], env={"INTAKE_LIMITS_MAX_MESSAGE_BYTES": "1000"})
    assert result.exit_code == 0
    (line,) = [json.loads(text) for text in result.stdout.splitlines()]
    assert line["kind"] == "unreadable" and line["warnings"][0].startswith("too large")
    assert line["sha256"] == hashlib.sha256(big.read_bytes()).hexdigest()


def test_parse_json_reads_the_whole_golden_corpus_as_expected() -> None:
    """GIVEN every file of the golden corpora (referral forms of ten templates, and attachments
    of every kind)
    WHEN `intake parse --json` reads them all in one command, in the sandbox as the daemon does
    THEN every line is valid against the contract's schema, in the order given, and gives each
    file's expected kind and, for forms, exactly its expected fields, children and concerns."""
    data = Path(__file__).parent / "data"
    expected: dict[Path, dict[str, Any]] = {}
    for root in (data / "forms", data / "attachments"):
        for found in sorted(root.rglob("*.expected.json")):
            stem = found.name[: -len(".expected.json")]
            (path,) = [p for p in found.parent.glob(f"{stem}.*") if p != found]
            expected[path] = json.loads(found.read_text("utf-8"))
    result = invoke(["parse", "--json", *map(str, expected)])
    assert result.exit_code == 0, result.output
    schema = json.loads((SCHEMAS / "parse.schema.json").read_text(encoding="utf-8"))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [path.name for path in expected]
    for line, (path, want) in zip(lines, expected.items(), strict=True):
        jsonschema.validate(line, schema)
        assert line["kind"] == want["kind"], path
        if "fields" in want:
            got = {name: item["value"] for name, item in line["fields"].items()}
            extra = {n: v for n, v in got.items() if v is not None and n not in want["fields"]}
            assert {n: got.get(n) for n in want["fields"]} == want["fields"], path
            assert not extra, path
            assert line["children"] == want["children"], path
            assert sorted(line["concerns"]) == sorted(want["concerns"]), path
