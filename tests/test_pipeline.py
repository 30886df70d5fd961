"""The whole flow against a real Dovecot and both databases: every message once, nothing lost,
nothing changed in the mailbox that a person would notice; and, through imports, what reading
each attachment found stored beside its message."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from intake import service, synthetic
from intake.config import DatabaseSettings, Settings
from intake.messages import parse_message
from intake.pipeline import PipelineSettings, poll
from intake.sources.directory import DirectorySource
from intake.store.ledger import Store
from parsers.base import ReadLimits
from tests.support.dovecot import DovecotServer
from tests.support.settings import PASSWORD_ENV, settings_for

SEEN = b"\\Seen"


@pytest.fixture(autouse=True)
def _password(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The IMAP tests' mailbox password: their Dovecot's (the import tests start none)."""
    if "dovecot" in request.fixturenames:
        server: DovecotServer = request.getfixturevalue("dovecot")
        monkeypatch.setenv(PASSWORD_ENV, server.password)


def referrals(count: int, seed: int = 7) -> list[bytes]:
    return synthetic.demo_corpus(seed=seed, start=dt.date(2026, 11, 16), days=5)[:count]


@pytest.mark.dovecot
def test_every_message_is_read_once_and_processed(
    dovecot: DovecotServer, store: Store, database_url: str
) -> None:
    """GIVEN eight referral emails in INBOX WHEN the mailbox is polled twice
    THEN the ledger has eight checked messages with their INTERNALDATE as received_at,
    and the second poll finds nothing new."""
    mail = referrals(8)
    when = dt.datetime(2026, 11, 20, 10, 15, tzinfo=dt.UTC)
    for raw in mail:
        dovecot.append("INBOX", raw, internaldate=when)
    settings = settings_for(dovecot, database_url)
    first = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert (first.new, first.checked, first.failed, first.errors) == (8, 8, 0, [])
    entries = store.ledger()
    assert [e.status for e in entries] == ["checked"] * 8
    assert {e.received_at for e in entries} == {when}
    assert entries[0].source.startswith("imap:cspoc/INBOX/")
    kinds = store.summary().attachments_by_kind
    assert kinds and "unparsed" not in kinds  # every attachment was parsed
    second = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert (second.seen, second.new) == (0, 0)
    dovecot.append("INBOX", referrals(9)[8])
    third = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert (third.seen, third.new) == (1, 1)


@pytest.mark.dovecot
def test_polling_changes_nothing_a_person_would_notice(
    dovecot: DovecotServer, store: Store, database_url: str
) -> None:
    """GIVEN one message a person already read and two unread WHEN polled
    THEN all three are processed, and the unread ones are still unread."""
    mail = referrals(3)
    dovecot.append("INBOX", mail[0], flags=[SEEN])
    dovecot.append("INBOX", mail[1])
    dovecot.append("INBOX", mail[2])
    settings = settings_for(dovecot, database_url)
    result = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert result.checked == 3
    flags = dovecot.flags("INBOX")
    assert [SEEN in f for _, f in sorted(flags.items())] == [True, False, False]


@pytest.mark.dovecot
def test_uidvalidity_change_rescans_without_duplicates(
    dovecot: DovecotServer, store: Store, database_url: str
) -> None:
    """GIVEN a polled folder WHEN the server renumbers it (new UIDVALIDITY, UIDs from 1) and a
    new message arrives THEN the next poll rescans, adds only the new message, and the
    cursor follows the new UIDVALIDITY."""
    mail = referrals(5)
    for raw in mail[:4]:
        dovecot.append("INBOX", raw)
    settings = settings_for(dovecot, database_url)
    service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    before = store.cursor("cspoc", "INBOX")
    dovecot.reset_uidvalidity("INBOX")
    dovecot.append("INBOX", mail[4])
    result = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert (result.seen, result.new, result.duplicates) == (5, 1, 4)
    after = store.cursor("cspoc", "INBOX")
    assert after.uidvalidity != before.uidvalidity and after.last_uid == 5
    assert len(store.ledger()) == 5


@pytest.mark.dovecot
def test_the_same_message_in_two_folders_is_one_message(
    dovecot: DovecotServer, store: Store, database_url: str
) -> None:
    """GIVEN a message filed in INBOX and copied to Referrals WHEN both folders are watched
    THEN the ledger has one message, seen twice."""
    dovecot.create_folder("Referrals")
    raw = referrals(1)[0]
    dovecot.append("INBOX", raw)
    dovecot.append("Referrals", raw)
    settings = settings_for(dovecot, database_url, folders=("INBOX", "Referrals"))
    result = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert (result.seen, result.new, result.duplicates) == (2, 1, 1)
    assert len(store.ledger()) == 1


@pytest.mark.dovecot
def test_post_action_runs_only_after_the_commit(
    dovecot: DovecotServer, store: Store, database_url: str
) -> None:
    """GIVEN a mailbox configured to tag stored mail with a keyword WHEN polled
    THEN each message carries the keyword, none is marked read, and no action is left owed."""
    for raw in referrals(3):
        dovecot.append("INBOX", raw)
    settings = settings_for(dovecot, database_url, post_action="keyword:IntakeStored")
    result = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert result.actions == 3
    for flags in dovecot.flags("INBOX").values():
        assert b"IntakeStored" in flags and SEEN not in flags
    assert store.pending_actions("cspoc") == []


@pytest.mark.dovecot
def test_no_post_action_unless_configured(
    dovecot: DovecotServer, store: Store, database_url: str
) -> None:
    dovecot.append("INBOX", referrals(1)[0])
    settings = settings_for(dovecot, database_url)
    service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    # \Recent is the server's own session flag, not a change a person would see.
    assert [set(f) - {b"\\Recent"} for f in dovecot.flags("INBOX").values()] == [set()]


@pytest.mark.dovecot
def test_too_large_message_is_recorded_not_downloaded(
    dovecot: DovecotServer, store: Store, database_url: str
) -> None:
    """GIVEN a size cap of 20 kB and a 200 kB message among small ones WHEN polled
    THEN the big one is in the ledger as failed "too large" with its Message-ID, the rest
    are checked, and the next poll does not fetch it again."""
    small = [synthetic.scenario("plain_enquiry", seed=n)[0].raw for n in range(2)]
    big = synthetic.scenario("rfs_pdf", seed=3)[0].raw
    big = big.replace(b"\r\n\r\n", b"\r\nX-Padding: " + b"x" * 200_000 + b"\r\n\r\n", 1)
    for raw in (small[0], big, small[1]):
        dovecot.append("INBOX", raw)
    settings = settings_for(dovecot, database_url, limits={"max_message_bytes": 100_000})
    result = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert (result.new, result.checked, result.failed) == (3, 2, 1)
    failed = store.ledger("failed")
    assert len(failed) == 1 and failed[0].error is not None and "too large" in failed[0].error
    assert failed[0].message_id is not None and failed[0].sha256 is not None
    again = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert again.seen == 0


@pytest.mark.dovecot
def test_malformed_mail_never_stops_a_poll(
    dovecot: DovecotServer, store: Store, database_url: str
) -> None:
    """GIVEN every kind of broken mail between two good referrals WHEN polled
    THEN every message is in the ledger, the broken ones failed with a reason, the good ones
    checked, and the poll itself succeeded."""
    good = referrals(2)
    broken = [raw for raw in synthetic.malformed_emails().values() if raw]
    for raw in [good[0], *broken, good[1]]:
        dovecot.append("INBOX", raw)
    settings = settings_for(dovecot, database_url)
    result = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    assert result.ok
    entries = store.ledger()
    assert len(entries) == len(broken) + 2
    assert entries[0].status == "checked" and entries[-1].status == "checked"
    for entry in entries:
        assert entry.status in {"checked", "failed"}
        if entry.status == "failed":
            assert entry.error
    assert any(e.status == "failed" for e in entries)


@pytest.mark.dovecot
def test_onboarding_cut_off_marks_history_quiet(
    dovecot: DovecotServer, store: Store, database_url: str
) -> None:
    """GIVEN mail from 2024 and from today WHEN polled with since=2026-01-01
    THEN both are stored, only the old one quietly."""
    mail = referrals(2)
    dovecot.append("INBOX", mail[0], internaldate=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    dovecot.append("INBOX", mail[1], internaldate=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    settings = settings_for(dovecot, database_url, since="2026-01-01")
    service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    quiet = [store.load(e.id).quiet for e in store.ledger()]
    assert quiet == [True, False]


@pytest.mark.dovecot
def test_a_mailbox_that_cannot_log_in_does_not_stop_the_others(
    dovecot: DovecotServer, store: Store, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN two mailboxes, one with a wrong password WHEN all are polled THEN the good one is
    read, the bad one's error is recorded for `intake status`, and no exception escapes."""
    from intake.config import Settings
    from tests.support.settings import mailbox_for

    dovecot.append("INBOX", referrals(1)[0])
    good = mailbox_for(dovecot, password_file="")
    bad = dataclasses.replace(mailbox_for(dovecot), name="broken")
    monkeypatch.setenv("INTAKE_MAILBOX_BROKEN_PASSWORD", "wrong")
    settings = Settings(
        database=settings_for(dovecot, database_url).database, mailboxes=(bad, good)
    )
    results = service.poll_mailboxes(settings, store)
    assert [r.ok for r in results] == [False, True]
    assert results[1].new == 1
    folders = {f.mailbox: f for f in store.summary().folders}
    assert folders["broken"].last_error and folders["broken"].last_success_at is None
    assert "AUTHENTICATIONFAILED" in folders["broken"].last_error
    assert (folders["cspoc"].exists, folders["cspoc"].seen) == (1, 1)


# -- attachments parsed and stored ------------------------------------------------------------


def rfs_docx_and_gcp_pdf() -> bytes:
    """A synthetic neglect referral carrying its RFS as Word and its Graded Care Profile as PDF."""
    return next(
        mail.raw
        for seed in range(100)
        for mail in synthetic.scenario("neglect_with_gcp", seed=seed)
        if mail.attachments == ("rfs_docx", "gcp_pdf")
    )


def with_attachment(raw: bytes, filename: str, data: bytes) -> bytes:
    message = email.message_from_bytes(raw, _class=EmailMessage, policy=SMTP)
    assert isinstance(message, EmailMessage)
    message.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    return message.as_bytes(policy=SMTP)


def import_one(store: Store, database_url: str, tmp_path: Path, raw: bytes) -> int:
    settings = Settings(database=DatabaseSettings(url=database_url))
    (tmp_path / "referral.eml").write_bytes(raw)
    result = service.import_paths(settings, store, [tmp_path / "referral.eml"])
    assert (result.new, result.errors) == (1, [])
    (entry,) = store.ledger()
    return entry.id


def test_an_imported_referral_has_its_forms_read_and_stored(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    """GIVEN an email with an RFS (Word) and a Graded Care Profile (PDF) WHEN imported (parsed
    in the worker processes) THEN the message is checked and its attachments are stored as rfs
    and gcp, the RFS with fields, its child (with a surname) and its concerns."""
    pk = import_one(store, database_url, tmp_path, rfs_docx_and_gcp_pdf())
    assert store.ledger()[0].status == "checked"
    rfs, gcp = store.parsed_attachments(pk)
    assert (rfs.kind, gcp.kind) == ("rfs", "gcp")
    assert rfs.file.endswith(".docx") and gcp.file.endswith(".pdf")
    assert rfs.fields and rfs.value("child_surname")
    assert rfs.children and rfs.children[0].surname
    assert "neglect" in rfs.concerns
    assert store.summary().attachments_by_kind == {"rfs": 1, "gcp": 1}


def test_reprocessing_reads_the_attachments_again_and_replaces_what_was_stored(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    """GIVEN an imported referral whose stored parse results were since overwritten (as an older
    parser might have left them) WHEN it is reprocessed THEN its attachments are read again and
    the new results replace the old, with nothing doubled."""
    pk = import_one(store, database_url, tmp_path, rfs_docx_and_gcp_pdf())
    first = store.parsed_attachments(pk)
    message = parse_message(store.load(pk).raw)
    stale = tuple(
        dataclasses.replace(result, kind="other", fields={}, children=(), concerns=())
        for result in first
    )
    store.save_outcomes(
        [(pk, message, None, stale)], max_attempts=4, backoff=dt.timedelta(minutes=5)
    )
    assert store.summary().attachments_by_kind == {"other": 2}
    settings = Settings(database=DatabaseSettings(url=database_url))
    assert service.reprocess_messages(settings, store, [pk], failed=False) == {"checked": 1}
    assert store.parsed_attachments(pk) == first
    assert store.summary().attachments_by_kind == {"rfs": 1, "gcp": 1}


def test_an_unreadable_attachment_does_not_fail_its_message(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    """GIVEN a referral that also carries a corrupt PDF WHEN imported THEN the message is still
    checked, its forms are read, and the corrupt one is stored as unreadable saying why."""
    corrupt = b"%PDF-1.7\n" + bytes(range(256)) * 40
    raw = with_attachment(rfs_docx_and_gcp_pdf(), "scan.pdf", corrupt)
    pk = import_one(store, database_url, tmp_path, raw)
    assert store.ledger()[0].status == "checked"
    rfs, gcp, scan = store.parsed_attachments(pk)
    assert (rfs.kind, gcp.kind, scan.kind) == ("rfs", "gcp", "unreadable")
    assert scan.file == "scan.pdf" and scan.warnings


def test_parse_limits_reach_the_worker_processes(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    """GIVEN a time limit far too short to read anything WHEN a referral is imported through
    the worker processes THEN every attachment is unreadable for the time limit, and the message
    is still checked: the limits travel from the settings to the workers' sandboxes."""
    (tmp_path / "referral.eml").write_bytes(rfs_docx_and_gcp_pdf())
    source = DirectorySource("import", [tmp_path / "referral.eml"])
    settings = PipelineSettings(parse_workers=2, read_limits=ReadLimits(timeout_seconds=0.001))
    assert poll(source, store, settings).checked == 1
    parsed = store.parsed_attachments(store.ledger()[0].id)
    assert [p.kind for p in parsed] == ["unreadable", "unreadable"]
    assert all(p.warnings[0].startswith("time limit") for p in parsed)
