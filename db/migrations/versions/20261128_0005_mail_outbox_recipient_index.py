"""outbox: index for the per-recipient mail-bombing guard

Revision ID: 0005_mail
Revises: 0004_accounts
Create Date: 2026-11-27 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005_mail'
down_revision: str | None = '0004_accounts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(
            'ix_outbox_message_recipient_created_at', ['recipient', 'created_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_recipient_created_at')
