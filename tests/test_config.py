"""Configuration: defaults, the example file, environment overrides, secrets, validation."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from intake import config
from intake.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "intake.example.toml"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "intake.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_defaults_without_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = config.load(environ={})
    assert settings.database.url == "sqlite:///var/intake.db"
    assert settings.limits.max_message_bytes == 50 * 1024 * 1024
    assert settings.storage.raw_retention_days == 30
    assert settings.mailboxes == ()
    assert settings.source is None


def test_example_file_loads_and_matches_the_declared_defaults() -> None:
    """The example shows every key with its default: loading it gives the built-in defaults."""
    settings = config.load(EXAMPLE, environ={})
    assert dataclasses.replace(settings, source=None) == config.Settings()


def test_example_file_documents_every_key() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for section in (
        "database",
        "storage",
        "limits",
        "parsing",
        "logging",
        "calendar",
        "schedule",
        "report",
        "smtp",
    ):
        cls = type(getattr(config.Settings(), section))
        for field in dataclasses.fields(cls):
            assert re.search(rf"^{field.name} = ", text, re.M), f"{section}.{field.name}"
    for field in dataclasses.fields(config.MailboxSettings):
        if field.name != "name":
            assert re.search(rf"^# {field.name} = ", text, re.M), f"mailboxes.{field.name}"


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[database]\nurl = "sqlite:///a.db"\n[logging]\nformat = "text"\n')
    settings = config.load(
        path,
        environ={
            "INTAKE_DATABASE_URL": "sqlite:///b.db",
            "INTAKE_LOGGING_FORMAT": "json",
            "INTAKE_LIMITS_MAX_MESSAGE_BYTES": "1000",
        },
    )
    assert settings.database.url == "sqlite:///b.db"
    assert settings.logging.format == "json"
    assert settings.limits.max_message_bytes == 1000


def test_config_path_from_environment(tmp_path: Path) -> None:
    path = write(tmp_path, "[storage]\nraw_retention_days = 7\n")
    settings = config.load(environ={"INTAKE_CONFIG": str(path)})
    assert settings.storage.raw_retention_days == 7


MAILBOX = """
[mailboxes.cspoc]
host = "imap.example.net"
username = "c-spoc"
folders = ["INBOX", "Referrals"]
since = "2026-01-01"
post_action = "keyword:IntakeStored"
"""


def test_mailbox_defaults_and_password_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = config.load(write(tmp_path, MAILBOX), environ={})
    box = settings.mailbox("cspoc")
    assert box.effective_port == 993 and box.tls == "implicit"
    assert box.folders == ("INBOX", "Referrals")
    assert "password" not in repr(box).lower().replace("password_file", "")
    monkeypatch.setenv("INTAKE_MAILBOX_CSPOC_PASSWORD", "s3cret")
    assert box.password() == "s3cret"


def test_password_from_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-file\n", encoding="utf-8")
    settings = config.load(write(tmp_path, MAILBOX + f'password_file = "{secret}"\n'), environ={})
    assert settings.mailbox("cspoc").password() == "from-file"


def test_missing_password_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INTAKE_MAILBOX_CSPOC_PASSWORD", raising=False)
    box = config.load(write(tmp_path, MAILBOX), environ={}).mailbox("cspoc")
    with pytest.raises(ConfigError, match="INTAKE_MAILBOX_CSPOC_PASSWORD"):
        box.password()


@pytest.mark.parametrize(
    ("body", "key", "fix"),
    [
        ('[database]\nurl = "mysql://x"\n', "database.url", "sqlite"),
        ("[limits]\nmax_message_bytes = -1\n", "limits.max_message_bytes", "positive"),
        ('[limits]\nmax_message_bytes = "big"\n', "limits.max_message_bytes", "whole number"),
        ("[limits]\nmax_mesage_bytes = 5\n", "limits.max_mesage_bytes", "max_message_bytes"),
        ('[logging]\nlevel = "LOUD"\n', "logging.level", "DEBUG"),
        ('[calendar]\ntimezone = "Mars/Olympus"\n', "calendar.timezone", "Europe/London"),
        ('[schedule]\nretry = "every day"\n', "schedule.retry", "disable"),
        ("[nonsense]\n", "nonsense", "known keys"),
        (MAILBOX + 'password = "x"\n', "mailboxes.cspoc.password", "environment"),
        (MAILBOX + 'tls = "plain"\n', "mailboxes.cspoc.tls", "starttls"),
        (MAILBOX + 'tls = "ssl"\n', "mailboxes.cspoc.tls", "implicit"),
        (
            MAILBOX.replace('since = "2026-01-01"', 'since = "01/01/2026"'),
            "mailboxes.cspoc.since",
            "YYYY-MM-DD",
        ),
        (
            MAILBOX.replace("keyword:IntakeStored", "delete"),
            "mailboxes.cspoc.post_action",
            "keyword:NAME",
        ),
        (MAILBOX + 'schedule = "sometimes"\n', "mailboxes.cspoc.schedule", "disable"),
        ('[mailboxes.CSPOC]\nhost = "h"\nusername = "u"\n', "mailboxes.CSPOC", "lower-case"),
        ('[mailboxes.cspoc]\nusername = "u"\n', "mailboxes.cspoc.host", "host name"),
        ("[database\n", "--config", "syntax"),
        ("[limits]\nparse_timeout_seconds = 0\n", "limits.parse_timeout_seconds", "positive"),
        ("[limits]\nparse_memory_mb = 16\n", "limits.parse_memory_mb", "1024"),
        ("[limits]\nparse_max_pages = -5\n", "limits.parse_max_pages", "positive"),
        (
            "[limits]\nparse_max_decompressed_mb = 0\n",
            "limits.parse_max_decompressed_mb",
            "positive",
        ),
        ('[parsing]\nsoffice = "/no/such/soffice"\n', "parsing.soffice", '"none"'),
        ('[parsing]\nsofice = ""\n', "parsing.sofice", "soffice"),
    ],
)
def test_bad_settings_name_the_key_and_the_fix(
    tmp_path: Path, body: str, key: str, fix: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, body), environ={})
    assert caught.value.key == key
    assert fix in str(caught.value)


def test_plain_imap_is_allowed_to_localhost(tmp_path: Path) -> None:
    body = MAILBOX.replace("imap.example.net", "127.0.0.1") + 'tls = "plain"\n'
    assert config.load(write(tmp_path, body), environ={}).mailbox("cspoc").effective_port == 143


def test_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="INTAKE_LIMITS_MAX_ATTEMPTS"):
        config.load(write(tmp_path, ""), environ={"INTAKE_LIMITS_MAX_ATTEMPTS": "lots"})


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        config.load(tmp_path / "nope.toml", environ={})


def test_parse_limits_reach_the_parsers(tmp_path: Path) -> None:
    """GIVEN parse limits in the file and one from the environment WHEN loaded THEN the
    parsers' ReadLimits carry them, in the parsers' units."""
    path = write(
        tmp_path,
        "[limits]\nparse_timeout_seconds = 5\nparse_max_decompressed_mb = 3\n"
        '[parsing]\nsoffice = "none"\n',
    )
    settings = config.load(path, environ={"INTAKE_LIMITS_PARSE_MAX_PAGES": "7"})
    limits = config.read_limits(settings)
    assert limits.timeout_seconds == 5.0
    assert limits.max_pages == 7
    assert limits.memory_mb == 1024
    assert limits.max_decompressed_bytes == 3 * 1024 * 1024
    assert limits.soffice == "none"


def test_soffice_may_be_a_command_on_path(tmp_path: Path) -> None:
    """GIVEN soffice named as a command that is on PATH (here: sh) WHEN loaded THEN accepted."""
    settings = config.load(write(tmp_path, ""), environ={"INTAKE_PARSING_SOFFICE": "sh"})
    assert config.read_limits(settings).soffice == "sh"
