"""The exceptions pages: the triage list, one exception with everything beside it, and resolving
or reopening it with a note (the same store call as `intake exceptions resolve|reopen`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from intake.errors import ExceptionNotFound, RawExpired
from intake.messages import parse_message
from intake.store.cases import EXCEPTION_STATUSES
from intake.store.ledger import Store
from intake.store.triage import ExceptionFilter
from intake.web.deps import Principal, get_settings, get_store, require
from intake.web.forms import posted_form, text_of
from intake.web.listing import PER_PAGE, day_start, local_day, page_number, pager, triage_store
from intake.web.templating import render

log = logging.getLogger("intake.web.exceptions")
router = APIRouter()

SEVERITIES = ("exception", "info")
NOTE_MISSING = "Write a note saying what was done"


# -- the list -----------------------------------------------------------------------------------


@router.get("/exceptions", response_class=HTMLResponse)
def exception_list(
    request: Request,
    principal: Annotated[Principal, Depends(require("read"))],
    store: Annotated[Store, Depends(get_store)],
) -> Response:
    query = request.query_params
    zone = get_settings(request).calendar.zone
    chosen = {
        "status": query.get("status", "open"),
        "rule": query.get("rule", ""),
        "severity": query.get("severity", ""),
        "from": query.get("from", ""),
        "to": query.get("to", ""),
        "mailbox": query.get("mailbox", ""),
    }
    errors: dict[str, str] = {}
    if chosen["status"] not in (*EXCEPTION_STATUSES, "all"):
        errors["status"] = "Choose open, resolved, auto_resolved or all"
    if chosen["severity"] and chosen["severity"] not in SEVERITIES:
        errors["severity"] = "Choose exception or info"
    days: dict[str, dt.date | None] = {}
    for name in ("from", "to"):
        try:
            days[name] = local_day(chosen[name])
        except ValueError:
            days[name] = None
            errors[name] = "Write the date as YYYY-MM-DD, e.g. 2026-11-23"
    triage = triage_store(store)
    rules, mailboxes = triage.exception_choices()
    if errors:
        return render(
            request,
            "exceptions/list.html",
            principal,
            status_code=422,
            chosen=chosen,
            errors=errors,
            rows=(),
            rules=rules,
            mailboxes=mailboxes,
            statuses=(*EXCEPTION_STATUSES, "all"),
            severities=SEVERITIES,
            pager=None,
        )
    start, end = days["from"], days["to"]
    where = ExceptionFilter(
        status=None if chosen["status"] == "all" else chosen["status"],
        rule=chosen["rule"] or None,
        severity=chosen["severity"] or None,
        raised_from=day_start(start, zone) if start else None,
        raised_before=day_start(end + dt.timedelta(days=1), zone) if end else None,
        mailbox=chosen["mailbox"] or None,
    )
    found = triage.exception_page(where, page=page_number(query.get("page")), per_page=PER_PAGE)
    return render(
        request,
        "exceptions/list.html",
        principal,
        chosen=chosen,
        errors=errors,
        rows=found.rows,
        rules=rules,
        mailboxes=mailboxes,
        statuses=(*EXCEPTION_STATUSES, "all"),
        severities=SEVERITIES,
        pager=pager("/exceptions", chosen, found.page, found.pages, found.total),
    )


# -- one exception ------------------------------------------------------------------------------


def _detail_page(
    request: Request,
    principal: Principal,
    store: Store,
    exception_id: int,
    *,
    status_code: int = 200,
    note: str = "",
    note_error: str | None = None,
    action: str | None = None,
    show_body: bool = False,
) -> Response:
    try:
        detail = triage_store(store).exception_detail(exception_id)
    except ExceptionNotFound:
        return render(
            request,
            "exceptions/missing.html",
            principal,
            status_code=404,
            exception_id=exception_id,
        )
    body: str | None = None
    body_expired = False
    if show_body and detail.message is not None:
        try:
            stored = store.load(detail.message.id)
        except RawExpired:
            body_expired = True
        else:
            body = parse_message(stored.raw).text
            store.audit(
                actor=principal.actor,
                entity="message",
                key=str(detail.message.id),
                action="view-body",
                before=None,
                after={"exception": exception_id},
            )
            log.info(
                "message body viewed",
                extra={
                    "user_id": principal.user_pk,
                    "message": detail.message.id,
                    "exception": exception_id,
                },
            )
    return render(
        request,
        "exceptions/detail.html",
        principal,
        status_code=status_code,
        detail=detail,
        record=detail.record,
        events=store.cases.events(exception_id),
        body=body,
        body_expired=body_expired,
        show_body=show_body,
        note=note,
        note_error=note_error,
        action=action,
    )


@router.get("/exceptions/{exception_id}", response_class=HTMLResponse)
def exception_detail(
    request: Request,
    exception_id: int,
    principal: Annotated[Principal, Depends(require("read"))],
    store: Annotated[Store, Depends(get_store)],
) -> Response:
    show_body = request.query_params.get("body") == "1"
    return _detail_page(request, principal, store, exception_id, show_body=show_body)


def _change_status(
    request: Request,
    form: FormData,
    principal: Principal,
    store: Store,
    exception_id: int,
    status: str,
) -> Response:
    action = "resolve" if status == "resolved" else "reopen"
    note = text_of(form, "note").strip()
    found = store.cases.exceptions(ids=[exception_id])
    if not found:
        return _detail_page(request, principal, store, exception_id)
    before = found[0]
    if not note:
        return _detail_page(
            request,
            principal,
            store,
            exception_id,
            status_code=422,
            note=note,
            note_error=NOTE_MISSING,
            action=action,
        )
    wrong = (status == "resolved" and before.status != "open") or (
        status == "open" and before.status == "open"
    )
    if wrong:
        return _detail_page(
            request,
            principal,
            store,
            exception_id,
            status_code=409,
            note=note,
            note_error=f"This exception is already {before.status.replace('_', ' ')}",
            action=action,
        )
    after = store.cases.set_status(exception_id, status, note=note, actor=principal.actor)
    store.audit(
        actor=principal.actor,
        entity="exception",
        key=str(exception_id),
        action=action,
        before={"status": before.status},
        after={"status": after.status, "note": note},
    )
    log.info(
        "exception status changed",
        extra={"user_id": principal.user_pk, "exception": exception_id, "status": after.status},
    )
    return RedirectResponse(f"/exceptions/{exception_id}?done={action}", status_code=303)


@router.post("/exceptions/{exception_id}/resolve", response_class=HTMLResponse)
def exception_resolve(
    request: Request,
    exception_id: int,
    form: Annotated[FormData, Depends(posted_form)],
    principal: Annotated[Principal, Depends(require("triage"))],
    store: Annotated[Store, Depends(get_store)],
) -> Response:
    return _change_status(request, form, principal, store, exception_id, "resolved")


@router.post("/exceptions/{exception_id}/reopen", response_class=HTMLResponse)
def exception_reopen(
    request: Request,
    exception_id: int,
    form: Annotated[FormData, Depends(posted_form)],
    principal: Annotated[Principal, Depends(require("triage"))],
    store: Annotated[Store, Depends(get_store)],
) -> Response:
    return _change_status(request, form, principal, store, exception_id, "open")
