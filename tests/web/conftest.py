"""Fixtures for the web interface's tests.

In-process (fast, each test on SQLite and PostgreSQL through ``database_url``):

- ``web_store``: a Store on a fresh database; seed it with store APIs or the pipeline.
- ``clock``: the app's clock; ``clock.advance(minutes=31)`` moves the app's "now" on.
- ``web_app``: ``create_app`` over ``web_store`` with test settings (``cookie_secure`` false,
  since TestClient speaks plain http).
- ``client``: a TestClient on ``web_app`` with ``follow_redirects=False`` (assert 303s yourself;
  pass ``follow_redirects=True`` to a call to follow them).
- ``login(client, role, name=None) -> Principal``: create the user if missing (name
  ``{role}1``, password :data:`PASSWORD`) and sign in; the client then carries the session.
- ``csrf(client) -> str``: the signed-in client's CSRF token, for ``data={"csrf_token": ...}``.
- ``make_user(role, name=None) -> str``: create a user on ``web_store`` (returns the name).

Browser (Playwright, ``@pytest.mark.browser``): ``live_server`` (session: uvicorn in a thread on
a free 127.0.0.1 port, SQLite file in a temp dir; returns the base URL), ``live_store`` (the
same database, to seed data), ``base_url`` (so ``page.goto("/login")`` works),
``signed_in_page(page, role)`` and ``shot(page, name)`` (tests/artifacts/web-NAME.png).
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

import pytest
import uvicorn
from fastapi import FastAPI

from intake.config import DatabaseSettings, Settings, WebSettings
from intake.store.ledger import Store
from intake.web import accounts
from intake.web.app import create_app
from intake.web.deps import SESSION_COOKIE, Principal, token_hash
from tests.support.browser import launch_args

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 package; httpx (locked here) still works the same.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


class Clock:
    """A clock the app reads; real time plus an offset the test can move on."""

    def __init__(self) -> None:
        self.offset = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += dt.timedelta(**delta)


class Login(Protocol):
    def __call__(self, client: TestClient, role: str, name: str | None = None) -> Principal: ...


def settings_for(database_url: str) -> Settings:
    return Settings(
        database=DatabaseSettings(url=database_url),
        web=WebSettings(cookie_secure=False),
    )


def ensure_user(store: Store, role: str, name: str | None = None) -> str:
    """Create the user ``name`` (default ``{role}1``) with :data:`PASSWORD` if missing."""
    name = name or f"{role}1"
    if store.users.get(name) is None:
        accounts.add_user(store, name=name, role=role, password=PASSWORD, actor="test")
    return name


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    """Post the sign-in form as a browser would (fetching its CSRF cookie first).

    A session the client already has is dropped first, so one client can change user.
    """
    if SESSION_COOKIE in client.cookies:
        del client.cookies[SESSION_COOKIE]
    page = client.get("/login")
    token = page.cookies.get("intake_login_csrf") or client.cookies.get("intake_login_csrf")
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": token or "", "next": "/"},
    )


@pytest.fixture
def web_store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    yield opened
    opened.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def web_settings(database_url: str) -> Settings:
    return settings_for(database_url)


@pytest.fixture
def web_app(web_settings: Settings, web_store: Store, clock: Clock) -> FastAPI:
    return create_app(web_settings, web_store, clock=clock)


@pytest.fixture
def client(web_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app, base_url="http://127.0.0.1", follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def make_user(web_store: Store) -> Callable[..., str]:
    def make(role: str, name: str | None = None) -> str:
        return ensure_user(web_store, role, name)

    return make


@pytest.fixture
def login(web_store: Store) -> Login:
    def do_login(client: TestClient, role: str, name: str | None = None) -> Principal:
        user_name = ensure_user(web_store, role, name)
        response = sign_in(client, user_name)
        assert response.status_code == 303, response.text
        user = web_store.users.get(user_name)
        assert user is not None
        return Principal(user_pk=user.id, name=user.name, role=user.role)

    return do_login


@pytest.fixture
def csrf(web_store: Store) -> Callable[[TestClient], str]:
    def token(client: TestClient) -> str:
        cookie = client.cookies.get(SESSION_COOKIE)
        assert cookie, "sign in first"
        found = web_store.users.session(token_hash(cookie))
        assert found is not None
        return found.csrf

    return token


# -- a live server for the browser tests -------------------------------------------------------


@pytest.fixture(scope="session")
def live_database(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> str:
    path = tmp_path_factory.mktemp("live") / "intake.db"
    path.write_bytes(sqlite_template.read_bytes())
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def live_store(live_database: str) -> Iterator[Store]:
    opened = Store.open(live_database)
    yield opened
    opened.close()


@contextmanager
def serve(settings: Settings, store: Store) -> Iterator[str]:
    """The web app on a free 127.0.0.1 port in a thread (uvicorn); yields its base URL."""
    app = create_app(settings, store)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the web server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def live_server(live_database: str, live_store: Store) -> Iterator[str]:
    settings = settings_for(live_database)
    settings = replace(settings, web=replace(settings.web, host="127.0.0.1"))
    with serve(settings, live_store) as base:
        yield base


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, **launch_args()}


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


@pytest.fixture
def signed_in_page(live_store: Store) -> Callable[..., Any]:
    """``signed_in_page(page, role, name=None)``: sign ``page`` in through the form."""

    def sign(page: Any, role: str, name: str | None = None) -> Any:
        user_name = ensure_user(live_store, role, name)
        live_store.users.clear_failures(f"user:{user_name}")
        page.goto("/login")
        page.fill("#username", user_name)
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login" not in url)
        return page

    return sign


@pytest.fixture
def shot() -> Callable[[Any, str], Path]:
    """``shot(page, name)``: a full-page screenshot at tests/artifacts/web-NAME.png."""

    def take(page: Any, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"web-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
