from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin
from db.enums import UserStatus
from db.models._columns import enum_type


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "user_account"

    # Normalized (trimmed, NFKC, lower case) by domain.accounts.validation before it gets here, so a
    # plain unique index is a case-insensitive one.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    status: Mapped[UserStatus] = mapped_column(enum_type(UserStatus))
    # Argon2id PHC string; null until the account is activated.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_changed_at: Mapped[datetime | None]
    activated_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Wrong activation codes over the account's life; a resend does not reset it (SECURITY.md).
    activation_failures: Mapped[int] = mapped_column(default=0)
    last_activation_failure_at: Mapped[datetime | None]
    # Consecutive failed logins (reset on success): drives the growing delay and the hard cap.
    login_failures: Mapped[int] = mapped_column(default=0)
    last_login_failure_at: Mapped[datetime | None]
    # Bumped whenever every outstanding session and token of the user must die (password reset,
    # disable): tokens and sessions remember the value they were issued under.
    security_stamp: Mapped[int] = mapped_column(default=0)
    # TOTP second factor: the shared secret (base32) and the last accepted time step (replay).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
