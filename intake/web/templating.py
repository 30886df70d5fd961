"""Rendering pages: Jinja2 with autoescaping, templates in intake/web/templates/.

Every page gets ``principal``, ``csrf_token`` (put it in a hidden field of EVERY form), ``nav``
(the links the principal may follow) and ``request``, and the filters ``when`` (an aware
datetime in local time, "Mon 23 Nov 2026 09:31") and ``date`` ("Mon 23 Nov 2026").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context

from intake.web.deps import Principal, csrf_token

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

#: (path, label, permission): the header's links, shown when the route exists and is allowed.
NAV: tuple[tuple[str, str, str], ...] = (
    ("/exceptions", "Exceptions", "read"),
    ("/calls", "Calls", "read"),
    ("/messages", "Messages", "read"),
    ("/health", "Health", "read"),
    ("/rules", "Rules", "admin"),
    ("/mailboxes", "Mailboxes", "admin"),
    ("/users", "Users", "admin"),
    ("/audit", "Audit log", "audit"),
)


def _zone(context: Context) -> dt.tzinfo:
    request: Request | None = context.get("request")
    if request is None:
        return dt.UTC
    zone: dt.tzinfo = request.app.state.settings.calendar.zone
    return zone


@pass_context
def _when(context: Context, value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(_zone(context)).strftime("%a %d %b %Y %H:%M")


@pass_context
def _date(context: Context, value: dt.date | dt.datetime | str | None) -> str:
    if value is None or value == "":
        return "—"
    day: dt.date
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
    elif isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        day = aware.astimezone(_zone(context)).date()
    else:
        day = value
    return day.strftime("%a %d %b %Y")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["date"] = _date
    return env


templates = Jinja2Templates(env=_environment())


def nav_links(request: Request, principal: Principal | None) -> list[dict[str, Any]]:
    if principal is None:
        return []
    paths: frozenset[str] = request.app.state.page_paths
    current = request.url.path
    return [
        {
            "href": href,
            "label": label,
            "current": current == href or current.startswith(href + "/"),
        }
        for href, label, permission in NAV
        if href in paths and principal.can(permission)
    ]


def render(
    request: Request,
    template: str,
    principal: Principal | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` as a page for ``principal`` (None: signed out)."""
    values: dict[str, Any] = {
        "principal": principal,
        "csrf_token": csrf_token(request) if principal is not None else "",
        "nav": nav_links(request, principal),
    }
    values.update(context)
    response: HTMLResponse = templates.TemplateResponse(
        request, template, values, status_code=status_code
    )
    return response
