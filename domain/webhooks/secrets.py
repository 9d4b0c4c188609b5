"""Endpoint signing secrets: shown once, sealed at rest, used to sign every delivery.

A signing secret cannot be hashed (the worker must compute HMACs with it), so it is sealed with
AES-256-GCM under a server key kept in the ``server_secret`` table (domain/secrets.py), as TOTP
secrets are (domain/two_factor/sealing.py): a copy of the endpoint table alone signs nothing. The
endpoint's id is the associated data, so a sealed secret copied onto another endpoint does not open.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from standardwebhooks import Webhook

WEBHOOK_SEALING_KEY = "webhook-secret-aead"
_NONCE_BYTES = 12
_SECRET_BYTES = 32
PREFIX = "whsec_"


class BrokenSeal(Exception):
    """The stored value does not open under this key for this endpoint."""


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and the base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(_SECRET_BYTES)).decode("ascii")


def seal(key: bytes, secret: str, endpoint_id: uuid.UUID) -> str:
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = nonce + AESGCM(key).encrypt(nonce, secret.encode("ascii"), endpoint_id.bytes)
    return base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")


def unseal(key: bytes, sealed: str, endpoint_id: uuid.UUID) -> str:
    try:
        raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
        opened = AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], endpoint_id.bytes)
    except (ValueError, InvalidTag) as exc:
        raise BrokenSeal from exc
    return opened.decode("ascii")


def signature_header(
    secrets_: Sequence[str], *, message_id: str, timestamp: datetime, body: bytes
) -> str:
    """``webhook-signature``: one ``v1,…`` per secret, space separated (Standard Webhooks lets a
    receiver accept any of them: during a rotation's overlap both the old and the new sign)."""
    return " ".join(
        Webhook(secret).sign(msg_id=message_id, timestamp=timestamp, data=body)
        for secret in secrets_
    )
