"""SCIM 2.0 provisioning (issue 16): an organization's bearer token, and the users its directory
provisioned into it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, validates

from db.base import Base, IdMixin, TimestampMixin
from kit.text import fold


class ScimToken(IdMixin, TimestampMixin, Base):
    """The bearer token an organization's directory (Okta, Entra ID) provisions with. One live
    token per organization (a partial unique index): a new one replaces the old one."""

    __tablename__ = "scim_token"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    # SHA-256 of the token (256 random bits); the token itself is shown once.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Its last four characters, so that a person can tell which one a directory holds.
    token_hint: Mapped[str] = mapped_column(String(8))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        Index(
            "uq_scim_token_live",
            "organization_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )


class ScimUser(IdMixin, TimestampMixin, Base):
    """A SCIM User resource: one membership provisioned by the organization's directory.

    Its ``id`` is the resource's SCIM id (never the account's, so that a directory learns nothing
    about the account beyond its own organization). The membership it stands for is linked (and
    cascades: a member removed in the console is gone from SCIM too); ``attributes`` keeps what
    the directory sent (name, displayName, emails) to return it as sent.
    """

    __tablename__ = "scim_user"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    user_name: Mapped[str] = mapped_column(String(320))
    # fold(user_name): unique per organization (RFC 7643 §4.1.1: case-insensitive "server").
    user_name_key: Mapped[str] = mapped_column(String(960))
    external_id: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Bumped by every change: the resource's ETag (meta.version).
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        UniqueConstraint("organization_id", "user_name_key"),
        Index("ix_scim_user_organization_id_id", "organization_id", "id"),
    )

    @validates("user_name")
    def _keep_user_name_key(self, _key: str, value: str) -> str:
        self.user_name_key = fold(value)
        return value


class ScimGroup(IdMixin, TimestampMixin, Base):
    """A group the organization's directory created (Okta "Push groups", Entra ID): members of
    the organization, no role. The role groups (Admins, Users) are no rows: they are the
    memberships' roles (domain.scim.service.GROUPS)."""

    __tablename__ = "scim_group"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    display_name: Mapped[str] = mapped_column(String(255))
    # fold(display_name): unique per organization, the role groups' names included.
    display_name_key: Mapped[str] = mapped_column(String(765))
    external_id: Mapped[str | None] = mapped_column(String(255))
    # Bumped by every change (its members' included): the resource's ETag (meta.version).
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        UniqueConstraint("organization_id", "display_name_key"),
        Index("ix_scim_group_organization_id_id", "organization_id", "id"),
    )

    @validates("display_name")
    def _keep_display_name_key(self, _key: str, value: str) -> str:
        self.display_name_key = fold(value)
        return value


class ScimGroupMember(IdMixin, TimestampMixin, Base):
    """A provisioned user of the group's organization in one of its directory's groups (gone
    with the user or the group)."""

    __tablename__ = "scim_group_member"

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scim_group.id", ondelete="CASCADE"))
    scim_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("scim_user.id", ondelete="CASCADE"), index=True
    )
    # The member's display name as the directory sent it (returned as sent; else its userName).
    display: Mapped[str | None] = mapped_column(String(320))

    __table_args__ = (UniqueConstraint("group_id", "scim_user_id"),)
