from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, validates

from db.base import Base, IdMixin, TimestampMixin
from db.enums import Role
from db.models._columns import enum_type
from kit.text import fold


class ServiceAccount(IdMixin, TimestampMixin, Base):
    """A machine identity of one organization: OAuth client credentials that act with a role.

    Backed by a ``user_account`` row of its own (as Keycloak's service-account users), so that
    whatever an actor leaves behind (audit events, ``registered_by_id``, an inviter) names it with
    the same foreign keys as a person; that row has no password, no membership and an address no
    form accepts (``…@service-accounts.invalid``), so nobody can sign in as it.
    """

    __tablename__ = "service_account"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # fold(name): unique per organization among live accounts (a partial unique index).
    name_key: Mapped[str] = mapped_column(String(600))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    # SHA-256 of the secret (256 random bits); the secret itself is shown once.
    secret_hash: Mapped[str] = mapped_column(String(64))
    # The secret's last four characters, so that a person can tell which one a system holds.
    secret_hint: Mapped[str] = mapped_column(String(8))
    # Bumped by every rotation: access tokens carry it (``ssv``), so a rotation ends them too.
    secret_version: Mapped[int] = mapped_column(default=1)
    secret_rotated_at: Mapped[datetime | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # When it last obtained an access token.
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        Index("ix_service_account_organization_id_id", "organization_id", "id"),
        Index(
            "uq_service_account_live_name",
            "organization_id",
            "name_key",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    @validates("name")
    def _keep_name_key(self, _key: str, value: str) -> str:
        self.name_key = fold(value)
        return value
