"""accounts: server secrets (the HMAC key of activation codes)

Revision ID: 0004_accounts
Revises: 0003_oidc
Create Date: 2026-11-28 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0004_accounts"
down_revision: str | None = "0003_oidc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "server_secret",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value_hex", sa.String(length=128), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_secret")),
        sa.UniqueConstraint("name", name=op.f("uq_server_secret_name")),
    )


def downgrade() -> None:
    op.drop_table("server_secret")
