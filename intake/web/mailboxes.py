"""The configured mailboxes: their settings (never a password), how their polls went, and a
connection test.

The settings come from the configuration file; this page only shows them. "Test connection"
logs in with the configured credentials, lists the folders and counts the watched ones
(STATUS), within the mailbox's own timeout, and reports one line (never a traceback). Each test
is written to the audit log (``entity="mailbox"``, ``action="test-connection"``).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from intake import service
from intake.config import MailboxSettings, Settings
from intake.errors import IntakeError, SourceError
from intake.sources.imap import ImapSource
from intake.store import admin as admin_store
from intake.store.admin import FolderPoll
from intake.store.ledger import Store
from intake.web.deps import Principal, get_settings, get_store, require
from intake.web.templating import render

log = logging.getLogger("intake.web.mailboxes")

router = APIRouter()

#: The most folder names a connection test lists.
SHOWN_FOLDERS = 50


@dataclass(frozen=True)
class WatchedFolder:
    """A folder the mailbox is configured to poll, as a connection test found it."""

    name: str
    exists: bool
    #: Messages in it (STATUS MESSAGES); None when it does not exist or STATUS failed.
    messages: int | None


@dataclass(frozen=True)
class ConnectionTest:
    """What "Test connection" found: the folders, or the error in one line."""

    ok: bool
    error: str | None
    folders: tuple[str, ...]
    folder_count: int
    watched: tuple[WatchedFolder, ...]
    seconds: float

    def audited(self) -> dict[str, object]:
        """What the audit log keeps of it: counts, the watched folders missing, the error."""
        if not self.ok:
            return {"ok": False, "error": self.error, "seconds": round(self.seconds, 1)}
        return {
            "ok": True,
            "folders": self.folder_count,
            "missing": [w.name for w in self.watched if not w.exists],
            "seconds": round(self.seconds, 1),
        }


@dataclass(frozen=True)
class MailboxView:
    """One configured mailbox as the page shows it."""

    box: MailboxSettings
    port: int
    password: str
    password_ok: bool
    polls: tuple[FolderPoll, ...]
    test: ConnectionTest | None = None


@router.get("/mailboxes", response_class=HTMLResponse)
async def mailboxes(
    request: Request,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    return _page(request, principal, store, settings)


@router.post("/mailboxes/{name}/test", response_class=HTMLResponse)
async def mailbox_connection_test(
    request: Request,
    name: str,
    principal: Principal = Depends(require("admin")),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    """Log in, list the folders, count the watched ones; the page comes back with the outcome."""
    box = next((b for b in settings.mailboxes if b.name == name), None)
    if box is None:
        raise HTTPException(status_code=404, detail="No such mailbox.")
    outcome = await run_in_threadpool(connection_test, settings, box)
    store.audit(
        actor=principal.actor,
        entity="mailbox",
        key=box.name,
        action="test-connection",
        before=None,
        after=outcome.audited(),
    )
    log.info(
        "mailbox connection tested",
        extra={"user_id": principal.user_pk, "mailbox": box.name, "ok": outcome.ok},
    )
    return _page(request, principal, store, settings, tested=(box.name, outcome))


def connection_test(settings: Settings, box: MailboxSettings) -> ConnectionTest:
    """Log in to ``box`` with its configured credentials and look at its folders.

    Every step is bounded by the mailbox's ``timeout`` (the socket timeout). Errors come back
    as one line that names no message content (the source's own error texts).
    """
    started = time.monotonic()
    try:
        source = service.imap_source(settings, box)
        assert isinstance(source, ImapSource)
        with source:
            folders = source.list_folders()
            have = set(folders)
            upper = {f.upper() for f in folders}
            watched = []
            for folder in box.folders:
                exists = folder in have or (folder.upper() == "INBOX" and "INBOX" in upper)
                messages: int | None = None
                if exists:
                    try:
                        messages = source.state(folder).exists
                    except SourceError:
                        messages = None
                watched.append(WatchedFolder(folder, exists, messages))
    except IntakeError as err:
        return ConnectionTest(False, _one_line(str(err)), (), 0, (), time.monotonic() - started)
    except Exception as err:  # never a traceback on the page: the class name only
        log.warning(
            "mailbox connection test failed unexpectedly",
            extra={"mailbox": box.name, "error_class": type(err).__name__},
        )
        return ConnectionTest(
            False,
            f"unexpected {type(err).__name__}",
            (),
            0,
            (),
            time.monotonic() - started,
        )
    return ConnectionTest(
        True,
        None,
        tuple(folders[:SHOWN_FOLDERS]),
        len(folders),
        tuple(watched),
        time.monotonic() - started,
    )


def password_state(box: MailboxSettings) -> tuple[str, bool]:
    """Whether a password is set, and where (never the password, nor the file's contents)."""
    if box.password_file:
        if os.access(box.password_file, os.R_OK):
            return f"set (in password_file {box.password_file})", True
        return f"password_file {box.password_file} cannot be read", False
    if os.environ.get(box.password_env):
        return f"set (environment variable {box.password_env})", True
    return f"not set: set {box.password_env} or password_file", False


def _page(
    request: Request,
    principal: Principal,
    store: Store,
    settings: Settings,
    *,
    tested: tuple[str, ConnectionTest] | None = None,
) -> Response:
    polls = admin_store.folder_polls(store)
    views = []
    for box in settings.mailboxes:
        password, password_ok = password_state(box)
        views.append(
            MailboxView(
                box=box,
                port=box.effective_port,
                password=password,
                password_ok=password_ok,
                polls=tuple(p for p in polls if p.mailbox == box.name),
                test=tested[1] if tested is not None and tested[0] == box.name else None,
            )
        )
    return render(
        request,
        "mailboxes/list.html",
        principal,
        mailboxes=views,
    )


def _one_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "failed"
    return line[:300]
