"""TOTP secrets at rest: AES-256-GCM under a server key, bound to their user.

A TOTP secret cannot be hashed (the server must compute codes from it), so it is encrypted. The
key lives in the ``server_secret`` table (domain/secrets.py), not next to the secret in
``user_account``: a leaked copy of the users table (a backup, a report, a careless query) does not
give away anyone's second factor. The user's id is the associated data, so a sealed secret copied
onto another account does not open there.

Layout: base64url (no padding) of a 12-byte nonce, the 20-byte secret's ciphertext and the 16-byte
tag — 64 characters, the width of ``user_account.totp_secret``.
"""

from __future__ import annotations

import base64
import secrets
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

TOTP_SEALING_KEY = "totp-secret-aead"
_NONCE_BYTES = 12


class BrokenSeal(Exception):
    """The stored value does not open under this key for this user."""


def seal(key: bytes, secret: bytes, user_id: uuid.UUID) -> str:
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = nonce + AESGCM(key).encrypt(nonce, secret, user_id.bytes)
    return base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")


def unseal(key: bytes, sealed: str, user_id: uuid.UUID) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
        return AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], user_id.bytes)
    except (ValueError, InvalidTag) as exc:
        raise BrokenSeal from exc
