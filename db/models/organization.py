from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin
from db.enums import OrganizationStatus, OrganizationType
from db.models._columns import enum_type


class Organization(IdMixin, TimestampMixin, Base):
    __tablename__ = "organization"

    type: Mapped[OrganizationType] = mapped_column(enum_type(OrganizationType))
    status: Mapped[OrganizationStatus] = mapped_column(enum_type(OrganizationStatus))
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    # An organization may make TOTP two-factor login mandatory for its members.
    require_mfa: Mapped[bool] = mapped_column(default=False)
    # ... or phishing-resistant sign-in: a passkey (domain/passkeys/requirement.py).
    require_passkey: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A partner organization is made from exactly one STEP partner code.
    step_code_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("step_partner_code.id"), unique=True
    )
    activated_at: Mapped[datetime | None]
    suspended_at: Mapped[datetime | None]
    suspended_reason: Mapped[str | None] = mapped_column(String(500))
    deleted_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_organization_type_id", "type", "id"),)
