"""The userErrors of devices (stable codes; messages safe to show).

``SERIAL_NUMBER_TAKEN`` and ``MAC_ADDRESS_TAKEN`` read the same whoever holds the device — this
organization or another one — so the answer reveals nothing about other organizations.
"""

from __future__ import annotations

from domain.errors import UserError

SERIAL_FIELD = ("input", "serialNumber")
MAC_FIELD = ("input", "macAddress")


def serial_number_taken() -> UserError:
    return UserError(
        "SERIAL_NUMBER_TAKEN",
        "A device with this serial number is already registered. If it is yours, remove it "
        "where it is registered first, or contact support.",
        SERIAL_FIELD,
    )


def mac_address_taken() -> UserError:
    return UserError(
        "MAC_ADDRESS_TAKEN",
        "A device with this MAC address is already registered. If it is yours, remove it "
        "where it is registered first, or contact support.",
        MAC_FIELD,
    )
