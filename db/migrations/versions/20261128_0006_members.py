"""members: find an account's invitations (activation accepts them)

Revision ID: 0006_members
Revises: 0005_mail
Create Date: 2026-11-28 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_members"
down_revision: str | None = "0005_mail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_invitation_user_id", "invitation", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_invitation_user_id", table_name="invitation")
