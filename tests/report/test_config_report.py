"""The [report] and [smtp] settings: defaults, environment overrides, and start-up validation
whose messages say the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake import config
from intake.errors import ConfigError


def load(tmp_path: Path, body: str, env: dict[str, str] | None = None) -> config.Settings:
    path = tmp_path / "intake.toml"
    path.write_text(body, encoding="utf-8")
    return config.load(path, environ=env or {})


def test_defaults() -> None:
    """GIVEN no settings THEN the report goes at 08:00, to nobody (files only), with initials;
    SMTP defaults to implicit TLS on 465 (587 for STARTTLS, 25 plain)."""
    settings = config.Settings()
    assert settings.report.send_at == "08:00" and settings.report.recipients == ()
    assert settings.report.identify == "initials" and settings.report.out_dir == "out"
    assert settings.smtp.effective_port == 465
    assert config.SmtpSettings(tls="starttls").effective_port == 587
    assert config.SmtpSettings(tls="plain").effective_port == 25


def test_environment_overrides(tmp_path: Path) -> None:
    """GIVEN INTAKE_REPORT_* and INTAKE_SMTP_* variables THEN they override the file."""
    settings = load(
        tmp_path,
        '[report]\nsender = "a@example.gov.uk"\n[smtp]\nhost = "smtp.example.gov.uk"\n',
        {
            "INTAKE_REPORT_RECIPIENTS": "x@example.gov.uk, y@example.gov.uk",
            "INTAKE_REPORT_SEND_AT": "07:30",
            "INTAKE_SMTP_PORT": "2465",
        },
    )
    assert settings.report.recipients == ("x@example.gov.uk", "y@example.gov.uk")
    assert settings.report.send_time.hour == 7 and settings.report.send_time.minute == 30
    assert settings.smtp.effective_port == 2465


@pytest.mark.parametrize(
    ("body", "key", "fix"),
    [
        ('[report]\nsend_at = "8am"\n', "report.send_at", "HH:MM"),
        ('[report]\nidentify = "names"\n', "report.identify", '"full"'),
        ('[report]\nrecipients = ["not an address"]\n', "report.recipients", "plain addresses"),
        (
            '[report]\nrecipients = ["a@example.gov.uk"]\nsender = "b@example.gov.uk"\n',
            "smtp.host",
            "mail server",
        ),
        (
            '[report]\nrecipients = ["a@example.gov.uk"]\n[smtp]\nhost = "smtp.example.net"\n',
            "report.sender",
            "From address",
        ),
        ('[smtp]\nhost = "smtp.example.net"\ntls = "plain"\n', "smtp.tls", "starttls"),
        ('[smtp]\ntls = "ssl"\n', "smtp.tls", '"implicit"'),
        ('[smtp]\npassword = "hunter2"\n', "smtp.password", "environment variable"),
        ('[smtp]\nca_file = "/nonexistent.pem"\n', "smtp.ca_file", "PEM"),
        ("[report]\ncatch_up_days = 0\n", "report.catch_up_days", "working days"),
        ('[report]\nsend_time = "08:00"\n', "report.send_time", "send_at"),
    ],
)
def test_bad_settings_are_refused_at_start_up_with_the_fix(
    tmp_path: Path, body: str, key: str, fix: str
) -> None:
    """GIVEN a bad [report] or [smtp] setting WHEN the settings load THEN ConfigError names the
    key and says what to write instead."""
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, body)
    assert caught.value.key == key
    assert fix in str(caught.value)


def test_plain_smtp_to_localhost_is_allowed(tmp_path: Path) -> None:
    settings = load(tmp_path, '[smtp]\nhost = "127.0.0.1"\ntls = "plain"\n')
    assert settings.smtp.tls == "plain"


def test_the_password_comes_from_the_environment_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN INTAKE_SMTP_PASSWORD THEN it is the password; GIVEN password_file THEN the file's
    content is; GIVEN neither THEN ConfigError says how to give one."""
    monkeypatch.setenv("INTAKE_SMTP_PASSWORD", "from-env")
    assert config.SmtpSettings().password() == "from-env"
    secret = tmp_path / "smtp-password"
    secret.write_text("from-file\n", encoding="utf-8")
    assert config.SmtpSettings(password_file=str(secret)).password() == "from-file"
    monkeypatch.delenv("INTAKE_SMTP_PASSWORD")
    with pytest.raises(ConfigError, match=r"set INTAKE_SMTP_PASSWORD or smtp\.password_file"):
        config.SmtpSettings().password()
