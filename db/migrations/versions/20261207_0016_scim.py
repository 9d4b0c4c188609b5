"""SCIM 2.0 provisioning: an organization's token, its provisioned users, suspended memberships
(issue 16)

Revision ID: 0016_scim
Revises: 0017_single_sign_on
Create Date: 2026-12-07 07:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0016_scim"
down_revision: str | None = "0017_single_sign_on"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.add_column(
        "membership",
        sa.Column("suspended_at", db.types.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "scim_token",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("token_hint", sa.String(length=8), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("last_used_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Uuid(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_scim_token_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_scim_token_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["user_account.id"],
            name=op.f("fk_scim_token_revoked_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_scim_token_token_hash")),
    )
    op.create_index(
        "uq_scim_token_live",
        "scim_token",
        ["organization_id"],
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    op.create_table(
        "scim_user",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("membership_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("user_name", sa.String(length=320), nullable=False),
        sa.Column("user_name_key", sa.String(length=960), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_scim_user_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["membership.id"],
            name=op.f("fk_scim_user_membership_id_membership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_scim_user_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_user")),
        sa.UniqueConstraint("membership_id", name=op.f("uq_scim_user_membership_id")),
        sa.UniqueConstraint(
            "organization_id",
            "user_name_key",
            name=op.f("uq_scim_user_organization_id_user_name_key"),
        ),
    )
    op.create_index(
        "ix_scim_user_organization_id_id", "scim_user", ["organization_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_scim_user_organization_id_id", table_name="scim_user")
    op.drop_table("scim_user")
    op.drop_index(
        "uq_scim_token_live",
        table_name="scim_token",
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    op.drop_table("scim_token")
    # In place (SQLite >= 3.35): a batch rebuild of `membership` would cascade to its children.
    op.drop_column("membership", "suspended_at")
