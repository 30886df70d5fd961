"""Mailbox post-actions of rules against the private Dovecot: made only after the commit that
records the message and its route, replacing the mailbox's default for the mail they match."""

from __future__ import annotations

import email.message
import shutil
from email.policy import SMTP
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from intake import service
from intake.cli import main
from intake.errors import StoreError
from intake.mailrules import Condition, Rule
from intake.sources.imap import ImapSource
from intake.store.ledger import Store
from tests.support.dovecot import DovecotServer
from tests.support.settings import PASSWORD_ENV, settings_for, write_config

SEEN = b"\\Seen"
FLAGGED = b"\\Flagged"


def mail(subject: str, number: int) -> bytes:
    message = email.message.EmailMessage(policy=SMTP)
    message["From"] = "Helen Marsh <helen.marsh@duty.southend.example.gov.uk>"
    message["To"] = "cspoc@southend.example.gov.uk"
    message["Subject"] = subject
    message["Message-ID"] = f"<post-action-{number}@southend.example.gov.uk>"
    message["Date"] = "Mon, 02 Mar 2026 10:00:00 +0000"
    message.set_content("Nothing to see: a test message.\n")
    return message.as_bytes()


@pytest.fixture(autouse=True)
def _password(dovecot: DovecotServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)


def flags_of(dovecot: DovecotServer, folder: str) -> list[set[bytes]]:
    return [set(f) - {b"\\Recent"} for _, f in sorted(dovecot.flags(folder).items())]


@pytest.mark.dovecot
def test_a_move_rule_moves_the_message_only_after_the_commit(
    dovecot: DovecotServer, store: Store, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a mailbox whose default post-action is keyword:IntakeStored, and a rule moving
    "Out of office" mail to Processed WHEN two messages (one matching) are polled
    THEN every mailbox change happens when every message is already committed and routed; the
    matching one is in Processed, unread, without the default keyword; the other is in INBOX
    with the default keyword; nothing is left owed."""
    dovecot.create_folder("Processed")
    dovecot.append("INBOX", mail("Out of office: back Monday", 1))
    dovecot.append("INBOX", mail("Referral for a child", 2))
    store.rules.add(
        Rule(
            "away", (Condition("subject", "contains", "out of office"),), "ignore", "move:Processed"
        ),
        actor="test",
    )
    seen_at_apply: list[list[tuple[str, str | None]]] = []
    real_apply = ImapSource.apply

    def watched(self: ImapSource, ref: object, action: object) -> None:
        seen_at_apply.append([(m.status, m.route) for m in store.rules.recent(10)])
        real_apply(self, ref, action)  # type: ignore[arg-type]

    monkeypatch.setattr(ImapSource, "apply", watched)
    settings = settings_for(
        dovecot, database_url, post_action="keyword:IntakeStored", limits={"parse_workers": 0}
    )
    result = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert (result.new, result.checked, result.actions) == (2, 2, 2)
    assert seen_at_apply and all(
        status == "checked" and route in ("ignore", "referral")
        for snapshot in seen_at_apply
        for status, route in snapshot
    )
    assert flags_of(dovecot, "Processed") == [set()]
    assert flags_of(dovecot, "INBOX") == [{b"IntakeStored"}]
    assert store.pending_actions("cspoc") == []


@pytest.mark.dovecot
def test_flag_and_keyword_rules_both_apply(
    dovecot: DovecotServer, store: Store, database_url: str
) -> None:
    """GIVEN a continuing rule that flags duty mail and a later rule tagging it Intake-Call
    WHEN polled THEN the message carries \\Flagged and Intake-Call, and is still unread."""
    dovecot.append("INBOX", mail("Phone referral taken", 3))
    store.rules.add(
        Rule(
            "flag duty",
            (Condition("sender_domain", "equals", "southend.example.gov.uk"),),
            "referral",
            "flag",
            stop=False,
        ),
        actor="test",
    )
    store.rules.add(
        Rule(
            "tag calls",
            (Condition("subject", "regex", r"^phone referral"),),
            "ignore",
            "keyword:Intake-Call",
        ),
        actor="test",
    )
    settings = settings_for(dovecot, database_url, limits={"parse_workers": 0})
    result = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert result.actions == 1
    (flags,) = flags_of(dovecot, "INBOX")
    assert {FLAGGED, b"Intake-Call"} <= flags and SEEN not in flags
    (message,) = store.rules.recent(1)
    assert (message.route, message.route_rule) == ("referral", "flag duty")


@pytest.mark.dovecot
def test_a_crash_before_the_commit_leaves_the_mailbox_unchanged(
    dovecot: DovecotServer, store: Store, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a move rule WHEN the database write of the parse and route outcome fails
    THEN the poll fails, the message is still in INBOX untouched and nothing is owed; the next
    poll, with the database back, finishes the message and only then moves it."""
    dovecot.create_folder("Processed")
    dovecot.append("INBOX", mail("Out of office", 4))
    store.rules.add(
        Rule(
            "away", (Condition("subject", "contains", "out of office"),), "ignore", "move:Processed"
        ),
        actor="test",
    )
    settings = settings_for(dovecot, database_url, limits={"parse_workers": 0})

    def broken(*args: object, **kwargs: object) -> list[str]:
        raise StoreError("database write failed (OperationalError)")

    with monkeypatch.context() as patch:
        patch.setattr(Store, "save_outcomes", broken)
        with pytest.raises(StoreError):
            service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert flags_of(dovecot, "INBOX") == [set()]
    assert flags_of(dovecot, "Processed") == []
    assert [e.status for e in store.ledger()] == ["fetched"]
    assert store.pending_actions("cspoc") == []
    again = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert (again.checked, again.actions) == (1, 1)
    assert flags_of(dovecot, "INBOX") == [] and flags_of(dovecot, "Processed") == [set()]


@pytest.mark.dovecot
def test_folder_names_are_checked_against_the_server(
    dovecot: DovecotServer, tmp_path: Path, sqlite_template: Path
) -> None:
    """GIVEN a config pointing at the mailbox, which has INBOX and Processed
    WHEN an admin adds a rule moving mail to a folder the server lacks THEN exit 1 naming the
    folder and listing the server's; --no-server-check accepts it; with the server down the
    rule is accepted with a warning that folders were not checked."""
    dovecot.create_folder("Processed")
    shutil.copy(sqlite_template, tmp_path / "intake.db")
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    config = write_config(tmp_path / "intake.toml", dovecot, url)
    env = {"INTAKE_CONFIG": str(config), "INTAKE_DATABASE_URL": url, PASSWORD_ENV: dovecot.password}

    def add(name: str, *extra: str) -> Result:
        args = ["rules", "add", name, "--if", "subject contains x", "--action", "ignore", *extra]
        return CliRunner().invoke(main, args, env=env, catch_exceptions=False)

    refused = add("a", "--post-action", "move:Procesed")
    assert refused.exit_code == 1
    assert "no folder 'Procesed' to move to" in refused.output
    assert "INBOX, Processed" in refused.output
    assert add("b", "--post-action", "move:Processed").exit_code == 0
    assert add("c", "--post-action", "move:Later", "--no-server-check").exit_code == 0
    with source_of(dovecot) as imap:
        assert {"INBOX", "Processed"} <= set(imap.list_folders())
    write_config(config, dovecot, url, port=1)  # nothing listens there: the server is down
    down = add("d", "--post-action", "move:Elsewhere")
    assert down.exit_code == 0, down.output
    assert "warning: could not list the folders of mailbox cspoc" in down.output


def source_of(server: DovecotServer) -> ImapSource:
    return ImapSource(
        "cspoc",
        "localhost",
        server.port,
        "starttls",
        server.user,
        server.password,
        ca_file=server.cafile,
    )
