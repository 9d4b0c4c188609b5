"""The licenses area's userError codes (stable: clients switch on them)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import UserError

# An unknown key and a key already redeemed (by anyone) get this same answer: telling them apart
# would let a guesser learn which keys exist.
INVALID_LICENSE_KEY = "INVALID_LICENSE_KEY"
NO_SEATS_AVAILABLE = "NO_SEATS_AVAILABLE"
# The device already holds another current license of the same product (detach that one first).
ALREADY_LICENSED = "ALREADY_LICENSED"
LICENSE_EXPIRED = "LICENSE_EXPIRED"
NOT_ATTACHED = "NOT_ATTACHED"
UNKNOWN_PRODUCT = "UNKNOWN_PRODUCT"
OUT_OF_RANGE = "OUT_OF_RANGE"


def invalid_license_key(field: Sequence[str]) -> UserError:
    return UserError(
        INVALID_LICENSE_KEY, "This license key is not valid or has already been redeemed.", field
    )


def no_seats_available(seats: int) -> UserError:
    return UserError(
        NO_SEATS_AVAILABLE,
        f"All {seats} seat(s) of this license are in use: detach it from a device first.",
        ("input", "licenseId"),
    )


def already_licensed() -> UserError:
    return UserError(
        ALREADY_LICENSED,
        "The device already has a license for this product: detach that one first.",
        ("input", "deviceId"),
    )


def license_expired() -> UserError:
    return UserError(
        LICENSE_EXPIRED, "This license has expired and cannot be attached.", ("input", "licenseId")
    )


def not_attached() -> UserError:
    return UserError(
        NOT_ATTACHED, "This license is not attached to that device.", ("input", "deviceId")
    )
