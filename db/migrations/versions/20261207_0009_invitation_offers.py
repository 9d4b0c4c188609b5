"""invitations are offers: an activation link names the invitation it accepts; invitations and
memberships remember the partner mapping (and the person) that made them

Revision ID: 0009_invitation_offers
Revises: 0008_recovery_codes
Create Date: 2026-12-07 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_invitation_offers"
down_revision: str | None = "0008_recovery_codes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invitation_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_account_token_invitation_id_invitation"),
            "invitation",
            ["invitation_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_mapping_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_invitation_partner_mapping_id_partner_mapping"),
            "partner_mapping",
            ["partner_mapping_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            "ix_invitation_partner_mapping_id", ["partner_mapping_id"], unique=False
        )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invited_by_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("partner_mapping_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_membership_invited_by_id_user_account"),
            "user_account",
            ["invited_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_membership_partner_mapping_id_partner_mapping"),
            "partner_mapping",
            ["partner_mapping_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            "ix_membership_partner_mapping_id", ["partner_mapping_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index("ix_membership_partner_mapping_id")
        batch_op.drop_constraint(
            batch_op.f("fk_membership_partner_mapping_id_partner_mapping"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_membership_invited_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("partner_mapping_id")
        batch_op.drop_column("invited_by_id")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index("ix_invitation_partner_mapping_id")
        batch_op.drop_constraint(
            batch_op.f("fk_invitation_partner_mapping_id_partner_mapping"), type_="foreignkey"
        )
        batch_op.drop_column("partner_mapping_id")
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_account_token_invitation_id_invitation"), type_="foreignkey"
        )
        batch_op.drop_column("invitation_id")
