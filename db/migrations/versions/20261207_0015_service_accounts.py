"""service accounts: machine access through OAuth client credentials (issue 18)

Revision ID: 0015_service_accounts
Revises: 0011_mail_opt_outs
Create Date: 2026-12-07 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0015_service_accounts"
down_revision: str | None = "0011_mail_opt_outs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_account",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=600), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "SUPER_ADMIN",
                "ADMIN",
                "USER",
                "TECHNICIAN",
                "INTERNAL_ADMIN",
                name="role",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("secret_hint", sa.String(length=8), nullable=False),
        sa.Column("secret_version", sa.Integer(), nullable=False),
        sa.Column("secret_rotated_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("last_used_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_service_account_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_service_account_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["user_account.id"],
            name=op.f("fk_service_account_revoked_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_service_account_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_account")),
        sa.UniqueConstraint("client_id", name=op.f("uq_service_account_client_id")),
        sa.UniqueConstraint("user_id", name=op.f("uq_service_account_user_id")),
    )
    op.create_index(
        "ix_service_account_organization_id_id",
        "service_account",
        ["organization_id", "id"],
        unique=False,
    )
    op.create_index(
        "uq_service_account_live_name",
        "service_account",
        ["organization_id", "name_key"],
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_service_account_live_name",
        table_name="service_account",
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    op.drop_index("ix_service_account_organization_id_id", table_name="service_account")
    op.drop_table("service_account")
