"""Shared fixtures: a database of each kind (SQLite file, real PostgreSQL), settings, the
private Dovecot (tests/support/dovecot.py) and the synthetic mail the project generates.

Every test that takes ``database_url`` or ``store`` runs twice: on SQLite and on PostgreSQL.
With INTAKE_TEST_REQUIRE_SERVICES=1 (CI), a missing Dovecot or PostgreSQL fails the run
instead of skipping.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from intake.store import db
from intake.store.ledger import Store
from intake.store.models import Base
from tests.support.dovecot import dovecot  # noqa: F401  (fixture)

PG_ADMIN_URL = os.environ.get(
    "INTAKE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_SERVICES = os.environ.get("INTAKE_TEST_REQUIRE_SERVICES") == "1"


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where every service must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required test service unavailable: {reason}")
    pytest.skip(reason)


def pytest_configure(config: pytest.Config) -> None:
    """Give each test process (pytest-xdist worker) a temporary folder of its own, inherited by
    the processes it starts, so tests that check what a parse or conversion leaves behind in
    the temporary folder see only their own process's files. A run leaves its folders for
    multiprocessing's own clean-up at exit; the next run removes those of finished runs."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    shared = Path(tempfile.gettempdir())
    for stale in shared.glob("intake-tests-*-gw*"):
        pid = stale.name.split("-")[2]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(stale, ignore_errors=True)
    own = shared / f"intake-tests-{os.getpid()}-{worker}"
    own.mkdir(exist_ok=True)
    os.environ["TMPDIR"] = str(own)
    tempfile.tempdir = str(own)


@pytest.fixture(autouse=True)
def _fresh_intake_logger() -> Iterator[None]:
    """Undo what a command run in-process did to the "intake" logger (``logs.setup`` gives it
    its own handler and stops propagation), so a later test's ``caplog`` still sees it, in
    whatever order the test processes run the tests."""
    logger = logging.getLogger("intake")
    saved = (logger.level, logger.propagate, list(logger.handlers))
    yield
    logger.setLevel(saved[0])
    logger.propagate = saved[1]
    logger.handlers[:] = saved[2]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "intake.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A PostgreSQL database of this run's own, migrated to head, dropped at the end."""
    name = f"intake_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as err:
        admin.dispose()
        unavailable(f"PostgreSQL at {PG_ADMIN_URL} ({type(err).__name__})")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database at the schema head: SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "intake.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    yield opened
    opened.close()
