"""Parsed attachments: kind, template and warnings on each attachment; form fields, children
and concerns beside them.

Revision ID: 0002_forms
Revises: 0001_ledger
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from intake.store.models import UTCDateTime

revision = "0002_forms"
down_revision = "0001_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns only: existing attachments stay "not parsed yet" until reprocessed.
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("kind", sa.String(32), nullable=True))
        batch.add_column(sa.Column("template", sa.String(100), nullable=True))
        batch.add_column(sa.Column("pages", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("parse_warnings", sa.Text(), nullable=True))
        batch.add_column(sa.Column("parsed_at", UTCDateTime(), nullable=True))
    op.create_index(op.f("ix_attachments_kind"), "attachments", ["kind"])

    op.create_table(
        "form_fields",
        sa.Column("attachment_pk", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("label", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(
            ["attachment_pk"],
            ["attachments.id"],
            ondelete="CASCADE",
            name=op.f("fk_form_fields_attachment_pk_attachments"),
        ),
        sa.PrimaryKeyConstraint("attachment_pk", "name", name=op.f("pk_form_fields")),
    )

    op.create_table(
        "form_children",
        sa.Column("attachment_pk", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("forenames", sa.String(200), nullable=True),
        sa.Column("surname", sa.String(200), nullable=True),
        sa.Column("dob", sa.String(10), nullable=True),
        sa.Column("gender", sa.String(50), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("postcode", sa.String(16), nullable=True),
        sa.ForeignKeyConstraint(
            ["attachment_pk"],
            ["attachments.id"],
            ondelete="CASCADE",
            name=op.f("fk_form_children_attachment_pk_attachments"),
        ),
        sa.PrimaryKeyConstraint("attachment_pk", "ordinal", name=op.f("pk_form_children")),
    )
    op.create_index("ix_form_children_dob_surname", "form_children", ["dob", "surname"])

    op.create_table(
        "form_concerns",
        sa.Column("attachment_pk", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_pk"],
            ["attachments.id"],
            ondelete="CASCADE",
            name=op.f("fk_form_concerns_attachment_pk_attachments"),
        ),
        sa.PrimaryKeyConstraint("attachment_pk", "code", name=op.f("pk_form_concerns")),
    )
    op.create_index(op.f("ix_form_concerns_code"), "form_concerns", ["code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_form_concerns_code"), table_name="form_concerns")
    op.drop_table("form_concerns")
    op.drop_index("ix_form_children_dob_surname", table_name="form_children")
    op.drop_table("form_children")
    op.drop_table("form_fields")
    op.drop_index(op.f("ix_attachments_kind"), table_name="attachments")
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("parsed_at")
        batch.drop_column("parse_warnings")
        batch.drop_column("pages")
        batch.drop_column("template")
        batch.drop_column("kind")
