"""`intake report` and the report lines of `intake status`, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from intake.cli import main
from intake.store.ledger import Store
from tests.report.conftest import (
    MON,
    RECIPIENTS,
    SENDER,
    SMTP_USER,
    FrontDoor,
    SmtpServer,
    at,
    free_port,
)


def invoke(args: list[str], env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, args, env={"INTAKE_CONFIG": "", **(env or {})})


def write_config(path: Path, store: Store, out: Path, port: int) -> Path:
    recipients = ", ".join(f'"{r}"' for r in RECIPIENTS)
    path.write_text(
        f"""
[database]
url = "{store.url}"

[report]
recipients = [{recipients}]
sender = "{SENDER}"
out_dir = "{out}"

[smtp]
host = "127.0.0.1"
port = {port}
tls = "plain"
username = "{SMTP_USER}"
timeout = 5
""",
        encoding="utf-8",
    )
    return path


def test_report_writes_its_files_and_prints_their_paths(door: FrontDoor, tmp_path: Path) -> None:
    """GIVEN an open exception WHEN `intake report --date 2026-12-01 --out DIR` runs THEN it
    exits 0, writes report-2026-12-01.html/.csv/.txt there and prints their paths; nothing is
    recorded as sent."""
    door.raise_("neglect-no-gcp", at(MON, 17, 30), door.child(), due_at=at(MON, 17, 30))
    out = tmp_path / "reports"
    result = invoke(
        ["report", "--date", "2026-12-01", "--out", str(out)],
        {"INTAKE_DATABASE_URL": door.store.url},
    )
    assert result.exit_code == 0, result.output
    names = ["report-2026-12-01.html", "report-2026-12-01.csv", "report-2026-12-01.txt"]
    assert result.stdout.splitlines()[:3] == [str(out / name) for name in names]
    assert all((out / name).is_file() for name in names)
    assert "EX-1" in (out / "report-2026-12-01.html").read_text(encoding="utf-8")
    assert door.store.reports.get(MON.replace(day=1, month=12)) is None


def test_send_with_no_recipients_says_what_to_set(door: FrontDoor, tmp_path: Path) -> None:
    """GIVEN no report.recipients configured WHEN `intake report --send` runs THEN it exits 1
    with one line naming the settings to fill in, and the day is not recorded as sent."""
    result = invoke(
        ["report", "--date", "2026-12-01", "--out", str(tmp_path), "--send"],
        {"INTAKE_DATABASE_URL": door.store.url},
    )
    assert result.exit_code == 1
    assert "report.recipients is empty" in result.stderr
    assert door.store.reports.get(MON.replace(day=1, month=12)) is None


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--date", "1 December"],
        ["report", "--date", "2026-13-01"],
        ["report", "--force"],
        ["report", "--sned"],
    ],
)
def test_bad_usage_exits_2(args: list[str]) -> None:
    """GIVEN a bad date, --force without --send or an unknown option THEN exit 2."""
    result = invoke(args)
    assert result.exit_code == 2
    assert "Usage:" in result.output


@pytest.mark.parametrize("smtp_server", ["plain"], indirect=True)
def test_send_once_then_refuse_then_force(
    door: FrontDoor, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """GIVEN a configured mail server WHEN `intake report --date D --send` runs THEN the report
    is emailed and recorded; WHEN run again THEN exit 1 with one line saying --force resends;
    WHEN run with --force THEN it is sent again; `intake status` shows the last one sent."""
    config = write_config(tmp_path / "intake.toml", door.store, tmp_path / "out", smtp_server.port)
    base = ["--config", str(config), "report", "--date", "2026-12-01", "--send"]
    first = invoke(base)
    assert first.exit_code == 0, first.output
    assert "report 2026-12-01: sent to 2 recipients" in first.output
    again = invoke(base)
    assert again.exit_code == 1
    assert [line for line in again.stderr.splitlines() if line.startswith("intake:")] == [
        "intake: report 2026-12-01: already sent; "
        "`intake report --date 2026-12-01 --send --force` sends it again"
    ]
    forced = invoke([*base, "--force"])
    assert forced.exit_code == 0, forced.output
    assert len(smtp_server.inbox.envelopes) == 2
    status = invoke(["--config", str(config), "status"])
    assert status.exit_code == 0, status.output
    assert "Daily report" in status.output
    assert "last sent: 2026-12-01 at " in status.output and "to 2 recipients" in status.output


def test_a_failed_send_is_one_line_and_status_shows_it(door: FrontDoor, tmp_path: Path) -> None:
    """GIVEN the mail server is down WHEN `intake report --send` runs THEN exit 1 with one line
    (no traceback) naming the server, and `intake status` shows the failure and its retry."""
    port = free_port()
    config = write_config(tmp_path / "intake.toml", door.store, tmp_path / "out", port)
    result = invoke(
        ["--config", str(config), "report", "--date", "2026-12-01", "--send"],
        {"INTAKE_SMTP_PASSWORD": "x"},
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("intake:")]
    assert lines == [f"intake: report 2026-12-01: not sent: connection to 127.0.0.1:{port} refused"]
    assert "Traceback" not in result.output
    status = invoke(["--config", str(config), "status"])
    assert f"FAILED 2026-12-01 after 1 attempt: not sent: connection to 127.0.0.1:{port}" in (
        status.output
    )


def test_a_missing_password_says_how_to_give_it(
    door: FrontDoor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN recipients and an SMTP login but no password WHEN --send runs THEN exit 1 saying
    to set INTAKE_SMTP_PASSWORD, and the day is not marked as attempted."""
    monkeypatch.delenv("INTAKE_SMTP_PASSWORD", raising=False)
    config = write_config(tmp_path / "intake.toml", door.store, tmp_path / "out", free_port())
    result = invoke(["--config", str(config), "report", "--date", "2026-12-01", "--send"])
    assert result.exit_code == 1
    assert "set INTAKE_SMTP_PASSWORD or smtp.password_file" in result.stderr
    assert door.store.reports.get(MON.replace(day=1, month=12)) is None
