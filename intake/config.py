"""Settings, declared once: typed defaults, TOML and environment loading, validation with fixes.

``config/intake.example.toml`` shows every key with its default and a comment; this module is
the single declaration those comments describe. A test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
import difflib
import ipaddress
import os
import re
import shutil
import tomllib
import typing
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from intake.calendar import WEEKDAYS, WorkingCalendar, parse_hours, parse_policy
from intake.cases import RuleSettings
from intake.errors import ConfigError
from parsers.base import ReadLimits

ENV_PREFIX = "INTAKE_"
DEFAULT_CONFIG_PATH = Path("config/intake.toml")
#: Keys that look like secrets: refused in the TOML so a password never lands in a file in git.
_SECRET_KEY = re.compile(r"pass(word)?$|secret|token", re.IGNORECASE)
_MAILBOX_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_LOCAL_HOSTS = {"localhost"}
#: Below this budget (what one sandboxed parse may add to its address space) little can be read.
MIN_PARSE_MEMORY_MB = 64


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = "sqlite:///var/intake.db"


@dataclass(frozen=True)
class StorageSettings:
    raw_retention_days: int = 30


@dataclass(frozen=True)
class LimitSettings:
    max_message_bytes: int = 50 * 1024 * 1024
    fetch_batch_messages: int = 100
    fetch_batch_bytes: int = 64 * 1024 * 1024
    max_attempts: int = 4
    retry_backoff_seconds: int = 300
    parse_workers: int = 2
    parse_timeout_seconds: int = 20
    parse_memory_mb: int = 1024
    parse_max_pages: int = 100
    parse_max_decompressed_mb: int = 200


@dataclass(frozen=True)
class ParsingSettings:
    #: LibreOffice's ``soffice`` for .doc/.rtf/.odt: a path or a command; "" looks on PATH;
    #: "none" never converts (such attachments are then recorded as unreadable, "unsupported").
    soffice: str = ""


@dataclass(frozen=True)
class LoggingSettings:
    level: str = "INFO"
    format: str = "text"


@dataclass(frozen=True)
class CalendarSettings:
    timezone: str = "Europe/London"
    monday: str = "09:00-17:30"
    tuesday: str = "09:00-17:30"
    wednesday: str = "09:00-17:30"
    thursday: str = "09:00-17:30"
    friday: str = "09:00-16:30"
    saturday: str = "closed"
    sunday: str = "closed"
    bank_holidays: str = "england-and-wales"
    closures: tuple[str, ...] = ()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


@dataclass(frozen=True)
class RulesSettings:
    phone_deadline: str = "same_day"
    re_referral_days: int = 183
    gcp_lookback_days: int = 1
    secure_domains: tuple[str, ...] = (
        "gov.uk",
        "nhs.net",
        "nhs.uk",
        "police.uk",
        "cjsm.net",
        "sch.uk",
        "mod.uk",
    )


@dataclass(frozen=True)
class ScheduleSettings:
    retention: str = "30 2 * * *"
    retry: str = "*/10 * * * *"
    checks: str = "*/15 * * * *"


@dataclass(frozen=True)
class ReportSettings:
    """The daily exceptions report (intake.report): when, to whom, and how children are named."""

    #: Local time of day (HH:MM) the report is cut off and sent, on working days.
    send_at: str = "08:00"
    #: Who gets it by email; empty: the report is only written to ``out_dir``.
    recipients: tuple[str, ...] = ()
    sender: str = ""
    #: ``initials`` (initials, date of birth, reference) or ``full`` (full names).
    identify: str = "initials"
    out_dir: str = "out"
    subject: str = "C-SPOC daily exceptions report"
    #: How many working days back a report missed while the daemon was down is still sent.
    catch_up_days: int = 5

    @property
    def send_time(self) -> dt.time:
        hour, _, minute = self.send_at.partition(":")
        return dt.time(int(hour), int(minute))


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server the report is sent through. The password is never stored here."""

    host: str = ""
    port: int = 0
    tls: str = "implicit"
    username: str = ""
    password_file: str = ""
    timeout: int = 30
    ca_file: str = ""

    password_env = f"{ENV_PREFIX}SMTP_PASSWORD"

    @property
    def effective_port(self) -> int:
        if self.port:
            return self.port
        return {"implicit": 465, "starttls": 587}.get(self.tls, 25)

    def password(self) -> str:
        """The SMTP password, from ``password_file`` or ``$INTAKE_SMTP_PASSWORD``."""
        if self.password_file:
            try:
                return Path(self.password_file).read_text(encoding="utf-8").strip()
            except OSError as err:
                raise ConfigError(
                    "smtp.password_file",
                    f"cannot be read ({err.strerror})",
                    "point it at a readable file holding only the password",
                ) from err
        secret = os.environ.get(self.password_env)
        if not secret:
            raise ConfigError(
                "smtp", "no password", f"set {self.password_env} or smtp.password_file"
            )
        return secret


@dataclass(frozen=True)
class WebSettings:
    """The web interface (`intake web`): where it listens and how long a sign-in lasts."""

    host: str = "127.0.0.1"
    port: int = 8080
    #: Mark the session cookie Secure (sent over HTTPS only) and send HSTS. Only for plain
    #: http on this machine (or behind nothing) may it be false.
    cookie_secure: bool = True
    #: A session ends after this many minutes without a request ...
    session_idle_minutes: int = 30
    #: ... and after this many hours in any case.
    session_hours: int = 8
    #: Failed sign-ins for one name within 15 minutes before that name is refused for 15 minutes.
    login_attempts: int = 5


@dataclass(frozen=True)
class MailboxSettings:
    """One IMAP mailbox. The password is read when needed, never stored in this object."""

    name: str
    host: str = ""
    port: int = 0
    tls: str = "implicit"
    ca_file: str = ""
    username: str = ""
    password_file: str = ""
    folders: tuple[str, ...] = ("INBOX",)
    enabled: bool = True
    schedule: str = "*/5 * * * *"
    since: str = ""
    post_action: str = "none"
    timeout: int = 60

    @property
    def password_env(self) -> str:
        return f"{ENV_PREFIX}MAILBOX_{_env_name(self.name)}_PASSWORD"

    @property
    def effective_port(self) -> int:
        if self.port:
            return self.port
        return 993 if self.tls == "implicit" else 143

    @property
    def since_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.since) if self.since else None

    def password(self) -> str:
        """The mailbox password, from ``password_file`` or the environment."""
        if self.password_file:
            try:
                return Path(self.password_file).read_text(encoding="utf-8").strip()
            except OSError as err:
                raise ConfigError(
                    f"mailboxes.{self.name}.password_file",
                    f"cannot be read ({err.strerror})",
                    "point it at a readable file holding only the password",
                ) from err
        secret = os.environ.get(self.password_env)
        if not secret:
            raise ConfigError(
                f"mailboxes.{self.name}",
                "no password",
                f"set {self.password_env} or password_file",
            )
        return secret


@dataclass(frozen=True)
class Settings:
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    parsing: ParsingSettings = field(default_factory=ParsingSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    rules: RulesSettings = field(default_factory=RulesSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    web: WebSettings = field(default_factory=WebSettings)
    mailboxes: tuple[MailboxSettings, ...] = ()
    #: The file these settings came from; ``None`` for built-in defaults.
    source: Path | None = None

    def mailbox(self, name: str) -> MailboxSettings:
        for mailbox in self.mailboxes:
            if mailbox.name == name:
                return mailbox
        known = ", ".join(m.name for m in self.mailboxes) or "none configured"
        raise ConfigError("mailboxes", f"no mailbox named {name!r}", f"known: {known}")


_SECTIONS: dict[str, type[Any]] = {
    "database": DatabaseSettings,
    "storage": StorageSettings,
    "limits": LimitSettings,
    "parsing": ParsingSettings,
    "logging": LoggingSettings,
    "calendar": CalendarSettings,
    "rules": RulesSettings,
    "schedule": ScheduleSettings,
    "report": ReportSettings,
    "smtp": SmtpSettings,
    "web": WebSettings,
}


def load(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Load settings: ``path``, else ``$INTAKE_CONFIG``, else ./config/intake.toml, else defaults.

    Environment overrides (``INTAKE_<SECTION>_<KEY>``) are applied, then everything is validated.
    """
    env = os.environ if environ is None else environ
    if path is None and env.get(f"{ENV_PREFIX}CONFIG"):
        path = Path(env[f"{ENV_PREFIX}CONFIG"])
    if path is None and DEFAULT_CONFIG_PATH.is_file():
        path = DEFAULT_CONFIG_PATH
    document: dict[str, Any] = {}
    if path is not None:
        document = _read_toml(path)
    settings = _build(document, env)
    settings = replace(settings, source=path)
    validate(settings)
    return settings


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as err:
        raise ConfigError(
            "--config", f"{path} does not exist", "give the path of an existing TOML file"
        ) from err
    except OSError as err:
        raise ConfigError(
            "--config", f"{path} cannot be read ({err.strerror})", "check its permissions"
        ) from err
    except UnicodeDecodeError as err:
        raise ConfigError("--config", f"{path} is not UTF-8 text", "save it as UTF-8 TOML") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(
            "--config", f"{path} is not valid TOML ({err})", "fix the syntax at that line"
        ) from err


def _build(document: dict[str, Any], env: Mapping[str, str]) -> Settings:
    known = [*_SECTIONS, "mailboxes"]
    for key in document:
        if key not in known:
            raise ConfigError(key, "unknown section", _did_you_mean(key, known))
    sections: dict[str, Any] = {}
    for name, cls in _SECTIONS.items():
        table = document.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(name, "must be a table", f"write it as [{name}]")
        sections[name] = _section(cls, name, table, env, f"{ENV_PREFIX}{name.upper()}_")
    boxes = document.get("mailboxes", {})
    if not isinstance(boxes, dict):
        raise ConfigError("mailboxes", "must be a table of tables", "write [mailboxes.NAME]")
    mailboxes = []
    for box_name, table in boxes.items():
        if not isinstance(table, dict):
            raise ConfigError(
                f"mailboxes.{box_name}", "must be a table", f"write it as [mailboxes.{box_name}]"
            )
        if not _MAILBOX_NAME.match(box_name):
            raise ConfigError(
                f"mailboxes.{box_name}",
                "is not a usable name",
                "use 1-40 lower-case letters, digits, - or _, starting with a letter",
            )
        prefix = f"{ENV_PREFIX}MAILBOX_{_env_name(box_name)}_"
        values = _section(
            MailboxSettings, f"mailboxes.{box_name}", table, env, prefix, skip=("name",)
        )
        mailboxes.append(replace(values, name=box_name))
    return Settings(**sections, mailboxes=tuple(mailboxes))


def _section(
    cls: type[Any],
    where: str,
    table: dict[str, Any],
    env: Mapping[str, str],
    prefix: str,
    skip: tuple[str, ...] = (),
) -> Any:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls) if f.name not in skip]
    for key in table:
        if _SECRET_KEY.search(key) and key != "password_file":
            raise ConfigError(
                f"{where}.{key}",
                "secrets are not read from the config file",
                "remove it; set the environment variable instead (see config/intake.example.toml)",
            )
        if key not in names:
            raise ConfigError(f"{where}.{key}", "unknown key", _did_you_mean(key, names))
    values: dict[str, Any] = {}
    for name in names:
        env_key = prefix + name.upper()
        if env_key in env:
            values[name] = _from_env(f"{where}.{name} (from {env_key})", hints[name], env[env_key])
        elif name in table:
            values[name] = _coerce(f"{where}.{name}", hints[name], table[name])
    if "name" in skip:
        return cls(name="", **values)
    return cls(**values)


def _coerce(key: str, hint: Any, value: Any) -> Any:
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(key, f"must be true or false, not {value!r}", "write true or false")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(key, f"must be a whole number, not {value!r}", "write e.g. 30")
    if hint is str:
        if isinstance(value, str):
            return value
        raise ConfigError(key, f"must be text, not {value!r}", "put it in double quotes")
    if hint == tuple[str, ...]:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(key, "must be a list of text", 'write e.g. ["INBOX", "Referrals"]')
    raise AssertionError(f"no coercion for {hint}")  # a declaration bug, not user input


def _from_env(key: str, hint: Any, text: str) -> Any:
    if hint is bool:
        lowered = text.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(key, f"must be true or false, not {text!r}", "set true or false")
    if hint is int:
        try:
            return int(text)
        except ValueError as err:
            raise ConfigError(key, f"must be a whole number, not {text!r}", "set e.g. 30") from err
    if hint == tuple[str, ...]:
        return tuple(part.strip() for part in text.split(",") if part.strip())
    return text


def validate(settings: Settings) -> None:
    """Check every value makes sense together; raise ConfigError naming the key and the fix."""
    url = settings.database.url
    if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", url):
        raise ConfigError(
            "database.url",
            "must be a sqlite:/// or postgresql:// URL",
            'e.g. "sqlite:///var/intake.db" or "postgresql+psycopg://user@host/db"',
        )
    _positive("storage.raw_retention_days", settings.storage.raw_retention_days)
    limits = settings.limits
    _positive("limits.max_message_bytes", limits.max_message_bytes)
    _positive("limits.fetch_batch_messages", limits.fetch_batch_messages)
    _positive("limits.fetch_batch_bytes", limits.fetch_batch_bytes)
    _positive("limits.max_attempts", limits.max_attempts)
    _positive("limits.retry_backoff_seconds", limits.retry_backoff_seconds)
    if not 0 <= limits.parse_workers <= 64:
        raise ConfigError(
            "limits.parse_workers",
            f"must be 0-64, not {limits.parse_workers}",
            "use the number of cores (0 parses in the poller's own process)",
        )
    _positive("limits.parse_timeout_seconds", limits.parse_timeout_seconds)
    if limits.parse_memory_mb < MIN_PARSE_MEMORY_MB:
        raise ConfigError(
            "limits.parse_memory_mb",
            f"must be at least {MIN_PARSE_MEMORY_MB}, not {limits.parse_memory_mb}",
            "it is what one parse may allocate; 1024 suits most forms",
        )
    _positive("limits.parse_max_pages", limits.parse_max_pages)
    _positive("limits.parse_max_decompressed_mb", limits.parse_max_decompressed_mb)
    _soffice("parsing.soffice", settings.parsing.soffice)
    if settings.logging.level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(
            "logging.level",
            f"unknown level {settings.logging.level!r}",
            "use DEBUG, INFO, WARNING or ERROR",
        )
    if settings.logging.format not in {"text", "json"}:
        raise ConfigError(
            "logging.format", f"unknown format {settings.logging.format!r}", 'use "text" or "json"'
        )
    try:
        zone = settings.calendar.zone
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
        raise ConfigError(
            "calendar.timezone",
            f"unknown zone {settings.calendar.timezone!r}",
            'use an IANA name such as "Europe/London"',
        ) from err
    working_calendar(settings)
    _validate_rules(settings.rules)
    _schedule("schedule.retention", settings.schedule.retention, zone)
    _schedule("schedule.retry", settings.schedule.retry, zone)
    _schedule("schedule.checks", settings.schedule.checks, zone)
    for box in settings.mailboxes:
        _validate_mailbox(box, zone)
    _validate_report(settings.report, settings.smtp)
    _validate_web(settings.web)


def _validate_mailbox(box: MailboxSettings, zone: zoneinfo.ZoneInfo) -> None:
    where = f"mailboxes.{box.name}"
    if not box.host:
        raise ConfigError(f"{where}.host", "is missing", "give the IMAP server's host name")
    if not box.username:
        raise ConfigError(f"{where}.username", "is missing", "give the IMAP login name")
    if box.tls not in {"implicit", "starttls", "plain"}:
        raise ConfigError(
            f"{where}.tls",
            f"unknown mode {box.tls!r}",
            'use "implicit" (port 993), "starttls" (143) or "plain" (localhost)',
        )
    if box.tls == "plain" and not is_loopback(box.host):
        raise ConfigError(
            f"{where}.tls",
            "plaintext IMAP is allowed only to this machine (localhost)",
            'use "implicit" or "starttls"; certificates are always verified',
        )
    if not 0 <= box.port <= 65535:
        raise ConfigError(f"{where}.port", f"{box.port} is not a port", "use 1-65535, or 0")
    if box.ca_file and not Path(box.ca_file).is_file():
        raise ConfigError(
            f"{where}.ca_file",
            f"{box.ca_file} does not exist",
            'give a PEM CA bundle, or "" to use the system\'s',
        )
    if not box.folders:
        raise ConfigError(f"{where}.folders", "is empty", 'list at least one, e.g. ["INBOX"]')
    _schedule(f"{where}.schedule", box.schedule, zone)
    if box.since:
        try:
            dt.date.fromisoformat(box.since)
        except ValueError as err:
            raise ConfigError(
                f"{where}.since", f"{box.since!r} is not a date", 'write YYYY-MM-DD, or "" for none'
            ) from err
    if not re.match(r"^(none|flag|keyword:[A-Za-z0-9$_.-]{1,60}|move:.+)$", box.post_action):
        raise ConfigError(
            f"{where}.post_action",
            f"unknown action {box.post_action!r}",
            'use "none", "flag", "keyword:NAME" or "move:FOLDER"',
        )
    _positive(f"{where}.timeout", box.timeout)


_ADDRESS = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


def _validate_report(report: ReportSettings, smtp: SmtpSettings) -> None:
    if not re.match(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", report.send_at):
        raise ConfigError(
            "report.send_at",
            f"{report.send_at!r} is not a time of day",
            'write HH:MM (24-hour), e.g. "08:00"',
        )
    if report.identify not in {"initials", "full"}:
        raise ConfigError(
            "report.identify",
            f"unknown choice {report.identify!r}",
            'use "initials" (initials, date of birth, reference) or "full" (full names)',
        )
    for address in report.recipients:
        if not _ADDRESS.match(address):
            raise ConfigError(
                "report.recipients",
                f"{address!r} is not an email address",
                'write plain addresses, e.g. ["duty-managers@example.gov.uk"]',
            )
    if not report.out_dir.strip():
        raise ConfigError("report.out_dir", "is empty", 'give a directory, e.g. "out"')
    if not report.subject.strip():
        raise ConfigError(
            "report.subject", "is empty", 'give a subject, e.g. "C-SPOC daily exceptions report"'
        )
    if not 1 <= report.catch_up_days <= 30:
        raise ConfigError(
            "report.catch_up_days",
            f"must be 1-30, not {report.catch_up_days}",
            "give how many working days back a missed report is still sent (e.g. 5)",
        )
    if report.sender and not _ADDRESS.match(report.sender):
        raise ConfigError(
            "report.sender",
            f"{report.sender!r} is not an email address",
            'write one address, e.g. "c-spoc-intake@example.gov.uk"',
        )
    if smtp.tls not in {"implicit", "starttls", "plain"}:
        raise ConfigError(
            "smtp.tls",
            f"unknown mode {smtp.tls!r}",
            'use "implicit" (port 465), "starttls" (587) or "plain" (localhost only, 25)',
        )
    if not 0 <= smtp.port <= 65535:
        raise ConfigError("smtp.port", f"{smtp.port} is not a port", "use 1-65535, or 0")
    _positive("smtp.timeout", smtp.timeout)
    if smtp.ca_file and not Path(smtp.ca_file).is_file():
        raise ConfigError(
            "smtp.ca_file", f"{smtp.ca_file} does not exist", 'give a PEM CA bundle, or ""'
        )
    if smtp.host and smtp.tls == "plain" and not is_loopback(smtp.host):
        raise ConfigError(
            "smtp.tls",
            "plaintext SMTP is allowed only to this machine (localhost)",
            'use "implicit" or "starttls"; certificates are always verified',
        )
    if report.recipients:
        if not smtp.host:
            raise ConfigError(
                "smtp.host",
                "is missing, but report.recipients is set",
                "give the mail server's host name, or empty report.recipients",
            )
        if not report.sender:
            raise ConfigError(
                "report.sender",
                "is missing, but report.recipients is set",
                'give the From address, e.g. "c-spoc-intake@example.gov.uk"',
            )


def _validate_web(web: WebSettings) -> None:
    if not web.host.strip():
        raise ConfigError("web.host", "is empty", 'give an address to listen on, e.g. "127.0.0.1"')
    if not 1 <= web.port <= 65535:
        raise ConfigError("web.port", f"{web.port} is not a port", "use 1-65535, e.g. 8080")
    if not 1 <= web.session_idle_minutes <= 24 * 60:
        raise ConfigError(
            "web.session_idle_minutes",
            f"must be 1-1440, not {web.session_idle_minutes}",
            "give the minutes without a request after which a sign-in ends (e.g. 30)",
        )
    if not 1 <= web.session_hours <= 24 * 7:
        raise ConfigError(
            "web.session_hours",
            f"must be 1-168, not {web.session_hours}",
            "give the hours after which a sign-in ends in any case (e.g. 8)",
        )
    if not 1 <= web.login_attempts <= 100:
        raise ConfigError(
            "web.login_attempts",
            f"must be 1-100, not {web.login_attempts}",
            "give the failed sign-ins allowed per name in 15 minutes (e.g. 5)",
        )
    if not web.cookie_secure and not is_loopback(web.host):
        raise ConfigError(
            "web.cookie_secure",
            "may be false only when web.host is this machine (127.0.0.1 or localhost)",
            "serve HTTPS (e.g. behind a reverse proxy) and set cookie_secure = true",
        )


def _soffice(key: str, value: str) -> None:
    if value.strip().lower() in {"", "none"}:
        return
    if shutil.which(value) is None:
        raise ConfigError(
            key,
            f"{value!r} is not an executable program",
            'give the path of LibreOffice\'s soffice, "" to look on PATH, or "none"',
        )


def working_calendar(settings: Settings) -> WorkingCalendar:
    """The front door's working calendar from ``[calendar]``; ConfigError naming the key."""
    cal = settings.calendar
    hours = []
    for day in WEEKDAYS:
        text = getattr(cal, day)
        try:
            hours.append(parse_hours(text))
        except ValueError as err:
            raise ConfigError(f"calendar.{day}", str(err).split(";")[0], _fix(err)) from err
    if cal.bank_holidays not in {"england-and-wales", "none"}:
        raise ConfigError(
            "calendar.bank_holidays",
            f"unknown set {cal.bank_holidays!r}",
            'use "england-and-wales" (from the holidays library) or "none"',
        )
    closures = []
    for text in cal.closures:
        try:
            closures.append(dt.date.fromisoformat(text))
        except ValueError as err:
            raise ConfigError(
                "calendar.closures",
                f"{text!r} is not a date",
                'write YYYY-MM-DD, e.g. "2026-12-24"',
            ) from err
    try:
        return WorkingCalendar(
            zone=cal.zone,
            hours=tuple(hours),
            closures=frozenset(closures),
            bank_holidays=cal.bank_holidays != "none",
        )
    except ValueError as err:
        raise ConfigError("calendar", str(err).split(";")[0], _fix(err)) from err


def _fix(err: ValueError) -> str:
    text = str(err)
    return text.split(";", 1)[1].strip() if ";" in text else "see config/intake.example.toml"


def _validate_rules(rules: RulesSettings) -> None:
    try:
        parse_policy(rules.phone_deadline)
    except ValueError as err:
        raise ConfigError("rules.phone_deadline", str(err).split(";")[0], _fix(err)) from err
    _positive("rules.re_referral_days", rules.re_referral_days)
    if not 0 <= rules.gcp_lookback_days <= 31:
        raise ConfigError(
            "rules.gcp_lookback_days",
            f"must be 0-31, not {rules.gcp_lookback_days}",
            "give the days before a neglect referral a GCP may arrive and still count",
        )
    for domain in rules.secure_domains:
        if not re.match(
            r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", domain
        ):
            raise ConfigError(
                "rules.secure_domains",
                f"{domain!r} is not a mail domain",
                'write lower-case domains without "@", e.g. ["gov.uk", "nhs.net"]',
            )


def rule_settings(settings: Settings) -> RuleSettings:
    """What the checks need, from ``[calendar]`` and ``[rules]``."""
    rules = settings.rules
    return RuleSettings(
        calendar=working_calendar(settings),
        phone_deadline=parse_policy(rules.phone_deadline),
        re_referral_days=rules.re_referral_days,
        secure_domains=tuple(rules.secure_domains),
        gcp_lookback_days=rules.gcp_lookback_days,
    )


def read_limits(settings: Settings) -> ReadLimits:
    """The caps on one attachment parse, for :mod:`parsers` (which knows no configuration)."""
    limits = settings.limits
    return ReadLimits(
        timeout_seconds=float(limits.parse_timeout_seconds),
        memory_mb=limits.parse_memory_mb,
        max_pages=limits.parse_max_pages,
        max_decompressed_bytes=limits.parse_max_decompressed_mb * 1024 * 1024,
        soffice=settings.parsing.soffice,
    )


def _positive(key: str, value: int) -> None:
    if value <= 0:
        raise ConfigError(key, f"must be greater than 0, not {value}", "give a positive number")


def _schedule(key: str, expression: str, zone: zoneinfo.ZoneInfo) -> None:
    if expression == "disable":
        return
    try:
        CronTrigger.from_crontab(expression, timezone=zone)
    except ValueError as err:
        raise ConfigError(
            key,
            f"{expression!r} is not a cron schedule",
            'write five fields, e.g. "*/5 * * * *", or "disable"',
        ) from err


def is_loopback(host: str) -> bool:
    if host.lower() in _LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _env_name(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", name.upper())


def _did_you_mean(key: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(key, choices, n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return "known keys: " + ", ".join(choices)
