"""The rule book: phone contacts, exceptions with their timeline, each check's latest judgement,
matches between records about the same child, and what links a message to its thread.

Messages already ``checked`` before this revision were never judged by a rule (there were none),
so they go back to ``parsed`` and the next `intake check` judges them.

Revision ID: 0003_rulebook
Revises: 0002_forms
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from intake.store.models import UTCDateTime

revision = "0003_rulebook"
down_revision = "0002_forms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("in_reply_to", sa.String(998), nullable=True))
        batch.add_column(sa.Column("thread_refs", sa.Text(), nullable=True))
        batch.add_column(sa.Column("mentions", sa.Text(), nullable=True))
    op.create_index(op.f("ix_messages_in_reply_to"), "messages", ["in_reply_to"])
    op.create_index(op.f("ix_messages_from_addr"), "messages", ["from_addr"])
    with op.batch_alter_table("form_children") as batch:
        batch.add_column(sa.Column("surname_key", sa.String(200), nullable=True))
        batch.add_column(sa.Column("forename_key", sa.String(200), nullable=True))
    op.create_index(op.f("ix_form_children_surname_key"), "form_children", ["surname_key"])
    op.create_index(op.f("ix_form_children_forename_key"), "form_children", ["forename_key"])

    op.create_table(
        "calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("called_at", UTCDateTime(), nullable=False),
        sa.Column("caller_name", sa.String(200), nullable=True),
        sa.Column("caller_agency", sa.String(200), nullable=True),
        sa.Column("caller_phone", sa.String(50), nullable=True),
        sa.Column("child_forenames", sa.String(200), nullable=True),
        sa.Column("child_surname", sa.String(200), nullable=True),
        sa.Column("child_dob", sa.String(10), nullable=True),
        sa.Column("surname_key", sa.String(200), nullable=True),
        sa.Column("forename_key", sa.String(200), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("taken_by", sa.String(200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("message_pk", sa.Integer(), nullable=True),
        sa.Column("form_ordinal", sa.Integer(), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_pk"],
            ["messages.id"],
            ondelete="CASCADE",
            name=op.f("fk_calls_message_pk_messages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_calls_fingerprint")),
    )
    for column in ("called_at", "child_dob", "surname_key", "forename_key", "message_pk"):
        op.create_index(op.f(f"ix_calls_{column}"), "calls", [column])
    op.create_index(op.f("ix_calls_checked_at"), "calls", ["checked_at"])

    op.create_table(
        "exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("raised_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("message_pk", sa.Integer(), nullable=True),
        sa.Column("form_ordinal", sa.Integer(), nullable=True),
        sa.Column("call_pk", sa.Integer(), nullable=True),
        sa.Column("child_forenames", sa.String(200), nullable=True),
        sa.Column("child_surname", sa.String(200), nullable=True),
        sa.Column("child_dob", sa.String(10), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(200), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("resolving_message_pk", sa.Integer(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_pk"],
            ["messages.id"],
            ondelete="SET NULL",
            name=op.f("fk_exceptions_message_pk_messages"),
        ),
        sa.ForeignKeyConstraint(
            ["call_pk"], ["calls.id"], ondelete="SET NULL", name=op.f("fk_exceptions_call_pk_calls")
        ),
        sa.ForeignKeyConstraint(
            ["resolving_message_pk"],
            ["messages.id"],
            ondelete="SET NULL",
            name=op.f("fk_exceptions_resolving_message_pk_messages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exceptions")),
        sa.UniqueConstraint("key", name=op.f("uq_exceptions_key")),
    )
    op.create_index(op.f("ix_exceptions_rule"), "exceptions", ["rule"])
    op.create_index(op.f("ix_exceptions_raised_at"), "exceptions", ["raised_at"])
    op.create_index(op.f("ix_exceptions_message_pk"), "exceptions", ["message_pk"])
    op.create_index("ix_exceptions_status_rule", "exceptions", ["status", "rule"])

    op.create_table(
        "exception_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exception_pk", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["exception_pk"],
            ["exceptions.id"],
            ondelete="CASCADE",
            name=op.f("fk_exception_events_exception_pk_exceptions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exception_events")),
    )
    op.create_index(op.f("ix_exception_events_exception_pk"), "exception_events", ["exception_pk"])

    op.create_table(
        "check_results",
        sa.Column("anchor", sa.String(100), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("judged_at", UTCDateTime(), nullable=False),
        sa.Column("as_of", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("anchor", "rule", name=op.f("pk_check_results")),
    )
    op.create_index("ix_check_results_outcome_due", "check_results", ["outcome", "due_at"])

    op.create_table(
        "matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("left", sa.String(100), nullable=False),
        sa.Column("right", sa.String(100), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("found_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matches")),
        sa.UniqueConstraint("left", "right", name="uq_matches_pair"),
    )
    op.create_index(op.f("ix_matches_left"), "matches", ["left"])

    # Never judged by a rule before: the next `intake check` judges them.
    op.execute("UPDATE messages SET status = 'parsed' WHERE status = 'checked'")


def downgrade() -> None:
    op.execute("UPDATE messages SET status = 'checked' WHERE status = 'parsed'")
    op.drop_index(op.f("ix_matches_left"), table_name="matches")
    op.drop_table("matches")
    op.drop_index("ix_check_results_outcome_due", table_name="check_results")
    op.drop_table("check_results")
    op.drop_index(op.f("ix_exception_events_exception_pk"), table_name="exception_events")
    op.drop_table("exception_events")
    op.drop_index("ix_exceptions_status_rule", table_name="exceptions")
    op.drop_index(op.f("ix_exceptions_message_pk"), table_name="exceptions")
    op.drop_index(op.f("ix_exceptions_raised_at"), table_name="exceptions")
    op.drop_index(op.f("ix_exceptions_rule"), table_name="exceptions")
    op.drop_table("exceptions")
    op.drop_index(op.f("ix_calls_checked_at"), table_name="calls")
    for column in ("message_pk", "forename_key", "surname_key", "child_dob", "called_at"):
        op.drop_index(op.f(f"ix_calls_{column}"), table_name="calls")
    op.drop_table("calls")
    op.drop_index(op.f("ix_form_children_forename_key"), table_name="form_children")
    op.drop_index(op.f("ix_form_children_surname_key"), table_name="form_children")
    with op.batch_alter_table("form_children") as batch:
        batch.drop_column("forename_key")
        batch.drop_column("surname_key")
    op.drop_index(op.f("ix_messages_from_addr"), table_name="messages")
    op.drop_index(op.f("ix_messages_in_reply_to"), table_name="messages")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("mentions")
        batch.drop_column("thread_refs")
        batch.drop_column("in_reply_to")
