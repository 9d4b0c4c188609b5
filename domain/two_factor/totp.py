"""RFC 6238 time-based one-time passwords, the parameters every authenticator app understands:
HMAC-SHA-1, 6 digits, 30-second steps, 160-bit secrets (RFC 4226 §4 recommends 160).

A code is accepted one step either side of now (clock drift, a code typed as it rolled over);
``match`` returns *which* step matched so that the caller can refuse a step already used
(replay, RFC 6238 §5.2). Small enough to own rather than depend on: tests check it against the
RFC's own vectors.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import struct
from datetime import datetime
from urllib.parse import quote, urlencode

DIGITS = 6
PERIOD_SECONDS = 30
WINDOW_STEPS = 1
SECRET_BYTES = 20
ISSUER = "Cloud Portal"


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def to_base32(secret: bytes) -> str:
    """The form people type into an app: base32 without padding (32 characters for 20 bytes)."""
    return base64.b32encode(secret).decode("ascii").rstrip("=")


def step_at(moment: datetime) -> int:
    return int(moment.timestamp()) // PERIOD_SECONDS


def code_at(secret: bytes, step: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """HOTP (RFC 4226 §5.3) of the step counter: dynamic truncation, then ``digits`` digits."""
    mac = hmac.new(secret, struct.pack(">Q", step), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % (10**digits)).zfill(digits)


def normalize(code: str) -> str | None:
    """What people type (``123 456``, ``123-456``) as six digits, or None if it cannot be one."""
    cleaned = code.strip().replace(" ", "").replace("-", "")
    if len(cleaned) != DIGITS or not cleaned.isascii() or not cleaned.isdigit():
        return None
    return cleaned


def match(secret: bytes, code: str, moment: datetime, *, window: int = WINDOW_STEPS) -> int | None:
    """The step whose code ``code`` is (now ± ``window`` steps), or None.

    Every candidate is compared, in constant time, so the answer's timing says nothing about
    which step (if any) matched.
    """
    typed = normalize(code)
    if typed is None:
        return None
    now = step_at(moment)
    found: int | None = None
    for step in range(now - window, now + window + 1):
        if hmac.compare_digest(code_at(secret, step), typed) and found is None:
            found = step
    return found


def provisioning_uri(secret: bytes, account: str, *, issuer: str = ISSUER) -> str:
    """The ``otpauth://`` URI of Google Authenticator's Key Uri Format (what a QR code holds)."""
    label = quote(f"{issuer}:{account}", safe="@:")
    query = urlencode(
        {
            "secret": to_base32(secret),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": PERIOD_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
