"""The triage pages on a year of history: how long the server takes to answer them.

    uv run python -m benchmarks.web_pages [--referrals 50000] [--exceptions 5000]
        [--repeat 25] [--warmup 3] [--postgres]

The issue's target: with one year of history (50,000 referrals, 5,000 exceptions) the
exceptions list (its first page with the default filter, and a filtered one) and one exception's
page each answer in ≤ 100 ms (median server time), on SQLite and on PostgreSQL.

Seeding: ``benchmarks.report_build.seed`` (the same year of history the daily report is measured
on: bulk inserts into the store's tables; see there), plus, for every exception on a message,
two ``matches`` rows (its form matched to a call and to another message), so an exception's page
has related records with evidence to show. A user ``bench`` (role team) is created and signed in
through the sign-in form.

Measured in-process: ``create_app`` over the seeded store, driven by Starlette's TestClient (the
ASGI app called directly, no sockets), with the signed-in session's cookie; wall time per
request, alternating the order each round:

- list: ``GET /exceptions`` (open exceptions, newest first, first page of 50);
- filtered: ``GET /exceptions?status=all&rule=neglect-no-gcp&from=…&to=…&mailbox=cspoc``
  (three months; the mailbox filter is an EXISTS on the sightings);
- list, page 6: ``GET /exceptions?status=all&page=6`` (offset paging);
- detail: ``GET /exceptions/{id}`` for an exception on a form with two related records;
- floors: ``GET /healthz`` through the same client (the framework, middleware and transport
  with no page work), and a bare ``SELECT`` of the first page's 50 rows (what any list of them
  has to read at least).

Results (medians, min–max) go to ``benchmarks/results/web_pages-<backend>.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import re
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Engine, select, text

from benchmarks._common import (
    Spread,
    code_fingerprint,
    environment,
    log,
    markdown_table,
    write_results,
)
from benchmarks.check_incremental import bulk_insert, database, size_mb
from benchmarks.report_build import seed
from intake.config import Settings, WebSettings
from intake.store.ledger import Store
from intake.store.models import ExceptionRow, MatchRow
from intake.web import accounts
from intake.web.app import create_app

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TARGET_MS = 100.0
FILTERED = "/exceptions?status=all&rule=neglect-no-gcp&from=2026-06-01&to=2026-08-31&mailbox=cspoc"
PASSWORD = "correct horse battery staple"
ORDER = (
    "GET /exceptions",
    "GET /exceptions filtered",
    "GET /exceptions?status=all&page=6",
    "GET /exceptions/{id}",
    "GET /healthz (floor)",
    "SELECT of the page's rows (floor)",
)


def seed_matches(engine: Engine) -> int:
    """Two matches for every exception on a message (its anchor is ``bench:N``)."""
    now = dt.datetime.now(dt.UTC)
    with engine.connect() as conn:
        found = conn.execute(
            select(ExceptionRow.key, ExceptionRow.message_pk).where(
                ExceptionRow.message_pk.is_not(None)
            )
        ).all()
    rows: list[dict[str, Any]] = []
    for n, (key, message_pk) in enumerate(found):
        anchor = key.partition("|")[2]
        other = max(1, (message_pk or 1) - 7)
        rows.append(
            {
                "left": anchor,
                "right": f"call:{n % 5000 + 1}",
                "confidence": 0.95,
                "evidence": '{"dob": "equal", "surname": "exact"}',
                "found_at": now,
            }
        )
        rows.append(
            {
                "left": anchor,
                "right": f"form:{other}:1",
                "confidence": 0.8,
                "evidence": '{"dob": "missing", "forenames": "nickname", "surname": "exact"}',
                "found_at": now,
            }
        )
    with engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            bulk_insert(conn, MatchRow, rows[start : start + 5000])
    return len(rows)


def sign_in(client: TestClient, store: Store) -> None:
    accounts.add_user(store, name="bench", role="team", password=PASSWORD, actor="bench")
    page = client.get("/login")
    token = client.cookies.get("intake_login_csrf") or ""
    assert page.status_code == 200
    done = client.post(
        "/login",
        data={"username": "bench", "password": PASSWORD, "csrf_token": token, "next": "/"},
    )
    if done.status_code != 303:
        raise RuntimeError(f"sign-in failed: {done.status_code}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--referrals", type=int, default=50_000, help="history emails (50000)")
    parser.add_argument("--exceptions", type=int, default=5_000, help="exceptions (5000)")
    parser.add_argument("--repeat", type=int, default=25, help="measured rounds (25)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first (3)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--name", default="web_pages", help="results file name stem")
    args = parser.parse_args(argv)

    backend = "PostgreSQL" if args.postgres else "SQLite"
    code_before = code_fingerprint()
    times: dict[str, list[float]] = {}
    shape: dict[str, Any] = {}
    with database(args.postgres) as url:
        store = Store.open(url)
        try:
            settings = replace(Settings(), web=WebSettings(cookie_secure=False))
            started = time.perf_counter()
            counts = seed(store.engine, settings, args.referrals, args.exceptions)
            counts["matches"] = seed_matches(store.engine)
            if store.engine.dialect.name == "postgresql":
                with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("ANALYZE"))
            seeding = time.perf_counter() - started
            size = size_mb(store.engine)
            log(f"seeded {backend} in {seeding:.1f} s ({size:.0f} MB): {counts}")
            detail_id = _exception_with_a_form(store.engine)
            app = create_app(settings, store)
            with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
                sign_in(client, store)
                probes = _probes(client, store.engine, detail_id, shape)
                for n in range(args.warmup + args.repeat):
                    gc.collect()
                    order = list(probes.items())
                    if n % 2:
                        order.reverse()
                    for name, probe in order:
                        elapsed = probe()
                        if n >= args.warmup:
                            times.setdefault(name, []).append(elapsed)
        finally:
            store.close()

    spreads = {name: Spread.of(times[name]) for name in ORDER}
    healthz = spreads["GET /healthz (floor)"]
    rows = []
    for name, spread in spreads.items():
        page = "floor" not in name
        rows.append(
            [
                name,
                shape.get(name, ""),
                spread.fmt(1),
                f"{spread.median - healthz.median:.1f}" if page else "",
                f"≤ {TARGET_MS:.0f} ms" if page else "",
                ("yes" if spread.median <= TARGET_MS else "**no**") if page else "",
            ]
        )
    table = markdown_table(
        [
            "request",
            "shown",
            "server ms (median, min–max)",
            "over the /healthz floor (ms)",
            "target",
            "met?",
        ],
        rows,
    )
    code_after = code_fingerprint()
    code = f"- product code (sha256 of intake/, parsers/, migrations/ sources): `{code_before}`"
    if code_after != code_before:
        code = (
            f"- **WARNING: the product code changed during this run** (`{code_before}` at "
            f"start, `{code_after}` at the end); the figures are for the code at start."
        )
    lines = [
        f"# The triage pages on a year of history ({backend})",
        "",
        environment(),
        code,
        "",
        f"History: {args.referrals:,} referral emails (1 Dec 2025 – 27 Nov 2026) with their "
        f"forms, 5,000 calls, {args.exceptions:,} exceptions ({shape['open']} open), "
        f"{counts['matches']:,} matches (benchmarks.report_build's seeding plus two matches per "
        f"exception on a message); seeded in {seeding:.1f} s, {size:.0f} MB. Each request "
        "timed in-process (Starlette TestClient calling the ASGI app, signed-in session), "
        f"{args.repeat} rounds after {args.warmup} untimed, alternating the order. The floors: "
        "GET /healthz through the same client, and a bare SELECT of the first page's 50 rows.",
        "",
        table,
    ]
    write_results(f"{args.name}-{'postgres' if args.postgres else 'sqlite'}", "\n".join(lines))


def _exception_with_a_form(engine: Engine) -> int:
    with engine.connect() as conn:
        found = conn.execute(
            select(ExceptionRow.id)
            .where(ExceptionRow.message_pk.is_not(None), ExceptionRow.rule == "neglect-no-gcp")
            .order_by(ExceptionRow.id.desc())
            .limit(1)
        ).scalar_one()
    return int(found)


def _probes(
    client: TestClient, engine: Engine, detail_id: int, shape: dict[str, Any]
) -> dict[str, Callable[[], float]]:
    def get(path: str, name: str, check: Callable[[str], str]) -> Callable[[], float]:
        def probe() -> float:
            began = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code}")
            shape[name] = check(response.text)
            return elapsed

        return probe

    def rows_shown(page: str) -> str:
        found = re.search(r"(\d+) found", page)
        shown = len(re.findall(r'<th scope="row"><a href="/exceptions/', page))
        return f"{shown} of {found.group(1) if found else 0}"

    def detail_shown(page: str) -> str:
        fields = page.count('<td class="value">')
        related = page.count('<th scope="row" class="code">')
        return f"{related} related records, {fields} form fields"

    def bare_select() -> float:
        began = time.perf_counter()
        with engine.connect() as conn:
            conn.execute(
                select(ExceptionRow)
                .where(ExceptionRow.status == "open")
                .order_by(ExceptionRow.raised_at.desc(), ExceptionRow.id.desc())
                .limit(50)
            ).all()
        return (time.perf_counter() - began) * 1000

    with engine.connect() as conn:
        shape["open"] = conn.execute(
            select(text("count(*)")).select_from(ExceptionRow).where(ExceptionRow.status == "open")
        ).scalar_one()
    return {
        "GET /healthz (floor)": get("/healthz", "GET /healthz (floor)", lambda _: ""),
        "SELECT of the page's rows (floor)": bare_select,
        "GET /exceptions": get("/exceptions", "GET /exceptions", rows_shown),
        "GET /exceptions filtered": get(FILTERED, "GET /exceptions filtered", rows_shown),
        "GET /exceptions?status=all&page=6": get(
            "/exceptions?status=all&page=6", "GET /exceptions?status=all&page=6", rows_shown
        ),
        "GET /exceptions/{id}": get(
            f"/exceptions/{detail_id}", "GET /exceptions/{id}", detail_shown
        ),
    }


if __name__ == "__main__":
    main()
