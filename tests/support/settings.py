"""Settings and config files pointing at a test Dovecot and a test database."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from intake.config import DatabaseSettings, LimitSettings, MailboxSettings, Settings
from tests.support.dovecot import DovecotServer

PASSWORD_ENV = "INTAKE_MAILBOX_CSPOC_PASSWORD"


def mailbox_for(server: DovecotServer, **overrides: Any) -> MailboxSettings:
    """The ``cspoc`` mailbox on the test server: STARTTLS, verified against its own CA."""
    values: dict[str, Any] = {
        "host": "localhost",
        "port": server.port,
        "tls": "starttls",
        "ca_file": server.cafile,
        "username": server.user,
        "password_file": "",
        "folders": ("INBOX",),
        "schedule": "* * * * *",
        "timeout": 20,
    }
    values.update(overrides)
    return MailboxSettings(name="cspoc", **values)


def settings_for(
    server: DovecotServer,
    database_url: str,
    *,
    limits: dict[str, Any] | None = None,
    **mailbox: Any,
) -> Settings:
    return Settings(
        database=DatabaseSettings(url=database_url),
        limits=dataclasses.replace(LimitSettings(), **(limits or {})),
        mailboxes=(mailbox_for(server, **mailbox),),
    )


def write_config(
    path: Path,
    server: DovecotServer,
    database_url: str,
    *,
    limits: dict[str, Any] | None = None,
    **mailbox: Any,
) -> Path:
    """The same settings as a TOML file, for tests that run `intake` as a real process."""
    box = mailbox_for(server, **mailbox)
    # The daemon writes the daily report's files: into the test's folder, not the work tree.
    lines = ["[database]", f'url = "{database_url}"', "[report]"]
    lines += [f'out_dir = "{path.parent / "out"}"', "[limits]"]
    lines += [f"{k} = {v}" for k, v in (limits or {}).items()]
    lines += ["[mailboxes.cspoc]"]
    for field in dataclasses.fields(box):
        if field.name == "name":
            continue
        value = getattr(box, field.name)
        if isinstance(value, bool):
            lines.append(f"{field.name} = {str(value).lower()}")
        elif isinstance(value, int):
            lines.append(f"{field.name} = {value}")
        elif isinstance(value, tuple):
            lines.append(f"{field.name} = [{', '.join(repr(v) for v in value)}]")
        else:
            lines.append(f'{field.name} = "{value}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
