"""The ledger: messages, where they were seen, raw copies, attachments, cursors and locks.

Revision ID: 0001_ledger
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from intake.store.models import UTCDateTime

revision = "0001_ledger"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(998), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("raw_size", sa.BigInteger(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_class", sa.String(200), nullable=True),
        sa.Column("error_traceback", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("quiet", sa.Boolean(), nullable=False),
        sa.Column("from_addr", sa.String(320), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("sha256", name=op.f("uq_messages_sha256")),
    )
    op.create_index(op.f("ix_messages_message_id"), "messages", ["message_id"])
    op.create_index(op.f("ix_messages_received_at"), "messages", ["received_at"])
    op.create_index("ix_messages_status_next", "messages", ["status", "next_attempt_at"])

    op.create_table(
        "sightings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_pk", sa.Integer(), nullable=False),
        sa.Column("mailbox", sa.String(40), nullable=False),
        sa.Column("folder", sa.String(1000), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=True),
        sa.Column("uid", sa.BigInteger(), nullable=True),
        sa.Column("path", sa.String(4000), nullable=True),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.Column("action_pending", sa.String(1000), nullable=True),
        sa.Column("action_done_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_pk"],
            ["messages.id"],
            ondelete="CASCADE",
            name=op.f("fk_sightings_message_pk_messages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sightings")),
        sa.UniqueConstraint("mailbox", "folder", "uidvalidity", "uid", name="uq_sightings_imap"),
        sa.UniqueConstraint("mailbox", "path", name="uq_sightings_file"),
    )
    op.create_index(op.f("ix_sightings_message_pk"), "sightings", ["message_pk"])

    op.create_table(
        "raw_messages",
        sa.Column("message_pk", sa.Integer(), nullable=False),
        sa.Column("codec", sa.String(16), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_pk"],
            ["messages.id"],
            ondelete="CASCADE",
            name=op.f("fk_raw_messages_message_pk_messages"),
        ),
        sa.PrimaryKeyConstraint("message_pk", name=op.f("pk_raw_messages")),
    )
    op.create_index(op.f("ix_raw_messages_expires_at"), "raw_messages", ["expires_at"])

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_pk", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(1000), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(1000), nullable=False),
        sa.Column("inline", sa.Boolean(), nullable=False),
        sa.Column("derived_name", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_pk"],
            ["messages.id"],
            ondelete="CASCADE",
            name=op.f("fk_attachments_message_pk_messages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("message_pk", "ordinal", name="uq_attachments_ordinal"),
    )
    op.create_index(op.f("ix_attachments_message_pk"), "attachments", ["message_pk"])
    op.create_index(op.f("ix_attachments_sha256"), "attachments", ["sha256"])

    op.create_table(
        "folder_cursors",
        sa.Column("mailbox", sa.String(40), nullable=False),
        sa.Column("folder", sa.String(1000), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=True),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("last_poll_at", UTCDateTime(), nullable=True),
        sa.Column("last_success_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_exists", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("mailbox", "folder", name=op.f("pk_folder_cursors")),
    )

    op.create_table(
        "locks",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("owner", sa.String(300), nullable=False),
        sa.Column("acquired_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_locks")),
    )


def downgrade() -> None:
    op.drop_table("locks")
    op.drop_table("folder_cursors")
    op.drop_index(op.f("ix_attachments_sha256"), table_name="attachments")
    op.drop_index(op.f("ix_attachments_message_pk"), table_name="attachments")
    op.drop_table("attachments")
    op.drop_index(op.f("ix_raw_messages_expires_at"), table_name="raw_messages")
    op.drop_table("raw_messages")
    op.drop_index(op.f("ix_sightings_message_pk"), table_name="sightings")
    op.drop_table("sightings")
    op.drop_index("ix_messages_status_next", table_name="messages")
    op.drop_index(op.f("ix_messages_received_at"), table_name="messages")
    op.drop_index(op.f("ix_messages_message_id"), table_name="messages")
    op.drop_table("messages")
