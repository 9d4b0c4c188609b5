"""SCIM groups a directory creates (Okta "Push groups", Entra ID): per organization, with members,
no role

Revision ID: 0018_scim_groups
Revises: 0016_scim
Create Date: 2026-12-07 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0018_scim_groups"
down_revision: str | None = "0016_scim"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "scim_group",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("display_name_key", sa.String(length=765), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_scim_group_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_group")),
        sa.UniqueConstraint(
            "organization_id",
            "display_name_key",
            name=op.f("uq_scim_group_organization_id_display_name_key"),
        ),
    )
    op.create_index(
        "ix_scim_group_organization_id_id", "scim_group", ["organization_id", "id"], unique=False
    )
    op.create_table(
        "scim_group_member",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("scim_user_id", sa.Uuid(), nullable=False),
        sa.Column("display", sa.String(length=320), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["scim_group.id"],
            name=op.f("fk_scim_group_member_group_id_scim_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scim_user_id"],
            ["scim_user.id"],
            name=op.f("fk_scim_group_member_scim_user_id_scim_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_group_member")),
        sa.UniqueConstraint(
            "group_id", "scim_user_id", name=op.f("uq_scim_group_member_group_id_scim_user_id")
        ),
    )
    op.create_index(
        op.f("ix_scim_group_member_scim_user_id"),
        "scim_group_member",
        ["scim_user_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_scim_group_member_scim_user_id"), table_name="scim_group_member")
    op.drop_table("scim_group_member")
    op.drop_index("ix_scim_group_organization_id_id", table_name="scim_group")
    op.drop_table("scim_group")
