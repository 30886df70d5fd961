"""The ledger pages: every message whatever became of it, one message's metadata and
attachments, and (administrators) running messages through parsing and checks again with the
function `intake reprocess` uses."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from intake import service
from intake.errors import IntakeError, NotFound
from intake.store.ledger import STATUSES, Store
from intake.web.deps import Principal, get_settings, get_store, require
from intake.web.forms import posted_form
from intake.web.listing import PER_PAGE, page_number, pager, triage_store
from intake.web.templating import render

log = logging.getLogger("intake.web.messages")
router = APIRouter()


@router.get("/messages", response_class=HTMLResponse)
def message_list(
    request: Request,
    principal: Annotated[Principal, Depends(require("read"))],
    store: Annotated[Store, Depends(get_store)],
) -> Response:
    query = request.query_params
    status = query.get("status", "")
    errors: dict[str, str] = {}
    if status and status not in STATUSES:
        errors["status"] = "Choose " + ", ".join(STATUSES) + ", or any"
        status = ""
    found = triage_store(store).message_page(
        status=status or None, page=page_number(query.get("page")), per_page=PER_PAGE
    )
    counts = store.summary().by_status if principal.can("read") else {}
    reprocessed = query.get("reprocessed", "")
    return render(
        request,
        "messages/list.html",
        principal,
        status_code=422 if errors else 200,
        status=status,
        statuses=STATUSES,
        errors=errors,
        rows=found.rows,
        counts=counts,
        reprocessed=int(reprocessed) if reprocessed.isdigit() else None,
        pager=pager("/messages", {"status": status}, found.page, found.pages, found.total),
    )


def _detail(
    request: Request,
    principal: Principal,
    store: Store,
    message_pk: int,
    *,
    status_code: int = 200,
    problem: str | None = None,
) -> Response:
    try:
        detail = triage_store(store).message_detail(message_pk)
    except NotFound:
        return render(
            request, "messages/missing.html", principal, status_code=404, message_pk=message_pk
        )
    return render(
        request,
        "messages/detail.html",
        principal,
        status_code=status_code,
        detail=detail,
        m=detail.meta,
        problem=problem,
        reprocessed=request.query_params.get("reprocessed") == "1",
    )


@router.get("/messages/{message_pk}", response_class=HTMLResponse)
def message_detail(
    request: Request,
    message_pk: int,
    principal: Annotated[Principal, Depends(require("read"))],
    store: Annotated[Store, Depends(get_store)],
) -> Response:
    return _detail(request, principal, store, message_pk)


@router.post("/messages/reprocess-failed", response_class=HTMLResponse)
def reprocess_failed(
    request: Request,
    form: Annotated[FormData, Depends(posted_form)],
    principal: Annotated[Principal, Depends(require("admin"))],
    store: Annotated[Store, Depends(get_store)],
) -> Response:
    counts = service.reprocess_messages(get_settings(request), store, (), failed=True)
    total = sum(counts.values())
    store.audit(
        actor=principal.actor,
        entity="message",
        key="failed",
        action="reprocess",
        before=None,
        after={"messages": total, "statuses": counts},
    )
    log.info("reprocessed failed messages", extra={"user_id": principal.user_pk, **counts})
    return RedirectResponse(f"/messages?reprocessed={total}", status_code=303)


@router.post("/messages/{message_pk}/reprocess", response_class=HTMLResponse)
def reprocess_one(
    request: Request,
    message_pk: int,
    form: Annotated[FormData, Depends(posted_form)],
    principal: Annotated[Principal, Depends(require("admin"))],
    store: Annotated[Store, Depends(get_store)],
) -> Response:
    before = store.ledger(ids=[message_pk])
    if not before:
        return _detail(request, principal, store, message_pk)
    try:
        counts = service.reprocess_messages(
            get_settings(request), store, [message_pk], failed=False
        )
    except IntakeError as err:
        log.warning("reprocess failed", extra={"message": message_pk, "error": type(err).__name__})
        return _detail(request, principal, store, message_pk, status_code=409, problem=str(err))
    after = store.ledger(ids=[message_pk])
    store.audit(
        actor=principal.actor,
        entity="message",
        key=str(message_pk),
        action="reprocess",
        before={"status": before[0].status},
        after={"status": after[0].status if after else None, "statuses": counts},
    )
    log.info("message reprocessed", extra={"user_id": principal.user_pk, "message": message_pk})
    return RedirectResponse(f"/messages/{message_pk}?reprocessed=1", status_code=303)
