"""No personal data in logs or errors: a distinctive name planted everywhere in the mail must
appear in no log line (text or JSON, any logger, DEBUG level) and in no error text."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.policy import SMTP

import pytest

from intake import logs, service
from intake.store.ledger import Store
from tests.support.dovecot import DovecotServer
from tests.support.settings import PASSWORD_ENV, settings_for

pytestmark = [pytest.mark.dovecot]

PLANTED = "Zephyrine Quillfeather-Ambrose"
PLANTED_PARTS = ("Zephyrine", "Quillfeather")


def planted_messages() -> list[bytes]:
    good = EmailMessage()
    good["From"] = f"{PLANTED} <zephyrine.quillfeather@school.example.sch.uk>"
    good["To"] = "c-spoc@southend.example.gov.uk"
    good["Subject"] = f"RFS for {PLANTED} DOB 04/03/2019"
    good["Message-ID"] = "<planted-1@example.test>"
    good["Date"] = "Fri, 20 Nov 2026 10:15:00 +0000"
    good.set_content(f"Please find attached a referral for {PLANTED}, 12 Nowhere Road, SS1 2AB.")
    good.add_attachment(
        f"Child: {PLANTED}\n".encode() * 200,
        maintype="application",
        subtype="pdf",
        filename=f"RFS {PLANTED}.pdf",
    )
    broken = good.as_bytes(policy=SMTP)
    broken = broken[: len(broken) * 3 // 4]  # cut inside the base64 attachment: this one fails
    bad_charset = (
        good.as_bytes(policy=SMTP)
        .replace(b"planted-1", b"planted-2")
        .replace(b'charset="utf-8"', b'charset="x-unknown-zz"')
    )
    return [good.as_bytes(policy=SMTP), broken, bad_charset]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_planted_name_appears_in_no_log_line_and_no_error(
    dovecot: DovecotServer,
    store: Store,
    database_url: str,
    fmt: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """GIVEN mail whose sender, subject, body and attachment name carry a distinctive name
    WHEN it is polled with every logger at DEBUG THEN the name is in no log output and in no
    ledger error, though the messages are all in the ledger."""
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    for raw in planted_messages():
        dovecot.append("INBOX", raw)
    caplog.set_level(logging.DEBUG)
    logs.setup("DEBUG", fmt)
    try:
        settings = settings_for(dovecot, database_url, post_action="keyword:IntakeStored")
        result = service.poll_mailbox(settings, store, settings.mailbox("cspoc"))
    finally:
        logs.setup("INFO", "text")
    assert result.new == 3
    captured = capsys.readouterr()
    output = captured.err + captured.out + caplog.text
    assert "poll finished" in output
    for part in PLANTED_PARTS:
        assert part not in output
        assert part.lower() not in output.lower()
    for entry in store.ledger():
        for part in PLANTED_PARTS:
            assert part not in (entry.error or "")
    assert any(entry.status == "failed" for entry in store.ledger())
