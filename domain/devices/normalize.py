"""Serial numbers and MAC addresses as clients type them, and the one form we store.

Serial numbers: trimmed, width-folded (NFKC) and upper-cased; then 4 to 64 of ``A-Z 0-9 - . _ /``,
starting and ending with a letter or digit.

MAC addresses (EUI-48), any of the usual spellings::

    AA:BB:CC:DD:EE:FF   aa-bb-cc-dd-ee-ff   aabb.ccdd.eeff   aabbccddeeff

stored as ``aa:bb:cc:dd:ee:ff``. A device's own address is a unicast address: multicast (the
least significant bit of the first octet, which covers broadcast ``ff:ff:ff:ff:ff:ff``) and the
all-zero address are refused.
"""

from __future__ import annotations

import re
import unicodedata

from db.device_search import search_terms, search_text

__all__ = [
    "SERIAL_MAX_LENGTH",
    "SERIAL_MIN_LENGTH",
    "InvalidMacAddress",
    "InvalidSerialNumber",
    "normalize_mac_address",
    "normalize_serial_number",
    "search_terms",  # defined in db.device_search (the model computes the column)
    "search_text",
]

SERIAL_MIN_LENGTH = 4
SERIAL_MAX_LENGTH = 64
_SERIAL = re.compile(r"[A-Z0-9](?:[A-Z0-9._/-]*[A-Z0-9])?", re.ASCII)

_HEX = r"[0-9a-f]"
_MAC_FORMS = (
    re.compile(rf"{_HEX}{{2}}(?::{_HEX}{{2}}){{5}}", re.ASCII),
    re.compile(rf"{_HEX}{{2}}(?:-{_HEX}{{2}}){{5}}", re.ASCII),
    re.compile(rf"{_HEX}{{4}}(?:\.{_HEX}{{4}}){{2}}", re.ASCII),
    re.compile(rf"{_HEX}{{12}}", re.ASCII),
)


class InvalidSerialNumber(ValueError):
    pass


class InvalidMacAddress(ValueError):
    pass


def normalize_serial_number(raw: str) -> str:
    value = unicodedata.normalize("NFKC", raw).strip()
    # ASCII before upper-casing: a sharp s or a dotless i must not turn into "SS" or "I".
    value = value.upper() if value.isascii() else value
    if not SERIAL_MIN_LENGTH <= len(value) <= SERIAL_MAX_LENGTH:
        raise InvalidSerialNumber(
            f"A serial number has {SERIAL_MIN_LENGTH} to {SERIAL_MAX_LENGTH} characters."
        )
    if not _SERIAL.fullmatch(value):
        raise InvalidSerialNumber(
            "A serial number holds letters A-Z, digits and - . _ /, "
            "and starts and ends with a letter or digit."
        )
    return value


def normalize_mac_address(raw: str) -> str:
    value = raw.strip().lower()
    if len(value) > 17 or not any(form.fullmatch(value) for form in _MAC_FORMS):
        raise InvalidMacAddress(
            "Enter the MAC address as 12 hexadecimal digits, e.g. AA:BB:CC:DD:EE:FF."
        )
    digits = re.sub(r"[^0-9a-f]", "", value)
    first_octet = int(digits[:2], 16)
    if first_octet & 0x01:
        raise InvalidMacAddress(
            "This is a multicast or broadcast address; enter the device's own MAC address."
        )
    if digits == "0" * 12:
        raise InvalidMacAddress("The all-zero address is not a device's MAC address.")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))
