"""The FastAPI application: page routers, static files, security headers and error pages."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartParser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intake.config import Settings
from intake.store.ledger import Store
from intake.web import audit, calls, exceptions, health, login, mailboxes, messages, rules, users
from intake.web.deps import (
    Forbidden,
    LoginRequired,
    Principal,
    current_principal,
    login_url,
    require,
)
from intake.web.templating import render

log = logging.getLogger("intake.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
#: An upload (a call-log CSV, at most calls.MAX_UPLOAD, refused above that before it is read) is
#: held in memory, never spooled to a temporary file on disk: it may name children.
MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, calls.MAX_UPLOAD + 256 * 1024)
#: Every page, in the order their links appear.
PAGES = (login, health, users, exceptions, calls, messages, rules, mailboxes, audit)
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
_BASE_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CSP),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    ),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = "max-age=31536000"


def security_headers(settings: Settings, path: str) -> list[tuple[str, str]]:
    """The headers every response carries (pages also get ``Cache-Control: no-store``)."""
    headers = list(_BASE_HEADERS)
    if settings.web.cookie_secure:
        headers.append(("Strict-Transport-Security", HSTS))
    if path.startswith("/static/"):
        headers.append(("Cache-Control", "private, max-age=3600"))
    else:
        headers.append(("Cache-Control", "no-store"))
    return headers


class SecurityHeaders:
    """Pure ASGI middleware: add the security headers and log each request (path only)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        extra = [(k.lower().encode(), v.encode()) for k, v in security_headers(self.settings, path)]
        names = {name for name, _ in extra}
        started = time.perf_counter()
        status = 0

        async def wrapped(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + extra
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        finally:
            if not path.startswith("/static/"):
                log.info(
                    "request",
                    extra={
                        "method": scope.get("method"),
                        "path": path,
                        "status": status or 500,
                        "ms": round((time.perf_counter() - started) * 1000),
                    },
                )


def _include_pages(app: FastAPI) -> None:
    for page in PAGES:
        app.include_router(page.router)


def api_routes(app: FastAPI) -> list[APIRoute]:
    """Every FastAPI route of ``app``, those of included routers too."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            found.append(route)
    return found


def create_app(
    settings: Settings, store: Store, *, clock: Callable[[], dt.datetime] | None = None
) -> FastAPI:
    """The web application over ``store`` (the caller opens and closes it)."""
    app = FastAPI(
        title="C-SPOC intake",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    @app.get("/", include_in_schema=False)
    async def home(principal: Principal = Depends(require("read"))) -> RedirectResponse:
        return RedirectResponse("/exceptions", status_code=303)

    _include_pages(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.state.page_paths = frozenset(route.path for route in api_routes(app))
    _error_handlers(app, settings)
    app.add_middleware(SecurityHeaders, settings=settings)
    return app


_TITLES = {
    400: "Bad request",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed here",
    422: "Bad request",
    500: "Something went wrong",
}


def error_page(request: Request, status: int, message: str) -> Response:
    principal = None
    try:
        principal = current_principal(request)
    except Exception:  # the database may be what failed
        log.warning("principal unavailable on error page", extra={"status": status})
    try:
        return render(
            request,
            "error.html",
            principal,
            status_code=status,
            title=_TITLES.get(status, "Error"),
            message=message,
            status=status,
        )
    except Exception:
        return PlainTextResponse(message, status_code=status)


def _error_handlers(app: FastAPI, settings: Settings) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.method in {"GET", "HEAD"}:
            return RedirectResponse(login_url(exc.next_path), status_code=303)
        return error_page(request, 401, "Sign in first.")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return error_page(request, 403, exc.reason)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {
            404: "There is no page at this address.",
            405: "This page cannot be used that way.",
        }
        response = error_page(
            request, exc.status_code, messages.get(exc.status_code, "The request was refused.")
        )
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        # The parameters' names only; values may be personal data.
        fields = sorted({str(e.get("loc", ("?",))[-1]) for e in exc.errors()})
        log.info("bad request", extra={"path": request.url.path, "fields": ",".join(fields)})
        return error_page(request, 400, "The address or form was not as expected.")

    @app.exception_handler(500)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.error(
            "unhandled error",
            extra={"path": request.url.path, "error_class": type(exc).__name__},
        )
        response: Response = HTMLResponse(
            "<!doctype html><title>Something went wrong</title>"
            "<h1>Something went wrong</h1><p>The error was logged. Try again, or tell the "
            "administrator the time it happened.</p>",
            status_code=500,
        )
        for key, value in security_headers(settings, request.url.path):
            response.headers[key] = value
        return response
