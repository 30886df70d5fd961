"""The audit log: who changed what, when, and how (newest first, a page at a time).

Open to administrators and to the read-only viewer role (permission ``audit``). The log holds
settings-like changes (rules, users, exception decisions, calls, reprocessing, connection
tests), never message content; each entry shows the fields that changed, before → after.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from intake.store import admin as admin_store
from intake.store.ledger import Store
from intake.store.rules import AuditEntry
from intake.web.deps import Principal, get_store, require
from intake.web.templating import render

router = APIRouter()

#: The kinds of thing the audit log records, as the filter offers them.
ENTITIES: tuple[tuple[str, str], ...] = (
    ("mailbox-rule", "Mailbox rules"),
    ("user", "Users"),
    ("exception", "Exceptions"),
    ("call", "Calls"),
    ("message", "Messages"),
    ("mailbox", "Mailboxes"),
)
PAGE_SIZE = 50
#: A value longer than this is shortened in the listing.
VALUE_WIDTH = 120
#: The most changed fields listed for one entry.
MAX_CHANGES = 20


@dataclass(frozen=True)
class Change:
    """One field of an entry: its value before and after (empty when absent)."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Line:
    entry: AuditEntry
    changes: tuple[Change, ...]
    more: int


@router.get("/audit", response_class=HTMLResponse)
async def audit_log(
    request: Request,
    principal: Principal = Depends(require("audit")),
    store: Store = Depends(get_store),
) -> Response:
    known = {code for code, _ in ENTITIES}
    entity = request.query_params.get("entity") or None
    if entity not in known:
        entity = None
    page = _page_number(request.query_params.get("page"))
    found = admin_store.audit_page(
        store, entity=entity, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, -(-found.total // PAGE_SIZE))
    return render(
        request,
        "audit/list.html",
        principal,
        lines=[_line(entry) for entry in found.entries],
        total=found.total,
        page=page,
        pages=pages,
        entity=entity,
        entities=ENTITIES,
        page_size=PAGE_SIZE,
    )


def changes(entry: AuditEntry) -> tuple[list[Change], int]:
    """The fields that differ between before and after, compactly; and how many were left off."""
    before, after = entry.before or {}, entry.after or {}
    found = [
        Change(key, _shown(before, key), _shown(after, key))
        for key in dict.fromkeys([*before, *after])
        if before.get(key, _ABSENT) != after.get(key, _ABSENT)
    ]
    return found[:MAX_CHANGES], max(0, len(found) - MAX_CHANGES)


_ABSENT = object()


def _line(entry: AuditEntry) -> Line:
    found, more = changes(entry)
    return Line(entry, tuple(found), more)


def _shown(values: dict[str, object], key: str) -> str:
    if key not in values:
        return ""
    text = json.dumps(values[key], ensure_ascii=False, separators=(", ", ": "))
    if len(text) > VALUE_WIDTH:
        text = text[: VALUE_WIDTH - 1] + "…"
    return text


def _page_number(text: str | None) -> int:
    if text is None or not text.isdigit() or len(text) > 6:
        return 1
    return max(1, int(text))
