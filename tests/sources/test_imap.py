"""ImapSource against a real private Dovecot: read-only fetching, cursors, batches, TLS, actions."""

# No mocks of anything on the network: every test talks IMAP to its own Dovecot. Messages are
# synthetic and built inline; the names in them are obviously fictional.

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any

import pytest

from intake.errors import SourceConnectError, SourceProtocolError
from intake.sources.base import Fetched, MailSource, MessageRef, PostAction
from intake.sources.imap import HEADER_BYTES, ImapSource
from tests.support.dovecot import DovecotServer, require_dovecot

pytestmark = pytest.mark.dovecot

SEEN = b"\\Seen"
FLAGGED = b"\\Flagged"
MIB = 1024 * 1024


def make_message(n: int, *, body: str = "", attachment: int = 0) -> bytes:
    """A synthetic referral email (CRLF line ends, as IMAP stores it); ``attachment`` bytes."""
    msg = EmailMessage()
    msg["From"] = "Polly Placeholder <polly.placeholder@example.test>"
    msg["To"] = "cspoc@example.test"
    msg["Subject"] = f"Synthetic referral {n} for Fictional Child Zed"
    msg["Message-ID"] = f"<synthetic-{n}@example.test>"
    msg["Date"] = "Mon, 01 Jan 2024 09:00:00 +0000"
    msg.set_content(body or f"Made-up referral text number {n}.\n")
    if attachment:
        blob = (bytes(range(256)) * (attachment // 256 + 1))[:attachment]
        msg.add_attachment(
            blob, maintype="application", subtype="octet-stream", filename="form.bin"
        )
    return msg.as_bytes(policy=SMTP)


def source(
    server: DovecotServer,
    *,
    host: str = "localhost",
    port: int | None = None,
    tls: str = "implicit",
    ca_file: str | None = "server",
    password: str | None = None,
    **options: Any,
) -> ImapSource:
    """An ImapSource for the test server: implicit TLS, verified against its certificate."""
    return ImapSource(
        "cspoc",
        host,
        server.imaps_port if port is None else port,
        tls,
        server.user,
        server.password if password is None else password,
        ca_file=server.cafile if ca_file == "server" else ca_file,
        timeout=10.0,
        **options,
    )


def without_recent(flags: tuple[bytes, ...]) -> set[bytes]:
    """The flags a person or client set (\\Recent is session bookkeeping)."""
    return set(flags) - {b"\\Recent"}


def fetch_all(src: ImapSource, refs: list[MessageRef], max_bytes: int = 10 * MIB) -> list[Fetched]:
    return [item for batch in src.fetch(refs, max_bytes) for item in batch]


def tls_session_stats(server: DovecotServer, after: int) -> dict[str, int]:
    """The statistics Dovecot logs when the first TLS session after log line ``after`` ends.

    ``out`` is the bytes the server sent; ``body_count`` how many message bodies. The test
    server's own helper connections are plain, so the TLS session is the source's.
    """
    login = server.wait_for_log(r"Login: user=<test>.*\bTLS\b.*session=<([^>]+)>", after=after)
    session = re.escape(login.group(1))
    logout = server.wait_for_log(rf"<{session}>: Info: Disconnected: Logged out (.*)$", after=after)
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", logout.group(1))}


@pytest.fixture
def rawlogged() -> Iterator[DovecotServer]:
    """A Dovecot that records every command clients send."""
    require_dovecot()
    with DovecotServer(rawlog=True) as server:
        yield server


@pytest.fixture
def wrong_ca(tmp_path: Path) -> str:
    """A self-signed certificate for localhost that the test server does not use."""
    cert = tmp_path / "other-ca.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(tmp_path / "other-key.pem"), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert)


# ------------------------------------------------------------------------------ reading


def test_is_a_mail_source(dovecot: DovecotServer) -> None:
    src = source(dovecot, folders=("INBOX", "Referrals"))
    assert isinstance(src, MailSource)
    assert list(src.folders()) == ["INBOX", "Referrals"]


def test_listing_and_fetching_changes_no_flags(rawlogged: DovecotServer) -> None:
    """GIVEN three messages, one of which a person has already read (\\Seen)
    WHEN the source lists and fetches the folder
    THEN all three are fetched byte for byte, no flag changed, and the client only ever
    EXAMINEd, PEEKed and searched by UID (no SELECT, no SEARCH ALL, no UNSEEN)
    """
    raws = [make_message(n) for n in range(3)]
    uids = [rawlogged.append("INBOX", raw) for raw in raws[:2]]
    uids.append(rawlogged.append("INBOX", raws[2], flags=[SEEN]))
    before = {uid: without_recent(f) for uid, f in rawlogged.flags("INBOX").items()}
    rawlogged.clear_rawlog()

    with source(rawlogged) as src:
        refs = src.list_new("INBOX", src.state("INBOX").uidvalidity, 0)
        fetched = fetch_all(src, refs)

    assert [f.ref.uid for f in fetched] == uids
    assert [f.raw for f in fetched] == raws
    commands = rawlogged.rawlog_commands()
    assert any(c.startswith("EXAMINE") for c in commands), commands
    for command in commands:
        upper = command.upper()
        assert not upper.startswith(("SELECT", "STORE", "UID STORE", "EXPUNGE", "CLOSE")), command
        assert "SEARCH ALL" not in upper, command
        assert "UNSEEN" not in upper, command
        assert "FETCH" not in upper or "BODY[" not in upper, command  # only BODY.PEEK[
    after = {uid: without_recent(f) for uid, f in rawlogged.flags("INBOX").items()}
    assert after == before
    assert [SEEN in after[uid] for uid in uids] == [False, False, True]


def test_state_is_one_status_command(rawlogged: DovecotServer) -> None:
    """GIVEN a folder with two messages
    WHEN the source asks for its state
    THEN it gets UIDVALIDITY, UIDNEXT and the count from one STATUS, without selecting
    """
    for n in range(2):
        rawlogged.append("INBOX", make_message(n))
    rawlogged.clear_rawlog()

    with source(rawlogged) as src:
        state = src.state("INBOX")

    assert state.folder == "INBOX"
    assert state.uidnext == 3
    assert state.exists == 2
    assert isinstance(state.uidvalidity, int)
    assert rawlogged.rawlog_commands() == [
        'STATUS "INBOX" (UIDNEXT UIDVALIDITY MESSAGES)',
        "LOGOUT",
    ]


def test_list_new_returns_only_uids_after_the_cursor(dovecot: DovecotServer) -> None:
    """GIVEN five messages with UIDs 1..5
    WHEN the source lists after various cursors
    THEN it returns exactly the UIDs above the cursor, oldest first, with size and an aware date
    """
    raws = [make_message(n) for n in range(5)]
    when = dt.datetime(2024, 3, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    uids = [dovecot.append("INBOX", raw, internaldate=when) for raw in raws]

    with source(dovecot) as src:
        validity = src.state("INBOX").uidvalidity
        everything = src.list_new("INBOX", validity, 0)
        tail = src.list_new("INBOX", validity, 3)
        none = src.list_new("INBOX", validity, 5)
        beyond = src.list_new("INBOX", validity, 500)

    assert [r.uid for r in everything] == uids == [1, 2, 3, 4, 5]
    assert [r.uid for r in tail] == [4, 5]
    assert none == beyond == []
    first = everything[0]
    assert first.mailbox == "cspoc"
    assert first.folder == "INBOX"
    assert first.uidvalidity == validity
    assert first.path is None
    assert first.size == len(raws[0])
    assert first.internaldate == when
    assert first.internaldate is not None
    assert first.internaldate.utcoffset() == dt.timedelta(0)
    assert first.source == f"imap:cspoc/INBOX/{validity}/1"


def test_highest_uid_below_the_cursor_is_not_returned(dovecot: DovecotServer) -> None:
    """GIVEN UIDs 1..3 were seen, then a person deleted UID 3 (UIDNEXT stays 4)
    WHEN the source lists after UID 3
    THEN it returns nothing, although `UID SEARCH UID 4:*` answers with UID 2 (n:* gotcha)
    """
    for n in range(3):
        dovecot.append("INBOX", make_message(n))
    with dovecot.client() as imap:
        imap.select_folder("INBOX")
        imap.add_flags([3], [b"\\Deleted"])
        imap.uid_expunge([3])
        assert imap.search(["UID", "4:*"]) == [2]  # the gotcha itself, straight from the server

    with source(dovecot) as src:
        state = src.state("INBOX")
        assert state.uidnext == 4
        assert src.list_new("INBOX", state.uidvalidity, 3) == []
        assert [r.uid for r in src.list_new("INBOX", state.uidvalidity, 1)] == [2]


def test_list_new_of_many_messages_is_complete_and_ordered(
    dovecot: DovecotServer, tmp_path: Path
) -> None:
    """GIVEN 1,205 messages in a folder (more than one metadata FETCH chunk)
    WHEN the source lists them all, then after UID 1,200
    THEN every UID comes back once in order with its size, then only the last five
    """
    template = make_message(0)  # one build, then cheap byte edits: the email package is slow
    corpus = []
    for n in range(1205):
        path = tmp_path / f"{n:05}.eml"
        path.write_bytes(template.replace(b"synthetic-0@", f"synthetic-{n}@".encode()))
        corpus.append(path)
    dovecot.create_folder("Referrals")
    uids = dovecot.link_files("Referrals", corpus)
    sizes = sorted(p.stat().st_size for p in corpus)

    with source(dovecot, folders=("Referrals",)) as src:
        validity = src.state("Referrals").uidvalidity
        refs = src.list_new("Referrals", validity, 0)
        tail = src.list_new("Referrals", validity, 1200)

    assert [r.uid for r in refs] == uids == list(range(1, 1206))
    assert sorted(r.size for r in refs) == sizes
    assert [r.uid for r in tail] == [1201, 1202, 1203, 1204, 1205]


def test_batches_are_bounded_by_count(dovecot: DovecotServer) -> None:
    """GIVEN seven messages and a source with batch_messages=3
    WHEN it fetches them
    THEN the batches hold 3, 3 and 1 messages, in UID order
    """
    dovecot.multiappend("INBOX", [make_message(n) for n in range(7)])

    with source(dovecot, batch_messages=3) as src:
        refs = src.list_new("INBOX", None, 0)
        batches = list(src.fetch(refs, 10 * MIB))

    assert [len(b) for b in batches] == [3, 3, 1]
    assert [f.ref.uid for b in batches for f in b] == list(range(1, 8))


def test_batches_are_bounded_by_bytes(dovecot: DovecotServer) -> None:
    """GIVEN six ~10 kB messages and one ~40 kB message, and batch_bytes=25,000
    WHEN the source fetches them
    THEN no batch's raw bytes exceed 25,000 except the big message, which travels alone
    """
    raws = [make_message(n, attachment=7_000) for n in range(3)]
    raws.append(make_message(3, attachment=30_000))
    raws += [make_message(n, attachment=7_000) for n in range(4, 7)]
    dovecot.multiappend("INBOX", raws)

    with source(dovecot, batch_bytes=25_000) as src:
        refs = src.list_new("INBOX", None, 0)
        batches = list(src.fetch(refs, 10 * MIB))

    sums = [sum(len(f.raw or b"") for f in b) for b in batches]
    assert [f.raw for b in batches for f in b] == raws
    assert [[f.ref.uid for f in b] for b in batches] == [[1, 2], [3], [4], [5, 6], [7]]
    assert all(total <= 25_000 for total, b in zip(sums, batches, strict=True) if len(b) > 1)


def test_oversized_message_is_not_downloaded(dovecot: DovecotServer) -> None:
    """GIVEN a 300 kB message between two small ones, and a 100 kB size cap
    WHEN the source fetches all three
    THEN the big one comes back with raw=None and its header block only, and the server's
    own session statistics show its body was never sent
    """
    small = make_message(1)
    big = make_message(2, attachment=300_000)
    for raw in (small, big, make_message(3)):
        dovecot.append("INBOX", raw)
    log_mark = len(dovecot.log_lines())

    with source(dovecot) as src:
        refs = src.list_new("INBOX", None, 0)
        fetched = fetch_all(src, refs, max_bytes=100_000)

    assert [f.ref.uid for f in fetched] == [1, 2, 3]
    over = fetched[1]
    assert over.ref.size == len(big)
    assert over.raw is None
    assert over.headers is not None
    assert len(over.headers) <= HEADER_BYTES
    assert big.startswith(over.headers)
    assert b"Message-ID: <synthetic-2@example.test>" in over.headers
    assert over.headers.endswith(b"\r\n\r\n")
    assert fetched[0].raw == small
    assert fetched[0].headers is None
    stats = tls_session_stats(dovecot, log_mark)
    assert stats["out"] < 100_000, stats
    assert stats["body_count"] == 2, stats  # the two small ones only


def test_message_expunged_after_listing_is_skipped(dovecot: DovecotServer) -> None:
    """GIVEN three listed messages, the second then deleted by a person
    WHEN the source fetches the three refs
    THEN it yields the other two and does not fail
    """
    dovecot.multiappend("INBOX", [make_message(n) for n in range(3)])

    with source(dovecot) as src:
        refs = src.list_new("INBOX", None, 0)
        with dovecot.client() as imap:
            imap.select_folder("INBOX")
            imap.add_flags([2], [b"\\Deleted"])
            imap.uid_expunge([2])
        src.state("INBOX")  # an unrelated command in between: the session notices the expunge
        fetched = fetch_all(src, refs)

    assert [f.ref.uid for f in fetched] == [1, 3]


def test_uidvalidity_change_is_detected(dovecot: DovecotServer) -> None:
    """GIVEN the source has listed a folder at UIDVALIDITY V (UIDs 3..5)
    WHEN the server's index is rebuilt (UIDVALIDITY changes, UIDs restart at 1)
    THEN the broken session raises SourceConnectError, the next call reconnects, and listing
    or fetching with the old V raises SourceProtocolError; the new V lists UIDs 1..3
    """
    for n in range(5):
        dovecot.append("INBOX", make_message(n))
    with dovecot.client() as imap:
        imap.select_folder("INBOX")
        imap.add_flags([1, 2], [b"\\Deleted"])
        imap.uid_expunge([1, 2])

    with source(dovecot) as src:
        old = src.state("INBOX").uidvalidity
        refs = src.list_new("INBOX", old, 0)
        assert [r.uid for r in refs] == [3, 4, 5]

        dovecot.reset_uidvalidity("INBOX")

        with pytest.raises(SourceConnectError):
            src.state("INBOX")
        new = src.state("INBOX").uidvalidity
        assert new != old
        with pytest.raises(SourceProtocolError, match="UIDVALIDITY changed"):
            src.list_new("INBOX", old, 0)
        with pytest.raises(SourceProtocolError, match="UIDVALIDITY changed"):
            fetch_all(src, refs)
        renumbered = src.list_new("INBOX", new, 0)
        assert [r.uid for r in renumbered] == [1, 2, 3]
        assert [f.raw for f in fetch_all(src, renumbered)] == [make_message(n) for n in (2, 3, 4)]


def test_unknown_folder_is_a_protocol_error(dovecot: DovecotServer) -> None:
    with source(dovecot) as src:
        with pytest.raises(SourceProtocolError, match=r"folder Nope: STATUS failed") as err:
            src.state("Nope")
        assert err.value.folder == "Nope"
        with pytest.raises(SourceProtocolError):
            src.list_new("Nope", None, 0)
        assert src.state("INBOX").exists == 0  # the connection is still usable


def test_nothing_personal_reaches_logs_or_errors(
    dovecot: DovecotServer, caplog: pytest.LogCaptureFixture
) -> None:
    """GIVEN every logger at DEBUG (imapclient's protocol trace included)
    WHEN the source lists, fetches, and then fails on a stale UIDVALIDITY
    THEN no subject, address or body text appears in any log record or error message
    """
    dovecot.append("INBOX", make_message(1, body="Secret-ish made-up body text.\n"))
    caplog.set_level(logging.DEBUG)

    with source(dovecot) as src:
        refs = src.list_new("INBOX", None, 0)
        assert fetch_all(src, refs)[0].raw
        with pytest.raises(SourceProtocolError) as err:
            src.list_new("INBOX", 1, 0)

    text = caplog.text + str(err.value)
    assert "intake.sources.imap" in {r.name for r in caplog.records}
    for personal in ("Fictional Child Zed", "polly.placeholder", "Polly", "Secret-ish"):
        assert personal not in text


# ------------------------------------------------------------------------- connecting


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_implicit_tls_verifies_the_certificate(dovecot: DovecotServer, host: str) -> None:
    """GIVEN the server's certificate as the CA file
    WHEN the source connects over implicit TLS by name and by address
    THEN it logs in, and the server sees a TLS session
    """
    mark = len(dovecot.log_lines())
    with source(dovecot, host=host) as src:
        assert src.state("INBOX").exists == 0
    assert "TLS" in dovecot.wait_for_log(r"Login: user=<test>.*", after=mark).group(0)


def test_starttls_verifies_the_certificate(dovecot: DovecotServer) -> None:
    """GIVEN the plain port offers STARTTLS
    WHEN the source connects with tls=starttls
    THEN it upgrades before LOGIN, and the server sees a TLS session
    """
    mark = len(dovecot.log_lines())
    with source(dovecot, port=dovecot.port, tls="starttls") as src:
        assert src.state("INBOX").exists == 0
    assert "TLS" in dovecot.wait_for_log(r"Login: user=<test>.*", after=mark).group(0)


@pytest.mark.parametrize("tls", ["implicit", "starttls"])
def test_wrong_ca_is_refused(dovecot: DovecotServer, wrong_ca: str, tls: str) -> None:
    """GIVEN a CA file that did not sign the server's certificate
    WHEN the source connects
    THEN it raises SourceConnectError before sending the password
    """
    port = dovecot.imaps_port if tls == "implicit" else dovecot.port
    mark = len(dovecot.log_lines())
    with (
        pytest.raises(SourceConnectError, match="certificate not trusted") as err,
        source(dovecot, port=port, tls=tls, ca_file=wrong_ca),
    ):
        pass
    assert err.value.mailbox == "cspoc"
    assert not any("Login: user=<test>" in line for line in dovecot.log_lines()[mark:])


def test_plain_is_allowed_on_loopback(dovecot: DovecotServer) -> None:
    with source(dovecot, host="127.0.0.1", port=dovecot.port, tls="plain", ca_file=None) as src:
        assert src.state("INBOX").exists == 0


@pytest.mark.parametrize("host", ["imap.example.test", "192.0.2.10", "127.0.0.1.example.test"])
def test_plain_to_another_host_is_refused(host: str) -> None:
    """GIVEN tls=plain and a host that is not loopback
    WHEN the source is configured
    THEN it is refused before any connection is attempted
    """
    with pytest.raises(SourceConnectError, match="tls=plain"):
        ImapSource("cspoc", host, 143, "plain", "test", "secret")


def test_unknown_tls_mode_is_refused() -> None:
    with pytest.raises(SourceConnectError, match="tls must be one of"):
        ImapSource("cspoc", "localhost", 993, "ssl", "test", "secret")


def test_wrong_password_is_a_connect_error(dovecot: DovecotServer) -> None:
    """GIVEN a wrong password
    WHEN the source opens
    THEN SourceConnectError says LOGIN failed, without echoing the password
    """
    with (
        pytest.raises(SourceConnectError, match="LOGIN failed") as err,
        source(dovecot, password="not-the-password"),
    ):
        pass
    assert "not-the-password" not in str(err.value)


def test_connection_refused_is_a_connect_error(dovecot: DovecotServer) -> None:
    port = dovecot.imaps_port
    dovecot.stop()
    with (
        pytest.raises(SourceConnectError, match=r"cannot connect.*ECONNREFUSED"),
        source(dovecot, port=port, ca_file=None),
    ):
        pass


def test_use_outside_with_is_an_error(dovecot: DovecotServer) -> None:
    with pytest.raises(RuntimeError, match="context manager"):
        source(dovecot).state("INBOX")


# ----------------------------------------------------------------------- post-actions


def _one_listed(server: DovecotServer, src: ImapSource) -> MessageRef:
    server.append("INBOX", make_message(1))
    server.append("INBOX", make_message(2))
    return src.list_new("INBOX", None, 0)[0]


def test_keyword_action_sets_the_keyword_and_not_seen(dovecot: DovecotServer) -> None:
    """GIVEN a fetched, unread message
    WHEN the keyword post-action runs
    THEN the message has the keyword, still no \\Seen, and its neighbour is untouched
    """
    with source(dovecot) as src:
        ref = _one_listed(dovecot, src)
        fetch_all(src, [ref])
        src.apply(ref, PostAction("keyword", "CspocIngested"))
        refs_after = src.list_new("INBOX", ref.uidvalidity, 0)  # reading works after a write

    flags = dovecot.flags("INBOX")
    assert b"CspocIngested" in flags[1]
    assert SEEN not in flags[1]
    assert b"CspocIngested" not in flags[2]
    assert [r.uid for r in refs_after] == [1, 2]


def test_flag_action_sets_flagged(dovecot: DovecotServer) -> None:
    with source(dovecot) as src:
        ref = _one_listed(dovecot, src)
        src.apply(ref, PostAction("flag"))

    flags = dovecot.flags("INBOX")
    assert FLAGGED in flags[1]
    assert SEEN not in flags[1]
    assert FLAGGED not in flags[2]


def test_move_action_moves_the_message(dovecot: DovecotServer) -> None:
    """GIVEN a message in INBOX and a folder Done
    WHEN the move post-action runs (server offers MOVE)
    THEN the message is in Done, unchanged and unread, and gone from INBOX
    """
    dovecot.create_folder("Done")
    with source(dovecot) as src:
        ref = _one_listed(dovecot, src)
        src.apply(ref, PostAction("move", "Done"))
        moved = src.list_new("Done", None, 0)
        assert [f.raw for f in fetch_all(src, moved)] == [make_message(1)]

    assert dovecot.uids("INBOX") == [2]
    assert SEEN not in dovecot.flags("Done")[1]


def test_move_without_move_capability_uses_uidplus() -> None:
    """GIVEN a server that does not advertise MOVE but offers UIDPLUS
    WHEN the move post-action runs
    THEN it copies, and expunges exactly that one UID (another \\Deleted message stays)
    """
    require_dovecot()
    caps = "imap_capability = IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS MULTIAPPEND"
    with DovecotServer(extra_config=caps) as server:
        server.create_folder("Done")
        server.append("INBOX", make_message(1))
        server.append("INBOX", make_message(2), flags=[b"\\Deleted"])  # a person's, mid-delete
        with source(server) as src:
            ref = src.list_new("INBOX", None, 0)[0]
            src.apply(ref, PostAction("move", "Done"))

        assert server.uids("INBOX") == [2]
        assert server.uids("Done") == [1]


def test_move_without_move_or_uidplus_is_refused() -> None:
    """GIVEN a server offering neither MOVE nor UIDPLUS
    WHEN the move post-action runs
    THEN SourceProtocolError, and the message stays where it was
    """
    require_dovecot()
    caps = "imap_capability = IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE MULTIAPPEND"
    with DovecotServer(extra_config=caps) as server:
        server.create_folder("Done")
        server.append("INBOX", make_message(1))
        with source(server) as src:
            ref = src.list_new("INBOX", None, 0)[0]
            with pytest.raises(SourceProtocolError, match="neither MOVE nor UIDPLUS"):
                src.apply(ref, PostAction("move", "Done"))

        assert server.uids("INBOX") == [1]
        assert server.uids("Done") == []
        assert not without_recent(server.flags("INBOX")[1])


def test_move_to_missing_folder_is_a_protocol_error(dovecot: DovecotServer) -> None:
    with source(dovecot) as src:
        ref = _one_listed(dovecot, src)
        with pytest.raises(SourceProtocolError, match="TRYCREATE"):
            src.apply(ref, PostAction("move", "Nowhere"))
    assert dovecot.uids("INBOX") == [1, 2]


def test_action_on_stale_uidvalidity_does_nothing(dovecot: DovecotServer) -> None:
    """GIVEN a ref whose UIDVALIDITY is no longer the folder's
    WHEN a post-action is applied
    THEN SourceProtocolError, and no message is changed
    """
    with source(dovecot) as src:
        ref = _one_listed(dovecot, src)
        assert ref.uidvalidity is not None
        stale = MessageRef(
            ref.mailbox, ref.folder, ref.uidvalidity - 1, ref.uid, None, ref.size, None
        )
        with pytest.raises(SourceProtocolError, match="UIDVALIDITY changed"):
            src.apply(stale, PostAction("flag"))

    assert all(FLAGGED not in flags for flags in dovecot.flags("INBOX").values())


@pytest.mark.parametrize(
    "action",
    [PostAction("keyword", ""), PostAction("keyword", "\\Seen"), PostAction("keyword", "a b"),
     PostAction("move", ""), PostAction("delete")],
)  # fmt: skip
def test_malformed_actions_are_rejected(dovecot: DovecotServer, action: PostAction) -> None:
    with source(dovecot) as src:
        ref = _one_listed(dovecot, src)
        with pytest.raises(ValueError, match=r"keyword|move|kind"):
            src.apply(ref, action)
    assert not any(without_recent(flags) for flags in dovecot.flags("INBOX").values())


# --------------------------------------------------------------------- the test server


def test_missing_dovecot_skips_or_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN no Dovecot binary
    WHEN a test asks for the server
    THEN it is skipped on a developer's machine but fails when services are required (CI)
    """
    monkeypatch.setattr("tests.support.dovecot.DOVECOT", "/nonexistent/dovecot")
    monkeypatch.delenv("INTAKE_TEST_REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_dovecot()
    monkeypatch.setenv("INTAKE_TEST_REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match="forbids skipping"):
        require_dovecot()


def test_two_servers_are_independent(dovecot: DovecotServer) -> None:
    """GIVEN two private servers at once
    WHEN a message is appended to one
    THEN only that one has it, and each has its own ports and directory
    """
    with DovecotServer() as other:
        assert {other.port, other.imaps_port}.isdisjoint({dovecot.port, dovecot.imaps_port})
        assert other.root != dovecot.root
        other.append("INBOX", make_message(1))
        assert other.uids("INBOX") == [1]
        assert dovecot.uids("INBOX") == []
    assert not other.root.exists()
    assert not other.running
