"""Mailbox rules, the audit log, the daily reports and how each message was routed.

Messages stored before this revision were all treated as referrals, which is what their new
``route`` says.

Revision ID: 0004_rules_reports
Revises: 0003_rulebook
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from intake.store.models import UTCDateTime

revision = "0004_rules_reports"
down_revision = "0003_rulebook"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("route", sa.String(16), nullable=True))
        batch.add_column(sa.Column("route_rule", sa.String(200), nullable=True))
    op.execute("UPDATE messages SET route = 'referral' WHERE status IN ('parsed', 'checked')")
    op.create_index(op.f("ix_exceptions_resolved_at"), "exceptions", ["resolved_at"])

    op.create_table(
        "mailbox_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("post_action", sa.String(1000), nullable=False),
        sa.Column("stop", sa.Boolean(), nullable=False),
        sa.Column("match_all", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailbox_rules")),
        sa.UniqueConstraint("name", name=op.f("uq_mailbox_rules_name")),
    )
    op.create_index(op.f("ix_mailbox_rules_position"), "mailbox_rules", ["position"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_key", sa.String(300), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index(op.f("ix_audit_log_entity"), "audit_log", ["entity"])

    op.create_table(
        "reports",
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("period_start", UTCDateTime(), nullable=True),
        sa.Column("period_end", UTCDateTime(), nullable=False),
        sa.Column("built_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(300), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_reports")),
    )


def downgrade() -> None:
    op.drop_table("reports")
    op.drop_index(op.f("ix_audit_log_entity"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_mailbox_rules_position"), table_name="mailbox_rules")
    op.drop_table("mailbox_rules")
    op.drop_index(op.f("ix_exceptions_resolved_at"), table_name="exceptions")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("route_rule")
        batch.drop_column("route")
