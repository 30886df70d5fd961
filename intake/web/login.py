"""Signing in and out: sessions, the sign-in form's own CSRF token, and rate limiting.

A session is a random 32-byte token in the ``intake_session`` cookie (HttpOnly, SameSite=Strict,
Secure unless ``web.cookie_secure = false``); the database keeps only its SHA-256. Signing in
always starts a new session (no fixation). The sign-in form, which has no session yet, carries a
double-submit token: a cookie and a hidden field that must match.

Rate limiting: after ``web.login_attempts`` failures for one name within 15 minutes, or
:data:`ADDRESS_ATTEMPTS` from one client address, further attempts are refused for 15 minutes,
with the same message whether or not the name exists.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from intake.web import accounts
from intake.web.deps import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    current_principal,
    current_session,
    get_settings,
    get_store,
    now,
    token_hash,
)
from intake.web.templating import render

log = logging.getLogger("intake.web")
router = APIRouter()

WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)
ADDRESS_ATTEMPTS = 20
WRONG = "Wrong name or password."
LOCKED = "Too many failed sign-ins. Wait 15 minutes, then try again."
EXPIRED = "The sign-in form had expired. Try again."


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another host)."""
    if (
        not value
        or not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or any(ord(c) < 32 for c in value)
        or value.startswith(("/login", "/logout"))
    ):
        return "/"
    return value


def _login_form(
    request: Request,
    *,
    next_path: str,
    status_code: int = 200,
    error: str | None = None,
    username: str = "",
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login/login.html",
        None,
        status_code=status_code,
        login_csrf=token,
        next_path=next_path,
        error=error,
        username=username,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        path="/login",
        secure=get_settings(request).web.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/login")
async def login_page(request: Request, next: str | None = None) -> Response:
    if current_principal(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_form(request, next_path=safe_next(next))


def _locked(request: Request, key: str, limit: int) -> bool:
    users = get_store(request).users
    latest = users.latest_failure(key)
    if latest is None or now(request) - latest >= LOCKOUT:
        return False
    return users.failures_since(key, latest - WINDOW) >= limit


@router.post("/login")
async def login_submit(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username") or "").strip().lower()[:100]
    password = str(form.get("password") or "")
    next_path = safe_next(str(form.get("next") or ""))
    given = str(form.get(CSRF_FIELD) or "")
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not given or not expected or not secrets.compare_digest(given.encode(), expected.encode()):
        log.info("login refused: csrf")
        return _login_form(request, next_path=next_path, status_code=403, error=EXPIRED)
    settings = get_settings(request)
    store = get_store(request)
    address = request.client.host if request.client else "unknown"
    name_key = f"user:{username}"
    addr_key = f"addr:{address}"
    if _locked(request, name_key, settings.web.login_attempts) or _locked(
        request, addr_key, ADDRESS_ATTEMPTS
    ):
        log.warning("login refused: rate limit")
        return _login_form(
            request, next_path=next_path, status_code=429, error=LOCKED, username=username
        )
    user = accounts.authenticate(store, username, password)
    if user is None:
        store.users.record_failure((name_key, addr_key), now(request))
        log.info("login failed")
        return _login_form(
            request, next_path=next_path, status_code=401, error=WRONG, username=username
        )
    store.users.clear_failures(name_key)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        store.users.end_session(token_hash(old))
    token = secrets.token_urlsafe(32)
    moment = now(request)
    store.users.start_session(
        user.id,
        token_hash(token),
        secrets.token_urlsafe(32),
        moment + dt.timedelta(hours=settings.web.session_hours),
    )
    log.info("login", extra={"user_id": user.id})
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path="/",
        secure=settings.web.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    found = current_session(request)
    if found is not None:
        form = await request.form()
        given = str(form.get(CSRF_FIELD) or request.headers.get("X-CSRF-Token") or "")
        if not given or not secrets.compare_digest(given.encode(), found.csrf.encode()):
            principal = current_principal(request)
            return render(
                request,
                "error.html",
                principal,
                status_code=403,
                title="Not allowed",
                message="The form had expired or was not sent by this site. Try again.",
            )
        get_store(request).users.end_session(found.token_hash)
        log.info("logout", extra={"user_id": found.user.id})
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=get_settings(request).web.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response
