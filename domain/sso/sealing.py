"""Upstream client secrets at rest: AES-256-GCM under a server key (domain/secrets.py), bound to
their connection's id, so that a sealed value copied onto another connection does not open.

The portal must present the secret to the upstream token endpoint, so it cannot be hashed; it is
never returned by the API (SECURITY.md: a secret is shown once, by whoever made it)."""

from __future__ import annotations

import base64
import secrets
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SSO_SEALING_KEY = "sso-client-secret-aead"
_NONCE_BYTES = 12


class BrokenSeal(Exception):
    """The stored value does not open under this key for this connection."""


def seal(key: bytes, secret: str, connection_id: uuid.UUID) -> str:
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = nonce + AESGCM(key).encrypt(nonce, secret.encode("utf-8"), connection_id.bytes)
    return base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")


def unseal(key: bytes, sealed: str, connection_id: uuid.UUID) -> str:
    try:
        raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
        opened = AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], connection_id.bytes)
    except (ValueError, InvalidTag) as exc:
        raise BrokenSeal from exc
    return opened.decode("utf-8")
