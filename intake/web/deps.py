"""What every page depends on: who is signed in, what they may do, the store and the settings.

Every route but ``/login``, ``/logout``, ``/healthz`` and ``/static`` takes
``principal: Principal = Depends(require("PERMISSION"))``. ``require`` refuses an anonymous
request (a GET is sent to the sign-in page, anything else gets 401), a signed-in user without the
permission (403), and, for an unsafe method, a request without the session's CSRF token (403).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Request

from intake.config import Settings
from intake.store.ledger import Store
from intake.store.users import WebSession

log = logging.getLogger("intake.web")

SESSION_COOKIE = "intake_session"
#: The sign-in form's double-submit token (before there is a session).
LOGIN_CSRF_COOKIE = "intake_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Touch a session's last_seen_at at most this often (one write per request would be wasteful).
_TOUCH_EVERY = dt.timedelta(seconds=30)

#: Which roles hold each permission. ``audit``: the audit log (viewer is the read-only auditor).
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset({"viewer", "team", "admin"}),
    "triage": frozenset({"team", "admin"}),
    "audit": frozenset({"viewer", "admin"}),
    "admin": frozenset({"admin"}),
}


@dataclass(frozen=True)
class Principal:
    """The signed-in user a request acts for."""

    user_pk: int
    name: str
    role: str

    def can(self, permission: str) -> bool:
        return self.role in PERMISSIONS[permission]

    @property
    def actor(self) -> str:
        """How the audit log names this user."""
        return f"web:{self.name}"


class LoginRequired(Exception):
    """No valid session: a GET goes to the sign-in page, anything else gets 401."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path
        super().__init__("sign-in required")


class Forbidden(Exception):
    """Signed in, but not allowed (missing permission or CSRF token): 403."""

    def __init__(self, principal: Principal | None, reason: str) -> None:
        self.principal = principal
        self.reason = reason
        super().__init__(reason)


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def now(request: Request) -> dt.datetime:
    """The current time (tests replace ``app.state.clock`` to move it on)."""
    clock: Callable[[], dt.datetime] = request.app.state.clock
    return clock()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def current_session(request: Request) -> WebSession | None:
    """The request's live session (cached on ``request.state``), or None.

    An expired session (idle or absolute) is deleted; a disabled user's session is refused.
    """
    if hasattr(request.state, "web_session"):
        cached: WebSession | None = request.state.web_session
        return cached
    found = _lookup(request)
    request.state.web_session = found
    return found


def _lookup(request: Request) -> WebSession | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 200:
        return None
    store = get_store(request)
    digest = token_hash(token)
    found = store.users.session(digest)
    if found is None:
        return None
    web = get_settings(request).web
    moment = now(request)
    idle_end = found.last_seen_at + dt.timedelta(minutes=web.session_idle_minutes)
    if moment >= found.expires_at or moment >= idle_end:
        store.users.end_session(digest)
        log.info("session expired", extra={"user_id": found.user.id})
        return None
    if found.user.disabled:
        store.users.end_session(digest)
        return None
    if moment - found.last_seen_at >= _TOUCH_EVERY:
        store.users.touch_session(digest, moment)
    return found


def current_principal(request: Request) -> Principal | None:
    found = current_session(request)
    if found is None:
        return None
    return Principal(user_pk=found.user.id, name=found.user.name, role=found.user.role)


def csrf_token(request: Request) -> str:
    """The session's CSRF token ("" without a session)."""
    found = current_session(request)
    return "" if found is None else found.csrf


async def submitted_csrf(request: Request) -> str:
    """The CSRF token a request carries: the header, else the form field ("" if none)."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        if isinstance(value, str):
            return value
    return ""


def _next_path(request: Request) -> str:
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    return path


def login_url(next_path: str) -> str:
    if not next_path or next_path == "/":
        return "/login"
    return "/login?next=" + quote(next_path, safe="/")


def require(permission: str) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency: the signed-in :class:`Principal` holding ``permission``.

    The returned function carries ``.permission`` (read by the route-security test).
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    async def dependency(request: Request) -> Principal:
        principal = current_principal(request)
        if principal is None:
            raise LoginRequired(_next_path(request))
        if not principal.can(permission):
            log.info(
                "forbidden",
                extra={"user_id": principal.user_pk, "permission": permission},
            )
            raise Forbidden(principal, "Your role does not allow this.")
        if request.method not in SAFE_METHODS:
            expected = csrf_token(request)
            given = await submitted_csrf(request)
            if not given or not secrets.compare_digest(given.encode(), expected.encode()):
                log.info("csrf refused", extra={"user_id": principal.user_pk})
                raise Forbidden(
                    principal, "The form had expired or was not sent by this site. Try again."
                )
        return principal

    dependency.permission = permission  # type: ignore[attr-defined]
    dependency.__name__ = f"require_{permission}"
    return dependency
