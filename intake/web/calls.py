"""The calls pages: the phone contacts recorded, logging one call, and uploading a call log.

A call is checked by exactly the rules of `intake calls add` (``intake.calls.make_call``) and a
file by those of `intake calls import` (``intake.calls.read_calls_csv``). Like the command line,
these pages only record calls: the checks judge them at their next run (the daemon's ``checks``
schedule, every 15 minutes by default, or `intake check`), and exceptions follow from that.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, QueryParams, UploadFile

from intake import calls as calls_module
from intake.calls import CALL_COLUMNS, NO_TIME_WARNING, TWICE_WARNING, CallRecord
from intake.store.ledger import Store
from intake.web.deps import Principal, get_settings, get_store, now, require
from intake.web.forms import posted_form, text_of
from intake.web.listing import (
    PER_PAGE,
    day_start,
    local_day,
    page_number,
    pager,
    triage_store,
)
from intake.web.templating import render

log = logging.getLogger("intake.web.calls")
router = APIRouter()

#: The biggest call-log file taken (a day's log is a few KB; a year of a busy door ~2 MB).
MAX_UPLOAD = 5 * 1024 * 1024
SOURCE = "web"
#: Warnings a call can carry, as short codes for the redirect's query string.
_WARNING_CODES = {NO_TIME_WARNING: "no-time", TWICE_WARNING: "twice"}
_WARNINGS = {code: text for text, code in _WARNING_CODES.items()}
_LABELS = {
    "called_at": "When the call was taken",
    "caller_name": "Caller's name",
    "caller_agency": "Caller's organisation",
    "caller_phone": "Caller's phone",
    "child_forenames": "Child's forenames",
    "child_surname": "Child's surname",
    "child_dob": "Child's date of birth",
    "urgent": "Urgent",
    "kind": "Kind",
    "taken_by": "Taken by",
    "notes": "Notes",
}


# -- the list -----------------------------------------------------------------------------------


@router.get("/calls", response_class=HTMLResponse)
def call_list(
    request: Request,
    principal: Annotated[Principal, Depends(require("read"))],
    store: Annotated[Store, Depends(get_store)],
) -> Response:
    query = request.query_params
    zone = get_settings(request).calendar.zone
    chosen = {"from": query.get("from", ""), "to": query.get("to", "")}
    errors: dict[str, str] = {}
    days: dict[str, dt.date | None] = {}
    for name in ("from", "to"):
        try:
            days[name] = local_day(chosen[name])
        except ValueError:
            days[name] = None
            errors[name] = "Write the date as YYYY-MM-DD, e.g. 2026-11-23"
    notices = _notices(query)
    if errors:
        return render(
            request,
            "calls/list.html",
            principal,
            status_code=422,
            chosen=chosen,
            errors=errors,
            rows=(),
            pager=None,
            notices=notices,
        )
    start, end = days["from"], days["to"]
    found = triage_store(store).call_page(
        since=day_start(start, zone) if start else None,
        before=day_start(end + dt.timedelta(days=1), zone) if end else None,
        page=page_number(query.get("page")),
        per_page=PER_PAGE,
    )
    return render(
        request,
        "calls/list.html",
        principal,
        chosen=chosen,
        errors=errors,
        rows=found.rows,
        pager=pager("/calls", chosen, found.page, found.pages, found.total),
        notices=notices,
    )


def _notices(params: QueryParams) -> list[str]:
    """What the redirect after a change says happened (ids and counts only in the URL)."""
    later = (
        "The checks judge {} at their next run (every 15 minutes by default); exceptions follow."
    )
    found: list[str] = []
    added = params.get("added", "")
    if added.isdigit():
        found.append(f"Call #{added} recorded. " + later.format("it"))
        found.extend(
            "Check: " + _WARNINGS[code] for code in params.getlist("warn") if code in _WARNINGS
        )
    if params.get("known"):
        found.append("That call was already recorded: nothing new was stored.")
    imported = params.get("imported", "")
    if imported.isdigit():
        already, skipped = params.get("already", "0"), params.get("skipped", "0")
        known = int(already) if already.isdigit() else 0
        text = f"{imported} new calls stored, {known} already recorded"
        if skipped.isdigit() and int(skipped):
            text += f", {skipped} invalid rows skipped"
        found.append(f"{text}. " + later.format("them"))
    return found


# -- one call -----------------------------------------------------------------------------------


def _blank(request: Request) -> dict[str, str]:
    zone = get_settings(request).calendar.zone
    values = dict.fromkeys(CALL_COLUMNS, "")
    values["called_at"] = now(request).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    values["kind"] = "referral"
    return values


def _form_page(
    request: Request,
    principal: Principal,
    values: dict[str, str],
    errors: dict[str, list[str]],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "calls/new.html",
        principal,
        status_code=status_code,
        values=values,
        errors=errors,
        labels=_LABELS,
    )


@router.get("/calls/new", response_class=HTMLResponse)
def call_new(
    request: Request,
    principal: Annotated[Principal, Depends(require("triage"))],
) -> Response:
    return _form_page(request, principal, _blank(request), {})


def field_errors(problems: list[str]) -> dict[str, list[str]]:
    """``--child-dob: not a date; ...`` → ``{"child_dob": ["Not a date; ..."]}``."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        label, sep, reason = problem.partition(": ")
        column = label.removeprefix("--").replace("-", "_")
        if not sep or column not in CALL_COLUMNS:
            column, reason = "called_at", problem
        found.setdefault(column, []).append(reason[:1].upper() + reason[1:])
    return found


@router.post("/calls/new", response_class=HTMLResponse)
def call_create(
    request: Request,
    form: Annotated[FormData, Depends(posted_form)],
    principal: Annotated[Principal, Depends(require("triage"))],
    store: Annotated[Store, Depends(get_store)],
) -> Response:
    values = {column: text_of(form, column) for column in CALL_COLUMNS}
    made = calls_module.make_call(
        zone=get_settings(request).calendar.zone,
        now=now(request),
        called_at=values["called_at"],
        caller_name=values["caller_name"],
        caller_agency=values["caller_agency"] or None,
        caller_phone=values["caller_phone"] or None,
        child_forenames=values["child_forenames"] or None,
        child_surname=values["child_surname"] or None,
        child_dob=values["child_dob"] or None,
        urgent=values["urgent"] or None,
        kind=values["kind"] or "referral",
        taken_by=values["taken_by"] or None,
        notes=values["notes"] or None,
    )
    if isinstance(made, list):
        errors = field_errors([problem.reason for problem in made])
        return _form_page(request, principal, values, errors, status_code=422)
    stored, _ = store.cases.add_calls([made], source=SOURCE, actor=principal.actor)
    if not stored:
        return RedirectResponse("/calls?known=1", status_code=303)
    ident = stored[0]
    store.audit(
        actor=principal.actor,
        entity="call",
        key=str(ident),
        action="add",
        before=None,
        after=_call_summary(made, SOURCE),
    )
    log.info("call recorded", extra={"user_id": principal.user_pk, "call": ident})
    warn = "".join(f"&warn={_WARNING_CODES[w]}" for w in made.warnings if w in _WARNING_CODES)
    return RedirectResponse(f"/calls?added={ident}{warn}", status_code=303)


def _call_summary(record: CallRecord, source: str) -> dict[str, object]:
    """What the audit log keeps of a new call: when, what kind, from where (no names)."""
    return {
        "called_at": record.called_at.astimezone(dt.UTC).isoformat(timespec="minutes"),
        "kind": record.kind,
        "urgent": record.urgent,
        "source": source,
        "fingerprint": record.fingerprint[:16],
    }


# -- a call-log file ----------------------------------------------------------------------------


@router.get("/calls/upload", response_class=HTMLResponse)
def upload_form(
    request: Request,
    principal: Annotated[Principal, Depends(require("triage"))],
) -> Response:
    return render(request, "calls/upload.html", principal, error=None, max_mb=MAX_UPLOAD // 2**20)


def _preview(
    request: Request,
    principal: Principal,
    data: bytes,
    filename: str,
    status_code: int = 200,
) -> Response:
    read = calls_module.read_calls_csv(
        data, get_settings(request).calendar.zone, now=now(request), max_bytes=MAX_UPLOAD
    )
    bad_lines = sorted({problem.line for problem in read.problems})
    warnings = [(record.line, warning) for record in read.records for warning in record.warnings]
    return render(
        request,
        "calls/preview.html",
        principal,
        status_code=status_code if not read.problems else 422,
        read=read,
        bad_rows=len(bad_lines),
        warnings=warnings,
        filename=filename,
        payload=base64.b64encode(data).decode("ascii"),
        digest=hashlib.sha256(data).hexdigest(),
    )


@router.post("/calls/upload", response_class=HTMLResponse)
async def upload_check(
    request: Request,
    form: Annotated[FormData, Depends(posted_form)],
    principal: Annotated[Principal, Depends(require("triage"))],
) -> Response:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return render(
            request,
            "calls/upload.html",
            principal,
            status_code=422,
            error="Choose the call-log CSV file to upload",
            max_mb=MAX_UPLOAD // 2**20,
        )
    data = await upload.read(MAX_UPLOAD + 1)
    await upload.close()
    # Only the file's own name (no folders), and only for showing it back.
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    return _preview(request, principal, data, name)


@router.post("/calls/upload/confirm", response_class=HTMLResponse)
def upload_confirm(
    request: Request,
    form: Annotated[FormData, Depends(posted_form)],
    principal: Annotated[Principal, Depends(require("triage"))],
    store: Annotated[Store, Depends(get_store)],
) -> Response:
    try:
        data = base64.b64decode(text_of(form, "payload"), validate=True)
    except (binascii.Error, ValueError):
        data = b""
    digest = text_of(form, "digest")
    filename = text_of(form, "filename")[:200]
    if not data or hashlib.sha256(data).hexdigest() != digest:
        return render(
            request,
            "calls/upload.html",
            principal,
            status_code=422,
            error="The file did not come through intact; upload it again",
            max_mb=MAX_UPLOAD // 2**20,
        )
    skip_invalid = text_of(form, "skip_invalid") == "1"
    read = calls_module.read_calls_csv(
        data, get_settings(request).calendar.zone, now=now(request), max_bytes=MAX_UPLOAD
    )
    if read.problems and (not skip_invalid or not read.records):
        return _preview(request, principal, data, filename, status_code=422)
    stored, already = store.cases.add_calls(read.records, source="csv", actor=principal.actor)
    skipped = len({problem.line for problem in read.problems})
    store.audit(
        actor=principal.actor,
        entity="call",
        key=f"file:{digest[:16]}",
        action="import",
        before=None,
        after={
            "rows": read.rows,
            "stored": len(stored),
            "already": already,
            "skipped": skipped,
            "ids": stored[:1000],
        },
    )
    log.info(
        "calls imported",
        extra={
            "user_id": principal.user_pk,
            "rows": read.rows,
            "stored": len(stored),
            "known": already,
            "invalid": skipped,
        },
    )
    return RedirectResponse(
        f"/calls?imported={len(stored)}&already={already}&skipped={skipped}", status_code=303
    )
