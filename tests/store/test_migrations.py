"""Every Alembic revision upgrades, downgrades and upgrades again, and matches the models."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, select, text

from intake.store import db
from intake.store.models import Base


def test_upgrade_downgrade_upgrade_matches_the_models(database_url: str) -> None:
    """GIVEN a database at head WHEN it is downgraded to base and upgraded again
    THEN it is at head and its schema is exactly what the models declare."""
    engine = db.make_engine(database_url)
    try:
        assert db.current_revision(engine) == db.head_revision()
        db.downgrade(engine, "base")
        assert db.current_revision(engine) is None
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        engine.dispose()


def test_0002_forms_keeps_existing_attachments(database_url: str) -> None:
    """GIVEN a ledger at 0001 with a message and its attachment WHEN upgraded to 0002_forms
    THEN the attachment is still there, not parsed yet (kind NULL), and takes form rows; WHEN
    downgraded again THEN the form rows go and the attachment stays."""
    engine = db.make_engine(database_url)
    tables = Base.metadata.tables
    now = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
    try:
        db.downgrade(engine, "0001_ledger")
        with engine.begin() as conn:
            conn.execute(
                insert(tables["messages"]).values(
                    id=1,
                    raw_size=10,
                    received_at=now,
                    first_seen_at=now,
                    updated_at=now,
                    status="checked",
                    attempts=0,
                    quiet=False,
                )
            )
            # Only 0001's columns: the model's table would name the ones 0002 adds.
            conn.execute(
                text(
                    "INSERT INTO attachments (id, message_pk, ordinal, filename, content_type, "
                    "size, sha256, origin, inline, derived_name) VALUES (1, 1, 1, 'RFS.docx', "
                    "'application/pdf', 10, :sha, '', :no, :no)"
                ),
                {"sha": "0" * 64, "no": False},
            )
        db.upgrade(engine, "0002_forms")
        with engine.begin() as conn:
            row = conn.execute(select(tables["attachments"])).one()
            assert (row.filename, row.kind, row.parsed_at) == ("RFS.docx", None, None)
            conn.execute(insert(tables["form_concerns"]).values(attachment_pk=1, code="neglect"))
        db.downgrade(engine, "0001_ledger")
        with engine.begin() as conn:
            assert conn.execute(text("SELECT filename FROM attachments")).scalar_one() == "RFS.docx"
        db.upgrade(engine)
    finally:
        engine.dispose()


def test_0003_rulebook_sends_checked_messages_to_be_judged(database_url: str) -> None:
    """GIVEN a ledger at 0002 with a message `checked` before any rule existed WHEN upgraded to
    0003_rulebook THEN it is `parsed`, so the next `intake check` judges it; WHEN downgraded
    THEN it is `checked` again and the rule book's tables are gone."""
    engine = db.make_engine(database_url)
    now = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
    try:
        db.downgrade(engine, "0002_forms")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO messages (id, raw_size, received_at, first_seen_at, updated_at, "
                    "status, attempts, quiet) VALUES (1, 10, :now, :now, :now, 'checked', 0, :no)"
                ),
                {"now": now.replace(tzinfo=None), "no": False},
            )
        db.upgrade(engine, "0003_rulebook")
        with engine.begin() as conn:
            assert conn.execute(text("SELECT status FROM messages")).scalar_one() == "parsed"
            assert conn.execute(text("SELECT count(*) FROM exceptions")).scalar_one() == 0
        db.downgrade(engine, "0002_forms")
        with engine.begin() as conn:
            assert conn.execute(text("SELECT status FROM messages")).scalar_one() == "checked"
        db.upgrade(engine)
    finally:
        engine.dispose()
