"""Enterprise single sign-on: a customer organization's claimed email domains and its upstream
OpenID provider (issue 16, domain/sso)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin


class SsoDomain(IdMixin, TimestampMixin, Base):
    """An email domain an organization claims, proven by a DNS TXT record.

    Several organizations may *claim* a name (a claim proves nothing), but only one may have it
    *verified*: a partial unique index over verified rows, so two racing verifications cannot both
    win. Only a verified domain routes anyone to a provider.
    """

    __tablename__ = "sso_domain"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    # Lower case, IDNA (A-labels), no trailing dot.
    name: Mapped[str] = mapped_column(String(253))
    # The random part of the TXT record's value; shown to the Super Admin, public by nature.
    token: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("organization_id", "name", name="uq_sso_domain_organization_id_name"),
        Index(
            "uq_sso_domain_verified_name",
            "name",
            unique=True,
            sqlite_where=text("verified_at IS NOT NULL"),
            postgresql_where=text("verified_at IS NOT NULL"),
        ),
    )


class SsoConnection(IdMixin, TimestampMixin, Base):
    """An organization's upstream OpenID provider (one per organization)."""

    __tablename__ = "sso_connection"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), unique=True
    )
    issuer: Mapped[str] = mapped_column(String(2000))
    client_id: Mapped[str] = mapped_column(String(500))
    # AES-256-GCM under a server key, bound to the connection's id (domain/sso/sealing.py).
    client_secret_sealed: Mapped[str] = mapped_column(Text)
    # Which ID-token claim lists the person's groups (null: no group mapping).
    groups_claim: Mapped[str | None] = mapped_column(String(200))
    # JSON object: group name → role (ADMIN or USER).
    group_roles: Mapped[str] = mapped_column(Text, default="{}")
    # Members of the organization's verified domains may not sign in with a password.
    enforced: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
