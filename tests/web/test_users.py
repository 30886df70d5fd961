"""Accounts: `intake users` (prompt and $INTAKE_PASSWORD), the /users page, the /health page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from intake import cli
from intake.cli import main
from intake.store.ledger import Store
from tests.web.conftest import PASSWORD, Login, sign_in

GOOD = "a long enough passphrase"


def invoke(
    args: list[str], database_url: str, env: dict[str, str] | None = None, **kwargs: Any
) -> Result:
    environment = {"INTAKE_CONFIG": "", "INTAKE_DATABASE_URL": database_url, **(env or {})}
    return CliRunner().invoke(main, args, env=environment, catch_exceptions=False, **kwargs)


def _audit(store: Store) -> list[Any]:
    return store.audit_log("user")


def test_users_add_reads_intake_password_without_a_terminal(
    database_url: str, web_store: Store
) -> None:
    result = invoke(
        ["users", "add", "alice", "--role", "admin"], database_url, {"INTAKE_PASSWORD": GOOD}
    )
    assert result.exit_code == 0, result.output
    user = web_store.users.get("alice")
    assert user is not None
    assert user.role == "admin"
    assert user.password_hash.startswith("$argon2id$")
    entry = _audit(web_store)[0]
    assert entry.action == "add"
    assert entry.actor.startswith("cli:")
    assert entry.after == {"name": "alice", "role": "admin", "disabled": False}
    assert "argon2" not in json.dumps([e.before for e in _audit(web_store)])
    listed = invoke(["users", "list"], database_url)
    assert "alice" in listed.output and "admin" in listed.output
    as_json = invoke(["users", "list", "--json"], database_url)
    assert json.loads(as_json.output.splitlines()[0])["name"] == "alice"


def test_users_add_prompts_twice_on_a_terminal(
    database_url: str, web_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    result = invoke(
        ["users", "add", "bob", "--role", "team"],
        database_url,
        input=f"{GOOD}\nsomething else!!\n{GOOD}\n{GOOD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert GOOD not in result.output
    assert web_store.users.get("bob") is not None


@pytest.mark.parametrize(
    ("args", "password", "code", "says"),
    [
        (["users", "add", "carol", "--role", "team"], "short", 1, "at least 12"),
        (
            ["users", "add", "carol.smithers", "--role", "team"],
            "carol.smithers",
            1,
            "same as the name",
        ),
        (["users", "add", "carol", "--role", "team"], "", 1, "INTAKE_PASSWORD"),
        (["users", "add", "Carol", "--role", "team"], GOOD, 2, "lower-case"),
        (["users", "add", "carol", "--role", "boss"], GOOD, 2, "boss"),
        (["users", "passwd", "nobody"], GOOD, 1, "no user named"),
        (["users", "disable", "nobody"], GOOD, 1, "no user named"),
    ],
)
def test_users_cli_refuses_bad_input_with_one_line(
    database_url: str, args: list[str], password: str, code: int, says: str
) -> None:
    result = invoke(args, database_url, {"INTAKE_PASSWORD": password})
    assert result.exit_code == code, result.output
    assert says in result.output
    if code == 1:
        assert len(result.output.strip().splitlines()) == 1
        assert "Traceback" not in result.output


def test_passwd_and_disable_end_sessions_and_are_audited(
    database_url: str, web_store: Store, client: TestClient, login: Login
) -> None:
    principal = login(client, "team")
    invoke(["users", "add", "admin9", "--role", "admin"], database_url, {"INTAKE_PASSWORD": GOOD})
    changed = invoke(["users", "passwd", "team1"], database_url, {"INTAKE_PASSWORD": GOOD})
    assert changed.exit_code == 0, changed.output
    assert web_store.users.session_count(principal.user_pk) == 0
    assert sign_in(client, "team1", PASSWORD).status_code == 401
    assert sign_in(client, "team1", GOOD).status_code == 303
    disabled = invoke(["users", "disable", "team1"], database_url)
    assert disabled.exit_code == 0
    assert web_store.users.session_count(principal.user_pk) == 0
    actions = [e.action for e in _audit(web_store)]
    assert actions[:2] == ["disable", "password"]
    for entry in _audit(web_store):
        assert "hash" not in json.dumps([entry.before, entry.after])
    # The only enabled admin cannot be disabled.
    last = invoke(["users", "disable", "admin9"], database_url)
    assert last.exit_code == 1
    assert "last enabled admin" in last.output


def test_users_page_lists_and_adds(
    client: TestClient, login: Login, csrf: Any, web_store: Store
) -> None:
    login(client, "admin")
    page = client.get("/users")
    assert page.status_code == 200
    assert "admin1" in page.text
    assert 'name="csrf_token"' in page.text
    added = client.post(
        "/users",
        data={
            "csrf_token": csrf(client),
            "name": "dave",
            "role": "viewer",
            "password": GOOD,
            "password2": GOOD,
        },
    )
    assert added.status_code == 303
    assert added.headers["location"] == "/users?done=added"
    assert "User added." in client.get("/users?done=added").text
    entry = _audit(web_store)[0]
    assert (entry.actor, entry.key, entry.action) == ("web:admin1", "dave", "add")


def test_users_page_shows_problems_beside_the_fields(
    client: TestClient, login: Login, csrf: Any
) -> None:
    login(client, "admin")
    bad = client.post(
        "/users",
        data={
            "csrf_token": csrf(client),
            "name": "admin1",
            "role": "team",
            "password": "short",
            "password2": "short",
        },
    )
    assert bad.status_code == 422
    assert 'id="name-error"' in bad.text
    assert 'id="password-error"' in bad.text
    assert 'aria-describedby="password-error"' in bad.text
    differ = client.post(
        "/users",
        data={
            "csrf_token": csrf(client),
            "name": "erin",
            "role": "team",
            "password": GOOD,
            "password2": GOOD + "x",
        },
    )
    assert differ.status_code == 422
    assert 'id="password2-error"' in differ.text
    assert 'value="erin"' in differ.text
    assert GOOD not in differ.text


def test_users_page_changes_role_disables_and_resets(
    client: TestClient, login: Login, csrf: Any, web_store: Store, make_user: Any
) -> None:
    admin = login(client, "admin")
    make_user("team")
    team = web_store.users.get("team1")
    assert team is not None
    token = csrf(client)
    assert client.post(f"/users/{team.id}/role", data={"csrf_token": token, "role": "viewer"})
    assert web_store.users.get("team1").role == "viewer"  # type: ignore[union-attr]
    other = TestClient(client.app, base_url="http://127.0.0.1", follow_redirects=False)
    assert sign_in(other, "team1").status_code == 303
    done = client.post(f"/users/{team.id}/disable", data={"csrf_token": token})
    assert done.headers["location"] == "/users?done=disabled"
    assert other.get("/health").status_code == 303  # their session ended
    # The token may come as a header instead of a form field.
    enabled = client.post(f"/users/{team.id}/enable", headers={"X-CSRF-Token": token})
    assert enabled.status_code == 303
    reset = client.post(
        f"/users/{team.id}/password",
        data={"csrf_token": token, "password": GOOD, "password2": GOOD},
    )
    assert reset.status_code == 303
    assert sign_in(other, "team1", GOOD).status_code == 303
    short = client.post(
        f"/users/{team.id}/password",
        data={"csrf_token": token, "password": "short", "password2": "short"},
    )
    assert short.status_code == 422
    assert f'id="{team.id}-password-error"' in short.text
    # Not yourself, and never the last enabled admin.
    myself = client.post(f"/users/{admin.user_pk}/disable", data={"csrf_token": token})
    assert myself.status_code == 422
    assert "cannot disable yourself" in myself.text
    own_role = client.post(
        f"/users/{admin.user_pk}/role", data={"csrf_token": token, "role": "team"}
    )
    assert own_role.status_code == 422
    assert client.post("/users/99999/disable", data={"csrf_token": token}).status_code == 404
    actions = {e.action for e in web_store.audit_log("user") if e.actor == "web:admin1"}
    assert actions == {"role", "disable", "enable", "password"}


def test_health_page_shows_polls_backlog_and_next_report(
    client: TestClient, login: Login, web_store: Store
) -> None:
    web_store.record_poll("cspoc", "INBOX", error=None, exists=3)
    web_store.record_poll("cspoc", "Referrals", error="connect failed: timeout")
    login(client, "viewer")
    page = client.get("/health")
    assert page.status_code == 200
    text = page.text
    assert "cspoc" in text and "INBOX" in text
    assert "connect failed: timeout" in text
    assert 'id="backlog-count">0<' in text
    assert 'id="next-report"' in text
    assert "written to file only" in text


def test_intake_web_refuses_an_insecure_cookie_off_this_machine(database_url: str) -> None:
    result = invoke(
        ["web", "--host", "192.0.2.10"], database_url, {"INTAKE_WEB_COOKIE_SECURE": "false"}
    )
    assert result.exit_code == 1
    assert "cookie_secure" in result.output
    assert len(result.output.strip().splitlines()) == 1
    bad = invoke(["web", "--port", "70000"], database_url)
    assert bad.exit_code == 2


def test_intake_web_serves_healthz(tmp_path: Any) -> None:
    """The real command: uvicorn on a free port, same database; no access log with queries.
    (The command is the same on either database: SQLite only.)"""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    database_url = f"sqlite:///{tmp_path / 'intake.db'}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "INTAKE_CONFIG": "",
        "INTAKE_DATABASE_URL": database_url,
        "INTAKE_WEB_COOKIE_SECURE": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "intake", "web", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz?x=secret") as reply:
                    body = reply.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert body == "ok"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "secret" not in output
    assert "serving on http://127.0.0.1" in output
