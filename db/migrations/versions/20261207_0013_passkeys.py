"""passkeys (WebAuthn credentials), their server-side challenges, and an organization's
requirement of phishing-resistant sign-in

Revision ID: 0013_passkeys
Revises: 0015_service_accounts
Create Date: 2026-12-07 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0013_passkeys"
down_revision: str | None = "0015_service_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "passkey",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("credential_id", sa.String(length=1400), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("transports", sa.String(length=200), nullable=True),
        sa.Column("aaguid", sa.String(length=36), nullable=True),
        sa.Column("backup_eligible", sa.Boolean(), nullable=False),
        sa.Column("backed_up", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("last_used_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_passkey_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passkey")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_passkey_credential_id")),
    )
    op.create_index(op.f("ix_passkey_user_id"), "passkey", ["user_id"], unique=False)
    op.create_table(
        "passkey_challenge",
        sa.Column("challenge_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("expires_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_passkey_challenge_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passkey_challenge")),
        sa.UniqueConstraint("challenge_hash", name=op.f("uq_passkey_challenge_challenge_hash")),
    )
    op.create_index(
        op.f("ix_passkey_challenge_user_id"), "passkey_challenge", ["user_id"], unique=False
    )
    op.create_index(
        op.f("ix_passkey_challenge_expires_at"), "passkey_challenge", ["expires_at"], unique=False
    )
    # A plain ALTER TABLE, never batch mode: on SQLite a batch with a SQL-expression default
    # rebuilds the table, and dropping `organization` cascades to every row that belongs to it.
    op.add_column(
        "organization",
        sa.Column("require_passkey", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("organization", "require_passkey")  # SQLite >= 3.35 drops it in place
    op.drop_index(op.f("ix_passkey_challenge_expires_at"), table_name="passkey_challenge")
    op.drop_index(op.f("ix_passkey_challenge_user_id"), table_name="passkey_challenge")
    op.drop_table("passkey_challenge")
    op.drop_index(op.f("ix_passkey_user_id"), table_name="passkey")
    op.drop_table("passkey")
