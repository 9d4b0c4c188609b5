"""High-entropy secrets and how they are kept at rest.

Link tokens, authorization codes, refresh tokens and client secrets are random values of at least
256 bits, so a plain SHA-256 is a sufficient one-way hash (no salt or slow hash is needed for values
that cannot be guessed); short human codes get an HMAC keyed by a server secret *and* a per-code
attempt limit, since 8 characters alone could be brute-forced offline.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

# Crockford-style alphabet without look-alikes (no 0/O, 1/I/L, U).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


_LOOKALIKES = str.maketrans("OIL", "011")


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token (default 256 bits)."""
    return secrets.token_urlsafe(nbytes)


def new_code(length: int = 8) -> str:
    """A human-typed one-time code from an unambiguous alphabet (~39 bits for 8 characters)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalize_code(code: str) -> str:
    """Accept what people type: lower case, spaces and dashes, O for 0 and I/L for 1."""
    cleaned = code.upper().replace(" ", "").replace("-", "")
    return cleaned.translate(_LOOKALIKES)


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def hmac_hex(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
