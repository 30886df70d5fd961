"""Signing in and out: sessions, cookies, CSRF, rate limiting, expiry, disabled users."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from intake import config
from intake.config import DatabaseSettings, Settings
from intake.errors import ConfigError
from intake.store import db
from intake.store.ledger import Store
from intake.web import accounts
from intake.web.app import create_app
from intake.web.deps import SESSION_COOKIE
from intake.web.login import LOCKED, WRONG
from tests.web.conftest import PASSWORD, Clock, Login, ensure_user, sign_in


def _set_cookie_headers(response: Any) -> list[str]:
    return [v for k, v in response.headers.multi_items() if k.lower() == "set-cookie"]


def test_sign_in_starts_a_session_with_a_safe_cookie(
    client: TestClient, web_store: Store, make_user: Any
) -> None:
    make_user("team")
    response = sign_in(client, "team1")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = next(c for c in _set_cookie_headers(response) if c.startswith(SESSION_COOKIE))
    lowered = cookie.lower()
    assert "httponly" in lowered
    assert "samesite=strict" in lowered
    assert "path=/" in lowered
    assert "secure" not in lowered  # cookie_secure = false in the test settings
    token = client.cookies[SESSION_COOKIE]
    assert len(token) >= 43  # 32 random bytes, base64url
    # Only the token's SHA-256 is stored.
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert web_store.users.session(digest) is not None
    assert web_store.users.session(token) is None
    user = web_store.users.get("team1")
    assert user is not None and user.last_login_at is not None
    assert client.get("/health").status_code == 200
    assert client.get("/").headers["location"] == "/exceptions"


def test_cookie_is_secure_by_default_over_https(web_store: Store, database_url: str) -> None:
    app = create_app(Settings(database=DatabaseSettings(url=database_url)), web_store)
    ensure_user(web_store, "viewer")
    with TestClient(app, base_url="https://127.0.0.1", follow_redirects=False) as https:
        login_cookie = https.get("/login").headers["set-cookie"].lower()
        assert "secure" in login_cookie and "httponly" in login_cookie
        response = sign_in(https, "viewer1")
        assert response.status_code == 303
        cookie = next(c for c in _set_cookie_headers(response) if c.startswith(SESSION_COOKIE))
        assert "secure" in cookie.lower()
        assert https.get("/health").status_code == 200


def test_wrong_password_and_unknown_name_get_the_same_answer(
    client: TestClient, make_user: Any
) -> None:
    make_user("team")
    wrong = sign_in(client, "team1", "not the right password")
    unknown = sign_in(client, "nobody", "not the right password")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert WRONG in response.text
        assert SESSION_COOKIE not in client.cookies
    assert 'value="team1"' in wrong.text  # the name is kept, the password never
    assert "not the right password" not in wrong.text


def test_sign_in_needs_the_forms_csrf_token(client: TestClient, make_user: Any) -> None:
    make_user("admin")
    client.get("/login")
    response = client.post(
        "/login", data={"username": "admin1", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in client.cookies
    fresh = TestClient(client.app, base_url="http://127.0.0.1", follow_redirects=False)
    no_cookie = fresh.post("/login", data={"username": "admin1", "password": PASSWORD})
    assert no_cookie.status_code == 403


def test_next_goes_back_to_the_page_asked_for_and_never_off_site(
    client: TestClient, make_user: Any
) -> None:
    make_user("team")
    redirect = client.get("/health")
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/login?next=/health"
    page = client.get("/login?next=/health")
    assert 'name="next" value="/health"' in page.text
    token = client.cookies["intake_login_csrf"]
    done = client.post(
        "/login",
        data={"username": "team1", "password": PASSWORD, "csrf_token": token, "next": "/health"},
    )
    assert done.headers["location"] == "/health"
    for hostile in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert client.get(f"/login?next={hostile}").headers["location"] == "/"


def test_repeated_failures_lock_the_name_for_fifteen_minutes(
    client: TestClient, make_user: Any, clock: Clock, web_app: FastAPI
) -> None:
    make_user("team")
    limit = web_app.state.settings.web.login_attempts
    for _ in range(limit):
        assert sign_in(client, "team1", "wrong password!!").status_code == 401
    locked = sign_in(client, "team1")  # even the right password
    assert locked.status_code == 429
    assert LOCKED in locked.text
    assert "team1" not in locked.text.split("<form")[0]  # no hint about the name
    # An unknown name is refused with exactly the same words once it has as many failures.
    for _ in range(limit):
        sign_in(client, "ghost", "wrong password!!")
    assert LOCKED in sign_in(client, "ghost", "wrong password!!").text
    clock.advance(minutes=14)
    assert sign_in(client, "team1").status_code == 429
    clock.advance(minutes=2)
    assert sign_in(client, "team1").status_code == 303


def test_success_clears_the_names_failures(client: TestClient, make_user: Any) -> None:
    make_user("team")
    for _ in range(4):
        sign_in(client, "team1", "wrong password!!")
    assert sign_in(client, "team1").status_code == 303
    for _ in range(4):
        sign_in(client, "team1", "wrong password!!")
    assert sign_in(client, "team1").status_code == 303


def test_many_failures_from_one_address_lock_it(client: TestClient, make_user: Any) -> None:
    make_user("team")
    for number in range(20):
        sign_in(client, f"user{number}", "wrong password!!")
    refused = sign_in(client, "team1")
    assert refused.status_code == 429
    assert LOCKED in refused.text


def test_session_ends_after_idle_time(client: TestClient, login: Login, clock: Clock) -> None:
    login(client, "viewer")
    clock.advance(minutes=29)
    assert client.get("/health").status_code == 200
    clock.advance(minutes=29)  # 29 minutes after the last request: still alive
    assert client.get("/health").status_code == 200
    clock.advance(minutes=31)
    expired = client.get("/health")
    assert expired.status_code == 303
    assert expired.headers["location"].startswith("/login")


def test_session_ends_after_its_absolute_lifetime(
    client: TestClient, login: Login, clock: Clock
) -> None:
    login(client, "viewer")
    for _ in range(16):  # 16 x 29 min = 7 h 44 min: kept alive by use
        clock.advance(minutes=29)
        assert client.get("/health").status_code == 200
    clock.advance(minutes=20)  # 8 h 04 min after signing in
    assert client.get("/health").status_code == 303


def test_sign_out_deletes_the_session(
    client: TestClient, login: Login, csrf: Any, web_store: Store
) -> None:
    login(client, "team")
    token = client.cookies[SESSION_COOKIE]
    refused = client.post("/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    done = client.post("/logout", data={"csrf_token": csrf(client)})
    assert done.status_code == 303
    assert done.headers["location"] == "/login"
    assert web_store.users.session(hashlib.sha256(token.encode()).hexdigest()) is None
    # The old cookie is worthless now.
    replay = TestClient(client.app, base_url="http://127.0.0.1", follow_redirects=False)
    replay.cookies.set(SESSION_COOKIE, token)
    assert replay.get("/health").status_code == 303


def test_signing_in_never_keeps_a_planted_session_token(
    client: TestClient, make_user: Any, web_store: Store
) -> None:
    make_user("team")
    client.cookies.set(SESSION_COOKIE, "planted-by-someone-else")
    client.get("/login")
    token = client.cookies["intake_login_csrf"]
    response = client.post(
        "/login", data={"username": "team1", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303
    header = next(c for c in _set_cookie_headers(response) if c.startswith(SESSION_COOKIE))
    issued = header.split(";")[0].split("=", 1)[1]
    assert issued != "planted-by-someone-else"
    assert web_store.users.session(hashlib.sha256(issued.encode()).hexdigest()) is not None


def test_disabling_a_user_ends_their_sessions(
    client: TestClient, login: Login, web_store: Store
) -> None:
    principal = login(client, "team")
    assert web_store.users.session_count(principal.user_pk) == 1
    accounts.set_disabled(web_store, name="team1", disabled=True, actor="test")
    assert web_store.users.session_count(principal.user_pk) == 0
    assert client.get("/health").status_code == 303
    again = sign_in(client, "team1")
    assert again.status_code == 401
    assert WRONG in again.text


def test_an_old_hash_is_upgraded_on_sign_in(client: TestClient, web_store: Store) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    web_store.users.add("oldhash", "viewer", weak.hash(PASSWORD))
    assert sign_in(client, "oldhash").status_code == 303
    user = web_store.users.get("oldhash")
    assert user is not None
    assert not accounts.hasher().check_needs_rehash(user.password_hash)


def test_healthz_is_bare_and_public(client: TestClient) -> None:
    ok = client.get("/healthz")
    assert ok.status_code == 200
    assert ok.text == "ok"
    # Nothing listens on port 1: the database does not answer.
    broken_store = Store(db.make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none"))
    broken = create_app(Settings(), broken_store)
    with TestClient(broken) as other:
        down = other.get("/healthz")
    assert down.status_code == 503
    assert "Traceback" not in down.text
    broken_store.close()


def test_web_settings_are_validated_with_the_fix(tmp_path: Any) -> None:
    loaded = config.load(None, {"INTAKE_WEB_PORT": "9090", "INTAKE_WEB_SESSION_HOURS": "4"})
    assert (loaded.web.port, loaded.web.session_hours) == (9090, 4)
    assert loaded.web.cookie_secure is True
    for key, value, says in [
        ("port", "0", "web.port"),
        ("session_idle_minutes", "0", "web.session_idle_minutes"),
        ("login_attempts", "0", "web.login_attempts"),
        ("cookie_secure", "maybe", "true or false"),
    ]:
        with pytest.raises(ConfigError, match=says):
            config.load(None, {f"INTAKE_WEB_{key.upper()}": value})
    path = tmp_path / "intake.toml"
    path.write_text('[web]\nhost = "192.0.2.10"\ncookie_secure = false\n')
    with pytest.raises(ConfigError, match="cookie_secure"):
        config.load(path, {})
