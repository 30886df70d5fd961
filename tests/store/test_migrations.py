"""Every Alembic revision upgrades, downgrades and upgrades again, and matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

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
