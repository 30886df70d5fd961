"""Engine, schema version and transactions, for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import SchemaOutOfDate, StoreError

_T = TypeVar("_T")
#: Rows per IN (...) query: well under SQLite's bound-parameter limit.
IN_BATCH = 500

log = logging.getLogger("intake.store")

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout per connection."""
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise StoreError("database.url is not a valid SQLAlchemy URL") from err
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(
                    f"cannot create the folder for the SQLite database ({err.strerror}); "
                    "check database.url"
                ) from err
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # SQLite's own BEGIN handling defers locks; take the write lock at BEGIN so two writers
        # queue on the busy timeout instead of failing with "database is locked" mid-transaction.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)


def _sqlite_begin(conn: Connection) -> None:
    read_only = conn.get_execution_options().get("intake_read_only", False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver level so the "begin" listener above controls transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    script = ScriptDirectory.from_config(_script_config())
    head = script.get_current_head()
    assert head is not None
    return head


def _script_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as err:
        raise StoreError(
            f"cannot open the database ({type(getattr(err, 'orig', err)).__name__}); check "
            "database.url and that the server is running"
        ) from err


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision``."""
    try:
        command.upgrade(alembic_config(engine), revision)
    except SQLAlchemyError as err:
        raise StoreError(
            f"migration failed ({type(err).__name__}); the database is left at "
            "its last complete revision"
        ) from err


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def ensure_schema(engine: Engine, *, auto_upgrade: bool = True) -> None:
    """Make sure the schema is at head: upgrade it, or say what to do."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    script = ScriptDirectory.from_config(_script_config())
    if current is not None and script.get_revision(current) is None:
        raise SchemaOutOfDate(
            f"the database is at revision {current}, which this release does not know; "
            "run the release that wrote it, or restore a backup"
        )
    if not auto_upgrade:
        raise SchemaOutOfDate("the database schema is out of date; run `intake db upgrade`")
    log.info("upgrading database schema", extra={"from_revision": current, "to_revision": head})
    upgrade(engine)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def chunks(items: Sequence[_T], size: int = IN_BATCH) -> Iterable[Sequence[_T]]:
    """``items`` in slices of at most ``size``, for IN (...) queries."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def column_text(value: str | None, limit: int) -> str | None:
    """Text any database column takes: no NUL (PostgreSQL refuses it), no lone surrogate (not
    UTF-8), at most ``limit`` characters."""
    if value is None:
        return None
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")[:limit]
