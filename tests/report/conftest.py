"""The daily report's test bench: a real SMTP server (aiosmtpd on 127.0.0.1, plain, STARTTLS or
implicit TLS with a self-signed certificate made here, with AUTH), and a small front door that
raises exceptions through the store's own API about children from the synthetic generators.

The week used: Monday 30 November 2026 to Friday 4 December 2026 (GMT, no bank holiday);
Christmas 2026 for the bank holidays (Fri 25 and Mon 28 December).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import random
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from intake import service
from intake.config import DatabaseSettings, LimitSettings, ReportSettings, Settings, SmtpSettings
from intake.store.ledger import Store
from intake.store.records import Judgement
from intake.synthetic.people import Child, make_child

LONDON = ZoneInfo("Europe/London")
MON = dt.date(2026, 11, 30)
SMTP_USER = "intake-report"
SMTP_PASSWORD = "correct horse battery staple"
SENDER = "c-spoc-intake@example.gov.uk"
RECIPIENTS = ("duty-managers@example.gov.uk", "team-leader@example.gov.uk")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# -- certificates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for localhost and 127.0.0.1 (it is its own CA)."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert_path, key_path)


# -- the SMTP server ------------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler keeping every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.logins: list[str] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
        if ok:
            self.logins.append(auth_data.login.decode())
        # handled=False: aiosmtpd answers 535 itself (True would leave the client waiting).
        return AuthResult(success=ok, handled=False)

    def messages(self) -> list[EmailMessage]:
        found = []
        for envelope in self.envelopes:
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            found.append(parsed)
        return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class SmtpServer:
    """A running aiosmtpd on 127.0.0.1, and the settings that reach it."""

    mode: str
    port: int
    inbox: Inbox
    certificate: Certificate
    controller: Controller | None = field(default=None, repr=False)

    def start(self) -> None:
        kwargs: dict[str, Any] = {
            "authenticator": self.inbox.authenticate,
            # aiosmtpd knows TLS only after STARTTLS; under implicit TLS the whole session is
            # encrypted already, and plain SMTP is on loopback only.
            "auth_require_tls": self.mode == "starttls",
        }
        context = self.certificate.server_context()
        if self.mode == "implicit":
            kwargs["ssl_context"] = context
        elif self.mode == "starttls":
            kwargs["tls_context"] = context
            kwargs["require_starttls"] = True
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, ready_timeout=10, **kwargs
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def smtp_settings(self, **overrides: Any) -> SmtpSettings:
        values: dict[str, Any] = {
            "host": "127.0.0.1" if self.mode == "plain" else "localhost",
            "port": self.port,
            "tls": self.mode,
            "username": SMTP_USER,
            "timeout": 5,
            "ca_file": str(self.certificate.cert),
        }
        values.update(overrides)
        return SmtpSettings(**values)


@pytest.fixture
def smtp_server(
    request: pytest.FixtureRequest, certificate: Certificate, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SmtpServer]:
    """An SMTP server (implicit TLS unless the test is parametrized with ``smtp_mode``)."""
    mode = getattr(request, "param", "implicit")
    monkeypatch.setenv("INTAKE_SMTP_PASSWORD", SMTP_PASSWORD)
    server = SmtpServer(mode, free_port(), Inbox(), certificate)
    server.start()
    yield server
    server.stop()


# -- a front door ---------------------------------------------------------------------------------


@dataclass
class FrontDoor:
    """Exceptions raised through the store's own API, as the rule book would record them."""

    store: Store
    settings: Settings
    folder: Path
    rng: random.Random = field(default_factory=lambda: random.Random(20261130))
    _anchors: int = 0

    def child(self, **overrides: Any) -> Child:
        return replace(make_child(self.rng, on=MON), **overrides)

    def call(self, called_at: dt.datetime, kid: Child, agency: str) -> int:
        added = service.add_call(
            self.settings,
            self.store,
            called_at=called_at.isoformat(),
            caller_name="Duty Caller",
            caller_agency=agency,
            child_forenames=kid.forenames,
            child_surname=kid.surname,
            child_dob=kid.dob.isoformat() if kid.dob else None,
            urgent="yes",
        )
        assert added.id is not None, added.problems
        return added.id

    def raise_(
        self,
        rule: str,
        raised_at: dt.datetime,
        kid: Child | None = None,
        *,
        severity: str = "exception",
        due_at: dt.datetime | None = None,
        call_pk: int | None = None,
        arrived_at: dt.datetime | None = None,
        late: bool | None = None,
        detail: str = "",
    ) -> int:
        """Record one exception (auto-resolved when ``arrived_at`` is given); its id."""
        self._anchors += 1
        anchor = f"call:{call_pk}" if call_pk else f"msg:{9000 + self._anchors}"
        self.store.cases.record(
            [
                Judgement(
                    rule=rule,
                    severity=severity,
                    anchor=anchor,
                    outcome="hit",
                    detail=detail or f"{rule} found",
                    due_at=due_at,
                    raised_at=raised_at,
                    child_forenames=kid.forenames if kid else None,
                    child_surname=kid.surname if kid else None,
                    child_dob=kid.dob.isoformat() if kid and kid.dob else None,
                    message_pk=None,
                    form_ordinal=None,
                    call_pk=call_pk,
                    arrived_at=arrived_at,
                    late=late,
                )
            ],
            [],
            as_of=raised_at,
            messages=[],
            calls=[],
        )
        found = self.store.cases.exceptions(status=None)
        return max(record.id for record in found)


def report_settings(database_url: str, out_dir: Path, **report: Any) -> Settings:
    values: dict[str, Any] = {"out_dir": str(out_dir)}
    values.update(report)
    return Settings(
        database=DatabaseSettings(url=database_url),
        limits=LimitSettings(parse_workers=0),
        report=ReportSettings(**values),
    )


@pytest.fixture
def sqlite_store(tmp_path: Path, sqlite_template: Path) -> Iterator[Store]:
    """A store on SQLite only, for tests that touch nothing database-specific."""
    import shutil

    path = tmp_path / "intake.db"
    shutil.copy(sqlite_template, path)
    opened = Store.open(f"sqlite:///{path}")
    yield opened
    opened.close()


@pytest.fixture
def door(sqlite_store: Store, tmp_path: Path) -> FrontDoor:
    return FrontDoor(sqlite_store, report_settings(sqlite_store.url, tmp_path / "out"), tmp_path)
