"""The service's health: ``/healthz`` (anonymous, bare) and the ``/health`` page (read)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response

from intake.report import cutoff, next_due
from intake.store.ledger import STATUSES
from intake.web.deps import Principal, get_settings, get_store, now, require
from intake.web.templating import render

log = logging.getLogger("intake.web")
router = APIRouter()


@router.get("/healthz")
async def healthz(request: Request) -> Response:
    """200 "ok" when the database answers, else 503 (for load balancers and monitoring)."""
    if get_store(request).users.ping():
        return PlainTextResponse("ok")
    log.warning("healthz: database unavailable")
    return PlainTextResponse("database unavailable", status_code=503)


@router.get("/health")
def health(request: Request, principal: Principal = Depends(require("read"))) -> Response:
    settings = get_settings(request)
    store = get_store(request)
    summary = store.summary()
    configured = {box.name: box for box in settings.mailboxes}
    mailboxes: list[dict[str, Any]] = []
    names = list(configured) + sorted({f.mailbox for f in summary.folders} - set(configured))
    for name in names:
        box = configured.get(name)
        folders = [f for f in summary.folders if f.mailbox == name]
        mailboxes.append(
            {
                "name": name,
                "state": "not configured"
                if box is None
                else ("enabled" if box.enabled else "disabled"),
                "folders": folders,
            }
        )
    counts = {status: summary.by_status.get(status, 0) for status in STATUSES}
    moment = now(request)
    day = next_due(settings, moment)
    last = store.reports.last_sent()
    return render(
        request,
        "health/health.html",
        principal,
        mailboxes=mailboxes,
        counts=counts,
        backlog=counts["fetched"] + counts["parsed"],
        failures=counts["failed"] + counts["dead"],
        open_by_rule=sorted(
            store.cases.open_by_rule().items(), key=lambda item: (-item[1], item[0])
        ),
        next_report=cutoff(settings, day),
        report_by_email=bool(settings.report.recipients),
        last_report=last,
        reports_in_doubt=store.reports.in_doubt(),
    )
