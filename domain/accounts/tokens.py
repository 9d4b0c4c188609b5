"""Emailed account links bound to a typed code (SECURITY.md "activation code").

The link carries a 256-bit token (kept as SHA-256); the email also shows an 8-character code from
an unambiguous alphabet (kept as an HMAC under a server key). Activation needs both, so a leaked
link alone (browser history, a proxy log, a forwarded mail without the code) opens nothing, and a
leaked database row opens nothing either. A code expires, is used once, locks after
``max_attempts`` wrong tries, and dies when a newer link for the same purpose is issued.

Reused by every flow that emails such a link: activation after sign-up, partner approval,
internal admins, invitations of new users (``issue_token`` + ``activation_url``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AccountToken
from domain.accounts import repository
from domain.enums import TokenPurpose
from kit.clock import utcnow
from kit.crypto import (
    CODE_ALPHABET,
    constant_time_equal,
    hmac_hex,
    new_code,
    new_token,
    normalize_code,
    sha256_hex,
)

CODE_LENGTH = 8
# new_token() is 43 characters; anything much longer is not ours and is not even hashed.
MAX_LINK_TOKEN_LENGTH = 128


@dataclass(frozen=True, slots=True)
class IssuedToken:
    id: uuid.UUID
    link_token: str
    code: str
    expires_at: datetime


class TokenState(StrEnum):
    USABLE = "USABLE"
    UNKNOWN = "UNKNOWN"
    USED = "USED"
    SUPERSEDED = "SUPERSEDED"
    EXPIRED = "EXPIRED"
    LOCKED = "LOCKED"


def code_hash(key: bytes, code: str) -> str:
    return hmac_hex(key, normalize_code(code))


async def issue_token(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    purpose: TokenPurpose,
    ttl_seconds: int,
    code_key: bytes,
    invitation_id: uuid.UUID | None = None,
) -> IssuedToken:
    """A fresh link and code for ``user_id``; every earlier unused one of ``purpose`` dies.
    ``invitation_id``: the invitation an activation link accepts (domain.members.acceptance)."""
    now = utcnow()
    await repository.supersede_tokens(session, user_id, purpose, now)
    link_token = new_token()
    code = new_code(CODE_LENGTH)
    row = AccountToken(
        user_id=user_id,
        purpose=purpose,
        link_token_hash=sha256_hex(link_token),
        code_hash=code_hash(code_key, code),
        expires_at=now + timedelta(seconds=ttl_seconds),
        failed_attempts=0,
        invitation_id=invitation_id,
    )
    session.add(row)
    await session.flush()
    return IssuedToken(row.id, link_token, code, row.expires_at)


def plausible_link_token(link_token: str) -> bool:
    return 0 < len(link_token) <= MAX_LINK_TOKEN_LENGTH and link_token.isascii()


def plausible_code(code: str) -> bool:
    """Shaped like one of our codes (after the forgiving normalization)."""
    if len(code) > 4 * CODE_LENGTH:
        return False
    normalized = normalize_code(code)
    return len(normalized) == CODE_LENGTH and all(c in CODE_ALPHABET for c in normalized)


async def find_token(
    session: AsyncSession, link_token: str, purpose: TokenPurpose, *, for_update: bool = False
) -> AccountToken | None:
    if not plausible_link_token(link_token):
        return None
    return await repository.token_by_link_hash(
        session, sha256_hex(link_token), purpose, for_update=for_update
    )


def state_of(row: AccountToken | None, *, now: datetime, max_attempts: int) -> TokenState:
    if row is None:
        return TokenState.UNKNOWN
    if row.used_at is not None:
        return TokenState.USED
    if row.superseded_at is not None:
        return TokenState.SUPERSEDED
    if row.failed_attempts >= max_attempts:
        return TokenState.LOCKED
    if row.expires_at <= now:
        return TokenState.EXPIRED
    return TokenState.USABLE


def code_matches(row: AccountToken, code: str, key: bytes) -> bool:
    if row.code_hash is None or not plausible_code(code):
        return False
    return constant_time_equal(row.code_hash, code_hash(key, code))


def activation_url(public_url: str, link_token: str) -> str:
    return f"{public_url}/activate?token={link_token}"
