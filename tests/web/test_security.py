"""Every route is guarded: enumerated from the app at run time, so new pages are covered too.

For each route and method: an anonymous request is refused (GET: 303 to /login; others: 401 or
403) unless the route is public; the route's permission is read from its ``require()``
dependency (a non-public route without one fails); every role lacking that permission gets 403;
an unsafe method without the CSRF token gets 403 even for a permitted user. Every response
carries the security headers; no route takes a name or date of birth as a parameter.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from intake.config import Settings
from intake.store.users import ROLES
from intake.web.app import CSP, api_routes, create_app
from intake.web.deps import PERMISSIONS
from tests.web.conftest import Login

PUBLIC = {("/login", "GET"), ("/login", "POST"), ("/logout", "POST"), ("/healthz", "GET")}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
#: Parameter names that would put a person in a URL (ids and filter codes only are allowed).
PERSONAL = re.compile(
    r"^name$|dob|birth|surname|forename|first_?name|last_?name|full_?name|child|person|"
    r"email|phone|address|postcode|^q$|query|search",
    re.I,
)
#: (path prefix, parameter): identifiers of configuration, not of people.
NOT_PERSONAL = {("/mailboxes/", "name")}


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only: the route walk is about the app, not the database."""
    path = tmp_path / "intake.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def _routes(app: FastAPI) -> list[tuple[APIRoute, str]]:
    found = []
    for route in api_routes(app):
        for method in sorted(route.methods or ()):
            found.append((route, method))
    return found


def _permission(dependant: Dependant) -> str | None:
    for dependency in dependant.dependencies:
        marker = getattr(dependency.call, "permission", None)
        if isinstance(marker, str):
            return marker
        nested = _permission(dependency)
        if nested is not None:
            return nested
    return None


def _url(route: APIRoute) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        return "1" if name == "id" or name.endswith(("_id", "_pk", "id")) else "x"

    return re.sub(r"\{([^}]+)\}", fill, route.path)


def _request(client: TestClient, method: str, url: str, **kwargs: Any) -> Any:
    return client.request(method, url, **kwargs)


@pytest.fixture
def clients(web_app: FastAPI, login: Login) -> Iterator[dict[str, TestClient]]:
    opened: dict[str, TestClient] = {}
    for role in ROLES:
        client = TestClient(web_app, base_url="http://127.0.0.1", follow_redirects=False)
        client.__enter__()
        login(client, role)
        opened[role] = client
    yield opened
    for client in opened.values():
        client.__exit__(None, None, None)


def test_every_route_refuses_anonymous_and_unpermitted_requests(
    web_app: FastAPI, client: TestClient, clients: dict[str, TestClient]
) -> None:
    routes = _routes(web_app)
    assert len(routes) >= 6, "the app should have its pages"
    checked = 0
    for route, method in routes:
        url = _url(route)
        where = f"{method} {route.path}"
        if (route.path, method) in PUBLIC:
            continue
        permission = _permission(route.dependant)
        assert permission is not None, f"{where} has no Depends(require(...))"
        assert permission in PERMISSIONS, where
        anonymous = _request(client, method, url)
        if method == "GET":
            assert anonymous.status_code == 303, where
            assert anonymous.headers["location"].startswith("/login"), where
        else:
            assert anonymous.status_code in {401, 403}, f"{where}: {anonymous.status_code}"
        for role, signed_in in clients.items():
            if role in PERMISSIONS[permission]:
                continue
            denied = _request(signed_in, method, url, data={"csrf_token": "x"})
            assert denied.status_code == 403, f"{where} as {role}: {denied.status_code}"
        if method in UNSAFE:
            allowed = next(role for role in ROLES if role in PERMISSIONS[permission])
            forged = _request(clients[allowed], method, url, data={"anything": "1"})
            assert forged.status_code == 403, f"{where} without CSRF: {forged.status_code}"
            wrong = _request(clients[allowed], method, url, data={"csrf_token": "forged"})
            assert wrong.status_code == 403, f"{where} with a forged token: {wrong.status_code}"
        checked += 1
    assert checked >= 4


def test_public_routes_are_only_the_sign_in_pages_and_healthz(web_app: FastAPI) -> None:
    public = {
        (route.path, method)
        for route, method in _routes(web_app)
        if _permission(route.dependant) is None
    }
    assert public <= PUBLIC


def test_no_route_takes_personal_data_as_a_parameter(web_app: FastAPI) -> None:
    for route, _ in _routes(web_app):
        for param in (*route.dependant.path_params, *route.dependant.query_params):
            exempt = any(
                route.path.startswith(prefix) and param.name == name
                for prefix, name in NOT_PERSONAL
            )
            assert exempt or not PERSONAL.search(param.name), f"{route.path} takes {param.name}"


def _assert_security_headers(response: Any, *, page: bool = True) -> None:
    headers = response.headers
    assert headers["content-security-policy"] == CSP
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in headers["permissions-policy"]
    if page:
        assert headers["cache-control"] == "no-store"


def test_security_headers_on_every_kind_of_response(
    client: TestClient, login: Login, web_settings: Any, web_store: Any
) -> None:
    _assert_security_headers(client.get("/login"))
    _assert_security_headers(client.get("/healthz"))
    _assert_security_headers(client.get("/health"))  # the redirect to /login
    _assert_security_headers(client.get("/no-such-page"))
    _assert_security_headers(client.get("/static/app.css"), page=False)
    assert "strict-transport-security" not in client.get("/login").headers
    login(client, "admin")
    _assert_security_headers(client.get("/health"))
    _assert_security_headers(client.get("/users"))
    secure = create_app(Settings(), web_store)
    with TestClient(secure, base_url="https://127.0.0.1") as https:
        assert https.get("/login").headers["strict-transport-security"].startswith("max-age=")


def test_error_pages_show_no_traceback(web_app: FastAPI, client: TestClient) -> None:
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    assert "Traceback" not in missing.text
    wrong_method = client.delete("/login")
    assert wrong_method.status_code == 405
    assert "Traceback" not in wrong_method.text

    def boom() -> None:
        raise RuntimeError("secret detail: Jane Smith 2019-03-04")

    web_app.add_api_route("/boom-for-test", boom)
    with TestClient(web_app, raise_server_exceptions=False) as crashing:
        failed = crashing.get("/boom-for-test")
    assert failed.status_code == 500
    assert "Something went wrong" in failed.text
    assert "secret detail" not in failed.text
    assert "Traceback" not in failed.text
    _assert_security_headers(failed)
