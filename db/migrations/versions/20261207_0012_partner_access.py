"""time-bound partner access (GDAP-like): a grant's scope and end date on each partner mapping,
its expiry notices, and the partner's extension requests

Existing mappings get the default grant: every power of a technician
(DEVICES_LICENSES_USERS, what they had before) for one year from the upgrade.

Columns are added in place, not through a batch rebuild: on SQLite rebuilding ``partner_mapping``
(which technician assignments, invitations and memberships reference) would cascade into them.

Revision ID: 0012_partner_access
Revises: 0014_webhooks
Create Date: 2026-12-07 06:30:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0012_partner_access"
down_revision: str | None = "0014_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_GRANT = timedelta(days=365)


def upgrade() -> None:
    op.add_column(
        "partner_mapping",
        sa.Column(
            "access_scope",
            sa.Enum(
                "DEVICES",
                "DEVICES_LICENSES",
                "DEVICES_LICENSES_USERS",
                name="partneraccessscope",
                native_enum=False,
                create_constraint=False,
                length=32,
            ),
            server_default="DEVICES_LICENSES_USERS",
            nullable=False,
        ),
    )
    op.add_column(
        "partner_mapping",
        sa.Column("access_expires_at", db.types.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "partner_mapping",
        sa.Column(
            "access_notice",
            sa.Enum(
                "NONE",
                "DAYS_30",
                "DAYS_7",
                "EXPIRED",
                name="partneraccessnotice",
                native_enum=False,
                create_constraint=False,
                length=32,
            ),
            server_default="NONE",
            nullable=False,
        ),
    )
    mapping = sa.table(
        "partner_mapping",
        sa.column("access_expires_at", db.types.UTCDateTime(timezone=True)),
    )
    op.execute(
        mapping.update()
        .where(mapping.c.access_expires_at.is_(None))
        .values(access_expires_at=datetime.now(UTC) + DEFAULT_GRANT)
    )
    op.create_index(
        "ix_partner_mapping_access_expires_at", "partner_mapping", ["access_expires_at"]
    )
    op.create_table(
        "partner_access_extension",
        sa.Column("mapping_id", sa.Uuid(), nullable=False),
        sa.Column("requested_until", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "PENDING",
                "APPROVED",
                "DECLINED",
                name="partneraccessextensionstatus",
                native_enum=False,
                create_constraint=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("answered_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["user_account.id"],
            name=op.f("fk_partner_access_extension_answered_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mapping_id"],
            ["partner_mapping.id"],
            name=op.f("fk_partner_access_extension_mapping_id_partner_mapping"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_partner_access_extension_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_access_extension")),
    )
    op.create_index(
        "uq_partner_access_extension_pending",
        "partner_access_extension",
        ["mapping_id"],
        unique=True,
        sqlite_where=sa.text("status = 'PENDING'"),
        postgresql_where=sa.text("status = 'PENDING'"),
    )


def downgrade() -> None:
    op.drop_index("uq_partner_access_extension_pending", table_name="partner_access_extension")
    op.drop_table("partner_access_extension")
    op.drop_index("ix_partner_mapping_access_expires_at", table_name="partner_mapping")
    with op.batch_alter_table("partner_mapping", schema=None) as batch_op:
        batch_op.drop_column("access_notice")
        batch_op.drop_column("access_expires_at")
        batch_op.drop_column("access_scope")
