"""Rows the database tests write through the prepared and hot routes (db/prepared.py, db/hot.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

# A JSON value beyond ASCII and a time with microseconds: what a conversion could lose.
PUBLIC_JWK = {"kty": "RSA", "n": "ünïcode"}
CREATED_AT = datetime(2026, 12, 7, 23, 45, 1, 654321, tzinfo=UTC)


def signing_key(kid: str) -> dict[str, Any]:
    """Every column of a ``signing_key`` row, as an INSERT of all of them takes it."""
    return {
        "id": uuid.uuid4(),
        "kid": kid,
        "algorithm": "RS256",
        "private_pem": "-",
        "public_jwk": dict(PUBLIC_JWK),
        "created_at": CREATED_AT,
    }
