from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin


class Passkey(IdMixin, CreatedAtMixin, Base):
    """A WebAuthn credential of an account (domain/passkeys): a discoverable key pair whose
    private half never leaves the authenticator. ``credential_id`` is the authenticator's id for
    it (base64url, unique across accounts); ``sign_count`` the highest counter seen (a lower one
    means a cloned authenticator); the backup flags tell a synced passkey from a device-bound
    one (``amr`` ``swk`` or ``hwk``)."""

    __tablename__ = "passkey"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    # Space-separated AuthenticatorTransport values ("internal hybrid"), a hint for the browser.
    transports: Mapped[str | None] = mapped_column(String(200))
    aaguid: Mapped[str | None] = mapped_column(String(36))
    backup_eligible: Mapped[bool] = mapped_column(default=False)
    backed_up: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(100))
    last_used_at: Mapped[datetime | None]


class PasskeyChallenge(IdMixin, CreatedAtMixin, Base):
    """A WebAuthn challenge issued by the server: single use (``used_at`` set by a conditional
    UPDATE, so a replayed assertion finds it spent), short-lived, and for one ``purpose``
    (``register``, ``login``, ``second_factor``); bound to an account when the ceremony is for
    one. Only the SHA-256 of the challenge is kept."""

    __tablename__ = "passkey_challenge"

    challenge_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]
