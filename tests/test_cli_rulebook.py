"""The rule book's commands as a user meets them: calls import/add/list, check (and its dry run),
exceptions (list, JSON, show, resolve, reopen), status."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from intake import synthetic
from intake.synthetic.scenarios import calls_csv, demo_calls
from tests.test_cli import SCHEMAS, invoke

START = dt.date(2026, 3, 2)  # a Monday
HEADER = (
    "called_at,caller_name,caller_agency,caller_phone,child_forenames,child_surname,"
    "child_dob,urgent,kind,taken_by,notes\n"
)


@pytest.mark.parametrize(
    "command",
    [
        ["calls"],
        ["calls", "import"],
        ["calls", "add"],
        ["calls", "list"],
        ["check"],
        ["exceptions"],
        ["exceptions", "show"],
        ["exceptions", "resolve"],
        ["exceptions", "reopen"],
    ],
    ids=" ".join,
)
def test_every_rulebook_command_has_help(command: list[str]) -> None:
    result = invoke([*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_a_calls_file_with_a_bad_row_is_refused_whole(tmp_path: Path, database_url: str) -> None:
    """GIVEN a call log whose third row has urgent 'maybe' and whose fourth has a bad date
    WHEN imported THEN exit 1, both rows listed with their line numbers and a fix, nothing
    stored; WHEN imported with --skip-invalid THEN the good rows are stored and the bad listed;
    WHEN imported again THEN nothing new is stored."""
    csv = tmp_path / "calls.csv"
    csv.write_text(
        HEADER + "2026-03-02 10:15,Dana Reed,Kittiwake School,01702 111111,Ava,Fairbank,2019-03-04,"
        "yes,referral,Helen Marsh,\n"
        + "2026-03-02 11:00,Sam Ode,GP,,,,,no,consultation,,advice\n"
        + "2026-03-02 12:00,Dana Reed,Kittiwake School,,Ben,Fairbank,,maybe,referral,,\n"
        + "2026-03-02 25:00,Dana Reed,Kittiwake School,,Cal,Fairbank,,no,referral,,\n",
        encoding="utf-8",
    )
    refused = invoke(["calls", "import", str(csv)], database_url)
    assert refused.exit_code == 1
    assert "line 4: urgent: 'maybe' is not yes/no" in refused.output
    assert "line 5: called_at" in refused.output
    assert "--skip-invalid" in refused.output and "Traceback" not in refused.output
    assert "Ben" not in refused.output and "Fairbank" not in refused.output
    assert invoke(["calls", "list"], database_url).output.strip() == "no calls recorded"

    kept = invoke(["calls", "import", "--skip-invalid", str(csv)], database_url)
    assert kept.exit_code == 0, kept.output
    assert "2 new calls stored" in kept.output and "2 invalid rows skipped" in kept.output
    again = invoke(["calls", "import", "--skip-invalid", str(csv)], database_url)
    assert "0 new calls stored, 2 already recorded" in again.output
    listed = [
        json.loads(line)
        for line in invoke(["calls", "list", "--json"], database_url).output.splitlines()
    ]
    assert [c["kind"] for c in listed] == ["referral", "consultation"]
    assert listed[0]["called_at"] == "2026-03-02T10:15:00+00:00"


def test_calls_add_validates_like_the_csv(database_url: str) -> None:
    """GIVEN a call typed on the command line with a bad urgent value WHEN added THEN exit 1
    naming the option and the fix; WHEN corrected THEN it is recorded, and a second time it is
    recognised as already recorded."""
    base = [
        "calls",
        "add",
        "--called-at",
        "2026-03-02 10:15",
        "--caller-name",
        "Dana Reed",
        "--child-forenames",
        "Ava",
        "--child-surname",
        "Fairbank",
        "--child-dob",
        "04/03/2019",
    ]
    bad = invoke([*base, "--urgent", "maybe"], database_url)
    assert bad.exit_code == 1 and "--urgent: 'maybe' is not yes/no" in bad.output
    good = invoke([*base, "--urgent", "yes"], database_url)
    assert good.exit_code == 0 and "recorded call #1" in good.output
    assert "already recorded" in invoke([*base, "--urgent", "yes"], database_url).output


def demo_mail(tmp_path: Path, days: int = 3) -> tuple[Path, Path]:
    emails = synthetic.demo_corpus(seed=11, start=START, days=days)
    maildir = tmp_path / "maildir"
    synthetic.write_maildir(emails, maildir)
    csv = tmp_path / "calls.csv"
    csv.write_text(calls_csv(demo_calls(seed=11, start=START, days=days)), encoding="utf-8")
    return maildir, csv


@pytest.mark.slow
def test_import_calls_check_and_list_exceptions(tmp_path: Path, database_url: str) -> None:
    """GIVEN three working days of synthetic referral mail and their call log
    WHEN the mail and calls are imported, a dry run is made, and then `intake check --as-of`
    a week later THEN the dry run lists what the check then raises and changes nothing; every
    `exceptions --json` line follows the contract; re-running the check raises nothing new; a
    person resolves one with a note and `exceptions show` gives its timeline."""
    maildir, csv = demo_mail(tmp_path)
    assert invoke(["import", str(maildir)], database_url).exit_code == 0
    assert invoke(["calls", "import", str(csv)], database_url).exit_code == 0
    before = invoke(["exceptions", "--status", "all", "--json"], database_url).output

    dry = invoke(["check", "--dry-run", "--as-of", "2026-03-10"], database_url)
    assert dry.exit_code == 0, dry.output
    assert "nothing was changed" in dry.output
    assert invoke(["exceptions", "--status", "all", "--json"], database_url).output == before
    would = [line for line in dry.output.splitlines() if line.startswith("  would raise")]

    checked = invoke(["check", "--as-of", "2026-03-10"], database_url)
    assert checked.exit_code == 0, checked.output
    rows = [
        json.loads(line)
        for line in invoke(
            ["exceptions", "--status", "all", "--json"], database_url
        ).output.splitlines()
    ]
    schema = json.loads((SCHEMAS / "exceptions.schema.json").read_text(encoding="utf-8"))
    for row in rows:
        jsonschema.validate(row, schema)
    rules = {row["rule"] for row in rows}
    assert {"neglect-no-gcp", "phone-no-same-day-email"} <= rules
    assert len(rows) >= len(would)
    phone = [r for r in rows if r["rule"] == "phone-no-same-day-email"]
    assert all(
        r["due_at"] and r["due_at"].endswith(("23:59:59+00:00", "23:59:59+01:00")) for r in phone
    )

    again = invoke(["check", "--as-of", "2026-03-11"], database_url)
    assert "raised 0" in again.output
    assert len(
        invoke(["exceptions", "--status", "all", "--json"], database_url).output.splitlines()
    ) == len(rows)

    first = next(r for r in rows if r["status"] == "open")
    no_note = invoke(["exceptions", "resolve", str(first["id"])], database_url)
    assert no_note.exit_code == 2
    done = invoke(
        ["exceptions", "resolve", str(first["id"]), "--note", "Called the school"], database_url
    )
    assert done.exit_code == 0 and "resolved" in done.output
    shown = invoke(["exceptions", "show", str(first["id"])], database_url)
    assert "raised by check:" in shown.output and "Called the school" in shown.output
    status = invoke(["status"], database_url)
    assert "Open exceptions" in status.output and "neglect-no-gcp" in status.output
    missing = invoke(["exceptions", "show", "99999"], database_url)
    assert missing.exit_code == 1 and "no exception with id 99999" in missing.output


def test_check_rejects_unknown_rules_and_lists_the_known(database_url: str) -> None:
    listing = invoke(["check", "--list"], database_url)
    assert listing.exit_code == 0 and "neglect-no-gcp" in listing.output
    assert invoke(["check", "--dry-run", "--rule", "no-such-rule"], database_url).exit_code == 2
    assert invoke(["check", "--rule", "neglect-no-gcp"], database_url).exit_code == 2
    bad = invoke(["check", "--as-of", "next tuesday"], database_url)
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output
